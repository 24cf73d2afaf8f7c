//! Waiting for something the server finishes in the background (a run, an ingestion, a
//! metrics refresh): read its status again and again until it has ended. The wait helpers of
//! the area crates (`wait_for_agent_run`, `wait_for_knowledge_content`, ...) share this loop.

use std::time::{Duration, Instant};

use crate::call::Call;
use crate::error::{Error, Result};
use crate::kit::CallKit;

/// How a wait polls: the pause between reads, the longest wait, and how long a 404 counts as
/// "not written yet" (the server often answers before it stores what it started).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Polling {
    /// The pause between two reads.
    pub interval: Duration,
    /// The longest wait before [`Error::WaitTimeout`].
    pub max_wait: Duration,
    /// How long a 404 before the first successful read is retried instead of returned.
    pub not_found_grace: Duration,
    /// `Some(cap)`: the pause doubles after each read, from `interval` up to `cap`; `None`:
    /// it stays `interval`.
    pub max_interval: Option<Duration>,
}

impl Polling {
    /// Polling every `interval` for at most `max_wait`, with no 404 grace.
    pub const fn new(interval: Duration, max_wait: Duration) -> Self {
        Polling {
            interval,
            max_wait,
            not_found_grace: Duration::ZERO,
            max_interval: None,
        }
    }

    /// The same with a pause that doubles after each read, up to `max_interval`.
    pub const fn backoff(mut self, max_interval: Duration) -> Self {
        self.max_interval = Some(max_interval);
        self
    }

    /// The same with a 404 grace period.
    pub const fn not_found_grace(mut self, grace: Duration) -> Self {
        self.not_found_grace = grace;
        self
    }
}

/// The clock of a poll loop: how long it has waited, how long it may still wait, and the
/// pause before the next read. Every poll of the SDK ([`poll_until`], [`Wait`], the lookup of
/// a run's trace, the confirmation of a cancel) runs on it:
///
/// ```no_run
/// use std::time::Duration;
/// use agentos_core::poll::{PollClock, Polling};
/// # async fn read() -> bool { true }
/// # async fn demo() -> Result<(), Duration> {
/// let mut clock = PollClock::new(Polling::new(Duration::from_millis(250), Duration::from_secs(5)));
/// loop {
///     if read().await {
///         return Ok(());
///     }
///     clock.pause().await?; // Err(waited) once the wait is over
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct PollClock {
    polling: Polling,
    started: Instant,
    next_pause: Duration,
}

impl PollClock {
    /// A clock that starts now.
    pub fn new(polling: Polling) -> Self {
        PollClock {
            polling,
            started: Instant::now(),
            next_pause: polling.interval,
        }
    }

    /// How long the loop has run.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// How long it may still run (zero once [`Polling::max_wait`] has passed).
    pub fn left(&self) -> Duration {
        self.polling.max_wait.saturating_sub(self.elapsed())
    }

    /// Whether a 404 now still counts as "not written yet" ([`Polling::not_found_grace`]).
    pub fn in_not_found_grace(&self) -> bool {
        self.elapsed() < self.polling.not_found_grace
    }

    /// Sleeps until the next read (never past [`Polling::max_wait`]), or, once the wait is
    /// over, returns `Err` with how long it waited.
    pub async fn pause(&mut self) -> Result<(), Duration> {
        let waited = self.elapsed();
        if waited >= self.polling.max_wait {
            return Err(waited);
        }
        tokio::time::sleep(self.next_pause.min(self.polling.max_wait - waited)).await;
        if let Some(cap) = self.polling.max_interval {
            self.next_pause = (self.next_pause * 2).min(cap.max(self.polling.interval));
        }
        Ok(())
    }
}

