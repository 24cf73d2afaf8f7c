//! Shared helpers of the integration tests: they run against the real AgentOS that
//! `scripts/with-agentos.sh` starts, and fail loudly when none is configured.

#![allow(dead_code)]

use agentos::AgentOsClient;

/// Reads a variable that `scripts/with-agentos.sh` exports, or fails with a clear message.
pub fn env(name: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => panic!(
            "{name} is not set: the integration tests need the fixture AgentOS. Run them with \
             `scripts/with-agentos.sh cargo nextest run` (or `scripts/test.sh`), which starts \
             the servers and exports AGENTOS_URL, AGENTOS_SECURED_URL and AGENTOS_SECURITY_KEY."
        ),
    }
}

/// The URL of the open fixture AgentOS.
pub fn url() -> String {
    env("AGENTOS_URL")
}

/// A client of the open fixture AgentOS.
pub fn client() -> AgentOsClient {
    AgentOsClient::new(url()).expect("valid AGENTOS_URL")
}

/// The URL of the fixture AgentOS that requires `AGENTOS_SECURITY_KEY`.
pub fn secured_url() -> String {
    env("AGENTOS_SECURED_URL")
}

/// The security key of the secured fixture AgentOS.
pub fn security_key() -> String {
    env("AGENTOS_SECURITY_KEY")
}

/// A client of the secured fixture AgentOS, with its key.
pub fn secured_client() -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(secured_url())
        .bearer_token(security_key())
        .build()
        .expect("valid AGENTOS_SECURED_URL")
}

/// A name no other test (or earlier run) uses: `prefix-<pid>-<nanos>-<counter>`.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh path (not created) for a test's local file, `name` as its last part. It lives in
/// the fixture's run directory (`$AGENTOS_FIXTURE_DIR/scratch/`), which `with-agentos.sh`
/// rotates away, so tests leave nothing behind in the system temp dir.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env("AGENTOS_FIXTURE_DIR"))
        .join("scratch")
        .join(unique("t"));
    std::fs::create_dir_all(&dir).expect("create the scratch dir");
    dir.join(name)
}

/// Whether the server under test is older than agno `needs` (the old-server job runs the suite
/// against agno 2.7.0); says on stderr that `what` is left out when it is.
pub async fn server_older_than(client: &AgentOsClient, needs: &str, what: &str) -> bool {
    let version = client.server_version().await.unwrap();
    let older = version.at_least(needs) == Some(false);
    if older {
        eprintln!("{what}: left out: the server is {version}, this needs agno {needs} or newer");
    }
    older
}
