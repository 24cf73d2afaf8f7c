#![cfg_attr(docsrs, feature(doc_cfg))]
//! The sessions area of the AgentOS Rust SDK: [`SessionsExt`] adds its calls to
//! [`AgentOsClient`].
//!
//! Every call returns a builder: set the optional parameters, then `.await` it (or `.send()`).
//! Each one takes the optional `db_id` / `table` of the database to use, as listed in
//! `GET /config` → `session.dbs` (`create_session` takes only `db_id`: the server reads no
//! table there). The session kind goes out as the `type` query parameter.
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_sessions::{SessionType, SessionsExt};
//! use futures::TryStreamExt;
//!
//! let mut sessions = std::pin::pin!(client
//!     .get_sessions()
//!     .session_type(SessionType::Agent)
//!     .component_id("echo-agent")
//!     .into_stream());
//! while let Some(session) = sessions.try_next().await? {
//!     let runs = client.get_session_runs(&session.session_id).await?;
//!     println!("{} ({}): {} runs", session.session_id, session.session_name, runs.len());
//! }
//! # Ok(()) }
//! ```

mod types;

use agentos_core::kit::CallKit;
use agentos_core::kit::{Decoder, decode_json, decode_unit};
use agentos_core::{
    AgentOsClient, Call, Error, HttpError, Page, Request, Response, Result, Timestamp,
};
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value, json};

pub use agentos_core::SecretUrl;
use agentos_core::kit::json_object;
pub use types::{
    AgentSessionDetailSchema, Extra, MediaLocation, Message, RunSchema, RunStatus, SavedMedia,
    SessionDetail, SessionMedia, SessionRunPreviewSchema, SessionSchema, SessionSummary,
    SessionType, TeamSessionDetailSchema, WorkflowSessionDetailSchema,
};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    SESSIONS = "/sessions": POST, GET, DELETE;
    SESSIONS_SESSION_ID = "/sessions/{session_id}": GET, DELETE, PATCH;
    SESSIONS_SESSION_ID_RUNS = "/sessions/{session_id}/runs": GET;
    SESSIONS_SESSION_ID_RUN_PREVIEWS = "/sessions/{session_id}/run-previews": GET;
    SESSIONS_SESSION_ID_RUNS_RUN_ID = "/sessions/{session_id}/runs/{run_id}": GET;
    SESSIONS_SESSION_ID_RENAME = "/sessions/{session_id}/rename": POST;
    SESSIONS_SESSION_ID_MEDIA_STORAGE_KEY = "/sessions/{session_id}/media/{storage_key}": GET;
}

fn decode_detail_with(resp: &Response, hint: Option<&SessionType>) -> Result<SessionDetail> {
    let value: Value = resp.json()?;
    SessionDetail::from_json(value, hint).map_err(|e| resp.decode_error(e))
}

fn decode_detail(resp: Response) -> Result<SessionDetail> {
    decode_detail_with(&resp, None)
}

fn decode_agent_detail(resp: Response) -> Result<SessionDetail> {
    decode_detail_with(&resp, Some(&SessionType::Agent))
}

fn decode_team_detail(resp: Response) -> Result<SessionDetail> {
    decode_detail_with(&resp, Some(&SessionType::Team))
}

fn decode_workflow_detail(resp: Response) -> Result<SessionDetail> {
    decode_detail_with(&resp, Some(&SessionType::Workflow))
}

/// The decoder of a detail answer when the call named the session kind.
fn detail_decoder(kind: Option<&SessionType>) -> Decoder<SessionDetail> {
    match kind {
        Some(SessionType::Agent) => decode_agent_detail,
        Some(SessionType::Team) => decode_team_detail,
        Some(SessionType::Workflow) => decode_workflow_detail,
        _ => decode_detail,
    }
}

/// Rebuilds a detail call with the decoder for its kind, and checks `db_id` / `table`.
fn finish_detail(call: Call<SessionDetail>, kind: Option<&SessionType>) -> Call<SessionDetail> {
    let (client, request) = call.into_parts();
    Call::new(&client, request, detail_decoder(kind)).check_db_params()
}

