//! Test helpers (feature `mock`): a kit for your application's tests.
//!
//! - [`MockServer`]: a scripted AgentOS. It answers in the order you script, matching each
//!   request on its method and route template (or concrete path), its client neither retries
//!   nor sleeps, and a request out of script (or an answer never requested) fails with a
//!   report of every call seen. Answers are [`Canned`]: built from the SDK's own types
//!   (`Canned::json(&AgentResponse::new("id"))`), errors, or event streams from typed events.
//! - [`MockTransport`]: a `mockall` mock of [`Transport`](crate::Transport) ([`mockall`] is
//!   re-exported), and helpers around it: canned [`TransportResponse`]s ([`json`], [`error`],
//!   [`sse`]), a [`recording`] client and request readers ([`path`], [`query`],
//!   [`json_body`], [`form_fields`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> agentos_core::Result<()> {
//! use agentos_core::mock::{Canned, MockServer};
//! use agentos_core::ConfigResponse;
//!
//! let server = MockServer::new();
//! server.get("/config").respond(Canned::json(&ConfigResponse::new("test-os")));
//! assert_eq!(server.client().get_config().await?.os_id, "test-os");
//! # Ok(()) }
//! ```
//!
//! With the mockall mock:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> agentos_core::Result<()> {
//! use agentos_core::mock::{self, MockTransport};
//!
//! let mut transport = MockTransport::new();
//! transport
//!     .expect_send()
//!     .withf(|req| req.url.ends_with("/agents/missing"))
//!     .returning(|_| Ok(mock::error(404, "Agent not found")));
//! let client = mock::client(transport);
//! let err = client.get_agent("missing").await.unwrap_err();
//! assert!(err.is_not_found());
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method, StatusCode};
use serde::Serialize;

use crate::client::AgentOsClient;
use crate::request::Body;
use crate::retry::RetryPolicy;
pub use crate::transport::MockTransport;
use crate::transport::{ByteStream, HttpRequest, TransportResponse};

/// The base URL of [`client`].
pub const BASE_URL: &str = "http://agentos.test";

/// A client for [`BASE_URL`] that sends through `transport`.
pub fn client(transport: MockTransport) -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(BASE_URL)
        .transport(transport)
        .build()
        .expect("the mock base URL is valid")
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn headers(content_type: &'static str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    h
}

/// A JSON response.
pub fn json(code: u16, body: serde_json::Value) -> TransportResponse {
    TransportResponse::buffered(status(code), headers("application/json"), body.to_string())
}

/// An empty response (e.g. 204).
pub fn empty(code: u16) -> TransportResponse {
    TransportResponse::buffered(status(code), HeaderMap::new(), Bytes::new())
}

/// An error response with AgentOS's `{"detail": "..."}` body.
pub fn error(code: u16, detail: &str) -> TransportResponse {
    json(code, serde_json::json!({ "detail": detail }))
}

/// A server-sent-event stream of `(event name, data)` frames, as AgentOS writes them.
pub fn sse<I, S>(frames: I) -> TransportResponse
where
    I: IntoIterator<Item = (S, serde_json::Value)>,
    S: AsRef<str>,
{
    sse_raw([sse_body(frames)])
}

/// A server-sent-event stream delivered in exactly these chunks.
pub fn sse_raw<I, C>(chunks: I) -> TransportResponse
where
    I: IntoIterator<Item = C>,
    C: Into<Bytes>,
{
    let chunks: Vec<crate::Result<Bytes>> = chunks.into_iter().map(|c| Ok(c.into())).collect();
    let body: ByteStream = Box::pin(futures::stream::iter(chunks));
    TransportResponse::streaming(StatusCode::OK, headers("text/event-stream"), body)
}

/// The form fields of a request (url-encoded or multipart), for assertions.
pub fn form_fields(req: &HttpRequest) -> Vec<(String, String)> {
    match &req.body {
        Body::Form(f) => f.fields.clone(),
        Body::Multipart(m) => m.fields.fields.clone(),
        _ => Vec::new(),
    }
}

/// The JSON body of a request, for assertions.
pub fn json_body(req: &HttpRequest) -> Option<serde_json::Value> {
    match &req.body {
        Body::Json(b) => serde_json::from_slice(b).ok(),
        _ => None,
    }
}

/// The requests a [`recording`] transport saw, in order.
pub type Recorded = Arc<Mutex<Vec<HttpRequest>>>;

