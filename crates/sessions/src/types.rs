//! The types of the session routes.

pub use agentos_core::{RunStatus, SessionType};
use agentos_core::{StepResult, Timestamp};
use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use agentos_core::kit::de::{empty_as_none, null_default};

pub use agentos_core::Extra;

/// A message of a session's chat history or of a run (`Message.to_dict()` on the server).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// The message id.
    pub id: Option<String>,
    /// `system`, `user`, `assistant` or `tool`.
    pub role: Option<String>,
    /// The content: usually a string, sometimes a list of parts.
    pub content: Option<Value>,
    /// When it was written (epoch seconds on the wire).
    pub created_at: Option<Timestamp>,
    /// Fields this SDK does not model (`tool_calls`, `metrics`, media, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Message {
    /// The content when it is plain text.
    pub fn text(&self) -> Option<&str> {
        self.content.as_ref().and_then(Value::as_str)
    }
}

/// The summary of a session, read from `session_summary` and written with
/// [`UpdateSession::summary`](crate::UpdateSession::summary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionSummary {
    /// The summary text.
    #[serde(default)]
    pub summary: String,
    /// The topics discussed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<String>>,
    /// When the summary was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model. The server refuses unknown keys in a summary it is
    /// sent, so leave this empty when writing one.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SessionSummary {
    /// A summary with this text.
    pub fn new(summary: impl Into<String>) -> Self {
        SessionSummary {
            summary: summary.into(),
            topics: None,
            updated_at: None,
            extra: Extra::new(),
        }
    }

    /// Adds the topics.
    pub fn topics<I, S>(mut self, topics: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.topics = Some(topics.into_iter().map(Into::into).collect());
        self
    }

    /// Sets when it was written: a [`Timestamp`], a `chrono` date-time, a `SystemTime` or
    /// epoch seconds.
    pub fn updated_at(mut self, at: impl Into<Timestamp>) -> Self {
        self.updated_at = Some(at.into());
        self
    }
}

agentos_core::response_types! {
    // What a session as listed and a session in detail of any kind have.
    shared {
        /// The session id.
        pub session_id: String,
        /// Its name (the server derives one from the first message when none was set).
        #[serde(default, deserialize_with = "null_default")]
        pub session_name: String,
        /// The user it belongs to.
        pub user_id: Option<String>,
        /// Its state.
        pub session_state: Option<Map<String, Value>>,
        /// Its metadata.
        pub metadata: Option<Map<String, Value>>,
        /// When it was created.
        pub created_at: Option<Timestamp>,
        /// When it was last written.
        pub updated_at: Option<Timestamp>,
    }

    /// A session as listed by `get_sessions` (`SessionSchema`).
    pub struct SessionSchema {
        ..shared,
        /// Agent, team or workflow.
        pub session_type: Option<SessionType>,
        /// The agent, for agent sessions.
        pub agent_id: Option<String>,
        /// The team, for team sessions.
        pub team_id: Option<String>,
        /// The workflow, for workflow sessions.
        pub workflow_id: Option<String>,
        /// Its summary, when one was made.
        pub session_summary: Option<SessionSummary>,
        /// Token and timing metrics.
        pub metrics: Option<Value>,
        /// Tokens used in all.
        pub total_tokens: Option<u64>,
    }

    /// An agent session in detail (`AgentSessionDetailSchema`).
    pub struct AgentSessionDetailSchema {
        /// The session id (again, under the agent's name for it).
        pub agent_session_id: Option<String>,
        ..shared,
        /// The agent.
        pub agent_id: Option<String>,
        /// Its summary.
        pub session_summary: Option<SessionSummary>,
        /// Tokens used in all.
        pub total_tokens: Option<u64>,
        /// The agent's settings as stored with the session.
        pub agent_data: Option<Value>,
        /// Token and timing metrics.
        pub metrics: Option<Value>,
        /// The messages of every run, in order.
        #[serde(default, deserialize_with = "null_default")]
        pub chat_history: Vec<Message>,
    }

    /// A team session in detail (`TeamSessionDetailSchema`).
    pub struct TeamSessionDetailSchema {
        ..shared,
        /// The team.
        pub team_id: Option<String>,
        /// Its summary.
        pub session_summary: Option<SessionSummary>,
        /// Token and timing metrics.
        pub metrics: Option<Value>,
        /// The team's settings as stored with the session.
        pub team_data: Option<Value>,
        /// The messages of every run, in order.
        #[serde(default, deserialize_with = "null_default")]
        pub chat_history: Vec<Message>,
        /// Tokens used in all.
        pub total_tokens: Option<u64>,
    }

    /// A workflow session in detail (`WorkflowSessionDetailSchema`).
    pub struct WorkflowSessionDetailSchema {
        ..shared,
        /// The workflow.
        pub workflow_id: Option<String>,
        /// The workflow's name.
        pub workflow_name: Option<String>,
        /// Everything stored with the session.
        pub session_data: Option<Value>,
        /// The workflow's settings as stored with the session.
        pub workflow_data: Option<Value>,
    }
}

