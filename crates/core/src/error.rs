//! The one error type of the SDK.
//!
//! Errors are grouped by the stage where a call failed: before sending ([`Error::InvalidRequest`],
//! [`Error::File`]), while connecting ([`Error::RemoteServerUnavailable`], [`Error::Tls`]),
//! waiting ([`Error::Timeout`]), on an HTTP error status ([`Error::Http`]) or a redirect not
//! followed ([`Error::Redirect`]), while decoding
//! ([`Error::Decode`]), or in the middle of a streamed body ([`Error::Connection`],
//! [`Error::Sse`], [`Error::StreamTruncated`]), or on the local disk ([`Error::FileWrite`]).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use http::{HeaderMap, Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::secret::SecretUrl;

/// A boxed error from a lower layer (the HTTP stack, a custom transport).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `Result` with [`Error`] as its default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many bytes of a response body an error keeps.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// Everything that can go wrong when talking to an AgentOS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was rejected before it was sent: a bad argument, an invalid header, an empty id.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// A local file given to the call could not be read.
    #[error("cannot read {path}")]
    File {
        /// The file the call was given.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// A local file could not be written (e.g. while saving a download to it).
    #[error("cannot write {path}")]
    FileWrite {
        /// The file being written.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// The server could not be reached: connection refused, DNS failure, connect timeout. The
    /// request cannot have reached the server.
    #[error("AgentOS at {base_url} is unavailable{}", unavailable_reason(.source))]
    RemoteServerUnavailable {
        /// The base URL of the client.
        base_url: String,
        /// The underlying failure.
        #[source]
        source: BoxError,
    },

    /// The TLS handshake failed: the server's certificate is not trusted, has expired or names
    /// another host, or no protocol was shared. Not retried: trying again gives the same
    /// answer. For a private CA, see `ClientBuilder::add_root_certificate_pem`.
    #[error("TLS with {base_url} failed")]
    Tls {
        /// The base URL of the client.
        base_url: String,
        /// What the TLS library said.
        #[source]
        source: BoxError,
    },

    /// The request (or, for a stream, the wait for its next byte) took longer than allowed.
    #[error("{method} {route} timed out after {after:?}")]
    Timeout {
        /// The HTTP method.
        method: Method,
        /// The route template, e.g. `/agents/{agent_id}`.
        route: String,
        /// The limit that was hit.
        after: Duration,
    },

    /// The server answered with a 4xx or 5xx status.
    #[error("{0}")]
    Http(Box<HttpError>),

    /// The response did not match the expected type. The raw body is kept (its start).
    #[error("could not decode the response of {method} {route}")]
    Decode {
        /// The HTTP method.
        method: Method,
        /// The route template.
        route: String,
        /// The body as received (lossily converted to UTF-8), cut at [`MAX_ERROR_BODY`]
        /// bytes, with the client's own secrets replaced by `[redacted]`.
        body: String,
        /// The length of the whole body in bytes.
        body_len: usize,
        /// The serde error, with line and column.
        #[source]
        source: serde_json::Error,
    },

    /// A stream of server-sent events was asked for, and the server answered with a success
    /// status but another content type (e.g. a JSON body from a proxy or an older server).
    #[error(
        "{method} {route} answered {status} with content type {content_type:?} instead of an event stream"
    )]
    NotEventStream {
        /// The HTTP method.
        method: Method,
        /// The route template.
        route: String,
        /// The (success) status.
        status: StatusCode,
        /// The `Content-Type` the server sent.
        content_type: String,
        /// The start of the body (at most [`MAX_ERROR_BODY`] bytes, lossily converted to
        /// UTF-8), with the client's own secrets replaced by `[redacted]`.
        body: String,
    },

    /// A buffered JSON body holds more objects and arrays than the client's limit
    /// (`ClientBuilder::max_json_values`): decoding it could take far more memory than its
    /// bytes. Checked by a cheap scan before any typed decoding.
    #[error(
        "the response of {method} {route} holds more than {limit} JSON objects and arrays (the client's max_json_values)"
    )]
    TooManyJsonValues {
        /// The HTTP method.
        method: Method,
        /// The route template.
        route: String,
        /// The limit.
        limit: usize,
    },

    /// The connection failed after the response started (a reset, a cut body).
    #[error("the connection broke during {method} {route}")]
    Connection {
        /// The HTTP method.
        method: Method,
        /// The route template.
        route: String,
        /// The underlying failure.
        #[source]
        source: BoxError,
    },

    /// A response body (or one SSE frame) was larger than the configured limit.
    #[error("{what} is larger than the limit of {limit} bytes")]
    TooLarge {
        /// What was too large: "response body" or "SSE frame".
        what: &'static str,
        /// The limit in bytes.
        limit: usize,
    },

    /// A server-sent-event stream could not be decoded.
    #[error("invalid event stream: {0}")]
    Sse(String),

    /// A stream ended before its terminal event. What had arrived is kept.
    #[error(
        "the stream{} ended before a terminal event ({events} events received)",
        of_run(.run_id)
    )]
    StreamTruncated {
        /// The run id, when the stream got far enough to tell it.
        run_id: Option<String>,
        /// The session id, when known.
        session_id: Option<String>,
        /// How many events arrived.
        events: usize,
        /// The `event_index` of the last event, for background runs.
        last_event_index: Option<u64>,
        /// The content deltas received so far, concatenated.
        partial_content: String,
    },

    /// The server reported an error inside an otherwise successful response or stream.
    #[error("{0}")]
    Run(Box<RunFailure>),

    /// A content ingestion, refresh or other server-side job ended as failed.
    #[error("{what} failed: {message}")]
    JobFailed {
        /// What failed, e.g. `knowledge content 123`.
        what: String,
        /// The server's status message.
        message: String,
    },

    /// A helper that polls the server gave up waiting.
    #[error("gave up waiting for {what} after {waited:?}")]
    WaitTimeout {
        /// What was waited for.
        what: String,
        /// How long the helper waited.
        waited: Duration,
    },

    /// The server answered with a redirect that the default transport refused to follow
    /// (see [`RedirectRefusal`] for the reasons and the README's "Redirects" section for the
    /// policy). Nothing was sent to `location`.
    #[error("{method} {route} was redirected ({status}) to {location} and not followed: {reason}")]
    Redirect {
        /// The HTTP method of the call.
        method: Method,
        /// The route template of the call.
        route: String,
        /// The status of the redirect (301, 302, 303, 307 or 308).
        status: StatusCode,
        /// Where the redirect pointed, resolved against the URL it came from. It may hold a
        /// credential, so it prints without userinfo, query string or fragment.
        location: SecretUrl,
        /// Why it was not followed.
        reason: RedirectRefusal,
    },

    /// A run stayed `RUNNING` (or `PENDING`) without any progress for longer than the
    /// caller's limit: no new event and no change of the stored run. The usual cause is a
    /// server replica that died while running it (agno then leaves the stored run `RUNNING`
    /// unless a durable queue reclaims it). What had arrived is kept.
    #[error(
        "run {run_id} looks lost: still {status} without progress after {waited:?} \
         (did the server replica running it die?)"
    )]
    RunLost {
        /// The run id.
        run_id: String,
        /// The session id, when known.
        session_id: Option<String>,
        /// The last status the server reported for the run.
        status: String,
        /// How long no progress was seen.
        waited: Duration,
        /// The content deltas received before progress stopped, concatenated.
        partial_content: String,
    },

    /// A cancel was answered (HTTP 200) but the stored run did not show `CANCELLED` within
    /// the wait the caller allowed. Behind a load balancer without a shared queue (Redis), a
    /// cancel that lands on a replica that is not running the run is answered 200 and does
    /// nothing.
    #[error("cancel of run {run_id} not confirmed: the stored run is {status} after {waited:?}")]
    CancelNotConfirmed {
        /// The run id.
        run_id: String,
        /// The stored run's status when the wait ended (`unknown` when it could not be read).
        status: String,
        /// How long the call waited.
        waited: Duration,
    },

    /// The server does not have this feature: its agno version is older than the one that
    /// added it (or it answered the feature's route with 404/405).
    #[error(
        "{feature} is not supported by this server (agno {}, needs {needs} or newer)",
        server_version.as_deref().unwrap_or("version unknown")
    )]
    NotSupported {
        /// The feature, e.g. `POST /traces/search`.
        feature: String,
        /// The server's agno version, when known.
        server_version: Option<String>,
        /// The first agno version with the feature.
        needs: String,
    },

    /// Any other failure of the transport.
    #[error("transport error")]
    Transport(#[source] BoxError),
}