/// A client whose transport records every request and answers it with `answer(request)`.
/// Retries are off, so each call is one request.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use agentos_core::mock;
/// let (client, seen) = mock::recording(|_| mock::json(200, serde_json::json!([])));
/// client.list_agents().header("x-request-id", "7").await.unwrap();
/// let seen = seen.lock().unwrap();
/// assert_eq!(mock::path(&seen[0]), "/agents");
/// assert_eq!(seen[0].headers["x-request-id"], "7");
/// # }
/// ```
pub fn recording(
    answer: impl Fn(&HttpRequest) -> TransportResponse + Send + Sync + 'static,
) -> (AgentOsClient, Recorded) {
    recording_with(RetryPolicy::none(), answer)
}

/// [`recording`] with a retry policy.
pub fn recording_with(
    policy: RetryPolicy,
    answer: impl Fn(&HttpRequest) -> TransportResponse + Send + Sync + 'static,
) -> (AgentOsClient, Recorded) {
    let seen: Recorded = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut t = MockTransport::new();
    t.expect_send().returning(move |req| {
        if let Ok(mut l) = log.lock() {
            l.push(req.clone());
        }
        Ok(answer(&req))
    });
    let client = AgentOsClient::builder()
        .base_url(BASE_URL)
        .transport(t)
        .retry_policy(policy)
        .build()
        .expect("the mock base URL is valid");
    (client, seen)
}

/// [`recording`] whose answer also gets the request's number (0 for the first), for a
/// script of answers: a first page then a second, a failure then a success.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use agentos_core::mock;
/// let (client, _) = mock::recording_numbered(|n, _| match n {
///     0 => mock::error(404, "not yet"),
///     _ => mock::json(200, serde_json::json!([])),
/// });
/// assert!(client.list_agents().await.is_err());
/// assert!(client.list_agents().await.is_ok());
/// # }
/// ```
pub fn recording_numbered(
    answer: impl Fn(usize, &HttpRequest) -> TransportResponse + Send + Sync + 'static,
) -> (AgentOsClient, Recorded) {
    let n = std::sync::atomic::AtomicUsize::new(0);
    recording(move |req| answer(n.fetch_add(1, std::sync::atomic::Ordering::SeqCst), req))
}

/// A client whose transport fails the test if it is called (for checks before sending).
pub fn never_called() -> AgentOsClient {
    let mut t = MockTransport::new();
    t.expect_send().never();
    client(t)
}

/// The path of a recorded request, without the base URL and the query.
pub fn path(req: &HttpRequest) -> &str {
    request_path(req)
}

/// The decoded query pairs of a recorded request, in order.
pub fn query(req: &HttpRequest) -> Vec<(String, String)> {
    match req.url.split_once('?') {
        Some((_, q)) => form_urlencoded::parse(q.as_bytes()).into_owned().collect(),
        None => Vec::new(),
    }
}