/// [`finish_detail`] of a call that writes a session, with `body` as its JSON body.
fn finish_write(
    call: Call<SessionDetail>,
    body: Map<String, Value>,
    kind: Option<&SessionType>,
) -> Call<SessionDetail> {
    let body = Value::Object(body);
    finish_detail(call.try_with_request(|r| r.set_json(&body)), kind)
}

/// The setters of the fields both creating and updating a session write (a `body` field),
/// each builder with its own docs.
macro_rules! session_write_setters {
    ($ty:ident {
        $(#[$name_doc:meta])* session_name,
        $(#[$state_doc:meta])* session_state,
        $(#[$metadata_doc:meta])* metadata $(,)?
    }) => {
        impl $ty {
            $(#[$name_doc])*
            pub fn session_name(mut self, name: impl Into<String>) -> Self {
                self.body.insert("session_name".into(), json!(name.into()));
                self
            }

            $(#[$state_doc])*
            pub fn session_state<T: Serialize + ?Sized>(mut self, state: &T) -> Self {
                self.call = put_object(self.call, &mut self.body, "session_state", state);
                self
            }

            $(#[$metadata_doc])*
            pub fn metadata<T: Serialize + ?Sized>(mut self, metadata: &T) -> Self {
                self.call = put_object(self.call, &mut self.body, "metadata", metadata);
                self
            }
        }
    };
}

/// True when the answer carries `Content-Disposition: attachment`.
fn is_attachment(headers: &agentos_core::http::HeaderMap) -> bool {
    headers
        .get(agentos_core::http::header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("attachment")
        })
}

fn decode_media_location(resp: Response) -> Result<MediaLocation> {
    if !resp.status.is_redirection() {
        return decode_media(resp).map(MediaLocation::Inline);
    }
    let location = resp
        .headers
        .get(agentos_core::http::header::LOCATION)
        .and_then(|v| v.to_str().ok());
    match location {
        Some(url) if !url.is_empty() => Ok(MediaLocation::Url(SecretUrl::new(url))),
        // A redirect that names no target cannot be used: it stays the HTTP error it is.
        _ => Err(Error::Http(Box::new(HttpError::from_response(
            resp.status,
            resp.method.clone(),
            &resp.route,
            &resp.headers,
            &resp.body,
        )))),
    }
}

fn decode_media(resp: Response) -> Result<SessionMedia> {
    let attachment = is_attachment(&resp.headers);
    Ok(SessionMedia {
        content_type: resp.content_type().map(str::to_owned),
        attachment,
        data: resp.body,
    })
}

/// Stores `value` (which must serialize to a JSON object) under `key`, or fails the call.
fn put_object<T: Serialize + ?Sized, O: Send + 'static>(
    call: Call<O>,
    body: &mut Map<String, Value>,
    key: &str,
    value: &T,
) -> Call<O> {
    match json_object(key, value) {
        Ok(map) => {
            body.insert(key.to_owned(), Value::Object(map));
            call
        }
        Err(e) => call.fail(e),
    }
}

/// `POST /sessions`, from [`SessionsExt::create_session`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct CreateSession {
    call: Call<SessionDetail>,
    session_type: Option<SessionType>,
    body: Map<String, Value>,
}

agentos_core::query_setters!(CreateSession {
    /// Creates the session in the database with this id (listed in `GET /config` →
    /// `session.dbs`). The create route reads no `table`.
    db_id,
});

impl CreateSession {
    /// The kind of session (default: agent).
    pub fn session_type(mut self, session_type: SessionType) -> Self {
        self.call = self.call.query("type", &session_type);
        self.session_type = Some(session_type);
        self
    }

    /// The session id (default: a new UUID). A session with this id must not exist yet
    /// (409 otherwise).
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.body
            .insert("session_id".into(), json!(session_id.into()));
        self
    }

    /// The user the session belongs to.
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.body.insert("user_id".into(), json!(user_id.into()));
        self
    }

    /// The agent, for an agent session.
    pub fn agent_id(mut self, agent_id: impl Into<String>) -> Self {
        self.body.insert("agent_id".into(), json!(agent_id.into()));
        self
    }

    /// The team, for a team session.
    pub fn team_id(mut self, team_id: impl Into<String>) -> Self {
        self.body.insert("team_id".into(), json!(team_id.into()));
        self
    }

    /// The workflow, for a workflow session.
    pub fn workflow_id(mut self, workflow_id: impl Into<String>) -> Self {
        self.body
            .insert("workflow_id".into(), json!(workflow_id.into()));
        self
    }

    fn finish(self) -> Call<SessionDetail> {
        // The server creates an agent session when no type is given.
        let kind = self.session_type.unwrap_or(SessionType::Agent);
        finish_write(self.call, self.body, Some(&kind))
    }
}

session_write_setters!(CreateSession {
    /// The session name.
    session_name,
    /// The initial session state: anything that serializes to a JSON object.
    session_state,
    /// The session metadata: anything that serializes to a JSON object. The server drops
    /// keys it reserves for itself.
    metadata,
});

agentos_core::call_builder! {
    /// `GET /sessions`, from [`SessionsExt::get_sessions`]: one page, or every page as a stream.
    /// The server's defaults: 20 sessions a page, newest first (`created_at`, descending).
    pub struct GetSessions => Page<SessionSchema>, db_params, paged(SessionSchema, sorted;
        pages {
            ///
            /// ```no_run
            /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
            /// use agentos_sessions::SessionsExt;
            /// use futures::TryStreamExt;
            /// let pages: Vec<_> = client.get_sessions().user_id("u1").limit(100).pages().try_collect().await?;
            /// # Ok(()) }
            /// ```
        }
        into_stream {
            ///
            /// ```no_run
            /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
            /// use agentos_sessions::SessionsExt;
            /// use futures::TryStreamExt;
            /// let all: Vec<_> = client.get_sessions().user_id("u1").into_stream().try_collect().await?;
            /// # Ok(()) }
            /// ```
        });
}

agentos_core::query_setters!(GetSessions {
    /// Only sessions of this agent, team or workflow.
    component_id,
    /// Only sessions of this user.
    user_id,
});

impl GetSessions {
    /// Only sessions of this kind (sent as `type`; default: every kind).
    pub fn session_type(mut self, session_type: SessionType) -> Self {
        self.call = self.call.query("type", session_type);
        self
    }

    /// Only sessions whose name contains this text.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.call = self.call.query("session_name", name.into());
        self
    }
}

