//! Typed stream events: [`AgentRunEvent`], [`TeamRunEvent`], [`WorkflowRunEvent`].
//!
//! Every event of the server's catalogue is a variant holding its [`EventData`] (the common
//! fields typed, the rest kept in `fields`). Team streams interleave their members' agent
//! events ([`TeamRunEvent::Member`]); workflow streams interleave the agent and team events of
//! their steps ([`WorkflowRunEvent::Agent`], [`WorkflowRunEvent::Team`]). Resume metadata
//! frames are [`ControlFrame`]s. An event this SDK does not know is kept in `Unknown`.

use agentos_core::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::output::{Metrics, RunRequirement, StepRequirement, ToolExecution};

/// The data of an event: the fields every event has, typed, and the rest as sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct EventData {
    /// The run the event belongs to (a member's or a step's own run for nested events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// The session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The parent run, for member and step runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_run_id: Option<String>,
    /// The agent, for agent events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// The team, for team events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// The workflow, for workflow events and the events of its steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_id: Option<String>,
    /// When the event was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// The position in a background run's stream (what `resume` takes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_index: Option<u64>,
    /// The content: a delta for `*Content` events, the whole answer for `*Completed`, the
    /// message for `*Error` (agents and teams).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
    /// Every other field.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

/// Decoding by hand rather than with `#[serde(flatten)]`, which buffers every field before
/// sorting them out: events are the hot path of a stream.
impl<'de> Deserialize<'de> for EventData {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};

        enum Key {
            RunId,
            SessionId,
            ParentRunId,
            AgentId,
            TeamId,
            WorkflowId,
            CreatedAt,
            EventIndex,
            Content,
            Other(String),
        }

        impl<'de> Deserialize<'de> for Key {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct KeyVisitor;
                impl Visitor<'_> for KeyVisitor {
                    type Value = Key;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
                        Ok(match v {
                            "run_id" => Key::RunId,
                            "session_id" => Key::SessionId,
                            "parent_run_id" => Key::ParentRunId,
                            "agent_id" => Key::AgentId,
                            "team_id" => Key::TeamId,
                            "workflow_id" => Key::WorkflowId,
                            "created_at" => Key::CreatedAt,
                            "event_index" => Key::EventIndex,
                            "content" => Key::Content,
                            other => Key::Other(other.to_owned()),
                        })
                    }
                }
                d.deserialize_identifier(KeyVisitor)
            }
        }

        struct DataVisitor;
        impl<'de> Visitor<'de> for DataVisitor {
            type Value = EventData;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an event object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventData, A::Error> {
                let mut d = EventData::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::RunId => d.run_id = map.next_value()?,
                        Key::SessionId => d.session_id = map.next_value()?,
                        Key::ParentRunId => d.parent_run_id = map.next_value()?,
                        Key::AgentId => d.agent_id = map.next_value()?,
                        Key::TeamId => d.team_id = map.next_value()?,
                        Key::WorkflowId => d.workflow_id = map.next_value()?,
                        Key::CreatedAt => d.created_at = map.next_value()?,
                        Key::EventIndex => d.event_index = map.next_value()?,
                        Key::Content => d.content = map.next_value()?,
                        Key::Other(name) => {
                            d.fields.insert(name, map.next_value()?);
                        }
                    }
                }
                Ok(d)
            }
        }

        deserializer.deserialize_map(DataVisitor)
    }
}

impl EventData {
    /// The content as text (JSON content is serialized).
    pub fn content_text(&self) -> Option<String> {
        match &self.content {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        }
    }

    fn typed<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.fields
            .get(name)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }

    /// The tool calls (`RunPaused`, `TeamRunPaused`).
    pub fn tools(&self) -> Option<Vec<ToolExecution>> {
        self.typed("tools")
    }

    /// The tool call of `ToolCallStarted` / `ToolCallCompleted`.
    pub fn tool(&self) -> Option<ToolExecution> {
        self.typed("tool")
    }

    /// What a paused team run waits for (`TeamRunPaused`).
    pub fn requirements(&self) -> Option<Vec<RunRequirement>> {
        self.typed("requirements")
    }

    /// What a paused workflow waits for (`WorkflowPaused`).
    pub fn step_requirements(&self) -> Option<Vec<StepRequirement>> {
        self.typed("step_requirements")
    }

    /// The metrics (`*Completed`).
    pub fn metrics(&self) -> Option<Metrics> {
        self.typed("metrics")
    }

    /// The error message of an error event (`content` for agents and teams, `error` for
    /// workflows).
    pub fn error_message(&self) -> Option<String> {
        self.fields
            .get("error")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| self.content_text())
    }

    /// A string field.
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }
}

