//! Typed stream events: [`AgentRunEvent`], [`TeamRunEvent`], [`WorkflowRunEvent`].
//!
//! Every event of the server's catalogue is a variant holding its [`EventData`] (the common
//! fields typed, the rest kept in `fields`). Team streams interleave their members' agent
//! events ([`TeamRunEvent::Member`]); workflow streams interleave the agent and team events of
//! their steps ([`WorkflowRunEvent::Agent`], [`WorkflowRunEvent::Team`]). Resume metadata
//! frames are [`ControlFrame`]s. An event this SDK does not know is kept in `Unknown`.

use std::borrow::Cow;

use agentos_core::kit::de::{FieldName, Key};
use agentos_core::{StepResult, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::output::{Metrics, RunRequirement, StepRequirement, ToolExecution, UserInputField};

/// The data of an event: the fields every event has, typed, and the rest as sent.
///
/// Every event's payload (e.g. [`RunContentEvent`]) holds one of these in `data` and derefs
/// to it, so `event.run_id` reads the same on every event.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct EventData {
    /// The data's own `event` field (the event's name), when it sent one as a string: read
    /// with [`event_field`](Self::event_field). A static name for the events decoded on a
    /// stream's fast path, so that it costs no allocation.
    #[serde(rename = "event", skip_serializing_if = "Option::is_none")]
    event: Option<Cow<'static, str>>,
    /// The run the event belongs to (a member's or a step's own run for nested events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// The session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The parent run, for member and step runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_run_id: Option<String>,
    /// The agent, for agent events (the member, for a team's member events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// The agent's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    /// The team, for team events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// The team's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_name: Option<String>,
    /// The workflow, for workflow events and the events of its steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_id: Option<String>,
    /// The step, for workflow step events and the events of a step's agent or team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// The step's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_name: Option<String>,
    /// The step's position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_index: Option<StepIndex>,
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
    /// Every other field: the ones this SDK does not know, and a known field whose value
    /// does not have the documented type (kept here as sent instead of being dropped). An
    /// `event` field that is a string is the event's name: it is not here but in
    /// [`event_field`](Self::event_field); one of another type is here.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

/// The position of a workflow step: an index, or a path of indexes for a step nested in a
/// loop, a parallel group, a condition or a router.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum StepIndex {
    /// A top-level step.
    Index(u64),
    /// A nested step: the index at each level.
    Path(Vec<u64>),
}

impl<'de> Deserialize<'de> for StepIndex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StepIndex;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a step index or a list of indexes")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<StepIndex, E> {
                Ok(StepIndex::Index(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<StepIndex, A::Error> {
                let mut path = Vec::new();
                while let Some(i) = seq.next_element()? {
                    path.push(i);
                }
                Ok(StepIndex::Path(path))
            }
        }
        d.deserialize_any(V)
    }
}

/// A field every event has (the typed fields of [`EventData`]).
#[derive(Clone, Copy)]
enum CommonKey {
    RunId,
    SessionId,
    ParentRunId,
    AgentId,
    AgentName,
    TeamId,
    TeamName,
    WorkflowId,
    StepId,
    StepName,
    StepIndex,
    CreatedAt,
    EventIndex,
    Content,
    /// `event`: the event's name.
    Event,
}

impl CommonKey {
    /// The common field of this name, if it is one.
    fn of(name: &str) -> Option<CommonKey> {
        Some(match name {
            "run_id" => CommonKey::RunId,
            "session_id" => CommonKey::SessionId,
            "parent_run_id" => CommonKey::ParentRunId,
            "agent_id" => CommonKey::AgentId,
            "agent_name" => CommonKey::AgentName,
            "team_id" => CommonKey::TeamId,
            "team_name" => CommonKey::TeamName,
            "workflow_id" => CommonKey::WorkflowId,
            "step_id" => CommonKey::StepId,
            "step_name" => CommonKey::StepName,
            "step_index" => CommonKey::StepIndex,
            "created_at" => CommonKey::CreatedAt,
            "event_index" => CommonKey::EventIndex,
            "content" => CommonKey::Content,
            "event" => CommonKey::Event,
            _ => return None,
        })
    }
}

impl EventData {
    /// Reads the value of a common field. A value of the wrong type is an error (the event
    /// is then kept whole, as sent, in `Unknown`), except for `event`, whose value of another
    /// type than a string is kept in `fields`; a later duplicate replaces an earlier one.
    ///
    /// `name` is the event being decoded, when it is known: an `event` field that names
    /// another event is then an error (the caller decodes the frame by its data instead).
    fn read_common<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: CommonKey,
        map: &mut A,
        name: Option<&'static str>,
    ) -> Result<(), A::Error> {
        match key {
            CommonKey::Event => match map.next_value::<EventValue<'de>>()? {
                EventValue::Name(sent) => {
                    let sent = match name {
                        Some(name) if sent == name => Cow::Borrowed(name),
                        Some(_) => {
                            return Err(serde::de::Error::custom("the data names another event"));
                        }
                        None => Cow::Owned(sent.into_owned()),
                    };
                    if self.event.is_none() {
                        // An earlier `event` of another type, now replaced.
                        self.fields.remove("event");
                    }
                    self.event = Some(sent);
                }
                EventValue::Other(value) => {
                    self.event = None;
                    self.fields.insert("event".to_owned(), value);
                }
            },
            CommonKey::RunId => self.run_id = map.next_value()?,
            CommonKey::SessionId => self.session_id = map.next_value()?,
            CommonKey::ParentRunId => self.parent_run_id = map.next_value()?,
            CommonKey::AgentId => self.agent_id = map.next_value()?,
            CommonKey::AgentName => self.agent_name = map.next_value()?,
            CommonKey::TeamId => self.team_id = map.next_value()?,
            CommonKey::TeamName => self.team_name = map.next_value()?,
            CommonKey::WorkflowId => self.workflow_id = map.next_value()?,
            CommonKey::StepId => self.step_id = map.next_value()?,
            CommonKey::StepName => self.step_name = map.next_value()?,
            CommonKey::StepIndex => self.step_index = map.next_value()?,
            CommonKey::CreatedAt => self.created_at = map.next_value()?,
            CommonKey::EventIndex => self.event_index = map.next_value()?,
            CommonKey::Content => self.content = map.next_value()?,
        }
        Ok(())
    }
}

/// A field of an event object that has a slot: one every event has, or one of a payload's
/// own fields (`O`). Read as a key with core's [`Key`](agentos_core::kit::de::Key): any other
/// key is kept in `fields`.
enum EventField<O> {
    Common(CommonKey),
    Own(O),
}

impl<O: FieldName> FieldName for EventField<O> {
    fn of(name: &str) -> Option<Self> {
        CommonKey::of(name)
            .map(EventField::Common)
            .or_else(|| O::of(name).map(EventField::Own))
    }
}

/// No own fields: [`EventData`] alone.
enum NoOwnField {}

impl FieldName for NoOwnField {
    fn of(_: &str) -> Option<Self> {
        None
    }
}