/// `GET /sessions/{session_id}`, from [`SessionsExt::get_session`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct GetSession {
    call: Call<SessionDetail>,
    session_type: Option<SessionType>,
}

/// `POST /sessions/{session_id}/rename`, from [`SessionsExt::rename_session`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct RenameSession {
    call: Call<SessionDetail>,
    session_type: Option<SessionType>,
}

/// `PATCH /sessions/{session_id}`, from [`SessionsExt::update_session`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UpdateSession {
    call: Call<SessionDetail>,
    session_type: Option<SessionType>,
    body: Map<String, Value>,
}

/// Adds `session_type` (sent as `type`) and `user_id` to builders of detail calls.
macro_rules! detail_params {
    ($($ty:ty),+) => {$(
        impl $ty {
            /// The kind of the session (sent as `type`). Without it the server looks the
            /// kind up, and the answer's kind is told from its fields.
            pub fn session_type(mut self, session_type: SessionType) -> Self {
                self.call = self.call.query("type", &session_type);
                self.session_type = Some(session_type);
                self
            }

            /// Acts on the session only if it belongs to this user (404 otherwise).
            pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
                self.call = self.call.query("user_id", user_id.into());
                self
            }
        }
    )+};
}

detail_params!(GetSession, RenameSession, UpdateSession);