/// The value of the query parameter `name` of a recorded request, parsed as `T`; `None`
/// when it is absent or does not parse.
///
/// ```
/// use agentos_core::{HttpRequest, http::Method, mock};
/// let req = HttpRequest::new(Method::GET, "http://agentos.test/memories?page=3&limit=20");
/// assert_eq!(mock::query_value::<u32>(&req, "page"), Some(3));
/// assert_eq!(mock::query_value::<u32>(&req, "user_id"), None);
/// ```
pub fn query_value<T: std::str::FromStr>(req: &HttpRequest, name: &str) -> Option<T> {
    query(req)
        .into_iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

/// Owned `(name, value)` pairs, to compare with [`query`].
///
/// ```
/// use agentos_core::{HttpRequest, http::Method, mock};
/// let req = HttpRequest::new(Method::GET, "http://agentos.test/memories?page=3");
/// assert_eq!(mock::query(&req), mock::pairs(&[("page", "3")]));
/// ```
pub fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// `mockall` itself, for [`MockTransport`]'s predicates (`mockall::predicate::*`) and
/// sequences, without adding it to your own dependencies.
pub use mockall;

/// A canned answer of a [`MockServer`]: a status, headers and a body built from the SDK's own
/// types (or raw JSON), a server-sent-event stream of typed events, or a server that cannot be
/// reached.
///
/// ```
/// use agentos_core::AgentResponse;
/// use agentos_core::mock::Canned;
///
/// let mut agent = AgentResponse::new("echo-agent");
/// agent.name = Some("Echo".into());
/// let ok = Canned::json(&agent);
/// let missing = Canned::error(404, "Agent not found");
/// let busy = Canned::error(429, "slow down").header("retry-after", "30");
/// ```
#[derive(Debug, Clone)]
pub struct Canned {
    status: StatusCode,
    headers: HeaderMap,
    body: CannedBody,
}

#[derive(Debug, Clone)]
enum CannedBody {
    Bytes(Bytes),
    Chunks(Vec<Bytes>),
    Unavailable,
}

impl Canned {
    /// 200 with `value` serialized as JSON: any response type of the SDK (built with its
    /// constructor, e.g. `AgentResponse::new(id)`), a `serde_json::Value`, or your own type.
    ///
    /// # Panics
    ///
    /// When `value` cannot be serialized as JSON (a map with non-string keys): a bug in the
    /// test, reported where it is.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Self {
        let body = serde_json::to_vec(value)
            .unwrap_or_else(|e| panic!("Canned::json: the value does not serialize: {e}"));
        Canned {
            status: StatusCode::OK,
            headers: headers("application/json"),
            body: CannedBody::Bytes(body.into()),
        }
    }

    /// An error with AgentOS's `{"detail": "..."}` body.
    pub fn error(code: u16, detail: &str) -> Self {
        Canned::json(&serde_json::json!({ "detail": detail })).status(code)
    }

    /// An empty body with this status (e.g. 204).
    pub fn empty(code: u16) -> Self {
        Canned {
            status: status(code),
            headers: HeaderMap::new(),
            body: CannedBody::Bytes(Bytes::new()),
        }
    }

    /// A server-sent-event stream of typed events, as AgentOS writes it: each event is
    /// serialized with its own `Serialize` (the run events of the `runs` area serialize as
    /// `{"event": NAME, "data": {...}}`; a flat object with an `event` field works too) and
    /// written as one `event:`/`data:` frame.
    ///
    /// ```
    /// use agentos_core::mock::Canned;
    /// use serde_json::json;
    /// let stream = Canned::events([
    ///     json!({"event": "RunStarted", "data": {"run_id": "r1"}}),
    ///     json!({"event": "RunContent", "data": {"run_id": "r1", "content": "Hi"}}),
    ///     json!({"event": "RunCompleted", "data": {"run_id": "r1", "content": "Hi"}}),
    /// ]);
    /// ```
    ///
    /// # Panics
    ///
    /// When an event does not serialize to an object with a string `event` field.
    pub fn events<I, E>(events: I) -> Self
    where
        I: IntoIterator<Item = E>,
        E: Serialize,
    {
        let frames = events.into_iter().map(|event| {
            let value = serde_json::to_value(&event)
                .unwrap_or_else(|e| panic!("Canned::events: an event does not serialize: {e}"));
            let name = value
                .get("event")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_else(|| {
                    panic!("Canned::events: {value} has no `event` name to write the frame with")
                })
                .to_owned();
            let data = match value {
                serde_json::Value::Object(mut m) if m.contains_key("data") && m.len() == 2 => {
                    m.remove("data").unwrap_or_default()
                }
                other => other,
            };
            (name, data)
        });
        Canned::frames(frames)
    }

    /// A server-sent-event stream of `(event name, data)` frames.
    pub fn frames<I, S>(frames: I) -> Self
    where
        I: IntoIterator<Item = (S, serde_json::Value)>,
        S: AsRef<str>,
    {
        Canned::chunks([sse_body(frames)])
    }

    /// A server-sent-event stream delivered in exactly these chunks (to test frames split
    /// anywhere).
    pub fn chunks<I, C>(chunks: I) -> Self
    where
        I: IntoIterator<Item = C>,
        C: Into<Bytes>,
    {
        Canned {
            status: StatusCode::OK,
            headers: headers("text/event-stream"),
            body: CannedBody::Chunks(chunks.into_iter().map(Into::into).collect()),
        }
    }

    /// No answer at all: the call fails as if the server could not be reached
    /// ([`Error::RemoteServerUnavailable`](crate::Error::RemoteServerUnavailable)).
    pub fn unavailable() -> Self {
        Canned {
            status: StatusCode::SERVICE_UNAVAILABLE,
            headers: HeaderMap::new(),
            body: CannedBody::Unavailable,
        }
    }

    /// The same body with another status.
    pub fn status(mut self, code: u16) -> Self {
        self.status = status(code);
        self
    }

    /// Adds a header (e.g. `retry-after`). An invalid name or value is left out.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(n), Ok(v)) = (
            http::header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.insert(n, v);
        }
        self
    }

    fn answer(&self, req: &HttpRequest) -> crate::Result<TransportResponse> {
        let headers = self.headers.clone();
        Ok(match &self.body {
            CannedBody::Bytes(b) => TransportResponse::buffered(self.status, headers, b.clone()),
            CannedBody::Chunks(chunks) => {
                let chunks: Vec<crate::Result<Bytes>> = chunks.iter().cloned().map(Ok).collect();
                let body: ByteStream = Box::pin(futures::stream::iter(chunks));
                TransportResponse::streaming(self.status, headers, body)
            }
            CannedBody::Unavailable => {
                return Err(crate::Error::RemoteServerUnavailable {
                    base_url: req.base_url.clone(),
                    source: "connection refused (a canned answer of the mock server)".into(),
                });
            }
        })
    }
}

