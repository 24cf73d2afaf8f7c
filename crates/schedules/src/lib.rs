#![cfg_attr(docsrs, feature(doc_cfg))]
//! The schedules and the durable job queue area of the AgentOS Rust SDK: [`SchedulesExt`] and
//! [`QueueExt`] add their calls to [`AgentOsClient`].
//!
//! A schedule calls an AgentOS endpoint (usually a run route such as
//! `/agents/{id}/runs`) on a cron expression, or only when triggered. Schedules need an
//! AgentOS with a database (`AgentOS(db=...)`, else every route answers 503), and the cron
//! poller and [`trigger_schedule`](SchedulesExt::trigger_schedule) need the scheduler switched
//! on (`AgentOS(scheduler=True)`, else a trigger answers 503 `Scheduler is not running`).
//!
//! The durable job queue (`AgentOS(queue=QueueConfig(durable=True))`) holds the tickets of
//! background runs; [`QueueExt`] is its operator surface (list, inspect, requeue, stats).
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_schedules::SchedulesExt;
//! use serde_json::json;
//!
//! let schedule = client
//!     .create_schedule("nightly-digest", "/agents/echo-agent/runs")
//!     .cron_expr("0 3 * * *")
//!     .timezone("Europe/Lisbon")
//!     .payload(&json!({"message": "Write the nightly digest"}))
//!     .await?;
//! let run = client.trigger_schedule(&schedule.id).await?; // waits for the run to finish
//! println!("{:?}: {:?}", run.status, run.output_content());
//! # Ok(()) }
//! ```

mod queue;
mod types;

use agentos_core::http::Method;
use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::{AgentOsClient, Call, Error, Page, Request, Result};
use serde::Serialize;
use serde_json::{Map, Value, json};

pub use queue::{ListQueueJobs, QueueExt, RequeueQueueJob};
pub use types::{
    Extra, QueueJob, QueueJobStatus, QueueStats, ScheduleResponse, ScheduleRunResponse,
    ScheduleRunStatus, ScheduleStateResponse,
};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    SCHEDULES = "/schedules": GET, POST;
    SCHEDULES_SCHEDULE_ID = "/schedules/{schedule_id}": GET, PATCH, DELETE;
    SCHEDULES_SCHEDULE_ID_ENABLE = "/schedules/{schedule_id}/enable": POST;
    SCHEDULES_SCHEDULE_ID_DISABLE = "/schedules/{schedule_id}/disable": POST;
    SCHEDULES_SCHEDULE_ID_TRIGGER = "/schedules/{schedule_id}/trigger": POST;
    SCHEDULES_SCHEDULE_ID_RUNS = "/schedules/{schedule_id}/runs": GET;
    SCHEDULES_SCHEDULE_ID_RUNS_RUN_ID = "/schedules/{schedule_id}/runs/{run_id}": GET;
    QUEUE_JOBS = "/queue/jobs": GET;
    QUEUE_JOBS_JOB_ID = "/queue/jobs/{job_id}": GET;
    QUEUE_JOBS_JOB_ID_REQUEUE = "/queue/jobs/{job_id}/requeue": POST;
    QUEUE_STATS = "/queue/stats": GET;
}

/// The longest schedule name the server accepts, in characters.
pub const MAX_NAME_CHARS: usize = 255;
/// The longest endpoint the server accepts, in characters.
pub const MAX_ENDPOINT_CHARS: usize = 512;
/// The longest cron expression the server accepts, in characters.
pub const MAX_CRON_CHARS: usize = 128;

fn invalid(msg: impl Into<String>) -> Error {
    Error::InvalidRequest(msg.into())
}