impl GetSession {
    fn finish(self) -> Call<SessionDetail> {
        finish_detail(self.call, self.session_type.as_ref())
    }
}

impl RenameSession {
    fn finish(self) -> Call<SessionDetail> {
        finish_detail(self.call, self.session_type.as_ref())
    }
}

session_write_setters!(UpdateSession {
    /// The new name.
    session_name,
    /// The new session state, replacing the old one: anything that serializes to a JSON
    /// object.
    session_state,
    /// The new metadata, replacing the old: anything that serializes to a JSON object.
    metadata,
});

impl UpdateSession {
    /// The new session summary.
    pub fn summary(mut self, summary: &SessionSummary) -> Self {
        self.call = put_object(self.call, &mut self.body, "summary", summary);
        self
    }

    fn finish(self) -> Call<SessionDetail> {
        finish_write(self.call, self.body, self.session_type.as_ref())
    }
}

agentos_core::call_builder! {
    /// `GET /sessions/{session_id}/runs`, from [`SessionsExt::get_session_runs`].
    pub struct GetSessionRuns => Vec<RunSchema>, db_params;
    /// `GET /sessions/{session_id}/run-previews`, from [`SessionsExt::get_session_run_previews`].
    pub struct GetSessionRunPreviews => Vec<SessionRunPreviewSchema>, db_params;
}

/// Adds the run filters to the builders of the run lists.
macro_rules! run_filters {
    ($($ty:ty),+) => {$(
        impl $ty {
            /// The kind of the session (sent as `type`; default: looked up by the server).
            pub fn session_type(mut self, session_type: SessionType) -> Self {
                self.call = self.call.query("type", session_type);
                self
            }

            /// Reads the session only if it belongs to this user (404 otherwise).
            pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
                self.call = self.call.query("user_id", user_id.into());
                self
            }

            /// Only runs created after this time (sent as epoch seconds): a
            /// [`Timestamp`], a `chrono` date-time, a `SystemTime` or epoch seconds.
            pub fn created_after(mut self, at: impl Into<Timestamp>) -> Self {
                self.call = self.call.query("created_after", at.into().unix_seconds());
                self
            }

            /// Only runs created before this time (sent as epoch seconds): a
            /// [`Timestamp`], a `chrono` date-time, a `SystemTime` or epoch seconds.
            pub fn created_before(mut self, at: impl Into<Timestamp>) -> Self {
                self.call = self.call.query("created_before", at.into().unix_seconds());
                self
            }

            /// Only runs with this status. Call it again to accept several (the parameter
            /// is repeated); an unknown status is refused by the server with a 400.
            pub fn status(mut self, status: RunStatus) -> Self {
                self.call = self.call.with_request(|r| r.push_query("status", status));
                self
            }
        }
    )+};
}

run_filters!(GetSessionRuns, GetSessionRunPreviews);

agentos_core::call_builder! {
    /// `GET /sessions/{session_id}/runs/{run_id}`, from [`SessionsExt::get_session_run`].
    pub struct GetSessionRun => RunSchema, db_params;
}

agentos_core::query_setters!(GetSessionRun {
    /// Reads the run only if its session belongs to this user (404 otherwise).
    user_id,
});

impl GetSessionRun {
    /// The kind of the session (sent as `type`).
    pub fn session_type(mut self, session_type: SessionType) -> Self {
        self.call = self.call.query("type", session_type);
        self
    }
}

agentos_core::call_builder! {
    /// `DELETE /sessions/{session_id}`, from [`SessionsExt::delete_session`].
    pub struct DeleteSession => (), db_params;
}

agentos_core::query_setters!(DeleteSession {
    /// Deletes the session only if it belongs to this user.
    user_id,
});

impl DeleteSession {
    /// Also deletes the media the session's runs offloaded to media storage (the server
    /// answers 503 when it has no media storage).
    pub fn delete_media(mut self, delete_media: bool) -> Self {
        self.call = self.call.query("delete_media", delete_media);
        self
    }
}

