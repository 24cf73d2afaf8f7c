//! Waiting for a background run to end: `wait_for_agent_run`, `wait_for_team_run`,
//! `wait_for_workflow_run`.

use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::Duration;

use agentos_core::poll::{Polling, poll_until};
use agentos_core::{BoxFuture, Call, Result};

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
/// Gives up with [`Error::WaitTimeout`](agentos_core::Error::WaitTimeout) after [`max_wait`](Self::max_wait). Any other error
/// (a 404 after the grace period, a 401) ends the wait at once.
#[derive(Debug)]
#[must_use = "a wait does nothing until it is awaited or sent"]
pub struct WaitForRun<E: StreamEvent> {
    call: Call<E::Output>,
    run_id: String,
    polling: Polling,
    _kind: PhantomData<fn() -> E>,
}

impl<E: StreamEvent> WaitForRun<E> {
    pub(crate) fn new(call: Call<E::Output>, run_id: &str) -> Self {
        WaitForRun {
            call,
            run_id: run_id.to_owned(),
            polling: Polling::new(DEFAULT_RUN_POLL_INTERVAL, DEFAULT_RUN_MAX_WAIT)
                .not_found_grace(DEFAULT_RUN_NOT_FOUND_GRACE),
            _kind: PhantomData,
        }
    }

    /// The pause between two reads (default 250 ms).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.polling.interval = interval;
        self
    }

    /// The longest wait before [`Error::WaitTimeout`](agentos_core::Error::WaitTimeout) (default 10 minutes).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.polling.max_wait = max_wait;
        self
    }

    /// How long a 404 counts as "not written yet" (default 3 s).
    pub fn not_found_grace(mut self, grace: Duration) -> Self {
        self.polling.not_found_grace = grace;
        self
    }

    /// Adds a header to each read.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.call = self.call.header(name, value);
        self
    }

    /// Sets a timeout for each read.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.call = self.call.timeout(timeout);
        self
    }

    /// Waits.
    pub async fn send(self) -> Result<E::Output> {
        let what = format!("run {}", self.run_id);
        poll_until(self.call, what, self.polling, |out| {
            Ok(match E::output_status(&out) {
                Some(RunStatus::Pending | RunStatus::Running) | None => None,
                Some(_) => Some(out),
            })
        })
        .await
    }
}

impl<E: StreamEvent> IntoFuture for WaitForRun<E> {
    type Output = Result<E::Output>;
    type IntoFuture = BoxFuture<E::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
