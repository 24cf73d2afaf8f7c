//! The types of the filesystem routes. Timestamps are epoch seconds on the wire. The paged
//! answers carry their items in `entries` (not `data`) next to `meta`.

use agentos_core::kit::de::{empty_as_none, null_default};
use agentos_core::{PageMeta, Timestamp};
use serde::{Deserialize, Serialize};

pub use agentos_core::Extra;

agentos_core::response_types! {
    // What a file has as listed and as read.
    shared {
        /// The filesystem's namespace.
        pub namespace: String,
        /// The path inside it, e.g. `notes/alpha.txt`.
        pub path: String,
        /// The agents that hold the filesystem.
        #[serde(default, deserialize_with = "null_default")]
        pub agent_ids: Vec<String>,
        /// The whole file's size in bytes.
        #[serde(default)]
        pub size_bytes: u64,
        /// The file's version (it grows with each write).
        pub version: Option<u64>,
        /// When it was last written.
        pub updated_at: Option<Timestamp>,
        /// The user partition it lives in; `None` for the shared one.
        #[serde(default, deserialize_with = "empty_as_none")]
        pub user_id: Option<String>,
    }

    /// A file of an agent workspace, as `list_filesystem_files` lists it (`FileSystemTableEntry`).
    pub struct FileSystemFile {
        ..shared,
        /// With a search query: the text around the first match.
        pub snippet: Option<String>,
        /// With a search query: the line of the first match, from 1.
        pub line: Option<u64>,
        /// With a search query: how many lines match.
        pub match_count: Option<u64>,
    }

    /// A piece of one file (`FileSystemContentResponse`). Offsets count characters.
    pub struct FileSystemContent {
        ..shared,
        /// The characters from `offset`, at most `limit` of them.
        pub content: String,
        /// How many lines the whole file has.
        #[serde(default)]
        pub line_count: u64,
        /// True when the file goes on after this piece.
        #[serde(default)]
        pub truncated: bool,
        /// The character offset of this piece.
        #[serde(default)]
        pub offset: u64,
        /// The most characters asked for.
        #[serde(default)]
        pub limit: u64,
        /// Where the next piece starts, when there is one.
        pub next_offset: Option<u64>,
    }
}

/// A page of files across the workspaces the caller can see (`FileSystemTableResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileSystemFiles {
    /// The files.
    #[serde(default, deserialize_with = "null_default")]
    pub entries: Vec<FileSystemFile>,
    /// The paging information.
    #[serde(default)]
    pub meta: PageMeta,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

agentos_core::open_enum! {
    /// What a directory entry is.
    pub enum FileSystemEntryType {
        /// A file.
        File = "file",
        /// A directory (directories exist only through the files under them).
        Directory = "directory",
    }
}

/// One entry directly under a directory (`FileSystemEntry`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileSystemEntry {
    /// The path from the filesystem's root, e.g. `notes` or `notes/alpha.txt`.
    pub path: String,
    /// File or directory.
    #[serde(rename = "type")]
    pub entry_type: FileSystemEntryType,
    /// The size in bytes (for a directory, of everything under it).
    pub size_bytes: Option<u64>,
    /// The file's version (`None` for a directory).
    pub version: Option<u64>,
    /// When it (or, for a directory, its newest file) was last written.
    pub updated_at: Option<Timestamp>,
    /// The user partition; `None` for the shared one (or a directory several users share).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl FileSystemEntry {
    /// True for a directory.
    pub fn is_dir(&self) -> bool {
        self.entry_type == FileSystemEntryType::Directory
    }
}

