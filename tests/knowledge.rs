//! Integration tests of the knowledge area against the real AgentOS (agno 3.1.10 with an
//! offline LanceDB knowledge base and the fake model's hashed bag-of-words embeddings).
//!
//! The tests share the fixture's knowledge base with each other and with other test binaries,
//! so each one uploads documents under its own names and words (`common::unique`) and looks
//! only at those. The tests that need a knowledge base of their own (delete-all), one without
//! any (503) or one with a remote source start an extra AgentOS with
//! `$AGENTOS_INSTANCE_SCRIPT` and stop it at the end.

mod common;

use std::collections::BTreeSet;
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentos::knowledge::{
    ContentResponseSchema, ContentStatus, KnowledgeExt, SearchType, SourceType, UploadProgress,
    VectorSearchResult,
};
use agentos::{AgentOsClient, Error, Page, Request};
use futures::TryStreamExt;
use serde_json::json;

/// The fixture's knowledge base (stable: agno derives it from the name, db and table).
const KNOWLEDGE_ID: &str = "baf6b999-e21c-bfd1-6dfa-e3618a9bcad4";
/// The fixture's contents db.
const DB_ID: &str = "fixture-db";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A word no other document uses: `k<hex>` (the embedder and the full-text index only see
/// `[a-z0-9]+` tokens).
fn tag() -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    common::unique("knowledge-tag").hash(&mut h);
    format!("k{:x}", h.finish())
}

/// `n` words of a document's own vocabulary.
fn words(tag: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{tag}w{i}")).collect()
}

/// A temporary file of this test's own.
fn temp_path(name: &str) -> PathBuf {
    common::scratch(name)
}

/// Waits for the ingestion, with a generous limit for a busy shared server.
async fn wait_done(client: &AgentOsClient, id: &str) -> ContentStatus {
    client
        .wait_for_knowledge_content(id)
        .max_wait(Duration::from_secs(90))
        .await
        .unwrap_or_else(|e| panic!("content {id}: {e}"))
        .status
}

/// Finds a content in the whole listing, walking every page lazily.
async fn find_listed(client: &AgentOsClient, id: &str) -> Option<ContentResponseSchema> {
    let all: Vec<ContentResponseSchema> = client
        .list_knowledge_content()
        .limit(10)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    all.into_iter().find(|c| c.id == id)
}

/// The content ids of a page of hits, in order.
fn hit_ids(page: &Page<VectorSearchResult>) -> Vec<String> {
    page.data
        .iter()
        .map(|h| h.content_id.clone().unwrap_or_default())
        .collect()
}

/// Deletes a content, ignoring a 404 (for cleanup after a failed assertion elsewhere).
async fn cleanup(client: &AgentOsClient, id: &str) {
    if let Err(e) = client.delete_knowledge_content(id).await {
        assert!(e.is_not_found(), "cleanup of {id}: {e}");
    }
}

/// An extra AgentOS of this test only, started with `env` set; killed when dropped.
struct Instance {
    dir: PathBuf,
    url: String,
}

impl Instance {
    fn start(label: &str, env: &[(&str, &str)]) -> Instance {
        let script = common::env("AGENTOS_INSTANCE_SCRIPT");
        let dir = PathBuf::from(common::env("AGENTOS_FIXTURE_DIR")).join(common::unique(label));
        let mut cmd = std::process::Command::new(&script);
        cmd.arg("start").arg(&dir);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run the instance script");
        assert!(
            out.status.success(),
            "starting an extra AgentOS failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert!(url.starts_with("http://"), "{url}");
        Instance { dir, url }
    }

    fn client(&self) -> AgentOsClient {
        AgentOsClient::new(&self.url).unwrap()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // A throwaway instance: SIGKILL at once (a graceful stop can take 10 s).
        let _ = std::process::Command::new(common::env("AGENTOS_INSTANCE_SCRIPT"))
            .arg("kill")
            .arg(&self.dir)
            .output();
    }
}

/// A tiny HTTP server on 127.0.0.1 that answers every GET with `body` as text/plain and
/// counts the requests.
fn serve_text(body: String) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let count = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 8192];
            let mut head = Vec::new();
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            count.fetch_add(1, Ordering::SeqCst);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                body.len(),
                body
            );
        }
    });
    (format!("http://{addr}"), hits)
}