/// Why a redirect was not followed ([`Error::Redirect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectRefusal {
    /// From `https` to plain `http`: the request would travel in clear text.
    Downgrade,
    /// A redirect that keeps the body (307, 308) to another origin: the body (a prompt, a
    /// file) is never sent to a server the caller did not name.
    BodyToOtherOrigin,
    /// The `Location` is not an `http` or `https` URL, or cannot be read.
    InvalidLocation,
    /// More redirects in a row than the limit.
    TooMany {
        /// The most redirects followed for one call.
        limit: usize,
    },
    /// The redirect leads back to a URL already requested in this call.
    Loop,
}

impl fmt::Display for RedirectRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectRefusal::Downgrade => f.write_str("it leads from https to plain http"),
            RedirectRefusal::BodyToOtherOrigin => {
                f.write_str("it would re-send the request body to another origin")
            }
            RedirectRefusal::InvalidLocation => {
                f.write_str("its Location is not an http or https URL")
            }
            RedirectRefusal::TooMany { limit } => write!(f, "more than {limit} redirects"),
            RedirectRefusal::Loop => f.write_str("it leads back to a URL already requested"),
        }
    }
}

/// `" of run ID"`, or nothing when the run id is not known.
fn of_run(run_id: &Option<String>) -> String {
    run_id
        .as_deref()
        .map(|id| format!(" of run {id}"))
        .unwrap_or_default()
}

