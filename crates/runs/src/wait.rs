//! Waiting for a background run to end: `wait_for_agent_run`, `wait_for_team_run`,
//! `wait_for_workflow_run`.

use std::time::Duration;

use agentos_core::poll::{Polling, Wait};
use agentos_core::{Call, Result};

use crate::output::RunStatus;
use crate::stream::StreamEvent;

/// The default pause between two reads of [`WaitForRun`].
pub const DEFAULT_RUN_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// The default longest wait of [`WaitForRun`].
pub const DEFAULT_RUN_MAX_WAIT: Duration = Duration::from_secs(600);
/// How long a 404 counts as "the run is not written yet" (the server writes a background
/// run after answering 202).
pub const DEFAULT_RUN_NOT_FOUND_GRACE: Duration = Duration::from_secs(3);

/// Polls `GET /{kind}/{id}/runs/{run_id}` until the run is no longer `PENDING` or
/// `RUNNING`, and gives its output: completed, **failed** (status `Error`: check it, or call
/// `into_result()`), cancelled, or paused (then it waits for `continue`).
///
/// Gives up with [`Error::WaitTimeout`](agentos_core::Error::WaitTimeout) after
/// [`max_wait`](Wait::max_wait) (default 10 minutes; reads every 250 ms; a 404 counts as "not
/// written yet" for 3 s). Any other error (a 404 after the grace period, a 401) ends the wait
/// at once. It is core's [`Wait`], with its per-read `header`, `timeout` and `retry`.
pub type WaitForRun<E> = Wait<<E as StreamEvent>::Output>;

/// The wait of `run_id`, reading it with `call`.
pub(crate) fn wait_for_run<E: StreamEvent>(call: Call<E::Output>, run_id: &str) -> WaitForRun<E> {
    let polling = Polling::new(DEFAULT_RUN_POLL_INTERVAL, DEFAULT_RUN_MAX_WAIT)
        .not_found_grace(DEFAULT_RUN_NOT_FOUND_GRACE);
    Wait::new(call, format!("run {run_id}"), polling, run_ended::<E>)
}

/// The output once the run is no longer pending or running.
fn run_ended<E: StreamEvent>(out: E::Output, _: &str) -> Result<Option<E::Output>> {
    Ok(match E::output_status(&out) {
        Some(RunStatus::Pending | RunStatus::Running) | None => None,
        Some(_) => Some(out),
    })
}