/// Decoding by hand rather than with `#[serde(flatten)]`, which buffers every field before
/// sorting them out: events are the hot path of a stream.
impl<'de> Deserialize<'de> for EventData {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};

        struct DataVisitor;
        impl<'de> Visitor<'de> for DataVisitor {
            type Value = EventData;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an event object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventData, A::Error> {
                let mut d = EventData::default();
                while let Some(key) = map.next_key::<Key<EventField<NoOwnField>>>()? {
                    match key {
                        Key::Known(EventField::Common(key)) => {
                            d.read_common(key, &mut map, None)?
                        }
                        Key::Known(EventField::Own(never)) => match never {},
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
    /// The content as text: a string as it is, JSON serialized; empty when there is none
    /// (the same `content_text()` as a run's output; [`content`](Self::content) tells absent
    /// from empty).
    pub fn content_text(&self) -> String {
        agentos_core::kit::de::content_text(self.content.as_ref())
    }

    /// The content decoded into `T` (e.g. a structured output's type). The error keeps the
    /// content as sent.
    pub fn content_as<T: serde::de::DeserializeOwned>(
        &self,
    ) -> std::result::Result<T, crate::output::ContentError> {
        crate::output::decode_content(self.content.as_ref())
    }

    /// A string field of the rest (`fields`).
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    /// The data's own `event` field, the event's name, when the server sent it as a string
    /// (it usually does). It is written back by serialization and `data_json()`.
    ///
    /// ```
    /// use agentos_runs::AgentRunEvent;
    /// let ev = AgentRunEvent::from_parts(
    ///     "RunContent",
    ///     serde_json::json!({"event": "RunContent", "content": "hi"}),
    /// );
    /// let data = ev.data().unwrap();
    /// assert_eq!(data.event_field(), Some("RunContent"));
    /// assert!(!data.fields.contains_key("event"));
    /// assert_eq!(ev.data_json()["event"], "RunContent");
    /// ```
    pub fn event_field(&self) -> Option<&str> {
        self.event.as_deref()
    }
}

/// The value of an event's `event` field: a name (borrowed from the text when it has no
/// escapes), or a value of another type, kept as sent.
enum EventValue<'de> {
    Name(Cow<'de, str>),
    Other(Value),
}

impl<'de> Deserialize<'de> for EventValue<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
        use serde::de::{Error, MapAccess, SeqAccess, Visitor};

        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EventValue<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(EventValue::Name(Cow::Borrowed(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(EventValue::Name(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(EventValue::Name(Cow::Owned(v)))
            }
            fn visit_bool<E: Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(EventValue::Other(Value::Bool(v)))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(EventValue::Other(Value::from(v)))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(EventValue::Other(Value::from(v)))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(EventValue::Other(Value::from(v)))
            }
            fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                Ok(EventValue::Other(Value::Null))
            }
            fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
                Ok(EventValue::Other(Value::Null))
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Self::Value, D::Error> {
                Value::deserialize(d).map(EventValue::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Value::deserialize(SeqAccessDeserializer::new(seq)).map(EventValue::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(map)).map(EventValue::Other)
            }
        }

        d.deserialize_any(V)
    }
}

/// A type an event field decodes to, moved out of the rest without a copy where it can be.
trait Field: Sized {
    /// The value as this type, or the value back when it does not fit.
    fn from_value(value: Value) -> Result<Self, Value>;

    /// Reads the next value of `map` as this type, the way `how` says (serde types differ
    /// by it; the others always read a `Value` and take it apart without a copy).
    fn read<'de, A: serde::de::MapAccess<'de>>(
        map: &mut A,
        how: How,
    ) -> Result<Read<Self>, A::Error> {
        let _ = how;
        Ok(Read::of(map.next_value()?))
    }
}

/// How a payload's serde-typed fields (steps, metrics, tools, requirements) are read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum How {
    /// Into a `Value`, then into the type: from any deserializer.
    Value,
    /// Straight into the type, in the same pass (scalars too). A value that does not fit
    /// fails the whole read: the caller then reads the event again [`Text`](How::Text).
    /// Nesting counts as it does in a `Value`: every type read this way keeps its unknown
    /// fields (none skips a value unread), so each level is read, and counted, by
    /// serde_json.
    Direct,
    /// From a `&str`: the value's text is borrowed and decoded into the type with no
    /// `Value` between; one that does not fit is read again as a `Value` and kept.
    Text,
}

/// A value read for a typed field.
enum Read<T> {
    /// Null: the field is absent.
    Null,
    /// The value, of the field's type.
    Typed(T),
    /// A value of another type, kept as sent.
    Kept(Value),
}

impl<T> Read<T> {
    /// A value read straight into the type ([`How::Direct`]): null is absent.
    fn direct(value: Option<T>) -> Self {
        value.map_or(Read::Null, Read::Typed)
    }
}

impl<T: Field> Read<T> {
    fn of(value: Value) -> Self {
        if value.is_null() {
            return Read::Null;
        }
        match T::from_value(value) {
            Ok(v) => Read::Typed(v),
            Err(value) => Read::Kept(value),
        }
    }
}

impl Field for Value {
    fn from_value(value: Value) -> Result<Self, Value> {
        Ok(value)
    }
}

/// Scalar field types. Read [`Direct`](How::Direct) straight into the type (no `Value`
/// between), like the serde types; otherwise through a `Value`, which keeps one of another
/// type.
macro_rules! scalar_field {
    ($($t:ty => |$value:ident| $from_value:expr;)*) => {$(
        impl Field for $t {
            fn from_value($value: Value) -> Result<Self, Value> {
                $from_value
            }

            fn read<'de, A: serde::de::MapAccess<'de>>(
                map: &mut A,
                how: How,
            ) -> Result<Read<Self>, A::Error> {
                Ok(match how {
                    How::Direct => Read::direct(map.next_value::<Option<$t>>()?),
                    How::Value | How::Text => Read::of(map.next_value()?),
                })
            }
        }
    )*};
}

scalar_field! {
    String => |value| match value {
        Value::String(s) => Ok(s),
        other => Err(other),
    };
    bool => |value| value.as_bool().ok_or(value);
    u64 => |value| value.as_u64().ok_or(value);
    f64 => |value| value.as_f64().ok_or(value);
}

impl Field for Vec<Value> {
    fn from_value(value: Value) -> Result<Self, Value> {
        match value {
            Value::Array(a) => Ok(a),
            other => Err(other),
        }
    }
}

/// Whether the JSON text of a field of an event object nests deeper than serde_json reads
/// within the object (its limit is 128 levels, the object's own included). Counted only when
/// the text has enough brackets to get there.
fn too_deep(json: &str) -> bool {
    const MAX: usize = 127;
    let bytes = json.as_bytes();
    if bytes.iter().filter(|&&b| b == b'[' || b == b'{').count() < MAX {
        return false;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth >= MAX {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Types decoded with serde (from a borrowed value, so that one that does not fit is kept).
macro_rules! serde_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn from_value(value: Value) -> Result<Self, Value> {
                <$t>::deserialize(&value).map_err(|_| value)
            }

            fn read<'de, A: serde::de::MapAccess<'de>>(
                map: &mut A,
                how: How,
            ) -> Result<Read<Self>, A::Error> {
                match how {
                    How::Value => return Ok(Read::of(map.next_value()?)),
                    How::Direct => return Ok(Read::direct(map.next_value::<Option<$t>>()?)),
                    How::Text => {}
                }
                let raw: &'de serde_json::value::RawValue = map.next_value()?;
                if too_deep(raw.get()) {
                    // Read alone, the value would pass serde_json's nesting limit where, read
                    // within the event, it did not: the event goes the long way.
                    return Err(serde::de::Error::custom("nested too deep"));
                }
                if let Ok(v) = serde_json::from_str::<$t>(raw.get()) {
                    return Ok(Read::Typed(v));
                }
                // Null, or a value that does not fit (or that only fits once read into a
                // map: a duplicate key): as from a `Value`.
                let value: Value =
                    serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
                Ok(Read::of(value))
            }
        }
    )*};
}

serde_field!(
    Vec<String>,
    StepResult,
    Vec<StepResult>,
    Vec<Vec<StepResult>>,
    Metrics,
    ToolExecution,
    Vec<ToolExecution>,
    Vec<RunRequirement>,
    Vec<StepRequirement>,
    Vec<UserInputField>
);

/// Moves a known field out of the rest: `None` when absent or null; a value of another type
/// stays in the rest as sent.
fn take<T: Field>(fields: &mut Map<String, Value>, name: &str) -> Option<T> {
    match Read::of(fields.remove(name)?) {
        Read::Null => None,
        Read::Typed(v) => Some(v),
        Read::Kept(value) => {
            fields.insert(name.to_owned(), value);
            None
        }
    }
}

/// Reads the value of a payload's own field into its slot: `None` when null; a value of
/// another type goes to the rest (`fields`) as sent. A later duplicate replaces an earlier
/// one, as it does in a JSON object read into a map. `kept` has a bit (`bit`) for each own
/// field whose value went to the rest.
fn read_own<'de, T: Field, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    fields: &mut Map<String, Value>,
    (name, bit, kept, how): (&str, u64, &mut u64, How),
) -> Result<(), A::Error> {
    let read = T::read(map, how)?;
    // An earlier occurrence is either in the slot or in the rest, never in both.
    if slot.take().is_none() && *kept & bit != 0 {
        fields.remove(name);
        *kept &= !bit;
    }
    match read {
        Read::Null => {}
        Read::Typed(v) => *slot = Some(v),
        Read::Kept(value) => {
            fields.insert(name.to_owned(), value);
            *kept |= bit;
        }
    }
    Ok(())
}

/// Declares event payloads: [`EventData`] plus the event's own fields. Decoding reads the
/// object once, straight into the payload: the common fields and the event's own fields
/// into their slots, only the other keys into `data.fields`. Every payload has at least one
/// own field (one bit each in a `u64`: at most 64).
macro_rules! payloads {
    ($(
        $(#[$m:meta])* $name:ident { $( $(#[$fm:meta])* $f:ident : $t:ty ),* $(,)? }
    )*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize)]
        #[non_exhaustive]
        pub struct $name {
            /// The fields every event has, and the rest.
            #[serde(flatten)]
            pub data: EventData,
            $(
                $(#[$fm])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $f: Option<$t>,
            )*
        }

        impl $name {
            /// The payload of decoded event data: the event's own fields are moved out of
            /// `data.fields` (a value of an unexpected type stays there, as sent).
            pub fn from_data(#[allow(unused_mut)] mut data: EventData) -> Self {
                $( let $f = take(&mut data.fields, stringify!($f)); )*
                $name { data, $($f,)* }
            }
        }

        impl std::ops::Deref for $name {
            type Target = EventData;
            fn deref(&self) -> &EventData {
                &self.data
            }
        }

        impl $name {
            /// Fills a default payload from an event object, in one pass, its serde-typed
            /// fields read as `how` says. `name` is the event's name when it is known (an
            /// `event` field that names another event then fails the read).
            fn fill<'de, D: serde::Deserializer<'de>>(
                &mut self,
                d: D,
                how: How,
                name: Option<&'static str>,
            ) -> Result<(), D::Error> {
                use serde::de::{MapAccess, Visitor};

                /// The event's own fields.
                #[allow(non_camel_case_types)]
                #[derive(Clone, Copy)]
                enum Own {
                    $( $f, )*
                }
                const _: () = assert!([$(stringify!($f)),*].len() <= 64, "one bit per field");

                impl FieldName for Own {
                    fn of(name: &str) -> Option<Own> {
                        Some(match name {
                            $( stringify!($f) => Own::$f, )*
                            _ => return None,
                        })
                    }
                }

                struct Fill<'a>(&'a mut $name, How, Option<&'static str>);
                impl<'de> Visitor<'de> for Fill<'_> {
                    type Value = ();
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("an event object")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                        let (out, how, name) = (self.0, self.1, self.2);
                        let mut kept = 0u64;
                        while let Some(key) = map.next_key::<Key<EventField<Own>>>()? {
                            match key {
                                Key::Known(EventField::Common(key)) => {
                                    out.data.read_common(key, &mut map, name)?
                                }
                                Key::Known(EventField::Own(own)) => {
                                    let bit = 1u64 << (own as u32);
                                    match own {
                                        $( Own::$f => read_own(
                                            &mut map,
                                            &mut out.$f,
                                            &mut out.data.fields,
                                            (stringify!($f), bit, &mut kept, how),
                                        )?, )*
                                    }
                                }
                                Key::Other(name) => {
                                    out.data.fields.insert(name, map.next_value()?);
                                }
                            }
                        }
                        Ok(())
                    }
                }

                d.deserialize_map(Fill(self, how, name))
            }

            /// Decodes the text of an event named `name` straight into a boxed payload
            /// (filled in place: a payload is large to move). `None` when the text is not an
            /// event object of this payload (a common field of the wrong type, or an `event`
            /// field naming another event, included).
            ///
            /// The typed fields are read straight into their types first; an event with one
            /// that does not fit is read again from the text, which keeps such a value as
            /// sent.
            fn parse_boxed(raw: &str, name: &'static str) -> Option<Box<$name>> {
                fn fill_from(out: &mut $name, raw: &str, how: How, name: &'static str) -> bool {
                    let mut de = serde_json::Deserializer::from_str(raw);
                    out.fill(&mut de, how, Some(name)).is_ok() && de.end().is_ok()
                }
                let mut out = Box::<$name>::default();
                if fill_from(&mut out, raw, How::Direct, name) {
                    return Some(out);
                }
                *out = $name::default();
                fill_from(&mut out, raw, How::Text, name).then_some(out)
            }
        }

        /// One pass over the object: the same result as [`EventData`]'s decoding followed
        /// by `from_data`, without the detour through the map of the rest.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut out = $name::default();
                out.fill(d, How::Value, None)?;
                Ok(out)
            }
        }
    )*};
}

