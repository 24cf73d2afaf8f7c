//! Trace types, the trace calls' builders, and the span-tree walker.

use std::time::Duration;

use agentos_core::kit::CallKit;
use agentos_core::kit::de::null_default;
use agentos_core::pagination;
use agentos_core::{Call, Error, Page, Result, Timestamp};
use futures::Stream;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::filter::{MAX_FILTER_DEPTH, TraceFilter};

pub use agentos_core::Extra;

agentos_core::open_enum! {
    /// The status of a trace or span.
    pub enum TraceStatus {
        /// It finished without error.
        Ok = "OK",
        /// It failed.
        Error = "ERROR",
        /// No status was set.
        Unset = "UNSET",
    }
}

agentos_core::open_enum! {
    /// What a span records (`type` of a [`TraceNode`]).
    pub enum SpanType {
        /// An agent run.
        Agent = "AGENT",
        /// A team run.
        Team = "TEAM",
        /// A workflow run.
        Workflow = "WORKFLOW",
        /// A model call.
        Llm = "LLM",
        /// A tool call.
        Tool = "TOOL",
        /// A generic chain of steps.
        Chain = "CHAIN",
        /// A retrieval from a knowledge base.
        Retriever = "RETRIEVER",
        /// An embedding call.
        Embedding = "EMBEDDING",
        /// A reranking call.
        Reranker = "RERANKER",
        /// A guardrail check.
        Guardrail = "GUARDRAIL",
        /// An evaluator.
        Evaluator = "EVALUATOR",
    }
}

/// Reads the server's human-readable durations: `"312ms"`, `"400.038ms"`, `"1.50s"`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (number, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = s.strip_suffix("us").or_else(|| s.strip_suffix("µs")) {
        (n, 1e-6)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        return None;
    };
    let value: f64 = number.trim().parse().ok()?;
    Duration::try_from_secs_f64(value * scale).ok()
}

/// The exact time between two instants, else the parsed human-readable duration.
fn elapsed(
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    duration: Option<&str>,
) -> Option<Duration> {
    if let (Some(s), Some(e)) = (start, end) {
        if let Ok(d) = (e.as_datetime() - s.as_datetime()).to_std() {
            return Some(d);
        }
    }
    duration.and_then(parse_duration)
}

agentos_core::response_types! {
    // What a trace has in a list and in detail.
    shared {
        /// The trace id.
        pub trace_id: String,
        /// The trace name: its root span, e.g. `Echo_Agent.arun`.
        #[serde(default)]
        pub name: String,
        /// The overall status.
        pub status: Option<TraceStatus>,
        /// How long it took, as the server writes it (`"312ms"`, `"1.50s"`); see
        /// [`elapsed`](Self::elapsed).
        pub duration: Option<String>,
        /// When it started.
        pub start_time: Option<Timestamp>,
        /// When it ended.
        pub end_time: Option<Timestamp>,
        /// How many spans it has.
        #[serde(default)]
        pub total_spans: u64,
        /// How many of its spans failed.
        #[serde(default)]
        pub error_count: u64,
        /// The input of the root span (the run's message).
        pub input: Option<String>,
        /// The run it records.
        pub run_id: Option<String>,
        /// The session of the run.
        pub session_id: Option<String>,
        /// The user of the run.
        pub user_id: Option<String>,
        /// The agent that ran.
        pub agent_id: Option<String>,
        /// The team that ran.
        pub team_id: Option<String>,
        /// The workflow that ran.
        pub workflow_id: Option<String>,
        /// When it was stored.
        pub created_at: Option<Timestamp>,
    }

    /// One trace in a list (`TraceSummary`), from [`get_traces`](crate::ObservabilityExt::get_traces).
    /// The server leaves out the ids that are not set (an agent trace has no `team_id`).
    pub struct TraceSummary {
        ..shared
    }

    /// A whole trace with its span tree (`TraceDetail`), from
    /// [`get_trace`](crate::ObservabilityExt::get_trace) and
    /// [`search_traces`](crate::ObservabilityExt::search_traces).
    pub struct TraceDetail {
        ..shared,
        /// The output of the root span (the run's answer).
        pub output: Option<String>,
        /// The error of the root span, when the trace failed.
        pub error: Option<String>,
        /// The root spans (usually one), each with its children in [`TraceNode::spans`].
        #[serde(default, deserialize_with = "null_default")]
        pub tree: Vec<TraceNode>,
    }
}

