//! A typed builder of the filter expressions `POST /traces/search` takes.
//!
//! The server accepts a small JSON language (`{"op": "EQ", "key": .., "value": ..}`, `IN` with
//! `values`, `AND`/`OR` with `conditions`, `NOT` with one `condition`), and answers many
//! malformed expressions (an unknown field, an empty `AND`, a `null` value) with an empty page
//! instead of an error. [`TraceFilter`] cannot express those: a filter starts from a field of
//! [`trace_field`], whose type allows only the operators and values that make sense for it,
//! and filters combine with `&`, `|` and `!` (or [`TraceFilter::all_of`] /
//! [`TraceFilter::any_of`], which refuse an empty list).
//!
//! ```
//! use std::time::Duration;
//! use agentos_observability::{trace_field as f, TraceFilter, TraceStatus};
//!
//! let since = chrono::Utc::now() - chrono::Duration::hours(1);
//! let filter = f::AGENT_ID.eq("echo-agent")
//!     & f::STATUS.eq(TraceStatus::Ok)
//!     & f::START_TIME.gte(since)
//!     & (f::DURATION.gt(Duration::from_millis(100)) | !f::NAME.starts_with("Eval"));
//! assert_eq!(filter.to_json()["op"], "AND");
//! ```

use std::fmt;
use std::ops::{BitAnd, BitOr, Not};
use std::time::Duration;

use agentos_core::Timestamp;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::traces::TraceStatus;

/// The deepest nesting of `AND` / `OR` / `NOT` the server accepts (it refuses deeper
/// expressions). [`TraceFilter::depth`] counts the same way; a deeper filter is refused before
/// sending.
pub const MAX_FILTER_DEPTH: usize = 10;

/// A filter expression over traces, valid by construction. Build one from a field of
/// [`trace_field`]; combine with `&` (AND), `|` (OR) and `!` (NOT).
///
/// It serializes to the server's JSON shape:
///
/// ```
/// use agentos_observability::trace_field as f;
/// let filter = f::SESSION_ID.is_in(["s1", "s2"]) & !f::USER_ID.eq("bot");
/// assert_eq!(
///     filter.to_json(),
///     serde_json::json!({"op": "AND", "conditions": [
///         {"op": "IN", "key": "session_id", "values": ["s1", "s2"]},
///         {"op": "NOT", "condition": {"op": "EQ", "key": "user_id", "value": "bot"}}
///     ]})
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TraceFilter(Expr);

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Compare {
        op: CompareOp,
        key: &'static str,
        value: Value,
    },
    In {
        key: &'static str,
        values: Vec<Value>,
    },
    /// Always at least two conditions (one is the condition itself).
    And(Vec<Expr>),
    /// Always at least two conditions.
    Or(Vec<Expr>),
    Not(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CompareOp {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    StartsWith,
}

impl CompareOp {
    fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "EQ",
            CompareOp::Neq => "NEQ",
            CompareOp::Gt => "GT",
            CompareOp::Gte => "GTE",
            CompareOp::Lt => "LT",
            CompareOp::Lte => "LTE",
            CompareOp::Contains => "CONTAINS",
            CompareOp::StartsWith => "STARTSWITH",
        }
    }
}

impl TraceFilter {
    fn compare(op: CompareOp, key: &'static str, value: Value) -> Self {
        TraceFilter(Expr::Compare { op, key, value })
    }

    /// Both this filter and `other` must match (`AND`). Nested `AND`s are flattened.
    pub fn and(self, other: TraceFilter) -> TraceFilter {
        let mut conditions = match self.0 {
            Expr::And(c) => c,
            e => vec![e],
        };
        match other.0 {
            Expr::And(c) => conditions.extend(c),
            e => conditions.push(e),
        }
        TraceFilter(Expr::And(conditions))
    }

    /// This filter or `other` must match (`OR`). Nested `OR`s are flattened.
    pub fn or(self, other: TraceFilter) -> TraceFilter {
        let mut conditions = match self.0 {
            Expr::Or(c) => c,
            e => vec![e],
        };
        match other.0 {
            Expr::Or(c) => conditions.extend(c),
            e => conditions.push(e),
        }
        TraceFilter(Expr::Or(conditions))
    }

    /// The filter must not match (`NOT`). Negating twice gives the filter back.
    pub fn negate(self) -> TraceFilter {
        match self.0 {
            Expr::Not(inner) => TraceFilter(*inner),
            e => TraceFilter(Expr::Not(Box::new(e))),
        }
    }

