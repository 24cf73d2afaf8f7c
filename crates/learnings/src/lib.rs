#![cfg_attr(docsrs, feature(doc_cfg))]
//! The learnings area of the AgentOS Rust SDK: [`LearningsExt`] adds its calls to
//! [`AgentOsClient`].
//!
//! Learnings are what agents learn and keep between runs (user profiles, user memories,
//! session contexts, entity memories, learned knowledge, decision logs), stored in the
//! `agno_learnings` table. Every call returns a builder: set the optional parameters, then
//! `.await` it (or `.send()`). Each one takes the optional `db_id` / `table` of the database to
//! use, as listed in `GET /config` → `learning.dbs`.
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_learnings::{LearningType, LearningsExt};
//! use serde_json::json;
//!
//! let profile = client
//!     .create_learning(LearningType::UserProfile, &json!({"name": "Ann", "likes": ["tea"]}))
//!     .user_id("user-1")
//!     .await?;
//! assert_eq!(profile.learning_id, "user_profile_user-1");
//! let page = client.list_learnings().user_id("user-1").await?;
//! println!("{} learnings", page.data.len());
//! # Ok(()) }
//! ```

mod types;

use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::{AgentOsClient, Call, Error, Page, Request, Result};
use serde::Serialize;
use serde_json::{Map, Value, json};

pub use types::{Extra, LearningResponse, LearningType, LearningUserStats};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    LEARNINGS = "/learnings": GET, POST;
    LEARNINGS_USERS = "/learnings/users": GET;
    LEARNINGS_USERS_USER_ID = "/learnings/users/{user_id}": DELETE;
    LEARNINGS_LEARNING_ID = "/learnings/{learning_id}": GET, PATCH, DELETE;
}

/// Stores `value` (which must serialize to a JSON object) under `key`, or fails the call.
fn put_object<T: Serialize + ?Sized, O: Send + 'static>(
    call: Call<O>,
    body: &mut Map<String, Value>,
    key: &str,
    value: &T,
) -> Call<O> {
    match agentos_core::kit::json_object(key, value) {
        Ok(map) => {
            body.insert(key.to_owned(), Value::Object(map));
            call
        }
        Err(e) => call.fail(e),
    }
}

fn non_empty(body: &Map<String, Value>, key: &str) -> bool {
    body.get(key)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

/// The identity fields an identity-keyed learning needs (the server answers 422 without them).
fn check_identity(kind: &LearningType, body: &Map<String, Value>) -> Result<()> {
    let missing = match kind {
        LearningType::UserProfile | LearningType::UserMemory if !non_empty(body, "user_id") => {
            Some("user_id")
        }
        LearningType::SessionContext if !non_empty(body, "session_id") => Some("session_id"),
        LearningType::EntityMemory
            if !non_empty(body, "entity_id") || !non_empty(body, "entity_type") =>
        {
            Some("entity_id and entity_type")
        }
        LearningType::EntityMemory
            if body.get("namespace").and_then(Value::as_str) == Some("user")
                && !non_empty(body, "user_id") =>
        {
            Some("user_id (for namespace \"user\")")
        }
        _ => None,
    };
    match missing {
        Some(fields) => Err(Error::InvalidRequest(format!(
            "a {kind} learning is keyed by its identity: set {fields}"
        ))),
        None => Ok(()),
    }
}

/// `POST /learnings`, from [`LearningsExt::create_learning`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct CreateLearning {
    call: Call<LearningResponse>,
    learning_type: LearningType,
    body: Map<String, Value>,
}

impl CreateLearning {
    fn set(mut self, key: &str, value: impl Into<String>) -> Self {
        self.body
            .insert(key.to_owned(), Value::String(value.into()));
        self
    }

    /// The namespace (`user`, `global` or a custom one). An entity memory without one is
    /// stored under `global`.
    pub fn namespace(self, namespace: impl Into<String>) -> Self {
        self.set("namespace", namespace)
    }

