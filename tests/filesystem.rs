//! Integration tests of the filesystem (agent workspace) routes against the real AgentOS. The
//! fixture gives `knowledge-agent` a read-only workspace, namespace `fixture-files`, seeded at
//! startup with four files (below); the routes are read-only, so the tests share it freely.

mod common;

use std::collections::HashSet;

use agentos::filesystem::{FileSortBy, FilesystemExt};
use agentos::{AgentOsClient, Error, SortOrder};
use futures::TryStreamExt;

const NAMESPACE: &str = "fixture-files";
const AGENT: &str = "knowledge-agent";
const README: &str = "# Fixture files\nA few files for the /filesystem routes.\n";
const ALPHA: &str = "alpha line one\nthe needle is here\nalpha line three\n";
const BETA: &str = "beta line one\nbeta line two\n";

fn numbers() -> String {
    (1..=200).map(|i| format!("line {i:03}\n")).collect()
}

fn status(e: &Error) -> Option<u16> {
    e.status().map(|s| s.as_u16())
}

#[tokio::test]
async fn files_are_listed_searched_sorted_and_paged() {
    let client = common::client();
    let page = client
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .await
        .unwrap();
    let paths: HashSet<_> = page.entries.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        HashSet::from([
            "README.md",
            "notes/alpha.txt",
            "notes/beta.txt",
            "data/numbers.txt"
        ])
    );
    assert_eq!(page.meta.total_count, Some(4));
    for f in &page.entries {
        assert_eq!(f.namespace, NAMESPACE);
        assert_eq!(f.agent_ids, [AGENT]);
        assert!(f.version.unwrap() >= 1);
        assert!(f.updated_at.is_some());
        assert_eq!(f.snippet, None);
    }
    let numbers_file = page
        .entries
        .iter()
        .find(|f| f.path == "data/numbers.txt")
        .unwrap();
    assert_eq!(numbers_file.size_bytes, numbers().len() as u64);

    // By agent: the same files.
    let by_agent = client
        .list_filesystem_files()
        .agent_id(AGENT)
        .await
        .unwrap();
    assert_eq!(by_agent.entries.len(), 4);

    // A content query: only matching files, with where they match.
    let hits = client
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .query("needle")
        .await
        .unwrap();
    assert_eq!(hits.entries.len(), 1);
    assert_eq!(hits.entries[0].path, "notes/alpha.txt");
    assert_eq!(hits.entries[0].line, Some(2));
    assert_eq!(hits.entries[0].match_count, Some(1));
    assert!(
        hits.entries[0]
            .snippet
            .as_deref()
            .unwrap()
            .contains("needle")
    );

    // Sorted by size, both ways.
    let ascending: Vec<_> = client
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .sort_by(FileSortBy::Size)
        .sort_order(SortOrder::Asc)
        .await
        .unwrap()
        .entries
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert_eq!(
        ascending,
        [
            "notes/beta.txt",
            "notes/alpha.txt",
            "README.md",
            "data/numbers.txt"
        ]
    );
    let descending = client
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .sort_by(FileSortBy::Size)
        .sort_order(SortOrder::Desc)
        .await
        .unwrap();
    assert_eq!(descending.entries[0].path, "data/numbers.txt");

    // Paged one by one, the stream walks every `entries` page.
    let pages: Vec<_> = client
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .limit(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 4);
    assert!(pages.iter().all(|p| p.entries.len() == 1));
    let streamed: HashSet<_> = client
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .limit(3)
        .into_stream()
        .map_ok(|f| f.path)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 4);
    let second = client
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .limit(3)
        .page(2)
        .await
        .unwrap();
    assert_eq!(second.entries.len(), 1);

    // Unknown namespaces list nothing; agents without a workspace are 404.
    let none = client
        .list_filesystem_files()
        .namespace("no-such-ns")
        .await
        .unwrap();
    assert!(none.entries.is_empty());
    let e = client
        .list_filesystem_files()
        .agent_id("echo-agent")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