/// Why a server was unreachable, in a few words (` (connection refused)`), read from the
/// kind of the I/O error in the chain; nothing when the chain does not tell. The chain itself
/// is the `source()` of the error, so this names the reason without repeating its text.
fn unavailable_reason(source: &BoxError) -> &'static str {
    use std::io::ErrorKind;
    for err in chain(source.as_ref()) {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match io.kind() {
                ErrorKind::ConnectionRefused => return " (connection refused)",
                ErrorKind::ConnectionReset => return " (connection reset)",
                ErrorKind::ConnectionAborted => return " (connection aborted)",
                ErrorKind::TimedOut => return " (connect timed out)",
                ErrorKind::HostUnreachable => return " (host unreachable)",
                ErrorKind::NetworkUnreachable => return " (network unreachable)",
                ErrorKind::AddrNotAvailable => return " (address not available)",
                _ => {}
            }
        }
        // hyper's connector names a failed name lookup "dns error".
        if err.to_string() == "dns error" {
            return " (the host name did not resolve)";
        }
    }
    ""
}

/// `e` and the errors below it. Steps into the error an `io::Error` wraps, which the
/// `io::Error`'s own `source()` skips.
pub(crate) fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |err| {
        match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        }
    })
}

/// An HTTP error response, with everything the server said about it.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpError {
    /// The status code.
    pub status: StatusCode,
    /// The HTTP method of the failed call.
    pub method: Method,
    /// The route template of the failed call (never the query string).
    pub route: String,
    /// The server's `detail`, parsed.
    pub detail: Option<ErrorDetail>,
    /// The server's `error_id`, when the failure came from an `AgnoError`.
    pub error_id: Option<String>,
    /// The server's `error_type` (e.g. `session_busy`).
    pub error_type: Option<String>,
    /// The raw body, cut at [`MAX_ERROR_BODY`] bytes.
    pub body: String,
    /// The `Retry-After` header, when the server sent one.
    pub retry_after: Option<Duration>,
    /// The `Location` of a redirect (3xx) that was not followed. It may hold a presigned
    /// storage URL, so it prints without its query string.
    pub location: Option<SecretUrl>,
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError")
            .field("status", &self.status)
            .field("method", &self.method)
            .field("route", &self.route)
            .field("detail", &self.detail)
            .field("error_id", &self.error_id)
            .field("error_type", &self.error_type)
            .field("body", &self.body)
            .field("retry_after", &self.retry_after)
            .field("location", &self.location)
            .finish()
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} from {} {}",
            self.status, self.method, self.route
        )?;
        if let Some(location) = &self.location {
            write!(f, " to {location}")?;
        }
        match &self.detail {
            Some(detail) => write!(f, ": {detail}")?,
            None if !self.body.is_empty() => write!(f, ": {}", self.body)?,
            None => {}
        }
        if self.outcome_unknown() {
            f.write_str(
                " (outcome unknown: a gateway answered, the server may have acted on the \
                 request; it was not sent again)",
            )?;
        }
        Ok(())
    }
}