    /// The user it belongs to (required for `user_profile` and `user_memory`). Under JWT
    /// user isolation it must be the caller (or left out).
    pub fn user_id(self, user_id: impl Into<String>) -> Self {
        self.set("user_id", user_id)
    }

    /// The agent it belongs to.
    pub fn agent_id(self, agent_id: impl Into<String>) -> Self {
        self.set("agent_id", agent_id)
    }

    /// The team it belongs to.
    pub fn team_id(self, team_id: impl Into<String>) -> Self {
        self.set("team_id", team_id)
    }

    /// The session it belongs to (required for `session_context`).
    pub fn session_id(self, session_id: impl Into<String>) -> Self {
        self.set("session_id", session_id)
    }

    /// The entity it describes (required, with [`entity_type`](Self::entity_type), for
    /// `entity_memory`).
    pub fn entity_id(self, entity_id: impl Into<String>) -> Self {
        self.set("entity_id", entity_id)
    }

    /// The kind of entity, e.g. `person` or `company`.
    pub fn entity_type(self, entity_type: impl Into<String>) -> Self {
        self.set("entity_type", entity_type)
    }

    /// Free-form metadata (must serialize to a JSON object).
    pub fn metadata<T: Serialize + ?Sized>(mut self, metadata: &T) -> Self {
        self.call = put_object(self.call, &mut self.body, "metadata", metadata);
        self
    }

    fn finish(mut self) -> Call<LearningResponse> {
        if self.learning_type.as_str().is_empty() {
            return self.call.fail(Error::InvalidRequest(
                "learning_type must not be empty".into(),
            ));
        }
        if let Err(e) = check_identity(&self.learning_type, &self.body) {
            return self.call.fail(e);
        }
        self.body
            .insert("learning_type".into(), json!(self.learning_type.as_str()));
        let body = self.body;
        self.call
            .try_with_request(|r| r.set_json(&body))
            .check_db_params()
    }
}

agentos_core::call_builder! {
    /// `GET /learnings`, from [`LearningsExt::list_learnings`]: one page, or every page as a
    /// stream.
    pub struct ListLearnings => Page<LearningResponse>, db_params, paged(LearningResponse, sorted);
}

impl ListLearnings {
    fn filter(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.call = self.call.query(name, value.into());
        self
    }

    /// Only learnings of this kind.
    pub fn learning_type(self, learning_type: impl Into<LearningType>) -> Self {
        let t: LearningType = learning_type.into();
        self.filter("learning_type", t.as_str())
    }

    /// Only this user's learnings.
    pub fn user_id(self, user_id: impl Into<String>) -> Self {
        self.filter("user_id", user_id)
    }

    /// Only this agent's learnings.
    pub fn agent_id(self, agent_id: impl Into<String>) -> Self {
        self.filter("agent_id", agent_id)
    }

    /// Only this team's learnings.
    pub fn team_id(self, team_id: impl Into<String>) -> Self {
        self.filter("team_id", team_id)
    }

    /// Only this session's learnings.
    pub fn session_id(self, session_id: impl Into<String>) -> Self {
        self.filter("session_id", session_id)
    }

    /// Only learnings in this namespace.
    pub fn namespace(self, namespace: impl Into<String>) -> Self {
        self.filter("namespace", namespace)
    }

    /// Only learnings about this entity.
    pub fn entity_id(self, entity_id: impl Into<String>) -> Self {
        self.filter("entity_id", entity_id)
    }

    /// Only learnings about entities of this kind.
    pub fn entity_type(self, entity_type: impl Into<String>) -> Self {
        self.filter("entity_type", entity_type)
    }
}

agentos_core::call_builder! {
    /// `GET /learnings/users`, from [`LearningsExt::list_learning_users`]: one page, or every
    /// page as a stream.
    pub struct ListLearningUsers => Page<LearningUserStats>, db_params, paged(LearningUserStats, sorted);
}

agentos_core::query_setters!(ListLearningUsers {
    /// Only this user.
    user_id,
});

