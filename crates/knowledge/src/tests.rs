//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.
//! One test streams a real multipart upload through the reqwest transport to a loopback
//! server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentos_core::http::Method;
use agentos_core::mock::{self};
use agentos_core::{AgentOsClient, Body, Error, RetryPolicy, SortOrder, TransportResponse};
use futures::TryStreamExt;
use serde_json::{Value, json};

use crate::{ContentStatus, KnowledgeExt, SearchType, UploadProgress};
use agentos_core::mock::{
    Recorded as Seen, never_called as silent, path, query, recording, recording_with,
};

/// A client whose transport answers the n-th request with `answers[n]` (the last one repeats).
fn scripted(answers: Vec<TransportResponse>) -> (AgentOsClient, Seen) {
    scripted_with(RetryPolicy::none(), answers)
}

fn scripted_with(policy: RetryPolicy, answers: Vec<TransportResponse>) -> (AgentOsClient, Seen) {
    let n = AtomicUsize::new(0);
    let answers = Mutex::new(answers);
    recording_with(policy, move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let answers = answers.lock().unwrap();
        clone_response(&answers[i.min(answers.len() - 1)])
    })
}

fn clone_response(r: &TransportResponse) -> TransportResponse {
    match &r.body {
        agentos_core::ResponseBody::Buffered(b) => {
            TransportResponse::buffered(r.status, r.headers.clone(), b.clone())
        }
        _ => panic!("only buffered answers can be scripted"),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn content_json(id: &str, status: &str) -> Value {
    json!({
        "id": id, "name": "doc", "description": "", "type": "manual", "size": "43",
        "linked_to": null, "metadata": {"topic": "birds", "_agno": {"vectors_indexed": true}},
        "access_count": null, "status": status, "status_message": "",
        "created_at": "2026-11-28T20:05:27Z", "updated_at": "2026-11-28T20:05:27Z"
    })
}

fn status_json(status: &str, message: &str) -> TransportResponse {
    mock::json(
        200,
        json!({"id": "c1", "status": status, "status_message": message}),
    )
}

fn page_json(data: Vec<Value>, page: u32, total_pages: u32) -> Value {
    json!({"data": data, "meta": {"page": page, "limit": 1, "total_pages": total_pages,
           "total_count": total_pages, "search_time_ms": 0.0}})
}

/// A file in a directory of its own in the temp dir, both removed when the guard is dropped.
struct TempFile(std::path::PathBuf);

impl std::ops::Deref for TempFile {
    type Target = std::path::PathBuf;
    fn deref(&self) -> &std::path::PathBuf {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> TempFile {
    let dir = std::env::temp_dir().join(format!("agentos-knowledge-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    TempFile(p)
}

// ---------------------------------------------------------------------------------------------
// Uploads
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn text_upload_sends_form_fields_and_knowledge_params() {
    let (client, seen) = recording(|_| mock::json(202, content_json("c1", "processing")));
    let c = client
        .upload_knowledge_content()
        .text("Ostriches cannot fly")
        .name("ostrich")
        .description("birds")
        .metadata(json!({"topic": "birds"}))
        .reader_id("text")
        .chunker("FixedSizeChunker")
        .chunk_size(100)
        .chunk_overlap(10)
        .knowledge_id("kb 1")
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(c.id, "c1");
    assert_eq!(c.status, Some(ContentStatus::Processing));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(path(&seen[0]), "/knowledge/content");
    assert_eq!(
        query(&seen[0]),
        pairs(&[("knowledge_id", "kb 1"), ("db_id", "db")])
    );
    assert!(matches!(seen[0].body, Body::Form(_)), "{:?}", seen[0].body);
    assert_eq!(
        mock::form_fields(&seen[0]),
        pairs(&[
            ("text_content", "Ostriches cannot fly"),
            ("name", "ostrich"),
            ("description", "birds"),
            ("metadata", r#"{"topic":"birds"}"#),
            ("reader_id", "text"),
            ("chunker", "FixedSizeChunker"),
            ("chunk_size", "100"),
            ("chunk_overlap", "10"),
        ])
    );
}

#[tokio::test]
async fn url_upload_sends_the_url_field() {
    let (client, seen) = recording(|_| mock::json(202, content_json("c2", "processing")));
    client
        .upload_knowledge_content()
        .url("https://example.com/a.txt")
        .await
        .unwrap();
    assert_eq!(
        mock::form_fields(&seen.lock().unwrap()[0]),
        pairs(&[("url", "https://example.com/a.txt")])
    );
}

#[tokio::test]
async fn file_upload_is_a_streamed_multipart_part() {
    let file = temp_file("notes.txt", b"some notes");
    let reports: Arc<Mutex<Vec<UploadProgress>>> = Arc::default();
    let log = reports.clone();
    let (client, seen) = recording(|_| mock::json(202, content_json("c3", "processing")));
    client
        .upload_knowledge_content()
        .file(&*file)
        .name("notes")
        .progress(move |p| log.lock().unwrap().push(p))
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let Body::Multipart(m) = &seen[0].body else {
        panic!("{:?}", seen[0].body)
    };
    assert_eq!(m.fields.fields, pairs(&[("name", "notes")]));
    assert_eq!(m.files.len(), 1);
    let part = &m.files[0];
    assert_eq!(part.name, "file");
    assert_eq!(part.filename, "notes.txt");
    assert_eq!(part.content_type, "text/plain");
    assert_eq!(part.len(), 10);
    // The part points at the file: it is read when the transport sends it, not before.
    assert!(matches!(&part.data, agentos_core::PartData::File { path, len: 10 } if path == &*file));
    // The callback is wired to the body's progress hook.
    (m.progress.as_ref().expect("progress hook"))(4, 10);
    assert_eq!(*reports.lock().unwrap(), vec![UploadProgress::new(4, 10)]);
}

#[tokio::test]
async fn bytes_upload_guesses_or_takes_the_content_type() {
    let (client, seen) = recording(|_| mock::json(202, content_json("c4", "processing")));
    client
        .upload_knowledge_content()
        .bytes("data.json", br#"{"a": 1}"#.to_vec())
        .await
        .unwrap();
    client
        .upload_knowledge_content()
        .bytes("report.bin", vec![1u8, 2, 3])
        .content_type("text/markdown")
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let types: Vec<String> = seen
        .iter()
        .map(|r| match &r.body {
            Body::Multipart(m) => m.files[0].content_type.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(types, ["application/json", "text/markdown"]);
}

#[tokio::test]
async fn bad_uploads_are_refused_before_sending() {
    let client = silent();
    let e = client.upload_knowledge_content().await.unwrap_err();
    assert!(e.to_string().contains("needs content"), "{e}");
    let e = client
        .upload_knowledge_content()
        .text("a")
        .url("https://x")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("text and a URL"), "{e}");
    let e = client
        .upload_knowledge_content()
        .text("  ")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.upload_knowledge_content().url("").await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client
        .upload_knowledge_content()
        .file("/definitely/not/here.txt")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::File { .. }), "{e:?}");
    let e = client
        .upload_knowledge_content()
        .text("x")
        .metadata(json!(["not", "an", "object"]))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("JSON object"), "{e}");
    let e = client
        .upload_knowledge_content()
        .text("x")
        .chunk_size(10)
        .chunk_overlap(10)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("chunk_overlap"), "{e}");
    let e = client
        .upload_knowledge_content()
        .text("x")
        .chunk_size(0)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("chunk_size"), "{e}");
}

#[tokio::test]
async fn server_errors_map_to_typed_http_errors() {
    let (client, _) = scripted(vec![
        mock::error(
            503,
            "No knowledge base is available on this AgentOS. A Knowledge is served over /knowledge only once it has a contents_db",
        ),
        mock::error(400, "Provide a file, text_content, or URL to upload."),
        mock::error(404, "Content not found: nope"),
    ]);
    let e = client.list_knowledge_content().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert!(
        e.http()
            .unwrap()
            .message()
            .unwrap()
            .contains("No knowledge base")
    );
    let e = client
        .upload_knowledge_content()
        .url("[]")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    let e = client.get_knowledge_content("nope").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert_eq!(e.http().unwrap().route, "/knowledge/content/{content_id}");
}

#[tokio::test]
async fn remote_upload_sends_form_fields() {
    let (client, seen) = recording(|_| mock::json(202, content_json("r1", "processing")));
    client
        .upload_remote_content("gh", "docs/")
        .source_params(json!({"repo": "owner/name"}))
        .name("docs")
        .metadata(json!({"k": 1}))
        .chunker("RecursiveChunker")
        .knowledge_id("kb")
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(path(&seen[0]), "/knowledge/remote-content");
    assert_eq!(query(&seen[0]), pairs(&[("knowledge_id", "kb")]));
    assert_eq!(
        mock::form_fields(&seen[0]),
        pairs(&[
            ("config_id", "gh"),
            ("path", "docs/"),
            ("source_params", r#"{"repo":"owner/name"}"#),
            ("name", "docs"),
            ("metadata", r#"{"k":1}"#),
            ("chunker", "RecursiveChunker"),
        ])
    );
    let client = silent();
    let e = client.upload_remote_content("", "x").await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client
        .upload_remote_content("s3", "x")
        .source_params("repo")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("source_params"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Reading, updating, deleting
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_sends_a_form_patch() {
    let (client, seen) = recording(|_| mock::json(200, content_json("c?1", "completed")));
    let c = client
        .update_knowledge_content("c?1")
        .name("renamed")
        .description("d")
        .metadata(json!({"k": 2}))
        .reader_id("text")
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(c.size_bytes(), Some(43));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].method, Method::PATCH);
    assert_eq!(path(&seen[0]), "/knowledge/content/c%3F1");
    assert_eq!(query(&seen[0]), pairs(&[("db_id", "db")]));
    assert!(matches!(seen[0].body, Body::Form(_)));
    assert_eq!(
        mock::form_fields(&seen[0]),
        pairs(&[
            ("name", "renamed"),
            ("description", "d"),
            ("metadata", r#"{"k":2}"#),
            ("reader_id", "text"),
        ])
    );
    let e = silent()
        .update_knowledge_content("c1")
        .metadata(3)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn single_content_routes_use_their_paths_and_params() {
    let (client, seen) = recording(|req| match req.method {
        Method::GET if req.url.contains("/status") => status_json("completed", ""),
        Method::DELETE => mock::json(200, json!({"id": "c1"})),
        Method::POST => mock::json(
            202,
            json!({"id": "c1", "name": "n", "status": "processing"}),
        ),
        _ => mock::json(200, content_json("c1", "completed")),
    });
    let got = client
        .get_knowledge_content("c1")
        .knowledge_id("kb")
        .await
        .unwrap();
    assert_eq!(got.user_metadata()["topic"], "birds");
    let status = client
        .get_knowledge_content_status("c1")
        .knowledge_id("kb")
        .await
        .unwrap();
    assert_eq!(status.status, ContentStatus::Completed);
    let refreshed = client
        .refresh_knowledge_content("c1")
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(refreshed.status, Some(ContentStatus::Processing));
    let deleted = client
        .delete_knowledge_content("c1")
        .knowledge_id("kb")
        .await
        .unwrap();
    assert_eq!(deleted.id, "c1");
    assert_eq!(deleted.name, None);
    let seen = seen.lock().unwrap().clone();
    type Sent<'a> = (Method, &'a str, Vec<(String, String)>);
    let got: Vec<Sent<'_>> = seen
        .iter()
        .map(|r| (r.method.clone(), path(r), query(r)))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Method::GET,
                "/knowledge/content/c1",
                pairs(&[("knowledge_id", "kb")])
            ),
            (
                Method::GET,
                "/knowledge/content/c1/status",
                pairs(&[("knowledge_id", "kb")])
            ),
            (
                Method::POST,
                "/knowledge/content/c1/refresh",
                pairs(&[("db_id", "db")])
            ),
            (
                Method::DELETE,
                "/knowledge/content/c1",
                pairs(&[("knowledge_id", "kb")])
            ),
        ]
    );
    let e = silent().get_knowledge_content("").await.unwrap_err();
    assert!(e.to_string().contains("content_id"), "{e}");
}

#[tokio::test]
async fn delete_all_accepts_the_bare_success_string() {
    let (client, seen) = recording(|_| mock::json(200, json!("success")));
    client
        .delete_all_knowledge_content()
        .knowledge_id("kb")
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].method, Method::DELETE);
    assert_eq!(path(&seen[0]), "/knowledge/content");
    assert_eq!(query(&seen[0]), pairs(&[("knowledge_id", "kb")]));
}

#[tokio::test]
async fn list_sends_paging_and_sorting() {
    let (client, seen) =
        recording(|_| mock::json(200, page_json(vec![content_json("c1", "completed")], 2, 3)));
    let page = client
        .list_knowledge_content()
        .limit(1)
        .page(2)
        .sort_by("name")
        .sort_order(SortOrder::Asc)
        .parent_id("site")
        .knowledge_id("kb")
        .await
        .unwrap();
    assert_eq!(page.data[0].id, "c1");
    assert!(page.has_next());
    assert_eq!(
        query(&seen.lock().unwrap()[0]),
        pairs(&[
            ("limit", "1"),
            ("page", "2"),
            ("sort_by", "name"),
            ("sort_order", "asc"),
            ("parent_id", "site"),
            ("knowledge_id", "kb"),
        ])
    );
    let e = silent().list_knowledge_content().page(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn list_stream_walks_every_page_lazily() {
    let (client, seen) = recording(|req| {
        let page: u32 = mock::query_value(req, "page").unwrap_or(1);
        mock::json(
            200,
            page_json(
                vec![content_json(&format!("c{page}"), "completed")],
                page,
                3,
            ),
        )
    });
    let all: Vec<_> = client
        .list_knowledge_content()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    assert_eq!(seen.lock().unwrap().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

fn hit(content_id: &str) -> Value {
    json!({"id": null, "content": "text", "name": "n", "meta_data": {"chunk": 1},
           "usage": null, "reranking_score": null, "content_id": content_id,
           "content_origin": null, "size": null})
}

#[tokio::test]
async fn search_puts_everything_in_the_json_body() {
    let (client, seen) = recording(|_| mock::json(200, page_json(vec![hit("c1")], 1, 1)));
    let page = client
        .search_knowledge("ostriches fly")
        .search_type(SearchType::Keyword)
        .filters(json!({"topic": "birds"}))
        .max_results(50)
        .limit(5)
        .page(2)
        .vector_db_ids(["fixture-lancedb"])
        .knowledge_id("kb")
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(page.data[0].content_id.as_deref(), Some("c1"));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(path(&seen[0]), "/knowledge/search");
    assert!(
        query(&seen[0]).is_empty(),
        "knowledge_id/db_id go in the body"
    );
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({
            "query": "ostriches fly", "search_type": "keyword", "filters": {"topic": "birds"},
            "max_results": 50, "vector_db_ids": ["fixture-lancedb"], "knowledge_id": "kb",
            "db_id": "db", "meta": {"limit": 5, "page": 2}
        })
    );
}

#[tokio::test]
async fn a_plain_search_sends_the_query_with_the_default_type_and_may_be_retried() {
    // A 503 then an answer: a search is read-only, so the retry layer may repeat it.
    let (client, seen) = scripted_with(
        RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        vec![
            mock::error(503, "busy"),
            mock::json(200, page_json(vec![hit("c1")], 1, 1)),
        ],
    );
    client.search_knowledge("q").await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the search was retried once");
    // The type is always sent (vector by default): agno keeps the last search's type on the
    // shared vector db, so a search without one would silently reuse it.
    assert_eq!(
        mock::json_body(&seen[1]).unwrap(),
        json!({"query": "q", "search_type": "vector"})
    );
}

#[tokio::test]
async fn bad_searches_are_refused_before_sending() {
    let client = silent();
    for (what, call) in [
        ("empty query", client.search_knowledge(" ")),
        ("max_results 0", client.search_knowledge("q").max_results(0)),
        (
            "max_results 1001",
            client.search_knowledge("q").max_results(1001),
        ),
        ("limit 0", client.search_knowledge("q").limit(0)),
        ("page 0", client.search_knowledge("q").page(0)),
        (
            "filters",
            client.search_knowledge("q").filters("topic=birds"),
        ),
    ] {
        let e = call.await.unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{what}: {e:?}");
    }
}

#[tokio::test]
async fn search_pages_advance_the_page_in_the_body() {
    let (client, seen) = recording(|req| {
        let page = mock::json_body(req).unwrap()["meta"]["page"]
            .as_u64()
            .unwrap() as u32;
        mock::json(200, page_json(vec![hit(&format!("c{page}"))], page, 3))
    });
    let hits: Vec<_> = client
        .search_knowledge("q")
        .search_type(SearchType::Vector)
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = hits.iter().map(|h| h.content_id.clone().unwrap()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    let bodies: Vec<Value> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|r| mock::json_body(r).unwrap())
        .collect();
    for (i, b) in bodies.iter().enumerate() {
        assert_eq!(b["meta"], json!({"limit": 1, "page": i + 1}));
        assert_eq!(b["search_type"], "vector");
    }
}

#[tokio::test]
async fn search_pages_start_at_the_chosen_page() {
    let (client, seen) = recording(|req| {
        let page = mock::json_body(req).unwrap()["meta"]["page"]
            .as_u64()
            .unwrap() as u32;
        let data = if page <= 3 {
            vec![hit(&format!("c{page}"))]
        } else {
            vec![]
        };
        mock::json(200, page_json(data, page, 3))
    });
    let pages: Vec<_> = client
        .search_knowledge("q")
        .limit(1)
        .page(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = pages
        .iter()
        .map(|p| p.data[0].content_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["c2", "c3"]);
    let asked: Vec<u64> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|r| {
            mock::json_body(r).unwrap()["meta"]["page"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(asked[..2], [2, 3]);
}

// ---------------------------------------------------------------------------------------------
// Waiting
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn wait_polls_until_completed() {
    let (client, seen) = scripted(vec![
        status_json("processing", ""),
        status_json("processing", ""),
        status_json("completed", ""),
    ]);
    let done = client
        .wait_for_knowledge_content("c1")
        .poll_interval(Duration::from_millis(1))
        .knowledge_id("kb")
        .await
        .unwrap();
    assert_eq!(done.status, ContentStatus::Completed);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|r| path(r) == "/knowledge/content/c1/status"
                && query(r) == pairs(&[("knowledge_id", "kb")]))
    );
}

#[tokio::test]
async fn wait_returns_partial_as_final() {
    let (client, _) = scripted(vec![status_json("partial", "3 of 4 pages loaded")]);
    let s = client.wait_for_knowledge_content("c1").await.unwrap();
    assert_eq!(s.status, ContentStatus::Partial);
    assert_eq!(s.status_message, "3 of 4 pages loaded");
}

#[tokio::test]
async fn wait_fails_with_the_servers_message() {
    let (client, _) = scripted(vec![
        status_json("processing", ""),
        status_json("failed", "`pypdf` not installed."),
    ]);
    let e = client
        .wait_for_knowledge_content("c9")
        .poll_interval(Duration::from_millis(1))
        .await
        .unwrap_err();
    match e {
        Error::JobFailed { what, message } => {
            assert_eq!(what, "knowledge content c9");
            assert_eq!(message, "`pypdf` not installed.");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wait_gives_up_after_max_wait() {
    let (client, seen) = scripted(vec![status_json("processing", "")]);
    let e = client
        .wait_for_knowledge_content("c1")
        .poll_interval(Duration::from_millis(5))
        .max_wait(Duration::from_millis(40))
        .await
        .unwrap_err();
    match e {
        Error::WaitTimeout { what, waited } => {
            assert_eq!(what, "knowledge content c1");
            assert!(waited >= Duration::from_millis(40), "{waited:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(seen.lock().unwrap().len() >= 3);
}

#[tokio::test]
async fn wait_tolerates_a_404_only_before_the_content_appears() {
    // Not written yet, then processing, then completed.
    let (client, _) = scripted(vec![
        mock::error(404, "Content not found: c1"),
        status_json("processing", ""),
        status_json("completed", ""),
    ]);
    let s = client
        .wait_for_knowledge_content("c1")
        .poll_interval(Duration::from_millis(1))
        .await
        .unwrap();
    assert_eq!(s.status, ContentStatus::Completed);

    // Seen, then gone (deleted meanwhile): the 404 ends the wait.
    let (client, _) = scripted(vec![
        status_json("processing", ""),
        mock::error(404, "Content not found: c1"),
    ]);
    let e = client
        .wait_for_knowledge_content("c1")
        .poll_interval(Duration::from_millis(1))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");

    // Never there: the 404 surfaces once the grace period is over.
    let (client, seen) = scripted(vec![mock::error(404, "Content not found: c1")]);
    let e = client
        .wait_for_knowledge_content("c1")
        .poll_interval(Duration::from_millis(5))
        .not_found_grace(Duration::from_millis(30))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(seen.lock().unwrap().len() >= 2);

    // Other errors end the wait at once.
    let (client, seen) = scripted(vec![mock::error(503, "No knowledge base is available")]);
    let e = client.wait_for_knowledge_content("c1").await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Config and sources
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn config_and_sources_routes() {
    let (client, seen) = recording(|req| {
        let p = path(req).to_owned();
        if p == "/knowledge/config" {
            mock::json(
                200,
                json!({"readers": {}, "readersForType": {".md": ["markdown"]},
                "chunkers": {}, "filters": ["topic"], "vector_dbs": [], "remote_content_sources": null}),
            )
        } else if p.ends_with("/files") {
            mock::json(
                200,
                json!({"source_id": "s3", "source_name": "S3", "prefix": "docs/",
                "folders": [], "files": [{"key": "docs/a.txt", "name": "a.txt", "size": 3}],
                "meta": {"page": 1, "limit": 10, "total_pages": 1, "total_count": 1}}),
            )
        } else {
            mock::json(
                200,
                json!([{"id": "s3", "name": "S3", "type": "s3", "metadata": null, "prefix": null}]),
            )
        }
    });
    let config = client
        .get_knowledge_config()
        .knowledge_id("kb")
        .await
        .unwrap();
    assert_eq!(config.readers_for_type[".md"], ["markdown"]);
    assert_eq!(config.filters, ["topic"]);
    let sources = client
        .list_knowledge_sources("kb?1")
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(sources[0].source_type, crate::SourceType::S3);
    let files = client
        .list_knowledge_source_files("kb", "s3")
        .prefix("docs/")
        .delimiter("/")
        .limit(10)
        .page(1)
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(files.files[0].key, "docs/a.txt");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(path(&seen[0]), "/knowledge/config");
    assert_eq!(query(&seen[0]), pairs(&[("knowledge_id", "kb")]));
    assert_eq!(path(&seen[1]), "/knowledge/kb%3F1/sources");
    assert_eq!(query(&seen[1]), pairs(&[("db_id", "db")]));
    assert_eq!(path(&seen[2]), "/knowledge/kb/sources/s3/files");
    assert_eq!(
        query(&seen[2]),
        pairs(&[
            ("prefix", "docs/"),
            ("delimiter", "/"),
            ("limit", "10"),
            ("page", "1"),
            ("db_id", "db"),
        ])
    );
    let client = silent();
    let e = client
        .list_knowledge_source_files("kb", "s3")
        .limit(1001)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.list_knowledge_sources("").await.unwrap_err();
    assert!(e.to_string().contains("knowledge_id"), "{e}");
}

#[test]
fn progress_reports_fractions() {
    let p = UploadProgress::new(25, 100);
    assert_eq!(p.fraction(), 0.25);
    assert_eq!(p.percent(), 25.0);
    assert!(!p.is_complete());
    assert!(UploadProgress::new(100, 100).is_complete());
    assert_eq!(UploadProgress::new(0, 0).fraction(), 1.0);
}

#[test]
fn routes_cover_the_thirteen_operations() {
    assert_eq!(crate::ROUTES.len(), 13);
    let unique: std::collections::BTreeSet<_> = crate::ROUTES.iter().collect();
    assert_eq!(unique.len(), 13);
}

// ---------------------------------------------------------------------------------------------
// A real multipart upload over the reqwest transport, to a loopback server
// ---------------------------------------------------------------------------------------------

/// Reads one HTTP/1.1 request (headers and a Content-Length body) and answers 202 with
/// `answer`; returns the raw request bytes.
async fn serve_one(listener: tokio::net::TcpListener, answer: Value) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut sock, _) = listener.accept().await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let (head_end, body_len) = loop {
        let n = sock.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the client closed early");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse::<usize>().unwrap())
                .expect("a multipart upload with a known length");
            break (pos + 4, len);
        }
    };
    while buf.len() < head_end + body_len {
        let n = sock.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the client closed early");
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = answer.to_string();
    let resp = format!(
        "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    sock.write_all(resp.as_bytes()).await.unwrap();
    buf
}

#[tokio::test]
async fn a_file_streams_through_reqwest_with_progress_to_the_end() {
    let data: Vec<u8> = (0..300_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let file = temp_file("stream.txt", &data);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve_one(listener, content_json("s1", "processing")));
    let client = AgentOsClient::new(url).unwrap();
    let reports: Arc<Mutex<Vec<UploadProgress>>> = Arc::default();
    let log = reports.clone();
    let c = client
        .upload_knowledge_content()
        .file(&*file)
        .name("streamed")
        .progress(move |p| log.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(c.id, "s1");
    let raw = server.await.unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.starts_with("POST /knowledge/content HTTP/1.1"),
        "{}",
        &text[..80]
    );
    assert!(text.contains("multipart/form-data; boundary="));
    assert!(text.contains("name=\"name\"\r\n\r\nstreamed"));
    assert!(text.contains("name=\"file\"; filename=\"stream.txt\""));
    assert!(text.contains("Content-Type: text/plain"));
    // Every byte of the file is in the body, unchanged.
    assert!(raw.windows(data.len()).any(|w| w == data.as_slice()));
    let reports = reports.lock().unwrap();
    assert_eq!(reports.first(), Some(&UploadProgress::new(0, 300_000)));
    assert_eq!(reports.last(), Some(&UploadProgress::new(300_000, 300_000)));
    assert!(
        reports.len() >= 3,
        "reported as it streamed: {}",
        reports.len()
    );
    assert!(reports.windows(2).all(|w| w[0].sent <= w[1].sent));
}
