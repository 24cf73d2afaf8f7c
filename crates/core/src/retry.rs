//! The retry policy: one layer, in the client, so retries never multiply.
//!
//! What is retried:
//! - a connection that could not be made (the request never left): any method;
//! - HTTP 429 (the server refused the request) and HTTP 409 with `Retry-After` (AgentOS says
//!   a run is still settling): any method;
//! - HTTP 502, 503 and 504, timeouts and broken connections: idempotent requests only (GET,
//!   HEAD, OPTIONS, PUT, DELETE, a request marked idempotent, or one that carries an
//!   `Idempotency-Key`). A POST that starts a run is never sent twice unless the caller gave
//!   an idempotency key.
//!
//! The wait is the server's `Retry-After` when it sent one, otherwise an exponential backoff
//! with equal jitter (half fixed, half random), capped; the attempts and the total time are capped too.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http::Method;

use crate::error::Error;

/// How a call is retried. [`RetryPolicy::default`] is on for every client;
/// [`RetryPolicy::none`] turns retries off.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The most attempts in all (1 = no retry).
    pub max_attempts: u32,
    /// The first backoff.
    pub initial_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// The longest total time spent waiting between attempts.
    pub max_elapsed: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The default policy with another number of attempts.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The default policy with other backoff bounds.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The default policy with another cap on the total waiting time.
    pub fn with_max_elapsed(mut self, max: Duration) -> Self {
        self.max_elapsed = max;
        self
    }

    /// The backoff before retry number `retry` (1-based), with equal jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let cap = exp.min(self.max_backoff);
        // Equal jitter: uniform in [cap/2, cap] (never shorter than half the backoff, unlike full
        // jitter's [0, cap]), so a retry storm spreads out.
        let half = cap / 2;
        let span = (cap - half).as_nanos() as u64;
        if span == 0 {
            return cap;
        }
        half + Duration::from_nanos(jitter() % (span + 1))
    }

    /// How long to wait before the next attempt, or `None` to stop.
    pub(crate) fn next_delay(
        &self,
        error: &Error,
        idempotent: bool,
        attempt: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !retryable(error, idempotent) {
            return None;
        }
        let delay = match error.retry_after() {
            Some(after) if after > self.max_retry_after => return None,
            Some(after) => after,
            None => self.backoff(attempt),
        };
        if waited + delay > self.max_elapsed {
            return None;
        }
        Some(delay)
    }
}

/// Whether `error` may be retried for a request that is (or is not) idempotent.
/// [`Error::is_retryable`] is this classifier for an idempotent call.
pub(crate) fn retryable(error: &Error, idempotent: bool) -> bool {
    match error {
        Error::RemoteServerUnavailable { .. } => true,
        Error::Timeout { .. } | Error::Connection { .. } => idempotent,
        Error::Http(e) => match e.status.as_u16() {
            429 => true,
            409 => e.retry_after.is_some(),
            502..=504 => idempotent,
            _ => false,
        },
        _ => false,
    }
}

/// Whether a method is idempotent by definition.
pub(crate) fn idempotent_method(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
    )
}

/// A cheap pseudo-random number (splitmix64 over the clock and a counter): enough to spread
/// retries, no crate needed.
fn jitter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = nanos ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HttpError;
    use http::{HeaderMap, StatusCode};

    fn http(status: u16, retry_after: Option<&str>) -> Error {
        let mut h = HeaderMap::new();
        if let Some(r) = retry_after {
            h.insert(http::header::RETRY_AFTER, r.parse().unwrap());
        }
        Error::Http(Box::new(HttpError::from_response(
            StatusCode::from_u16(status).unwrap(),
            Method::GET,
            "/x",
            &h,
            b"{}",
        )))
    }

    fn unavailable() -> Error {
        Error::RemoteServerUnavailable {
            base_url: "http://x".into(),
            source: "refused".into(),
        }
    }

    #[test]
    fn what_is_retried() {
        assert!(retryable(&unavailable(), false));
        assert!(retryable(&http(429, None), false));
        assert!(retryable(&http(409, Some("1")), false));
        assert!(!retryable(&http(409, None), true));
        assert!(retryable(&http(503, None), true));
        assert!(!retryable(&http(503, None), false));
        assert!(!retryable(&http(500, None), true));
        assert!(!retryable(&http(404, None), true));
        let timeout = Error::Timeout {
            method: Method::POST,
            route: "/x".into(),
            after: Duration::from_secs(1),
        };
        assert!(!retryable(&timeout, false));
        assert!(retryable(&timeout, true));
    }

    #[test]
    fn is_retryable_is_the_classifier_for_an_idempotent_call() {
        // The two used to disagree: `is_retryable` said no to a 409 the client itself retries.
        assert!(http(409, Some("1")).is_retryable());
        for e in [
            unavailable(),
            http(409, Some("1")),
            http(409, None),
            http(429, None),
            http(500, None),
            http(502, None),
            http(503, None),
            http(504, None),
            http(404, None),
            Error::InvalidRequest("x".into()),
        ] {
            assert_eq!(e.is_retryable(), retryable(&e, true), "{e}");
        }
    }

    #[test]
    fn attempts_elapsed_time_and_retry_after_are_capped() {
        let p = RetryPolicy::default();
        assert!(
            p.next_delay(&http(503, None), true, 1, Duration::ZERO)
                .is_some()
        );
        assert!(
            p.next_delay(&http(503, None), true, 3, Duration::ZERO)
                .is_none()
        );
        assert_eq!(
            p.next_delay(&http(503, Some("2")), true, 1, Duration::ZERO),
            Some(Duration::from_secs(2))
        );
        assert!(
            p.next_delay(&http(503, Some("3600")), true, 1, Duration::ZERO)
                .is_none()
        );
        assert!(
            p.next_delay(&http(503, Some("2")), true, 1, Duration::from_secs(29))
                .is_none()
        );
        assert!(
            RetryPolicy::none()
                .next_delay(&unavailable(), true, 1, Duration::ZERO)
                .is_none()
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_stays_capped() {
        let p =
            RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1));
        for _ in 0..100 {
            let b1 = p.backoff(1);
            assert!(
                b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100),
                "{b1:?}"
            );
            let b3 = p.backoff(3);
            assert!(
                b3 >= Duration::from_millis(200) && b3 <= Duration::from_millis(400),
                "{b3:?}"
            );
            let b9 = p.backoff(9);
            assert!(
                b9 >= Duration::from_millis(500) && b9 <= Duration::from_secs(1),
                "{b9:?}"
            );
        }
    }
}