impl HttpError {
    /// Builds the error from a response, parsing the server's `{"detail": ...}` body.
    pub fn from_response(
        status: StatusCode,
        method: Method,
        route: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        #[derive(Deserialize)]
        struct Envelope {
            detail: Option<ErrorDetail>,
            error_id: Option<String>,
            error_type: Option<String>,
        }
        let parsed: Option<Envelope> = serde_json::from_slice(body).ok();
        let (detail, error_id, error_type) = match parsed {
            Some(e) => (e.detail, e.error_id, e.error_type),
            None => (None, None, None),
        };
        HttpError {
            status,
            method,
            route: route.to_owned(),
            detail,
            error_id,
            error_type,
            body: error_body(body),
            retry_after: retry_after(headers),
            location: status
                .is_redirection()
                .then(|| headers.get(http::header::LOCATION))
                .flatten()
                .and_then(|v| v.to_str().ok())
                .map(SecretUrl::new),
        }
    }

    /// Whether the answer leaves the outcome of the request unknown: a 502, 503 or 504
    /// (usually from a load balancer or proxy) to a request that is not idempotent (a `POST`
    /// that starts, continues or cancels a run). The SDK does not send such a request again
    /// unless it carries an `Idempotency-Key`, and agno honours that key only for background
    /// runs on a durable queue (`QueueConfig(durable=True)`).
    pub fn outcome_unknown(&self) -> bool {
        matches!(self.status.as_u16(), 502..=504) && self.method == Method::POST
    }

    /// The server's message: the string `detail`, or the validation errors joined.
    pub fn message(&self) -> Option<String> {
        self.detail.as_ref().map(|d| d.to_string())
    }
}

/// The `detail` of an error body: a message, or FastAPI's list of validation errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ErrorDetail {
    /// A plain message, e.g. `Agent not found`.
    Message(String),
    /// Request validation errors (HTTP 422).
    Validation(Vec<ValidationError>),
    /// Any other JSON the server put in `detail`.
    Other(serde_json::Value),
}

impl fmt::Display for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorDetail::Message(m) => f.write_str(m),
            ErrorDetail::Validation(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            ErrorDetail::Other(v) => write!(f, "{v}"),
        }
    }
}

/// One validation error of a 422 response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ValidationError {
    /// The error type, e.g. `missing`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Where the error is, e.g. `["body", "message"]`.
    #[serde(default)]
    pub loc: Vec<serde_json::Value>,
    /// The message, e.g. `Field required`.
    #[serde(default)]
    pub msg: String,
    /// The offending input.
    #[serde(default)]
    pub input: serde_json::Value,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc: Vec<String> = self
            .loc
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        write!(f, "{}: {}", loc.join("."), self.msg)
    }
}

/// A run that the server reported as failed (HTTP 200 with status `ERROR`, or an error event).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RunFailure {
    /// The run id, when known.
    pub run_id: Option<String>,
    /// The session id, when known.
    pub session_id: Option<String>,
    /// The server's message.
    pub message: String,
    /// The error type, e.g. `model_provider_error`.
    pub error_type: Option<String>,
    /// The error id.
    pub error_id: Option<String>,
    /// The content deltas that arrived before the failure, concatenated (streams only;
    /// empty otherwise).
    pub partial_content: String,
}