    /// Every filter must match; `None` for an empty list (the server would answer an empty
    /// `AND` with an empty page). One filter is returned as it is.
    ///
    /// ```
    /// use agentos_observability::{trace_field as f, TraceFilter};
    /// let users = ["u1", "u2"];
    /// let filter = TraceFilter::any_of(users.iter().map(|u| f::USER_ID.eq(*u))).unwrap();
    /// assert_eq!(filter.to_json()["op"], "OR");
    /// assert!(TraceFilter::all_of(Vec::new()).is_none());
    /// ```
    pub fn all_of(filters: impl IntoIterator<Item = TraceFilter>) -> Option<TraceFilter> {
        filters.into_iter().reduce(TraceFilter::and)
    }

    /// At least one filter must match; `None` for an empty list. One filter is returned as it
    /// is.
    pub fn any_of(filters: impl IntoIterator<Item = TraceFilter>) -> Option<TraceFilter> {
        filters.into_iter().reduce(TraceFilter::or)
    }

    /// How deeply `AND`, `OR` and `NOT` nest (0 for a single condition). The server refuses
    /// more than [`MAX_FILTER_DEPTH`].
    pub fn depth(&self) -> usize {
        fn depth(e: &Expr) -> usize {
            match e {
                Expr::Compare { .. } | Expr::In { .. } => 0,
                Expr::And(c) | Expr::Or(c) => 1 + c.iter().map(depth).max().unwrap_or(0),
                Expr::Not(inner) => 1 + depth(inner),
            }
        }
        depth(&self.0)
    }

    /// The expression as the JSON the server takes.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Serialize for TraceFilter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::Compare { op, key, value } => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("op", op.as_str())?;
                m.serialize_entry("key", key)?;
                m.serialize_entry("value", value)?;
                m.end()
            }
            Expr::In { key, values } => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("op", "IN")?;
                m.serialize_entry("key", key)?;
                m.serialize_entry("values", values)?;
                m.end()
            }
            Expr::And(conditions) | Expr::Or(conditions) => {
                let op = if matches!(self, Expr::And(_)) {
                    "AND"
                } else {
                    "OR"
                };
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("op", op)?;
                m.serialize_entry("conditions", conditions)?;
                m.end()
            }
            Expr::Not(inner) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("op", "NOT")?;
                m.serialize_entry("condition", inner)?;
                m.end()
            }
        }
    }
}

impl fmt::Display for TraceFilter {
    /// The expression as compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

impl BitAnd for TraceFilter {
    type Output = TraceFilter;
    fn bitand(self, rhs: TraceFilter) -> TraceFilter {
        self.and(rhs)
    }
}

impl BitOr for TraceFilter {
    type Output = TraceFilter;
    fn bitor(self, rhs: TraceFilter) -> TraceFilter {
        self.or(rhs)
    }
}

impl Not for TraceFilter {
    type Output = TraceFilter;
    fn not(self) -> TraceFilter {
        self.negate()
    }
}

/// A text field of a trace (ids and the trace name): equality, substring and prefix tests
/// (both case-insensitive on the server), and membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextField {
    key: &'static str,
}

impl TextField {
    /// The field's name on the wire.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The field equals `value` (`EQ`).
    pub fn eq(self, value: impl Into<String>) -> TraceFilter {
        TraceFilter::compare(CompareOp::Eq, self.key, Value::String(value.into()))
    }

    /// The field differs from `value` (`NEQ`).
    pub fn neq(self, value: impl Into<String>) -> TraceFilter {
        TraceFilter::compare(CompareOp::Neq, self.key, Value::String(value.into()))
    }

    /// The field contains `value`, ignoring case (`CONTAINS`).
    pub fn contains(self, value: impl Into<String>) -> TraceFilter {
        TraceFilter::compare(CompareOp::Contains, self.key, Value::String(value.into()))
    }

    /// The field starts with `value`, ignoring case (`STARTSWITH`).
    pub fn starts_with(self, value: impl Into<String>) -> TraceFilter {
        TraceFilter::compare(CompareOp::StartsWith, self.key, Value::String(value.into()))
    }

    /// The field is one of `values` (`IN`; an empty list matches nothing).
    pub fn is_in<I, S>(self, values: I) -> TraceFilter
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        TraceFilter(Expr::In {
            key: self.key,
            values: values
                .into_iter()
                .map(|v| Value::String(v.into()))
                .collect(),
        })
    }
}

/// The `status` of a trace (`OK`, `ERROR`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusField {
    _private: (),
}