/// `elapsed()` of the types that carry a start, an end and the server's duration.
macro_rules! impl_elapsed {
    ($($ty:ident: $what:literal),*) => {$(
        impl $ty {
            #[doc = concat!("How long the ", $what, " took: `end_time - start_time`, else the parsed `duration`.")]
            pub fn elapsed(&self) -> Option<Duration> {
                elapsed(self.start_time, self.end_time, self.duration.as_deref())
            }
        }
    )*};
}

impl_elapsed!(TraceSummary: "trace", TraceDetail: "trace", TraceNode: "span");

impl TraceDetail {
    /// Every span of the tree, depth-first (a parent before its children, children in the
    /// server's order, which is by start time), with its depth (0 for a root span).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::ObservabilityExt;
    /// let trace = client.get_trace("917c2ea3dd690f141aa3e16b98ddb6be").await?;
    /// for (depth, span) in trace.walk() {
    ///     let took = span.elapsed().map(|d| format!("{d:.1?}")).unwrap_or_default();
    ///     println!("{:indent$}{} [{}] {took}", "", span.name, span.type_name(), indent = depth * 2);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn walk(&self) -> SpanWalk<'_> {
        SpanWalk::new(&self.tree)
    }

    /// The span with this id, anywhere in the tree.
    pub fn find_span(&self, span_id: &str) -> Option<&TraceNode> {
        self.walk().map(|(_, n)| n).find(|n| n.id == span_id)
    }

    /// Every span of this type, depth-first.
    pub fn spans_of_type<'a>(
        &'a self,
        span_type: &'a SpanType,
    ) -> impl Iterator<Item = &'a TraceNode> + 'a {
        self.walk()
            .map(|(_, n)| n)
            .filter(move |n| n.span_type.as_ref() == Some(span_type))
    }
}

/// One span (`TraceNode`): in a [`TraceDetail`] tree with its children, or alone from
/// [`GetTrace::span_id`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TraceNode {
    /// The span id.
    pub id: String,
    /// The span name, e.g. `Echo_Agent.arun`, `OpenAIChat.ainvoke`, `echo_tool`.
    #[serde(default)]
    pub name: String,
    /// What the span records.
    #[serde(rename = "type", default)]
    pub span_type: Option<SpanType>,
    /// How long it took, as the server writes it; see [`elapsed`](Self::elapsed).
    pub duration: Option<String>,
    /// When it started.
    pub start_time: Option<Timestamp>,
    /// When it ended.
    pub end_time: Option<Timestamp>,
    /// Its status.
    pub status: Option<TraceStatus>,
    /// Its input (a model's messages, a tool's arguments), as text. Root spans leave it out:
    /// it is on the [`TraceDetail`].
    pub input: Option<String>,
    /// Its output, as text.
    pub output: Option<String>,
    /// Its error, when it failed.
    pub error: Option<String>,
    /// Its child spans (empty for a leaf, and for a span read alone).
    #[serde(default, deserialize_with = "null_default")]
    pub spans: Vec<TraceNode>,
    /// For the steps of a workflow: the step type (`Step`, `Condition`, ...).
    pub step_type: Option<String>,
    /// Key attributes by span type: `model`, `input_tokens`, `output_tokens` for model calls,
    /// `tool_name`, `parameters` for tools, token totals on the root span.
    pub metadata: Option<Map<String, Value>>,
    /// Other attributes.
    pub extra_data: Option<Map<String, Value>>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl TraceNode {
    /// The span type as sent (`AGENT`, `LLM`, ...), or `""` when missing.
    pub fn type_name(&self) -> &str {
        self.span_type.as_ref().map(SpanType::as_str).unwrap_or("")
    }

    /// This span and every span below it, depth-first, with depths relative to this span
    /// (0 for itself).
    pub fn walk(&self) -> SpanWalk<'_> {
        SpanWalk::new(std::slice::from_ref(self))
    }

    /// A value of [`metadata`](Self::metadata), e.g. `"model"` or `"input_tokens"`.
    pub fn metadata_value(&self, key: &str) -> Option<&Value> {
        self.metadata.as_ref().and_then(|m| m.get(key))
    }
}

