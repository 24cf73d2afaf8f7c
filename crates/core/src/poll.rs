//! Waiting for something the server finishes in the background (a run, an ingestion, a
//! metrics refresh): read its status again and again until it has ended. The wait helpers of
//! the area crates (`wait_for_agent_run`, `wait_for_knowledge_content`, ...) share this loop.

use std::time::{Duration, Instant};

use crate::call::Call;
use crate::error::{Error, Result};

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
}

impl Polling {
    /// Polling every `interval` for at most `max_wait`, with no 404 grace.
    pub const fn new(interval: Duration, max_wait: Duration) -> Self {
        Polling {
            interval,
            max_wait,
            not_found_grace: Duration::ZERO,
        }
    }

    /// The same with a 404 grace period.
    pub const fn not_found_grace(mut self, grace: Duration) -> Self {
        self.not_found_grace = grace;
        self
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
/// use agentos_core::{Call, Request, decode_json};
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
    let started = Instant::now();
    let mut seen = false;
    loop {
        match call.clone().send().await {
            Ok(value) => {
                seen = true;
                if let Some(out) = check(value)? {
                    return Ok(out);
                }
            }
            Err(e) if e.is_not_found() && !seen && started.elapsed() < polling.not_found_grace => {}
            Err(e) => return Err(e),
        }
        let waited = started.elapsed();
        if waited >= polling.max_wait {
            return Err(Error::WaitTimeout {
                what: what.into(),
                waited,
            });
        }
        tokio::time::sleep(polling.interval.min(polling.max_wait - waited)).await;
    }
}

#[cfg(all(test, feature = "mock"))]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::{Value, json};

    use super::*;
    use crate::mock::{self, MockTransport};
    use crate::{Request, decode_json};

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
}