impl ListLearningUsers {
    /// Only users with learnings of this kind (and their newest learning of this kind).
    pub fn learning_type(mut self, learning_type: impl Into<LearningType>) -> Self {
        let t: LearningType = learning_type.into();
        self.call = self.call.query("learning_type", t.as_str());
        self
    }
}

agentos_core::call_builder! {
    /// `DELETE /learnings/users/{user_id}`, from [`LearningsExt::delete_learning_user`].
    pub struct DeleteLearningUser => (), db_params;
}

impl DeleteLearningUser {
    /// Deletes only the user's learnings of this kind (default: every kind).
    pub fn learning_type(mut self, learning_type: impl Into<LearningType>) -> Self {
        let t: LearningType = learning_type.into();
        self.call = self.call.query("learning_type", t.as_str());
        self
    }
}

agentos_core::call_builder! {
    /// `GET /learnings/{learning_id}`, from [`LearningsExt::get_learning`].
    pub struct GetLearning => LearningResponse, db_params;
}

/// `PATCH /learnings/{learning_id}`, from [`LearningsExt::update_learning`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UpdateLearning {
    call: Call<LearningResponse>,
    body: Map<String, Value>,
}

impl UpdateLearning {
    /// Replaces the content (a JSON object; the whole content is replaced, not merged).
    pub fn content<T: Serialize + ?Sized>(mut self, content: &T) -> Self {
        self.call = put_object(self.call, &mut self.body, "content", content);
        self
    }

    /// Replaces the metadata (a JSON object).
    pub fn metadata<T: Serialize + ?Sized>(mut self, metadata: &T) -> Self {
        self.call = put_object(self.call, &mut self.body, "metadata", metadata);
        self
    }

    /// Removes the metadata (sends `metadata: null`).
    pub fn clear_metadata(mut self) -> Self {
        self.body.insert("metadata".into(), Value::Null);
        self
    }

    fn finish(self) -> Call<LearningResponse> {
        let body = self.body;
        self.call
            .try_with_request(|r| r.set_json(&body))
            .check_db_params()
    }
}

agentos_core::call_builder! {
    /// `DELETE /learnings/{learning_id}`, from [`LearningsExt::delete_learning`].
    pub struct DeleteLearning => (), db_params;
}

agentos_core::impl_call_builder!(CreateLearning => LearningResponse);
agentos_core::impl_call_builder!(UpdateLearning => LearningResponse);
agentos_core::impl_db_params!(CreateLearning, UpdateLearning);

agentos_core::seal_extension_traits!();