fn sse_body<I, S>(frames: I) -> String
where
    I: IntoIterator<Item = (S, serde_json::Value)>,
    S: AsRef<str>,
{
    let mut body = String::new();
    for (name, data) in frames {
        body.push_str("event: ");
        body.push_str(name.as_ref());
        body.push_str("\ndata: ");
        body.push_str(&data.to_string());
        body.push_str("\n\n");
    }
    body
}

type Predicate = Box<dyn Fn(&HttpRequest) -> bool + Send + Sync>;

struct Expectation {
    method: Method,
    route: String,
    when: Option<(String, Predicate)>,
    answer: Canned,
    times: usize,
}

impl Expectation {
    fn matches(&self, req: &HttpRequest) -> bool {
        if req.method != self.method {
            return false;
        }
        let path = request_path(req);
        let route_ok = req.route == self.route
            || path == self.route
            || percent_encoding::percent_decode_str(path).decode_utf8_lossy() == self.route;
        route_ok && self.when.as_ref().is_none_or(|(_, f)| f(req))
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.route)?;
        if let Some((what, _)) = &self.when {
            write!(f, " when {what}")?;
        }
        if self.times > 1 {
            write!(f, " ({} more times)", self.times)?;
        }
        Ok(())
    }
}

/// The path of a request without the client's base URL (or, when the request does not say
/// it, the origin of its URL) and the query.
fn request_path(req: &HttpRequest) -> &str {
    let base = req.base_url.trim_end_matches('/');
    let rest = match req.url.strip_prefix(base) {
        Some(rest) if !base.is_empty() => rest,
        _ => req
            .url
            .find("://")
            .and_then(|i| req.url[i + 3..].find('/').map(|j| &req.url[i + 3 + j..]))
            .unwrap_or(&req.url),
    };
    rest.split(['?', '#']).next().unwrap_or(rest)
}

fn describe(req: &HttpRequest) -> String {
    let path = request_path(req);
    if req.route == path || req.route.is_empty() {
        format!("{} {path}", req.method)
    } else {
        format!("{} {} ({path})", req.method, req.route)
    }
}

#[derive(Default)]
struct Script {
    expected: VecDeque<Expectation>,
    seen: Vec<(HttpRequest, bool)>,
    failures: Vec<String>,
}

impl Script {
    fn report(&self) -> String {
        let mut out = String::from("calls seen, in order:");
        if self.seen.is_empty() {
            out.push_str(" none");
        }
        for (i, (req, answered)) in self.seen.iter().enumerate() {
            let how = if *answered {
                "answered"
            } else {
                "NOT in the script"
            };
            out.push_str(&format!("\n  #{} {} -> {how}", i + 1, describe(req)));
        }
        out.push_str("\nstill scripted:");
        if self.expected.is_empty() {
            out.push_str(" nothing");
        }
        for e in &self.expected {
            out.push_str(&format!("\n  {e}"));
        }
        out
    }