/// A frame of a resumed stream that is not a run event: `replay`, `catch_up`, `subscribed`,
/// `stream_expired`, or the legacy `WorkflowRunOutput` after a paused workflow; and two that
/// a [`ResumableRunStream`](crate::ResumableRunStream) makes itself: `run_restarted` (the run
/// starts over under the same id) and `deltas_missing` (the result that follows came from the
/// database without the deltas after the cut).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ControlFrame {
    /// The frame's name.
    pub event: String,
    /// Its data.
    pub data: Value,
}

/// The names of frames that are not run events.
pub(crate) const CONTROL_FRAMES: &[&str] = &[
    "replay",
    "catch_up",
    "subscribed",
    "stream_expired",
    "WorkflowRunOutput",
    "run_restarted",
    "deltas_missing",
];

/// An event's data on its way to a variant: already parsed into [`EventData`] (the fast path
/// of a stream, with the raw text kept for the rare frames that are not run events), or a
/// JSON value (from [`AgentRunEvent::from_parts`] and friends).
// Short-lived and moved a few times per event: boxing would cost an allocation per event.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Payload<'a> {
    /// Parsed from the frame's text.
    Parsed(EventData, &'a str),
    /// A JSON value.
    Value(Value),
}

impl Payload<'_> {
    fn data(self) -> EventData {
        match self {
            Payload::Parsed(d, _) => d,
            Payload::Value(v) => serde_json::from_value(v).unwrap_or_default(),
        }
    }

    fn value(self) -> Value {
        match self {
            Payload::Parsed(_, raw) => {
                serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned()))
            }
            Payload::Value(v) => v,
        }
    }

    fn has_team_id(&self) -> bool {
        match self {
            Payload::Parsed(d, _) => d.team_id.is_some(),
            Payload::Value(v) => v.get("team_id").is_some(),
        }
    }

    fn has_agent_id(&self) -> bool {
        match self {
            Payload::Parsed(d, _) => d.agent_id.is_some(),
            Payload::Value(v) => v.get("agent_id").is_some(),
        }
    }
}

/// Declares an event enum: one variant per known name, each holding `EventData`.
macro_rules! event_enum {
    (
        $(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident),+ $(,)? }
        extra { $($extra:tt)* }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $variant(EventData), )+
            $($extra)*
            /// A resume metadata frame (not a run event).
            Control(ControlFrame),
            /// An event this SDK does not know yet, kept as sent.
            Unknown {
                /// Its name.
                event: String,
                /// Its data.
                data: Value,
            },
        }

        impl $name {
            /// Decodes a known name of this kind; gives the payload back for other names.
            #[allow(clippy::result_large_err)]
            fn known<'a>(name: &str, data: Payload<'a>) -> Result<Self, Payload<'a>> {
                Ok(match name {
                    $( stringify!($variant) => $name::$variant(data.data()), )+
                    _ => return Err(data),
                })
            }

            /// Decodes an event from its name and data. Never fails: a frame that is not a
            /// run event is `Control`, a name this SDK does not know is `Unknown`, and the
            /// nested events of a team (members) or workflow (steps) get their own variants.
            pub fn from_parts(name: &str, data: Value) -> Self {
                Self::decode(name, Payload::Value(data))
            }

            /// Decodes a frame whose data is already parsed (`raw` is its text, read again
            /// only for control frames and unknown events).
            pub fn from_parsed(name: &str, data: EventData, raw: &str) -> Self {
                Self::decode(name, Payload::Parsed(data, raw))
            }

            /// The event's name as the server sent it.
            pub fn name(&self) -> &str {
                match self {
                    $( $name::$variant(_) => stringify!($variant), )+
                    $name::Control(c) => &c.event,
                    $name::Unknown { event, .. } => event,
                    #[allow(unreachable_patterns)]
                    other => other.nested_name(),
                }
            }

            /// The event's data, for the variants of this kind.
            pub fn own_data(&self) -> Option<&EventData> {
                match self {
                    $( $name::$variant(d) => Some(d), )+
                    _ => None,
                }
            }

            /// Serializes the event's data as the server sent it: typed fields and the rest
            /// merged back (absent fields are left out), a control frame's or an unknown
            /// event's data as kept, a nested event's own data.
            fn serialize_data<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( $name::$variant(d) => d.serialize(s), )+
                    $name::Control(c) => c.data.serialize(s),
                    $name::Unknown { data, .. } => data.serialize(s),
                    #[allow(unreachable_patterns)]
                    other => other.serialize_nested_data(s),
                }
            }
        }

        /// `{"event": NAME, "data": {...}}`: the event as a frame of the stream (unknown
        /// events and control frames included), e.g. for JSON lines.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                struct Data<'a>(&'a $name);
                impl Serialize for Data<'_> {
                    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        self.0.serialize_data(s)
                    }
                }
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("event", self.name())?;
                map.serialize_entry("data", &Data(self))?;
                map.end()
            }
        }
    };
}

