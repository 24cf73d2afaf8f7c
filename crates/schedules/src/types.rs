//! The types of the schedule and job-queue routes. Timestamps are epoch seconds on the wire.

use std::collections::BTreeMap;

use agentos_core::Timestamp;
use agentos_core::kit::de::{empty_as_none, null_default};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use agentos_core::Extra;

/// A schedule (`ScheduleResponse`): an AgentOS endpoint called on a cron or on demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScheduleResponse {
    /// The schedule id (a UUID).
    pub id: String,
    /// The owner; `None` for a system schedule (the executor then fires it unscoped).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// The unique name.
    pub name: String,
    /// A description.
    pub description: Option<String>,
    /// The HTTP method the executor uses (`POST` by default).
    #[serde(default)]
    pub method: String,
    /// The AgentOS path the executor calls, e.g. `/agents/echo-agent/runs`.
    #[serde(default)]
    pub endpoint: String,
    /// What the executor sends: form fields for run endpoints, a JSON body otherwise.
    pub payload: Option<Map<String, Value>>,
    /// The cron expression; `None` for an on-demand schedule (runs only when triggered).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub cron_expr: Option<String>,
    /// The time zone of the cron expression (default `UTC`).
    #[serde(default)]
    pub timezone: String,
    /// How long one execution may take, in seconds.
    #[serde(default)]
    pub timeout_seconds: u32,
    /// How many times a failed execution is retried.
    #[serde(default)]
    pub max_retries: u32,
    /// The wait between retries, in seconds.
    #[serde(default)]
    pub retry_delay_seconds: u32,
    /// Whether the schedule fires (and can be triggered).
    #[serde(default)]
    pub enabled: bool,
    /// When it fires next (`None` when on demand or disabled).
    pub next_run_at: Option<Timestamp>,
    /// The control plane that manages it (e.g. `studio`, `company`), if any.
    pub managed_by: Option<String>,
    /// The kind of component a managed schedule targets.
    pub target_type: Option<String>,
    /// The component a managed schedule targets.
    pub target_id: Option<String>,
    /// Why the system disabled it, e.g. `target_archived:agent:x`.
    pub disabled_reason: Option<String>,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// When it was last changed.
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ScheduleResponse {
    /// True for a schedule without a cron expression: it runs only when triggered.
    pub fn is_on_demand(&self) -> bool {
        self.cron_expr.is_none()
    }
}

/// What `enable_schedule` and `disable_schedule` return (`ScheduleStateResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScheduleStateResponse {
    /// The schedule id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Whether it is enabled now.
    #[serde(default)]
    pub enabled: bool,
    /// When it fires next.
    pub next_run_at: Option<Timestamp>,
    /// When it was changed.
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

agentos_core::open_enum! {
    /// The outcome of one execution of a schedule.
    pub enum ScheduleRunStatus {
        /// Still running.
        Running = "running",
        /// The endpoint answered 2xx (for a run endpoint: the run completed).
        Success = "success",
        /// The endpoint failed, the run ended in error or was cancelled, or polling timed out.
        Failed = "failed",
        /// The run paused (human in the loop); see `requirements`.
        Paused = "paused",
        /// The execution was cancelled (e.g. the server shut down).
        Cancelled = "cancelled",
    }
}

/// One execution of a schedule (`ScheduleRunResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScheduleRunResponse {
    /// The execution id (`sr_...`).
    pub id: String,
    /// The schedule it belongs to.
    pub schedule_id: String,
    /// Whose identity the run used.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// The attempt number, from 1 (retries add attempts).
    #[serde(default)]
    pub attempt: u32,
    /// When it started.
    pub triggered_at: Option<Timestamp>,
    /// When it ended.
    pub completed_at: Option<Timestamp>,
    /// The outcome.
    pub status: ScheduleRunStatus,
    /// The HTTP status the endpoint answered with.
    pub status_code: Option<u16>,
    /// The agent, team or workflow run it started (run endpoints).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub run_id: Option<String>,
    /// The session of that run.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub session_id: Option<String>,
    /// The error, when it failed.
    pub error: Option<String>,
    /// The run's input, e.g. `{"input_content": "..."}`.
    pub input: Option<Map<String, Value>>,
    /// The run's output, e.g. `{"content": "...", "content_type": "str"}`.
    pub output: Option<Map<String, Value>>,
    /// What a paused run waits for.
    pub requirements: Option<Vec<Value>>,
    /// When the record was created.
    pub created_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ScheduleRunResponse {
    /// The text the run produced (`output.content`), when it is a string.
    pub fn output_content(&self) -> Option<&str> {
        self.output.as_ref()?.get("content")?.as_str()
    }
}