/// A depth-first walk over spans, yielding `(depth, span)`; from [`TraceDetail::walk`] and
/// [`TraceNode::walk`]. It keeps its own stack, so deep trees cannot overflow the call stack.
#[derive(Debug, Clone)]
pub struct SpanWalk<'a> {
    stack: Vec<(usize, &'a TraceNode)>,
}

impl<'a> SpanWalk<'a> {
    fn new(roots: &'a [TraceNode]) -> Self {
        SpanWalk {
            stack: roots.iter().rev().map(|n| (0, n)).collect(),
        }
    }
}

impl<'a> Iterator for SpanWalk<'a> {
    type Item = (usize, &'a TraceNode);

    fn next(&mut self) -> Option<Self::Item> {
        let (depth, node) = self.stack.pop()?;
        self.stack
            .extend(node.spans.iter().rev().map(|child| (depth + 1, child)));
        Some((depth, node))
    }
}

/// Trace counts per session (`TraceSessionStats`), from
/// [`get_trace_session_stats`](crate::ObservabilityExt::get_trace_session_stats) and
/// [`SearchTraces::group_by_session`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TraceSessionStats {
    /// The session.
    pub session_id: String,
    /// Its user.
    pub user_id: Option<String>,
    /// The agent(s) that ran in it.
    pub agent_id: Option<String>,
    /// The team that ran in it.
    pub team_id: Option<String>,
    /// The workflow that ran in it.
    pub workflow_id: Option<String>,
    /// How many traces it has.
    #[serde(default)]
    pub total_traces: u64,
    /// When its first trace was stored.
    pub first_trace_at: Option<Timestamp>,
    /// When its last trace was stored.
    pub last_trace_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One filterable field in [`TraceFilterSchema`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FilterFieldSchema {
    /// The key used in filter expressions, e.g. `agent_id`.
    pub key: String,
    /// A label for a user interface.
    pub label: Option<String>,
    /// `string`, `number`, `datetime` or `enum`.
    #[serde(rename = "type", default)]
    pub field_type: Option<String>,
    /// The operators the field supports, e.g. `EQ`, `CONTAINS`.
    #[serde(default, deserialize_with = "null_default")]
    pub operators: Vec<String>,
    /// The allowed values of an `enum` field.
    pub values: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /traces/filter-schema`: the fields and operators trace search supports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TraceFilterSchema {
    /// The filterable fields.
    #[serde(default, deserialize_with = "null_default")]
    pub fields: Vec<FilterFieldSchema>,
    /// The logical operators, e.g. `AND`, `OR`.
    #[serde(default, deserialize_with = "null_default")]
    pub logical_operators: Vec<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl TraceFilterSchema {
    /// The field with this key.
    pub fn field(&self, key: &str) -> Option<&FilterFieldSchema> {
        self.fields.iter().find(|f| f.key == key)
    }
}

// ----------------------------------------------------------------------------------------
// Builders
// ----------------------------------------------------------------------------------------

agentos_core::call_builder! {
    /// `GET /traces`, from [`ObservabilityExt::get_traces`](crate::ObservabilityExt::get_traces):
    /// one page of trace summaries, newest first, or every page as a stream.
    pub struct GetTraces => Page<TraceSummary>, db_id, paged(TraceSummary; into_stream {
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_observability::ObservabilityExt;
        /// use futures::TryStreamExt;
        /// let all: Vec<_> = client.get_traces().agent_id("echo-agent").into_stream().try_collect().await?;
        /// # Ok(()) }
        /// ```
    });
    /// `GET /traces/{trace_id}`, from [`ObservabilityExt::get_trace`](crate::ObservabilityExt::get_trace):
    /// the whole trace with its span tree; [`span_id`](Self::span_id) reads one span instead.
    pub struct GetTrace => TraceDetail, db_id;
    /// `GET /traces/{trace_id}?span_id=..`, from [`GetTrace::span_id`]: one span.
    pub struct GetTraceSpan => TraceNode, db_id;
    /// `GET /trace_session_stats`, from
    /// [`ObservabilityExt::get_trace_session_stats`](crate::ObservabilityExt::get_trace_session_stats):
    /// trace counts per session, or every page as a stream.
    pub struct GetTraceSessionStats => Page<TraceSessionStats>, db_id, paged(TraceSessionStats; into_stream {
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_observability::ObservabilityExt;
        /// use futures::TryStreamExt;
        /// let sessions: Vec<_> = client.get_trace_session_stats().user_id("u1").into_stream().try_collect().await?;
        /// # Ok(()) }
        /// ```
    });
}