impl SessionSchema {
    /// The id of the agent, team or workflow the session belongs to.
    pub fn component_id(&self) -> Option<&str> {
        self.agent_id
            .as_deref()
            .or(self.team_id.as_deref())
            .or(self.workflow_id.as_deref())
    }
}

/// A session in detail: its shape depends on its kind. Returned by `create_session`,
/// `get_session`, `rename_session` and `update_session`.
///
/// The kind is the `type` the call asked for; otherwise it is told from the fields the
/// server sent (`agent_session_id` / `agent_*` for agents, `team_*` or `chat_history` for
/// teams, and workflows otherwise).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SessionDetail {
    /// An agent session.
    Agent(AgentSessionDetailSchema),
    /// A team session.
    Team(TeamSessionDetailSchema),
    /// A workflow session.
    Workflow(WorkflowSessionDetailSchema),
}

impl SessionDetail {
    /// Decodes a detail object, as the kind `hint` when given and known, else by its fields.
    pub fn from_json(value: Value, hint: Option<&SessionType>) -> serde_json::Result<Self> {
        let kind = match hint {
            Some(k @ (SessionType::Agent | SessionType::Team | SessionType::Workflow)) => k.clone(),
            _ => match &value {
                Value::Object(map) => detect_kind(map),
                _ => SessionType::Workflow,
            },
        };
        Ok(match kind {
            SessionType::Agent => SessionDetail::Agent(serde_json::from_value(value)?),
            SessionType::Team => SessionDetail::Team(serde_json::from_value(value)?),
            _ => SessionDetail::Workflow(serde_json::from_value(value)?),
        })
    }

    /// Agent, team or workflow.
    pub fn session_type(&self) -> SessionType {
        match self {
            SessionDetail::Agent(_) => SessionType::Agent,
            SessionDetail::Team(_) => SessionType::Team,
            SessionDetail::Workflow(_) => SessionType::Workflow,
        }
    }

    /// The session id.
    pub fn session_id(&self) -> &str {
        match self {
            SessionDetail::Agent(s) => &s.session_id,
            SessionDetail::Team(s) => &s.session_id,
            SessionDetail::Workflow(s) => &s.session_id,
        }
    }

    /// The session name.
    pub fn session_name(&self) -> &str {
        match self {
            SessionDetail::Agent(s) => &s.session_name,
            SessionDetail::Team(s) => &s.session_name,
            SessionDetail::Workflow(s) => &s.session_name,
        }
    }

