#![cfg_attr(docsrs, feature(doc_cfg))]
//! The filesystem area of the AgentOS Rust SDK: [`FilesystemExt`] adds its calls to
//! [`AgentOsClient`].
//!
//! Agents can hold durable workspaces (`Agent(filesystem=...)`): files in a namespace of a
//! database or a local directory. These read-only routes browse them. A filesystem is
//! addressed by its `namespace` (listed in `GET /config` → `filesystem.namespaces`) and/or by
//! an agent that holds it; a caller sees only the filesystems of agents it may read. The
//! paged answers carry their items in `entries`, next to `meta`.
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_filesystem::FilesystemExt;
//!
//! let root = client.list_filesystem_entries().namespace("research-notes").await?;
//! for entry in &root.entries {
//!     println!("{}{}", entry.path, if entry.is_dir() { "/" } else { "" });
//! }
//! let text = client
//!     .read_filesystem_content("notes/summary.md")
//!     .namespace("research-notes")
//!     .read_all()
//!     .await?;
//! # Ok(()) }
//! ```

mod paging;
mod types;

use agentos_core::kit::CallKit;
use agentos_core::kit::decode_json;
use agentos_core::{AgentOsClient, Call, Error, Request, Result, SortOrder};

pub use types::{
    Extra, FileSortBy, FileSystemContent, FileSystemEntry, FileSystemEntryType, FileSystemFile,
    FileSystemFiles, FileSystemListing, FileSystemSearchHit, FileSystemSearchResults,
    FileSystemUsage,
};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    FILESYSTEM_FILES = "/filesystem/files": GET;
    FILESYSTEM_ENTRIES = "/filesystem/entries": GET;
    FILESYSTEM_CONTENT = "/filesystem/content": GET;
    FILESYSTEM_SEARCH = "/filesystem/search": GET;
}

/// The longest search query the server accepts, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most characters one content read returns.
pub const MAX_CONTENT_CHARS: u32 = 100_000;

fn invalid(msg: impl Into<String>) -> Error {
    Error::InvalidRequest(msg.into())
}

fn check_query(query: &str) -> Result<()> {
    let n = query.chars().count();
    if n == 0 || n > MAX_QUERY_CHARS {
        Err(invalid(format!(
            "the search query must be 1 to {MAX_QUERY_CHARS} characters long"
        )))
    } else {
        Ok(())
    }
}

/// The routes that address one filesystem need a namespace, an agent, or both.
fn check_target<T: Send + 'static>(call: Call<T>) -> Call<T> {
    let addressed = call
        .request()
        .map(|r| r.query_value("namespace").is_some() || r.query_value("agent_id").is_some())
        .unwrap_or(true);
    if addressed {
        call
    } else {
        call.fail(invalid(
            "name the filesystem: set `namespace`, `agent_id`, or both",
        ))
    }
}

/// The filters every filesystem call takes (with `sorted`, also the sort options of the two
/// listings).
macro_rules! target_setters {
    ($ty:ident) => {
        impl $ty {
            /// The filesystem's namespace (as listed in `GET /config` → `filesystem.namespaces`).
            pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
                self.call = self.call.query("namespace", namespace.into());
                self
            }

            /// An agent that holds the filesystem (alone, it selects the agent's first one).
            pub fn agent_id(mut self, agent_id: impl Into<String>) -> Self {
                self.call = self.call.query("agent_id", agent_id.into());
                self
            }
        }
    };
    ($ty:ident, sorted) => {
        target_setters!($ty);

        impl $ty {
            /// The sort key (default: the path; in a directory listing, directories always
            /// come first).
            pub fn sort_by(mut self, sort_by: FileSortBy) -> Self {
                self.call = self.call.query("sort_by", sort_by.as_str());
                self
            }

            /// The sort direction (default ascending).
            pub fn sort_order(mut self, order: SortOrder) -> Self {
                self.call = self.call.query("sort_order", order);
                self
            }
        }
    };
}

/// `GET /filesystem/files`, from [`FilesystemExt::list_filesystem_files`]: one page, or every
/// page as a stream.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct ListFilesystemFiles {
    call: Call<FileSystemFiles>,
    query_error: Option<Error>,
}