agentos_core::query_setters!(GetTraces {
    /// Only the trace of this run.
    run_id,
    /// Only the traces of this session.
    session_id,
    /// Only the traces of this user.
    user_id,
    /// Only the traces of this agent.
    agent_id,
    /// Only the traces of this team.
    team_id,
    /// Only the traces of this workflow.
    workflow_id,
});

impl GetTraces {
    /// Only the traces with this status.
    pub fn status(mut self, status: TraceStatus) -> Self {
        self.call = self.call.query("status", status.as_str().to_owned());
        self
    }

    /// Only the traces that started at or after this time (sent as ISO-8601 in UTC).
    pub fn start_time(mut self, at: impl Into<Timestamp>) -> Self {
        self.call = self.call.query("start_time", crate::iso(at.into()));
        self
    }

    /// Only the traces that ended at or before this time (sent as ISO-8601 in UTC).
    pub fn end_time(mut self, at: impl Into<Timestamp>) -> Self {
        self.call = self.call.query("end_time", crate::iso(at.into()));
        self
    }
}

impl GetTrace {
    /// Reads only this span of the trace (404 when the trace has no such span). Its children
    /// are not included: walk the whole trace for those.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::ObservabilityExt;
    /// let span = client.get_trace("917c2ea3dd690f14").span_id("34ad7469c79ba9c8").await?;
    /// println!("{} took {:?}", span.name, span.elapsed());
    /// # Ok(()) }
    /// ```
    pub fn span_id(self, span_id: impl Into<String>) -> GetTraceSpan {
        let span_id = span_id.into();
        let (client, request) = self.call.into_parts();
        let mut call = Call::new(&client, request, agentos_core::kit::decode_json);
        if span_id.is_empty() {
            call = call.fail(Error::InvalidRequest("span_id must not be empty".into()));
        } else {
            call = call.query("span_id", span_id);
        }
        GetTraceSpan { call }
    }
}

agentos_core::query_setters!(GetTraceSessionStats {
    /// Only the sessions of this user.
    user_id,
    /// Only the sessions of this agent.
    agent_id,
    /// Only the sessions of this team.
    team_id,
    /// Only the sessions of this workflow.
    workflow_id,
});

impl GetTraceSessionStats {
    /// Only count traces stored at or after this time (sent as ISO-8601 in UTC).
    pub fn start_time(mut self, at: impl Into<Timestamp>) -> Self {
        self.call = self.call.query("start_time", crate::iso(at.into()));
        self
    }

    /// Only count traces stored at or before this time (sent as ISO-8601 in UTC).
    pub fn end_time(mut self, at: impl Into<Timestamp>) -> Self {
        self.call = self.call.query("end_time", crate::iso(at.into()));
        self
    }
}

/// The largest page `POST /traces/search` serves.
pub const MAX_SEARCH_LIMIT: u32 = 100;

/// The JSON body of a trace search, kept as parts until the call is sent.
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchBody {
    filter: Option<TraceFilter>,
    page: Option<u32>,
    limit: Option<u32>,
}

impl SearchBody {
    fn check(&self) -> Result<()> {
        if let Some(f) = &self.filter {
            if f.depth() > MAX_FILTER_DEPTH {
                return Err(Error::InvalidRequest(format!(
                    "the trace filter nests {} levels deep; the server accepts at most {MAX_FILTER_DEPTH}",
                    f.depth()
                )));
            }
        }
        if let Some(p) = self.page {
            pagination::check_page(p)?;
        }
        if let Some(l) = self.limit {
            if l == 0 || l > MAX_SEARCH_LIMIT {
                return Err(Error::InvalidRequest(format!(
                    "limit must be between 1 and {MAX_SEARCH_LIMIT}, got {l}"
                )));
            }
        }
        Ok(())
    }

    fn to_json(&self, group_by: &str) -> Value {
        let mut body = Map::new();
        if let Some(f) = &self.filter {
            body.insert("filter".into(), f.to_json());
        }
        body.insert("group_by".into(), Value::from(group_by));
        body.insert("page".into(), Value::from(self.page.unwrap_or(1)));
        if let Some(l) = self.limit {
            body.insert("limit".into(), Value::from(l));
        }
        Value::Object(body)
    }

