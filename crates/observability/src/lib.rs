#![cfg_attr(docsrs, feature(doc_cfg))]
//! The observability area of the AgentOS Rust SDK: [`ObservabilityExt`] adds the trace and
//! metrics calls to [`AgentOsClient`].
//!
//! - **Traces** (AgentOS with `tracing=True`): list them with filters ([`get_traces`]), read
//!   one as a span tree ([`get_trace`], walked with [`TraceDetail::walk`]), count them per
//!   session ([`get_trace_session_stats`]), and search them with a typed
//!   [`TraceFilter`] ([`search_traces`]).
//! - **Metrics**: daily run, session, user and token counts ([`get_metrics`]), recomputed by
//!   [`refresh_metrics`] (synchronously, or in the background followed by
//!   [`wait_for_metrics_refresh`]).
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_observability::{trace_field as f, ObservabilityExt, TraceStatus};
//!
//! let page = client.get_traces().agent_id("echo-agent").limit(5).await?;
//! let trace = client.get_trace(&page.data[0].trace_id).await?;
//! for (depth, span) in trace.walk() {
//!     println!("{:indent$}{} {:?}", "", span.name, span.elapsed(), indent = depth * 2);
//! }
//! let failures = client
//!     .search_traces()
//!     .filter(f::AGENT_ID.eq("echo-agent") & f::STATUS.eq(TraceStatus::Error))
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Times are typed: trace times are [`Timestamp`]s (setters take a
//! `chrono::DateTime<Utc>` too) sent as ISO-8601 in UTC, and metrics days are
//! [`chrono::NaiveDate`]s sent as `YYYY-MM-DD`.
//!
//! [`get_traces`]: ObservabilityExt::get_traces
//! [`get_trace`]: ObservabilityExt::get_trace
//! [`get_trace_session_stats`]: ObservabilityExt::get_trace_session_stats
//! [`search_traces`]: ObservabilityExt::search_traces
//! [`get_metrics`]: ObservabilityExt::get_metrics
//! [`refresh_metrics`]: ObservabilityExt::refresh_metrics
//! [`wait_for_metrics_refresh`]: ObservabilityExt::wait_for_metrics_refresh

mod filter;
mod metrics;
mod trace_of;
mod traces;

use agentos_core::kit::CallKit;
use agentos_core::kit::decode_json;
use agentos_core::{AgentOsClient, Call, Request, Timestamp};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    TRACES = "/traces": GET;
    TRACES_FILTER_SCHEMA = "/traces/filter-schema": GET;
    TRACES_TRACE_ID = "/traces/{trace_id}": GET;
    TRACE_SESSION_STATS = "/trace_session_stats": GET;
    TRACES_SEARCH = "/traces/search": POST;
    METRICS = "/metrics": GET;
    METRICS_REFRESH = "/metrics/refresh": POST;
    METRICS_REFRESH_STATUS = "/metrics/refresh/status": GET;
}

/// The `chrono` crate this one takes dates and times from (its `NaiveDate`, `DateTime<Utc>`).
pub use chrono;

pub use filter::{
    DurationField, MAX_FILTER_DEPTH, StatusField, TextField, TimeField, TraceFilter, trace_field,
};
pub use metrics::{
    DEFAULT_REFRESH_MAX_WAIT, DEFAULT_REFRESH_POLL_INTERVAL, DayAggregatedMetrics, GetMetrics,
    GetMetricsRefreshStatus, MetricsRefresh, MetricsRefreshResponse, MetricsRefreshStatus,
    MetricsResponse, ModelMetrics, RefreshMetrics, RefreshRequestStatus, RefreshState,
    TokenMetrics, WaitForMetricsRefresh,
};
pub use trace_of::TraceOfRun;
pub use traces::{
    Extra, FilterFieldSchema, GetTrace, GetTraceSessionStats, GetTraceSpan, GetTraces,
    MAX_SEARCH_LIMIT, SearchTraceSessions, SearchTraces, SpanType, SpanWalk, TraceDetail,
    TraceFilterSchema, TraceNode, TraceSessionStats, TraceStatus, TraceSummary, parse_duration,
};

