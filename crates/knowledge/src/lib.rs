#![cfg_attr(docsrs, feature(doc_cfg))]
//! The knowledge area of the AgentOS Rust SDK: [`KnowledgeExt`] adds its calls to
//! [`AgentOsClient`].
//!
//! Upload content (a file streamed from disk, bytes, text or a URL), wait for its
//! asynchronous ingestion, search it (vector, keyword or hybrid), and manage it. Every call
//! takes the optional `knowledge_id` / `db_id` that choose the knowledge base (needed only
//! when the OS serves several; the ids are in `GET /config` → `knowledge`).
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_knowledge::{KnowledgeExt, SearchType};
//!
//! let content = client
//!     .upload_knowledge_content()
//!     .text("Ostriches cannot fly, but they run at 70 km/h.")
//!     .name("ostriches")
//!     .metadata(serde_json::json!({"topic": "birds"}))
//!     .await?;
//! client.wait_for_knowledge_content(&content.id).await?; // completed, or Error::JobFailed
//! let hits = client
//!     .search_knowledge("how fast do ostriches run")
//!     .search_type(SearchType::Vector)
//!     .filters(serde_json::json!({"topic": "birds"}))
//!     .await?;
//! assert_eq!(hits.data[0].content_id.as_deref(), Some(content.id.as_str()));
//! # Ok(()) }
//! ```
//!
//! Content ids are derived by the server from the name, description, metadata and the file
//! name or URL, not from the bytes: an upload under a name already in use is skipped and
//! answers with the existing id. Give each document its own name.

mod search;
mod types;
mod upload;
mod wait;

use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::{AgentOsClient, Call, Error, Page, Request};

pub use search::{MAX_SEARCH_RESULTS, SearchKnowledge};
pub use types::{
    AGNO_METADATA_KEY, ChunkerSchema, ContentResponseSchema, ContentStatus, ContentStatusResponse,
    Extra, KnowledgeConfigResponse, ReaderSchema, RemoteContentSourceSchema, SearchType,
    SourceFileSchema, SourceFilesResponseSchema, SourceFolderSchema, SourceType, UnavailableSchema,
    VectorDbSchema, VectorSearchResult,
};
pub use upload::{
    UpdateKnowledgeContent, UploadKnowledgeContent, UploadProgress, UploadRemoteContent,
};
pub use wait::{
    DEFAULT_MAX_WAIT, DEFAULT_NOT_FOUND_GRACE, DEFAULT_POLL_INTERVAL, WaitForKnowledgeContent,
};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    KNOWLEDGE_CONTENT = "/knowledge/content": POST, GET, DELETE;
    KNOWLEDGE_REMOTE_CONTENT = "/knowledge/remote-content": POST;
    KNOWLEDGE_CONTENT_CONTENT_ID = "/knowledge/content/{content_id}": PATCH, GET, DELETE;
    KNOWLEDGE_CONTENT_CONTENT_ID_REFRESH = "/knowledge/content/{content_id}/refresh": POST;
    KNOWLEDGE_CONTENT_CONTENT_ID_STATUS = "/knowledge/content/{content_id}/status": GET;
    KNOWLEDGE_SEARCH = "/knowledge/search": POST;
    KNOWLEDGE_CONFIG = "/knowledge/config": GET;
    KNOWLEDGE_KNOWLEDGE_ID_SOURCES = "/knowledge/{knowledge_id}/sources": GET;
    KNOWLEDGE_KNOWLEDGE_ID_SOURCES_SOURCE_ID_FILES = "/knowledge/{knowledge_id}/sources/{source_id}/files": GET;
}

/// The largest page of `list_knowledge_source_files`.
pub const MAX_SOURCE_FILES_LIMIT: u32 = 1000;