    /// The call of one page, or of the first page of a walk.
    fn apply<T: Send + 'static>(&self, call: Call<T>, group_by: &str) -> Call<T> {
        if let Err(e) = self.check() {
            return call.fail(e);
        }
        let body = self.to_json(group_by);
        call.try_with_request(|r| r.set_json(&body))
    }
}

/// Walks the pages of a search from page `first` (default 1).
fn walk_from<T>(
    call: Call<Page<T>>,
    first: Option<u32>,
) -> impl Stream<Item = Result<Page<T>>> + Send + 'static
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    let (client, request) = call.into_parts();
    pagination::paginate_json_body(client, request, &["page"], first)
}

/// The setters and walks of a trace search, the same whichever way it groups: `filter`,
/// `limit`, `page`, `pages` and `into_stream` (documented per type), and the call of the
/// first page.
macro_rules! search_setters {
    (
        $ty:ident => $item:ty, grouped by $group_by:literal;
        $(#[$stream_doc:meta])*
        into_stream
    ) => {
        impl $ty {
            /// Only the traces that match this filter (without one, every trace).
            pub fn filter(mut self, filter: TraceFilter) -> Self {
                self.body.filter = Some(filter);
                self
            }

            /// The page size (default 20; 1 to 100, checked before sending).
            pub fn limit(mut self, limit: u32) -> Self {
                self.body.limit = Some(limit);
                self
            }

            /// The page to read, from 1 (default 1). With [`pages`](Self::pages) and
            /// [`into_stream`](Self::into_stream), the first page to read.
            pub fn page(mut self, page: u32) -> Self {
                self.body.page = Some(page);
                self
            }

            /// Every page, fetched lazily.
            pub fn pages(self) -> impl Stream<Item = Result<Page<$item>>> + Send + 'static {
                let first = self.body.page;
                walk_from(self.finish(), first)
            }

            $(#[$stream_doc])*
            pub fn into_stream(self) -> impl Stream<Item = Result<$item>> + Send + 'static {
                pagination::items(self.pages())
            }

            fn finish(self) -> Call<Page<$item>> {
                self.body.apply(self.call, $group_by)
            }
        }
    };
}

/// `POST /traces/search` grouped by run, from
/// [`ObservabilityExt::search_traces`](crate::ObservabilityExt::search_traces): whole traces
/// (with their span trees) that match a [`TraceFilter`], newest first.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct SearchTraces {
    pub(crate) call: Call<Page<TraceDetail>>,
    pub(crate) body: SearchBody,
}

impl SearchTraces {
    /// Groups the matches by session instead: trace counts per session
    /// ([`TraceSessionStats`]).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::{trace_field as f, ObservabilityExt};
    /// let per_session = client
    ///     .search_traces()
    ///     .filter(f::AGENT_ID.eq("echo-agent"))
    ///     .group_by_session()
    ///     .await?;
    /// for s in &per_session.data {
    ///     println!("{}: {} traces", s.session_id, s.total_traces);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn group_by_session(self) -> SearchTraceSessions {
        let (client, request) = self.call.into_parts();
        SearchTraceSessions {
            call: Call::new(&client, request, agentos_core::kit::decode_json),
            body: self.body,
        }
    }
}

search_setters! {
    SearchTraces => TraceDetail, grouped by "run";
    /// Every matching trace of every page, fetched lazily.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::{trace_field as f, ObservabilityExt, TraceStatus};
    /// use futures::TryStreamExt;
    /// let failed: Vec<_> = client
    ///     .search_traces()
    ///     .filter(f::STATUS.eq(TraceStatus::Error))
    ///     .limit(100)
    ///     .into_stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    into_stream
}

/// `POST /traces/search` grouped by session, from [`SearchTraces::group_by_session`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct SearchTraceSessions {
    call: Call<Page<TraceSessionStats>>,
    body: SearchBody,
}

search_setters! {
    SearchTraceSessions => TraceSessionStats, grouped by "session";
    /// Every session of every page, fetched lazily.
    into_stream
}

agentos_core::impl_db_id!(SearchTraces, SearchTraceSessions);
agentos_core::impl_call_builder!(SearchTraces => Page<TraceDetail>);
agentos_core::impl_call_builder!(SearchTraceSessions => Page<TraceSessionStats>);