event_enum! {
    /// An event of an agent run stream.
    AgentRunEvent {
        /// The run started (`model`, `model_provider`).
        RunStarted,
        /// A content delta.
        RunContent,
        /// Intermediate content.
        RunIntermediateContent,
        /// The content is complete.
        RunContentCompleted,
        /// The run completed: the whole content, metrics, session state.
        RunCompleted,
        /// The run failed: the message is in `content`.
        RunError,
        /// The run was cancelled.
        RunCancelled,
        /// The run waits for a human: `tools` and `requirements`.
        RunPaused,
        /// A paused run continued.
        RunContinued,
        /// A pre-hook started.
        PreHookStarted,
        /// A pre-hook completed.
        PreHookCompleted,
        /// A post-hook started.
        PostHookStarted,
        /// A post-hook completed.
        PostHookCompleted,
        /// A tool call started (`tool`).
        ToolCallStarted,
        /// A tool call completed (`tool`, `content`).
        ToolCallCompleted,
        /// A tool call failed.
        ToolCallError,
        /// Reasoning started.
        ReasoningStarted,
        /// A reasoning step.
        ReasoningStep,
        /// A reasoning delta.
        ReasoningContentDelta,
        /// Reasoning completed.
        ReasoningCompleted,
        /// Memory update started.
        MemoryUpdateStarted,
        /// Memory update completed.
        MemoryUpdateCompleted,
        /// Session summary started.
        SessionSummaryStarted,
        /// Session summary completed.
        SessionSummaryCompleted,
        /// The parser model started.
        ParserModelResponseStarted,
        /// The parser model completed.
        ParserModelResponseCompleted,
        /// The output model started.
        OutputModelResponseStarted,
        /// The output model completed.
        OutputModelResponseCompleted,
        /// A model request started.
        ModelRequestStarted,
        /// A model request completed (token counts).
        ModelRequestCompleted,
        /// Tool-result compression started.
        CompressionStarted,
        /// Tool-result compression completed.
        CompressionCompleted,
        /// History compaction started.
        CompactionStarted,
        /// History compaction completed.
        CompactionCompleted,
        /// Follow-up suggestions started.
        FollowupsStarted,
        /// Follow-up suggestions completed.
        FollowupsCompleted,
        /// A custom event from a tool.
        CustomEvent,
    }
    extra {}
}

impl AgentRunEvent {
    fn nested_name(&self) -> &str {
        "unknown"
    }

    fn serialize_nested_data<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }

    /// Decodes an agent event; unknown names are kept in `Unknown`.
    pub(crate) fn decode(name: &str, data: Payload<'_>) -> Self {
        if CONTROL_FRAMES.contains(&name) {
            return AgentRunEvent::Control(ControlFrame {
                event: name.to_owned(),
                data: data.value(),
            });
        }
        AgentRunEvent::known(name, data).unwrap_or_else(|data| AgentRunEvent::Unknown {
            event: name.to_owned(),
            data: data.value(),
        })
    }

    /// The event's data.
    pub fn data(&self) -> Option<&EventData> {
        self.own_data()
    }
}

