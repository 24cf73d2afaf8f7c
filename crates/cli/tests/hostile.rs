//! The `agentos` binary against a hostile server (agentos-hostile): what a server or a model
//! sends can never control the terminal, a closed stdout stops and cancels a streamed run, and
//! a bad `--url` is a usage error. No fixture server needed; every case has a hard time limit.

use std::process::Stdio;
use std::time::Duration;

use agentos_hostile::{HostileServer, Received, Reply, http_response, sse_head};
use serde_json::{Value, json};
use tokio::io::AsyncBufReadExt;
use tokio::process::Command;

/// The longest any case may take; they end in about a second.
const LIMIT: Duration = Duration::from_secs(30);

/// Text full of terminal controls: OSC 52 (clipboard), OSC 0 (window title), clear screen,
/// a cursor move, the 8-bit CSI and OSC, a right-to-left override, BEL, CR, DEL.
const EVIL: &str = "A\u{1b}]52;c;cHduZWQ=\u{7}B\u{1b}]0;pwned\u{7}C\u{1b}[2J\u{1b}[1;1HD\u{9b}31mE\u{9d}0;x\u{9c}F\u{202e}G\u{2066}H\rI\u{7f}J";
/// How [`EVIL`] is shown: every control as `\u{..}`.
const SHOWN: &str = "A\\u{1b}]52;c;cHduZWQ=\\u{7}B\\u{1b}]0;pwned\\u{7}C\\u{1b}[2J\\u{1b}[1;1HD\\u{9b}31mE\\u{9d}0;x\\u{9c}F\\u{202e}G\\u{2066}H\\u{d}I\\u{7f}J";

/// The binary pointed at `url`, no token, no colors unless asked.
fn agentos(url: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_agentos"));
    c.env("AGENTOS_URL", url)
        .env_remove("AGENTOS_SECURITY_KEY")
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    c
}

struct Ran {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Ran {
    fn text(&self) -> String {
        format!(
            "{}{}",
            String::from_utf8_lossy(&self.stdout),
            String::from_utf8_lossy(&self.stderr)
        )
    }
}

/// Runs to the end, within [`LIMIT`].
async fn run(mut c: Command) -> Ran {
    let out = tokio::time::timeout(LIMIT, c.output())
        .await
        .expect("the binary ends in time")
        .expect("the binary runs");
    Ran {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

/// The first control character, escape sequence or bidi control in `bytes` (as UTF-8), if
/// any; `sgr` allows our own color sequences (`ESC [ ... m`).
fn first_control(bytes: &[u8], sgr: bool) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    for (i, c) in text.char_indices() {
        if c == '\u{1b}' && sgr {
            let rest = &text[i + 1..];
            if let Some(body) = rest.strip_prefix('[') {
                let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';'));
                if end.is_some_and(|e| body[e..].starts_with('m')) {
                    continue;
                }
            }
        }
        let bad = matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if bad {
            return Some(format!("{c:?} at byte {i} in {text:?}"));
        }
    }
    None
}

#[track_caller]
fn assert_no_controls(r: &Ran, sgr: bool) {
    for bytes in [&r.stdout, &r.stderr] {
        if let Some(bad) = first_control(bytes, sgr) {
            panic!("a raw control reached the terminal: {bad}");
        }
    }
}

fn agent() -> Value {
    json!({
        "id": "evil",
        "name": EVIL,
        "description": EVIL,
        "model": {"name": EVIL, "model": EVIL, "provider": EVIL},
        "tools": [{"name": EVIL}],
    })
}

fn sse(events: &[Value]) -> Vec<u8> {
    let mut body = sse_head();
    for e in events {
        body.extend_from_slice(format!("data: {e}\n\n").as_bytes());
    }
    body
}

/// A run streaming [`EVIL`] as deltas (one escape sequence cut across two of them), a tool
/// call with it in its name and arguments, and a completion.
fn evil_run() -> Vec<u8> {
    let (head, tail) = EVIL.split_at(EVIL.find("]0;").unwrap());
    let ev = |name: &str, extra: Value| {
        let mut v = json!({"event": name, "run_id": "r1", "session_id": "s1", "agent_id": "evil"});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    };
    sse(&[
        ev("RunStarted", json!({})),
        ev("RunContent", json!({"content": head})),
        ev("RunContent", json!({"content": tail})),
        ev(
            "ToolCallStarted",
            json!({"tool": {"tool_name": EVIL, "tool_args": {"x": EVIL}}}),
        ),
        ev("RunContent", json!({"content": "\n"})),
        ev(
            "RunCompleted",
            json!({"content": EVIL, "status": "COMPLETED"}),
        ),
    ])
}