/// `DELETE /sessions` with a JSON body, from [`SessionsExt::delete_sessions`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct DeleteSessions {
    call: Call<()>,
    sessions: Vec<(String, SessionType)>,
}

agentos_core::query_setters!(DeleteSessions {
    /// Deletes only the listed sessions that belong to this user.
    user_id,
});

impl DeleteSessions {
    /// Also deletes the media the sessions' runs offloaded to media storage (503 when the
    /// server has no media storage).
    pub fn delete_media(mut self, delete_media: bool) -> Self {
        self.call = self.call.query("delete_media", delete_media);
        self
    }

    fn finish(self) -> Call<()> {
        if self.sessions.is_empty() {
            return self.call.fail(Error::InvalidRequest(
                "delete_sessions needs at least one session".into(),
            ));
        }
        let (ids, types): (Vec<String>, Vec<SessionType>) = self.sessions.into_iter().unzip();
        let body = json!({"session_ids": ids, "session_types": types});
        self.call
            .try_with_request(|r| r.set_json(&body))
            .check_db_params()
    }
}

agentos_core::call_builder! {
    /// `GET /sessions/{session_id}/media/{storage_key}`, from [`SessionsExt::get_session_media`].
    pub struct GetSessionMedia => SessionMedia, db_params;
}

agentos_core::query_setters!(GetSessionMedia {
    /// Reads the media only if the session belongs to this user (404 otherwise).
    user_id,
});

impl GetSessionMedia {
    /// The kind of the session (sent as `type`; default: looked up by the server).
    pub fn session_type(mut self, session_type: SessionType) -> Self {
        self.call = self.call.query("type", session_type);
        self
    }

    /// Asks the server for a 307 redirect to a freshly signed URL of the storage instead of
    /// the bytes. The default transport follows the redirect (without the bearer token when
    /// it leads to another host), so the answer is still the bytes, fetched from the storage.
    /// A transport that does not follow redirects gets an [`Error::Http`]
    /// of status 307 whose `location` holds the URL. To get the URL itself, use
    /// [`signed_url`](Self::signed_url). Storage that cannot sign URLs (local disk) answers
    /// 200 with the bytes as if `redirect` were false.
    pub fn redirect(mut self, redirect: bool) -> Self {
        self.call = self.call.query("redirect", redirect);
        self
    }

    /// Asks for a freshly signed URL of the media instead of its bytes (`redirect=true`,
    /// with the redirect returned rather than followed): hand it to a browser or another
    /// service, which fetches from the storage directly. Storage that cannot sign URLs (local
    /// disk) answers with the bytes, which come back as [`MediaLocation::Inline`].
    ///
    /// ```no_run
    /// use agentos_sessions::{MediaLocation, SessionsExt};
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// match client
    ///     .get_session_media("session-1", "session-1-img-1f4d82da3e1a8ef6.png")
    ///     .signed_url()
    ///     .await?
    /// {
    ///     MediaLocation::Url(url) => println!("fetch it from {url}"), // prints without the signature
    ///     MediaLocation::Inline(media) => println!("{} bytes inline", media.data.len()),
    ///     _ => {}
    /// }
    /// # Ok(()) }
    /// ```
    pub fn signed_url(self) -> Call<MediaLocation> {
        let (client, request) = self.redirect(true).finish().into_parts();
        Call::new(&client, request, decode_media_location).follow_redirects(false)
    }