target_setters!(ListFilesystemFiles, sorted);
agentos_core::impl_paged_builder!(ListFilesystemFiles => FileSystemFile, page FileSystemFiles);

impl ListFilesystemFiles {
    /// Only files whose content matches (1 to 200 characters); each file then carries a
    /// snippet, the line of the first match and the match count.
    pub fn query(mut self, query: impl Into<String>) -> Self {
        let query = query.into();
        self.query_error = check_query(&query).err();
        self.call = self.call.query("query", query);
        self
    }

    fn finish(self) -> Call<FileSystemFiles> {
        match self.query_error {
            Some(e) => self.call.fail(e),
            None => self.call,
        }
    }
}

/// `GET /filesystem/entries`, from [`FilesystemExt::list_filesystem_entries`]: one page, or
/// every page as a stream.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct ListFilesystemEntries {
    call: Call<FileSystemListing>,
}

target_setters!(ListFilesystemEntries, sorted);
agentos_core::impl_paged_builder!(ListFilesystemEntries => FileSystemEntry, page FileSystemListing);

agentos_core::query_setters!(ListFilesystemEntries {
    /// The directory to list, relative to the root (default: the root).
    directory,
});

impl ListFilesystemEntries {
    fn finish(self) -> Call<FileSystemListing> {
        check_target(self.call)
    }
}

/// `GET /filesystem/content`, from [`FilesystemExt::read_filesystem_content`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct ReadFilesystemContent {
    call: Call<FileSystemContent>,
}

target_setters!(ReadFilesystemContent);

agentos_core::query_setters!(ReadFilesystemContent {
    /// The user partition to read (your own, or any user's for an admin; default: the
    /// shared partition, or yours under user isolation).
    user_id,
});

impl ReadFilesystemContent {
    /// The character offset to start at (default 0).
    pub fn offset(mut self, offset: u64) -> Self {
        self.call = self.call.query("offset", offset);
        self
    }

    /// The most characters to return (1 to 100000, the default).
    pub fn limit(mut self, limit: u32) -> Self {
        if (1..=MAX_CONTENT_CHARS).contains(&limit) {
            self.call = self.call.query("limit", limit);
        } else {
            self.call = self.call.fail(invalid(format!(
                "limit must be between 1 and {MAX_CONTENT_CHARS} characters, got {limit}"
            )));
        }
        self
    }

    /// Reads the whole file, piece after piece (following `next_offset` from this call's
    /// offset), and returns its text.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_filesystem::FilesystemExt;
    /// let log = client
    ///     .read_filesystem_content("logs/run.log")
    ///     .agent_id("my-agent")
    ///     .read_all()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn read_all(self) -> Result<String> {
        let call = self.finish();
        let mut text = String::new();
        let mut piece = call.clone().send().await?;
        loop {
            text.push_str(&piece.content);
            match piece.next_offset {
                Some(next) if next > piece.offset && piece.truncated => {
                    piece = call.clone().query("offset", next).send().await?;
                }
                _ => return Ok(text),
            }
        }
    }

    fn finish(self) -> Call<FileSystemContent> {
        check_target(self.call)
    }
}

/// `GET /filesystem/search`, from [`FilesystemExt::search_filesystem`]: one page, or every
/// page as a stream.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct SearchFilesystem {
    call: Call<FileSystemSearchResults>,
}

target_setters!(SearchFilesystem);
agentos_core::impl_paged_builder!(SearchFilesystem => FileSystemSearchHit, page FileSystemSearchResults);

agentos_core::query_setters!(SearchFilesystem {
    /// Searches only under this directory (default: everywhere).
    directory,
    /// The user partition to search (your own, or any user's for an admin).
    user_id,
});

impl SearchFilesystem {
    fn finish(self) -> Call<FileSystemSearchResults> {
        check_target(self.call)
    }
}

agentos_core::impl_call_builder!(ListFilesystemFiles => FileSystemFiles);
agentos_core::impl_call_builder!(ListFilesystemEntries => FileSystemListing);
agentos_core::impl_call_builder!(ReadFilesystemContent => FileSystemContent);
agentos_core::impl_call_builder!(SearchFilesystem => FileSystemSearchResults);

agentos_core::seal_extension_traits!();

