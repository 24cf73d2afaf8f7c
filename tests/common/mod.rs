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

/// Awaits `f`, failing the test when it takes longer than `secs` (a hard limit: generous, a
/// loaded 2-core machine runs the tests).
pub async fn bounded<T>(what: &str, secs: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(secs), f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not end within {secs} s"))
}

/// An AgentOS of its own, started with `scripts/agentos-instance.sh` (the script
/// `AGENTOS_INSTANCE_SCRIPT` names, with the fixture's settings) in a data dir of its own under
/// the fixture's dir, so that a test can stop, restart or kill it without disturbing the
/// others. Killed when dropped, also when the test fails.
pub struct Instance {
    script: String,
    dir: String,
    /// Its URL.
    pub url: String,
}

impl Instance {
    /// Starts one; `name` prefixes its data dir.
    pub fn start(name: &str) -> Instance {
        let mut instance = Instance {
            script: env("AGENTOS_INSTANCE_SCRIPT"),
            dir: format!("{}/{}", env("AGENTOS_FIXTURE_DIR"), unique(name)),
            url: String::new(),
        };
        instance.url = instance.control("start");
        instance
    }

    /// `scripts/agentos-instance.sh CMD DIR`: `start` (gives the URL), `stop` (SIGTERM),
    /// `kill` (SIGKILL).
    pub fn control(&self, cmd: &str) -> String {
        let out = std::process::Command::new(&self.script)
            .args([cmd, self.dir.as_str()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = std::process::Command::new(&self.script)
            .args(["kill", self.dir.as_str()])
            .output();
    }
}

/// The Rust source files under `crates/`, with their text, for the tests that read the SDK's
/// own sources. A directory whose name is in `skip_dirs` is not entered.
pub fn crate_sources(skip_dirs: &[&str]) -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if path.is_dir() {
                if !skip_dirs.contains(&name.as_ref()) {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files
}
