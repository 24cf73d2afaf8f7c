#![cfg_attr(docsrs, feature(doc_cfg))]
//! The memory area of the AgentOS Rust SDK: [`MemoryExt`] adds its calls to
//! [`AgentOsClient`].
//!
//! Every call returns a builder: set the optional parameters, then `.await` it (or `.send()`).
//! Each one takes the optional `db_id` / `table` of the database to use, as listed in
//! `GET /config` → `memory.dbs`.
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_memory::MemoryExt;
//!
//! let memory = client
//!     .create_memory("User prefers dark mode", "user-1")
//!     .topics(["preferences", "ui"])
//!     .await?;
//! let page = client.list_memories().user_id("user-1").topics(["ui"]).await?;
//! assert!(page.data.iter().any(|m| m.memory_id == memory.memory_id));
//! # Ok(()) }
//! ```

mod types;

use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::{AgentOsClient, Call, Error, Page, Request, Result};
use serde_json::{Map, Value, json};

pub use types::{Extra, OptimizeMemoriesResponse, UserMemorySchema, UserStatsSchema};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    MEMORIES = "/memories": POST, GET, DELETE;
    MEMORIES_MEMORY_ID = "/memories/{memory_id}": GET, PATCH, DELETE;
    MEMORY_TOPICS = "/memory_topics": GET;
    USER_MEMORY_STATS = "/user_memory_stats": GET;
    OPTIMIZE_MEMORIES = "/optimize-memories": POST;
}

/// The longest memory text the server accepts, in characters.
pub const MAX_MEMORY_CHARS: usize = 5000;

/// Checks a memory text before sending (the server answers a bad one with a 422).
fn check_memory_text(memory: &str) -> Result<()> {
    if memory.is_empty() {
        return Err(Error::InvalidRequest("memory must not be empty".into()));
    }
    let chars = memory.chars().count();
    if chars > MAX_MEMORY_CHARS {
        return Err(Error::InvalidRequest(format!(
            "memory is {chars} characters long; the server accepts at most {MAX_MEMORY_CHARS}"
        )));
    }
    Ok(())
}

fn collect_topics<I, S>(topics: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    topics.into_iter().map(Into::into).collect()
}

/// What create and update send: `{memory, user_id, topics?}`, checked before sending.
#[derive(Debug)]
struct MemoryWrite {
    memory: String,
    user_id: String,
    topics: Option<Vec<String>>,
}

impl MemoryWrite {
    fn new(memory: impl Into<String>, user_id: impl Into<String>) -> Self {
        MemoryWrite {
            memory: memory.into(),
            user_id: user_id.into(),
            topics: None,
        }
    }

    /// The call with this body, or failed with why the memory cannot be sent.
    fn apply(self, call: Call<UserMemorySchema>) -> Call<UserMemorySchema> {
        if let Err(e) = check_memory_text(&self.memory) {
            return call.fail(e);
        }
        let mut body = Map::new();
        body.insert("memory".into(), json!(self.memory));
        body.insert("user_id".into(), json!(self.user_id));
        if let Some(t) = self.topics {
            body.insert("topics".into(), json!(t));
        }
        call.try_with_request(|r| r.set_json(&Value::Object(body)))
            .check_db_params()
    }
}

/// `POST /memories`, from [`MemoryExt::create_memory`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct CreateMemory {
    call: Call<UserMemorySchema>,
    write: MemoryWrite,
}

