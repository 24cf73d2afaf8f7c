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

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, StatusCode};

use crate::client::AgentOsClient;
use crate::request::Body;
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
