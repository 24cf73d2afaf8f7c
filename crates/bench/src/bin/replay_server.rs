//! A loopback HTTP/1.1 server that replays recorded AgentOS responses at full speed, so that
//! benchmarks measure the client and not the Python server.
//!
//! `replay-server [--port N] [--port-file FILE] [--data DIR]` (default port 0 = a free one,
//! data `crates/bench/data`). It prints `REPLAY_PORT=<port>` once it listens.
//!
//! Routes (the query string is ignored; request bodies are read and dropped):
//!
//! | request | answer |
//! |---|---|
//! | `GET /health` | `{"status":"ok"}` |
//! | `GET /config`, `/agents`, `/teams`, `/workflows` | `config.json`, `agents.json`, `teams.json`, `workflows.json` |
//! | `GET /agents/{id}` | `agent.json` |
//! | `GET /sessions` | `sessions-page.json` (100 sessions) |
//! | `GET /sessions/{id}` | `session-detail.json` (with chat history) |
//! | `GET /traces/{id}` | `trace.json` (a 39-span tree) |
//! | `POST /agents/{id}/runs` | `agent-story.sse` (113 events) |
//! | `POST /agents/hold-{ms}/runs` | the same, but the last 3 events only after `ms` milliseconds (holds streams open) |
//! | `POST /teams/{id}/runs` | `team-delegate.sse` |
//! | `POST /workflows/{id}/runs` | `workflow.sse` |
//!
//! Why hand-written rather than hyper: every response is rendered once at start-up (status
//! line, headers, body; SSE as one chunk per event, as uvicorn sends them), and a request
//! costs one header scan and one `write_all` of shared bytes: the server does as little work
//! as a server can, and adds no dependency or feature to the tree. It runs on one thread, so
//! the other core is left to the client under test.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A rendered response: the bytes to write, and for held streams where to pause.
struct Canned {
    bytes: Arc<[u8]>,
    /// For streams: the byte offset before the last 3 events.
    hold_at: usize,
}

struct Routes {
    exact: Vec<(&'static str, &'static str, Canned)>,
    agent: Canned,
    session: Canned,
    trace: Canned,
    agent_run: Canned,
    team_run: Canned,
    workflow_run: Canned,
    not_found: Canned,
}

fn json(body: &[u8]) -> Canned {
    json_status("200 OK", body)
}

fn json_status(status: &str, body: &[u8]) -> Canned {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    Canned {
        hold_at: out.len(),
        bytes: out.into(),
    }
}

/// An SSE body in chunked encoding, one chunk per event (as uvicorn writes them).
fn sse(body: &[u8]) -> Canned {
    let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    let mut ends = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let n = find(rest, b"\n\n").map_or(rest.len(), |i| i + 2);
        out.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        out.extend_from_slice(&rest[..n]);
        out.extend_from_slice(b"\r\n");
        ends.push(out.len());
        rest = &rest[n..];
    }
    out.extend_from_slice(b"0\r\n\r\n");
    let hold_at = if ends.len() > 3 {
        ends[ends.len() - 4]
    } else {
        0
    };
    Canned {
        bytes: out.into(),
        hold_at,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Routes {
    fn load(dir: &Path) -> Routes {
        let mut exact = vec![("GET", "/health", json(br#"{"status":"ok"}"#))];
        for (path, file) in [
            ("/config", "config.json"),
            ("/agents", "agents.json"),
            ("/teams", "teams.json"),
            ("/workflows", "workflows.json"),
            ("/sessions", "sessions-page.json"),
        ] {
            exact.push(("GET", path, json(&read(dir, file))));
        }
        Routes {
            exact,
            agent: json(&read(dir, "agent.json")),
            session: json(&read(dir, "session-detail.json")),
            trace: json(&read(dir, "trace.json")),
            agent_run: sse(&read(dir, "agent-story.sse")),
            team_run: sse(&read(dir, "team-delegate.sse")),
            workflow_run: sse(&read(dir, "workflow.sse")),
            not_found: json_status("404 Not Found", br#"{"detail":"Not Found"}"#),
        }
    }

    /// The response for a request, and how long to hold it before its last events.
    fn route(&self, method: &str, path: &str) -> (&Canned, Option<Duration>) {
        let path = path.split('?').next().unwrap_or(path);
        if let Some((_, _, canned)) = self
            .exact
            .iter()
            .find(|(m, p, _)| *m == method && *p == path)
        {
            return (canned, None);
        }
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (method, segs.as_slice()) {
            ("GET", ["agents", _]) => (&self.agent, None),
            ("GET", ["sessions", _]) => (&self.session, None),
            ("GET", ["traces", _]) => (&self.trace, None),
            ("POST", ["agents", id, "runs"]) => {
                let hold = id
                    .strip_prefix("hold-")
                    .and_then(|ms| ms.parse().ok())
                    .map(Duration::from_millis);
                (&self.agent_run, hold)
            }
            ("POST", ["teams", _, "runs"]) => (&self.team_run, None),
            ("POST", ["workflows", _, "runs"]) => (&self.workflow_run, None),
            _ => (&self.not_found, None),
        }
    }
}

/// Serves one keep-alive connection until the client closes it.
async fn serve(mut sock: TcpStream, routes: Arc<Routes>) -> std::io::Result<()> {
    sock.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(8 * 1024);
    let mut tmp = vec![0u8; 16 * 1024];
    loop {
        // The request head.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            let n = sock.read(&mut tmp).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&tmp[..n]);
        };
        let head = std::str::from_utf8(&buf[..head_end]).unwrap_or("");
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or("").split(' ');
        let method = first.next().unwrap_or("").to_owned();
        let path = first.next().unwrap_or("/").to_owned();
        let mut body_len = 0usize;
        let mut close = false;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                body_len = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                // Not sent by the clients under test (they send sized bodies).
                sock.write_all(b"HTTP/1.1 411 Length Required\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await?;
                return Ok(());
            }
        }
        // The body, read and dropped.
        buf.drain(..head_end);
        while buf.len() < body_len {
            let n = sock.read(&mut tmp).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&tmp[..n]);
        }
        buf.drain(..body_len);

        let (canned, hold) = routes.route(&method, &path);
        match hold {
            None => sock.write_all(&canned.bytes).await?,
            Some(wait) => {
                sock.write_all(&canned.bytes[..canned.hold_at]).await?;
                tokio::time::sleep(wait).await;
                sock.write_all(&canned.bytes[canned.hold_at..]).await?;
            }
        }
        if close {
            return Ok(());
        }
    }
}

fn main() -> std::io::Result<()> {
    let mut port = 0u16;
    let mut port_file: Option<PathBuf> = None;
    let mut data = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().expect("a value after the flag");
        match a.as_str() {
            "--port" => port = value().parse().expect("--port N"),
            "--port-file" => port_file = Some(value().into()),
            "--data" => data = value().into(),
            other => {
                eprintln!(
                    "usage: replay-server [--port N] [--port-file FILE] [--data DIR] (got {other})"
                );
                std::process::exit(2);
            }
        }
    }
    let routes = Arc::new(Routes::load(&data));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let port = listener.local_addr()?.port();
        if let Some(f) = &port_file {
            std::fs::write(f, port.to_string())?;
        }
        println!("REPLAY_PORT={port}");
        loop {
            let (sock, _) = listener.accept().await?;
            let routes = routes.clone();
            tokio::spawn(async move {
                let _ = serve(sock, routes).await;
            });
        }
    })
}