/// A time as the trace routes take it: ISO-8601 in UTC with microseconds
/// (`2026-11-28T20:00:18.453012Z`).
pub(crate) fn iso(at: Timestamp) -> String {
    at.as_datetime()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

agentos_core::seal_extension_traits!();

/// The trace and metrics calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait ObservabilityExt: sealed::Sealed {
    /// `GET /traces`: a page of trace summaries, newest first, filtered by run, session,
    /// user, agent, team, workflow, status and time; [`GetTraces::into_stream`] walks every
    /// page. Traces are written by the server shortly after a run ends (about a second with
    /// a batch span processor), so poll when looking for a run that just finished.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::{ObservabilityExt, TraceStatus};
    /// let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    /// let page = client
    ///     .get_traces()
    ///     .agent_id("echo-agent")
    ///     .session_id("session-1")
    ///     .status(TraceStatus::Ok)
    ///     .start_time(an_hour_ago)
    ///     .limit(10)
    ///     .await?;
    /// for t in &page.data {
    ///     println!("{} {} {:?} ({} spans)", t.trace_id, t.name, t.elapsed(), t.total_spans);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_traces(&self) -> GetTraces;

    /// `GET /traces/{trace_id}`: a whole trace with its span tree (walk it with
    /// [`TraceDetail::walk`]), or one span with [`GetTrace::span_id`]. 404 when there is none.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::{ObservabilityExt, SpanType};
    /// let trace = client.get_trace("917c2ea3dd690f141aa3e16b98ddb6be").await?;
    /// let model_calls = trace.spans_of_type(&SpanType::Llm).count();
    /// println!("{} ({model_calls} model calls): {:?}", trace.name, trace.output);
    /// # Ok(()) }
    /// ```
    fn get_trace(&self, trace_id: &str) -> GetTrace;

    /// `GET /trace_session_stats`: how many traces each session has, and when the first and
    /// last were stored, newest session first.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::ObservabilityExt;
    /// let stats = client.get_trace_session_stats().agent_id("echo-agent").await?;
    /// for s in &stats.data {
    ///     println!("{}: {} traces", s.session_id, s.total_traces);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_trace_session_stats(&self) -> GetTraceSessionStats;

    /// `POST /traces/search`: whole traces that match a [`TraceFilter`] (built from
    /// [`trace_field`] and combined with `&`, `|`, `!`), newest first; or, with
    /// [`SearchTraces::group_by_session`], trace counts per session. The server answers many
    /// malformed filters with an empty page instead of an error; a `TraceFilter` cannot be
    /// malformed.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use std::time::Duration;
    /// use agentos_observability::{trace_field as f, ObservabilityExt, TraceStatus};
    /// let slow_or_failed = client
    ///     .search_traces()
    ///     .filter(
    ///         f::AGENT_ID.eq("echo-agent")
    ///             & (f::DURATION.gt(Duration::from_secs(2)) | f::STATUS.eq(TraceStatus::Error)),
    ///     )
    ///     .limit(50)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn search_traces(&self) -> SearchTraces;

    /// `GET /traces/filter-schema`: the fields, operators and values trace search supports.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::ObservabilityExt;
    /// let schema = client.get_trace_filter_schema().await?;
    /// for field in &schema.fields {
    ///     println!("{}: {:?}", field.key, field.operators);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_trace_filter_schema(&self) -> Call<TraceFilterSchema>;

    /// `GET /metrics`: run, session, user, token and model counts per day, between two dates
    /// and for one user if asked. Metrics are computed by [`refresh_metrics`](Self::refresh_metrics)
    /// (or the server's own schedule), so fresh runs show up only after a refresh.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::ObservabilityExt;
    /// use chrono::NaiveDate;
    /// let june = client
    ///     .get_metrics()
    ///     .starting_date(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap())
    ///     .ending_date(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap())
    ///     .user_id("user-1")
    ///     .await?;
    /// for day in &june.metrics {
    ///     println!("{:?}: {} agent runs", day.date, day.agent_runs_count);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_metrics(&self) -> GetMetrics;

    /// `POST /metrics/refresh`: recomputes the metrics. By default it returns when done, with
    /// the recomputed days ([`MetricsRefresh::Refreshed`]); with
    /// [`background(true)`](RefreshMetrics::background) it returns at once
    /// ([`MetricsRefresh::Status`], `started`). Either way the server refuses to start a
    /// second refresh of a database while one runs, and answers `already_running`.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::ObservabilityExt;
    /// let started = client.refresh_metrics().background(true).await?;
    /// if started.is_started() || started.is_already_running() {
    ///     client.wait_for_metrics_refresh().await?;
    /// }
    /// let metrics = client.get_metrics().await?;
    /// # Ok(()) }
    /// ```
    fn refresh_metrics(&self) -> RefreshMetrics;

    /// `GET /metrics/refresh/status`: the state of the latest refresh (kept in memory by the
    /// server process, per database).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_observability::{ObservabilityExt, RefreshState};
    /// let status = client.get_metrics_refresh_status().await?;
    /// if status.status == RefreshState::Failed {
    ///     eprintln!("refresh failed: {:?}", status.error);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_metrics_refresh_status(&self) -> GetMetricsRefreshStatus;

    /// Polls [`get_metrics_refresh_status`](Self::get_metrics_refresh_status) until no
    /// refresh is running: the final status, [`Error::JobFailed`](agentos_core::Error::JobFailed)
    /// when it failed, [`Error::WaitTimeout`](agentos_core::Error::WaitTimeout) after
    /// [`max_wait`](WaitForMetricsRefresh::max_wait).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use std::time::Duration;
    /// use agentos_observability::ObservabilityExt;
    /// client.refresh_metrics().background(true).await?;
    /// let done = client
    ///     .wait_for_metrics_refresh()
    ///     .poll_interval(Duration::from_millis(100))
    ///     .max_wait(Duration::from_secs(30))
    ///     .await?;
    /// println!("finished at {:?}", done.finished_at);
    /// # Ok(()) }
    /// ```
    fn wait_for_metrics_refresh(&self) -> WaitForMetricsRefresh;

    /// The server's trace of a run (a [`TraceDetail`]): by the caller's trace id when given
    /// ([`TraceOfRun::trace_id`], or [`TraceOfRun::joined_to`] a span with the `otel`
    /// feature) — an AgentOS that joins incoming trace context stores the run there — else by
    /// run id; polls until the server has written it.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient, run_id: String) -> agentos_core::Result<()> {
    /// use agentos_observability::ObservabilityExt;
    /// let trace = client.trace_of_run(&run_id).await?;
    /// for (depth, span) in trace.walk() {
    ///     println!("{:indent$}{}", "", span.name, indent = depth * 2);
    /// }
    /// let joined = client
    ///     .trace_of_run(&run_id)
    ///     .trace_id("4bf92f3577b34da6a3ce929d0e0e4736")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn trace_of_run(&self, run_id: &str) -> TraceOfRun;
}

