//! The benchmark tools work: the replay server serves the recorded responses, and `sdk-bench`
//! runs each workload against it and reports what it read (so `scripts/bench.sh`, which is
//! not part of the test suite, does not rot unnoticed).

#![cfg(all(feature = "runs", feature = "sessions"))]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Replay {
    child: Child,
    url: String,
}

impl Drop for Replay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn replay() -> Replay {
    let mut child = Command::new(env!("CARGO_BIN_EXE_replay-server"))
        .args(["--data", concat!(env!("CARGO_MANIFEST_DIR"), "/data")])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start replay-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("REPLAY_PORT=")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let url = format!("http://127.0.0.1:{port}");
    Replay { child, url }
}

fn bench(url: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sdk-bench"))
        .args(args)
        .args(["--url", url])
        .output()
        .expect("run sdk-bench");
    assert!(
        out.status.success(),
        "sdk-bench {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON line")
}

#[test]
fn each_workload_reads_the_recorded_responses() {
    let server = replay();
    let recorded_agents = {
        let config: serde_json::Value =
            serde_json::from_slice(&std::fs::read("data/config.json").unwrap()).unwrap();
        config["agents"].as_array().unwrap().len() as u64
    };
    // 1 warm-up call + n timed ones, each counting what it read.
    let config = bench(&server.url, &["config", "--n", "3"]);
    assert_eq!(config["items"], recorded_agents * 4);
    assert!(config["loop_cpu_s"].as_f64().unwrap() > 0.0);
    let sessions = bench(&server.url, &["sessions", "--n", "2"]);
    assert_eq!(sessions["items"], 300, "three pages of 100 sessions");
    // The limit client reads the same responses byte for byte, decoding nothing.
    for (workload, file) in [
        ("config", "config.json"),
        ("sessions", "sessions-page.json"),
    ] {
        let bytes = std::fs::metadata(format!("data/{file}")).unwrap().len();
        let limit = bench(&server.url, &[workload, "--n", "3", "--client", "limit"]);
        assert_eq!(limit["client"], "limit");
        assert_eq!(limit["items"], bytes * 4, "{workload}: four whole bodies");
    }
    let stream = bench(&server.url, &["stream", "--n", "1"]);
    let events = std::fs::read_to_string("data/agent-story.sse")
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("event: "))
        .count() as u64;
    assert_eq!(stream["items"], events * 2, "every recorded event, twice");
    let hold = bench(
        &server.url,
        &[
            "hold",
            "--n",
            "20",
            "--agent",
            "hold-200",
            "--runtime",
            "multi",
        ],
    );
    assert_eq!(hold["streams"], 20);
    assert!(hold["per_stream_kib"].as_f64().is_some());
}
