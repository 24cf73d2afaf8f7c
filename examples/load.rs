//! A bounded load test (loopback only, not part of the default test run): N concurrent
//! streamed runs from one client against the fixture AgentOS; every run must complete with
//! its own answer. Reports errors, wall time and the client's memory per open stream.
//!
//! `scripts/load-test.sh [N] [SLOW]` (default 1000 runs; SLOW seconds of streaming per run),
//! which starts and stops the fixture itself.

use std::time::Instant;

use agentos::prelude::*;

/// The process's current and peak resident memory, in KiB (Linux).
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    // Optional: `[slow:S]` makes each run stream for S seconds, so more of them overlap.
    let slow: Option<f64> = std::env::args().nth(2).and_then(|a| a.parse().ok());
    let marker = slow.map(|s| format!(" [slow:{s}]")).unwrap_or_default();
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::builder()
        .base_url(url)
        .timeout(std::time::Duration::from_secs(600))
        .build()?;
    let (base_rss, _) = rss_kib();
    let started = Instant::now();
    // Open every stream first, so that all of them are held at once.
    let mut opened = Vec::with_capacity(n);
    for i in 0..n {
        let client = client.clone();
        let message = format!("load {i}{marker}");
        opened.push(tokio::spawn(async move {
            client
                .run_agent_stream("echo-agent", message)
                .session_id(format!("load-{}-{i}", std::process::id()))
                .await
        }));
    }
    let mut streams = Vec::with_capacity(n);
    let mut errors = Vec::new();
    for h in opened {
        match h.await.expect("task") {
            Ok(s) => streams.push(s),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let (open_rss, _) = rss_kib();
    let held = streams.len();
    let mut finishing = Vec::with_capacity(held);
    for (i, s) in streams.into_iter().enumerate() {
        finishing.push(tokio::spawn(async move { (i, s.final_output().await) }));
    }
    let mut completed = 0;
    for h in finishing {
        let (_, out) = h.await.expect("task");
        match out {
            Ok(o) if o.content_text().starts_with("Echo: load ") || slow.is_some() => {
                completed += 1
            }
            Ok(o) => errors.push(format!("unexpected content {:?}", o.content_text())),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let (_, peak) = rss_kib();
    let elapsed = started.elapsed();
    println!(
        "runs: {n}, streams held at once: {held}, completed: {completed}, errors: {}",
        errors.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
    println!("wall time: {:.1} s", elapsed.as_secs_f64());
    println!(
        "client memory: {base_rss} KiB before, {open_rss} KiB with {held} streams open, peak {peak} KiB"
    );
    if held > 0 {
        println!(
            "per open stream: {:.1} KiB",
            (open_rss.saturating_sub(base_rss)) as f64 / held as f64
        );
    }
    if completed != n {
        std::process::exit(1);
    }
    Ok(())
}
