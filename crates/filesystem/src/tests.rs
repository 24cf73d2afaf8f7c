//! Unit tests over the mock transport: what goes on the wire, the `entries` paging, and how
//! answers and errors map.

use agentos_core::mock::{self};
use agentos_core::{Error, HttpRequest, SortOrder};
use futures::TryStreamExt;
use serde_json::json;

use crate::{FileSortBy, FilesystemExt};
use agentos_core::mock::{never_called as silent, path, query, recording};

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn page_of(req: &HttpRequest) -> u32 {
    mock::query_value(req, "page").unwrap_or(1)
}

fn file_json(path: &str) -> serde_json::Value {
    json!({"namespace": "ns", "path": path, "agent_ids": ["a"], "size_bytes": 3,
           "version": 1, "updated_at": 1795896481, "user_id": null})
}

fn listing_json(entries: Vec<serde_json::Value>, page: u32, total_pages: u32) -> serde_json::Value {
    json!({
        "namespace": "ns", "agent_ids": ["a"], "directory": "notes", "entries": entries,
        "usage": {"file_count": 4, "total_bytes": 10, "bytes_limit": 100},
        "meta": {"page": page, "limit": 1, "total_pages": total_pages, "total_count": total_pages}
    })
}

fn content_json(content: &str, offset: u64, next: Option<u64>) -> serde_json::Value {
    json!({
        "namespace": "ns", "agent_ids": ["a"], "path": "d.txt", "content": content,
        "size_bytes": 9, "version": 1, "line_count": 1, "truncated": next.is_some(),
        "offset": offset, "limit": 3, "next_offset": next
    })
}

#[tokio::test]
async fn files_stream_walks_entries_pages() {
    let (client, seen) = recording(|req| {
        let page = page_of(req);
        mock::json(
            200,
            json!({"entries": [file_json(&format!("f{page}"))],
                   "meta": {"page": page, "limit": 1, "total_pages": 3, "total_count": 3}}),
        )
    });
    let files: Vec<_> = client
        .list_filesystem_files()
        .agent_id("a")
        .namespace("ns")
        .query("needle")
        .sort_by(FileSortBy::Size)
        .sort_order(SortOrder::Desc)
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
        ["f1", "f2", "f3"]
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(path(&seen[0]), "/filesystem/files");
    assert_eq!(
        query(&seen[2]),
        pairs(&[
            ("agent_id", "a"),
            ("namespace", "ns"),
            ("query", "needle"),
            ("sort_by", "size"),
            ("sort_order", "desc"),
            ("limit", "1"),
            ("page", "3"),
        ])
    );
}

#[tokio::test]
async fn paging_stops_on_a_repeated_or_empty_page() {
    // A server that ignores `page` and always answers the same page, claiming many.
    let (client, seen) = recording(|_| {
        mock::json(
            200,
            listing_json(vec![json!({"path": "notes/a", "type": "file"})], 1, 50),
        )
    });
    let pages: Vec<_> = client
        .list_filesystem_entries()
        .namespace("ns")
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(seen.lock().unwrap().len(), 2);

    let (client, seen) = recording(|req| {
        let entries = if page_of(req) == 1 {
            vec![json!({"path": "notes/a", "type": "file"})]
        } else {
            vec![]
        };
        mock::json(200, listing_json(entries, page_of(req), 9))
    });
    let entries: Vec<_> = client
        .list_filesystem_entries()
        .agent_id("a")
        .directory("notes")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        query(&seen[0]),
        pairs(&[("agent_id", "a"), ("directory", "notes"), ("page", "1")])
    );
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let (client, _) = recording(|_| mock::error(404, "Filesystem not found"));
    let mut pages = Box::pin(client.search_filesystem("x").namespace("nope").pages());
    let first = pages.try_next().await.unwrap_err();
    assert!(first.is_not_found());
    assert!(futures::StreamExt::next(&mut pages).await.is_none());
}