/// `topics` and `finish` of a builder that writes a memory (a `write: MemoryWrite` field):
/// creating and updating one differ only in what the topics mean.
macro_rules! memory_write_builder {
    ($ty:ident { $(#[$topics_doc:meta])* }) => {
        impl $ty {
            $(#[$topics_doc])*
            pub fn topics<I, S>(mut self, topics: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                self.write.topics = Some(collect_topics(topics));
                self
            }

            fn finish(self) -> Call<UserMemorySchema> {
                self.write.apply(self.call)
            }
        }
    };
}

memory_write_builder!(CreateMemory {
    /// Files the memory under these topics.
});

agentos_core::call_builder! {
    /// `GET /memories/{memory_id}`, from [`MemoryExt::get_memory`].
    pub struct GetMemory => UserMemorySchema, db_params;
}

agentos_core::query_setters!(GetMemory {
    /// Reads the memory only if it belongs to this user (404 otherwise).
    user_id,
});

/// `GET /memories`, from [`MemoryExt::list_memories`]: one page, or every page as a stream.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct ListMemories {
    call: Call<Page<UserMemorySchema>>,
    topics_error: Option<String>,
}

agentos_core::query_setters!(ListMemories {
    /// Only the memories of this user.
    user_id,
    /// Only the memories written by this agent.
    agent_id,
    /// Only the memories written by this team.
    team_id,
});

impl ListMemories {
    /// Only the memories filed under every one of these topics. They are sent comma-separated
    /// in one `topics` parameter, as the server wants; a topic holding a comma is refused.
    pub fn topics<I, S>(mut self, topics: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let topics = collect_topics(topics);
        if let Some(bad) = topics.iter().find(|t| t.contains(',')) {
            self.topics_error = Some(format!(
                "topic {bad:?} contains a comma, which the server reads as a separator"
            ));
        }
        self.call = self
            .call
            .with_request(|r| r.set_query_csv("topics", &topics));
        self
    }

    /// Only the memories whose text matches this search (a fuzzy match on the server).
    pub fn search_content(mut self, text: impl Into<String>) -> Self {
        self.call = self.call.query("search_content", text.into());
        self
    }

    fn finish(self) -> Call<Page<UserMemorySchema>> {
        match self.topics_error {
            Some(e) => self.call.fail(Error::InvalidRequest(e)),
            None => self.call.check_db_params(),
        }
    }
}

agentos_core::impl_paged_builder!(ListMemories => UserMemorySchema, sorted);

/// `PATCH /memories/{memory_id}`, from [`MemoryExt::update_memory`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UpdateMemory {
    call: Call<UserMemorySchema>,
    write: MemoryWrite,
}

memory_write_builder!(UpdateMemory {
    /// The new topics. The server replaces the whole memory: an update without topics leaves
    /// the memory with none.
});

agentos_core::call_builder! {
    /// `DELETE /memories/{memory_id}`, from [`MemoryExt::delete_memory`].
    pub struct DeleteMemory => (), db_params;
}

agentos_core::query_setters!(DeleteMemory {
    /// Deletes the memory only if it belongs to this user.
    user_id,
});

/// `DELETE /memories` with a JSON body, from [`MemoryExt::delete_memories`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct DeleteMemories {
    call: Call<()>,
    memory_ids: Vec<String>,
    user_id: Option<String>,
}

impl DeleteMemories {
    /// Deletes only the listed memories that belong to this user.
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    fn finish(self) -> Call<()> {
        if self.memory_ids.is_empty() {
            return self.call.fail(Error::InvalidRequest(
                "delete_memories needs at least one id".into(),
            ));
        }
        let mut body = Map::new();
        body.insert("memory_ids".into(), json!(self.memory_ids));
        if let Some(u) = &self.user_id {
            body.insert("user_id".into(), json!(u));
        }
        self.call
            .try_with_request(|r| r.set_json(&body))
            .check_db_params()
    }
}

agentos_core::call_builder! {
    /// `GET /memory_topics`, from [`MemoryExt::get_memory_topics`].
    pub struct GetMemoryTopics => Vec<String>, db_params;
}

agentos_core::query_setters!(GetMemoryTopics {
    /// Only the topics of this user's memories.
    user_id,
});

agentos_core::call_builder! {
    /// `GET /user_memory_stats`, from [`MemoryExt::get_user_memory_stats`]: one page, or every
    /// page as a stream.
    pub struct GetUserMemoryStats => Page<UserStatsSchema>, db_params, paged(UserStatsSchema);
}

agentos_core::query_setters!(GetUserMemoryStats {
    /// Only this user's statistics.
    user_id,
});

/// `POST /optimize-memories`, from [`MemoryExt::optimize_memories`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct OptimizeMemories {
    call: Call<OptimizeMemoriesResponse>,
    user_id: String,
    model: Option<String>,
    apply: Option<bool>,
}