    /// The user the session belongs to.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            SessionDetail::Agent(s) => s.user_id.as_deref(),
            SessionDetail::Team(s) => s.user_id.as_deref(),
            SessionDetail::Workflow(s) => s.user_id.as_deref(),
        }
    }

    /// The id of the agent, team or workflow.
    pub fn component_id(&self) -> Option<&str> {
        match self {
            SessionDetail::Agent(s) => s.agent_id.as_deref(),
            SessionDetail::Team(s) => s.team_id.as_deref(),
            SessionDetail::Workflow(s) => s.workflow_id.as_deref(),
        }
    }

    /// The session state.
    pub fn session_state(&self) -> Option<&Map<String, Value>> {
        match self {
            SessionDetail::Agent(s) => s.session_state.as_ref(),
            SessionDetail::Team(s) => s.session_state.as_ref(),
            SessionDetail::Workflow(s) => s.session_state.as_ref(),
        }
    }

    /// The session state decoded into your own type (or a `serde_json::Value`), so it
    /// compares with `==`; `Ok(None)` when the session has no state, an error when the state
    /// does not fit `T`.
    ///
    /// ```
    /// use agentos_sessions::SessionDetail;
    /// use serde_json::{Value, json};
    ///
    /// #[derive(Debug, PartialEq, serde::Deserialize)]
    /// struct Cart {
    ///     items: Vec<String>,
    /// }
    ///
    /// let detail = SessionDetail::from_json(
    ///     json!({"session_id": "s1", "session_name": "s", "session_state": {"items": ["tea"]}}),
    ///     None,
    /// )
    /// .unwrap();
    /// let cart: Option<Cart> = detail.session_state_as().unwrap();
    /// assert_eq!(cart, Some(Cart { items: vec!["tea".into()] }));
    /// assert_eq!(
    ///     detail.session_state_as::<Value>().unwrap(),
    ///     Some(json!({"items": ["tea"]}))
    /// );
    /// ```
    pub fn session_state_as<T: serde::de::DeserializeOwned>(
        &self,
    ) -> serde_json::Result<Option<T>> {
        self.session_state()
            .map(|state| serde_json::from_value(Value::Object(state.clone())))
            .transpose()
    }

    /// The session metadata.
    pub fn metadata(&self) -> Option<&Map<String, Value>> {
        match self {
            SessionDetail::Agent(s) => s.metadata.as_ref(),
            SessionDetail::Team(s) => s.metadata.as_ref(),
            SessionDetail::Workflow(s) => s.metadata.as_ref(),
        }
    }

    /// The session summary (agent and team sessions).
    pub fn session_summary(&self) -> Option<&SessionSummary> {
        match self {
            SessionDetail::Agent(s) => s.session_summary.as_ref(),
            SessionDetail::Team(s) => s.session_summary.as_ref(),
            SessionDetail::Workflow(_) => None,
        }
    }

    /// The chat history (agent and team sessions; empty for workflows).
    pub fn chat_history(&self) -> &[Message] {
        match self {
            SessionDetail::Agent(s) => &s.chat_history,
            SessionDetail::Team(s) => &s.chat_history,
            SessionDetail::Workflow(_) => &[],
        }
    }

    /// When the session was created.
    pub fn created_at(&self) -> Option<Timestamp> {
        match self {
            SessionDetail::Agent(s) => s.created_at,
            SessionDetail::Team(s) => s.created_at,
            SessionDetail::Workflow(s) => s.created_at,
        }
    }

    /// When the session was last written.
    pub fn updated_at(&self) -> Option<Timestamp> {
        match self {
            SessionDetail::Agent(s) => s.updated_at,
            SessionDetail::Team(s) => s.updated_at,
            SessionDetail::Workflow(s) => s.updated_at,
        }
    }

    /// The agent session, if it is one.
    pub fn as_agent(&self) -> Option<&AgentSessionDetailSchema> {
        match self {
            SessionDetail::Agent(s) => Some(s),
            _ => None,
        }
    }

    /// The team session, if it is one.
    pub fn as_team(&self) -> Option<&TeamSessionDetailSchema> {
        match self {
            SessionDetail::Team(s) => Some(s),
            _ => None,
        }
    }

    /// The workflow session, if it is one.
    pub fn as_workflow(&self) -> Option<&WorkflowSessionDetailSchema> {
        match self {
            SessionDetail::Workflow(s) => Some(s),
            _ => None,
        }
    }
}