agentos_core::call_builder! {
    /// `GET /knowledge/content/{content_id}`, from [`KnowledgeExt::get_knowledge_content`].
    pub struct GetKnowledgeContent => ContentResponseSchema, knowledge_params;
    /// `DELETE /knowledge/content/{content_id}`, from [`KnowledgeExt::delete_knowledge_content`].
    pub struct DeleteKnowledgeContent => ContentResponseSchema, knowledge_params;
    /// `DELETE /knowledge/content`, from [`KnowledgeExt::delete_all_knowledge_content`].
    pub struct DeleteAllKnowledgeContent => (), knowledge_params;
    /// `POST /knowledge/content/{content_id}/refresh`, from [`KnowledgeExt::refresh_knowledge_content`].
    pub struct RefreshKnowledgeContent => ContentResponseSchema, knowledge_params;
    /// `GET /knowledge/content/{content_id}/status`, from [`KnowledgeExt::get_knowledge_content_status`].
    pub struct GetKnowledgeContentStatus => ContentStatusResponse, knowledge_params;
    /// `GET /knowledge/config`, from [`KnowledgeExt::get_knowledge_config`].
    pub struct GetKnowledgeConfig => KnowledgeConfigResponse, knowledge_params;
}

agentos_core::call_builder! {
    /// `GET /knowledge/content`, from [`KnowledgeExt::list_knowledge_content`]: one page, or
    /// every page as a stream.
    pub struct ListKnowledgeContent => Page<ContentResponseSchema>,
        knowledge_params, paged(ContentResponseSchema, sorted);
    /// `GET /knowledge/{knowledge_id}/sources`, from [`KnowledgeExt::list_knowledge_sources`].
    pub struct ListKnowledgeSources => Vec<RemoteContentSourceSchema>;
}

agentos_core::query_setters!(ListKnowledgeContent {
    /// Only the rows of this site row (the pages of a crawled site; exact id match).
    parent_id,
});

agentos_core::query_setters!(ListKnowledgeSources {
    /// Finds the knowledge base by its contents db too.
    db_id,
});

agentos_core::call_builder! {
    /// `GET /knowledge/{knowledge_id}/sources/{source_id}/files`, from
    /// [`KnowledgeExt::list_knowledge_source_files`]: one level of a source's files and folders.
    /// agno 3.1.10 lists only S3 sources (400 for the others).
    pub struct ListKnowledgeSourceFiles => SourceFilesResponseSchema;
}

agentos_core::query_setters!(ListKnowledgeSourceFiles {
    /// Lists under this path prefix (by default the source's own prefix).
    prefix,
    /// The folder delimiter (default `/`).
    delimiter,
    /// Finds the knowledge base by its contents db too.
    db_id,
});

impl ListKnowledgeSourceFiles {
    /// Files per page, 1 to 1000 (default 100; checked before sending).
    pub fn limit(mut self, limit: u32) -> Self {
        self.call = if limit > MAX_SOURCE_FILES_LIMIT {
            self.call.fail(Error::InvalidRequest(format!(
                "limit must be at most {MAX_SOURCE_FILES_LIMIT}, not {limit}"
            )))
        } else {
            self.call.limit(limit)
        };
        self
    }

    /// The page to read, from 1 (default 1).
    pub fn page(mut self, page: u32) -> Self {
        self.call = self.call.page(page);
        self
    }
}

agentos_core::impl_call_builder!(UploadKnowledgeContent => ContentResponseSchema);
agentos_core::impl_call_builder!(UploadRemoteContent => ContentResponseSchema);
agentos_core::impl_call_builder!(UpdateKnowledgeContent => ContentResponseSchema);
agentos_core::impl_call_builder!(SearchKnowledge => Page<VectorSearchResult>);
agentos_core::impl_knowledge_params!(
    UploadKnowledgeContent,
    UploadRemoteContent,
    UpdateKnowledgeContent,
);

agentos_core::seal_extension_traits!();