/// Checks a schedule name as the server does: a letter or digit, then letters, digits,
/// spaces, `.`, `_` or `-`.
fn check_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Err(invalid("the schedule name must not be empty")),
        Some(c) if !c.is_ascii_alphanumeric() => {
            return Err(invalid(format!(
                "the schedule name {name:?} must start with a letter or a digit"
            )));
        }
        _ => {}
    }
    if let Some(bad) =
        chars.find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-')))
    {
        return Err(invalid(format!(
            "the schedule name {name:?} contains {bad:?}: use letters, digits, spaces, '.', '_' or '-'"
        )));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(format!(
            "the schedule name is longer than {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(())
}

/// Checks an endpoint as the server does: an AgentOS path, not a URL, without whitespace.
fn check_endpoint(endpoint: &str) -> Result<()> {
    if !endpoint.starts_with('/') {
        return Err(invalid(format!(
            "the endpoint {endpoint:?} must be an AgentOS path starting with '/', e.g. /agents/my-agent/runs"
        )));
    }
    if endpoint.contains("://") {
        return Err(invalid("the endpoint must be a path, not a full URL"));
    }
    if endpoint
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid(
            "the endpoint must not contain whitespace or control characters",
        ));
    }
    if endpoint.chars().count() > MAX_ENDPOINT_CHARS {
        return Err(invalid(format!(
            "the endpoint is longer than {MAX_ENDPOINT_CHARS} characters"
        )));
    }
    Ok(())
}

fn check_range(what: &str, value: u32, min: u32, max: u32) -> Result<()> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(invalid(format!(
            "{what} must be between {min} and {max}, got {value}"
        )))
    }
}

/// Checks every field present in a create or update body.
fn check_body(body: &Map<String, Value>) -> Result<()> {
    let text = |k: &str| body.get(k).and_then(Value::as_str);
    let num = |k: &str| body.get(k).and_then(Value::as_u64).map(|n| n as u32);
    if let Some(name) = text("name") {
        check_name(name)?;
    }
    if let Some(endpoint) = text("endpoint") {
        check_endpoint(endpoint)?;
    }
    if let Some(cron) = text("cron_expr") {
        if cron.chars().count() > MAX_CRON_CHARS {
            return Err(invalid(format!(
                "the cron expression is longer than {MAX_CRON_CHARS} characters"
            )));
        }
    }
    if let Some(tz) = text("timezone") {
        if tz.trim().is_empty() || tz.chars().count() > 64 {
            return Err(invalid(
                "the time zone must be an IANA name such as UTC or Europe/Lisbon",
            ));
        }
    }
    if let Some(d) = text("description") {
        if d.chars().count() > 1024 {
            return Err(invalid("the description is longer than 1024 characters"));
        }
    }
    if let Some(t) = num("timeout_seconds") {
        check_range("timeout_seconds", t, 1, 86_400)?;
    }
    if let Some(r) = num("max_retries") {
        check_range("max_retries", r, 0, 10)?;
    }
    if let Some(d) = num("retry_delay_seconds") {
        check_range("retry_delay_seconds", d, 1, 3600)?;
    }
    Ok(())
}