#[tokio::test]
async fn directories_are_listed_with_usage() {
    let client = common::client();
    let root = client
        .list_filesystem_entries()
        .namespace(NAMESPACE)
        .await
        .unwrap();
    assert_eq!(root.namespace, NAMESPACE);
    assert_eq!(root.agent_ids, [AGENT]);
    assert_eq!(root.directory, "");
    let entries: Vec<_> = root
        .entries
        .iter()
        .map(|e| (e.path.as_str(), e.is_dir()))
        .collect();
    assert_eq!(
        entries,
        [("data", true), ("notes", true), ("README.md", false)],
        "directories first"
    );
    let notes_dir = &root.entries[1];
    assert_eq!(
        notes_dir.size_bytes,
        Some((ALPHA.len() + BETA.len()) as u64)
    );
    assert_eq!(notes_dir.version, None);
    assert_eq!(root.usage.file_count, 4);
    assert_eq!(
        root.usage.total_bytes,
        (README.len() + ALPHA.len() + BETA.len() + numbers().len()) as u64
    );
    assert!(root.usage.bytes_limit > root.usage.total_bytes);

    // By agent alone (its first filesystem), in a sub-directory, sorted by size.
    let notes = client
        .list_filesystem_entries()
        .agent_id(AGENT)
        .directory("notes")
        .sort_by(FileSortBy::Size)
        .sort_order(SortOrder::Desc)
        .await
        .unwrap();
    assert_eq!(notes.directory, "notes");
    let paths: Vec<_> = notes.entries.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["notes/alpha.txt", "notes/beta.txt"]);
    assert!(
        notes
            .entries
            .iter()
            .all(|e| !e.is_dir() && e.version.is_some())
    );

    let pages: Vec<_> = client
        .list_filesystem_entries()
        .namespace(NAMESPACE)
        .agent_id(AGENT)
        .limit(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let all: Vec<_> = client
        .list_filesystem_entries()
        .namespace(NAMESPACE)
        .limit(2)
        .into_stream()
        .map_ok(|e| e.path)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, ["data", "notes", "README.md"]);

    let empty = client
        .list_filesystem_entries()
        .namespace(NAMESPACE)
        .directory("no-such-dir")
        .await
        .unwrap();
    assert!(empty.entries.is_empty());
    let e = client
        .list_filesystem_entries()
        .namespace("no-such-ns")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client.list_filesystem_entries().await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn files_are_read_in_pieces_or_whole() {
    let client = common::client();
    let readme = client
        .read_filesystem_content("README.md")
        .namespace(NAMESPACE)
        .await
        .unwrap();
    assert_eq!(readme.content, README);
    assert_eq!(readme.path, "README.md");
    assert_eq!(readme.line_count, 2);
    assert!(!readme.truncated);
    assert_eq!(readme.next_offset, None);
    assert_eq!(readme.size_bytes, README.len() as u64);

    let text = numbers();
    let piece = client
        .read_filesystem_content("data/numbers.txt")
        .agent_id(AGENT)
        .offset(9)
        .limit(18)
        .await
        .unwrap();
    assert_eq!(piece.content, &text[9..27]);
    assert_eq!(piece.content, "line 002\nline 003\n");
    assert!(piece.truncated);
    assert_eq!(
        (piece.offset, piece.limit, piece.next_offset),
        (9, 18, Some(27))
    );
    assert_eq!(piece.line_count, 200);

    let whole = client
        .read_filesystem_content("data/numbers.txt")
        .namespace(NAMESPACE)
        .limit(250)
        .read_all()
        .await
        .unwrap();
    assert_eq!(whole, text);
    let tail = client
        .read_filesystem_content("data/numbers.txt")
        .namespace(NAMESPACE)
        .offset(1791)
        .limit(100)
        .read_all()
        .await
        .unwrap();
    assert_eq!(tail, "line 200\n");

    let e = client
        .read_filesystem_content("missing.txt")
        .namespace(NAMESPACE)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client
        .read_filesystem_content("../escape.txt")
        .namespace(NAMESPACE)
        .await
        .unwrap_err();
    assert_eq!(status(&e), Some(400), "{e}");
}

#[tokio::test]
async fn one_filesystem_is_searched_and_paged() {
    let client = common::client();
    let hits = client
        .search_filesystem("needle")
        .namespace(NAMESPACE)
        .await
        .unwrap();
    assert_eq!(hits.namespace, NAMESPACE);
    assert_eq!(hits.query, "needle");
    assert_eq!(hits.entries.len(), 1);
    let hit = &hits.entries[0];
    assert_eq!(hit.path, "notes/alpha.txt");
    assert_eq!(hit.line, Some(2));
    assert_eq!(hit.match_count, 1);
    assert_eq!(hit.size_bytes, ALPHA.len() as u64);
    assert!(hit.snippet.contains("the needle is here"));

    let in_data = client
        .search_filesystem("needle")
        .agent_id(AGENT)
        .directory("data")
        .await
        .unwrap();
    assert_eq!(in_data.directory, "data");
    assert!(in_data.entries.is_empty());

    // "line" is in three files.
    let pages: Vec<_> = client
        .search_filesystem("line")
        .namespace(NAMESPACE)
        .limit(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let counts: Vec<_> = client
        .search_filesystem("line")
        .namespace(NAMESPACE)
        .limit(2)
        .into_stream()
        .map_ok(|h| (h.path, h.match_count))
        .try_collect()
        .await
        .unwrap();
    let counts: HashSet<_> = counts.into_iter().collect();
    assert_eq!(
        counts,
        HashSet::from([
            ("data/numbers.txt".to_owned(), 200),
            ("notes/alpha.txt".to_owned(), 2),
            ("notes/beta.txt".to_owned(), 2),
        ])
    );
}

#[tokio::test]
async fn the_secured_instance_needs_its_key() {
    let anonymous = AgentOsClient::new(common::secured_url()).unwrap();
    let e = anonymous
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .await
        .unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    let files = common::secured_client()
        .list_filesystem_files()
        .namespace(NAMESPACE)
        .await
        .unwrap();
    assert_eq!(files.entries.len(), 4);
}
