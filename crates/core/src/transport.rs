//! The [`Transport`] trait: the only place that touches the network.

use std::borrow::Cow;
use std::fmt;
use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use futures::Stream;
use http::{HeaderMap, Method, StatusCode};

use crate::error::Result;
use crate::request::{Body, redacted_headers};

/// A body that arrives in chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send + 'static>>;

/// A request ready for the wire: the client has resolved the URL, merged the headers
/// (defaults, authentication, per call) and chosen the timeouts.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, query included.
    pub url: String,
    /// The base URL of the client for error messages (credentials in it are redacted).
    pub base_url: String,
    /// The route template, e.g. `/agents/{agent_id}/runs`.
    pub route: Cow<'static, str>,
    /// Every header to send. Secret values are marked sensitive.
    pub headers: HeaderMap,
    /// The body.
    pub body: Body,
    /// When true, a successful response is handed over as a [`ByteStream`].
    pub streaming: bool,
    /// For a buffered request, the deadline of the whole exchange (redirects and body
    /// included); for a streaming one, the deadline until the response headers arrive, and for
    /// the body of an error status.
    pub timeout: Duration,
    /// For a streaming request, the longest wait for the next chunk.
    pub idle_timeout: Option<Duration>,
    /// The largest buffered body accepted.
    pub max_body_size: usize,
    /// Whether to follow redirects (3xx with a `Location`). When false, the transport
    /// returns the redirect response itself. A transport that follows must not send a header
    /// of [`headers`](Self::headers) or the body to another origin (the rules of the default
    /// transport are documented on `ReqwestTransport`).
    pub follow_redirects: bool,
}

impl HttpRequest {
    /// A request with defaults for the optional parts (used by tests and custom transports).
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        HttpRequest {
            method,
            url: url.into(),
            base_url: String::new(),
            route: Cow::Borrowed(""),
            headers: HeaderMap::new(),
            body: Body::Empty,
            streaming: false,
            timeout: Duration::from_secs(60),
            idle_timeout: None,
            max_body_size: crate::client::DEFAULT_MAX_BODY_SIZE,
            follow_redirects: true,
        }
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &crate::secret::redact_userinfo(&self.url))
            .field("route", &self.route)
            .field("headers", &redacted_headers(&self.headers))
            .field("body", &self.body)
            .field("streaming", &self.streaming)
            .field("timeout", &self.timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("follow_redirects", &self.follow_redirects)
            .finish()
    }
}

/// The body of a response: buffered, or still arriving.
#[non_exhaustive]
pub enum ResponseBody {
    /// The whole body.
    Buffered(Bytes),
    /// A body to read chunk by chunk.
    Stream(ByteStream),
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseBody::Buffered(b) => write!(f, "Buffered({} bytes)", b.len()),
            ResponseBody::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// What a transport returns for any status code (errors are mapped by the client).
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: ResponseBody,
}

impl TransportResponse {
    /// A buffered response.
    pub fn buffered(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        TransportResponse {
            status,
            headers,
            body: ResponseBody::Buffered(body.into()),
        }
    }

    /// A streaming response.
    pub fn streaming(status: StatusCode, headers: HeaderMap, body: ByteStream) -> Self {
        TransportResponse {
            status,
            headers,
            body: ResponseBody::Stream(body),
        }
    }
}

/// Sends one HTTP request. Implement it to put the SDK on another HTTP stack, or mock it
/// (feature `mock`, [`MockTransport`]) to script a server in tests.
///
/// A transport returns a response for every status code; it fails only when no response
/// arrived ([`Error::RemoteServerUnavailable`](crate::Error::RemoteServerUnavailable),
/// [`Error::Timeout`](crate::Error::Timeout), ...).
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the response (buffered unless `request.streaming`).
    async fn send(&self, request: HttpRequest) -> Result<TransportResponse>;
}