/// Sends `call` until `check` says the wait is over: `Ok(Some(out))` ends it with `out`,
/// `Ok(None)` polls again after [`Polling::interval`], `Err(e)` ends it with `e` (e.g.
/// [`Error::JobFailed`]). A failed read ends the wait with its error, except a 404 within the
/// grace period before anything was read. After [`Polling::max_wait`] the wait fails with
/// [`Error::WaitTimeout`] naming `what`.
///
/// ```no_run
/// use std::time::Duration;
/// use agentos_core::poll::{Polling, poll_until};
/// use agentos_core::kit::{CallKit, decode_json};
/// use agentos_core::{Call, Request};
/// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
/// let status = Call::<serde_json::Value>::new(
///     &client,
///     Request::get("/metrics/refresh/status", &[]),
///     decode_json,
/// );
/// let polling = Polling::new(Duration::from_millis(250), Duration::from_secs(60));
/// let done = poll_until(status, "metrics refresh", polling, |s| {
///     Ok((s["status"] != "running").then_some(s))
/// })
/// .await?;
/// # Ok(()) }
/// ```
pub async fn poll_until<T, O>(
    call: Call<T>,
    what: impl Into<String>,
    polling: Polling,
    mut check: impl FnMut(T) -> Result<Option<O>>,
) -> Result<O>
where
    T: Send + 'static,
{
    let mut clock = PollClock::new(polling);
    let mut seen = false;
    loop {
        match call.clone().send().await {
            Ok(value) => {
                seen = true;
                if let Some(out) = check(value)? {
                    return Ok(out);
                }
            }
            Err(e) if e.is_not_found() && !seen && clock.in_not_found_grace() => {}
            Err(e) => return Err(e),
        }
        if let Err(waited) = clock.pause().await {
            return Err(Error::WaitTimeout {
                what: what.into(),
                waited,
            });
        }
    }
}

/// How a [`Wait`] reads one answer: `Ok(Some(out))` ends the wait with `out`, `Ok(None)`
/// polls again, `Err(e)` ends it with `e`. The `&str` is what is awaited, for error messages.
pub type WaitCheck<T> = fn(T, &str) -> Result<Option<T>>;

/// A wait for something the server finishes in the background (a run, an ingestion, a
/// metrics refresh): the builder behind every `wait_for_*` call. It reads the status with
/// [`poll_until`] and has the per-call options of every other builder: `header`, `timeout`
/// and `retry` apply to each read.
///
/// ```no_run
/// use std::time::Duration;
/// use agentos_core::poll::{DbParams, Polling, Wait};
/// use agentos_core::kit::{CallKit, decode_json};
/// use agentos_core::{Call, Request};
/// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
/// let status = Call::<serde_json::Value>::new(
///     &client,
///     Request::get("/metrics/refresh/status", &[]),
///     decode_json,
/// );
/// let polling = Polling::new(Duration::from_millis(250), Duration::from_secs(60));
/// let done = Wait::<_, DbParams>::new(status, "metrics refresh", polling, |s, _| {
///     Ok((s["status"] != "running").then_some(s))
/// })
/// .db_id("analytics")
/// .max_wait(Duration::from_secs(30))
/// .header("X-Request-Source", "batch")
/// .await?;
/// # Ok(()) }
/// ```
///
/// `P` says which database setters the status read takes: none (`()`), `db_id` and `table`
/// ([`DbParams`], the metrics refresh), or `knowledge_id` and `db_id` ([`KnowledgeParams`], a
/// knowledge ingestion).
#[must_use = "a wait does nothing until it is awaited or sent"]
pub struct Wait<T, P = ()> {
    call: Call<T>,
    what: String,
    polling: Polling,
    check: WaitCheck<T>,
    params: std::marker::PhantomData<fn() -> P>,
}

/// The marker of a [`Wait`] whose status read takes `db_id` and `table`.
#[derive(Debug, Clone, Copy)]
pub struct DbParams;

