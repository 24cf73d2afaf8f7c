//! The Rust side of the side-by-side workloads (`crates/bench/python/client_bench.py` is the
//! Python side; `scripts/bench.sh` runs both and compares them).
//!
//! `sdk-bench WORKLOAD --url URL [--n N] [--agent ID] [--message TEXT] [--runtime current|multi]`
//!
//! - `config`: N sequential `get_config` calls;
//! - `sessions`: N sequential `get_sessions().limit(100)` pages;
//! - `stream`: N sequential streamed agent runs, every event decoded;
//! - `hold`: N streams opened at once and held (use agent `hold-<ms>` on the replay server),
//!   then drained; reports the client's memory per open stream;
//! - `seed`: N non-streamed agent runs in their own sessions, 4 at a time (fills a fresh
//!   fixture with sessions for `sessions`).
//!
//! With `--client limit`, `config` and `sessions` are made without the SDK: the same GET
//! written to one kept-alive blocking socket and the response read to its last byte, nothing
//! parsed but the head. No client can spend less CPU per call than this round trip (the kernel's
//! share of a loopback request); it is the floor the SDK's rows are read against.
//!
//! One call is made first (the cold start: process start to its response); the N calls after
//! it are timed. It prints one JSON line: `first_response_unix_ns`, `loop_cpu_s` (user + sys
//! of the whole process, from `CLOCK_PROCESS_CPUTIME_ID`), `loop_wall_s`, `items` (events or
//! sessions), and for `hold` the resident memory before and with the streams open.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use agentos::prelude::*;
use futures::StreamExt;
use serde_json::json;

struct Args {
    workload: String,
    url: String,
    n: usize,
    agent: String,
    message: String,
    multi: bool,
    limit: bool,
}

fn args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        workload: it.next().unwrap_or_else(|| usage("no workload")),
        url: std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://127.0.0.1:7777".into()),
        n: 100,
        agent: "echo-agent".into(),
        message: "bench run [story]".into(),
        multi: false,
        limit: false,
    };
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage("a flag without its value"))
        };
        match flag.as_str() {
            "--url" => a.url = value(),
            "--n" => a.n = value().parse().unwrap_or_else(|_| usage("--n N")),
            "--agent" => a.agent = value(),
            "--message" => a.message = value(),
            "--runtime" => a.multi = value() == "multi",
            "--client" => a.limit = value() == "limit",
            _ => usage(&format!("unknown flag {flag}")),
        }
    }
    a
}

fn usage(why: &str) -> ! {
    eprintln!(
        "sdk-bench: {why}\nusage: sdk-bench config|sessions|stream|hold|seed --url URL [--n N] [--agent ID] [--message TEXT] [--runtime current|multi] [--client sdk|limit]"
    );
    std::process::exit(2)
}

/// CPU time (user + sys, every thread) of this process, in seconds.
fn cpu_s() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

fn unix_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// The resident memory now, in KiB (Linux).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The timed loop of a workload: started after the warm-up call, reported as the fields
/// every workload prints (`first_response_unix_ns`, `loop_cpu_s`, `loop_wall_s`, `items`).
struct Timed {
    first: u128,
    cpu0: f64,
    wall0: Instant,
}

impl Timed {
    fn start() -> Timed {
        Timed {
            first: unix_ns(),
            cpu0: cpu_s(),
            wall0: Instant::now(),
        }
    }

    fn report(&self, items: usize) -> serde_json::Value {
        json!({
            "first_response_unix_ns": self.first.to_string(),
            "loop_cpu_s": cpu_s() - self.cpu0,
            "loop_wall_s": self.wall0.elapsed().as_secs_f64(),
            "items": items,
        })
    }
}

async fn one_stream(client: &AgentOsClient, agent: &str, message: &str) -> Result<usize> {
    let mut s = client.run_agent_stream(agent, message).await?;
    let mut n = 0;
    while let Some(ev) = s.next().await {
        std::hint::black_box(ev?);
        n += 1;
    }
    Ok(n)
}

/// One unit of the workload; returns how many items (events, sessions) it read.
async fn one(client: &AgentOsClient, a: &Args) -> Result<usize> {
    match a.workload.as_str() {
        "config" => {
            let c = client.get_config().await?;
            Ok(std::hint::black_box(c).agents.len())
        }
        "sessions" => Ok(client.get_sessions().limit(100).await?.data.len()),
        "stream" => one_stream(client, &a.agent, &a.message).await,
        other => usage(&format!("unknown workload {other}")),
    }
}

async fn run(a: Args) -> Result<serde_json::Value> {
    let client = AgentOsClient::builder()
        .base_url(&a.url)
        .timeout(std::time::Duration::from_secs(600))
        .build()?;
    match a.workload.as_str() {
        "hold" => return hold(&client, &a).await,
        "seed" => return seed(&client, &a).await,
        _ => {}
    }
    let mut items = one(&client, &a).await?;
    let timed = Timed::start();
    for _ in 0..a.n {
        items += one(&client, &a).await?;
    }
    Ok(timed.report(items))
}

