//! `POST /knowledge/search`: a JSON body that carries the query, the knowledge base and the
//! paging.

use agentos_core::kit::CallKit;
use agentos_core::pagination::{items, paginate_json_body};
use agentos_core::{Call, Error, Page, Result};
use futures::Stream;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::types::{SearchType, VectorSearchResult};
use crate::upload::json_object;

/// The most hits `max_results` may ask for.
pub const MAX_SEARCH_RESULTS: u32 = 1000;

/// `POST /knowledge/search`, from [`KnowledgeExt::search_knowledge`](crate::KnowledgeExt::search_knowledge):
/// one page of hits, or every page as a stream.
///
/// `knowledge_id` and `db_id` go in the JSON body here (not the query), as do the paging
/// (`meta.page`, `meta.limit`). [`max_results`](Self::max_results) caps the hits before
/// paging.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct SearchKnowledge {
    pub(crate) call: Call<Page<VectorSearchResult>>,
    body: Map<String, Value>,
    meta: Map<String, Value>,
    error: Option<Error>,
}

impl SearchKnowledge {
    pub(crate) fn new(call: Call<Page<VectorSearchResult>>, query: String) -> Self {
        let mut body = Map::new();
        let error = if query.trim().is_empty() {
            Some(Error::InvalidRequest(
                "the search query must not be empty".into(),
            ))
        } else {
            None
        };
        body.insert("query".into(), json!(query));
        // agno keeps the type of the last search on the shared vector db: a search that
        // leaves it out would silently reuse it. Always send one.
        body.insert("search_type".into(), json!(SearchType::Vector.as_str()));
        SearchKnowledge {
            call,
            body,
            meta: Map::new(),
            error,
        }
    }

    fn fail_with(&mut self, e: Error) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// How to match: vector (the default), keyword or hybrid. The type is sent on every
    /// search, the default included: agno 3.1.10 stores it on the shared vector db, so a
    /// search without one would use the type of whichever search ran before it. (An unknown
    /// type makes agno 3.1.10 answer 500.)
    pub fn search_type(mut self, search_type: SearchType) -> Self {
        self.body
            .insert("search_type".into(), json!(search_type.as_str()));
        self
    }

    /// Only chunks whose metadata matches: a JSON object of metadata keys and values, e.g.
    /// `{"topic": "birds"}` (anything but an object is refused before sending).
    pub fn filters(mut self, filters: impl Serialize) -> Self {
        match json_object("filters", &filters) {
            Ok(v) => {
                self.body.insert("filters".into(), v);
            }
            Err(e) => self.fail_with(e),
        }
        self
    }

    /// The most hits to consider, 1 to 1000 (checked before sending), before paging.
    pub fn max_results(mut self, max_results: u32) -> Self {
        if !(1..=MAX_SEARCH_RESULTS).contains(&max_results) {
            self.fail_with(Error::InvalidRequest(format!(
                "max_results must be between 1 and {MAX_SEARCH_RESULTS}, not {max_results}"
            )));
        }
        self.body.insert("max_results".into(), json!(max_results));
        self
    }

    /// The page size (default 20; at least 1).
    pub fn limit(mut self, limit: u32) -> Self {
        if limit == 0 {
            self.fail_with(Error::InvalidRequest("limit must be at least 1".into()));
        }
        self.meta.insert("limit".into(), json!(limit));
        self
    }

    /// The page to read, from 1 (default 1). With [`pages`](Self::pages), the first page.
    pub fn page(mut self, page: u32) -> Self {
        if let Err(e) = agentos_core::pagination::check_page(page) {
            self.fail_with(e);
        }
        self.meta.insert("page".into(), json!(page));
        self
    }

    /// Searches only if the knowledge base's vector db is one of these (400 otherwise).
    pub fn vector_db_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        self.body.insert("vector_db_ids".into(), json!(ids));
        self
    }

    /// Searches the knowledge base with this id (sent in the body).
    pub fn knowledge_id(mut self, knowledge_id: impl Into<String>) -> Self {
        self.body
            .insert("knowledge_id".into(), json!(knowledge_id.into()));
        self
    }

    /// Searches the knowledge base whose contents db has this id (sent in the body).
    pub fn db_id(mut self, db_id: impl Into<String>) -> Self {
        self.body.insert("db_id".into(), json!(db_id.into()));
        self
    }

    /// Every page, fetched lazily from [`page`](Self::page) (default 1). The server runs the
    /// whole search again for each page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::{KnowledgeExt, SearchType};
    /// use futures::TryStreamExt;
    /// let pages: Vec<_> = client
    ///     .search_knowledge("ostriches")
    ///     .search_type(SearchType::Vector)
    ///     .limit(5)
    ///     .pages()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> impl Stream<Item = Result<Page<VectorSearchResult>>> + Send + 'static {
        let start = self
            .meta
            .get("page")
            .and_then(Value::as_u64)
            .and_then(|p| u32::try_from(p).ok());
        let (client, request) = self.finish().into_parts();
        paginate_json_body(client, request, &["meta", "page"], start)
    }

    /// Every hit of every page, fetched lazily.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::{KnowledgeExt, SearchType};
    /// use futures::TryStreamExt;
    /// let hits: Vec<_> = client
    ///     .search_knowledge("ostriches")
    ///     .search_type(SearchType::Keyword)
    ///     .into_stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> impl Stream<Item = Result<VectorSearchResult>> + Send + 'static {
        items(self.pages())
    }

    pub(crate) fn finish(mut self) -> Call<Page<VectorSearchResult>> {
        if let Some(e) = self.error.take() {
            return self.call.fail(e);
        }
        let mut body = std::mem::take(&mut self.body);
        if !self.meta.is_empty() {
            body.insert("meta".into(), Value::Object(std::mem::take(&mut self.meta)));
        }
        self.call.try_with_request(|r| {
            r.set_json(&body)?;
            // A search reads only: sending it twice is harmless, so it may be retried.
            r.idempotent = Some(true);
            Ok(())
        })
    }
}