#[tokio::test]
async fn one_filesystem_must_be_named_and_inputs_are_checked() {
    let client = silent();
    let e = client.list_filesystem_entries().await.unwrap_err();
    assert!(
        matches!(&e, Error::InvalidRequest(m) if m.contains("namespace")),
        "{e:?}"
    );
    assert!(client.read_filesystem_content("a.txt").await.is_err());
    assert!(client.search_filesystem("x").await.is_err());
    let e = client
        .search_filesystem("")
        .namespace("ns")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("query"), "{e}");
    let long = "q".repeat(crate::MAX_QUERY_CHARS + 1);
    assert!(
        client
            .search_filesystem(long.clone())
            .namespace("ns")
            .await
            .is_err()
    );
    assert!(client.list_filesystem_files().query(long).await.is_err());
    assert!(client.list_filesystem_files().query("").await.is_err());
    assert!(
        client
            .read_filesystem_content("")
            .namespace("ns")
            .await
            .is_err()
    );
    for limit in [0, crate::MAX_CONTENT_CHARS + 1] {
        let e = client
            .read_filesystem_content("a.txt")
            .namespace("ns")
            .limit(limit)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("limit"), "{e}");
    }
    assert!(client.list_filesystem_files().page(0).await.is_err());
    assert!(
        client
            .list_filesystem_entries()
            .namespace("ns")
            .limit(0)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn content_reads_a_piece_or_the_whole_file() {
    let (client, seen) = recording(|req| {
        let offset: u64 = mock::query_value(req, "offset").unwrap_or(0);
        let text = "abcdefghi";
        let end = (offset + 3).min(9);
        let next = (end < 9).then_some(end);
        mock::json(
            200,
            content_json(&text[offset as usize..end as usize], offset, next),
        )
    });
    let piece = client
        .read_filesystem_content("d.txt")
        .namespace("ns")
        .user_id("u1")
        .offset(3)
        .limit(3)
        .await
        .unwrap();
    assert_eq!(piece.content, "def");
    assert_eq!(piece.next_offset, Some(6));
    let all = client
        .read_filesystem_content("d.txt")
        .agent_id("a")
        .limit(3)
        .read_all()
        .await
        .unwrap();
    assert_eq!(all, "abcdefghi");
    let seen = seen.lock().unwrap();
    assert_eq!(path(&seen[0]), "/filesystem/content");
    assert_eq!(
        query(&seen[0]),
        pairs(&[
            ("path", "d.txt"),
            ("namespace", "ns"),
            ("user_id", "u1"),
            ("offset", "3"),
            ("limit", "3"),
        ])
    );
    assert_eq!(seen.len(), 4, "one piece, then three for the whole file");
    assert_eq!(
        query(&seen[3]),
        pairs(&[
            ("path", "d.txt"),
            ("agent_id", "a"),
            ("limit", "3"),
            ("offset", "6")
        ])
    );
}

#[tokio::test]
async fn search_sends_its_filters() {
    let (client, seen) = recording(|_| {
        mock::json(
            200,
            json!({"namespace": "ns", "agent_ids": ["a"], "query": "needle", "directory": "notes",
                   "entries": [{"path": "notes/a", "size_bytes": 3, "snippet": "needle",
                                "line": 2, "match_count": 1, "user_id": null}],
                   "meta": {"page": 1, "limit": 5, "total_pages": 1, "total_count": 1}}),
        )
    });
    let hits = client
        .search_filesystem("needle")
        .namespace("ns")
        .directory("notes")
        .user_id("u1")
        .limit(5)
        .page(1)
        .await
        .unwrap();
    assert_eq!(hits.entries[0].line, Some(2));
    let seen = seen.lock().unwrap();
    assert_eq!(path(&seen[0]), "/filesystem/search");
    assert_eq!(
        query(&seen[0]),
        pairs(&[
            ("query", "needle"),
            ("namespace", "ns"),
            ("directory", "notes"),
            ("user_id", "u1"),
            ("limit", "5"),
            ("page", "1"),
        ])
    );
}