/// The knowledge calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait KnowledgeExt: sealed::Sealed {
    /// `POST /knowledge/content`: uploads one file (streamed from disk), bytes, text or URL.
    /// The server answers 202 with `status: processing` and ingests in the background; see
    /// [`wait_for_knowledge_content`](Self::wait_for_knowledge_content). An upload with no
    /// content, or with two sources, is refused before sending.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// let content = client
    ///     .upload_knowledge_content()
    ///     .file("docs/handbook.md")
    ///     .name("handbook")
    ///     .description("The employee handbook")
    ///     .metadata(serde_json::json!({"department": "hr", "year": 2026}))
    ///     .reader_id("markdown")
    ///     .chunker("FixedSizeChunker")
    ///     .chunk_size(2000)
    ///     .chunk_overlap(200)
    ///     .progress(|p| println!("{:.0}%", p.percent()))
    ///     .knowledge_id("baf6b999-e21c-bfd1-6dfa-e3618a9bcad4")
    ///     .await?;
    /// let final_status = client.wait_for_knowledge_content(&content.id).await?;
    /// # Ok(()) }
    /// ```
    fn upload_knowledge_content(&self) -> UploadKnowledgeContent;

    /// `POST /knowledge/remote-content`: ingests `path` of the remote source `config_id` (a
    /// source id from [`get_knowledge_config`](Self::get_knowledge_config) or
    /// [`list_knowledge_sources`](Self::list_knowledge_sources)). A `path` ending in `/` is a
    /// folder. Answers 202; processing runs in the background.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// let content = client
    ///     .upload_remote_content("company-s3", "reports/2026/")
    ///     .name("2026 reports")
    ///     .metadata(serde_json::json!({"year": 2026}))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn upload_remote_content(
        &self,
        config_id: impl Into<String>,
        path: impl Into<String>,
    ) -> UploadRemoteContent;

    /// `PATCH /knowledge/content/{content_id}`: changes the name, description, metadata
    /// (merged in) or reader of a content (404 when there is none with this id).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// let updated = client
    ///     .update_knowledge_content("6cde8c89-a3df-58de-a125-ba949841af89")
    ///     .name("ostriches (2026)")
    ///     .metadata(serde_json::json!({"reviewed": true}))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn update_knowledge_content(&self, content_id: &str) -> UpdateKnowledgeContent;

    /// `GET /knowledge/content`: a page of contents, newest first by default;
    /// [`ListKnowledgeContent::into_stream`] walks every page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_core::SortOrder;
    /// use agentos_knowledge::KnowledgeExt;
    /// let page = client
    ///     .list_knowledge_content()
    ///     .sort_by("name")
    ///     .sort_order(SortOrder::Asc)
    ///     .limit(50)
    ///     .await?;
    /// for c in &page.data {
    ///     println!("{} {:?} {:?} bytes", c.id, c.name, c.size_bytes());
    /// }
    /// # Ok(()) }
    /// ```
    fn list_knowledge_content(&self) -> ListKnowledgeContent;

    /// `GET /knowledge/content/{content_id}` (404 when there is none with this id).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// let content = client.get_knowledge_content("6cde8c89-a3df-58de-a125-ba949841af89").await?;
    /// println!("{:?} {:?}", content.name, content.user_metadata());
    /// # Ok(()) }
    /// ```
    fn get_knowledge_content(&self, content_id: &str) -> GetKnowledgeContent;

    /// `DELETE /knowledge/content/{content_id}`: removes a content and its vectors. Answers
    /// with the id only (404 when there is none with this id).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// let deleted = client.delete_knowledge_content("6cde8c89-a3df-58de-a125-ba949841af89").await?;
    /// assert_eq!(deleted.id, "6cde8c89-a3df-58de-a125-ba949841af89");
    /// # Ok(()) }
    /// ```
    fn delete_knowledge_content(&self, content_id: &str) -> DeleteKnowledgeContent;

    /// `DELETE /knowledge/content`: removes every content of the knowledge base (and its
    /// vectors). There is no undo.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// client
    ///     .delete_all_knowledge_content()
    ///     .knowledge_id("baf6b999-e21c-bfd1-6dfa-e3618a9bcad4")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn delete_all_knowledge_content(&self) -> DeleteAllKnowledgeContent;

    /// `POST /knowledge/content/{content_id}/refresh`: re-ingests a content from its source
    /// (202). agno 3.1.10 refreshes only what a site reader (sitemap, llms.txt) or a remote
    /// folder built; other contents answer 400 (`Content has no source URL to refresh from`,
    /// or `Content row does not record which reader built it`).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// let content = client.refresh_knowledge_content("13f75290-e569-503f-a988-110ff5187950").await?;
    /// client.wait_for_knowledge_content(&content.id).await?;
    /// # Ok(()) }
    /// ```
    fn refresh_knowledge_content(&self, content_id: &str) -> RefreshKnowledgeContent;

    /// `GET /knowledge/content/{content_id}/status`: where the ingestion stands (404 when
    /// there is no content with this id).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::{ContentStatus, KnowledgeExt};
    /// let status = client.get_knowledge_content_status("6cde8c89-a3df-58de-a125-ba949841af89").await?;
    /// if status.status == ContentStatus::Failed {
    ///     eprintln!("ingestion failed: {}", status.status_message);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_knowledge_content_status(&self, content_id: &str) -> GetKnowledgeContentStatus;

    /// Polls [`get_knowledge_content_status`](Self::get_knowledge_content_status) until the
    /// ingestion ends: the final status when `completed` or `partial`,
    /// [`Error::JobFailed`] with the server's message when
    /// `failed`, [`Error::WaitTimeout`] after
    /// [`max_wait`](agentos_core::poll::Wait::max_wait).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use std::time::Duration;
    /// use agentos_core::Error;
    /// use agentos_knowledge::KnowledgeExt;
    /// match client
    ///     .wait_for_knowledge_content("6cde8c89-a3df-58de-a125-ba949841af89")
    ///     .poll_interval(Duration::from_millis(500))
    ///     .max_wait(Duration::from_secs(300))
    ///     .await
    /// {
    ///     Ok(status) => println!("{}", status.status),
    ///     Err(Error::JobFailed { message, .. }) => eprintln!("ingestion failed: {message}"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    fn wait_for_knowledge_content(&self, content_id: &str) -> WaitForKnowledgeContent;

    /// `POST /knowledge/search`: the chunks that match `query`, best first, paged. The
    /// [`search_type`](SearchKnowledge::search_type) is vector unless set, and always sent
    /// (the server would otherwise reuse the previous search's type).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::{KnowledgeExt, SearchType};
    /// let hits = client
    ///     .search_knowledge("how fast do ostriches run")
    ///     .search_type(SearchType::Hybrid)
    ///     .filters(serde_json::json!({"topic": "birds"}))
    ///     .max_results(50)
    ///     .limit(10)
    ///     .page(1)
    ///     .await?;
    /// for hit in &hits.data {
    ///     println!("{:?}: {}", hit.name, hit.content);
    /// }
    /// # Ok(()) }
    /// ```
    fn search_knowledge(&self, query: impl Into<String>) -> SearchKnowledge;

    /// `GET /knowledge/config`: the readers, chunkers, vector dbs, filter keys and remote
    /// sources of the knowledge base.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// let config = client.get_knowledge_config().await?;
    /// println!("readers for .txt: {:?}", config.readers_for_type.get(".txt"));
    /// println!("filter keys: {:?}", config.filters);
    /// # Ok(()) }
    /// ```
    fn get_knowledge_config(&self) -> GetKnowledgeConfig;

    /// `GET /knowledge/{knowledge_id}/sources`: the remote content sources of a knowledge
    /// base (a bare list, not paged; 404 for an unknown knowledge base).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// for source in client.list_knowledge_sources("baf6b999-e21c-bfd1-6dfa-e3618a9bcad4").await? {
    ///     println!("{} ({}) {:?}", source.id, source.source_type, source.prefix);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_knowledge_sources(&self, knowledge_id: &str) -> ListKnowledgeSources;

    /// `GET /knowledge/{knowledge_id}/sources/{source_id}/files`: one page of the files and
    /// folders of a remote source under a prefix (404 for an unknown source).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// let listing = client
    ///     .list_knowledge_source_files("baf6b999-e21c-bfd1-6dfa-e3618a9bcad4", "company-s3")
    ///     .prefix("reports/")
    ///     .limit(200)
    ///     .await?;
    /// for file in &listing.files {
    ///     println!("{} {:?}", file.key, file.size);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_knowledge_source_files(
        &self,
        knowledge_id: &str,
        source_id: &str,
    ) -> ListKnowledgeSourceFiles;
}