/// Declares the payloads of an agent event and of its team twin (e.g. `RunStarted` and
/// `TeamRunStarted`): two types, one list of fields. Fields only one side has follow that
/// side's name or the shared list, after a `+`.
macro_rules! agent_and_team {
    ($(
        $(#[$am:meta])* $agent:ident $(+ { $( $(#[$afm:meta])* $af:ident : $at:ty ),* $(,)? })?,
        $(#[$tm:meta])* $team:ident { $( $(#[$fm:meta])* $f:ident : $t:ty ),* $(,)? }
        $(+ { $( $(#[$tfm:meta])* $tf:ident : $tt:ty ),* $(,)? })?
    )*) => {
        payloads! {$(
            $(#[$am])* $agent { $( $(#[$fm])* $f: $t, )* $($( $(#[$afm])* $af: $at, )*)? }
            $(#[$tm])* $team { $( $(#[$fm])* $f: $t, )* $($( $(#[$tfm])* $tf: $tt, )*)? }
        )*}
    };
}

agent_and_team! {
    /// The payload of `RunStarted`: the run started.
    RunStartedEvent,
    /// The payload of `TeamRunStarted`: the team run started.
    TeamRunStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The model id.
        model: String,
        /// The model provider.
        model_provider: String,
    }
    /// The payload of `RunIntermediateContent`: intermediate content.
    RunIntermediateContentEvent,
    /// The payload of `TeamRunIntermediateContent`: intermediate content.
    TeamRunIntermediateContentEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// `str`, or the name of the output schema.
        content_type: String,
    }
    /// The payload of `RunContentCompleted`: the content is complete.
    RunContentCompletedEvent,
    /// The payload of `TeamRunContentCompleted`: the content is complete.
    TeamRunContentCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `RunError`: the run failed: the message is in `content`.
    RunErrorEvent,
    /// The payload of `TeamRunError`: the team run failed: the message is in `content`.
    TeamRunErrorEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The kind of error, e.g. `model_provider_error`.
        error_type: String,
        /// The error id.
        error_id: String,
        /// More about the error.
        additional_data: Value,
    }
    /// The payload of `RunCancelled`: the run was cancelled.
    RunCancelledEvent,
    /// The payload of `TeamRunCancelled`: the team run was cancelled.
    TeamRunCancelledEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// Why the run was cancelled.
        reason: String,
    }
    /// The payload of `RunPaused`: the run waits for a human: `tools` and `requirements`.
    RunPausedEvent,
    /// The payload of `TeamRunPaused`: the team run waits for a human: `tools` and `requirements`.
    TeamRunPausedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The tool calls; when paused, the ones to confirm, fill or run.
        tools: Vec<ToolExecution>,
        /// What the paused run waits for.
        requirements: Vec<RunRequirement>,
    }
    /// The payload of `RunContinued`: a paused run continued.
    RunContinuedEvent,
    /// The payload of `TeamRunContinued`: a paused run continued.
    TeamRunContinuedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `PreHookStarted`: a pre-hook started.
    PreHookStartedEvent,
    /// The payload of `TeamPreHookStarted`: a pre-hook started.
    TeamPreHookStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The hook.
        pre_hook_name: String,
        /// The input of the run.
        run_input: Value,
    }
    /// The payload of `PreHookCompleted`: a pre-hook completed.
    PreHookCompletedEvent,
    /// The payload of `TeamPreHookCompleted`: a pre-hook completed.
    TeamPreHookCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The hook.
        pre_hook_name: String,
        /// The input of the run.
        run_input: Value,
    }
    /// The payload of `PostHookStarted`: a post-hook started.
    PostHookStartedEvent,
    /// The payload of `TeamPostHookStarted`: a post-hook started.
    TeamPostHookStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The hook.
        post_hook_name: String,
    }
    /// The payload of `PostHookCompleted`: a post-hook completed.
    PostHookCompletedEvent,
    /// The payload of `TeamPostHookCompleted`: a post-hook completed.
    TeamPostHookCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The hook.
        post_hook_name: String,
    }
    /// The payload of `ToolCallStarted`: a tool call started (`tool`).
    ToolCallStartedEvent,
    /// The payload of `TeamToolCallStarted`: a tool call started (`tool`).
    TeamToolCallStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The tool call.
        tool: ToolExecution,
    }
    /// The payload of `ToolCallCompleted`: a tool call completed (`tool`, its result in `content`).
    ToolCallCompletedEvent,
    /// The payload of `TeamToolCallCompleted`: a tool call completed (`tool`, its result in `content`).
    TeamToolCallCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The tool call.
        tool: ToolExecution,
        /// Images produced.
        images: Vec<Value>,
        /// Videos produced.
        videos: Vec<Value>,
        /// Audio produced.
        audio: Vec<Value>,
        /// Files produced.
        files: Vec<Value>,
    }
    /// The payload of `ToolCallError`: a tool call failed.
    ToolCallErrorEvent,
    /// The payload of `TeamToolCallError`: a tool call failed.
    TeamToolCallErrorEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The tool call.
        tool: ToolExecution,
        /// The error message.
        error: String,
    }
    /// The payload of `ReasoningStarted`: reasoning started.
    ReasoningStartedEvent,
    /// The payload of `TeamReasoningStarted`: reasoning started.
    TeamReasoningStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `ReasoningStep`: a reasoning step.
    ReasoningStepEvent,
    /// The payload of `TeamReasoningStep`: a reasoning step.
    TeamReasoningStepEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// `str`, or the name of the output schema.
        content_type: String,
        /// Reasoning text (a delta for deltas).
        reasoning_content: String,
    }
    /// The payload of `ReasoningContentDelta`: a reasoning delta (`reasoning_content`).
    ReasoningContentDeltaEvent,
    /// The payload of `TeamReasoningContentDelta`: a reasoning delta (`reasoning_content`).
    TeamReasoningContentDeltaEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// Reasoning text (a delta for deltas).
        reasoning_content: String,
    }
    /// The payload of `ReasoningCompleted`: reasoning completed.
    ReasoningCompletedEvent,
    /// The payload of `TeamReasoningCompleted`: reasoning completed.
    TeamReasoningCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// `str`, or the name of the output schema.
        content_type: String,
    }
    /// The payload of `MemoryUpdateStarted`: memory update started.
    MemoryUpdateStartedEvent,
    /// The payload of `TeamMemoryUpdateStarted`: memory update started.
    TeamMemoryUpdateStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `MemoryUpdateCompleted`: memory update completed.
    MemoryUpdateCompletedEvent,
    /// The payload of `TeamMemoryUpdateCompleted`: memory update completed.
    TeamMemoryUpdateCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The memories written.
        memories: Vec<Value>,
    }
    /// The payload of `SessionSummaryStarted`: session summary started.
    SessionSummaryStartedEvent,
    /// The payload of `TeamSessionSummaryStarted`: session summary started.
    TeamSessionSummaryStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `SessionSummaryCompleted`: session summary completed.
    SessionSummaryCompletedEvent,
    /// The payload of `TeamSessionSummaryCompleted`: session summary completed.
    TeamSessionSummaryCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The session summary.
        session_summary: Value,
    }
    /// The payload of `ParserModelResponseStarted`: the parser model started.
    ParserModelResponseStartedEvent,
    /// The payload of `TeamParserModelResponseStarted`: the parser model started.
    TeamParserModelResponseStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `ParserModelResponseCompleted`: the parser model completed.
    ParserModelResponseCompletedEvent,
    /// The payload of `TeamParserModelResponseCompleted`: the parser model completed.
    TeamParserModelResponseCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `OutputModelResponseStarted`: the output model started.
    OutputModelResponseStartedEvent,
    /// The payload of `TeamOutputModelResponseStarted`: the output model started.
    TeamOutputModelResponseStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `OutputModelResponseCompleted`: the output model completed.
    OutputModelResponseCompletedEvent,
    /// The payload of `TeamOutputModelResponseCompleted`: the output model completed.
    TeamOutputModelResponseCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `ModelRequestStarted`: a model request started.
    ModelRequestStartedEvent,
    /// The payload of `TeamModelRequestStarted`: a model request started.
    TeamModelRequestStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The model id.
        model: String,
        /// The model provider.
        model_provider: String,
    }
    /// The payload of `ModelRequestCompleted`: a model request completed: its token counts.
    ModelRequestCompletedEvent,
    /// The payload of `TeamModelRequestCompleted`: a model request completed: its token counts.
    TeamModelRequestCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The model id.
        model: String,
        /// The model provider.
        model_provider: String,
        /// Input tokens.
        input_tokens: u64,
        /// Output tokens.
        output_tokens: u64,
        /// Total tokens.
        total_tokens: u64,
        /// Seconds until the first token.
        time_to_first_token: f64,
        /// Reasoning tokens.
        reasoning_tokens: u64,
        /// Tokens read from the cache.
        cache_read_tokens: u64,
        /// Tokens written to the cache.
        cache_write_tokens: u64,
    }
    /// The payload of `CompressionStarted`: tool-result compression started.
    CompressionStartedEvent,
    /// The payload of `TeamCompressionStarted`: tool-result compression started.
    TeamCompressionStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `CompressionCompleted`: tool-result compression completed.
    CompressionCompletedEvent,
    /// The payload of `TeamCompressionCompleted`: tool-result compression completed.
    TeamCompressionCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// How many tool results were compressed.
        tool_results_compressed: u64,
        /// The size before compression.
        original_size: u64,
        /// The size after compression.
        compressed_size: u64,
    }
    /// The payload of `FollowupsStarted`: follow-up suggestions started.
    FollowupsStartedEvent,
    /// The payload of `TeamFollowupsStarted`: follow-up suggestions started.
    TeamFollowupsStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `FollowupsCompleted`: follow-up suggestions completed.
    FollowupsCompletedEvent,
    /// The payload of `TeamFollowupsCompleted`: follow-up suggestions completed.
    TeamFollowupsCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The suggested follow-ups.
        followups: Vec<String>,
    }
    /// The payload of `CustomEvent`: a custom event from a tool (its own fields are in `fields`).
    CustomEvent,
    /// The payload of `CustomEvent`: a custom event from a tool of the leader.
    TeamCustomEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The tool call that sent the event.
        tool_call_id: String,
    }
    /// The payload of `RunContent`: a content delta (`content`).
    RunContentEvent + {
        /// Whether the content comes from a workflow agent.
        workflow_agent: bool,
    },
    /// The payload of `TeamRunContent`: a content delta (`content`).
    TeamRunContentEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// `str`, or the name of the output schema.
        content_type: String,
        /// Reasoning text (a delta for deltas).
        reasoning_content: String,
        /// The model provider's own data.
        model_provider_data: Value,
        /// Citations of the answer.
        citations: Value,
        /// The model's audio answer.
        response_audio: Value,
        /// An image attached to the answer.
        image: Value,
        /// References (knowledge) used for the answer.
        references: Vec<Value>,
        /// Additional input messages.
        additional_input: Vec<Value>,
        /// Reasoning steps.
        reasoning_steps: Vec<Value>,
        /// Reasoning messages.
        reasoning_messages: Vec<Value>,
    }
    /// The payload of `RunCompleted`: the run completed: the whole `content`, metrics, session state.
    RunCompletedEvent,
    /// The payload of `TeamRunCompleted`: the team run completed: the whole `content`, metrics, session state.
    TeamRunCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// `str`, or the name of the output schema.
        content_type: String,
        /// Reasoning text (a delta for deltas).
        reasoning_content: String,
        /// Citations of the answer.
        citations: Value,
        /// The model provider's own data.
        model_provider_data: Value,
        /// Images produced.
        images: Vec<Value>,
        /// Videos produced.
        videos: Vec<Value>,
        /// Audio produced.
        audio: Vec<Value>,
        /// Files produced.
        files: Vec<Value>,
        /// The model's audio answer.
        response_audio: Value,
        /// References (knowledge) used for the answer.
        references: Vec<Value>,
        /// Additional input messages.
        additional_input: Vec<Value>,
        /// Reasoning steps.
        reasoning_steps: Vec<Value>,
        /// Reasoning messages.
        reasoning_messages: Vec<Value>,
        /// The metadata of the run.
        metadata: Value,
        /// Token counts and timings.
        metrics: Metrics,
        /// The session state after the run.
        session_state: Value,
    } + {
        /// The runs of the members.
        member_responses: Vec<Value>,
    }
}

