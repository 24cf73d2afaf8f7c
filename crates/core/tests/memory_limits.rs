//! Memory, measured as the peak RSS of a child process that runs one case (this test binary,
//! run again with `AGENTOS_MEMORY_CASE` set): a long SSE `id:` costs its bytes once, not
//! once per frame, and a body of empty JSON objects is refused before typed decoding instead
//! of costing over 100x its bytes. Linux only (it reads `/proc/self/status`).
//!
//! `cargo test -p agentos-rs-core --test memory_limits -- --nocapture` prints the numbers.
#![cfg(target_os = "linux")]

use std::process::Command;
use std::time::Duration;

use agentos_core::sse::SseDecoder;
use agentos_core::{AgentOsClient, DEFAULT_MAX_JSON_VALUES, Error, Request};
use agentos_hostile::{HostileServer, Reply, http_response};

mod common;
use common::empty_objects;

const CASE: &str = "AGENTOS_MEMORY_CASE";
const MIB: u64 = 1 << 20;

/// The peak RSS of this process so far, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number");
    kib * 1024
}

/// Runs `case` in a child process and returns its peak RSS and what it printed as `result:`.
fn in_child(case: &str) -> (u64, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CASE, case)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{case}: {stdout}");
    let field = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.split_once(name).map(|(_, v)| v))
            .unwrap_or_else(|| panic!("{case}: no {name} in {stdout}"))
            .trim()
            .to_owned()
    };
    (field("peak:").parse().unwrap(), field("result:"))
}

/// The child side: runs the case named in the environment (nothing when there is none).
#[test]
fn child() {
    let Ok(case) = std::env::var(CASE) else {
        return;
    };
    let parts: Vec<&str> = case.split(':').collect();
    let result = match parts[..] {
        ["sse", id_len] => sse_case(id_len.parse().unwrap()),
        ["json", n, limit, decode] => json_case(
            n.parse().unwrap(),
            limit.parse().unwrap(),
            decode == "decode",
        ),
        _ => panic!("unknown case {case}"),
    };
    println!("result: {result}");
    println!("peak: {}", peak_rss());
}

const FRAMES: usize = 200;

/// Decodes [`FRAMES`] frames after one `id:` line of `id_len` bytes, keeping them all.
fn sse_case(id_len: usize) -> String {
    let mut d = SseDecoder::new(4 << 20);
    d.push(format!("id: {}\n", "i".repeat(id_len)).as_bytes());
    d.push("data: x\n\n".repeat(FRAMES).as_bytes());
    let mut frames = Vec::new();
    while let Some(f) = d.next_frame().unwrap() {
        frames.push(f);
    }
    assert!(
        frames
            .iter()
            .all(|f| f.id.as_deref().map(str::len) == Some(id_len))
    );
    frames.len().to_string()
}

/// A response type of optional fields, as most of the SDK's are (the size of
/// `AgentResponse`, 360 bytes, before its id became required): `{}` decodes into one.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // decoded to measure what it costs, never read
struct Wide {
    f0: Option<String>,
    f1: Option<String>,
    f2: Option<String>,
    f3: Option<String>,
    f4: Option<String>,
    f5: Option<String>,
    f6: Option<String>,
    f7: Option<String>,
    f8: Option<String>,
    f9: Option<String>,
    f10: Option<String>,
    f11: Option<String>,
    f12: Option<String>,
    f13: Option<String>,
    f14: Option<String>,
}

/// Fetches `n` empty objects as the answer of `GET /agents` with this `max_json_values`, and
/// decodes them as a list of [`Wide`] when `decode`.
fn json_case(n: usize, limit: usize, decode: bool) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let body = std::sync::Arc::new(empty_objects(n));
        let server = HostileServer::start(move |_, _| {
            Reply::new().write(http_response("200 OK", &[], body.as_str()))
        })
        .await;
        let client = AgentOsClient::builder()
            .base_url(server.url())
            .max_json_values(limit)
            .build()
            .unwrap();
        let req = Request::get("/agents", &[]).unwrap();
        let resp = tokio::time::timeout(Duration::from_secs(60), client.execute(req))
            .await
            .expect("the call ends")
            .unwrap();
        if !decode {
            return "fetched".to_owned();
        }
        match resp.json::<Vec<Wide>>() {
            Ok(list) => format!("decoded {}", list.len()),
            Err(Error::TooManyJsonValues { .. }) => "refused".to_owned(),
            Err(other) => panic!("{other:?}"),
        }
    })
}

#[test]
fn a_long_sse_id_costs_its_bytes_once_not_once_per_frame() {
    let (small, n) = in_child("sse:1");
    assert_eq!(n, FRAMES.to_string());
    let (big, _) = in_child(&format!("sse:{}", MIB));
    println!(
        "{FRAMES} frames sharing a 1 MiB id: peak RSS {:.1} MiB (1-byte id: {:.1} MiB)",
        big as f64 / MIB as f64,
        small as f64 / MIB as f64
    );
    // A copy per frame would add FRAMES MiB.
    assert!(big < small + 16 * MIB, "{big} vs {small}");
}

#[test]
fn empty_objects_are_refused_before_they_cost_100x_their_bytes() {
    let mib = |b: u64| b as f64 / MIB as f64;
    // Without a limit: the amplification this guards against (kept small here).
    let n = 300_000;
    let len = 3 * n as u64;
    let (fetched, _) = in_child(&format!("json:{n}:{}:fetch", usize::MAX));
    let (decoded, result) = in_child(&format!("json:{n}:{}:decode", usize::MAX));
    assert_eq!(result, format!("decoded {n}"));
    let cost = decoded.saturating_sub(fetched);
    println!(
        "no limit: {n} empty objects ({:.1} MiB) cost {:.1} MiB more to decode ({}x)",
        mib(len),
        mib(cost),
        cost / len
    );
    assert!(cost > 100 * len, "{cost}");

    // The default limit: the most a body of empty objects can make a client hold.
    let n = DEFAULT_MAX_JSON_VALUES - 1;
    let (fetched, _) = in_child(&format!("json:{n}:{DEFAULT_MAX_JSON_VALUES}:fetch"));
    let (decoded, result) = in_child(&format!("json:{n}:{DEFAULT_MAX_JSON_VALUES}:decode"));
    assert_eq!(result, format!("decoded {n}"));
    println!(
        "default limit: {n} empty objects ({:.1} MiB) cost {:.1} MiB more to decode",
        mib(3 * n as u64),
        mib(decoded.saturating_sub(fetched))
    );

    // Past the limit, up to the default body size: refused by a scan that costs nothing.
    for n in [
        DEFAULT_MAX_JSON_VALUES,
        agentos_core::DEFAULT_MAX_BODY_SIZE / 3 - 1,
    ] {
        let (fetched, _) = in_child(&format!("json:{n}:{DEFAULT_MAX_JSON_VALUES}:fetch"));
        let (refused, result) = in_child(&format!("json:{n}:{DEFAULT_MAX_JSON_VALUES}:decode"));
        assert_eq!(result, "refused");
        println!(
            "{n} empty objects ({:.1} MiB): refused; peak RSS {:.1} MiB, {:.1} MiB to fetch alone",
            mib(3 * n as u64),
            mib(refused),
            mib(fetched)
        );
        assert!(refused < fetched + 8 * MIB, "{refused} vs {fetched}");
    }
}