    /// Streams the media into the file at `path` (created or truncated) chunk by chunk,
    /// without holding it in memory, and returns its content type and the bytes written.
    /// On any failure after the file was created (a broken connection, a full disk) the
    /// partial file is removed and the error returned.
    ///
    /// With [`redirect(true)`](Self::redirect): when the storage can sign URLs (S3, GCS) the
    /// server answers `307` to the signed URL. The default transport follows it (without the
    /// bearer token when it leads to another host), so the file holds the storage's bytes and
    /// the content type is the storage's. A transport that does not follow redirects makes
    /// the call fail with an [`Error::Http`] of status 307 whose `location` holds the URL;
    /// nothing is fetched behind your back. Local media storage has no URLs: the server then
    /// sends the bytes as without `redirect`.
    ///
    /// ```no_run
    /// use agentos_sessions::SessionsExt;
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let saved = client
    ///     .get_session_media("session-1", "session-1-img-1f4d82da3e1a8ef6.png")
    ///     .save_to("/tmp/cat.png")
    ///     .await?;
    /// println!("{} bytes of {:?}", saved.bytes_written, saved.content_type);
    /// # Ok(()) }
    /// ```
    pub async fn save_to(self, path: impl AsRef<Path>) -> Result<SavedMedia> {
        let path = path.as_ref();
        let (client, request) = self.finish().into_parts();
        let resp = client.execute_download(request?).await?;
        let content_type = resp
            .headers
            .get(agentos_core::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let attachment = is_attachment(&resp.headers);
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|e| write_error(path, e))?;
        match copy_body(resp.body, &mut file, path).await {
            Ok(bytes_written) => Ok(SavedMedia {
                content_type,
                attachment,
                bytes_written,
            }),
            Err(e) => {
                drop(file);
                let _ = tokio::fs::remove_file(path).await;
                Err(e)
            }
        }
    }
}

/// Writes every chunk of `body` to `file`, then flushes it to the OS; returns the byte count.
async fn copy_body(
    mut body: agentos_core::ByteStream,
    file: &mut tokio::fs::File,
    path: &Path,
) -> Result<u64> {
    use futures::StreamExt;
    use tokio::io::AsyncWriteExt;
    let mut written = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        file.write_all(&chunk)
            .await
            .map_err(|e| write_error(path, e))?;
        written += chunk.len() as u64;
    }
    file.flush().await.map_err(|e| write_error(path, e))?;
    file.sync_all().await.map_err(|e| write_error(path, e))?;
    Ok(written)
}

fn write_error(path: &Path, source: std::io::Error) -> agentos_core::Error {
    agentos_core::Error::FileWrite {
        path: path.to_owned(),
        source,
    }
}

agentos_core::impl_call_builder!(CreateSession => SessionDetail);
agentos_core::impl_call_builder!(GetSession => SessionDetail);
agentos_core::impl_call_builder!(RenameSession => SessionDetail);
agentos_core::impl_call_builder!(UpdateSession => SessionDetail);
agentos_core::impl_call_builder!(DeleteSessions => ());
agentos_core::impl_db_params!(GetSession, RenameSession, UpdateSession, DeleteSessions);

agentos_core::seal_extension_traits!();