/// Tells the kind of a detail object from its keys (present even when `null` on some routes).
fn detect_kind(map: &Map<String, Value>) -> SessionType {
    let has = |keys: &[&str]| keys.iter().any(|k| map.contains_key(*k));
    if has(&["agent_session_id", "agent_id", "agent_data"]) {
        SessionType::Agent
    } else if has(&["team_id", "team_data"]) {
        SessionType::Team
    } else if has(&[
        "workflow_id",
        "workflow_name",
        "workflow_data",
        "session_data",
    ]) {
        SessionType::Workflow
    } else if map.contains_key("chat_history") {
        // Agent details always carry `agent_session_id`; workflows have no chat history.
        SessionType::Team
    } else {
        SessionType::Workflow
    }
}

impl<'de> Deserialize<'de> for SessionDetail {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        SessionDetail::from_json(value, None).map_err(serde::de::Error::custom)
    }
}

impl Serialize for SessionDetail {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            SessionDetail::Agent(d) => d.serialize(s),
            SessionDetail::Team(d) => d.serialize(s),
            SessionDetail::Workflow(d) => d.serialize(s),
        }
    }
}

agentos_core::response_types! {
    // The ids and status every stored run and its preview have.
    shared {
        /// The run id.
        pub run_id: String,
        /// The run this one is nested in (a team member's or a workflow step's run).
        #[serde(default, deserialize_with = "empty_as_none")]
        pub parent_run_id: Option<String>,
        /// The agent, for agent runs.
        #[serde(default, deserialize_with = "empty_as_none")]
        pub agent_id: Option<String>,
        /// The team, for team runs.
        #[serde(default, deserialize_with = "empty_as_none")]
        pub team_id: Option<String>,
        /// The workflow, for workflow runs.
        #[serde(default, deserialize_with = "empty_as_none")]
        pub workflow_id: Option<String>,
        /// The user.
        #[serde(default, deserialize_with = "empty_as_none")]
        pub user_id: Option<String>,
        /// The status.
        pub status: Option<RunStatus>,
    }

    /// A run as stored in a session (`RunSchema`, `TeamRunSchema` or `WorkflowRunSchema`), from
    /// `get_session_runs` and `get_session_run`.
    ///
    /// This is not the run routes' `RunOutput`: dates are ISO, the input is `run_input`, and
    /// missing ids may arrive as empty strings (read here as `None`). Tell the kinds apart with
    /// [`kind`](Self::kind).
    pub struct RunSchema {
        ..shared,
        /// For cancelled runs, where the run was (`PENDING`, `EXECUTING`, `PAUSED`).
        pub cancellation_stage: Option<String>,
        /// The input, as text.
        pub run_input: Option<String>,
        /// The output: text, or an object for structured output.
        pub content: Option<Value>,
        /// The content type of a workflow's output.
        pub content_type: Option<String>,
        /// `text` or `json` (agent and team runs).
        pub run_response_format: Option<String>,
        /// The reasoning text, when reasoning was on.
        #[serde(default, deserialize_with = "empty_as_none")]
        pub reasoning_content: Option<String>,
        /// The reasoning steps.
        pub reasoning_steps: Option<Vec<Value>>,
        /// Token and timing metrics.
        pub metrics: Option<Value>,
        /// The run metadata.
        pub metadata: Option<Map<String, Value>>,
        /// The messages of the run.
        pub messages: Option<Vec<Message>>,
        /// The tool calls.
        pub tools: Option<Vec<Value>>,
        /// The stored events.
        pub events: Option<Vec<Value>>,
        /// When the run was created (ISO on this route).
        pub created_at: Option<Timestamp>,
        /// The session state at the end of the run.
        pub session_state: Option<Map<String, Value>>,
        /// Media the input carried.
        pub input_media: Option<Value>,
        /// Follow-up suggestions.
        pub followups: Option<Vec<String>>,
        /// For a forked run, the run it was forked from.
        pub forked_from_run_id: Option<String>,
        /// For a run made by regenerating, the run it replaced.
        pub regenerated_from: Option<String>,
        /// The step results of a workflow run.
        pub step_results: Option<Vec<StepResult>>,
        /// What a paused workflow waits for: `step` or `executor`.
        pub pause_kind: Option<String>,
        /// The step a paused workflow stopped at.
        pub paused_step_name: Option<String>,
        /// The index of the step a paused workflow stopped at.
        pub paused_step_index: Option<u32>,
        /// Images of the run (the server's media objects: `id`, `url` or `content`, ...).
        pub images: Option<Vec<Map<String, Value>>>,
        /// Videos of the run.
        pub videos: Option<Vec<Map<String, Value>>>,
        /// Audio of the run.
        pub audio: Option<Vec<Map<String, Value>>>,
        /// Files of the run.
        pub files: Option<Vec<Map<String, Value>>>,
        /// The audio the model answered with, when it did.
        pub response_audio: Option<Map<String, Value>>,
        /// References cited in the run (knowledge search results the model was given).
        pub references: Option<Vec<Map<String, Value>>>,
        /// Citations from the model (grounding or search results).
        pub citations: Option<Map<String, Value>>,
        /// The messages of the model's reasoning.
        pub reasoning_messages: Option<Vec<Map<String, Value>>>,
        /// For a run of a branched session: the session it was copied from.
        #[serde(default, deserialize_with = "empty_as_none")]
        pub forked_from_session_id: Option<String>,
        /// For a forked run: the message index at which the source was cut.
        pub forked_from_message_index: Option<u64>,
        /// The message index of the run's newest mid-run checkpoint.
        pub last_checkpoint_at_message_index: Option<u64>,
        /// The executor runs of each step of a workflow run.
        pub step_executor_runs: Option<Vec<Map<String, Value>>>,
        /// The human-in-the-loop requirements of a workflow run's steps, as resolved.
        pub step_requirements: Option<Vec<Map<String, Value>>>,
    }

    /// A short view of a run (`SessionRunPreviewSchema`), from `get_session_run_previews`: ids,
    /// status, time and input and output cut at 280 characters.
    pub struct SessionRunPreviewSchema {
        ..shared,
        /// The start of the input.
        pub run_input: Option<String>,
        /// The start of the output.
        pub content_preview: Option<String>,
        /// When the run was created.
        pub created_at: Option<Timestamp>,
    }
}