impl OptimizeMemories {
    /// The model that summarizes, as `provider:model_id` (e.g. `openai:gpt-4o-mini`). Without
    /// it the server uses its memory manager's default model.
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// `false` returns the optimized memories as a preview without storing them (default
    /// `true`: the user's memories are replaced).
    pub fn apply(mut self, apply: bool) -> Self {
        self.apply = Some(apply);
        self
    }

    fn finish(self) -> Call<OptimizeMemoriesResponse> {
        if self.user_id.is_empty() {
            return self
                .call
                .fail(Error::InvalidRequest("user_id must not be empty".into()));
        }
        let mut body = Map::new();
        body.insert("user_id".into(), json!(self.user_id));
        if let Some(m) = &self.model {
            body.insert("model".into(), json!(m));
        }
        if let Some(a) = self.apply {
            body.insert("apply".into(), json!(a));
        }
        self.call
            .try_with_request(|r| r.set_json(&body))
            .check_db_params()
    }
}

agentos_core::impl_call_builder!(CreateMemory => UserMemorySchema);
agentos_core::impl_call_builder!(ListMemories => Page<UserMemorySchema>);
agentos_core::impl_call_builder!(UpdateMemory => UserMemorySchema);
agentos_core::impl_call_builder!(DeleteMemories => ());
agentos_core::impl_call_builder!(OptimizeMemories => OptimizeMemoriesResponse);
agentos_core::impl_db_params!(
    CreateMemory,
    ListMemories,
    UpdateMemory,
    DeleteMemories,
    OptimizeMemories
);

agentos_core::seal_extension_traits!();

/// The memory calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait MemoryExt: sealed::Sealed {
    /// `POST /memories`: stores a memory for a user. (The server answers 200, not 201.)
    ///
    /// The text must be 1 to 5000 characters long (checked before sending). Under JWT user
    /// isolation the server files it under the token's user whatever `user_id` says.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_memory::MemoryExt;
    /// let memory = client
    ///     .create_memory("User prefers dark mode for all applications", "user-1")
    ///     .topics(["preferences", "ui"])
    ///     .await?;
    /// println!("stored {}", memory.memory_id);
    /// # Ok(()) }
    /// ```
    fn create_memory(&self, memory: impl Into<String>, user_id: impl Into<String>) -> CreateMemory;

    /// `GET /memories/{memory_id}`: one memory (404 when there is none with this id).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_memory::MemoryExt;
    /// let memory = client.get_memory("f9361a69").user_id("user-1").await?;
    /// println!("{} {:?}", memory.memory, memory.topics);
    /// # Ok(()) }
    /// ```
    fn get_memory(&self, memory_id: &str) -> GetMemory;

    /// `GET /memories`: a page of memories, filtered by user, agent, team, topics or text, and
    /// sorted; [`ListMemories::into_stream`] walks every page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_core::SortOrder;
    /// use agentos_memory::MemoryExt;
    /// let page = client
    ///     .list_memories()
    ///     .user_id("user-1")
    ///     .topics(["preferences", "ui"])
    ///     .search_content("dark mode")
    ///     .sort_by("updated_at")
    ///     .sort_order(SortOrder::Asc)
    ///     .limit(10)
    ///     .await?;
    /// println!("{} of {:?}", page.data.len(), page.meta.total_count);
    /// # Ok(()) }
    /// ```
    fn list_memories(&self) -> ListMemories;

    /// `PATCH /memories/{memory_id}`: replaces a memory's text and topics (a memory updated
    /// without [`topics`](UpdateMemory::topics) ends up with none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_memory::MemoryExt;
    /// let updated = client
    ///     .update_memory("f9361a69", "User strongly prefers dark mode", "user-1")
    ///     .topics(["preferences", "ui", "accessibility"])
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn update_memory(
        &self,
        memory_id: &str,
        memory: impl Into<String>,
        user_id: impl Into<String>,
    ) -> UpdateMemory;

    /// `DELETE /memories/{memory_id}` (204; the server does not tell whether the memory
    /// existed).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_memory::MemoryExt;
    /// client.delete_memory("f9361a69").user_id("user-1").await?;
    /// # Ok(()) }
    /// ```
    fn delete_memory(&self, memory_id: &str) -> DeleteMemory;

    /// `DELETE /memories` with the ids in a JSON body. An empty list is refused before
    /// sending.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_memory::MemoryExt;
    /// client.delete_memories(["m1", "m2"]).user_id("user-1").await?;
    /// # Ok(()) }
    /// ```
    fn delete_memories<I, S>(&self, memory_ids: I) -> DeleteMemories
    where
        I: IntoIterator<Item = S>,
        S: Into<String>;

    /// `GET /memory_topics`: every topic in use (a bare list, not paged).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_memory::MemoryExt;
    /// let topics = client.get_memory_topics().user_id("user-1").await?;
    /// # Ok(()) }
    /// ```
    fn get_memory_topics(&self) -> GetMemoryTopics;

    /// `GET /user_memory_stats`: how many memories each user has, paged.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_memory::MemoryExt;
    /// let stats = client.get_user_memory_stats().limit(50).await?;
    /// for user in &stats.data {
    ///     println!("{}: {}", user.user_id, user.total_memories);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_user_memory_stats(&self) -> GetUserMemoryStats;

    /// `POST /optimize-memories`: has a model merge a user's memories into fewer, shorter
    /// ones (404 when the user has none). The model call happens inside the request.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_memory::MemoryExt;
    /// let preview = client
    ///     .optimize_memories("user-1")
    ///     .model("openai:gpt-4o-mini")
    ///     .apply(false)
    ///     .await?;
    /// println!("{} -> {} memories", preview.memories_before, preview.memories_after);
    /// # Ok(()) }
    /// ```
    fn optimize_memories(&self, user_id: impl Into<String>) -> OptimizeMemories;
}