    fn next(&mut self, req: HttpRequest) -> crate::Result<TransportResponse> {
        let matched = self.expected.front().is_some_and(|e| e.matches(&req));
        self.seen.push((req.clone(), matched));
        if !matched {
            let expected = match self.expected.front() {
                Some(e) => format!("expected {e}"),
                None => "the script is used up".to_owned(),
            };
            let message = format!(
                "mock AgentOS: unexpected request #{}: {} ({expected})\n{}",
                self.seen.len(),
                describe(&req),
                self.report()
            );
            self.failures.push(message.clone());
            return Err(crate::Error::Transport(message.into()));
        }
        let Some(front) = self.expected.front_mut() else {
            unreachable!("matched implies a front expectation");
        };
        let answer = front.answer.answer(&req);
        front.times -= 1;
        if front.times == 0 {
            self.expected.pop_front();
        }
        answer
    }
}

struct ScriptTransport(Arc<Mutex<Script>>);

#[async_trait::async_trait]
impl crate::Transport for ScriptTransport {
    async fn send(&self, request: HttpRequest) -> crate::Result<TransportResponse> {
        let mut script = self
            .0
            .lock()
            .map_err(|_| crate::Error::Transport("mock AgentOS: the script is poisoned".into()))?;
        script.next(request)
    }
}

/// A scripted AgentOS for your application's tests: answers requests in the order you
/// script them, matching each on its method and route, and reports clearly what was called.
///
/// - **Ordered**: each request must match the next scripted answer. A request that does not
///   (or one after the script is used up) fails with an [`Error::Transport`](crate::Error::Transport)
///   whose cause (its `source()`) lists every call seen and what is still scripted, and fails
///   the test when the server is dropped.
/// - **Route templates**: script `GET /agents/{agent_id}` (the route as the SDK names it) or
///   the concrete path `/agents/echo-agent`; narrow it further with
///   [`when`](Expect::when).
/// - **Predictable**: [`client`](Self::client) does not retry (a scripted 503 is one call
///   and one error, with no backoff sleep); nothing touches the network. Ask for retries
///   with [`client_builder`](Self::client_builder)`.retry_policy(..)`.
/// - **Checked at the end**: dropping the server (or [`verify`](Self::verify)) panics when a
///   scripted answer was never requested or a request was not in the script.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> agentos_core::Result<()> {
/// use agentos_core::AgentResponse;
/// use agentos_core::mock::{Canned, MockServer};
///
/// let server = MockServer::new();
/// server.get("/agents/{agent_id}").respond(Canned::json(&AgentResponse::new("echo-agent")));
/// server.get("/agents/{agent_id}").respond(Canned::error(404, "Agent not found"));
///
/// let client = server.client();
/// assert_eq!(client.get_agent("echo-agent").await?.id, "echo-agent");
/// let err = client.get_agent("nope").await.unwrap_err();
/// assert_eq!(err.server_message().as_deref(), Some("Agent not found"));
/// assert_eq!(server.requests().len(), 2);
/// # Ok(()) }
/// ```
pub struct MockServer {
    script: Arc<Mutex<Script>>,
    armed: bool,
}

impl Default for MockServer {
    fn default() -> Self {
        MockServer::new()
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.script.lock() {
            Ok(s) => write!(f, "MockServer {{ {} }}", s.report()),
            Err(_) => f.write_str("MockServer { poisoned }"),
        }
    }
}

impl MockServer {
    /// A server with an empty script.
    pub fn new() -> Self {
        MockServer {
            script: Arc::new(Mutex::new(Script::default())),
            armed: true,
        }
    }

