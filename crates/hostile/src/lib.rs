//! Test-only: a hostile HTTP server on loopback.
//!
//! It accepts any number of connections, reads each request exactly as it arrives on the
//! socket (request line, headers, body; `content-length` or chunked), records it, and answers
//! with whatever bytes the test scripts, with pauses, stalls and resets in between. Nothing is
//! normalised: [`Received::target`] is the request target the server saw, not the URL the
//! client built, so tests assert what actually crossed the wire.
//!
//! Every wait in here is bounded: a stalled reply ends after [`STALL_LIMIT`], and a request that
//! never finishes arriving is dropped after [`READ_LIMIT`].
//!
//! ```no_run
//! # async fn demo() {
//! use agentos_hostile::{HostileServer, Reply, http_response};
//! let server = HostileServer::start(|_req, _n| {
//!     Reply::new().write(http_response("200 OK", &[], r#"{"status":"ok"}"#))
//! })
//! .await;
//! // ... point a client at server.url() ...
//! let seen = server.received();
//! # let _ = seen;
//! # }
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The longest a [`Step::Stall`] keeps a connection open and silent.
pub const STALL_LIMIT: Duration = Duration::from_secs(60);
/// The longest the server waits for a whole request to arrive.
pub const READ_LIMIT: Duration = Duration::from_secs(30);
/// The largest request (head and body) the server accepts.
pub const MAX_REQUEST: usize = 64 * 1024 * 1024;

/// One request as it arrived on the socket.
#[derive(Debug, Clone)]
pub struct Received {
    /// 0-based number of this request across all connections.
    pub index: usize,
    /// The request line as sent, e.g. `GET /agents/a%2Fb HTTP/1.1`.
    pub request_line: String,
    /// The method.
    pub method: String,
    /// The request target as sent (path and query, not normalised).
    pub target: String,
    /// The headers in order, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
}

impl Received {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path part of the target (before `?`).
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The body as (lossy) UTF-8.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One thing the server does on a connection, in order.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes exactly and flush.
    Write(Vec<u8>),
    /// Wait this long.
    Sleep(Duration),
    /// Write each byte of these bytes separately, `Duration` apart.
    Trickle(Vec<u8>, Duration),
    /// Keep the connection open and silent (at most [`STALL_LIMIT`]), then close it.
    Stall,
    /// Close the connection with a reset (RST) instead of a clean close.
    Reset,
}

/// A scripted answer: the steps run in order, then the connection is closed (unless the reply
/// says [`Reply::keep_alive`], in which case the next request on the connection is read).
#[derive(Debug, Clone, Default)]
pub struct Reply {
    steps: Vec<Step>,
    keep_alive: bool,
}

impl Reply {
    /// An empty reply (closes the connection at once).
    pub fn new() -> Self {
        Reply::default()
    }

    /// Adds a [`Step::Write`].
    pub fn write(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.steps.push(Step::Write(bytes.into()));
        self
    }

    /// Adds a [`Step::Sleep`].
    pub fn sleep(mut self, d: Duration) -> Self {
        self.steps.push(Step::Sleep(d));
        self
    }

    /// Adds a [`Step::Trickle`].
    pub fn trickle(mut self, bytes: impl Into<Vec<u8>>, gap: Duration) -> Self {
        self.steps.push(Step::Trickle(bytes.into(), gap));
        self
    }

    /// Adds a [`Step::Stall`].
    pub fn stall(mut self) -> Self {
        self.steps.push(Step::Stall);
        self
    }

    /// Adds a [`Step::Reset`].
    pub fn reset(mut self) -> Self {
        self.steps.push(Step::Reset);
        self
    }

    /// Keeps the connection open for the next request after the steps ran.
    pub fn keep_alive(mut self) -> Self {
        self.keep_alive = true;
        self
    }
}

type Script = dyn Fn(&Received, usize) -> Reply + Send + Sync;