impl MemoryExt for AgentOsClient {
    fn create_memory(&self, memory: impl Into<String>, user_id: impl Into<String>) -> CreateMemory {
        CreateMemory {
            call: Call::new(self, Request::post(route::MEMORIES, &[]), decode_json),
            write: MemoryWrite::new(memory, user_id),
        }
    }

    fn get_memory(&self, memory_id: &str) -> GetMemory {
        GetMemory {
            call: Call::new(
                self,
                Request::get(route::MEMORIES_MEMORY_ID, &[memory_id]),
                decode_json,
            ),
        }
    }

    fn list_memories(&self) -> ListMemories {
        ListMemories {
            call: Call::new(self, Request::get(route::MEMORIES, &[]), decode_json),
            topics_error: None,
        }
    }

    fn update_memory(
        &self,
        memory_id: &str,
        memory: impl Into<String>,
        user_id: impl Into<String>,
    ) -> UpdateMemory {
        UpdateMemory {
            call: Call::new(
                self,
                Request::patch(route::MEMORIES_MEMORY_ID, &[memory_id]),
                decode_json,
            ),
            write: MemoryWrite::new(memory, user_id),
        }
    }

    fn delete_memory(&self, memory_id: &str) -> DeleteMemory {
        DeleteMemory {
            call: Call::new(
                self,
                Request::delete(route::MEMORIES_MEMORY_ID, &[memory_id]),
                decode_unit,
            ),
        }
    }

    fn delete_memories<I, S>(&self, memory_ids: I) -> DeleteMemories
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        DeleteMemories {
            call: Call::new(self, Request::delete(route::MEMORIES, &[]), decode_unit),
            memory_ids: memory_ids.into_iter().map(Into::into).collect(),
            user_id: None,
        }
    }

    fn get_memory_topics(&self) -> GetMemoryTopics {
        GetMemoryTopics {
            call: Call::new(self, Request::get(route::MEMORY_TOPICS, &[]), decode_json),
        }
    }

    fn get_user_memory_stats(&self) -> GetUserMemoryStats {
        GetUserMemoryStats {
            call: Call::new(
                self,
                Request::get(route::USER_MEMORY_STATS, &[]),
                decode_json,
            ),
        }
    }

    fn optimize_memories(&self, user_id: impl Into<String>) -> OptimizeMemories {
        OptimizeMemories {
            call: Call::new(
                self,
                Request::post(route::OPTIMIZE_MEMORIES, &[]),
                decode_json,
            ),
            user_id: user_id.into(),
            model: None,
            apply: None,
        }
    }
}

#[cfg(test)]
mod tests;
