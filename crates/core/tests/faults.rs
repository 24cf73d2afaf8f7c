//! Fault injection: a small scriptable HTTP server on loopback that misbehaves on purpose.
//! Each test checks the typed error, the retries counted on the server side, and that
//! nothing panics.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agentos_core::{AgentOsClient, Error, Request, RetryPolicy};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
enum Act {
    /// Write these bytes, then close.
    Send(Vec<u8>),
    /// Write these bytes, then reset the connection (RST).
    SendThenReset(Vec<u8>),
    /// Write these bytes, then keep the connection open and silent.
    SendThenStall(Vec<u8>),
}

struct FaultServer {
    url: String,
    hits: Arc<AtomicUsize>,
}

impl FaultServer {
    /// Starts a server that answers request number `n` (0-based) with `script(n)`.
    async fn start(script: impl Fn(usize) -> Act + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let script = Arc::new(script);
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let counter = counter.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    serve(sock, counter, script).await;
                });
            }
        });
        FaultServer { url, hits }
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

async fn read_head(sock: &mut TcpStream) -> Option<()> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    loop {
        let n = sock.read(&mut byte).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&byte[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            // Drain a body announced by content-length so the client is not blocked.
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let mut have = buf.len() - end - 4;
            while have < len {
                let n = sock.read(&mut byte).await.ok()?;
                if n == 0 {
                    break;
                }
                have += n;
            }
            return Some(());
        }
    }
}

async fn serve(
    mut sock: TcpStream,
    counter: Arc<AtomicUsize>,
    script: Arc<dyn Fn(usize) -> Act + Send + Sync>,
) {
    if read_head(&mut sock).await.is_none() {
        return;
    }
    let n = counter.fetch_add(1, Ordering::SeqCst);
    match script(n) {
        Act::Send(bytes) => {
            let _ = sock.write_all(&bytes).await;
            let _ = sock.shutdown().await;
        }
        Act::SendThenReset(bytes) => {
            let _ = sock.write_all(&bytes).await;
            let _ = sock.flush().await;
            #[allow(deprecated)] // linger 0 makes the close a reset; it does not block here
            let _ = sock.set_linger(Some(Duration::ZERO));
            drop(sock);
        }
        Act::SendThenStall(bytes) => {
            let _ = sock.write_all(&bytes).await;
            let _ = sock.flush().await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    }
}

fn http(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn client(url: &str) -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(url)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

const HEALTH: &str = r#"{"status":"ok","instantiated_at":"2026-11-28T17:58:55Z"}"#;

#[tokio::test]
async fn retry_after_is_honoured_then_the_call_succeeds() {
    let server = FaultServer::start(|n| match n {
        0 => Act::Send(http(
            "503 Service Unavailable",
            "retry-after: 1\r\n",
            r#"{"detail":"busy"}"#,
        )),
        _ => Act::Send(http("200 OK", "", HEALTH)),
    })
    .await;
    let started = Instant::now();
    let health = client(&server.url).health().await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(server.hits(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_reset_mid_body_is_retried_for_get_and_typed_when_it_persists() {
    let server = FaultServer::start(|_| {
        Act::SendThenReset(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"status\":"
                .to_vec(),
        )
    })
    .await;
    let e = client(&server.url).health().await.unwrap_err();
    assert!(matches!(e, Error::Connection { .. }), "{e:?}");
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_post_that_may_have_reached_the_server_is_not_retried() {
    let server = FaultServer::start(|_| {
        Act::SendThenReset(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"
                .to_vec(),
        )
    })
    .await;
    let client = client(&server.url);
    let req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let e = client.execute(req).await.unwrap_err();
    assert!(matches!(e, Error::Connection { .. }), "{e:?}");
    assert_eq!(server.hits(), 1);

    // The same POST with an idempotency key may be retried.
    let mut req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let (k, v) = agentos_core::parse_header("Idempotency-Key", "key-1").unwrap();
    req.options.headers.insert(k, v);
    let _ = client.execute(req).await.unwrap_err();
    assert_eq!(server.hits(), 4);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_body() {
    let server = FaultServer::start(|_| Act::Send(http("200 OK", "", r#"{"status": "ok","#))).await;
    let e = client(&server.url).health().await.unwrap_err();
    match e {
        Error::Decode { body, .. } => assert_eq!(body, r#"{"status": "ok","#),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_refused_without_reading_it_all() {
    let big = format!(r#"{{"status":"{}"}}"#, "x".repeat(1 << 20));
    let server = FaultServer::start(move |_| Act::Send(http("200 OK", "", &big))).await;
    let client = AgentOsClient::builder()
        .base_url(&server.url)
        .max_body_size(64 * 1024)
        .build()
        .unwrap();
    let e = client.health().await.unwrap_err();
    assert!(matches!(e, Error::TooLarge { limit: 65536, .. }), "{e:?}");
}

fn sse_head() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n".to_vec()
}

fn sse_events(n: usize) -> Vec<u8> {
    let mut out = sse_head();
    for i in 0..n {
        out.extend_from_slice(
            format!(
                "event: RunContent\ndata: {{\"event\":\"RunContent\",\"content\":\"{i}\"}}\n\n"
            )
            .as_bytes(),
        );
    }
    out
}

async fn frames_of(client: &AgentOsClient) -> (Vec<String>, Option<Error>) {
    let req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let resp = client.execute_stream(req).await.unwrap();
    let mut frames = agentos_core::sse::frames(resp.body, 1 << 20);
    let mut got = Vec::new();
    while let Some(f) = frames.next().await {
        match f {
            Ok(f) => got.push(f.data),
            Err(e) => return (got, Some(e)),
        }
    }
    (got, None)
}

#[tokio::test]
async fn an_sse_stream_cut_after_n_events_delivers_them_then_reports_the_cut() {
    let server = FaultServer::start(|_| Act::SendThenReset(sse_events(3))).await;
    let (got, err) = frames_of(&client(&server.url)).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[2].contains("\"2\""));
    assert!(matches!(err, Some(Error::Connection { .. })), "{err:?}");
    // A stream is never re-sent once it started.
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_stalled_stream_ends_with_an_idle_timeout() {
    let server = FaultServer::start(|_| Act::SendThenStall(sse_events(2))).await;
    let client = AgentOsClient::builder()
        .base_url(&server.url)
        .stream_idle_timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let started = Instant::now();
    let (got, err) = frames_of(&client).await;
    assert_eq!(got.len(), 2);
    assert!(matches!(err, Some(Error::Timeout { .. })), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_oversized_sse_frame_is_refused() {
    let server = FaultServer::start(|_| {
        let mut out = sse_head();
        out.extend_from_slice(format!("data: {}\n\n", "y".repeat(200_000)).as_bytes());
        Act::Send(out)
    })
    .await;
    let client = client(&server.url);
    let req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let resp = client.execute_stream(req).await.unwrap();
    let mut frames = agentos_core::sse::frames(resp.body, 64 * 1024);
    let first = frames.next().await.unwrap();
    assert!(
        matches!(
            first,
            Err(Error::TooLarge {
                what: "SSE frame",
                ..
            })
        ),
        "{first:?}"
    );
}

#[tokio::test]
async fn a_stall_before_headers_is_a_timeout_on_streams_too() {
    let server = FaultServer::start(|_| Act::SendThenStall(Vec::new())).await;
    let client = AgentOsClient::builder()
        .base_url(&server.url)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let e = client.execute_stream(req).await.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert_eq!(server.hits(), 1);
}