/// The setters shared by create and update.
macro_rules! schedule_setters {
    ($ty:ident) => {
        impl $ty {
            /// The cron expression (5 fields, e.g. `0 3 * * *`), checked by the server (422
            /// when invalid). An empty one makes the schedule on demand: it runs only when
            /// triggered.
            pub fn cron_expr(mut self, cron_expr: impl Into<String>) -> Self {
                self.body
                    .insert("cron_expr".into(), json!(cron_expr.into()));
                self
            }

            /// Runs only when triggered (an empty cron expression).
            pub fn on_demand(self) -> Self {
                self.cron_expr("")
            }

            /// The IANA time zone the cron expression is read in (default `UTC`), checked by
            /// the server (422 when unknown).
            pub fn timezone(mut self, timezone: impl Into<String>) -> Self {
                self.body.insert("timezone".into(), json!(timezone.into()));
                self
            }

            /// The HTTP method the executor uses: GET, POST (the default), PUT, PATCH or
            /// DELETE. Run endpoints are only run with POST.
            pub fn method(mut self, method: Method) -> Self {
                if matches!(
                    method,
                    Method::GET | Method::POST | Method::PUT | Method::PATCH | Method::DELETE
                ) {
                    self.body.insert("method".into(), json!(method.as_str()));
                } else {
                    self.call = self.call.fail(invalid(format!(
                        "a schedule cannot use {method}: use GET, POST, PUT, PATCH or DELETE"
                    )));
                }
                self
            }

            /// A description (at most 1024 characters).
            pub fn description(mut self, description: impl Into<String>) -> Self {
                self.body
                    .insert("description".into(), json!(description.into()));
                self
            }

            /// What the executor sends (a JSON object). For a run endpoint the keys become
            /// form fields (`message`, `session_id`, `user_id`, ...; objects are
            /// JSON-encoded), and `stream` / `background` are always overridden (the executor
            /// starts a background run and polls it). For other endpoints it is the JSON body.
            pub fn payload<T: Serialize + ?Sized>(mut self, payload: &T) -> Self {
                match agentos_core::kit::json_object("payload", payload) {
                    Ok(map) => {
                        self.body.insert("payload".into(), Value::Object(map));
                    }
                    Err(e) => self.call = self.call.fail(e),
                }
                self
            }

            /// How long one execution may take, in seconds (1 to 86400; default 3600).
            pub fn timeout_seconds(mut self, seconds: u32) -> Self {
                self.body.insert("timeout_seconds".into(), json!(seconds));
                self
            }

            /// How many times a failed execution is retried (0 to 10; default 0).
            pub fn max_retries(mut self, retries: u32) -> Self {
                self.body.insert("max_retries".into(), json!(retries));
                self
            }

            /// The wait between retries, in seconds (1 to 3600; default 60).
            pub fn retry_delay_seconds(mut self, seconds: u32) -> Self {
                self.body
                    .insert("retry_delay_seconds".into(), json!(seconds));
                self
            }

            fn finish(self) -> Call<ScheduleResponse> {
                if let Err(e) = check_body(&self.body) {
                    return self.call.fail(e);
                }
                let body = self.body;
                self.call.try_with_request(|r| r.set_json(&body))
            }
        }
    };
}

/// `POST /schedules`, from [`SchedulesExt::create_schedule`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct CreateSchedule {
    call: Call<ScheduleResponse>,
    body: Map<String, Value>,
}

schedule_setters!(CreateSchedule);

/// `PATCH /schedules/{schedule_id}`, from [`SchedulesExt::update_schedule`]. Only the fields
/// set are changed.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UpdateSchedule {
    call: Call<ScheduleResponse>,
    body: Map<String, Value>,
}

schedule_setters!(UpdateSchedule);

impl UpdateSchedule {
    /// Renames the schedule (409 when another schedule has the name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.insert("name".into(), json!(name.into()));
        self
    }

    /// Points the schedule at another endpoint.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.body.insert("endpoint".into(), json!(endpoint.into()));
        self
    }
}

agentos_core::call_builder! {
    /// `GET /schedules`, from [`SchedulesExt::list_schedules`]: one page, or every page as a
    /// stream.
    pub struct ListSchedules => Page<ScheduleResponse>, paged(ScheduleResponse);
}

impl ListSchedules {
    /// Only enabled (`true`) or disabled (`false`) schedules.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.call = self.call.query("enabled", enabled);
        self
    }
}

agentos_core::call_builder! {
    /// `GET /schedules/{schedule_id}/runs`, from [`SchedulesExt::list_schedule_runs`]: one page,
    /// or every page as a stream.
    pub struct ListScheduleRuns => Page<ScheduleRunResponse>, paged(ScheduleRunResponse);
}

agentos_core::impl_call_builder!(CreateSchedule => ScheduleResponse);
agentos_core::impl_call_builder!(UpdateSchedule => ScheduleResponse);

agentos_core::seal_extension_traits!();