/// A paused run waiting for the confirmation of a tool named [`EVIL`].
fn evil_pause() -> Vec<u8> {
    sse(&[
        json!({"event": "RunStarted", "run_id": "r2", "session_id": "s1"}),
        json!({"event": "RunPaused", "run_id": "r2", "session_id": "s1", "status": "PAUSED",
            "tools": [{"tool_name": EVIL, "tool_args": {"q": EVIL}, "requires_confirmation": true}]}),
    ])
}

async fn evil_server() -> HostileServer {
    HostileServer::start(|req: &Received, _| {
        let json =
            |status: &str, v: Value| Reply::new().write(http_response(status, &[], &v.to_string()));
        match (req.method.as_str(), req.path()) {
            ("GET", "/agents") => json("200 OK", json!([agent()])),
            ("GET", "/agents/evil") => json("200 OK", agent()),
            ("POST", "/agents/evil/runs") => Reply::new().write(evil_run()),
            ("POST", "/agents/pause/runs") => Reply::new().write(evil_pause()),
            _ => json("404 Not Found", json!({"detail": EVIL})),
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escape_sequences_from_the_server_never_reach_the_terminal() {
    let server = evil_server().await;
    let url = server.url();
    let cases: &[(&[&str], i32)] = &[
        (&["agents", "list"], 0),
        (&["agents", "get", "evil"], 0),
        (&["agents", "get", "missing"], 1),
        (&["run", "evil", "hi", "--events"], 0),
        (&["run", "pause", "hi", "--no-input"], 3),
    ];
    for (args, code) in cases {
        for color in ["never", "always"] {
            let mut c = agentos(&url, args);
            c.args(["--color", color]);
            let r = run(c).await;
            assert_eq!(r.code, Some(*code), "{args:?}: {}", r.text());
            // With colors on, our own styles are there, and nothing else.
            assert_no_controls(&r, color == "always");
            let shown = r.text();
            // Table cells show line breaks (CR included) as spaces.
            let in_cell = SHOWN.replace("\\u{d}", " ");
            assert!(
                shown.contains(SHOWN) || shown.contains(&in_cell),
                "{args:?} {color}: {shown}"
            );
            if color == "always" && *code != 3 {
                assert!(
                    shown.contains("\u{1b}[1m")
                        || shown.contains("\u{1b}[2m")
                        || shown.contains("\u{1b}[31m")
                        || shown.contains("\u{1b}[1;31m"),
                    "{args:?}: our styles: {shown:?}"
                );
            }
        }
    }
    // The run's text is the deltas joined: the sequence cut across two is neutralised too.
    let r = run(agentos(&url, &["run", "evil", "hi"])).await;
    assert_eq!(String::from_utf8_lossy(&r.stdout), format!("{SHOWN}\n"));
    // The tool call (on stderr) is escaped too.
    assert!(String::from_utf8_lossy(&r.stderr).contains(&format!("→ {SHOWN}(x=")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_is_valid_escaped_and_decodes_to_the_original_text() {
    let server = evil_server().await;
    let url = server.url();

    let r = run(agentos(&url, &["agents", "list", "--json"])).await;
    assert_eq!(r.code, Some(0), "{}", r.text());
    assert_no_controls(&r, false);
    let v: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["data"][0]["name"], EVIL);
    assert_eq!(v["data"][0]["description"], EVIL);

    let r = run(agentos(&url, &["agents", "get", "missing", "--json"])).await;
    assert_eq!(r.code, Some(1));
    assert_no_controls(&r, false);
    // The error document is on stderr.
    let v: Value = serde_json::from_slice(&r.stderr).unwrap();
    assert!(
        v["error"]["message"].as_str().unwrap().starts_with(EVIL),
        "{v}"
    );

    let r = run(agentos(&url, &["run", "evil", "hi", "--json"])).await;
    assert_eq!(r.code, Some(0), "{}", r.text());
    assert_no_controls(&r, false);
    let lines: Vec<Value> = r
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let text: String = lines
        .iter()
        .filter(|l| l["event"] == "RunContent")
        .filter_map(|l| l["data"]["content"].as_str())
        .collect();
    assert_eq!(text, format!("{EVIL}\n"));
    assert!(lines.iter().any(|l| l["data"]["tool"]["tool_name"] == EVIL));
}

/// A server whose run streams one line, then (`more`) a line every 100 ms for 30 s, or
/// nothing at all (a long tool call), and that answers the cancel.
async fn slow_server(more: bool) -> HostileServer {
    HostileServer::start(move |req: &Received, _| match req.path() {
        "/agents/slow/runs" => {
            let frame = |text: &str| {
                format!(
                    "data: {}\n\n",
                    json!({"event": "RunContent", "run_id": "r9", "session_id": "s9", "content": text})
                )
            };
            let mut first = sse_head();
            first.extend_from_slice(
                b"data: {\"event\":\"RunStarted\",\"run_id\":\"r9\",\"session_id\":\"s9\"}\n\n",
            );
            first.extend_from_slice(frame("first line\n").as_bytes());
            let mut reply = Reply::new().write(first);
            if more {
                for i in 0..300 {
                    reply = reply
                        .sleep(Duration::from_millis(100))
                        .write(frame(&format!("line {i}\n")));
                }
            } else {
                reply = reply.stall();
            }
            reply
        }
        _ => Reply::new().write(http_response("200 OK", &[], "{}")),
    })
    .await
}

/// `agentos run slow ...` with its stdout closed after the first line: ends with 141, quietly,
/// in bounded time, and the server received the cancel of the run.
async fn closed_stdout_cancels(more: bool, json: bool) {
    let server = slow_server(more).await;
    let mut args = vec!["run", "slow", "hi", "--session", "s9"];
    if json {
        args.push("--json");
    }
    let mut child = agentos(&server.url(), &args).spawn().unwrap();
    let mut stdout = tokio::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    tokio::time::timeout(LIMIT, stdout.read_line(&mut line))
        .await
        .expect("a first line in time")
        .unwrap();
    assert!(!line.is_empty());
    // The reader goes away (`| head -1`).
    drop(stdout);
    let stderr = child.stderr.take().unwrap();
    let status = tokio::time::timeout(LIMIT, child.wait())
        .await
        .expect("the binary stops once no one reads it")
        .unwrap();
    let mut err = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut tokio::io::BufReader::new(stderr), &mut err)
        .await
        .unwrap();
    assert_eq!(status.code(), Some(141), "more={more} json={json}: {err}");
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");
    let cancel = server
        .received()
        .into_iter()
        .find(|r| r.method == "POST" && r.path() == "/agents/slow/runs/r9/cancel");
    let cancel = cancel.unwrap_or_else(|| panic!("no cancel: {:?}", server.received()));
    assert!(cancel.target.contains("session_id=s9"), "{}", cancel.target);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_cancels_a_streaming_run_and_exits_141() {
    // Noticed on the next write: text, and JSON lines.
    closed_stdout_cancels(true, false).await;
    closed_stdout_cancels(true, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_is_noticed_while_the_run_writes_nothing() {
    closed_stdout_cancels(false, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_url_is_a_usage_error_that_says_why() {
    for (url, why) in [
        ("http://h:99999", "port"),
        ("http://h/#x", "fragment"),
        ("ftp://h", "scheme"),
        ("http://user:s3cret@h:70000", "port"),
    ] {
        let r = run(agentos(url, &["config"])).await;
        assert_eq!(r.code, Some(2), "{url}: {}", r.text());
        let text = r.text();
        assert!(
            text.contains("invalid base URL") && text.contains(why),
            "{url}: {text}"
        );
        assert!(text.contains("--url"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_accepts_nothing_is_unavailable_not_a_timeout() {
    // A port nothing listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    for json in [false, true] {
        let mut c = agentos(&url, &["config", "--timeout", "5"]);
        if json {
            c.arg("--json");
        }
        let r = run(c).await;
        assert_eq!(r.code, Some(1), "{}", r.text());
        let text = r.text();
        assert!(
            text.contains(&format!("is AgentOS running at {url}")),
            "{text}"
        );
        assert!(!text.contains("--timeout"), "{text}");
    }
}