/// How much of its quota a filesystem uses (`FileSystemUsage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileSystemUsage {
    /// How many files it holds.
    #[serde(default)]
    pub file_count: u64,
    /// Their total size in bytes.
    #[serde(default)]
    pub total_bytes: u64,
    /// The quota in bytes.
    #[serde(default)]
    pub bytes_limit: u64,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A page of the entries directly under one directory (`FileSystemListResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileSystemListing {
    /// The filesystem's namespace.
    pub namespace: String,
    /// The agents that hold it.
    #[serde(default, deserialize_with = "null_default")]
    pub agent_ids: Vec<String>,
    /// The directory listed (`""` for the root).
    #[serde(default)]
    pub directory: String,
    /// Directories first, then files.
    #[serde(default, deserialize_with = "null_default")]
    pub entries: Vec<FileSystemEntry>,
    /// The usage of the whole filesystem.
    pub usage: FileSystemUsage,
    /// The paging information.
    #[serde(default)]
    pub meta: PageMeta,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A file matching a search (`FileSystemSearchEntry`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileSystemSearchHit {
    /// The file's path.
    pub path: String,
    /// Its size in bytes.
    #[serde(default)]
    pub size_bytes: u64,
    /// The text around the first match.
    #[serde(default)]
    pub snippet: String,
    /// The line of the first match, from 1.
    pub line: Option<u64>,
    /// How many lines match.
    #[serde(default)]
    pub match_count: u64,
    /// The user partition; `None` for the shared one.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A page of search hits within one filesystem (`FileSystemSearchResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileSystemSearchResults {
    /// The filesystem's namespace.
    pub namespace: String,
    /// The agents that hold it.
    #[serde(default, deserialize_with = "null_default")]
    pub agent_ids: Vec<String>,
    /// The query.
    #[serde(default)]
    pub query: String,
    /// The directory searched (`""` for all).
    #[serde(default)]
    pub directory: String,
    /// The matching files.
    #[serde(default, deserialize_with = "null_default")]
    pub entries: Vec<FileSystemSearchHit>,
    /// The paging information.
    #[serde(default)]
    pub meta: PageMeta,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What a file listing is sorted by (the default is the path).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileSortBy {
    /// File or directory (ascending: directories first).
    Type,
    /// Size.
    Size,
    /// Last write.
    UpdatedAt,
}

impl FileSortBy {
    /// `type`, `size` or `updated_at`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileSortBy::Type => "type",
            FileSortBy::Size => "size",
            FileSortBy::UpdatedAt => "updated_at",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn listings_contents_and_hits_decode() {
        let l: FileSystemListing = serde_json::from_value(json!({
            "namespace": "ns", "agent_ids": ["a"], "directory": "",
            "entries": [
                {"path": "notes", "type": "directory", "size_bytes": 79, "version": null,
                 "updated_at": 1795896481, "user_id": null},
                {"path": "README.md", "type": "file", "size_bytes": 56, "version": 1,
                 "updated_at": 1795896481, "user_id": null},
                {"path": "x", "type": "symlink"}
            ],
            "usage": {"file_count": 4, "total_bytes": 1935, "bytes_limit": 20000000},
            "meta": {"page": 1, "limit": 50, "total_pages": 1, "total_count": 3}
        }))
        .unwrap();
        assert!(l.entries[0].is_dir());
        assert!(!l.entries[1].is_dir());
        assert_eq!(
            l.entries[2].entry_type,
            FileSystemEntryType::Unknown("symlink".into())
        );
        assert_eq!(l.usage.file_count, 4);
        assert_eq!(l.meta.total_count, Some(3));

        let c: FileSystemContent = serde_json::from_value(json!({
            "namespace": "ns", "agent_ids": ["a"], "path": "d.txt", "content": "ine 002\n",
            "size_bytes": 1800, "version": 1, "updated_at": 1795896481, "user_id": null,
            "line_count": 200, "truncated": true, "offset": 10, "limit": 8, "next_offset": 18
        }))
        .unwrap();
        assert_eq!(c.next_offset, Some(18));
        assert!(c.truncated);

        let s: FileSystemSearchResults = serde_json::from_value(json!({
            "namespace": "ns", "agent_ids": [], "query": "needle", "directory": "",
            "entries": [{"path": "a", "size_bytes": 1, "snippet": "the needle", "line": 2,
                         "match_count": 1, "user_id": null}],
            "meta": {"page": 1, "total_pages": 1}
        }))
        .unwrap();
        assert_eq!(s.entries[0].line, Some(2));
        assert_eq!(FileSortBy::UpdatedAt.as_str(), "updated_at");
    }
}