impl RunSchema {
    /// Agent, team or workflow, from the ids the run carries.
    pub fn kind(&self) -> SessionType {
        if self.workflow_id.is_some() {
            SessionType::Workflow
        } else if self.team_id.is_some() {
            SessionType::Team
        } else {
            SessionType::Agent
        }
    }

    /// The output as text: a string as it is, structured output as compact JSON; empty when
    /// the run has no output (the same `content_text()` as a run's output).
    pub fn content_text(&self) -> String {
        agentos_core::kit::de::content_text(self.content.as_ref())
    }
}

/// A media file stored with a session, from `get_session_media`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionMedia {
    /// The bytes.
    pub data: Bytes,
    /// The MIME type the server sent. Active types (HTML, SVG, JavaScript, XML) come as
    /// `application/octet-stream` with [`attachment`](Self::attachment) set.
    pub content_type: Option<String>,
    /// True when the server sent `Content-Disposition: attachment`.
    pub attachment: bool,
}

/// Where a session's media can be fetched, from
/// [`GetSessionMedia::signed_url`](crate::GetSessionMedia::signed_url).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MediaLocation {
    /// A freshly signed URL of the storage (the server's 307 `Location`). It grants access to
    /// the object, so it prints without its query string; `expose()` gives the whole URL.
    Url(agentos_core::SecretUrl),
    /// The storage cannot sign URLs (e.g. local disk): the server sent the bytes instead.
    Inline(SessionMedia),
}