/// `VmRSS` and `VmHWM` of this process, in bytes.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
            .unwrap_or_else(|| panic!("{name} missing from /proc/self/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

// ---------------------------------------------------------------------------------------------
// Text, file, bytes and URL uploads: the whole lifecycle
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn text_upload_lifecycle() {
    let client = common::client();
    let name = common::unique("kn-text");
    let t = tag();
    let text = format!(
        "Ostriches cannot fly but they run fast. {}",
        words(&t, 5).join(" ")
    );

    let accepted = client
        .upload_knowledge_content()
        .text(&text)
        .name(&name)
        .description("a text about ostriches")
        .metadata(json!({"topic": "birds", "tag": t}))
        .await
        .unwrap();
    assert_eq!(accepted.name.as_deref(), Some(name.as_str()));
    assert_eq!(accepted.status, Some(ContentStatus::Processing));
    assert_eq!(accepted.user_metadata()["topic"], "birds");
    let id = accepted.id.clone();

    assert_eq!(wait_done(&client, &id).await, ContentStatus::Completed);

    // Listed (found by walking every page), with its real size as a number.
    let listed = find_listed(&client, &id).await.expect("the text is listed");
    assert_eq!(listed.name.as_deref(), Some(name.as_str()));
    assert_eq!(listed.content_type.as_deref(), Some("manual"));
    assert_eq!(listed.size_bytes(), Some(text.len() as u64));
    assert_eq!(listed.status, Some(ContentStatus::Completed));
    assert!(listed.created_at.is_some());

    // Read back.
    let got = client
        .get_knowledge_content(&id)
        .knowledge_id(KNOWLEDGE_ID)
        .await
        .unwrap();
    assert_eq!(got.description.as_deref(), Some("a text about ostriches"));
    assert_eq!(got.user_metadata()["tag"], t.as_str());
    assert_eq!(got.agno_metadata().unwrap()["vectors_indexed"], true);
    let status = client
        .get_knowledge_content_status(&id)
        .db_id(DB_ID)
        .await
        .unwrap();
    assert_eq!(status.status, ContentStatus::Completed);
    assert_eq!(status.id.as_deref(), Some(id.as_str()));

    // Updated: name and description replaced, metadata merged key by key.
    let renamed = format!("{name}-renamed");
    let updated = client
        .update_knowledge_content(&id)
        .name(&renamed)
        .description("renamed")
        .metadata(json!({"reviewed": true}))
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some(renamed.as_str()));
    let again = client.get_knowledge_content(&id).await.unwrap();
    assert_eq!(again.name.as_deref(), Some(renamed.as_str()));
    assert_eq!(again.description.as_deref(), Some("renamed"));
    let meta = again.user_metadata();
    assert_eq!(meta["reviewed"], true);
    assert_eq!(
        meta["topic"], "birds",
        "the update merges, it does not replace"
    );

    // Refresh does not apply to text: agno answers 400, typed.
    let e = client.refresh_knowledge_content(&id).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");
    assert!(e.to_string().contains("no source URL"), "{e}");

    // Searchable.
    let hits = client
        .search_knowledge(words(&t, 5).join(" "))
        .search_type(SearchType::Keyword)
        .await
        .unwrap();
    assert_eq!(hit_ids(&hits).first(), Some(&id));

    // Deleted: gone from every route.
    let deleted = client.delete_knowledge_content(&id).await.unwrap();
    assert_eq!(deleted.id, id);
    assert!(
        client
            .get_knowledge_content(&id)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .get_knowledge_content_status(&id)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(find_listed(&client, &id).await.is_none());
    let hits = client
        .search_knowledge(words(&t, 5).join(" "))
        .search_type(SearchType::Keyword)
        .await
        .unwrap();
    assert!(!hit_ids(&hits).contains(&id), "its chunks are gone too");
}

#[tokio::test]
async fn file_upload_lifecycle() {
    let client = common::client();
    let t = tag();
    let path = temp_path(&format!("{t}.txt"));
    let text = format!("Penguins swim in cold water. {}\n", words(&t, 8).join(" "));
    std::fs::write(&path, &text).unwrap();
    let name = common::unique("kn-file");

    let accepted = client
        .upload_knowledge_content()
        .file(&path)
        .name(&name)
        .metadata(json!({"source": "file"}))
        .knowledge_id(KNOWLEDGE_ID)
        .await
        .unwrap();
    let id = accepted.id.clone();
    assert_eq!(accepted.status, Some(ContentStatus::Processing));
    assert_eq!(wait_done(&client, &id).await, ContentStatus::Completed);

    let listed = find_listed(&client, &id).await.expect("the file is listed");
    assert_eq!(listed.name.as_deref(), Some(name.as_str()));
    assert_eq!(listed.content_type.as_deref(), Some("text/plain"));
    assert_eq!(listed.size_bytes(), Some(text.len() as u64));

    let got = client.get_knowledge_content(&id).await.unwrap();
    assert_eq!(got.user_metadata()["source"], "file");

    // Search hits of a file carry the file name.
    let hits = client
        .search_knowledge(words(&t, 3).join(" "))
        .search_type(SearchType::Keyword)
        .knowledge_id(KNOWLEDGE_ID)
        .await
        .unwrap();
    assert_eq!(hit_ids(&hits).first(), Some(&id));
    assert_eq!(
        hits.data[0].name.as_deref(),
        Some(format!("{t}.txt").as_str())
    );
    assert!(
        words(&t, 3)
            .iter()
            .any(|w| hits.data[0].content.contains(w.as_str())),
        "{:#?}",
        hits.data
    );

    let updated = client
        .update_knowledge_content(&id)
        .description("penguins")
        .knowledge_id(KNOWLEDGE_ID)
        .await
        .unwrap();
    assert_eq!(updated.description.as_deref(), Some("penguins"));
    assert_eq!(
        client
            .get_knowledge_content(&id)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("penguins")
    );
    let e = client.refresh_knowledge_content(&id).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");

    client
        .delete_knowledge_content(&id)
        .knowledge_id(KNOWLEDGE_ID)
        .await
        .unwrap();
    assert!(
        client
            .get_knowledge_content(&id)
            .await
            .unwrap_err()
            .is_not_found()
    );
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn bytes_upload_lifecycle() {
    let client = common::client();
    let t = tag();
    let markdown = format!(
        "# Kiwis\n\nKiwis are flightless. {}\n",
        words(&t, 6).join(" ")
    );
    let filename = format!("{t}.md");

    let accepted = client
        .upload_knowledge_content()
        .bytes(filename.clone(), markdown.clone().into_bytes())
        .metadata(json!({"source": "bytes"}))
        .await
        .unwrap();
    let id = accepted.id.clone();
    assert_eq!(
        accepted.name.as_deref(),
        Some(filename.as_str()),
        "named after the file"
    );
    assert_eq!(wait_done(&client, &id).await, ContentStatus::Completed);

    let listed = find_listed(&client, &id)
        .await
        .expect("the bytes are listed");
    assert_eq!(listed.content_type.as_deref(), Some("text/markdown"));
    assert_eq!(listed.size_bytes(), Some(markdown.len() as u64));

    let hits = client
        .search_knowledge(format!("{t}w2 {t}w4"))
        .search_type(SearchType::Keyword)
        .await
        .unwrap();
    assert_eq!(hit_ids(&hits).first(), Some(&id));

    let renamed = common::unique("kn-bytes");
    client
        .update_knowledge_content(&id)
        .name(&renamed)
        .await
        .unwrap();
    assert_eq!(
        client
            .get_knowledge_content(&id)
            .await
            .unwrap()
            .name
            .as_deref(),
        Some(renamed.as_str())
    );

    client.delete_knowledge_content(&id).await.unwrap();
    assert!(
        client
            .get_knowledge_content(&id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn url_upload_is_fetched_by_the_server() {
    let client = common::client();
    let t = tag();
    let (base, hits) = serve_text(format!(
        "Emus live in Australia. {}",
        words(&t, 4).join(" ")
    ));
    let url = format!("{base}/{t}.txt");

    let accepted = client.upload_knowledge_content().url(&url).await.unwrap();
    assert_eq!(
        accepted.name.as_deref(),
        Some(url.as_str()),
        "named after the URL"
    );
    let id = accepted.id.clone();
    assert_eq!(wait_done(&client, &id).await, ContentStatus::Completed);
    assert!(
        hits.load(Ordering::SeqCst) >= 1,
        "the server fetched the URL"
    );

    let got = client.get_knowledge_content(&id).await.unwrap();
    assert_eq!(got.content_type.as_deref(), Some("url"));
    assert_eq!(got.agno_metadata().unwrap()["source_url"], url.as_str());
    let found = client
        .search_knowledge(format!("{t}w1"))
        .search_type(SearchType::Keyword)
        .await
        .unwrap();
    assert_eq!(hit_ids(&found).first(), Some(&id));

    // agno 3.1.10 refreshes only what a site reader (sitemap, llms.txt; they need bs4, which
    // the fixture does not install) built: a plain URL row records no reader, so 400.
    let e = client.refresh_knowledge_content(&id).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");
    assert!(e.to_string().contains("reader"), "{e}");

    client.delete_knowledge_content(&id).await.unwrap();
}

#[tokio::test]
async fn a_failed_ingestion_is_a_typed_error_with_the_servers_message() {
    let client = common::client();
    let filename = format!("{}.pdf", tag());
    // Not a PDF at all (and the fixture has no PDF reader installed either way).
    let accepted = client
        .upload_knowledge_content()
        .bytes(filename, b"\x00\x01 this is not a pdf".to_vec())
        .await
        .unwrap();
    let id = accepted.id.clone();
    let e = client
        .wait_for_knowledge_content(&id)
        .max_wait(Duration::from_secs(60))
        .await
        .unwrap_err();
    let message = match e {
        Error::JobFailed { what, message } => {
            assert_eq!(what, format!("knowledge content {id}"));
            message
        }
        other => panic!("expected JobFailed, got {other:?}"),
    };
    assert!(!message.is_empty());
    let status = client.get_knowledge_content_status(&id).await.unwrap();
    assert_eq!(status.status, ContentStatus::Failed);
    assert_eq!(status.status_message, message);
    let listed = find_listed(&client, &id).await.unwrap();
    assert_eq!(listed.status, Some(ContentStatus::Failed));
    assert_eq!(listed.status_message.as_deref(), Some(message.as_str()));
    client.delete_knowledge_content(&id).await.unwrap();
}

/// On an AgentOS of its own: agno 3.1.10 sets the chunker on a reader instance the whole
/// server shares, so it would stay in effect for every other test's text uploads.
#[tokio::test]
async fn the_chunker_options_reach_the_server() {
    let instance = Instance::start("kn-chunker", &[]);
    let client = instance.client();
    let t = tag();
    let text = words(&t, 12).join(" ");
    let c = client
        .upload_knowledge_content()
        .text(&text)
        .name(common::unique("kn-chunks"))
        .reader_id("text")
        .chunker("FixedSizeChunker")
        .chunk_size(40)
        .chunk_overlap(0)
        .await
        .unwrap();
    assert_eq!(wait_done(&client, &c.id).await, ContentStatus::Completed);
    let hits: Vec<VectorSearchResult> = client
        .search_knowledge(words(&t, 12).join(" "))
        .search_type(SearchType::Keyword)
        .max_results(100)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let chunks: BTreeSet<i64> = hits
        .iter()
        .filter(|h| h.content_id.as_deref() == Some(c.id.as_str()))
        .filter_map(|h| h.meta_data.as_ref()?.get("chunk")?.as_i64())
        .collect();
    // 12 words of ~20 characters in chunks of 40 characters: several chunks, not one.
    assert!(chunks.len() >= 3, "chunks: {chunks:?}");
    assert!(hits.iter().all(|h| h.content.len() <= 60), "{hits:#?}");
    client.delete_knowledge_content(&c.id).await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn search_ranks_the_matching_document_first_and_filters_exclude() {
    let client = common::client();
    let group = tag();
    let docs = [
        ("a", "Owls hunt at night", tag()),
        ("b", "Parrots can talk", tag()),
        ("c", "Falcons dive fast", tag()),
    ];
    let mut ids = Vec::new();
    for (kind, intro, t) in &docs {
        let c = client
            .upload_knowledge_content()
            .text(format!("{intro}. {}", words(t, 6).join(" ")))
            .name(common::unique(&format!("kn-search-{kind}")))
            .metadata(json!({"group": group, "kind": kind}))
            .await
            .unwrap();
        ids.push(c.id);
    }
    for id in &ids {
        assert_eq!(wait_done(&client, id).await, ContentStatus::Completed);
    }
    let query_b = words(&docs[1].2, 4).join(" ");

    for search_type in [SearchType::Vector, SearchType::Keyword, SearchType::Hybrid] {
        let hits = client
            .search_knowledge(&query_b)
            .search_type(search_type.clone())
            .max_results(10)
            .await
            .unwrap();
        assert_eq!(
            hit_ids(&hits).first(),
            Some(&ids[1]),
            "{search_type} for {query_b:?} (documents {ids:?}): {:#?}",
            hits.data
                .iter()
                .map(|h| (
                    h.content_id.clone(),
                    h.content.chars().take(80).collect::<String>()
                ))
                .collect::<Vec<_>>()
        );
        assert!(hits.meta.search_time_ms.is_some());
    }
    // Keyword search returns only documents that contain the terms.
    let keyword = client
        .search_knowledge(&query_b)
        .search_type(SearchType::Keyword)
        .await
        .unwrap();
    assert!(!hit_ids(&keyword).contains(&ids[0]));

    // A metadata filter excludes what it should: B's own words, but only kind "a" of this group.
    let filtered = client
        .search_knowledge(&query_b)
        .search_type(SearchType::Vector)
        .filters(json!({"group": group, "kind": "a"}))
        .await
        .unwrap();
    assert!(!filtered.data.is_empty());
    assert!(
        hit_ids(&filtered).iter().all(|h| h == &ids[0]),
        "{:#?}",
        filtered.data
    );
    assert!(filtered.data.iter().all(|h| {
        let m = h.meta_data.as_ref().unwrap();
        m["group"] == group.as_str() && m["kind"] == "a"
    }));

    // Paging through the body: the group's three documents, one per page.
    let group_only = || {
        client
            .search_knowledge(&query_b)
            .search_type(SearchType::Vector)
            .filters(json!({"group": group}))
            .knowledge_id(KNOWLEDGE_ID)
    };
    // (A document may be several chunks, if another upload set a small chunker on the
    // server's shared text reader: count the chunks first.)
    let all = group_only().max_results(100).await.unwrap();
    let chunks = all.data.len();
    assert!(chunks >= 3);
    let distinct: BTreeSet<String> = hit_ids(&all).into_iter().collect();
    assert_eq!(distinct, ids.iter().cloned().collect::<BTreeSet<_>>());
    let first = group_only().limit(1).await.unwrap();
    assert_eq!(first.meta.total_count, Some(chunks as u64));
    assert_eq!(first.meta.total_pages, Some(chunks as u32));
    assert_eq!(hit_ids(&first), vec![ids[1].clone()]);
    let second = group_only().limit(1).page(2).await.unwrap();
    assert_eq!(second.meta.page, Some(2));
    assert_eq!(second.data.len(), 1);
    let pages: Vec<Page<VectorSearchResult>> =
        group_only().limit(1).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), chunks);
    let walked: BTreeSet<String> = pages.iter().flat_map(hit_ids).collect();
    assert_eq!(walked, distinct);
    // max_results caps the hits before paging.
    let capped = group_only().max_results(2).await.unwrap();
    assert_eq!(capped.data.len(), 2);
    assert_eq!(capped.meta.total_count, Some(2));
    // The body's db_id selects the knowledge base too; the vector db can be required.
    let by_db = group_only()
        .db_id(DB_ID)
        .vector_db_ids(["fixture-lancedb"])
        .limit(100)
        .await
        .unwrap();
    assert_eq!(by_db.data.len(), chunks);
    let e = group_only()
        .vector_db_ids(["another-db"])
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");

    for id in &ids {
        client.delete_knowledge_content(id).await.unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// A large file: streamed from disk, progress to 100 %, bounded memory
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_large_file_streams_with_progress_and_bounded_memory() {
    const SIZE: u64 = 8 * 1024 * 1024;
    let client = common::client();
    let t = tag();
    // Sent as a PDF the fixture cannot read: the server receives and records every byte, then
    // fails at once instead of embedding 8 MiB, which would block its event loop (and every
    // other test on the shared server) for a minute or more.
    let path = temp_path(&format!("{t}-large.pdf"));
    {
        // Written line by line, so this test never holds the file in memory either.
        let mut w = BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut written = 0u64;
        let mut i = 0u64;
        while written < SIZE {
            let line = format!("{t}x{} {t}y{} {t}z{}\n", i % 997, i % 991, i % 983);
            let line = &line.as_bytes()[..line.len().min((SIZE - written) as usize)];
            w.write_all(line).unwrap();
            written += line.len() as u64;
            i += 1;
        }
        w.flush().unwrap();
    }
    assert_eq!(std::fs::metadata(&path).unwrap().len(), SIZE);

    // Warm up the client (connection pool, HTTP stack, decoders) before measuring.
    client.get_knowledge_config().await.unwrap();
    // Reset the peak (VmHWM) to the current RSS where the kernel allows it.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let (rss_before, hwm_before) = memory();

    let reports: Arc<Mutex<Vec<UploadProgress>>> = Arc::default();
    let log = reports.clone();
    let c = client
        .upload_knowledge_content()
        .file(&path)
        .name(common::unique("kn-large"))
        .progress(move |p| log.lock().unwrap().push(p))
        .timeout(Duration::from_secs(120))
        .await
        .unwrap();

    let (rss_after, hwm_after) = memory();
    let baseline = if reset { rss_before } else { hwm_before };
    let growth = hwm_after.saturating_sub(baseline);
    println!(
        "large upload of {SIZE} bytes: VmRSS {rss_before} -> {rss_after}, VmHWM {hwm_before} -> \
         {hwm_after} (peak reset: {reset}); peak growth {growth} bytes = {:.1}% of the file",
        growth as f64 * 100.0 / SIZE as f64
    );
    assert!(
        growth < SIZE,
        "the process grew by {growth} bytes while uploading a {SIZE}-byte file"
    );

    let reports = reports.lock().unwrap().clone();
    assert_eq!(reports.first(), Some(&UploadProgress::new(0, SIZE)));
    assert_eq!(reports.last(), Some(&UploadProgress::new(SIZE, SIZE)));
    assert!(reports.last().unwrap().is_complete());
    assert_eq!(reports.last().unwrap().percent(), 100.0);
    assert!(reports.windows(2).all(|w| w[0].sent <= w[1].sent));
    assert!(
        reports.len() > 100,
        "reported as it streamed: {}",
        reports.len()
    );

    // The server received all of it: the row records the full size (and the PDF failure).
    let e = client
        .wait_for_knowledge_content(&c.id)
        .max_wait(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::JobFailed { .. }), "{e:?}");
    let listed = find_listed(&client, &c.id).await.unwrap();
    assert_eq!(listed.size_bytes(), Some(SIZE));
    assert_eq!(listed.content_type.as_deref(), Some("application/pdf"));
    client.delete_knowledge_content(&c.id).await.unwrap();
    let _ = std::fs::remove_file(&path);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn errors_are_typed() {
    let client = common::client();
    let missing = common::unique("kn-missing");

    // 404 for unknown content, on every single-content route.
    assert!(
        client
            .get_knowledge_content(&missing)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .get_knowledge_content_status(&missing)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .delete_knowledge_content(&missing)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .refresh_knowledge_content(&missing)
            .await
            .unwrap_err()
            .is_not_found()
    );
    let e = client
        .update_knowledge_content(&missing)
        .name("x")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert_eq!(
        e.http().unwrap().message().unwrap(),
        format!("Content not found: {missing}")
    );
    // The waiter gives up on a content that never appears once its grace period is over.
    let e = client
        .wait_for_knowledge_content(&missing)
        .not_found_grace(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");

    // An upload with no content is refused before sending...
    let e = client.upload_knowledge_content().await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client
        .upload_knowledge_content()
        .text("")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    // ...and the server's own 400 for one maps to a typed HTTP error.
    let raw = Request::post("/knowledge/content", &[])
        .unwrap()
        .form(Default::default());
    let e = client.execute(raw).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        e.http().unwrap().message().as_deref(),
        Some("Provide a file, text_content, or URL to upload.")
    );
    // A JSON list of URLs is a 400 too.
    let e = client
        .upload_knowledge_content()
        .url(r#"["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]"#)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");

    // Unknown knowledge base or db: 404.
    let e = client
        .list_knowledge_content()
        .knowledge_id("no-such-kb")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client
        .search_knowledge("x")
        .search_type(SearchType::Vector)
        .knowledge_id("no-such-kb")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client
        .get_knowledge_config()
        .db_id("no-such-db")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");

    // A bad reader on update: 400.
    let c = client
        .upload_knowledge_content()
        .text(format!("reader check {}", tag()))
        .name(common::unique("kn-reader"))
        .await
        .unwrap();
    wait_done(&client, &c.id).await;
    let e = client
        .update_knowledge_content(&c.id)
        .reader_id("no-such-reader")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");
    cleanup(&client, &c.id).await;
}

#[tokio::test]
async fn an_agentos_without_knowledge_answers_503() {
    let instance = Instance::start("kn-none", &[("FIXTURE_KNOWLEDGE", "0")]);
    let client = instance.client();
    let is_503 = |e: Error| {
        assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e}");
        assert!(
            e.http()
                .unwrap()
                .message()
                .unwrap()
                .contains("No knowledge base is available"),
            "{e}"
        );
    };
    is_503(client.list_knowledge_content().await.unwrap_err());
    is_503(client.get_knowledge_config().await.unwrap_err());
    is_503(client.get_knowledge_content("c1").await.unwrap_err());
    is_503(client.get_knowledge_content_status("c1").await.unwrap_err());
    is_503(
        client
            .upload_knowledge_content()
            .text("hello")
            .await
            .unwrap_err(),
    );
    is_503(
        client
            .search_knowledge("hello")
            .search_type(SearchType::Vector)
            .await
            .unwrap_err(),
    );
    is_503(client.delete_all_knowledge_content().await.unwrap_err());
    is_503(client.wait_for_knowledge_content("c1").await.unwrap_err());
    // Naming a knowledge base that is not there is a 404 instead.
    let e = client
        .list_knowledge_sources(KNOWLEDGE_ID)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Config and remote sources
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn config_lists_readers_chunkers_vector_dbs_and_filter_keys() {
    let client = common::client();
    let key = tag();
    let c = client
        .upload_knowledge_content()
        .text(format!("filter key check {key}"))
        .name(common::unique("kn-config"))
        .metadata(json!({ key.clone(): 1 }))
        .await
        .unwrap();
    wait_done(&client, &c.id).await;

    let config = client
        .get_knowledge_config()
        .knowledge_id(KNOWLEDGE_ID)
        .await
        .unwrap();
    let lance = config
        .vector_dbs
        .iter()
        .find(|v| v.id == "fixture-lancedb")
        .expect("the fixture's vector db");
    assert_eq!(lance.name.as_deref(), Some("Fixture LanceDB"));
    assert_eq!(
        lance.search_types,
        vec![SearchType::Vector, SearchType::Keyword, SearchType::Hybrid]
    );
    assert!(config.readers.contains_key("text"));
    assert!(config.readers_for_type[".txt"].contains(&"text".to_owned()));
    assert!(config.chunkers.contains_key("FixedSizeChunker"));
    assert!(config.filters.contains(&key), "{:?}", config.filters);
    // The fixture installs no PDF reader: the config says so, with the package to install.
    if let Some(pdf) = config.unavailable_readers.get("pdf") {
        assert!(!pdf.missing_packages.is_empty());
    }
    assert!(config.remote_content_sources.is_empty());

    // The shared fixture has no remote sources.
    let sources = client.list_knowledge_sources(KNOWLEDGE_ID).await.unwrap();
    assert!(sources.is_empty());
    let e = client
        .list_knowledge_source_files(KNOWLEDGE_ID, "no-such-source")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client
        .upload_remote_content("no-such-source", "docs/a.txt")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");
    cleanup(&client, &c.id).await;
}

#[tokio::test]
async fn remote_sources_of_an_agentos_with_an_s3_source() {
    // FIXTURE_KNOWLEDGE_SOURCES=1: an S3 source "fixture-s3"; nothing is contacted (boto3 is
    // not installed in the fixture's venv).
    let instance = Instance::start("kn-sources", &[("FIXTURE_KNOWLEDGE_SOURCES", "1")]);
    let client = instance.client();

    let sources = client
        .list_knowledge_sources(KNOWLEDGE_ID)
        .db_id(DB_ID)
        .await
        .unwrap();
    assert_eq!(sources.len(), 1);
    let s3 = &sources[0];
    assert_eq!(s3.id, "fixture-s3");
    assert_eq!(s3.name, "Fixture S3");
    assert_eq!(s3.source_type, SourceType::S3);
    assert_eq!(s3.prefix.as_deref(), Some("docs/"));
    assert_eq!(s3.metadata.as_ref().unwrap()["purpose"], "tests");
    let config = client.get_knowledge_config().await.unwrap();
    assert_eq!(config.remote_content_sources[0].id, "fixture-s3");

    // Listing needs the S3 SDK on the server: a typed 500 that says which package.
    let e = client
        .list_knowledge_source_files(KNOWLEDGE_ID, "fixture-s3")
        .prefix("docs/")
        .limit(10)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(500), "{e}");
    assert!(e.to_string().contains("boto3"), "{e}");

    // S3 sources take no source_params: 400.
    let e = client
        .upload_remote_content("fixture-s3", "docs/")
        .source_params(json!({"repo": "owner/name"}))
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");

    // The upload is accepted (202, processing) with what was sent...
    let name = common::unique("kn-remote");
    let accepted = client
        .upload_remote_content("fixture-s3", "docs/a.txt")
        .name(&name)
        .metadata(json!({"from": "s3"}))
        .await
        .unwrap();
    assert_eq!(accepted.name.as_deref(), Some(name.as_str()));
    assert_eq!(accepted.status, Some(ContentStatus::Processing));
    assert_eq!(accepted.user_metadata()["from"], "s3");
    // ...but without boto3 it fails before agno writes a row: the waiter ends with the 404
    // once its grace period is over.
    let e = client
        .wait_for_knowledge_content(&accepted.id)
        .not_found_grace(Duration::from_secs(2))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Delete-all, on a knowledge base of this test's own
// ---------------------------------------------------------------------------------------------

/// Deleting every content would break every other test using the shared knowledge base
/// (including other binaries'), so this runs on an extra AgentOS with its own data dir.
#[tokio::test]
async fn serial_delete_all_empties_the_knowledge_base() {
    let instance = Instance::start("kn-delete-all", &[]);
    let client = instance.client();
    let path = temp_path("delete-all.txt");
    std::fs::write(&path, "a file to delete").unwrap();

    let uploads = vec![
        client
            .upload_knowledge_content()
            .text("a text to delete")
            .name("text")
            .await
            .unwrap(),
        client
            .upload_knowledge_content()
            .bytes("bytes.md", b"# bytes to delete".to_vec())
            .await
            .unwrap(),
        client.upload_knowledge_content().file(&path).await.unwrap(),
    ];
    for c in &uploads {
        assert_eq!(wait_done(&client, &c.id).await, ContentStatus::Completed);
    }
    let page = client.list_knowledge_content().db_id(DB_ID).await.unwrap();
    assert_eq!(page.meta.total_count, Some(3));
    let before = client
        .search_knowledge("delete")
        .search_type(SearchType::Keyword)
        .await
        .unwrap();
    assert!(!before.data.is_empty());

    client
        .delete_all_knowledge_content()
        .knowledge_id(KNOWLEDGE_ID)
        .await
        .unwrap();

    let page = client.list_knowledge_content().await.unwrap();
    assert_eq!(page.meta.total_count, Some(0));
    assert!(page.data.is_empty());
    for c in &uploads {
        assert!(
            client
                .get_knowledge_content(&c.id)
                .await
                .unwrap_err()
                .is_not_found()
        );
    }
    let after = client
        .search_knowledge("delete")
        .search_type(SearchType::Keyword)
        .await
        .unwrap();
    assert!(after.data.is_empty(), "{:#?}", after.data);
    // Deleting an empty base is fine too.
    client.delete_all_knowledge_content().await.unwrap();
}