    /// Scripts the next answer: to a `method` request of `route` (a route template such as
    /// `/agents/{agent_id}/runs`, or a concrete path). Finish with [`Expect::respond`].
    pub fn expect(&self, method: Method, route: impl Into<String>) -> Expect<'_> {
        Expect {
            server: self,
            expectation: Some(Expectation {
                method,
                route: route.into(),
                when: None,
                answer: Canned::empty(200),
                times: 1,
            }),
        }
    }

    /// [`expect`](Self::expect) a `GET`.
    pub fn get(&self, route: impl Into<String>) -> Expect<'_> {
        self.expect(Method::GET, route)
    }

    /// [`expect`](Self::expect) a `POST`.
    pub fn post(&self, route: impl Into<String>) -> Expect<'_> {
        self.expect(Method::POST, route)
    }

    /// [`expect`](Self::expect) a `PATCH`.
    pub fn patch(&self, route: impl Into<String>) -> Expect<'_> {
        self.expect(Method::PATCH, route)
    }

    /// [`expect`](Self::expect) a `PUT`.
    pub fn put(&self, route: impl Into<String>) -> Expect<'_> {
        self.expect(Method::PUT, route)
    }

    /// [`expect`](Self::expect) a `DELETE`.
    pub fn delete(&self, route: impl Into<String>) -> Expect<'_> {
        self.expect(Method::DELETE, route)
    }

    /// A client of this server, without retries.
    pub fn client(&self) -> AgentOsClient {
        self.client_builder()
            .build()
            .expect("the mock base URL is valid")
    }

    /// A client builder already pointed at this server (base URL [`BASE_URL`], no retries),
    /// to add a bearer token, default headers or a retry policy.
    pub fn client_builder(&self) -> crate::ClientBuilder<crate::CustomTransport> {
        AgentOsClient::builder()
            .base_url(BASE_URL)
            .transport(ScriptTransport(self.script.clone()))
            .retry_policy(RetryPolicy::none())
    }

    /// Every request received so far, in order (scripted or not), for assertions with
    /// [`path`], [`query`], [`json_body`] and [`form_fields`].
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.script
            .lock()
            .map(|s| s.seen.iter().map(|(r, _)| r.clone()).collect())
            .unwrap_or_default()
    }

    /// `Ok` when every scripted answer was requested and every request was scripted;
    /// otherwise what went wrong, with the calls seen.
    pub fn check(&self) -> std::result::Result<(), String> {
        let script = match self.script.lock() {
            Ok(s) => s,
            Err(_) => return Err("mock AgentOS: the script is poisoned".into()),
        };
        if let Some(first) = script.failures.first() {
            return Err(first.clone());
        }
        if !script.expected.is_empty() {
            return Err(format!(
                "mock AgentOS: {} scripted answer(s) never requested\n{}",
                script.expected.len(),
                script.report()
            ));
        }
        Ok(())
    }

    /// Ends the test's use of the server: [`check`](Self::check)'s answer, without the panic
    /// on drop (for tests that expect the script not to be followed).
    pub fn finish(mut self) -> std::result::Result<(), String> {
        self.armed = false;
        self.check()
    }

    /// Panics with [`check`](Self::check)'s message when the script was not followed.
    pub fn verify(&self) {
        if let Err(message) = self.check() {
            panic!("{message}");
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if self.armed && !std::thread::panicking() {
            self.verify();
        }
    }
}

/// One scripted answer of a [`MockServer`] being built: narrow it with
/// [`when`](Self::when), repeat it with [`times`](Self::times), and finish with
/// [`respond`](Self::respond) (nothing is scripted until then).
#[must_use = "nothing is scripted until `respond` is called"]
pub struct Expect<'a> {
    server: &'a MockServer,
    expectation: Option<Expectation>,
}

impl fmt::Debug for Expect<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.expectation {
            Some(e) => write!(f, "Expect({e})"),
            None => f.write_str("Expect(done)"),
        }
    }
}

impl Expect<'_> {
    /// Matches only requests for which `predicate` holds, e.g. on the path, a query
    /// parameter or the body; `what` names the condition in failure messages.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use agentos_core::mock::{self, Canned, MockServer};
    /// let server = MockServer::new();
    /// server
    ///     .get("/agents/{agent_id}")
    ///     .when("agent_id is echo-agent", |req| mock::path(req) == "/agents/echo-agent")
    ///     .respond(Canned::error(404, "Agent not found"));
    /// let err = server.client().get_agent("echo-agent").await.unwrap_err();
    /// assert!(err.is_not_found());
    /// # }
    /// ```
    pub fn when(
        mut self,
        what: impl Into<String>,
        predicate: impl Fn(&HttpRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        if let Some(e) = self.expectation.as_mut() {
            e.when = Some((what.into(), Box::new(predicate)));
        }
        self
    }

    /// Answers the next `n` matching requests the same way (at least 1).
    pub fn times(mut self, n: usize) -> Self {
        if let Some(e) = self.expectation.as_mut() {
            e.times = n.max(1);
        }
        self
    }

    /// Scripts the answer.
    pub fn respond(mut self, answer: Canned) {
        if let Some(mut e) = self.expectation.take() {
            e.answer = answer;
            if let Ok(mut script) = self.server.script.lock() {
                script.expected.push_back(e);
            }
        }
    }
}