impl StatusField {
    /// The field's name on the wire.
    pub fn key(&self) -> &'static str {
        "status"
    }

    /// The trace has this status.
    pub fn eq(self, status: TraceStatus) -> TraceFilter {
        TraceFilter::compare(
            CompareOp::Eq,
            "status",
            Value::String(status.as_str().into()),
        )
    }

    /// The trace has another status.
    pub fn neq(self, status: TraceStatus) -> TraceFilter {
        TraceFilter::compare(
            CompareOp::Neq,
            "status",
            Value::String(status.as_str().into()),
        )
    }

    /// The trace has one of these statuses (an empty list matches nothing).
    pub fn is_in(self, statuses: impl IntoIterator<Item = TraceStatus>) -> TraceFilter {
        TraceFilter(Expr::In {
            key: "status",
            values: statuses
                .into_iter()
                .map(|s| Value::String(s.as_str().into()))
                .collect(),
        })
    }
}

/// How long a trace took (`duration_ms` on the wire), compared with a [`Duration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationField {
    _private: (),
}

fn millis(d: Duration) -> Value {
    if d.subsec_nanos() % 1_000_000 == 0 {
        Value::from(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    } else {
        Value::from(d.as_secs_f64() * 1000.0)
    }
}

impl DurationField {
    /// The field's name on the wire.
    pub fn key(&self) -> &'static str {
        "duration_ms"
    }

    /// The trace took longer than `d`.
    pub fn gt(self, d: Duration) -> TraceFilter {
        TraceFilter::compare(CompareOp::Gt, "duration_ms", millis(d))
    }

    /// The trace took at least `d`.
    pub fn gte(self, d: Duration) -> TraceFilter {
        TraceFilter::compare(CompareOp::Gte, "duration_ms", millis(d))
    }

    /// The trace took less than `d`.
    pub fn lt(self, d: Duration) -> TraceFilter {
        TraceFilter::compare(CompareOp::Lt, "duration_ms", millis(d))
    }

    /// The trace took at most `d`.
    pub fn lte(self, d: Duration) -> TraceFilter {
        TraceFilter::compare(CompareOp::Lte, "duration_ms", millis(d))
    }
}

/// A point in time of a trace (`start_time`, `end_time`, `created_at`), compared with a
/// date-time (a `chrono::DateTime<Utc>` or a [`Timestamp`]). It is sent as ISO-8601 in UTC,
/// the form the server compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeField {
    key: &'static str,
}

impl TimeField {
    /// The field's name on the wire.
    pub fn key(&self) -> &'static str {
        self.key
    }

    fn cmp(self, op: CompareOp, at: impl Into<Timestamp>) -> TraceFilter {
        TraceFilter::compare(op, self.key, Value::String(crate::iso(at.into())))
    }

    /// Strictly after `at`.
    pub fn gt(self, at: impl Into<Timestamp>) -> TraceFilter {
        self.cmp(CompareOp::Gt, at)
    }

    /// At or after `at`.
    pub fn gte(self, at: impl Into<Timestamp>) -> TraceFilter {
        self.cmp(CompareOp::Gte, at)
    }

    /// Strictly before `at`.
    pub fn lt(self, at: impl Into<Timestamp>) -> TraceFilter {
        self.cmp(CompareOp::Lt, at)
    }

    /// At or before `at`.
    pub fn lte(self, at: impl Into<Timestamp>) -> TraceFilter {
        self.cmp(CompareOp::Lte, at)
    }
}

/// The fields a [`TraceFilter`] can test, typed by what they hold (the keys the server knows,
/// as listed by `GET /traces/filter-schema`).
pub mod trace_field {
    use super::{DurationField, StatusField, TextField, TimeField};

    /// The trace id.
    pub const TRACE_ID: TextField = TextField { key: "trace_id" };
    /// The trace name (its root span, e.g. `Echo_Agent.arun`).
    pub const NAME: TextField = TextField { key: "name" };
    /// The run the trace belongs to.
    pub const RUN_ID: TextField = TextField { key: "run_id" };
    /// The session the trace belongs to.
    pub const SESSION_ID: TextField = TextField { key: "session_id" };
    /// The user of the run.
    pub const USER_ID: TextField = TextField { key: "user_id" };
    /// The agent that ran.
    pub const AGENT_ID: TextField = TextField { key: "agent_id" };
    /// The team that ran.
    pub const TEAM_ID: TextField = TextField { key: "team_id" };
    /// The workflow that ran.
    pub const WORKFLOW_ID: TextField = TextField { key: "workflow_id" };
    /// The trace status.
    pub const STATUS: StatusField = StatusField { _private: () };
    /// How long the trace took (`duration_ms`).
    pub const DURATION: DurationField = DurationField { _private: () };
    /// When the trace started.
    pub const START_TIME: TimeField = TimeField { key: "start_time" };
    /// When the trace ended.
    pub const END_TIME: TimeField = TimeField { key: "end_time" };
    /// When the trace was stored.
    pub const CREATED_AT: TimeField = TimeField { key: "created_at" };
}