event_enum! {
    /// An event of a team run stream. The members' agent events come as `Member`.
    TeamRunEvent {
        /// The team run started.
        TeamRunStarted,
        /// A content delta of the team.
        TeamRunContent,
        /// Intermediate content.
        TeamRunIntermediateContent,
        /// The content is complete.
        TeamRunContentCompleted,
        /// The team run completed.
        TeamRunCompleted,
        /// The team run failed: the message is in `content`.
        TeamRunError,
        /// The team run was cancelled.
        TeamRunCancelled,
        /// The team run waits for a human: `requirements`.
        TeamRunPaused,
        /// A paused team run continued.
        TeamRunContinued,
        /// A pre-hook started.
        TeamPreHookStarted,
        /// A pre-hook completed.
        TeamPreHookCompleted,
        /// A post-hook started.
        TeamPostHookStarted,
        /// A post-hook completed.
        TeamPostHookCompleted,
        /// A tool call of the leader started.
        TeamToolCallStarted,
        /// A tool call of the leader completed.
        TeamToolCallCompleted,
        /// A tool call of the leader failed.
        TeamToolCallError,
        /// Reasoning started.
        TeamReasoningStarted,
        /// A reasoning step.
        TeamReasoningStep,
        /// A reasoning delta.
        TeamReasoningContentDelta,
        /// Reasoning completed.
        TeamReasoningCompleted,
        /// Memory update started.
        TeamMemoryUpdateStarted,
        /// Memory update completed.
        TeamMemoryUpdateCompleted,
        /// Session summary started.
        TeamSessionSummaryStarted,
        /// Session summary completed.
        TeamSessionSummaryCompleted,
        /// The parser model started.
        TeamParserModelResponseStarted,
        /// The parser model completed.
        TeamParserModelResponseCompleted,
        /// The output model started.
        TeamOutputModelResponseStarted,
        /// The output model completed.
        TeamOutputModelResponseCompleted,
        /// A model request started.
        TeamModelRequestStarted,
        /// A model request completed.
        TeamModelRequestCompleted,
        /// Compression started.
        TeamCompressionStarted,
        /// Compression completed.
        TeamCompressionCompleted,
        /// Follow-ups started.
        TeamFollowupsStarted,
        /// Follow-ups completed.
        TeamFollowupsCompleted,
        /// A task-mode iteration started.
        TeamTaskIterationStarted,
        /// A task-mode iteration completed.
        TeamTaskIterationCompleted,
        /// The task list changed.
        TeamTaskStateUpdated,
        /// A task was created.
        TeamTaskCreated,
        /// A task was updated.
        TeamTaskUpdated,
        /// A custom event from a tool of the leader.
        CustomEvent,
    }
    extra {
        /// An event of a member agent, interleaved in the team stream.
        Member(AgentRunEvent),
    }
}

impl TeamRunEvent {
    fn nested_name(&self) -> &str {
        match self {
            TeamRunEvent::Member(e) => e.name(),
            _ => "unknown",
        }
    }

    fn serialize_nested_data<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TeamRunEvent::Member(e) => e.serialize_data(s),
            _ => s.serialize_unit(),
        }
    }

    /// Decodes a team stream event: team events, or member agent events.
    pub(crate) fn decode(name: &str, data: Payload<'_>) -> Self {
        if CONTROL_FRAMES.contains(&name) {
            return TeamRunEvent::Control(ControlFrame {
                event: name.to_owned(),
                data: data.value(),
            });
        }
        let from_member = name == "CustomEvent" && !data.has_team_id();
        if from_member {
            return TeamRunEvent::Member(AgentRunEvent::decode(name, data));
        }
        match TeamRunEvent::known(name, data) {
            Ok(e) => e,
            Err(data) => match AgentRunEvent::known(name, data) {
                Ok(member) => TeamRunEvent::Member(member),
                Err(data) => TeamRunEvent::Unknown {
                    event: name.to_owned(),
                    data: data.value(),
                },
            },
        }
    }

    /// The event's data (a member's for `Member`).
    pub fn data(&self) -> Option<&EventData> {
        match self {
            TeamRunEvent::Member(e) => e.data(),
            other => other.own_data(),
        }
    }
}

