//! Metrics types, the metrics calls' builders, and the refresh waiter.

use std::time::Duration;

use agentos_core::kit::CallKit;
use agentos_core::kit::de::null_default;
use agentos_core::kit::decode_json;
use agentos_core::poll::{DbParams, Polling, Wait};
use agentos_core::{AgentOsClient, Call, Error, Request, Result, Timestamp};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::traces::Extra;

/// Reads a count sent as an integer, a float or `null` (as 0).
fn count<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u64, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
            .unwrap_or(0),
        _ => 0,
    })
}

/// Reads a day sent as `YYYY-MM-DD` or as a date-time (its UTC date).
fn day<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<NaiveDate>, D::Error> {
    let Some(s) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    if let Ok(date) = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        return Ok(Some(date));
    }
    Timestamp::parse(&s)
        .map(|t| Some(t.as_datetime().date_naive()))
        .ok_or_else(|| serde::de::Error::custom(format!("not a date: {s:?}")))
}

/// Token counts of a day (`token_metrics`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenMetrics {
    /// Input (prompt) tokens.
    #[serde(default, deserialize_with = "count")]
    pub input_tokens: u64,
    /// Output (completion) tokens.
    #[serde(default, deserialize_with = "count")]
    pub output_tokens: u64,
    /// Input plus output.
    #[serde(default, deserialize_with = "count")]
    pub total_tokens: u64,
    /// Audio tokens.
    #[serde(default, deserialize_with = "count")]
    pub audio_total_tokens: u64,
    /// Audio input tokens.
    #[serde(default, deserialize_with = "count")]
    pub audio_input_tokens: u64,
    /// Audio output tokens.
    #[serde(default, deserialize_with = "count")]
    pub audio_output_tokens: u64,
    /// Tokens read from a prompt cache.
    #[serde(default, deserialize_with = "count")]
    pub cache_read_tokens: u64,
    /// Tokens written to a prompt cache.
    #[serde(default, deserialize_with = "count")]
    pub cache_write_tokens: u64,
    /// Reasoning tokens.
    #[serde(default, deserialize_with = "count")]
    pub reasoning_tokens: u64,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Runs of one model on a day (an entry of `model_metrics`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelMetrics {
    /// The model id, e.g. `gpt-4o`.
    pub model_id: Option<String>,
    /// The provider, e.g. `OpenAI`.
    pub model_provider: Option<String>,
    /// How many runs used it.
    #[serde(default, deserialize_with = "count")]
    pub count: u64,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The metrics of one day (`DayAggregatedMetrics`), for every user or, when read with a
/// `user_id`, for one user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DayAggregatedMetrics {
    /// The row id, e.g. `2026-11-28_daily` (or `2026-11-28_<user>_daily` for one user).
    #[serde(default)]
    pub id: String,
    /// Agent runs.
    #[serde(default, deserialize_with = "count")]
    pub agent_runs_count: u64,
    /// Agent sessions.
    #[serde(default, deserialize_with = "count")]
    pub agent_sessions_count: u64,
    /// Team runs.
    #[serde(default, deserialize_with = "count")]
    pub team_runs_count: u64,
    /// Team sessions.
    #[serde(default, deserialize_with = "count")]
    pub team_sessions_count: u64,
    /// Workflow runs.
    #[serde(default, deserialize_with = "count")]
    pub workflow_runs_count: u64,
    /// Workflow sessions.
    #[serde(default, deserialize_with = "count")]
    pub workflow_sessions_count: u64,
    /// Distinct users.
    #[serde(default, deserialize_with = "count")]
    pub users_count: u64,
    /// Token counts.
    #[serde(default, deserialize_with = "null_default")]
    pub token_metrics: TokenMetrics,
    /// Runs per model.
    #[serde(default, deserialize_with = "null_default")]
    pub model_metrics: Vec<ModelMetrics>,
    /// The day (the server sends it as a date-time at midnight UTC).
    #[serde(default, deserialize_with = "day")]
    pub date: Option<NaiveDate>,
    /// When the row was first computed.
    pub created_at: Option<Timestamp>,
    /// When the row was last computed.
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DayAggregatedMetrics {
    /// Agent, team and workflow runs together.
    pub fn total_runs(&self) -> u64 {
        self.agent_runs_count + self.team_runs_count + self.workflow_runs_count
    }
}

/// `GET /metrics`: the metrics of each day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricsResponse {
    /// One entry per day, oldest first.
    #[serde(default, deserialize_with = "null_default")]
    pub metrics: Vec<DayAggregatedMetrics>,
    /// When the metrics were last computed (`None` when there are none).
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl MetricsResponse {
    /// The entry of this day.
    pub fn day(&self, date: NaiveDate) -> Option<&DayAggregatedMetrics> {
        self.metrics.iter().find(|m| m.date == Some(date))
    }
}

agentos_core::open_enum! {
    /// What the server did with a refresh request (`status` of [`MetricsRefreshResponse`]).
    pub enum RefreshRequestStatus {
        /// A background refresh started.
        Started = "started",
        /// A refresh of this database was already running; nothing new was started.
        AlreadyRunning = "already_running",
    }
}

/// The answer to a refresh that did not return metrics: a background refresh was started, or
/// one was already running.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricsRefreshResponse {
    /// What happened.
    pub status: RefreshRequestStatus,
    /// The server's message.
    pub message: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of [`refresh_metrics`](crate::ObservabilityExt::refresh_metrics).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MetricsRefresh {
    /// A synchronous refresh finished: the recomputed days (200). A server too old to know
    /// `background` also answers this way.
    Refreshed(Vec<DayAggregatedMetrics>),
    /// A background refresh started (202), or a refresh was already running and nothing new
    /// was started (in either mode). Wait with
    /// [`wait_for_metrics_refresh`](crate::ObservabilityExt::wait_for_metrics_refresh).
    Status(MetricsRefreshResponse),
}

impl MetricsRefresh {
    /// The recomputed days of a synchronous refresh.
    pub fn metrics(&self) -> Option<&[DayAggregatedMetrics]> {
        match self {
            MetricsRefresh::Refreshed(m) => Some(m),
            MetricsRefresh::Status(_) => None,
        }
    }

    /// True when a background refresh was started.
    pub fn is_started(&self) -> bool {
        matches!(self, MetricsRefresh::Status(s) if s.status == RefreshRequestStatus::Started)
    }

    /// True when a refresh was already running, so this one did nothing.
    pub fn is_already_running(&self) -> bool {
        matches!(self, MetricsRefresh::Status(s) if s.status == RefreshRequestStatus::AlreadyRunning)
    }
}

agentos_core::open_enum! {
    /// The state of the latest metrics refresh of a database.
    pub enum RefreshState {
        /// No refresh has run since the server started.
        Idle = "idle",
        /// A refresh is running.
        Running = "running",
        /// The latest refresh finished.
        Completed = "completed",
        /// The latest refresh failed (see [`MetricsRefreshStatus::error`]).
        Failed = "failed",
    }
}

/// `GET /metrics/refresh/status`: the latest refresh of a database. The server keeps it in
/// memory per worker process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricsRefreshStatus {
    /// Its state.
    pub status: RefreshState,
    /// When it started.
    pub started_at: Option<Timestamp>,
    /// When it finished.
    pub finished_at: Option<Timestamp>,
    /// Why it failed.
    pub error: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

// ----------------------------------------------------------------------------------------
// Builders
// ----------------------------------------------------------------------------------------

/// `GET /metrics`, from [`ObservabilityExt::get_metrics`](crate::ObservabilityExt::get_metrics).
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct GetMetrics {
    pub(crate) call: Call<MetricsResponse>,
    pub(crate) starting: Option<NaiveDate>,
    pub(crate) ending: Option<NaiveDate>,
}

agentos_core::query_setters!(GetMetrics {
    /// Only this user's metrics (ignored by the server for callers that are not admins under
    /// JWT user isolation).
    user_id,
});

impl GetMetrics {
    /// From this day on (inclusive; sent as `YYYY-MM-DD`).
    pub fn starting_date(mut self, date: NaiveDate) -> Self {
        self.starting = Some(date);
        self
    }

    /// Up to this day (inclusive; sent as `YYYY-MM-DD`).
    pub fn ending_date(mut self, date: NaiveDate) -> Self {
        self.ending = Some(date);
        self
    }

    /// Only this day.
    pub fn date(self, date: NaiveDate) -> Self {
        self.starting_date(date).ending_date(date)
    }

    fn finish(self) -> Call<MetricsResponse> {
        if let (Some(s), Some(e)) = (self.starting, self.ending) {
            if s > e {
                return self.call.fail(Error::InvalidRequest(format!(
                    "starting_date {s} is after ending_date {e}"
                )));
            }
        }
        let mut call = self.call;
        if let Some(s) = self.starting {
            call = call.query("starting_date", s.format("%Y-%m-%d"));
        }
        if let Some(e) = self.ending {
            call = call.query("ending_date", e.format("%Y-%m-%d"));
        }
        call.check_db_params()
    }
}

agentos_core::call_builder! {
    /// `POST /metrics/refresh`, from
    /// [`ObservabilityExt::refresh_metrics`](crate::ObservabilityExt::refresh_metrics).
    pub struct RefreshMetrics => MetricsRefresh, db_params;
}

agentos_core::query_setters!(RefreshMetrics {
    /// Returns only this user's recomputed days (a synchronous refresh recomputes every user
    /// either way).
    user_id,
});

impl RefreshMetrics {
    /// `true` returns at once (202) while the server refreshes in the background; follow it
    /// with [`wait_for_metrics_refresh`](crate::ObservabilityExt::wait_for_metrics_refresh).
    /// Default `false`: the call returns when the refresh is done, with the new metrics.
    pub fn background(mut self, background: bool) -> Self {
        self.call = self.call.query("background", background);
        self
    }
}

agentos_core::call_builder! {
    /// `GET /metrics/refresh/status`, from
    /// [`ObservabilityExt::get_metrics_refresh_status`](crate::ObservabilityExt::get_metrics_refresh_status).
    pub struct GetMetricsRefreshStatus => MetricsRefreshStatus, db_params;
}

agentos_core::impl_call_builder!(GetMetrics => MetricsResponse);
agentos_core::impl_db_params!(GetMetrics);

/// The default pause between two status reads of [`WaitForMetricsRefresh`].
pub const DEFAULT_REFRESH_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// The default longest wait of [`WaitForMetricsRefresh`].
pub const DEFAULT_REFRESH_MAX_WAIT: Duration = Duration::from_secs(120);

/// Polls `GET /metrics/refresh/status` until no refresh is running, from
/// [`ObservabilityExt::wait_for_metrics_refresh`](crate::ObservabilityExt::wait_for_metrics_refresh).
///
/// It resolves to the final status (`completed`, or `idle` on a server that never refreshed
/// in the worker that answered), fails with [`Error::JobFailed`] when the refresh failed,
/// and with [`Error::WaitTimeout`] after [`max_wait`](Wait::max_wait). It is core's [`Wait`],
/// with its per-read `header`, `timeout` and `retry`, and the `db_id` and `table` setters.
pub type WaitForMetricsRefresh = Wait<MetricsRefreshStatus, DbParams>;

/// The refresh is over unless it is running; a failed one is an error.
fn refresh_ended(status: MetricsRefreshStatus, what: &str) -> Result<Option<MetricsRefreshStatus>> {
    match status.status {
        RefreshState::Running => Ok(None),
        RefreshState::Failed => Err(Error::JobFailed {
            what: what.to_owned(),
            message: status
                .error
                .unwrap_or_else(|| "the server gave no reason".into()),
        }),
        _ => Ok(Some(status)),
    }
}

pub(crate) fn get_metrics(client: &AgentOsClient) -> GetMetrics {
    GetMetrics {
        call: Call::new(
            client,
            Request::get(crate::route::METRICS, &[]),
            decode_json,
        ),
        starting: None,
        ending: None,
    }
}

pub(crate) fn refresh_metrics(client: &AgentOsClient) -> RefreshMetrics {
    RefreshMetrics {
        call: Call::new(
            client,
            Request::post(crate::route::METRICS_REFRESH, &[]),
            decode_json,
        ),
    }
}

fn status_call(client: &AgentOsClient) -> Call<MetricsRefreshStatus> {
    Call::new(
        client,
        Request::get(crate::route::METRICS_REFRESH_STATUS, &[]),
        decode_json,
    )
}

pub(crate) fn get_metrics_refresh_status(client: &AgentOsClient) -> GetMetricsRefreshStatus {
    GetMetricsRefreshStatus {
        call: status_call(client),
    }
}

pub(crate) fn wait_for_metrics_refresh(client: &AgentOsClient) -> WaitForMetricsRefresh {
    Wait::new(
        status_call(client),
        "metrics refresh",
        Polling::new(DEFAULT_REFRESH_POLL_INTERVAL, DEFAULT_REFRESH_MAX_WAIT),
        refresh_ended,
    )
}