/// A media file written to disk by [`GetSessionMedia::save_to`](crate::GetSessionMedia::save_to).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SavedMedia {
    /// The MIME type the server sent (see [`SessionMedia::content_type`]).
    pub content_type: Option<String>,
    /// True when the server sent `Content-Disposition: attachment`.
    pub attachment: bool,
    /// How many bytes went into the file.
    pub bytes_written: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn details_are_told_apart_by_their_fields() {
        let agent = json!({"agent_session_id": "s", "session_id": "s", "session_name": "n",
                           "chat_history": [{"role": "user", "content": "hi", "created_at": 1795888735}]});
        let team = json!({"session_id": "s", "session_name": "n", "chat_history": []});
        let team_null = json!({"session_id": "s", "session_name": "n", "team_id": null});
        let workflow = json!({"session_id": "s", "session_name": "n", "workflow_id": "w"});
        let bare = json!({"session_id": "s", "session_name": "n"});
        let d: SessionDetail = serde_json::from_value(agent).unwrap();
        assert_eq!(d.session_type(), SessionType::Agent);
        assert_eq!(d.chat_history()[0].text(), Some("hi"));
        assert_eq!(
            d.chat_history()[0].created_at.unwrap().unix_seconds(),
            1_795_888_735
        );
        let d: SessionDetail = serde_json::from_value(team).unwrap();
        assert_eq!(d.session_type(), SessionType::Team);
        let d: SessionDetail = serde_json::from_value(team_null).unwrap();
        assert_eq!(d.session_type(), SessionType::Team);
        assert_eq!(d.component_id(), None);
        let d: SessionDetail = serde_json::from_value(workflow).unwrap();
        assert_eq!(d.session_type(), SessionType::Workflow);
        assert_eq!(d.component_id(), Some("w"));
        let d: SessionDetail = serde_json::from_value(bare.clone()).unwrap();
        assert_eq!(d.session_type(), SessionType::Workflow);
        // The kind the call asked for wins over guessing.
        let d = SessionDetail::from_json(bare, Some(&SessionType::Team)).unwrap();
        assert!(d.as_team().is_some());
        // A round trip keeps the shape.
        let back = serde_json::to_value(&d).unwrap();
        assert_eq!(back["session_id"], "s");
    }

    #[test]
    fn run_schemas_read_empty_strings_as_none_and_tell_kinds() {
        let r: RunSchema = serde_json::from_value(json!({
            "run_id": "r", "parent_run_id": "", "agent_id": "echo-agent", "user_id": "",
            "status": "COMPLETED", "run_input": "hi", "content": "hi there",
            "created_at": "2026-11-28T17:58:55Z", "citations": {"x": 1},
            "a_field_of_a_newer_server": {"x": 1}
        }))
        .unwrap();
        assert_eq!(r.parent_run_id, None);
        assert_eq!(r.user_id, None);
        assert_eq!(r.status, Some(RunStatus::Completed));
        assert_eq!(r.kind(), SessionType::Agent);
        assert_eq!(r.content_text(), "hi there");
        assert_eq!(r.citations.as_ref().unwrap()["x"], 1);
        assert_eq!(r.extra["a_field_of_a_newer_server"]["x"], 1);
        let w: RunSchema = serde_json::from_value(
            json!({"run_id": "w", "workflow_id": "wf", "status": "SOMETHING_NEW"}),
        )
        .unwrap();
        assert_eq!(w.kind(), SessionType::Workflow);
        assert_eq!(w.status, Some(RunStatus::Unknown("SOMETHING_NEW".into())));
        let t: RunSchema = serde_json::from_value(json!({"run_id": "t", "team_id": "tm"})).unwrap();
        assert_eq!(t.kind(), SessionType::Team);
    }

    #[test]
    fn summaries_serialize_without_empty_fields() {
        let s = SessionSummary::new("talked about tea").topics(["tea"]);
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            json!({"summary": "talked about tea", "topics": ["tea"]})
        );
        let listed: SessionSchema = serde_json::from_value(json!({
            "session_id": "s", "session_name": null, "session_type": "team", "team_id": "t",
            "session_summary": {"summary": "x", "updated_at": "2026-11-28T17:58:55"},
            "created_at": "2026-11-28T17:58:55Z"
        }))
        .unwrap();
        assert_eq!(listed.session_name, "");
        assert_eq!(listed.session_type, Some(SessionType::Team));
        assert_eq!(listed.component_id(), Some("t"));
        assert_eq!(listed.session_summary.unwrap().summary, "x");
    }
}
