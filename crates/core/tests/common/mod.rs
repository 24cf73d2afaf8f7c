//! Helpers shared by the hostile-server tests of this crate.
#![allow(dead_code)] // each test binary uses its own share of them

use std::time::Duration;

/// A generous hard limit for a case that should end within a second or two, so that a
/// loaded machine never makes it flaky while a hang still fails.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Runs a case under [`LIMIT`].
pub async fn within<T>(case: impl std::future::IntoFuture<Output = T>) -> T {
    tokio::time::timeout(LIMIT, case)
        .await
        .expect("the case ends within its hard time limit")
}

/// `[{},{},...]`: `n` empty JSON objects.
pub fn empty_objects(n: usize) -> String {
    let mut s = String::with_capacity(3 * n + 2);
    s.push('[');
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str("{}");
    }
    s.push(']');
    s
}