payloads! {
    /// The payload of `CompactionStarted`: history compaction started.
    CompactionStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `CompactionCompleted`: history compaction completed.
    CompactionCompletedEvent {
        /// How many messages were compacted.
        messages_compacted: u64,
        /// Tokens before compaction.
        tokens_before: u64,
        /// Tokens after compaction.
        tokens_after: u64,
        /// Whether the compacted messages were archived.
        archived: bool,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
    }
    /// The payload of `TeamTaskIterationStarted`: a task-mode iteration started.
    TeamTaskIterationStartedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The iteration.
        iteration: u64,
        /// The most iterations allowed.
        max_iterations: u64,
    }
    /// The payload of `TeamTaskIterationCompleted`: a task-mode iteration completed.
    TeamTaskIterationCompletedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The iteration.
        iteration: u64,
        /// The most iterations allowed.
        max_iterations: u64,
        /// A summary of the tasks.
        task_summary: String,
    }
    /// The payload of `TeamTaskStateUpdated`: the task list changed.
    TeamTaskStateUpdatedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// A summary of the tasks.
        task_summary: String,
        /// Whether the goal is reached.
        goal_complete: bool,
        /// The task list.
        tasks: Vec<Value>,
        /// A summary of the completion.
        completion_summary: String,
    }
    /// The payload of `TeamTaskCreated`: a task was created.
    TeamTaskCreatedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The task.
        task_id: String,
        /// The task's title.
        title: String,
        /// The task's description.
        description: String,
        /// The member the task is assigned to.
        assignee: String,
        /// The status.
        status: String,
        /// The tasks this one depends on.
        dependencies: Vec<String>,
    }
    /// The payload of `TeamTaskUpdated`: a task was updated.
    TeamTaskUpdatedEvent {
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The run of the workflow the event's step belongs to.
        workflow_run_id: String,
        /// The task.
        task_id: String,
        /// The task's title.
        title: String,
        /// The status.
        status: String,
        /// The status before.
        previous_status: String,
        /// The task's result.
        result: String,
        /// The member the task is assigned to.
        assignee: String,
    }
    /// The payload of `WorkflowStarted`: the workflow started.
    WorkflowStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
    }
    /// The payload of `WorkflowCompleted`: the workflow completed (`content`, `step_results`, `metrics`).
    WorkflowCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// `str`, or the name of the output schema.
        content_type: String,
        /// The results of the steps.
        step_results: Vec<StepResult>,
        /// The runs of the steps' agents and teams.
        step_executor_runs: Vec<Value>,
        /// The metadata of the run.
        metadata: Value,
        /// Token counts and timings.
        metrics: Metrics,
    }
    /// The payload of `WorkflowPaused`: the workflow waits for a human (`step_requirements`).
    WorkflowPausedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The status.
        status: String,
        /// The paused step.
        paused_step_index: u64,
        /// The paused step's name.
        paused_step_name: String,
        /// What the workflow waits for.
        pause_kind: String,
        /// What the paused workflow waits for.
        step_requirements: Vec<StepRequirement>,
        /// The results of the steps.
        step_results: Vec<StepResult>,
        /// The runs of the steps' agents and teams.
        step_executor_runs: Vec<Value>,
        /// The metadata of the run.
        metadata: Value,
    }
    /// The payload of `WorkflowCancelled`: the workflow was cancelled.
    WorkflowCancelledEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// Why the run was cancelled.
        reason: String,
    }
    /// The payload of `WorkflowError`: the workflow failed (the message is in `error`).
    WorkflowErrorEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The error message.
        error: String,
        /// The kind of error, e.g. `model_provider_error`.
        error_type: String,
        /// The error id.
        error_id: String,
        /// More about the error.
        additional_data: Value,
    }
    /// The payload of `WorkflowAgentStarted`: the workflow agent started.
    WorkflowAgentStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
    }
    /// The payload of `WorkflowAgentCompleted`: the workflow agent completed.
    WorkflowAgentCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
    }
    /// The payload of `StepStarted`: a step started.
    StepStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
    }
    /// The payload of `StepCompleted`: a step completed.
    StepCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// `str`, or the name of the output schema.
        content_type: String,
        /// Images produced.
        images: Vec<Value>,
        /// Videos produced.
        videos: Vec<Value>,
        /// Audio produced.
        audio: Vec<Value>,
        /// The model's audio answer.
        response_audio: Value,
        /// The step's output.
        step_response: StepResult,
    }
    /// The payload of `StepProgress`: a step reported progress.
    /// The data the step's function reported is `fields["data"]` (as sent).
    StepProgressEvent {
        /// The retry attempt.
        attempt: u64,
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
    }
    /// The payload of `StepPaused`: a step waits for a human.
    StepPausedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// Whether the step waits for a confirmation.
        requires_confirmation: bool,
        /// The message shown with the confirmation.
        confirmation_message: String,
        /// Whether the step waits for user input.
        requires_user_input: bool,
        /// What the user is asked.
        user_input_message: String,
        /// The fields to fill.
        user_input_schema: Vec<UserInputField>,
    }
    /// The payload of `StepContinued`: a paused step continued.
    StepContinuedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
    }
    /// The payload of `StepExecutorPaused`: a step's agent or team waits for a human.
    StepExecutorPausedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The step's agent or team.
        executor_id: String,
        /// Its name.
        executor_name: String,
        /// Its run.
        executor_run_id: String,
        /// `agent` or `team`.
        executor_type: String,
        /// What the step's agent or team waits for.
        executor_requirements: Vec<RunRequirement>,
    }
    /// The payload of `StepExecutorContinued`: a step's agent or team continued.
    StepExecutorContinuedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The step's agent or team.
        executor_id: String,
        /// Its name.
        executor_name: String,
        /// Its run.
        executor_run_id: String,
        /// `agent` or `team`.
        executor_type: String,
    }
    /// The payload of `StepOutputReview`: a step's output waits for review.
    StepOutputReviewEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The message shown with the review.
        output_review_message: String,
        /// Whether the output waits for a review.
        requires_output_review: bool,
    }
    /// The payload of `StepError`: a step failed.
    StepErrorEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The error message.
        error: String,
    }
    /// The payload of `LoopExecutionStarted`: a loop started.
    LoopExecutionStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The most iterations allowed.
        max_iterations: u64,
    }
    /// The payload of `LoopIterationStarted`: a loop iteration started.
    LoopIterationStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The iteration.
        iteration: u64,
        /// The most iterations allowed.
        max_iterations: u64,
    }
    /// The payload of `LoopIterationCompleted`: a loop iteration completed.
    LoopIterationCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The iteration.
        iteration: u64,
        /// The most iterations allowed.
        max_iterations: u64,
        /// The results of the iteration.
        iteration_results: Vec<StepResult>,
        /// Whether the loop goes on.
        should_continue: bool,
    }
    /// The payload of `LoopExecutionCompleted`: a loop completed.
    LoopExecutionCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// How many iterations ran.
        total_iterations: u64,
        /// The most iterations allowed.
        max_iterations: u64,
        /// The results of every iteration.
        all_results: Vec<Vec<StepResult>>,
    }
    /// The payload of `ParallelExecutionStarted`: parallel steps started.
    ParallelExecutionStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// How many steps run in parallel.
        parallel_step_count: u64,
    }
    /// The payload of `ParallelExecutionCompleted`: parallel steps completed.
    ParallelExecutionCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// How many steps run in parallel.
        parallel_step_count: u64,
        /// The results of the steps.
        step_results: Vec<StepResult>,
    }
    /// The payload of `ConditionExecutionStarted`: a condition was evaluated.
    ConditionExecutionStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// What the condition gave.
        condition_result: bool,
    }
    /// The payload of `ConditionExecutionCompleted`: a condition's steps completed.
    ConditionExecutionCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// What the condition gave.
        condition_result: bool,
        /// How many steps ran.
        executed_steps: u64,
        /// The branch taken.
        branch: String,
        /// The results of the steps.
        step_results: Vec<StepResult>,
    }
    /// The payload of `ConditionPaused`: a condition waits for a human.
    ConditionPausedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
    }
    /// The payload of `RouterExecutionStarted`: a router started.
    RouterExecutionStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The steps chosen.
        selected_steps: Vec<String>,
    }
    /// The payload of `RouterExecutionCompleted`: a router completed.
    RouterExecutionCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The steps chosen.
        selected_steps: Vec<String>,
        /// How many steps ran.
        executed_steps: u64,
        /// The results of the steps.
        step_results: Vec<StepResult>,
    }
    /// The payload of `RouterPaused`: a router waits for a choice.
    RouterPausedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The routes to choose from.
        available_choices: Vec<String>,
        /// What the user is asked.
        user_input_message: String,
        /// Whether several routes may be chosen.
        allow_multiple_selections: bool,
    }
    /// The payload of `StepsExecutionStarted`: a group of steps started.
    StepsExecutionStartedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// How many steps the group has.
        steps_count: u64,
    }
    /// The payload of `StepsExecutionCompleted`: a group of steps completed.
    StepsExecutionCompletedEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// How many steps the group has.
        steps_count: u64,
        /// How many steps ran.
        executed_steps: u64,
        /// The results of the steps.
        step_results: Vec<StepResult>,
    }
    /// The payload of `StepOutput`: a step output.
    StepOutputEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
        /// The step's output.
        step_output: StepResult,
    }
    /// The payload of `CustomEvent`: a custom event.
    WorkflowCustomEvent {
        /// The workflow's name.
        workflow_name: String,
        /// The step this one is nested in.
        parent_step_id: String,
        /// How deep the event is nested (0: top level).
        nested_depth: u64,
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
    /// The parsed data; a JSON value whose common fields do not have their types is given
    /// back (it becomes `Unknown`, kept as sent).
    #[allow(clippy::result_large_err)]
    fn data(self) -> Result<EventData, Self> {
        match self {
            Payload::Parsed(d, _) => Ok(d),
            Payload::Value(v) => EventData::deserialize(&v).map_err(|_| Payload::Value(v)),
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

/// Declares an event enum: one variant per known name, each holding its payload (boxed:
/// payloads are large, and an event is moved several times on its way out of a stream).
macro_rules! event_enum {
    (
        $(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident($payload:ident)),+ $(,)? }
        extra { $($extra:tt)* }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $variant(Box<$payload>), )+
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
                    $( stringify!($variant) => $name::$variant(Box::new($payload::from_data(data.data()?))), )+
                    _ => return Err(data),
                })
            }

            /// Decodes an event of a known name of this kind straight from the frame's text:
            /// `None` when the name is not one of this kind, `Some(None)` when the text does
            /// not decode as that event (not an object, or a common field of the wrong type).
            fn parse_known(name: &str, raw: &str) -> Option<Option<Self>> {
                Some(match name {
                    $( stringify!($variant) => $payload::parse_boxed(raw, stringify!($variant)).map($name::$variant), )+
                    _ => return None,
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
                    $( $name::$variant(d) => Some(&d.data), )+
                    _ => None,
                }
            }

            /// The event's data as the server sent it: typed fields and the rest merged back
            /// into one object (absent fields are left out).
            pub fn data_json(&self) -> Value {
                struct Data<'a>(&'a $name);
                impl Serialize for Data<'_> {
                    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        self.0.serialize_data(s)
                    }
                }
                serde_json::to_value(Data(self)).unwrap_or(Value::Null)
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
        /// The run started.
        RunStarted(RunStartedEvent),
        /// A content delta (`content`).
        RunContent(RunContentEvent),
        /// Intermediate content.
        RunIntermediateContent(RunIntermediateContentEvent),
        /// The content is complete.
        RunContentCompleted(RunContentCompletedEvent),
        /// The run completed: the whole `content`, metrics, session state.
        RunCompleted(RunCompletedEvent),
        /// The run failed: the message is in `content`.
        RunError(RunErrorEvent),
        /// The run was cancelled.
        RunCancelled(RunCancelledEvent),
        /// The run waits for a human: `tools` and `requirements`.
        RunPaused(RunPausedEvent),
        /// A paused run continued.
        RunContinued(RunContinuedEvent),
        /// A pre-hook started.
        PreHookStarted(PreHookStartedEvent),
        /// A pre-hook completed.
        PreHookCompleted(PreHookCompletedEvent),
        /// A post-hook started.
        PostHookStarted(PostHookStartedEvent),
        /// A post-hook completed.
        PostHookCompleted(PostHookCompletedEvent),
        /// A tool call started (`tool`).
        ToolCallStarted(ToolCallStartedEvent),
        /// A tool call completed (`tool`, its result in `content`).
        ToolCallCompleted(ToolCallCompletedEvent),
        /// A tool call failed.
        ToolCallError(ToolCallErrorEvent),
        /// Reasoning started.
        ReasoningStarted(ReasoningStartedEvent),
        /// A reasoning step.
        ReasoningStep(ReasoningStepEvent),
        /// A reasoning delta (`reasoning_content`).
        ReasoningContentDelta(ReasoningContentDeltaEvent),
        /// Reasoning completed.
        ReasoningCompleted(ReasoningCompletedEvent),
        /// Memory update started.
        MemoryUpdateStarted(MemoryUpdateStartedEvent),
        /// Memory update completed.
        MemoryUpdateCompleted(MemoryUpdateCompletedEvent),
        /// Session summary started.
        SessionSummaryStarted(SessionSummaryStartedEvent),
        /// Session summary completed.
        SessionSummaryCompleted(SessionSummaryCompletedEvent),
        /// The parser model started.
        ParserModelResponseStarted(ParserModelResponseStartedEvent),
        /// The parser model completed.
        ParserModelResponseCompleted(ParserModelResponseCompletedEvent),
        /// The output model started.
        OutputModelResponseStarted(OutputModelResponseStartedEvent),
        /// The output model completed.
        OutputModelResponseCompleted(OutputModelResponseCompletedEvent),
        /// A model request started.
        ModelRequestStarted(ModelRequestStartedEvent),
        /// A model request completed: its token counts.
        ModelRequestCompleted(ModelRequestCompletedEvent),
        /// Tool-result compression started.
        CompressionStarted(CompressionStartedEvent),
        /// Tool-result compression completed.
        CompressionCompleted(CompressionCompletedEvent),
        /// History compaction started.
        CompactionStarted(CompactionStartedEvent),
        /// History compaction completed.
        CompactionCompleted(CompactionCompletedEvent),
        /// Follow-up suggestions started.
        FollowupsStarted(FollowupsStartedEvent),
        /// Follow-up suggestions completed.
        FollowupsCompleted(FollowupsCompletedEvent),
        /// A custom event from a tool (its own fields are in `fields`).
        CustomEvent(CustomEvent),
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

    /// Decodes a frame named `name` (its `event:` line) straight from its text, in one pass,
    /// to what `from_parsed` gives. `None` when that takes more than the name: a name this
    /// SDK does not know, a control frame, a data `event` field that names another event, or
    /// a text that is not an event object; the frame is then decoded the long way.
    pub(crate) fn parse_frame(name: &str, raw: &str) -> Option<Self> {
        AgentRunEvent::parse_known(name, raw).flatten()
    }
}