impl KnowledgeExt for AgentOsClient {
    fn upload_knowledge_content(&self) -> UploadKnowledgeContent {
        UploadKnowledgeContent::new(Call::new(
            self,
            Request::post(route::KNOWLEDGE_CONTENT, &[]),
            decode_json,
        ))
    }

    fn upload_remote_content(
        &self,
        config_id: impl Into<String>,
        path: impl Into<String>,
    ) -> UploadRemoteContent {
        UploadRemoteContent::new(
            Call::new(
                self,
                Request::post(route::KNOWLEDGE_REMOTE_CONTENT, &[]),
                decode_json,
            ),
            config_id.into(),
            path.into(),
        )
    }

    fn update_knowledge_content(&self, content_id: &str) -> UpdateKnowledgeContent {
        UpdateKnowledgeContent::new(Call::new(
            self,
            Request::patch(route::KNOWLEDGE_CONTENT_CONTENT_ID, &[content_id]),
            decode_json,
        ))
    }

    fn list_knowledge_content(&self) -> ListKnowledgeContent {
        ListKnowledgeContent {
            call: Call::new(
                self,
                Request::get(route::KNOWLEDGE_CONTENT, &[]),
                decode_json,
            ),
        }
    }

    fn get_knowledge_content(&self, content_id: &str) -> GetKnowledgeContent {
        GetKnowledgeContent {
            call: Call::new(
                self,
                Request::get(route::KNOWLEDGE_CONTENT_CONTENT_ID, &[content_id]),
                decode_json,
            ),
        }
    }