/// A hostile server on `127.0.0.1` and a free port. Dropping it stops accepting.
pub struct HostileServer {
    addr: std::net::SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HostileServer {
    /// Starts a server that answers request number `n` (0-based, across connections) with
    /// `script(&request, n)`.
    pub async fn start(script: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let (rec, conns) = (received.clone(), connections.clone());
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                conns.fetch_add(1, Ordering::SeqCst);
                let (rec, script) = (rec.clone(), script.clone());
                tokio::spawn(serve(sock, rec, script));
            }
        });
        HostileServer {
            addr,
            received,
            connections,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far, in order of arrival.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// How many requests arrived.
    pub fn hits(&self) -> usize {
        self.received.lock().expect("lock").len()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(mut sock: TcpStream, received: Arc<Mutex<Vec<Received>>>, script: Arc<Script>) {
    let _ = sock.set_nodelay(true);
    let mut pending = Vec::new();
    loop {
        let req =
            match tokio::time::timeout(READ_LIMIT, read_request(&mut sock, &mut pending)).await {
                Ok(Some(req)) => req,
                _ => return,
            };
        let (req, n) = {
            let mut all = received.lock().expect("lock");
            let n = all.len();
            let req = Received { index: n, ..req };
            all.push(req.clone());
            (req, n)
        };
        let reply = script(&req, n);
        for step in reply.steps {
            match step {
                Step::Write(bytes) => {
                    if sock.write_all(&bytes).await.is_err() || sock.flush().await.is_err() {
                        return;
                    }
                }
                Step::Sleep(d) => tokio::time::sleep(d).await,
                Step::Trickle(bytes, gap) => {
                    for b in bytes {
                        if sock.write_all(&[b]).await.is_err() || sock.flush().await.is_err() {
                            return;
                        }
                        tokio::time::sleep(gap).await;
                    }
                }
                Step::Stall => {
                    // Silent, but notice when the client goes away.
                    let mut sink = [0u8; 1024];
                    let _ = tokio::time::timeout(STALL_LIMIT, async {
                        while let Ok(n) = sock.read(&mut sink).await {
                            if n == 0 {
                                break;
                            }
                        }
                    })
                    .await;
                    return;
                }
                Step::Reset => {
                    #[allow(deprecated)] // linger 0 makes the close a reset; it does not block here
                    let _ = sock.set_linger(Some(Duration::ZERO));
                    return;
                }
            }
        }
        if !reply.keep_alive {
            let _ = sock.shutdown().await;
            return;
        }
    }
}

async fn fill(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = sock.read(&mut chunk).await.ok()?;
    if n == 0 || buf.len() + n > MAX_REQUEST {
        return None;
    }
    buf.extend_from_slice(&chunk[..n]);
    Some(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request; `buf` carries bytes read past it (pipelining) to the next call.
async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Received> {
    let head_end = loop {
        if let Some(end) = find(buf, b"\r\n\r\n") {
            break end;
        }
        fill(sock, buf).await?;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let mut parts = request_line.splitn(3, ' ');
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    buf.drain(..head_end + 4);
    let value = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    let body = if value("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(e) = find(buf, b"\r\n") {
                    break e;
                }
                fill(sock, buf).await?;
            };
            let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            buf.drain(..line_end + 2);
            while buf.len() < size + 2 {
                fill(sock, buf).await?;
            }
            body.extend_from_slice(&buf[..size]);
            buf.drain(..size + 2);
            if size == 0 {
                break body;
            }
        }
    } else {
        let len = value("content-length")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        if len > MAX_REQUEST {
            return None;
        }
        while buf.len() < len {
            fill(sock, buf).await?;
        }
        buf.drain(..len).collect()
    };
    Some(Received {
        index: 0,
        request_line,
        method,
        target,
        headers,
        body,
    })
}

/// A complete HTTP/1.1 response with `content-length`, `connection: close` and these extra
/// headers (`content-type: application/json` unless one is given).
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        out.push_str("content-type: application/json\r\n");
    }
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ));
    out.into_bytes()
}

/// The head of a `200` event stream with no length (the body ends when the connection closes).
pub fn sse_head() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n"
        .to_vec()
}

/// The head of a response with this status and content type and no length.
pub fn open_head(status: &str, content_type: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n")
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_the_raw_target_and_the_chunked_body() {
        let server =
            HostileServer::start(|_, _| Reply::new().write(http_response("200 OK", &[], "{}")))
                .await;
        let mut sock = TcpStream::connect(("127.0.0.1", server.port()))
            .await
            .unwrap();
        sock.write_all(
            b"POST /agents/%2E%2E/runs?x=1 HTTP/1.1\r\nHost: h\r\nX-Key: k\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        )
        .await
        .unwrap();
        let mut out = Vec::new();
        sock.read_to_end(&mut out).await.unwrap();
        assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 200 OK"));
        let seen = server.received();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].target, "/agents/%2E%2E/runs?x=1");
        assert_eq!(seen[0].path(), "/agents/%2E%2E/runs");
        assert_eq!(seen[0].header("x-key"), Some("k"));
        assert_eq!(seen[0].body, b"abcde");
    }
}