event_enum! {
    /// An event of a team run stream. The members' agent events come as `Member`.
    TeamRunEvent {
        /// The team run started.
        TeamRunStarted(TeamRunStartedEvent),
        /// A content delta (`content`).
        TeamRunContent(TeamRunContentEvent),
        /// Intermediate content.
        TeamRunIntermediateContent(TeamRunIntermediateContentEvent),
        /// The content is complete.
        TeamRunContentCompleted(TeamRunContentCompletedEvent),
        /// The team run completed: the whole `content`, metrics, session state.
        TeamRunCompleted(TeamRunCompletedEvent),
        /// The team run failed: the message is in `content`.
        TeamRunError(TeamRunErrorEvent),
        /// The team run was cancelled.
        TeamRunCancelled(TeamRunCancelledEvent),
        /// The team run waits for a human: `tools` and `requirements`.
        TeamRunPaused(TeamRunPausedEvent),
        /// A paused run continued.
        TeamRunContinued(TeamRunContinuedEvent),
        /// A pre-hook started.
        TeamPreHookStarted(TeamPreHookStartedEvent),
        /// A pre-hook completed.
        TeamPreHookCompleted(TeamPreHookCompletedEvent),
        /// A post-hook started.
        TeamPostHookStarted(TeamPostHookStartedEvent),
        /// A post-hook completed.
        TeamPostHookCompleted(TeamPostHookCompletedEvent),
        /// A tool call started (`tool`).
        TeamToolCallStarted(TeamToolCallStartedEvent),
        /// A tool call completed (`tool`, its result in `content`).
        TeamToolCallCompleted(TeamToolCallCompletedEvent),
        /// A tool call failed.
        TeamToolCallError(TeamToolCallErrorEvent),
        /// Reasoning started.
        TeamReasoningStarted(TeamReasoningStartedEvent),
        /// A reasoning step.
        TeamReasoningStep(TeamReasoningStepEvent),
        /// A reasoning delta (`reasoning_content`).
        TeamReasoningContentDelta(TeamReasoningContentDeltaEvent),
        /// Reasoning completed.
        TeamReasoningCompleted(TeamReasoningCompletedEvent),
        /// Memory update started.
        TeamMemoryUpdateStarted(TeamMemoryUpdateStartedEvent),
        /// Memory update completed.
        TeamMemoryUpdateCompleted(TeamMemoryUpdateCompletedEvent),
        /// Session summary started.
        TeamSessionSummaryStarted(TeamSessionSummaryStartedEvent),
        /// Session summary completed.
        TeamSessionSummaryCompleted(TeamSessionSummaryCompletedEvent),
        /// The parser model started.
        TeamParserModelResponseStarted(TeamParserModelResponseStartedEvent),
        /// The parser model completed.
        TeamParserModelResponseCompleted(TeamParserModelResponseCompletedEvent),
        /// The output model started.
        TeamOutputModelResponseStarted(TeamOutputModelResponseStartedEvent),
        /// The output model completed.
        TeamOutputModelResponseCompleted(TeamOutputModelResponseCompletedEvent),
        /// A model request started.
        TeamModelRequestStarted(TeamModelRequestStartedEvent),
        /// A model request completed: its token counts.
        TeamModelRequestCompleted(TeamModelRequestCompletedEvent),
        /// Tool-result compression started.
        TeamCompressionStarted(TeamCompressionStartedEvent),
        /// Tool-result compression completed.
        TeamCompressionCompleted(TeamCompressionCompletedEvent),
        /// Follow-up suggestions started.
        TeamFollowupsStarted(TeamFollowupsStartedEvent),
        /// Follow-up suggestions completed.
        TeamFollowupsCompleted(TeamFollowupsCompletedEvent),
        /// A task-mode iteration started.
        TeamTaskIterationStarted(TeamTaskIterationStartedEvent),
        /// A task-mode iteration completed.
        TeamTaskIterationCompleted(TeamTaskIterationCompletedEvent),
        /// The task list changed.
        TeamTaskStateUpdated(TeamTaskStateUpdatedEvent),
        /// A task was created.
        TeamTaskCreated(TeamTaskCreatedEvent),
        /// A task was updated.
        TeamTaskUpdated(TeamTaskUpdatedEvent),
        /// A custom event from a tool of the leader.
        CustomEvent(TeamCustomEvent),
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

    /// [`decode`](Self::decode) for a frame whose name alone says what it is (not a
    /// `CustomEvent`, whose kind depends on its data); see [`AgentRunEvent::parse_frame`].
    pub(crate) fn parse_frame(name: &str, raw: &str) -> Option<Self> {
        if name == "CustomEvent" {
            return None;
        }
        match TeamRunEvent::parse_known(name, raw) {
            Some(e) => e,
            None => AgentRunEvent::parse_frame(name, raw).map(TeamRunEvent::Member),
        }
    }
}

event_enum! {
    /// An event of a workflow run stream. The events of agent and team steps come as `Agent`
    /// and `Team`.
    WorkflowRunEvent {
        /// The workflow started.
        WorkflowStarted(WorkflowStartedEvent),
        /// The workflow completed (`content`, `step_results`, `metrics`).
        WorkflowCompleted(WorkflowCompletedEvent),
        /// The workflow waits for a human (`step_requirements`).
        WorkflowPaused(WorkflowPausedEvent),
        /// The workflow was cancelled.
        WorkflowCancelled(WorkflowCancelledEvent),
        /// The workflow failed (the message is in `error`).
        WorkflowError(WorkflowErrorEvent),
        /// The workflow agent started.
        WorkflowAgentStarted(WorkflowAgentStartedEvent),
        /// The workflow agent completed.
        WorkflowAgentCompleted(WorkflowAgentCompletedEvent),
        /// A step started.
        StepStarted(StepStartedEvent),
        /// A step completed.
        StepCompleted(StepCompletedEvent),
        /// A step reported progress.
        StepProgress(StepProgressEvent),
        /// A step waits for a human.
        StepPaused(StepPausedEvent),
        /// A paused step continued.
        StepContinued(StepContinuedEvent),
        /// A step's agent or team waits for a human.
        StepExecutorPaused(StepExecutorPausedEvent),
        /// A step's agent or team continued.
        StepExecutorContinued(StepExecutorContinuedEvent),
        /// A step's output waits for review.
        StepOutputReview(StepOutputReviewEvent),
        /// A step failed.
        StepError(StepErrorEvent),
        /// A loop started.
        LoopExecutionStarted(LoopExecutionStartedEvent),
        /// A loop iteration started.
        LoopIterationStarted(LoopIterationStartedEvent),
        /// A loop iteration completed.
        LoopIterationCompleted(LoopIterationCompletedEvent),
        /// A loop completed.
        LoopExecutionCompleted(LoopExecutionCompletedEvent),
        /// Parallel steps started.
        ParallelExecutionStarted(ParallelExecutionStartedEvent),
        /// Parallel steps completed.
        ParallelExecutionCompleted(ParallelExecutionCompletedEvent),
        /// A condition was evaluated.
        ConditionExecutionStarted(ConditionExecutionStartedEvent),
        /// A condition's steps completed.
        ConditionExecutionCompleted(ConditionExecutionCompletedEvent),
        /// A condition waits for a human.
        ConditionPaused(ConditionPausedEvent),
        /// A router started.
        RouterExecutionStarted(RouterExecutionStartedEvent),
        /// A router completed.
        RouterExecutionCompleted(RouterExecutionCompletedEvent),
        /// A router waits for a choice.
        RouterPaused(RouterPausedEvent),
        /// A group of steps started.
        StepsExecutionStarted(StepsExecutionStartedEvent),
        /// A group of steps completed.
        StepsExecutionCompleted(StepsExecutionCompletedEvent),
        /// A step output.
        StepOutput(StepOutputEvent),
        /// A custom event.
        CustomEvent(WorkflowCustomEvent),
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

    /// [`decode`](Self::decode) for a frame whose name alone says what it is (not a
    /// `CustomEvent`, whose kind depends on its data); see [`AgentRunEvent::parse_frame`].
    pub(crate) fn parse_frame(name: &str, raw: &str) -> Option<Self> {
        if name == "CustomEvent" {
            return None;
        }
        match WorkflowRunEvent::parse_known(name, raw) {
            Some(e) => e,
            None if name.starts_with("Team") => {
                TeamRunEvent::parse_frame(name, raw).map(WorkflowRunEvent::Team)
            }
            None => AgentRunEvent::parse_frame(name, raw).map(WorkflowRunEvent::Agent),
        }
    }
}

impl AgentRunEvent {
    /// The tool call of `ToolCallStarted`, `ToolCallCompleted` and `ToolCallError`.
    pub fn tool_call(&self) -> Option<&ToolExecution> {
        match self {
            AgentRunEvent::ToolCallStarted(e) => e.tool.as_ref(),
            AgentRunEvent::ToolCallCompleted(e) => e.tool.as_ref(),
            AgentRunEvent::ToolCallError(e) => e.tool.as_ref(),
            _ => None,
        }
    }
}

impl TeamRunEvent {
    /// The tool call of a tool-call event of the leader or of a member.
    pub fn tool_call(&self) -> Option<&ToolExecution> {
        match self {
            TeamRunEvent::TeamToolCallStarted(e) => e.tool.as_ref(),
            TeamRunEvent::TeamToolCallCompleted(e) => e.tool.as_ref(),
            TeamRunEvent::TeamToolCallError(e) => e.tool.as_ref(),
            TeamRunEvent::Member(e) => e.tool_call(),
            _ => None,
        }
    }
}

impl WorkflowRunEvent {
    /// The tool call of a tool-call event of a step's agent or team.
    pub fn tool_call(&self) -> Option<&ToolExecution> {
        match self {
            WorkflowRunEvent::Agent(e) => e.tool_call(),
            WorkflowRunEvent::Team(e) => e.tool_call(),
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    // The event catalogue of the server (agno's `RunEvent`, `TeamRunEvent` and
    // `WorkflowRunEvent` enums in libs/agno/agno/run/{agent,team,workflow}.py, plus the
    // compaction events of agno 3.1).
    pub(crate) const AGENT_EVENTS: &[&str] = &[
        "RunStarted",
        "RunContent",
        "RunIntermediateContent",
        "RunContentCompleted",
        "RunCompleted",
        "RunError",
        "RunCancelled",
        "RunPaused",
        "RunContinued",
        "PreHookStarted",
        "PreHookCompleted",
        "PostHookStarted",
        "PostHookCompleted",
        "ToolCallStarted",
        "ToolCallCompleted",
        "ToolCallError",
        "ReasoningStarted",
        "ReasoningStep",
        "ReasoningContentDelta",
        "ReasoningCompleted",
        "MemoryUpdateStarted",
        "MemoryUpdateCompleted",
        "SessionSummaryStarted",
        "SessionSummaryCompleted",
        "ParserModelResponseStarted",
        "ParserModelResponseCompleted",
        "OutputModelResponseStarted",
        "OutputModelResponseCompleted",
        "ModelRequestStarted",
        "ModelRequestCompleted",
        "CompressionStarted",
        "CompressionCompleted",
        "CompactionStarted",
        "CompactionCompleted",
        "FollowupsStarted",
        "FollowupsCompleted",
        "CustomEvent",
    ];
    pub(crate) const TEAM_EVENTS: &[&str] = &[
        "TeamRunStarted",
        "TeamRunContent",
        "TeamRunIntermediateContent",
        "TeamRunContentCompleted",
        "TeamRunCompleted",
        "TeamRunError",
        "TeamRunCancelled",
        "TeamRunPaused",
        "TeamRunContinued",
        "TeamPreHookStarted",
        "TeamPreHookCompleted",
        "TeamPostHookStarted",
        "TeamPostHookCompleted",
        "TeamToolCallStarted",
        "TeamToolCallCompleted",
        "TeamToolCallError",
        "TeamReasoningStarted",
        "TeamReasoningStep",
        "TeamReasoningContentDelta",
        "TeamReasoningCompleted",
        "TeamMemoryUpdateStarted",
        "TeamMemoryUpdateCompleted",
        "TeamSessionSummaryStarted",
        "TeamSessionSummaryCompleted",
        "TeamParserModelResponseStarted",
        "TeamParserModelResponseCompleted",
        "TeamOutputModelResponseStarted",
        "TeamOutputModelResponseCompleted",
        "TeamModelRequestStarted",
        "TeamModelRequestCompleted",
        "TeamCompressionStarted",
        "TeamCompressionCompleted",
        "TeamFollowupsStarted",
        "TeamFollowupsCompleted",
        "TeamTaskIterationStarted",
        "TeamTaskIterationCompleted",
        "TeamTaskStateUpdated",
        "TeamTaskCreated",
        "TeamTaskUpdated",
        "CustomEvent",
    ];
    pub(crate) const WORKFLOW_EVENTS: &[&str] = &[
        "WorkflowStarted",
        "WorkflowCompleted",
        "WorkflowPaused",
        "WorkflowCancelled",
        "WorkflowError",
        "WorkflowAgentStarted",
        "WorkflowAgentCompleted",
        "StepStarted",
        "StepCompleted",
        "StepProgress",
        "StepPaused",
        "StepContinued",
        "StepExecutorPaused",
        "StepExecutorContinued",
        "StepOutputReview",
        "StepError",
        "LoopExecutionStarted",
        "LoopIterationStarted",
        "LoopIterationCompleted",
        "LoopExecutionCompleted",
        "ParallelExecutionStarted",
        "ParallelExecutionCompleted",
        "ConditionExecutionStarted",
        "ConditionExecutionCompleted",
        "ConditionPaused",
        "RouterExecutionStarted",
        "RouterExecutionCompleted",
        "RouterPaused",
        "StepsExecutionStarted",
        "StepsExecutionCompleted",
        "StepOutput",
        "CustomEvent",
    ];

    #[test]
    fn every_event_name_of_the_catalogue_decodes_to_its_typed_variant() {
        for name in AGENT_EVENTS {
            let ev = AgentRunEvent::from_parts(name, json!({"event": name, "agent_id": "a"}));
            assert_eq!(ev.name(), *name);
            assert!(ev.own_data().is_some(), "{name} is {ev:?}");
        }
        for name in TEAM_EVENTS {
            let ev = TeamRunEvent::from_parts(name, json!({"event": name, "team_id": "t"}));
            assert_eq!(ev.name(), *name);
            assert!(ev.own_data().is_some(), "{name} is {ev:?}");
        }
        for name in WORKFLOW_EVENTS {
            let ev = WorkflowRunEvent::from_parts(name, json!({"event": name}));
            assert_eq!(ev.name(), *name);
            assert!(ev.own_data().is_some(), "{name} is {ev:?}");
        }
        // A member's event in a team stream, an agent step's in a workflow stream.
        let member = TeamRunEvent::from_parts("RunContent", json!({"agent_id": "m"}));
        assert!(matches!(
            member,
            TeamRunEvent::Member(AgentRunEvent::RunContent(_))
        ));
        let step = WorkflowRunEvent::from_parts("TeamRunContent", json!({"team_id": "t"}));
        assert!(matches!(
            step,
            WorkflowRunEvent::Team(TeamRunEvent::TeamRunContent(_))
        ));
        let unknown = AgentRunEvent::from_parts("BrandNew", json!({"x": 1}));
        assert!(
            matches!(&unknown, AgentRunEvent::Unknown { event, data } if event == "BrandNew" && data["x"] == 1)
        );
    }

    #[test]
    fn a_field_of_an_unexpected_type_is_kept_as_sent() {
        let ev = AgentRunEvent::from_parts(
            "ModelRequestCompleted",
            json!({"input_tokens": "many", "output_tokens": 3, "total_tokens": null}),
        );
        let AgentRunEvent::ModelRequestCompleted(e) = ev else {
            panic!("{ev:?}")
        };
        assert_eq!(e.input_tokens, None);
        assert_eq!(
            e.fields["input_tokens"], "many",
            "malformed: kept in the rest"
        );
        assert_eq!(e.output_tokens, Some(3));
        assert_eq!(e.total_tokens, None);
        assert!(!e.fields.contains_key("total_tokens"), "null: absent");
        assert!(
            !e.fields.contains_key("output_tokens"),
            "typed: moved out of the rest"
        );
        // A common field of the wrong type makes the event `Unknown`, kept whole.
        let odd = AgentRunEvent::from_parts("RunContent", json!({"run_id": 7, "content": "x"}));
        assert!(matches!(&odd, AgentRunEvent::Unknown { data, .. } if data["run_id"] == 7));
    }

    /// Decodes every frame of a recorded stream through the SDK's stream.
    fn recorded<E: crate::StreamEvent>(name: &str) -> Vec<E> {
        let path = format!(
            "{}/../../tests/fixtures/recorded/{name}.sse",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut decoder = agentos_core::sse::SseDecoder::new(usize::MAX);
        decoder.push(&std::fs::read(&path).unwrap());
        decoder.finish();
        let mut out = Vec::new();
        while let Some(frame) = decoder.next_frame().unwrap() {
            let data: EventData = serde_json::from_str(&frame.data).unwrap();
            out.push(E::decode_parsed(frame.event_name(), data, &frame.data));
        }
        out
    }

    #[test]
    fn agent_events_of_the_recorded_streams_are_typed() {
        let events: Vec<AgentRunEvent> = recorded("agent-tool");
        let mut seen = std::collections::BTreeSet::new();
        for ev in &events {
            seen.insert(ev.name().to_owned());
            match ev {
                AgentRunEvent::RunStarted(e) => {
                    assert_eq!(e.model.as_deref(), Some("gpt-4o"));
                    assert_eq!(e.model_provider.as_deref(), Some("OpenAI"));
                    assert_eq!(e.agent_name.as_deref(), Some("Echo Agent"));
                }
                AgentRunEvent::RunContent(e) => {
                    assert_eq!(e.content_type.as_deref(), Some("str"));
                    assert_eq!(e.workflow_agent, Some(false));
                    assert!(e.model_provider_data.is_some());
                    assert!(e.content.is_some());
                }
                AgentRunEvent::ModelRequestStarted(e) => {
                    assert_eq!(e.model.as_deref(), Some("gpt-4o"));
                }
                AgentRunEvent::ModelRequestCompleted(e) => {
                    assert!(e.input_tokens.is_some_and(|n| n > 0));
                    assert_eq!(
                        e.total_tokens,
                        Some(e.input_tokens.unwrap() + e.output_tokens.unwrap())
                    );
                    assert!(e.time_to_first_token.is_some());
                    assert_eq!(e.cache_read_tokens, Some(0));
                }
                AgentRunEvent::ToolCallStarted(e) => {
                    let tool = e.tool.as_ref().unwrap();
                    assert_eq!(tool.tool_name.as_deref(), Some("echo_tool"));
                    assert_eq!(tool.tool_args.as_ref().unwrap()["text"], "ping");
                    assert_eq!(ev.tool_call(), Some(tool));
                }
                AgentRunEvent::ToolCallCompleted(e) => {
                    let tool = e.tool.as_ref().unwrap();
                    assert_eq!(tool.result_text().as_deref(), Some("echo_tool says: ping"));
                }
                AgentRunEvent::RunCompleted(e) => {
                    let m = e.metrics.as_ref().unwrap();
                    assert!(m.total_tokens.is_some_and(|n| n > 0));
                    assert!(!e.content_text().is_empty());
                }
                AgentRunEvent::RunContentCompleted(_) => {}
                other => panic!("unexpected {other:?}"),
            }
            // The typed fields are not also in the rest.
            let rest = &ev.data().unwrap().fields;
            for typed in ["model", "tool", "metrics", "input_tokens", "content_type"] {
                assert!(
                    !rest.contains_key(typed),
                    "{}: {typed} in {rest:?}",
                    ev.name()
                );
            }
        }
        for name in [
            "RunStarted",
            "RunContent",
            "ToolCallStarted",
            "ToolCallCompleted",
            "ModelRequestCompleted",
            "RunCompleted",
        ] {
            assert!(seen.contains(name), "{name} not in {seen:?}");
        }
    }

    #[test]
    fn paused_error_and_cancelled_agent_events_are_typed() {
        let paused: Vec<AgentRunEvent> = recorded("agent-paused");
        let p = paused
            .iter()
            .find_map(|e| match e {
                AgentRunEvent::RunPaused(p) => Some(p),
                _ => None,
            })
            .unwrap();
        let tools = p.tools.as_ref().unwrap();
        assert_eq!(tools[0].tool_name.as_deref(), Some("confirm_tool"));
        assert!(tools[0].is_pending());
        let reqs = p.requirements.as_ref().unwrap();
        assert_eq!(
            reqs[0].tool_execution.as_ref().unwrap().tool_call_id,
            tools[0].tool_call_id
        );

        let failed: Vec<AgentRunEvent> = recorded("agent-error");
        let e = failed
            .iter()
            .find_map(|e| match e {
                AgentRunEvent::RunError(e) => Some(e),
                _ => None,
            })
            .unwrap();
        assert_eq!(e.error_type.as_deref(), Some("model_provider_error"));
        assert_eq!(
            e.content_text(),
            "The fake model was asked to fail with 500."
        );

        let cancelled: Vec<AgentRunEvent> = recorded("agent-cancelled");
        let c = cancelled
            .iter()
            .find_map(|e| match e {
                AgentRunEvent::RunCancelled(c) => Some(c),
                _ => None,
            })
            .unwrap();
        assert!(c.reason.as_deref().unwrap().contains("was cancelled"));

        let continued: Vec<AgentRunEvent> = recorded("agent-continue");
        assert!(
            continued
                .iter()
                .any(|e| matches!(e, AgentRunEvent::RunContinued(_)))
        );
    }

    #[test]
    fn team_events_of_the_recorded_streams_are_typed() {
        let events: Vec<TeamRunEvent> = recorded("team-delegate");
        let mut members = 0;
        let mut tool_calls = 0;
        for ev in &events {
            match ev {
                TeamRunEvent::TeamRunStarted(e) => {
                    assert_eq!(e.model.as_deref(), Some("gpt-4o"));
                    assert_eq!(e.team_name.as_deref(), Some("Echo Team"));
                }
                TeamRunEvent::TeamModelRequestCompleted(e) => {
                    assert!(e.input_tokens.is_some());
                }
                TeamRunEvent::TeamToolCallStarted(e) => {
                    assert!(e.tool.as_ref().unwrap().tool_name.is_some());
                    tool_calls += 1;
                }
                TeamRunEvent::TeamToolCallCompleted(e) => {
                    assert!(e.tool.as_ref().unwrap().result.is_some());
                }
                TeamRunEvent::TeamRunCompleted(e) => {
                    assert!(e.metrics.is_some());
                    assert!(!e.member_responses.as_ref().unwrap().is_empty());
                }
                TeamRunEvent::Member(m) => {
                    let d = m.data().unwrap();
                    assert!(d.agent_id.as_deref().unwrap().starts_with("member-"));
                    assert!(d.parent_run_id.is_some());
                    members += 1;
                }
                _ => {}
            }
        }
        assert!(members > 0 && tool_calls > 0);

        let paused: Vec<TeamRunEvent> = recorded("team-paused");
        let p = paused
            .iter()
            .find_map(|e| match e {
                TeamRunEvent::TeamRunPaused(p) => Some(p),
                _ => None,
            })
            .unwrap();
        let req = &p.requirements.as_ref().unwrap()[0];
        assert!(req.is_pending());
        assert_eq!(
            req.tool_execution.as_ref().unwrap().tool_name.as_deref(),
            Some("confirm_tool")
        );
    }

    #[test]
    fn workflow_events_of_the_recorded_streams_are_typed() {
        let events: Vec<WorkflowRunEvent> = recorded("workflow");
        let steps: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                WorkflowRunEvent::StepStarted(s) => {
                    Some((s.step_name.clone(), s.step_index.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            steps,
            vec![
                (Some("step-one".to_owned()), Some(StepIndex::Index(0))),
                (Some("step-two".to_owned()), Some(StepIndex::Index(1))),
            ]
        );
        let done = events
            .iter()
            .find_map(|e| match e {
                WorkflowRunEvent::WorkflowCompleted(c) => Some(c),
                _ => None,
            })
            .unwrap();
        assert_eq!(done.step_results.as_ref().unwrap().len(), 2);
        assert!(
            events
                .iter()
                .any(|e| matches!(e, WorkflowRunEvent::StepCompleted(c) if c.step_name.is_some()))
        );
        assert!(events.iter().any(|e| matches!(e, WorkflowRunEvent::Agent(AgentRunEvent::RunContent(c)) if c.step_name.is_some())));

        let paused: Vec<WorkflowRunEvent> = recorded("workflow-paused");
        let p = paused
            .iter()
            .find_map(|e| match e {
                WorkflowRunEvent::WorkflowPaused(p) => Some(p),
                _ => None,
            })
            .unwrap();
        assert_eq!(p.paused_step_name.as_deref(), Some("publish"));
        assert_eq!(p.paused_step_index, Some(1));
        assert_eq!(p.pause_kind.as_deref(), Some("step"));
        let req = &p.step_requirements.as_ref().unwrap()[0];
        assert!(req.is_pending());
        let step = paused
            .iter()
            .find_map(|e| match e {
                WorkflowRunEvent::StepPaused(s) => Some(s),
                _ => None,
            })
            .unwrap();
        assert_eq!(step.requires_confirmation, Some(true));
        assert!(step.confirmation_message.is_some());
    }

    /// The long way a frame is decoded (parsed into `EventData`, then by name), as the
    /// stream did before the one-pass decoder.
    fn long_way<E: crate::StreamEvent>(name: &str, raw: &str) -> Option<E> {
        let data: EventData = serde_json::from_str(raw).ok()?;
        Some(E::decode_parsed(name, data, raw))
    }

    /// Asserts that the one-pass decoder gives what the long way gives, for each kind of
    /// stream; returns whether it took the frame (for the agent kind).
    fn same_as_long_way(name: &str, raw: &str) -> bool {
        fn one<E: crate::StreamEvent + PartialEq + std::fmt::Debug>(name: &str, raw: &str) -> bool {
            match E::decode_frame(name, raw) {
                Some(fast) => {
                    assert_eq!(
                        Some(&fast),
                        long_way::<E>(name, raw).as_ref(),
                        "{name} {raw}"
                    );
                    true
                }
                None => false,
            }
        }
        one::<TeamRunEvent>(name, raw);
        one::<WorkflowRunEvent>(name, raw);
        one::<AgentRunEvent>(name, raw)
    }

    fn frame(name: &str, raw: &str) -> AgentRunEvent {
        assert!(same_as_long_way(name, raw), "{name} {raw}: not taken");
        <AgentRunEvent as crate::StreamEvent>::decode_frame(name, raw).unwrap()
    }

    #[test]
    fn the_one_pass_decoder_gives_what_the_long_way_gives_on_every_recorded_frame() {
        let dir = format!(
            "{}/../../tests/fixtures/recorded",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut taken = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let mut decoder = agentos_core::sse::SseDecoder::new(usize::MAX);
            decoder.push(&std::fs::read(&path).unwrap());
            decoder.finish();
            while let Some(frame) = decoder.next_frame().unwrap() {
                if let Some(name) = frame.event.as_deref() {
                    taken += usize::from(same_as_long_way(name, &frame.data));
                }
            }
        }
        assert!(taken > 50, "{taken}");
    }

    #[test]
    fn unknown_keys_are_kept_as_a_map_of_the_object_keeps_them() {
        let raw = r#"{"zeta":1,"event":"RunContent","alpha":{"b":[1,{"c":null}],"a":"x"},"content":"hi","mid":[true,null],"content_type":"str"}"#;
        let AgentRunEvent::RunContent(e) = frame("RunContent", raw) else {
            panic!()
        };
        let mut whole: Map<String, Value> = serde_json::from_str(raw).unwrap();
        whole.remove("content");
        whole.remove("content_type");
        whole.remove("event");
        assert_eq!(e.fields, whole);
        assert_eq!(e.event_field(), Some("RunContent"));
        assert_eq!(
            e.fields.keys().collect::<Vec<_>>(),
            whole.keys().collect::<Vec<_>>(),
            "same order as the map of the object"
        );
        // Nested unknown objects are kept whole, nulls inside included.
        assert_eq!(e.fields["alpha"], json!({"a": "x", "b": [1, {"c": null}]}));
        assert_eq!(e.fields["mid"], json!([true, null]));
        assert_eq!(e.content_type.as_deref(), Some("str"));
        assert_eq!(e.content, Some(json!("hi")));
    }

    #[test]
    fn a_known_field_of_the_wrong_type_is_kept_in_the_rest() {
        let raw = r#"{"input_tokens":"many","output_tokens":-3,"total_tokens":1.5,"cache_read_tokens":null,"time_to_first_token":2,"model":{"id":"m"},"reasoning_tokens":7}"#;
        let AgentRunEvent::ModelRequestCompleted(e) = frame("ModelRequestCompleted", raw) else {
            panic!()
        };
        assert_eq!(e.input_tokens, None);
        assert_eq!(e.fields["input_tokens"], "many");
        assert_eq!(e.output_tokens, None);
        assert_eq!(e.fields["output_tokens"], -3);
        assert_eq!(e.total_tokens, None);
        assert_eq!(e.fields["total_tokens"], 1.5);
        assert_eq!(e.cache_read_tokens, None);
        assert!(!e.fields.contains_key("cache_read_tokens"), "null: absent");
        assert_eq!(e.time_to_first_token, Some(2.0), "an integer is a float");
        assert_eq!(e.model, None);
        assert_eq!(e.fields["model"], json!({"id": "m"}));
        assert_eq!(e.reasoning_tokens, Some(7));
        assert!(!e.fields.contains_key("reasoning_tokens"));
        // A bool and a string of the wrong type, after fields that fit (the one pass is
        // then read again, and keeps them).
        let raw = r#"{"content_type":"str","workflow_agent":"yes","reasoning_content":7}"#;
        let AgentRunEvent::RunContent(e) = frame("RunContent", raw) else {
            panic!()
        };
        assert_eq!(e.content_type.as_deref(), Some("str"));
        assert_eq!(
            (e.workflow_agent, &e.fields["workflow_agent"]),
            (None, &json!("yes"))
        );
        assert_eq!(
            (&e.reasoning_content, &e.fields["reasoning_content"]),
            (&None, &json!(7))
        );

        // A typed structure that does not fit is kept too.
        let raw = r#"{"tool":{"tool_name":5},"event":"ToolCallStarted"}"#;
        let AgentRunEvent::ToolCallStarted(e) = frame("ToolCallStarted", raw) else {
            panic!()
        };
        assert_eq!(e.tool, None);
        assert_eq!(e.fields["tool"], json!({"tool_name": 5}));

        // Read from their text, typed structures decode as from a `Value`: a duplicate key
        // inside counts once, the last one wins; one inner field of the wrong type keeps the
        // whole structure in the rest.
        let raw = r#"{"metrics":{"input_tokens":1,"input_tokens":2,"x":{"a":1},"x":3},"metadata":{"k":1,"k":2}}"#;
        let AgentRunEvent::RunCompleted(e) = frame("RunCompleted", raw) else {
            panic!()
        };
        let m = e.metrics.as_ref().unwrap();
        assert_eq!(m.input_tokens, Some(2));
        assert_eq!(m.extra["x"], 3);
        assert_eq!(e.metadata, Some(json!({"k": 2})));
        let raw =
            r#"{"step_results":[{"step_name":"a"},{"step_name":1}],"metrics":{"input_tokens":-1}}"#;
        let WorkflowRunEvent::WorkflowCompleted(e) =
            <WorkflowRunEvent as crate::StreamEvent>::decode_frame("WorkflowCompleted", raw)
                .unwrap()
        else {
            panic!()
        };
        same_as_long_way("WorkflowCompleted", raw); // asserts the workflow kind agrees
        assert_eq!(e.step_results, None);
        assert_eq!(
            e.fields["step_results"],
            json!([{"step_name": "a"}, {"step_name": 1}])
        );
        assert_eq!(e.metrics, None);
        assert_eq!(e.fields["metrics"], json!({"input_tokens": -1}));

        // A common field of the wrong type: not taken; the stream keeps the event whole in
        // `Unknown` (the long way).
        let raw = r#"{"run_id":7,"content":"x"}"#;
        assert!(!same_as_long_way("RunContent", raw));
        assert!(RunContentEvent::deserialize(&json!({"run_id": 7})).is_err());
    }

    #[test]
    fn a_duplicate_key_counts_once_the_last_one_wins() {
        // Own field: typed then of the wrong type, wrong then typed, typed then null.
        let raw = r#"{"input_tokens":1,"input_tokens":"x","output_tokens":"y","output_tokens":2,"total_tokens":3,"total_tokens":null}"#;
        let AgentRunEvent::ModelRequestCompleted(e) = frame("ModelRequestCompleted", raw) else {
            panic!()
        };
        assert_eq!(e.input_tokens, None);
        assert_eq!(e.fields["input_tokens"], "x");
        assert_eq!(e.output_tokens, Some(2));
        assert!(!e.fields.contains_key("output_tokens"));
        assert_eq!(e.total_tokens, None);
        assert!(!e.fields.contains_key("total_tokens"));
        // Common fields and unknown keys.
        let raw = r#"{"run_id":"a","k":1,"run_id":"b","k":2,"content":"x","content":null}"#;
        let e = frame("RunContent", raw);
        let d = e.data().unwrap();
        assert_eq!(d.run_id.as_deref(), Some("b"));
        assert_eq!(d.fields["k"], 2);
        assert_eq!(d.content, None);
    }

    #[test]
    fn the_event_field_of_the_data_decides_and_may_be_missing() {
        // No `event` in the data: the frame's name decides.
        let e = frame("RunStarted", r#"{"model":"m"}"#);
        assert!(matches!(&e, AgentRunEvent::RunStarted(s) if s.model.as_deref() == Some("m")));
        // An `event` that is not a string: the frame's name decides; the value is kept.
        let e = frame("RunStarted", r#"{"event":5}"#);
        assert_eq!(e.data().unwrap().fields["event"], 5);
        // An `event` naming another event: left to the long way (which goes by the data).
        let raw = r#"{"event":"RunCompleted","content":"done"}"#;
        assert!(<AgentRunEvent as crate::StreamEvent>::decode_frame("RunContent", raw).is_none());
        // Names that take more than the name: control frames, unknown names, custom events
        // of teams and workflows.
        for name in ["replay", "BrandNew", "error", "WorkflowRunOutput"] {
            assert!(<AgentRunEvent as crate::StreamEvent>::decode_frame(name, "{}").is_none());
        }
        assert!(<TeamRunEvent as crate::StreamEvent>::decode_frame("CustomEvent", "{}").is_none());
        assert!(
            <WorkflowRunEvent as crate::StreamEvent>::decode_frame("CustomEvent", "{}").is_none()
        );
        // Not an object, not JSON.
        for raw in ["[1]", "\"x\"", "{", "", "null", "{} {}"] {
            assert!(!same_as_long_way("RunContent", raw), "{raw}");
        }
    }

    #[test]
    fn a_string_event_field_is_the_name_not_the_rest_and_is_written_back() {
        // Sent as a string: read into its slot (no map entry), written back as sent.
        let raw = r#"{"event":"RunContent","content":"x"}"#;
        let e = frame("RunContent", raw);
        let d = e.data().unwrap();
        assert_eq!(d.event_field(), Some("RunContent"));
        assert!(d.fields.is_empty(), "{:?}", d.fields);
        assert_eq!(
            e.data_json(),
            json!({"event": "RunContent", "content": "x"})
        );
        // Not sent: not made up on the way back.
        let e = frame("RunContent", r#"{"content":"x"}"#);
        assert_eq!(e.data().unwrap().event_field(), None);
        assert_eq!(e.data_json(), json!({"content": "x"}));
        // Escaped in the text: the same name (decoded, then compared).
        let e = frame("RunContent", r#"{"event":"Run\u0043ontent"}"#);
        assert_eq!(e.data().unwrap().event_field(), Some("RunContent"));
        // Duplicates: the last one wins, whatever the types.
        let e = frame("RunContent", r#"{"event":5,"event":"RunContent"}"#);
        let d = e.data().unwrap();
        assert_eq!(
            (d.event_field(), d.fields.get("event")),
            (Some("RunContent"), None)
        );
        let e = frame(
            "RunContent",
            r#"{"event":"RunContent","event":[1,{"a":null}]}"#,
        );
        let d = e.data().unwrap();
        assert_eq!(d.event_field(), None);
        assert_eq!(d.fields["event"], json!([1, {"a": null}]));
        assert_eq!(e.data_json(), json!({"event": [1, {"a": null}]}));
        for other in ["true", "null", "-1.5", "{\"k\":\"v\"}"] {
            let raw = format!(r#"{{"event":{other}}}"#);
            let e = frame("RunContent", &raw);
            let want: Value = serde_json::from_str(other).unwrap();
            assert_eq!(e.data().unwrap().fields["event"], want, "{raw}");
        }
        // Naming another event: not the fast path's to decode; the long way reads the name
        // the data gives (which wins) and keeps it as sent.
        let raw = r#"{"event":"RunCompleted","content":"done"}"#;
        assert!(!same_as_long_way("RunContent", raw));
        let d: EventData = serde_json::from_str(raw).unwrap();
        assert_eq!(d.event_field(), Some("RunCompleted"));
        let e = long_way::<AgentRunEvent>("RunCompleted", raw).unwrap();
        assert!(matches!(e, AgentRunEvent::RunCompleted(_)), "{e:?}");
        assert_eq!(
            e.data_json(),
            json!({"event": "RunCompleted", "content": "done"})
        );
        // Decoded from a value (no frame name): the same.
        let d = EventData::deserialize(&json!({"event": "X", "run_id": "r"})).unwrap();
        assert_eq!((d.event_field(), d.fields.len()), (Some("X"), 0));
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            json!({"event": "X", "run_id": "r"})
        );
    }

    #[test]
    fn a_typed_field_nested_near_the_limit_is_read_as_the_long_way_reads_it() {
        // serde_json stops at 128 levels; a typed field is read from its own text, which
        // starts one level down: around the limit, the same event either way.
        let mut taken = 0;
        for depth in 100..140 {
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            for (name, raw) in [
                ("RunCompleted", format!(r#"{{"metrics":{{"x":{deep}}}}}"#)),
                (
                    "ToolCallStarted",
                    format!(r#"{{"tool":{{"tool_args":{deep}}}}}"#),
                ),
                ("FollowupsCompleted", format!(r#"{{"followups":{deep}}}"#)),
            ] {
                taken += usize::from(same_as_long_way(name, &raw));
            }
            let raw = format!(r#"{{"metrics":{{"x":"{deep}"}}}}"#);
            assert!(
                same_as_long_way("RunCompleted", &raw),
                "brackets in a string"
            );
        }
        assert_eq!(taken, 26 + 26 + 27, "up to the limit, and not past it");
        assert!(!too_deep("[[]]"));
        assert!(too_deep(&"[".repeat(127)));
        assert!(!too_deep(&format!("\"{}\"", "[".repeat(200))));
        assert!(!too_deep(&format!("\"\\\"{}\"", "[".repeat(200))));
    }

    #[test]
    fn huge_numbers_are_kept_as_the_long_way_keeps_them() {
        // Past u64: a float, which is not a count: kept in the rest.
        let raw = r#"{"input_tokens":18446744073709551616,"event_index":18446744073709551615,"big":123456789012345678901234567890}"#;
        let AgentRunEvent::ModelRequestCompleted(e) = frame("ModelRequestCompleted", raw) else {
            panic!()
        };
        assert_eq!(e.input_tokens, None);
        assert!(e.fields["input_tokens"].is_f64());
        assert_eq!(e.event_index, Some(u64::MAX));
        assert!(e.fields["big"].is_f64());
        // Out of the range of a float: not JSON serde can read; the long way keeps the text.
        assert!(!same_as_long_way(
            "ModelRequestCompleted",
            r#"{"input_tokens":1e400}"#
        ));
        // A common field past u64: not taken (the long way makes it `Unknown`).
        assert!(!same_as_long_way(
            "RunContent",
            r#"{"event_index":18446744073709551616}"#
        ));
    }

    mod one_pass {
        use super::*;
        use proptest::prelude::*;

        fn leaf() -> impl Strategy<Value = Value> {
            prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<u64>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                (-1e6f64..1e6).prop_map(Value::from),
                "[a-z\"\\\\é]{0,6}".prop_map(Value::from),
                Just(json!({"tool_name": "t", "tool_args": {"a": 1}})),
                Just(json!({"input_tokens": 1, "duration": 0.5, "other": [1]})),
                Just(json!([{"step_name": "s", "content": "c"}])),
                Just(json!(["a", "b"])),
                Just(json!([0, 1])),
                Just(json!({"tool_name": 5})),
                Just(json!([{"step_name": 1}])),
                Just(json!([[{"step_name": "s"}]])),
                Just(json!({"input_tokens": "x", "extra": null})),
                Just(json!([{"tool_execution": {"tool_name": "t"}, "id": "r"}])),
            ]
        }

        fn value() -> impl Strategy<Value = Value> {
            leaf().prop_recursive(3, 16, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                    prop::collection::vec(("[a-z_]{1,6}", inner), 0..4)
                        .prop_map(|kv| Value::Object(kv.into_iter().collect())),
                ]
            })
        }

        const KEYS: &[&str] = &[
            "all_results",
            "step_output",
            "user_input_schema",
            "step_requirements",
            "event",
            "run_id",
            "agent_id",
            "team_id",
            "content",
            "step_index",
            "event_index",
            "created_at",
            "nested_depth",
            "model",
            "tool",
            "tools",
            "metrics",
            "input_tokens",
            "time_to_first_token",
            "workflow_agent",
            "step_results",
            "step_response",
            "followups",
            "requirements",
            "references",
            "error",
            "status",
            "unknown",
            "x",
        ];

        fn names() -> Vec<&'static str> {
            let mut all: Vec<&str> = AGENT_EVENTS
                .iter()
                .chain(TEAM_EVENTS)
                .chain(WORKFLOW_EVENTS)
                .copied()
                .collect();
            all.extend(["replay", "BrandNew", "TeamBrandNew"]);
            all
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            #[test]
            fn gives_what_the_long_way_gives(
                name in prop::sample::select(names()),
                entries in prop::collection::vec((prop::sample::select(KEYS), value()), 0..10),
                event_is_name in any::<bool>(),
            ) {
                let mut parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}:{}", json!(k), v))
                    .collect();
                if event_is_name {
                    parts.push(format!("\"event\":{}", json!(name)));
                }
                let raw = format!("{{{}}}", parts.join(","));
                same_as_long_way(name, &raw);
            }
        }
    }
}