/// The filesystem (agent workspace) calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait FilesystemExt: sealed::Sealed {
    /// `GET /filesystem/files`: the files of every workspace the caller can see, optionally
    /// narrowed to an agent or a namespace and searched by content, paged.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_core::SortOrder;
    /// use agentos_filesystem::{FileSortBy, FilesystemExt};
    /// let page = client
    ///     .list_filesystem_files()
    ///     .namespace("research-notes")
    ///     .query("deadline")
    ///     .sort_by(FileSortBy::UpdatedAt)
    ///     .sort_order(SortOrder::Desc)
    ///     .await?;
    /// for f in &page.entries {
    ///     println!("{} line {:?}: {:?}", f.path, f.line, f.snippet);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_filesystem_files(&self) -> ListFilesystemFiles;

    /// `GET /filesystem/entries`: the files and directories directly under a directory of
    /// one filesystem, with the filesystem's usage, paged. Name the filesystem with
    /// [`namespace`](ListFilesystemEntries::namespace) and/or
    /// [`agent_id`](ListFilesystemEntries::agent_id) (checked before sending).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_filesystem::FilesystemExt;
    /// let listing = client
    ///     .list_filesystem_entries()
    ///     .agent_id("research-agent")
    ///     .directory("notes")
    ///     .await?;
    /// println!("{} of {} bytes used", listing.usage.total_bytes, listing.usage.bytes_limit);
    /// # Ok(()) }
    /// ```
    fn list_filesystem_entries(&self) -> ListFilesystemEntries;

    /// `GET /filesystem/content`: a piece of one file (up to 100000 characters from an
    /// offset; [`ReadFilesystemContent::read_all`] reads the whole file). 404 when there is
    /// no such file.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_filesystem::FilesystemExt;
    /// let piece = client
    ///     .read_filesystem_content("notes/summary.md")
    ///     .namespace("research-notes")
    ///     .offset(0)
    ///     .limit(2000)
    ///     .await?;
    /// if piece.truncated {
    ///     println!("continues at {:?}", piece.next_offset);
    /// }
    /// # Ok(()) }
    /// ```
    fn read_filesystem_content(&self, path: impl Into<String>) -> ReadFilesystemContent;

    /// `GET /filesystem/search`: the files of one filesystem whose content matches `query`
    /// (1 to 200 characters, checked before sending), paged.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_filesystem::FilesystemExt;
    /// let hits = client
    ///     .search_filesystem("deadline")
    ///     .namespace("research-notes")
    ///     .directory("notes")
    ///     .await?;
    /// for h in &hits.entries {
    ///     println!("{}:{:?} ({} matches)", h.path, h.line, h.match_count);
    /// }
    /// # Ok(()) }
    /// ```
    fn search_filesystem(&self, query: impl Into<String>) -> SearchFilesystem;
}

impl FilesystemExt for AgentOsClient {
    fn list_filesystem_files(&self) -> ListFilesystemFiles {
        ListFilesystemFiles {
            call: Call::new(
                self,
                Request::get(route::FILESYSTEM_FILES, &[]),
                decode_json,
            ),
            query_error: None,
        }
    }

    fn list_filesystem_entries(&self) -> ListFilesystemEntries {
        ListFilesystemEntries {
            call: Call::new(
                self,
                Request::get(route::FILESYSTEM_ENTRIES, &[]),
                decode_json,
            ),
        }
    }

    fn read_filesystem_content(&self, path: impl Into<String>) -> ReadFilesystemContent {
        let path = path.into();
        let call = Call::new(
            self,
            Request::get(route::FILESYSTEM_CONTENT, &[]),
            decode_json,
        );
        let call = if path.is_empty() {
            call.fail(invalid("the file path must not be empty"))
        } else {
            call.query("path", path)
        };
        ReadFilesystemContent { call }
    }

    fn search_filesystem(&self, query: impl Into<String>) -> SearchFilesystem {
        let query = query.into();
        let call = Call::new(
            self,
            Request::get(route::FILESYSTEM_SEARCH, &[]),
            decode_json,
        );
        let call = match check_query(&query) {
            Ok(()) => call.query("query", query),
            Err(e) => call.fail(e),
        };
        SearchFilesystem { call }
    }
}

#[cfg(test)]
mod tests;