impl ObservabilityExt for AgentOsClient {
    fn trace_of_run(&self, run_id: &str) -> TraceOfRun {
        TraceOfRun::new(self, run_id)
    }

    fn get_traces(&self) -> GetTraces {
        GetTraces {
            call: Call::new(self, Request::get(route::TRACES, &[]), decode_json),
        }
    }

    fn get_trace(&self, trace_id: &str) -> GetTrace {
        GetTrace {
            call: Call::new(
                self,
                Request::get(route::TRACES_TRACE_ID, &[trace_id]),
                decode_json,
            ),
        }
    }

    fn get_trace_session_stats(&self) -> GetTraceSessionStats {
        GetTraceSessionStats {
            call: Call::new(
                self,
                Request::get(route::TRACE_SESSION_STATS, &[]),
                decode_json,
            ),
        }
    }

    fn search_traces(&self) -> SearchTraces {
        SearchTraces {
            // A search reads only: safe to retry.
            call: Call::new(
                self,
                Request::post(route::TRACES_SEARCH, &[]).map(Request::idempotent),
                decode_json,
            ),
            body: Default::default(),
        }
    }

    fn get_trace_filter_schema(&self) -> Call<TraceFilterSchema> {
        Call::new(
            self,
            Request::get(route::TRACES_FILTER_SCHEMA, &[]),
            decode_json,
        )
    }

    fn get_metrics(&self) -> GetMetrics {
        metrics::get_metrics(self)
    }

    fn refresh_metrics(&self) -> RefreshMetrics {
        metrics::refresh_metrics(self)
    }

    fn get_metrics_refresh_status(&self) -> GetMetricsRefreshStatus {
        metrics::get_metrics_refresh_status(self)
    }

    fn wait_for_metrics_refresh(&self) -> WaitForMetricsRefresh {
        metrics::wait_for_metrics_refresh(self)
    }
}

#[cfg(test)]
mod tests;