    fn delete_knowledge_content(&self, content_id: &str) -> DeleteKnowledgeContent {
        DeleteKnowledgeContent {
            call: Call::new(
                self,
                Request::delete(route::KNOWLEDGE_CONTENT_CONTENT_ID, &[content_id]),
                decode_json,
            ),
        }
    }

    fn delete_all_knowledge_content(&self) -> DeleteAllKnowledgeContent {
        DeleteAllKnowledgeContent {
            call: Call::new(
                self,
                Request::delete(route::KNOWLEDGE_CONTENT, &[]),
                decode_unit,
            ),
        }
    }

    fn refresh_knowledge_content(&self, content_id: &str) -> RefreshKnowledgeContent {
        RefreshKnowledgeContent {
            call: Call::new(
                self,
                Request::post(route::KNOWLEDGE_CONTENT_CONTENT_ID_REFRESH, &[content_id]),
                decode_json,
            ),
        }
    }

    fn get_knowledge_content_status(&self, content_id: &str) -> GetKnowledgeContentStatus {
        GetKnowledgeContentStatus {
            call: status_call(self, content_id),
        }
    }

    fn wait_for_knowledge_content(&self, content_id: &str) -> WaitForKnowledgeContent {
        wait::wait_for_content(status_call(self, content_id), content_id)
    }

    fn search_knowledge(&self, query: impl Into<String>) -> SearchKnowledge {
        SearchKnowledge::new(
            Call::new(
                self,
                Request::post(route::KNOWLEDGE_SEARCH, &[]),
                decode_json,
            ),
            query.into(),
        )
    }

    fn get_knowledge_config(&self) -> GetKnowledgeConfig {
        GetKnowledgeConfig {
            call: Call::new(
                self,
                Request::get(route::KNOWLEDGE_CONFIG, &[]),
                decode_json,
            ),
        }
    }

    fn list_knowledge_sources(&self, knowledge_id: &str) -> ListKnowledgeSources {
        ListKnowledgeSources {
            call: Call::new(
                self,
                Request::get(route::KNOWLEDGE_KNOWLEDGE_ID_SOURCES, &[knowledge_id]),
                decode_json,
            ),
        }
    }

    fn list_knowledge_source_files(
        &self,
        knowledge_id: &str,
        source_id: &str,
    ) -> ListKnowledgeSourceFiles {
        ListKnowledgeSourceFiles {
            call: Call::new(
                self,
                Request::get(
                    route::KNOWLEDGE_KNOWLEDGE_ID_SOURCES_SOURCE_ID_FILES,
                    &[knowledge_id, source_id],
                ),
                decode_json,
            ),
        }
    }
}

fn status_call(client: &AgentOsClient, content_id: &str) -> Call<ContentStatusResponse> {
    Call::new(
        client,
        Request::get(route::KNOWLEDGE_CONTENT_CONTENT_ID_STATUS, &[content_id]),
        decode_json,
    )
}

#[cfg(test)]
mod tests;