/// The schedule calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait SchedulesExt: sealed::Sealed {
    /// `GET /schedules`: a page of schedules (under user isolation, the caller's own);
    /// [`ListSchedules::into_stream`] walks every page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// let page = client.list_schedules().enabled(false).limit(20).await?;
    /// for s in &page.data {
    ///     println!("{} {:?} {:?}", s.name, s.cron_expr, s.disabled_reason);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_schedules(&self) -> ListSchedules;

    /// `POST /schedules`: creates a schedule (201) that calls `endpoint` (an AgentOS path such
    /// as `/agents/{id}/runs`) on its cron expression, or on demand when it has none.
    ///
    /// Checked before sending: the name (a letter or digit, then letters, digits, spaces,
    /// `.`, `_`, `-`; at most 255 characters), the endpoint (a path starting with `/`, no
    /// URL, no whitespace), the method and the numeric ranges. The cron expression and the
    /// time zone are passed through; the server answers 422 when they are invalid, and 409
    /// when the name is taken.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// use serde_json::json;
    /// let schedule = client
    ///     .create_schedule("Weekly report", "/teams/research-team/runs")
    ///     .cron_expr("0 9 * * MON")
    ///     .timezone("America/New_York")
    ///     .description("Monday morning summary")
    ///     .payload(&json!({"message": "Summarize last week", "user_id": "ops"}))
    ///     .timeout_seconds(900)
    ///     .max_retries(2)
    ///     .retry_delay_seconds(120)
    ///     .await?;
    /// println!("next run at {:?}", schedule.next_run_at);
    /// # Ok(()) }
    /// ```
    fn create_schedule(
        &self,
        name: impl Into<String>,
        endpoint: impl Into<String>,
    ) -> CreateSchedule;

    /// `GET /schedules/{schedule_id}`: one schedule (404 when there is none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// let s = client.get_schedule("6f1c...").await?;
    /// println!("{} enabled={}", s.name, s.enabled);
    /// # Ok(()) }
    /// ```
    fn get_schedule(&self, schedule_id: &str) -> Call<ScheduleResponse>;

    /// `PATCH /schedules/{schedule_id}`: changes the fields set on the builder (an empty
    /// update returns the schedule unchanged). The same checks as on create apply.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// let s = client
    ///     .update_schedule("6f1c...")
    ///     .cron_expr("*/30 * * * *")
    ///     .description("every half hour")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn update_schedule(&self, schedule_id: &str) -> UpdateSchedule;

    /// `DELETE /schedules/{schedule_id}` (204; 404 when there is none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// client.delete_schedule("6f1c...").await?;
    /// # Ok(()) }
    /// ```
    fn delete_schedule(&self, schedule_id: &str) -> Call<()>;

    /// `POST /schedules/{schedule_id}/enable`: the schedule fires again; `next_run_at` is
    /// computed from its cron expression.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// let state = client.enable_schedule("6f1c...").await?;
    /// assert!(state.enabled);
    /// # Ok(()) }
    /// ```
    fn enable_schedule(&self, schedule_id: &str) -> Call<ScheduleStateResponse>;

    /// `POST /schedules/{schedule_id}/disable`: the schedule stops firing (and cannot be
    /// triggered: 409).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// let state = client.disable_schedule("6f1c...").await?;
    /// assert!(!state.enabled);
    /// # Ok(()) }
    /// ```
    fn disable_schedule(&self, schedule_id: &str) -> Call<ScheduleStateResponse>;

    /// `POST /schedules/{schedule_id}/trigger`: runs the schedule now and answers when the
    /// execution is over: for a run endpoint the executor starts a background run and polls
    /// it until it completes, pauses or fails, so the request can take as long as the run
    /// (plus agno's polling interval, 30 s by default). Give it a timeout longer than that
    /// (the client default is 60 s). It is never
    /// retried automatically (a retry would run it twice). 409 when the schedule is
    /// disabled; 503 when the server's scheduler is off.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use std::time::Duration;
    /// use agentos_schedules::{ScheduleRunStatus, SchedulesExt};
    /// let run = client
    ///     .trigger_schedule("6f1c...")
    ///     .timeout(Duration::from_secs(600))
    ///     .await?;
    /// if run.status == ScheduleRunStatus::Success {
    ///     println!("run {:?} said {:?}", run.run_id, run.output_content());
    /// }
    /// # Ok(()) }
    /// ```
    fn trigger_schedule(&self, schedule_id: &str) -> Call<ScheduleRunResponse>;

    /// `GET /schedules/{schedule_id}/runs`: the schedule's executions, newest first, paged.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// let runs = client.list_schedule_runs("6f1c...").limit(10).await?;
    /// for r in &runs.data {
    ///     println!("attempt {} {:?} {:?}", r.attempt, r.status, r.error);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_schedule_runs(&self, schedule_id: &str) -> ListScheduleRuns;

    /// `GET /schedules/{schedule_id}/runs/{run_id}`: one execution (`run_id` is the
    /// execution's `id`, `sr_...`, not the agent run id).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::SchedulesExt;
    /// let run = client.get_schedule_run("6f1c...", "sr_0179...").await?;
    /// # Ok(()) }
    /// ```
    fn get_schedule_run(&self, schedule_id: &str, run_id: &str) -> Call<ScheduleRunResponse>;
}