agentos_core::open_enum! {
    /// The state of a durable queue job.
    pub enum QueueJobStatus {
        /// Waiting for a worker.
        Queued = "queued",
        /// Claimed by a worker.
        Running = "running",
        /// Done (whatever the run's own status).
        Completed = "completed",
        /// Failed (e.g. the run errored, or its worker was lost).
        Failed = "failed",
        /// Cancelled.
        Cancelled = "cancelled",
        /// The run paused (human in the loop).
        Paused = "paused",
    }
}

/// A durable queue job (`QueueJobSchema`): the ticket of one background run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QueueJob {
    /// The job id (the same as the run id).
    pub id: String,
    /// `agent`, `team` or `workflow`.
    #[serde(default)]
    pub component_type: String,
    /// The agent, team or workflow the run executes on.
    #[serde(default)]
    pub component_id: String,
    /// The session of the run.
    #[serde(default)]
    pub session_id: String,
    /// What the ticket carries (`run`).
    #[serde(default)]
    pub job_type: String,
    /// The user the run was submitted for.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// The serialized run parameters (verbatim user input).
    #[serde(default, deserialize_with = "null_default")]
    pub payload: Map<String, Value>,
    /// The job's state.
    pub status: QueueJobStatus,
    /// Executions started so far.
    #[serde(default)]
    pub attempt: u32,
    /// The execution budget (a requeue raises it by one).
    #[serde(default)]
    pub max_attempts: u32,
    /// The client's `Idempotency-Key`, if one was sent.
    pub idempotency_key: Option<String>,
    /// When the job becomes claimable.
    pub available_at: Option<Timestamp>,
    /// The worker holding its lock.
    pub locked_by: Option<String>,
    /// When that lock was taken.
    pub locked_at: Option<Timestamp>,
    /// The error of the last attempt.
    pub error: Option<String>,
    /// When the job was accepted.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
    /// When it reached a terminal state.
    pub completed_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The health of the durable queue, from `get_queue_stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QueueStats {
    /// How many jobs are in each state (states with none are left out).
    #[serde(default, deserialize_with = "null_default")]
    pub counts: BTreeMap<String, u64>,
    /// The age of the oldest queued job, in seconds (`None` when nothing waits).
    pub oldest_queued_age_seconds: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QueueStats {
    /// How many jobs are in `status`.
    pub fn count(&self, status: &QueueJobStatus) -> u64 {
        self.counts.get(status.as_str()).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schedule_and_run_decode() {
        let s: ScheduleResponse = serde_json::from_value(json!({
            "id": "s1", "user_id": null, "name": "n", "description": null, "method": "POST",
            "endpoint": "/agents/a/runs", "payload": {"message": "hi"}, "cron_expr": null,
            "timezone": "UTC", "timeout_seconds": 3600, "max_retries": 0,
            "retry_delay_seconds": 60, "enabled": true, "next_run_at": null,
            "created_at": 1795896338, "updated_at": null, "later": 1
        }))
        .unwrap();
        assert!(s.is_on_demand());
        assert_eq!(s.payload.unwrap()["message"], "hi");
        assert_eq!(s.created_at.unwrap().unix_seconds(), 1_795_896_338);
        assert_eq!(s.extra["later"], 1);

        let r: ScheduleRunResponse = serde_json::from_value(json!({
            "id": "sr_1", "schedule_id": "s1", "attempt": 1, "status": "success",
            "status_code": 200, "run_id": "r1", "session_id": "x",
            "output": {"content": "Echo: hi", "content_type": "str"}, "requirements": null
        }))
        .unwrap();
        assert_eq!(r.status, ScheduleRunStatus::Success);
        assert_eq!(r.output_content(), Some("Echo: hi"));
        let r: ScheduleRunResponse = serde_json::from_value(json!({
            "id": "sr_2", "schedule_id": "s1", "status": "skipped"
        }))
        .unwrap();
        assert_eq!(r.status, ScheduleRunStatus::Unknown("skipped".into()));
        assert_eq!(r.output_content(), None);
    }

    #[test]
    fn queue_types_decode() {
        let j: QueueJob = serde_json::from_value(json!({
            "id": "j1", "component_type": "agent", "component_id": "a", "session_id": "s",
            "job_type": "run", "user_id": null, "payload": {"input": "x"}, "status": "failed",
            "attempt": 1, "max_attempts": 1, "error": "boom", "created_at": 1795896562
        }))
        .unwrap();
        assert_eq!(j.status, QueueJobStatus::Failed);
        assert_eq!(j.payload["input"], "x");
        let s: QueueStats = serde_json::from_value(json!({
            "counts": {"completed": 2, "failed": 1}, "oldest_queued_age_seconds": null
        }))
        .unwrap();
        assert_eq!(s.count(&QueueJobStatus::Completed), 2);
        assert_eq!(s.count(&QueueJobStatus::Queued), 0);
    }
}
