//! Test helpers (feature `mock`): a `mockall` mock of [`Transport`](crate::Transport) and
//! canned responses, so an application's tests can script the server in a few lines.
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

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, StatusCode};

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
    let mut body = String::new();
    for (name, data) in frames {
        body.push_str("event: ");
        body.push_str(name.as_ref());
        body.push_str("\ndata: ");
        body.push_str(&data.to_string());
        body.push_str("\n\n");
    }
    sse_raw([body])
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

/// A client whose transport fails the test if it is called (for checks before sending).
pub fn never_called() -> AgentOsClient {
    let mut t = MockTransport::new();
    t.expect_send().never();
    client(t)
}

/// The path of a recorded request, without the base URL and the query.
pub fn path(req: &HttpRequest) -> &str {
    let rest = req.url.strip_prefix(BASE_URL).unwrap_or(&req.url);
    rest.split('?').next().unwrap_or(rest)
}

/// The decoded query pairs of a recorded request, in order.
pub fn query(req: &HttpRequest) -> Vec<(String, String)> {
    match req.url.split_once('?') {
        Some((_, q)) => form_urlencoded::parse(q.as_bytes()).into_owned().collect(),
        None => Vec::new(),
    }
}