event_enum! {
    /// An event of a workflow run stream. The events of agent and team steps come as `Agent`
    /// and `Team`.
    WorkflowRunEvent {
        /// The workflow started.
        WorkflowStarted,
        /// The workflow completed (`content`, `step_results`, `metrics`).
        WorkflowCompleted,
        /// The workflow waits for a human (`step_requirements`).
        WorkflowPaused,
        /// The workflow was cancelled.
        WorkflowCancelled,
        /// The workflow failed (the message is in `error`).
        WorkflowError,
        /// The workflow agent started.
        WorkflowAgentStarted,
        /// The workflow agent completed.
        WorkflowAgentCompleted,
        /// A step started.
        StepStarted,
        /// A step completed.
        StepCompleted,
        /// A step reported progress.
        StepProgress,
        /// A step waits for a human.
        StepPaused,
        /// A paused step continued.
        StepContinued,
        /// A step's executor waits for a human.
        StepExecutorPaused,
        /// A step's executor continued.
        StepExecutorContinued,
        /// A step's output waits for review.
        StepOutputReview,
        /// A step failed.
        StepError,
        /// A loop started.
        LoopExecutionStarted,
        /// A loop iteration started.
        LoopIterationStarted,
        /// A loop iteration completed.
        LoopIterationCompleted,
        /// A loop completed.
        LoopExecutionCompleted,
        /// Parallel steps started.
        ParallelExecutionStarted,
        /// Parallel steps completed.
        ParallelExecutionCompleted,
        /// A condition was evaluated.
        ConditionExecutionStarted,
        /// A condition's steps completed.
        ConditionExecutionCompleted,
        /// A condition waits for a human.
        ConditionPaused,
        /// A router started.
        RouterExecutionStarted,
        /// A router completed.
        RouterExecutionCompleted,
        /// A router waits for a choice.
        RouterPaused,
        /// A group of steps started.
        StepsExecutionStarted,
        /// A group of steps completed.
        StepsExecutionCompleted,
        /// A step output.
        StepOutput,
        /// A custom event.
        CustomEvent,
    }
    extra {
        /// An event of an agent step.
        Agent(AgentRunEvent),
        /// An event of a team step.
        Team(TeamRunEvent),
    }
}

impl WorkflowRunEvent {
    fn nested_name(&self) -> &str {
        match self {
            WorkflowRunEvent::Agent(e) => e.name(),
            WorkflowRunEvent::Team(e) => e.name(),
            _ => "unknown",
        }
    }

    fn serialize_nested_data<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            WorkflowRunEvent::Agent(e) => e.serialize_data(s),
            WorkflowRunEvent::Team(e) => e.serialize_data(s),
            _ => s.serialize_unit(),
        }
    }

    /// Decodes a workflow stream event: workflow events, or the agent and team events of its
    /// steps.
    pub(crate) fn decode(name: &str, data: Payload<'_>) -> Self {
        if CONTROL_FRAMES.contains(&name) {
            return WorkflowRunEvent::Control(ControlFrame {
                event: name.to_owned(),
                data: data.value(),
            });
        }
        if name == "CustomEvent" {
            if data.has_team_id() {
                return WorkflowRunEvent::Team(TeamRunEvent::decode(name, data));
            }
            if data.has_agent_id() {
                return WorkflowRunEvent::Agent(AgentRunEvent::decode(name, data));
            }
        }
        match WorkflowRunEvent::known(name, data) {
            Ok(e) => e,
            Err(data) if name.starts_with("Team") => {
                WorkflowRunEvent::Team(TeamRunEvent::decode(name, data))
            }
            Err(data) => match AgentRunEvent::known(name, data) {
                Ok(a) => WorkflowRunEvent::Agent(a),
                Err(data) => WorkflowRunEvent::Unknown {
                    event: name.to_owned(),
                    data: data.value(),
                },
            },
        }
    }

    /// The event's data (the step's for `Agent` and `Team`).
    pub fn data(&self) -> Option<&EventData> {
        match self {
            WorkflowRunEvent::Agent(e) => e.data(),
            WorkflowRunEvent::Team(e) => e.data(),
            other => other.own_data(),
        }
    }
}