crate::impl_db_params!([T: Send + 'static] Wait<T, DbParams>);

/// The marker of a [`Wait`] whose status read takes `knowledge_id` and `db_id`.
#[derive(Debug, Clone, Copy)]
pub struct KnowledgeParams;

crate::impl_knowledge_params!([T: Send + 'static] Wait<T, KnowledgeParams>);

impl<T, P> std::fmt::Debug for Wait<T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wait")
            .field("what", &self.what)
            .field("polling", &self.polling)
            .field("call", &self.call)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static, P: 'static> Wait<T, P> {
    /// A wait that sends `call` with `polling` until `check` ends it; `what` names what is
    /// awaited in [`Error::WaitTimeout`] (e.g. `run 42`).
    pub fn new(
        call: Call<T>,
        what: impl Into<String>,
        polling: Polling,
        check: WaitCheck<T>,
    ) -> Self {
        Wait {
            call,
            what: what.into(),
            polling,
            check,
            params: std::marker::PhantomData,
        }
    }

    /// How long a 404 before the first successful read counts as "not written yet" (the server
    /// often answers before it stores what it started); a later 404 ends the wait with it.
    pub fn not_found_grace(mut self, grace: Duration) -> Self {
        self.polling.not_found_grace = grace;
        self
    }

    /// Waits.
    pub async fn send(self) -> Result<T> {
        let Wait {
            call,
            what,
            polling,
            check,
            ..
        } = self;
        let name = what.clone();
        let call = call.check_db_params();
        poll_until(call, what, polling, move |out| check(out, &name)).await
    }
}

crate::impl_call_builder!([T: Send + 'static, P: 'static] Wait<T, P> => T, own send);
crate::impl_polling!([T: Send + 'static, P: 'static] Wait<T, P>);

#[cfg(all(test, feature = "mock"))]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::{Value, json};

    use super::*;
    use crate::Request;
    use crate::kit::decode_json;
    use crate::mock::{self, MockTransport};

    /// A client whose n-th read (from 0) answers `answers[min(n, len-1)]`; returns the count.
    fn scripted(answers: Vec<(u16, Value)>) -> (crate::AgentOsClient, Arc<AtomicUsize>) {
        let reads = Arc::new(AtomicUsize::new(0));
        let n = reads.clone();
        let mut t = MockTransport::new();
        t.expect_send().returning(move |_| {
            let i = n.fetch_add(1, Ordering::SeqCst).min(answers.len() - 1);
            let (status, body) = answers[i].clone();
            Ok(mock::json(status, body))
        });
        (mock::client(t), reads)
    }

    fn call(client: &crate::AgentOsClient) -> Call<Value> {
        Call::new(client, Request::get("/status", &[]), decode_json)
    }

    fn fast() -> Polling {
        Polling::new(Duration::from_millis(1), Duration::from_secs(5))
    }

    fn until_done(v: Value) -> Result<Option<Value>> {
        match v["s"].as_str() {
            Some("done") => Ok(Some(v)),
            Some("failed") => Err(Error::JobFailed {
                what: "job".into(),
                message: "boom".into(),
            }),
            _ => Ok(None),
        }
    }

    #[tokio::test]
    async fn polls_until_done() {
        let (client, reads) = scripted(vec![
            (200, json!({"s": "running"})),
            (200, json!({"s": "running"})),
            (200, json!({"s": "done", "n": 3})),
        ]);
        let out = poll_until(call(&client), "job", fast(), until_done)
            .await
            .unwrap();
        assert_eq!(out["n"], 3);
        assert_eq!(reads.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_failure_from_check_ends_the_wait() {
        let (client, reads) = scripted(vec![(200, json!({"s": "failed"}))]);
        let e = poll_until(call(&client), "job", fast(), until_done)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::JobFailed { .. }), "{e:?}");
        assert_eq!(reads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_404_is_retried_only_within_the_grace_and_before_the_first_read() {
        let not_found = (404, json!({"detail": "not found"}));
        // Within the grace: two 404s, then found.
        let (client, _) = scripted(vec![
            not_found.clone(),
            not_found.clone(),
            (200, json!({"s": "done"})),
        ]);
        let polling = fast().not_found_grace(Duration::from_secs(5));
        assert!(
            poll_until(call(&client), "job", polling, until_done)
                .await
                .is_ok()
        );
        // Without a grace: the first 404 is the answer.
        let (client, reads) = scripted(vec![not_found.clone(), (200, json!({"s": "done"}))]);
        let e = poll_until(call(&client), "job", fast(), until_done)
            .await
            .unwrap_err();
        assert!(e.is_not_found());
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // After a successful read a 404 ends the wait even within the grace.
        let (client, reads) = scripted(vec![(200, json!({"s": "running"})), not_found]);
        let e = poll_until(call(&client), "job", polling, until_done)
            .await
            .unwrap_err();
        assert!(e.is_not_found());
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn gives_up_after_max_wait_naming_what() {
        let (client, reads) = scripted(vec![(200, json!({"s": "running"}))]);
        let polling = Polling::new(Duration::from_millis(10), Duration::from_millis(50));
        let e = poll_until(call(&client), "the job 7", polling, until_done)
            .await
            .unwrap_err();
        match e {
            Error::WaitTimeout { what, waited } => {
                assert_eq!(what, "the job 7");
                assert!(waited >= Duration::from_millis(50));
            }
            other => panic!("{other:?}"),
        }
        assert!(reads.load(Ordering::SeqCst) >= 2);
    }

    /// Reads "running" twice, then "done".
    fn running_twice() -> (crate::AgentOsClient, crate::mock::Recorded) {
        let n = AtomicUsize::new(0);
        mock::recording(move |_| {
            let status = if n.fetch_add(1, Ordering::SeqCst) < 2 {
                "running"
            } else {
                "done"
            };
            mock::json(200, json!({ "status": status }))
        })
    }

    fn status_done(v: Value, _: &str) -> Result<Option<Value>> {
        Ok((v["status"] == "done").then_some(v))
    }

    #[tokio::test]
    async fn every_read_of_a_wait_carries_its_per_call_options() {
        let (client, seen) = running_twice();
        let done = Wait::<Value>::new(call(&client), "job", fast(), status_done)
            .header("X-Tenant", "t-1")
            .timeout(Duration::from_secs(7))
            .retry(crate::RetryPolicy::none())
            .await
            .unwrap();
        assert_eq!(done["status"], "done");
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 3);
        for req in seen.iter() {
            assert_eq!(req.headers["x-tenant"], "t-1");
            assert_eq!(req.timeout, Duration::from_secs(7));
        }
    }

    #[tokio::test]
    async fn database_setters_of_a_wait_reach_every_read_and_are_checked() {
        let (client, seen) = running_twice();
        Wait::<Value, DbParams>::new(call(&client), "refresh", fast(), status_done)
            .db_id("db-1")
            .table("metrics")
            .await
            .unwrap();
        for req in seen.lock().unwrap().iter() {
            assert_eq!(
                mock::query(req),
                vec![
                    ("db_id".into(), "db-1".into()),
                    ("table".into(), "metrics".into())
                ]
            );
        }

        // A table without its database is refused before anything is sent.
        let never = mock::never_called();
        let e = Wait::<Value, DbParams>::new(call(&never), "refresh", fast(), status_done)
            .table("metrics")
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");

        let (client, seen) = running_twice();
        Wait::<Value, KnowledgeParams>::new(call(&client), "ingestion", fast(), status_done)
            .knowledge_id("kb-2")
            .await
            .unwrap();
        for req in seen.lock().unwrap().iter() {
            assert_eq!(
                mock::query(req),
                vec![("knowledge_id".into(), "kb-2".into())]
            );
        }
    }

    #[tokio::test]
    async fn a_wait_names_what_it_waited_for_when_it_gives_up() {
        let (client, _) = mock::recording(|_| mock::json(200, json!({ "status": "running" })));
        let polling = Polling::new(Duration::from_millis(1), Duration::from_millis(30));
        let e = Wait::<Value>::new(call(&client), "run 42", polling, status_done)
            .await
            .unwrap_err();
        match e {
            Error::WaitTimeout { what, .. } => assert_eq!(what, "run 42"),
            other => panic!("expected WaitTimeout, got {other:?}"),
        }
    }
}