impl SchedulesExt for AgentOsClient {
    fn list_schedules(&self) -> ListSchedules {
        ListSchedules {
            call: Call::new(self, Request::get(route::SCHEDULES, &[]), decode_json),
        }
    }

    fn create_schedule(
        &self,
        name: impl Into<String>,
        endpoint: impl Into<String>,
    ) -> CreateSchedule {
        let mut body = Map::new();
        body.insert("name".into(), json!(name.into()));
        body.insert("endpoint".into(), json!(endpoint.into()));
        CreateSchedule {
            call: Call::new(self, Request::post(route::SCHEDULES, &[]), decode_json),
            body,
        }
    }

    fn get_schedule(&self, schedule_id: &str) -> Call<ScheduleResponse> {
        Call::new(
            self,
            Request::get(route::SCHEDULES_SCHEDULE_ID, &[schedule_id]),
            decode_json,
        )
    }

    fn update_schedule(&self, schedule_id: &str) -> UpdateSchedule {
        UpdateSchedule {
            call: Call::new(
                self,
                Request::patch(route::SCHEDULES_SCHEDULE_ID, &[schedule_id]),
                decode_json,
            ),
            body: Map::new(),
        }
    }

    fn delete_schedule(&self, schedule_id: &str) -> Call<()> {
        Call::new(
            self,
            Request::delete(route::SCHEDULES_SCHEDULE_ID, &[schedule_id]),
            decode_unit,
        )
    }

    fn enable_schedule(&self, schedule_id: &str) -> Call<ScheduleStateResponse> {
        Call::new(
            self,
            Request::post(route::SCHEDULES_SCHEDULE_ID_ENABLE, &[schedule_id]),
            decode_json,
        )
    }

    fn disable_schedule(&self, schedule_id: &str) -> Call<ScheduleStateResponse> {
        Call::new(
            self,
            Request::post(route::SCHEDULES_SCHEDULE_ID_DISABLE, &[schedule_id]),
            decode_json,
        )
    }

    fn trigger_schedule(&self, schedule_id: &str) -> Call<ScheduleRunResponse> {
        Call::new(
            self,
            Request::post(route::SCHEDULES_SCHEDULE_ID_TRIGGER, &[schedule_id]),
            decode_json,
        )
    }

    fn list_schedule_runs(&self, schedule_id: &str) -> ListScheduleRuns {
        ListScheduleRuns {
            call: Call::new(
                self,
                Request::get(route::SCHEDULES_SCHEDULE_ID_RUNS, &[schedule_id]),
                decode_json,
            ),
        }
    }

    fn get_schedule_run(&self, schedule_id: &str, run_id: &str) -> Call<ScheduleRunResponse> {
        Call::new(
            self,
            Request::get(
                route::SCHEDULES_SCHEDULE_ID_RUNS_RUN_ID,
                &[schedule_id, run_id],
            ),
            decode_json,
        )
    }
}

#[cfg(test)]
mod tests;