/// The sessions calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait SessionsExt: sealed::Sealed {
    /// `POST /sessions`: creates an empty session (201). An agent session unless
    /// [`session_type`](CreateSession::session_type) says otherwise; 409 when a session with
    /// the given id exists.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::{SessionType, SessionsExt};
    /// let session = client
    ///     .create_session()
    ///     .session_type(SessionType::Agent)
    ///     .agent_id("echo-agent")
    ///     .user_id("user-1")
    ///     .session_name("Support chat")
    ///     .session_state(&serde_json::json!({"cart": []}))
    ///     .await?;
    /// println!("created {}", session.session_id());
    /// # Ok(()) }
    /// ```
    fn create_session(&self) -> CreateSession;

    /// `GET /sessions`: a page of sessions, filtered by kind, component, user or name, and
    /// sorted; [`GetSessions::into_stream`] walks every page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_core::SortOrder;
    /// use agentos_sessions::{SessionType, SessionsExt};
    /// let page = client
    ///     .get_sessions()
    ///     .session_type(SessionType::Team)
    ///     .user_id("user-1")
    ///     .sort_by("updated_at")
    ///     .sort_order(SortOrder::Desc)
    ///     .limit(10)
    ///     .await?;
    /// for s in &page.data {
    ///     println!("{} {}", s.session_id, s.session_name);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_sessions(&self) -> GetSessions;

    /// `GET /sessions/{session_id}`: a session in detail, with its chat history.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::{SessionDetail, SessionsExt};
    /// match client.get_session("session-1").await? {
    ///     SessionDetail::Agent(s) => println!("agent {:?}: {} messages", s.agent_id, s.chat_history.len()),
    ///     other => println!("{} session {}", other.session_type(), other.session_id()),
    /// }
    /// # Ok(()) }
    /// ```
    fn get_session(&self, session_id: &str) -> GetSession;

    /// `GET /sessions/{session_id}/runs`: the runs stored in a session (a bare list, not
    /// paged), optionally filtered by time and status.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::{RunStatus, SessionsExt};
    /// let runs = client
    ///     .get_session_runs("session-1")
    ///     .status(RunStatus::Completed)
    ///     .status(RunStatus::Error)
    ///     .await?;
    /// for run in &runs {
    ///     println!("{} {:?}: {:?} -> {:?}", run.run_id, run.status, run.run_input, run.content_text());
    /// }
    /// # Ok(()) }
    /// ```
    fn get_session_runs(&self, session_id: &str) -> GetSessionRuns;

    /// `GET /sessions/{session_id}/run-previews`: ids, status, time and the start of input
    /// and output of each run, for light polling. Same filters as
    /// [`get_session_runs`](Self::get_session_runs).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::SessionsExt;
    /// for p in client.get_session_run_previews("session-1").await? {
    ///     println!("{} {:?} {:?}", p.run_id, p.status, p.content_preview);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_session_run_previews(&self, session_id: &str) -> GetSessionRunPreviews;

    /// `GET /sessions/{session_id}/runs/{run_id}`: one stored run (404 when the session or
    /// the run is missing).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::SessionsExt;
    /// let run = client.get_session_run("session-1", "run-1").await?;
    /// println!("{:?} messages", run.messages.as_ref().map(Vec::len));
    /// # Ok(()) }
    /// ```
    fn get_session_run(&self, session_id: &str, run_id: &str) -> GetSessionRun;

    /// `DELETE /sessions/{session_id}`: deletes a session and its runs (204, also when there
    /// was no such session).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::SessionsExt;
    /// client.delete_session("session-1").await?;
    /// # Ok(()) }
    /// ```
    fn delete_session(&self, session_id: &str) -> DeleteSession;

    /// `DELETE /sessions` with a JSON body: deletes several sessions, each given with its
    /// kind (the server wants two lists of equal length; pairs make that certain). An empty
    /// list is refused before sending.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::{SessionType, SessionsExt};
    /// client
    ///     .delete_sessions([("s1", SessionType::Agent), ("s2", SessionType::Team)])
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn delete_sessions<I, S>(&self, sessions: I) -> DeleteSessions
    where
        I: IntoIterator<Item = (S, SessionType)>,
        S: Into<String>;

    /// `POST /sessions/{session_id}/rename`.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::SessionsExt;
    /// let renamed = client.rename_session("session-1", "Billing question").await?;
    /// assert_eq!(renamed.session_name(), "Billing question");
    /// # Ok(()) }
    /// ```
    fn rename_session(&self, session_id: &str, session_name: impl Into<String>) -> RenameSession;

    /// `PATCH /sessions/{session_id}`: sets the name, state, metadata or summary (each one
    /// given replaces the stored value; the others are kept).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::{SessionSummary, SessionsExt};
    /// let updated = client
    ///     .update_session("session-1")
    ///     .session_state(&serde_json::json!({"step": "done"}))
    ///     .metadata(&serde_json::json!({"priority": "high"}))
    ///     .summary(&SessionSummary::new("The user asked about billing.").topics(["billing"]))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn update_session(&self, session_id: &str) -> UpdateSession;

    /// `GET /sessions/{session_id}/media/{storage_key}`: a media file the session's runs
    /// offloaded to the OS's media storage, with its content type. The key may contain `/`.
    /// The server answers 503 when it has no media storage, 404 when the key does not belong
    /// to the session.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_sessions::SessionsExt;
    /// let media = client.get_session_media("session-1", "images/cat.png").await?;
    /// println!("{} bytes of {:?}", media.data.len(), media.content_type);
    /// # Ok(()) }
    /// ```
    fn get_session_media(&self, session_id: &str, storage_key: &str) -> GetSessionMedia;
}