/// Opens N streams at once, reads the first event of each, measures the memory, drains them.
async fn hold(client: &AgentOsClient, a: &Args) -> Result<serde_json::Value> {
    // A first stream, so that the runtime, TLS roots, pools exist before the baseline.
    let warm = one_stream(client, "echo-agent", &a.message).await?;
    let base = rss_kib();
    let timed = Timed::start();
    let mut opening = Vec::with_capacity(a.n);
    for _ in 0..a.n {
        let client = client.clone();
        let (agent, message) = (a.agent.clone(), a.message.clone());
        opening.push(tokio::spawn(async move {
            let mut s = client.run_agent_stream(&agent, message).await?;
            let first = s.next().await.transpose()?;
            Ok::<_, agentos::Error>((s, first.is_some()))
        }));
    }
    let mut streams = Vec::with_capacity(a.n);
    for h in opening {
        let (s, _) = h.await.expect("task")?;
        streams.push(s);
    }
    let open = rss_kib();
    let opened_in = timed.wall0.elapsed().as_secs_f64();
    let mut draining = Vec::with_capacity(a.n);
    for mut s in streams {
        draining.push(tokio::spawn(async move {
            let mut n = 1usize;
            while let Some(ev) = s.next().await {
                ev?;
                n += 1;
            }
            Ok::<_, agentos::Error>(n)
        }));
    }
    let mut items = warm;
    for h in draining {
        items += h.await.expect("task")?;
    }
    let mut report = timed.report(items);
    report["streams"] = json!(a.n);
    report["opened_in_s"] = json!(opened_in);
    report["rss_base_kib"] = json!(base);
    report["rss_open_kib"] = json!(open);
    report["per_stream_kib"] = json!(open.saturating_sub(base) as f64 / a.n.max(1) as f64);
    Ok(report)
}

/// N non-streamed runs, each in its own session, 4 at a time.
async fn seed(client: &AgentOsClient, a: &Args) -> Result<serde_json::Value> {
    let started = Instant::now();
    let pid = std::process::id();
    let mut done = 0;
    let ids: Vec<usize> = (0..a.n).collect();
    for batch in ids.chunks(4) {
        let runs = batch.iter().map(|i| {
            client
                .run_agent(&a.agent, format!("seed {i}: {}", a.message))
                .session_id(format!("bench-seed-{pid}-{i}"))
                .user_id("bench-user")
                .send()
        });
        for r in futures::future::join_all(runs).await {
            r?;
            done += 1;
        }
    }
    Ok(json!({ "seeded": done, "wall_s": started.elapsed().as_secs_f64() }))
}

/// One GET on a kept-alive socket: writes the request, reads the head and a
/// `content-length` body; returns the body's length. The floor of a call, no SDK.
fn raw_get(
    s: &mut std::net::TcpStream,
    request: &[u8],
    buf: &mut Vec<u8>,
) -> std::io::Result<usize> {
    use std::io::{Error, Read, Write};
    s.write_all(request)?;
    buf.clear();
    let mut chunk = [0u8; 64 * 1024];
    let mut want = None;
    loop {
        let k = s.read(&mut chunk)?;
        if k == 0 {
            return Err(Error::other("connection closed mid-response"));
        }
        buf.extend_from_slice(&chunk[..k]);
        if want.is_none() {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .ok_or_else(|| Error::other("the limit client needs content-length"))?;
                want = Some((end + 4, len));
            }
        }
        if let Some((start, len)) = want {
            if buf.len() >= start + len {
                return Ok(len);
            }
        }
    }
}

/// `--client limit`: the workload's GET over a raw socket (see the module docs).
fn limit(a: &Args) -> std::io::Result<serde_json::Value> {
    let path = match a.workload.as_str() {
        "config" => "/config",
        "sessions" => "/sessions?limit=100",
        other => usage(&format!("--client limit has no {other} workload")),
    };
    let authority = a
        .url
        .strip_prefix("http://")
        .unwrap_or_else(|| usage("--client limit needs an http:// URL"))
        .trim_end_matches('/');
    let request =
        format!("GET {path} HTTP/1.1\r\nhost: {authority}\r\naccept: application/json\r\n\r\n");
    let mut s = std::net::TcpStream::connect(authority)?;
    s.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(128 * 1024);
    let mut bytes = raw_get(&mut s, request.as_bytes(), &mut buf)?;
    let timed = Timed::start();
    for _ in 0..a.n {
        bytes += raw_get(&mut s, request.as_bytes(), &mut buf)?;
    }
    Ok(timed.report(bytes))
}

fn main() {
    let a = args();
    let (workload, n) = (a.workload.clone(), a.n);
    let (client, result) = if a.limit {
        ("limit", limit(&a).map_err(|e| e.to_string()))
    } else {
        let mut rt = if a.multi {
            tokio::runtime::Builder::new_multi_thread()
        } else {
            tokio::runtime::Builder::new_current_thread()
        };
        let rt = rt.enable_all().build().expect("a tokio runtime");
        ("rust", rt.block_on(run(a)).map_err(|e| e.to_string()))
    };
    match result {
        Ok(mut v) => {
            v["client"] = json!(client);
            v["workload"] = json!(workload);
            v["n"] = json!(n);
            println!("{v}");
        }
        Err(e) => {
            eprintln!("sdk-bench {workload} ({client}): {e}");
            std::process::exit(1);
        }
    }
}