impl RunFailure {
    /// A failure with a message and nothing else known.
    pub fn new(message: impl Into<String>) -> Self {
        RunFailure {
            run_id: None,
            session_id: None,
            message: message.into(),
            error_type: None,
            error_id: None,
            partial_content: String::new(),
        }
    }
}

impl fmt::Display for RunFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.run_id {
            Some(id) => write!(f, "run {id} failed: {}", self.message)?,
            None => write!(f, "run failed: {}", self.message)?,
        }
        if let Some(t) = &self.error_type {
            write!(f, " ({t})")?;
        }
        Ok(())
    }
}

/// What an error keeps of a body: at most [`MAX_ERROR_BODY`] bytes, lossily converted to
/// UTF-8 (a character cut in two becomes one replacement character).
pub(crate) fn error_body(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(MAX_ERROR_BODY)]).into_owned()
}

/// Reads a `Retry-After` header: delay-seconds or an HTTP-date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

impl Error {
    /// The HTTP status, for [`Error::Http`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Http(e) => Some(e.status),
            _ => None,
        }
    }

    /// The HTTP error, for [`Error::Http`].
    pub fn http(&self) -> Option<&HttpError> {
        match self {
            Error::Http(e) => Some(e),
            _ => None,
        }
    }

    /// What the server said about the failure, one call away: the `detail` of an HTTP error
    /// (a message, or the validation errors joined; see [`HttpError::message`]), the message
    /// of a run that failed ([`Error::Run`]) or of a server-side job ([`Error::JobFailed`]).
    /// `None` for failures the server did not describe (timeouts, unreachable servers, ...).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) {
    /// if let Err(e) = client.get_agent("missing").await {
    ///     eprintln!("{}", e.server_message().unwrap_or_else(|| e.to_string()));
    /// }
    /// # }
    /// ```
    pub fn server_message(&self) -> Option<String> {
        match self {
            Error::Http(e) => e.message(),
            Error::Run(f) => Some(f.message.clone()),
            Error::JobFailed { message, .. } => Some(message.clone()),
            _ => None,
        }
    }

    /// True for HTTP 404, and for a 405 answered to a route this server does not have (older
    /// agno versions answer 405 when a missing `POST` route shares its path with a `GET`
    /// route, e.g. `POST /traces/search` before 2.5.6), and for [`Error::NotSupported`].
    pub fn is_not_found(&self) -> bool {
        matches!(
            self.status(),
            Some(StatusCode::NOT_FOUND) | Some(StatusCode::METHOD_NOT_ALLOWED)
        ) || matches!(self, Error::NotSupported { .. })
    }

    /// True when a request may or may not have taken effect on the server: HTTP 502, 503 or
    /// 504 from a gateway (a load balancer in front of AgentOS answers them when a replica
    /// dies or is slow; the replica may have started the run), or a connection that broke
    /// after the request was sent. The SDK never retries such a run request by itself: look
    /// the run up (`list_*_runs`) before sending it again.
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Error::Http(e) => matches!(e.status.as_u16(), 502..=504),
            Error::Connection { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The content deltas received before the error, for the errors of a stream that keep
    /// them ([`Error::StreamTruncated`], [`Error::RunLost`], [`Error::Run`]).
    pub fn partial_content(&self) -> Option<&str> {
        match self {
            Error::StreamTruncated {
                partial_content, ..
            }
            | Error::RunLost {
                partial_content, ..
            } => Some(partial_content),
            Error::Run(f) => Some(&f.partial_content),
            _ => None,
        }
    }

    /// True for HTTP 401.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// True for HTTP 403.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// True when the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.http().and_then(|e| e.retry_after)
    }

    /// Whether trying the same call again may succeed: unavailable servers, timeouts, broken
    /// connections, HTTP 429, 502, 503 and 504, and HTTP 409 with `Retry-After` (a run still
    /// settling). It is the client's own retry classifier for an idempotent call; whether it
    /// is *safe* to retry depends on the call (a run must not be started twice).
    pub fn is_retryable(&self) -> bool {
        crate::retry::retryable(self, true)
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidRequest(message.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> HttpError {
        HttpError::from_response(
            StatusCode::from_u16(status).unwrap(),
            Method::GET,
            "/agents/{agent_id}",
            &HeaderMap::new(),
            body.as_bytes(),
        )
    }

    #[test]
    fn string_detail_is_parsed() {
        let e = err(404, r#"{"detail":"Agent not found"}"#);
        assert_eq!(
            e.detail,
            Some(ErrorDetail::Message("Agent not found".into()))
        );
        assert_eq!(e.message().as_deref(), Some("Agent not found"));
        assert_eq!(
            e.to_string(),
            "HTTP 404 Not Found from GET /agents/{agent_id}: Agent not found"
        );
    }

    #[test]
    fn list_detail_is_parsed() {
        let e = err(
            422,
            r#"{"detail":[{"type":"missing","loc":["body","message"],"msg":"Field required","input":null}]}"#,
        );
        match &e.detail {
            Some(ErrorDetail::Validation(v)) => {
                assert_eq!(v.len(), 1);
                assert_eq!(v[0].kind, "missing");
                assert_eq!(v[0].msg, "Field required");
            }
            other => panic!("unexpected detail {other:?}"),
        }
        assert_eq!(e.message().as_deref(), Some("body.message: Field required"));
    }

    #[test]
    fn error_id_and_type_are_kept() {
        let e = err(
            409,
            r#"{"detail":"busy","error_id":"e-1","error_type":"session_busy"}"#,
        );
        assert_eq!(e.error_id.as_deref(), Some("e-1"));
        assert_eq!(e.error_type.as_deref(), Some("session_busy"));
    }

    #[test]
    fn non_json_body_is_kept_raw() {
        let e = err(502, "<html>bad gateway</html>");
        assert_eq!(e.detail, None);
        assert_eq!(e.body, "<html>bad gateway</html>");
        assert!(e.to_string().contains("bad gateway"));
    }

    #[test]
    fn a_gateway_error_on_a_post_says_the_outcome_is_unknown() {
        let e = HttpError::from_response(
            StatusCode::BAD_GATEWAY,
            Method::POST,
            "/agents/{agent_id}/runs",
            &HeaderMap::new(),
            b"<html>bad gateway</html>",
        );
        assert!(e.outcome_unknown());
        assert!(e.to_string().contains("outcome unknown"), "{e}");
        let e = Error::Http(Box::new(e));
        assert!(e.is_outcome_unknown());
        // A GET is retried and cannot have changed anything: nothing to say.
        let e = err(503, "{}");
        assert!(!e.outcome_unknown());
        assert!(!e.to_string().contains("outcome unknown"));
    }

    #[test]
    fn a_missing_route_answered_405_is_not_found() {
        assert!(
            Error::Http(Box::new(err(405, r#"{"detail":"Method Not Allowed"}"#))).is_not_found()
        );
        let e = Error::NotSupported {
            feature: "POST /traces/search".into(),
            server_version: Some("2.5.0".into()),
            needs: "2.5.6".into(),
        };
        assert!(e.is_not_found());
        assert_eq!(
            e.to_string(),
            "POST /traces/search is not supported by this server (agno 2.5.0, needs 2.5.6 or newer)"
        );
    }

    #[test]
    fn huge_body_is_cut() {
        let body = "x".repeat(MAX_ERROR_BODY * 2);
        let e = err(500, &body);
        assert_eq!(e.body.len(), MAX_ERROR_BODY);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            http::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(http::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn helpers_classify() {
        let e = Error::Http(Box::new(err(404, "{}")));
        assert!(e.is_not_found());
        assert!(!e.is_unauthorized());
        assert!(!e.is_retryable());
        let e = Error::Http(Box::new(err(503, "{}")));
        assert!(e.is_retryable());
        let e = Error::Http(Box::new(err(
            401,
            r#"{"detail":"Authorization header required"}"#,
        )));
        assert!(e.is_unauthorized());
        assert_eq!(e.status(), Some(StatusCode::UNAUTHORIZED));
    }
}