impl SessionsExt for AgentOsClient {
    fn create_session(&self) -> CreateSession {
        CreateSession {
            call: Call::new(self, Request::post(route::SESSIONS, &[]), decode_detail),
            session_type: None,
            body: Map::new(),
        }
    }

    fn get_sessions(&self) -> GetSessions {
        GetSessions {
            call: Call::new(self, Request::get(route::SESSIONS, &[]), decode_json),
        }
    }

    fn get_session(&self, session_id: &str) -> GetSession {
        GetSession {
            call: Call::new(
                self,
                Request::get(route::SESSIONS_SESSION_ID, &[session_id]),
                decode_detail,
            ),
            session_type: None,
        }
    }

    fn get_session_runs(&self, session_id: &str) -> GetSessionRuns {
        GetSessionRuns {
            call: Call::new(
                self,
                Request::get(route::SESSIONS_SESSION_ID_RUNS, &[session_id]),
                decode_json,
            ),
        }
    }

    fn get_session_run_previews(&self, session_id: &str) -> GetSessionRunPreviews {
        GetSessionRunPreviews {
            call: Call::new(
                self,
                Request::get(route::SESSIONS_SESSION_ID_RUN_PREVIEWS, &[session_id]),
                decode_json,
            ),
        }
    }

    fn get_session_run(&self, session_id: &str, run_id: &str) -> GetSessionRun {
        GetSessionRun {
            call: Call::new(
                self,
                Request::get(
                    route::SESSIONS_SESSION_ID_RUNS_RUN_ID,
                    &[session_id, run_id],
                ),
                decode_json,
            ),
        }
    }

    fn delete_session(&self, session_id: &str) -> DeleteSession {
        DeleteSession {
            call: Call::new(
                self,
                Request::delete(route::SESSIONS_SESSION_ID, &[session_id]),
                decode_unit,
            ),
        }
    }

    fn delete_sessions<I, S>(&self, sessions: I) -> DeleteSessions
    where
        I: IntoIterator<Item = (S, SessionType)>,
        S: Into<String>,
    {
        DeleteSessions {
            call: Call::new(self, Request::delete(route::SESSIONS, &[]), decode_unit),
            sessions: sessions.into_iter().map(|(id, t)| (id.into(), t)).collect(),
        }
    }

    fn rename_session(&self, session_id: &str, session_name: impl Into<String>) -> RenameSession {
        let body = json!({"session_name": session_name.into()});
        RenameSession {
            call: Call::new(
                self,
                Request::post(route::SESSIONS_SESSION_ID_RENAME, &[session_id])
                    .and_then(|r| r.json(&body)),
                decode_detail,
            ),
            session_type: None,
        }
    }

    fn update_session(&self, session_id: &str) -> UpdateSession {
        UpdateSession {
            call: Call::new(
                self,
                Request::patch(route::SESSIONS_SESSION_ID, &[session_id]),
                decode_detail,
            ),
            session_type: None,
            body: Map::new(),
        }
    }

    fn get_session_media(&self, session_id: &str, storage_key: &str) -> GetSessionMedia {
        GetSessionMedia {
            call: Call::new(
                self,
                Request::get(
                    "/sessions/{session_id}/media/{storage_key:path}",
                    &[session_id, storage_key],
                ),
                decode_media,
            ),
        }
    }
}

#[cfg(test)]
mod tests;