/// The learnings calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait LearningsExt: sealed::Sealed {
    /// `POST /learnings`: stores a learning (201). `content` must serialize to a JSON object.
    ///
    /// Identity-keyed kinds get a deterministic id and need their identity fields, checked
    /// before sending: `user_id` for `user_profile` / `user_memory`, `session_id` for
    /// `session_context`, `entity_id` + `entity_type` for `entity_memory` (plus `user_id` under
    /// namespace `user`). A second one for the same identity answers 409: update it with
    /// [`update_learning`](Self::update_learning) instead.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_learnings::{LearningType, LearningsExt};
    /// use serde_json::json;
    /// let acme = client
    ///     .create_learning(LearningType::EntityMemory, &json!({"facts": ["Founded in 1999"]}))
    ///     .entity_type("company")
    ///     .entity_id("acme")
    ///     .metadata(&json!({"source": "crm"}))
    ///     .await?;
    /// assert_eq!(acme.namespace.as_deref(), Some("global"));
    /// # Ok(()) }
    /// ```
    fn create_learning<T: Serialize + ?Sized>(
        &self,
        learning_type: impl Into<LearningType>,
        content: &T,
    ) -> CreateLearning;

    /// `GET /learnings`: a page of learnings, filtered by kind, owner, namespace or entity;
    /// [`ListLearnings::into_stream`] walks every page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_core::SortOrder;
    /// use agentos_learnings::{LearningType, LearningsExt};
    /// let page = client
    ///     .list_learnings()
    ///     .learning_type(LearningType::UserProfile)
    ///     .user_id("user-1")
    ///     .sort_by("created_at")
    ///     .sort_order(SortOrder::Asc)
    ///     .limit(10)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn list_learnings(&self) -> ListLearnings;

    /// `GET /learnings/users`: the users that own learnings, with their newest learning's
    /// time (records with no owner are left out), paged.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_learnings::LearningsExt;
    /// let users = client.list_learning_users().limit(50).await?;
    /// for u in &users.data {
    ///     println!("{} {:?}", u.user_id, u.last_learning_updated_at);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_learning_users(&self) -> ListLearningUsers;

    /// `DELETE /learnings/users/{user_id}`: deletes a user's learnings, of every kind or of
    /// one (204 even when there were none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_learnings::{LearningType, LearningsExt};
    /// client.delete_learning_user("user-1").learning_type(LearningType::UserMemory).await?;
    /// # Ok(()) }
    /// ```
    fn delete_learning_user(&self, user_id: &str) -> DeleteLearningUser;

    /// `GET /learnings/{learning_id}`: one learning (404 when there is none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_learnings::LearningsExt;
    /// let profile = client.get_learning("user_profile_user-1").await?;
    /// println!("{:?}", profile.content);
    /// # Ok(()) }
    /// ```
    fn get_learning(&self, learning_id: &str) -> GetLearning;

    /// `PATCH /learnings/{learning_id}`: replaces the content and/or the metadata (each one
    /// given is replaced whole; what is not given is kept). Identity fields cannot change.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_learnings::LearningsExt;
    /// use serde_json::json;
    /// let updated = client
    ///     .update_learning("user_profile_user-1")
    ///     .content(&json!({"name": "Ann", "likes": ["coffee"]}))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn update_learning(&self, learning_id: &str) -> UpdateLearning;

    /// `DELETE /learnings/{learning_id}` (204; 404 when there is none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_learnings::LearningsExt;
    /// client.delete_learning("user_profile_user-1").await?;
    /// # Ok(()) }
    /// ```
    fn delete_learning(&self, learning_id: &str) -> DeleteLearning;
}

impl LearningsExt for AgentOsClient {
    fn create_learning<T: Serialize + ?Sized>(
        &self,
        learning_type: impl Into<LearningType>,
        content: &T,
    ) -> CreateLearning {
        let mut body = Map::new();
        let call = Call::new(self, Request::post(route::LEARNINGS, &[]), decode_json);
        let call = put_object(call, &mut body, "content", content);
        CreateLearning {
            call,
            learning_type: learning_type.into(),
            body,
        }
    }

    fn list_learnings(&self) -> ListLearnings {
        ListLearnings {
            call: Call::new(self, Request::get(route::LEARNINGS, &[]), decode_json),
        }
    }

    fn list_learning_users(&self) -> ListLearningUsers {
        ListLearningUsers {
            call: Call::new(self, Request::get(route::LEARNINGS_USERS, &[]), decode_json),
        }
    }

    fn delete_learning_user(&self, user_id: &str) -> DeleteLearningUser {
        DeleteLearningUser {
            call: Call::new(
                self,
                Request::delete(route::LEARNINGS_USERS_USER_ID, &[user_id]),
                decode_unit,
            ),
        }
    }

    fn get_learning(&self, learning_id: &str) -> GetLearning {
        GetLearning {
            call: Call::new(
                self,
                Request::get(route::LEARNINGS_LEARNING_ID, &[learning_id]),
                decode_json,
            ),
        }
    }

    fn update_learning(&self, learning_id: &str) -> UpdateLearning {
        UpdateLearning {
            call: Call::new(
                self,
                Request::patch(route::LEARNINGS_LEARNING_ID, &[learning_id]),
                decode_json,
            ),
            body: Map::new(),
        }
    }

    fn delete_learning(&self, learning_id: &str) -> DeleteLearning {
        DeleteLearning {
            call: Call::new(
                self,
                Request::delete(route::LEARNINGS_LEARNING_ID, &[learning_id]),
                decode_unit,
            ),
        }
    }
}

#[cfg(test)]
mod tests;
