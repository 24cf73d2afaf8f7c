//! [`AgentOsClient`] and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use http::header::{ACCEPT, AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{Error, HttpError, MAX_ERROR_BODY, Result};
use crate::request::{Request, parse_header};
use crate::retry::RetryPolicy;
use crate::secret::{SecretString, Secrets};
use crate::transport::{ByteStream, HttpRequest, ResponseBody, Transport};
use crate::transport_choice::{
    CustomTransport, DefaultTransport, DefaultTransportUrl, TransportChoice,
};

/// The default timeout of a call (as the Python client's).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default longest silence inside a stream before it is given up (agno sends a heartbeat
/// every 30 s on idle resume tails).
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(300);
/// The default largest buffered response body: 64 MiB.
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;
/// The default largest server-sent event: 16 MiB.
pub const DEFAULT_MAX_FRAME_SIZE: usize = 16 * 1024 * 1024;
/// The default largest number of JSON objects and arrays in a buffered body decoded into
/// types: 250,000 (see [`ClientBuilder::max_json_values`]).
pub const DEFAULT_MAX_JSON_VALUES: usize = 250_000;

struct Inner {
    base_url: String,
    /// The base URL with any `user:password@` redacted: what errors and `Debug` show.
    shown_base_url: String,
    server_address: String,
    server_port: u16,
    transport: Arc<dyn Transport>,
    headers: HeaderMap,
    has_token: bool,
    timeout: Duration,
    stream_idle_timeout: Option<Duration>,
    max_body_size: usize,
    max_frame_size: usize,
    max_json_values: usize,
    retry: RetryPolicy,
    session_header: Option<HeaderName>,
    /// The server's version, looked up once when first needed.
    version: tokio::sync::OnceCell<crate::version::ServerVersion>,
    trace_context: crate::otel::Propagation,
    /// The client's own secret values, scrubbed from error bodies.
    secrets: Arc<Secrets>,
}

/// A client of one AgentOS. Cheap to clone (an `Arc` inside), `Send + Sync`.
///
/// Area crates add their calls through extension traits (`RunsExt`, `MemoryExt`, ...);
/// discovery calls (`get_config`, `list_agents`, ...) are inherent.
///
/// ```no_run
/// # async fn demo() -> agentos_core::Result<()> {
/// use agentos_core::AgentOsClient;
/// let client = AgentOsClient::new("http://localhost:7777")?;
/// let config = client.get_config().await?;
/// println!("Connected to: {}", config.name.as_deref().unwrap_or(&config.os_id));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct AgentOsClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for AgentOsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentOsClient")
            .field("base_url", &self.inner.shown_base_url)
            .field(
                "token",
                &if self.inner.has_token {
                    "[redacted]"
                } else {
                    "none"
                },
            )
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// A buffered response with a success status.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The method of the call (for error messages).
    pub method: Method,
    /// The route template of the call.
    pub route: String,
    /// The secrets of the client and the call, scrubbed from what an error keeps.
    secrets: Arc<Secrets>,
    /// The client's [`ClientBuilder::max_json_values`].
    max_json_values: usize,
}

impl Response {
    /// Decodes the body as JSON; a mismatch is an [`Error::Decode`] that keeps the body.
    /// A body with more objects and arrays than the client allows is refused first
    /// (see [`Response::json_bytes`]).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(self.json_bytes()?).map_err(|source| self.decode_error(source))
    }

    /// The body, to decode as JSON with your own decoder, once a cheap scan has checked that
    /// it holds no more objects and arrays than [`ClientBuilder::max_json_values`]; else an
    /// [`Error::TooManyJsonValues`].
    pub fn json_bytes(&self) -> Result<&[u8]> {
        if crate::kit::de::json_values_within(&self.body, self.max_json_values) {
            Ok(&self.body)
        } else {
            Err(Error::TooManyJsonValues {
                method: self.method.clone(),
                route: self.route.clone(),
                limit: self.max_json_values,
            })
        }
    }

    /// A [`Error::Decode`] for this response. It keeps the start of the body, with the
    /// client's own secrets (token, sensitive headers, base URL password) scrubbed.
    pub fn decode_error(&self, source: serde_json::Error) -> Error {
        Error::Decode {
            method: self.method.clone(),
            route: self.route.clone(),
            body: self.secrets.error_body(&self.body),
            body_len: self.body.len(),
            source,
        }
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        content_type(&self.headers)
    }
}

/// The `Content-Type` of `headers`, when there is one in text.
fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// Whether a `Content-Type` names an event stream (any case, parameters allowed).
fn is_event_stream_type(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .eq_ignore_ascii_case("text/event-stream")
}

/// A response whose body is still arriving.
#[non_exhaustive]
pub struct StreamResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: ByteStream,
}

impl fmt::Debug for StreamResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamResponse")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl StreamResponse {
    /// True when the server answered with `text/event-stream`.
    pub fn is_event_stream(&self) -> bool {
        content_type(&self.headers).is_some_and(is_event_stream_type)
    }
}

/// Configures an [`AgentOsClient`].
///
/// ```
/// use std::time::Duration;
/// let client = agentos_core::AgentOsClient::builder()
///     .base_url("http://localhost:7777")
///     .bearer_token("my-os-security-key")
///     .timeout(Duration::from_secs(30))
///     .header("x-tenant", "acme")
///     .build()
///     .unwrap();
/// assert!(!format!("{client:?}").contains("my-os-security-key"));
/// ```
///
/// `T` says where the transport comes from: [`DefaultTransport`] until
/// [`transport`](ClientBuilder::transport) gives one ([`CustomTransport`]). Building with the
/// default transport needs a transport feature (`rustls`, `rustls-aws-lc` or `reqwest`);
/// without one, `build()` on a builder that was given no transport does not compile.
#[must_use]
pub struct ClientBuilder<T = DefaultTransport> {
    base_url: Option<String>,
    token: Option<SecretString>,
    headers: Vec<(String, String)>,
    timeout: Duration,
    connect_timeout: Duration,
    stream_idle_timeout: Option<Duration>,
    max_body_size: usize,
    max_frame_size: usize,
    max_json_values: usize,
    retry: RetryPolicy,
    transport: T,
    root_certificates_pem: Vec<u8>,
    session_header: Option<String>,
    trace_context: crate::otel::Propagation,
}

impl<T> fmt::Debug for ClientBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &self.base_url.as_deref().map(crate::secret::redact_userinfo),
            )
            .field("token", &self.token)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            token: None,
            headers: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            stream_idle_timeout: Some(DEFAULT_STREAM_IDLE_TIMEOUT),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            max_json_values: DEFAULT_MAX_JSON_VALUES,
            retry: RetryPolicy::default(),
            transport: DefaultTransport(()),
            root_certificates_pem: Vec::new(),
            session_header: None,
            trace_context: Default::default(),
        }
    }
}

impl<T> ClientBuilder<T> {
    /// The base URL, e.g. `http://localhost:7777` or `https://host/prefix` (an opaque prefix).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A bearer token sent as `Authorization: Bearer ...` on every call: the OS security key,
    /// a JWT or a service-account token.
    pub fn bearer_token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// A header sent on every call.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The timeout of a call (default 60 s). For streams it bounds the wait for the response
    /// headers; the silence allowed inside a stream is [`ClientBuilder::stream_idle_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connect timeout of the default transport (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Also trusts the CA certificates in `pem` (one or more PEM `CERTIFICATE` blocks) for
    /// the default transport's TLS, e.g. the private CA of an internal AgentOS; the platform's
    /// roots stay trusted. May be called more than once. `build` fails on PEM without a
    /// certificate.
    ///
    /// ```no_run
    /// # fn demo() -> agentos_core::Result<()> {
    /// let ca = std::fs::read("/etc/agentos/ca.pem").expect("the CA file");
    /// let client = agentos_core::AgentOsClient::builder()
    ///     .base_url("https://agentos.internal:7777")
    ///     .add_root_certificate_pem(ca)
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn add_root_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates_pem.extend_from_slice(pem.as_ref());
        self.root_certificates_pem.push(b'\n');
        self
    }

    /// The longest wait for the next bytes of a stream (default 300 s); `None` waits forever.
    pub fn stream_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.stream_idle_timeout = timeout;
        self
    }

    /// The largest buffered response body accepted (default 64 MiB).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The largest single server-sent event accepted (default 16 MiB).
    pub fn max_frame_size(mut self, bytes: usize) -> Self {
        self.max_frame_size = bytes;
        self
    }

    /// The largest number of JSON objects and arrays (counted together, at any depth) in a
    /// buffered body that is decoded into types (default [`DEFAULT_MAX_JSON_VALUES`]); more is
    /// an [`Error::TooManyJsonValues`]. The body size limit bounds bytes, this bounds what
    /// decoding them costs: a struct decoded from `{}` takes a hundred times its 3 bytes.
    /// A cheap scan counts them before decoding.
    ///
    /// ```
    /// let client = agentos_core::AgentOsClient::builder()
    ///     .base_url("http://localhost:7777")
    ///     .max_json_values(5_000_000)
    ///     .build()
    ///     .unwrap();
    /// # let _ = client;
    /// ```
    pub fn max_json_values(mut self, values: usize) -> Self {
        self.max_json_values = values;
        self
    }

    /// The retry policy of every call (default: [`RetryPolicy::default`]; a call can set its
    /// own with `.retry(..)`).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Whether each request carries the W3C trace context (`traceparent`, `tracestate`) of
    /// its `agentos.request` span (default: on). Needs the `otel` feature; see
    /// [`otel`](crate::otel) for when a context is present.
    ///
    /// ```
    /// let client = agentos_core::AgentOsClient::builder()
    ///     .base_url("http://localhost:7777")
    ///     .propagate_trace_context(false)
    ///     .build()?;
    /// # Ok::<(), agentos_core::Error>(())
    /// ```
    #[cfg(feature = "otel")]
    pub fn propagate_trace_context(mut self, on: bool) -> Self {
        self.trace_context.enabled = on;
        self
    }

    /// Sends through this transport instead of the default one (e.g. a mock). Needs no
    /// transport feature.
    pub fn transport(self, transport: impl Transport) -> ClientBuilder<CustomTransport> {
        self.shared_transport(Arc::new(transport))
    }

    /// Sends through a shared transport. Needs no transport feature.
    pub fn shared_transport(self, transport: Arc<dyn Transport>) -> ClientBuilder<CustomTransport> {
        ClientBuilder {
            base_url: self.base_url,
            token: self.token,
            headers: self.headers,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            stream_idle_timeout: self.stream_idle_timeout,
            max_body_size: self.max_body_size,
            max_frame_size: self.max_frame_size,
            max_json_values: self.max_json_values,
            retry: self.retry,
            transport: CustomTransport(transport),
            root_certificates_pem: self.root_certificates_pem,
            session_header: self.session_header,
            trace_context: self.trace_context,
        }
    }

    /// Session routing for a load balancer: every session-scoped call (runs, continues,
    /// cancels, resumes, run reads, session reads; the reconnects of a resumable stream too)
    /// carries its session id in this header, e.g. `X-Session-Id`, so that the balancer can
    /// send every call of a session to the same replica (the one that holds its run's
    /// cancel and resume state). A run started without a session id gets one made by the
    /// SDK, so its very first call can be routed. See the README, "Behind a load balancer".
    ///
    /// ```
    /// let client = agentos_core::AgentOsClient::builder()
    ///     .base_url("http://localhost:7777")
    ///     .session_header("X-Session-Id")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(client.session_header().map(|h| h.as_str()), Some("x-session-id"));
    /// ```
    pub fn session_header(mut self, name: impl Into<String>) -> Self {
        self.session_header = Some(name.into());
        self
    }

    /// Builds the client. Fails on a malformed base URL or header.
    ///
    /// A builder that was given no transport builds the default one, which needs a transport
    /// feature (`rustls`, `rustls-aws-lc` or `reqwest`): without one this does not compile.
    pub fn build(self) -> Result<AgentOsClient>
    where
        T: TransportChoice,
    {
        let raw = self
            .base_url
            .ok_or_else(|| Error::invalid("a base URL is required"))?;
        let base_url = raw.trim().trim_end_matches('/').to_owned();
        let (scheme, server_address, server_port) = check_base_url(&base_url)?;

        let mut headers = HeaderMap::new();
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("agentos-rs/", env!("CARGO_PKG_VERSION"))),
        );
        for (k, v) in &self.headers {
            let (name, value) = parse_header(k, v)?;
            headers.insert(name, value);
        }
        let session_header = match &self.session_header {
            Some(name) => Some(
                HeaderName::from_bytes(name.trim().as_bytes())
                    .map_err(|_| Error::invalid(format!("invalid session header name {name:?}")))?,
            ),
            None => None,
        };
        let mut secrets = Secrets::default();
        secrets.add_userinfo(&base_url);
        let has_token = self.token.is_some();
        if has_token && scheme == "http" && !is_loopback(&server_address) {
            tracing::warn!(
                server.address = %server_address,
                "a bearer token will be sent over plain http to a host that is not loopback; use https"
            );
        }
        if let Some(token) = &self.token {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                    Error::invalid("the bearer token has characters a header cannot hold")
                })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        secrets.add_headers(&headers);

        let transport = self
            .transport
            .into_transport(self.connect_timeout, &self.root_certificates_pem)?;
        Ok(AgentOsClient {
            inner: Arc::new(Inner {
                shown_base_url: crate::secret::redact_userinfo(&base_url).into_owned(),
                base_url,
                server_address,
                server_port,
                transport,
                headers,
                has_token,
                timeout: self.timeout,
                stream_idle_timeout: self.stream_idle_timeout,
                max_body_size: self.max_body_size,
                max_frame_size: self.max_frame_size,
                max_json_values: self.max_json_values,
                retry: self.retry,
                session_header,
                version: tokio::sync::OnceCell::new(),
                trace_context: self.trace_context,
                secrets: Arc::new(secrets),
            }),
        })
    }
}

/// A new random session id (a UUID version 4 in its usual text form), for a session the
/// caller did not name. With [`ClientBuilder::session_header`] the SDK makes one for a run
/// started without a session id, so that its first call can be routed.
pub fn new_session_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    // `RandomState` is seeded from the operating system's randomness (and differs per instance).
    let half = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        h.finish()
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&half().to_le_bytes());
    bytes[8..].copy_from_slice(&half().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

impl AgentOsClient {
    /// A client for `base_url` with the default settings and the default transport, which
    /// needs a transport feature (`rustls`, `rustls-aws-lc` or `reqwest`): without one this
    /// does not compile (see [`DefaultTransportUrl`]); use
    /// `AgentOsClient::builder().transport(..)` then.
    pub fn new(base_url: impl DefaultTransportUrl) -> Result<Self> {
        base_url.into_builder().build()
    }

    /// A builder for every option.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The largest server-sent event accepted.
    pub fn max_frame_size(&self) -> usize {
        self.inner.max_frame_size
    }

    /// The agno release of the server (`GET /info`'s `agno_version`; a server without `/info`
    /// is older than 2.5.13). Looked up once, on first use, and cached for the life of the
    /// client (and its clones); a failed lookup is not cached.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// let version = client.server_version().await?;
    /// if version.is_supported() == Some(false) {
    ///     eprintln!("{version} is older than this SDK supports");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn server_version(&self) -> Result<crate::version::ServerVersion> {
        self.inner
            .version
            .get_or_try_init(|| async {
                let request = Request::get(crate::discovery::route::INFO, &[])?;
                match self.send_with_retries(&request, Mode::Buffered).await {
                    Ok(x) => {
                        let body = self.buffer(&request, x.body).await?;
                        let v: serde_json::Value =
                            serde_json::from_slice(&body).unwrap_or_default();
                        Ok(crate::version::ServerVersion {
                            agno_version: v
                                .get("agno_version")
                                .and_then(serde_json::Value::as_str)
                                .map(str::to_owned),
                            has_info: true,
                        })
                    }
                    Err(e) if e.is_not_found() => Ok(crate::version::ServerVersion {
                        agno_version: None,
                        has_info: false,
                    }),
                    Err(e) => Err(e),
                }
            })
            .await
            .cloned()
    }

    /// A 404 or 405 that is the server's answer for a route it does not have, on a route
    /// that came in a release newer than the server's, becomes [`Error::NotSupported`].
    async fn explain_missing_route(&self, req: &Request, e: Error) -> Error {
        let Some(http) = e.http() else { return e };
        let missing = crate::version::is_missing_route_answer(
            http.status.as_u16(),
            http.message().as_deref(),
        );
        let Some(needs) = crate::version::route_added_in(&req.route) else {
            return e;
        };
        if !missing || req.route == crate::discovery::route::INFO {
            return e;
        }
        match self.server_version().await {
            Ok(v) if v.at_least(needs) == Some(false) => Error::NotSupported {
                feature: format!("{} {}", req.method, req.route),
                server_version: v.describe(),
                needs: needs.to_owned(),
            },
            _ => e,
        }
    }

    /// The header that carries session ids for a load balancer, when one is set
    /// ([`ClientBuilder::session_header`]).
    pub fn session_header(&self) -> Option<&HeaderName> {
        self.inner.session_header.as_ref()
    }

    fn prepare(&self, req: &Request, mode: Mode) -> HttpRequest {
        let mut headers = self.inner.headers.clone();
        if let Some(name) = &self.inner.session_header {
            // A session id that a header cannot hold is not sent (the call still goes).
            if let Some(value) = req
                .session_id()
                .and_then(|s| HeaderValue::from_str(&s).ok())
            {
                headers.insert(name.clone(), value);
            }
        }
        for (k, v) in &req.options.headers {
            headers.insert(k.clone(), v.clone());
        }
        if mode == Mode::Events {
            headers.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        }
        HttpRequest {
            method: req.method.clone(),
            url: format!("{}{}", self.inner.base_url, req.path_and_query()),
            base_url: self.inner.shown_base_url.clone(),
            route: req.route.clone(),
            headers,
            body: req.body.clone(),
            streaming: req.streaming,
            timeout: req.options.timeout.unwrap_or(self.inner.timeout),
            idle_timeout: self.inner.stream_idle_timeout,
            max_body_size: self.inner.max_body_size,
            follow_redirects: req.options.follow_redirects.unwrap_or(true),
        }
    }

    async fn send_traced(
        &self,
        req: &Request,
        mode: Mode,
        resend_count: u32,
    ) -> Result<(StatusCode, HeaderMap, ResponseBody)> {
        let mut http = self.prepare(req, mode);
        // OpenTelemetry's HTTP client conventions: `{method} {url.template}` as the name, the
        // route template (never the ids in it), and the resend count only on a resend.
        let span = tracing::info_span!(
            "agentos.request",
            otel.name = %format_args!("{} {}", req.method, req.route),
            otel.kind = "client",
            http.request.method = %req.method,
            url.template = %req.route,
            server.address = %self.inner.server_address,
            server.port = self.inner.server_port,
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            error.type = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        if resend_count > 0 {
            span.record("http.request.resend_count", resend_count);
        }
        self.inner.trace_context.inject(&span, &mut http.headers);
        let started = Instant::now();
        let transport = self.inner.transport.clone();
        async move {
            let result = transport.send(http).await;
            let span = tracing::Span::current();
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            match result {
                Ok(resp) => {
                    span.record("http.response.status_code", resp.status.as_u16());
                    if !resp.status.is_success() {
                        span.record("error.type", resp.status.as_str());
                    }
                    tracing::debug!(status = resp.status.as_u16(), "response");
                    Ok((resp.status, resp.headers, resp.body))
                }
                Err(e) => {
                    span.record("error.type", error_type(&e));
                    tracing::debug!(error = %e, "request failed");
                    Err(e)
                }
            }
        }
        .instrument(span)
        .await
    }

    /// One attempt: a success status with its body (buffered, or a stream when the request
    /// streams), or the error, with the body of an error status read and parsed.
    async fn attempt(&self, req: &Request, mode: Mode, resend_count: u32) -> Result<Exchange> {
        let (status, headers, body) = self.send_traced(req, mode, resend_count).await?;
        let returns_redirect = req.options.follow_redirects == Some(false);
        if status.is_success() || (returns_redirect && status.is_redirection()) {
            return Ok(Exchange {
                status,
                headers,
                body,
            });
        }
        let bytes = self.buffer(req, body).await?;
        // Scrubbed before parsing, so that neither the body nor the `detail` keeps a secret.
        let bytes = self.secrets_of(req).scrub(&bytes).into_owned();
        Err(Error::Http(Box::new(HttpError::from_response(
            status,
            req.method.clone(),
            &req.route,
            &headers,
            &bytes,
        ))))
    }

    /// The whole body. A transport may hand a body over as a stream: it is read within the
    /// call's timeout (and the body limit), so a stalled one cannot hang the call.
    async fn buffer(&self, req: &Request, body: ResponseBody) -> Result<Bytes> {
        let stream = match body {
            ResponseBody::Buffered(b) => return Ok(b),
            ResponseBody::Stream(s) => s,
        };
        let after = req.options.timeout.unwrap_or(self.inner.timeout);
        tokio::time::timeout(after, collect(stream, self.inner.max_body_size))
            .await
            .map_err(|_| Error::Timeout {
                method: req.method.clone(),
                route: req.route.to_string(),
                after,
            })?
    }

    /// The secrets of the client and of this call's own headers.
    fn secrets_of(&self, req: &Request) -> Arc<Secrets> {
        self.inner.secrets.with_headers(&req.options.headers)
    }

    /// Sends with the retry policy of the call (or of the client).
    async fn send_with_retries(&self, req: &Request, mode: Mode) -> Result<Exchange> {
        let policy = req.options.retry.unwrap_or(self.inner.retry);
        let idempotent = req.is_idempotent();
        let mut waited = Duration::ZERO;
        let mut attempt = 1u32;
        loop {
            match self.attempt(req, mode, attempt - 1).await {
                Ok(x) => return Ok(x),
                Err(e) => match policy.next_delay(&e, idempotent, attempt, waited) {
                    Some(delay) => {
                        tracing::warn!(
                            http.request.method = %req.method,
                            url.path = %req.route,
                            attempt,
                            delay_ms = delay.as_millis() as u64,
                            error = %e,
                            "retrying AgentOS request"
                        );
                        tokio::time::sleep(delay).await;
                        waited += delay;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
            }
        }
    }

    /// Sends a request and buffers the response. A 4xx or 5xx status is an [`Error::Http`];
    /// so is a 3xx, unless the request asks for redirects back
    /// ([`RequestOptions::follow_redirects`](crate::RequestOptions::follow_redirects)).
    /// Failures are retried according to the [`RetryPolicy`] (see its rules).
    pub async fn execute(&self, mut req: Request) -> Result<Response> {
        req.streaming = false;
        let x = match self.send_with_retries(&req, Mode::Buffered).await {
            Ok(x) => x,
            Err(e) => return Err(self.explain_missing_route(&req, e).await),
        };
        let body = self.buffer(&req, x.body).await?;
        Ok(Response {
            status: x.status,
            headers: x.headers,
            body,
            secrets: self.secrets_of(&req),
            max_json_values: self.inner.max_json_values,
            method: req.method,
            route: req.route.into_owned(),
        })
    }

    /// Sends a request for a stream of server-sent events (with `Accept: text/event-stream`).
    /// A 4xx or 5xx status is an [`Error::Http`]. A success whose `Content-Type` is not
    /// `text/event-stream` (a JSON body, a proxy's HTML page) is an [`Error::NotEventStream`]
    /// that keeps the status, the content type and the start of the body. A response without
    /// a `Content-Type` is taken as the stream asked for: it claims nothing else, and the
    /// decoder still checks and bounds every frame. Otherwise the body is handed over
    /// unread. Only failures before the response are retried.
    pub async fn execute_stream(&self, mut req: Request) -> Result<StreamResponse> {
        req.streaming = true;
        let x = match self.send_with_retries(&req, Mode::Events).await {
            Ok(x) => x,
            Err(e) => return Err(self.explain_missing_route(&req, e).await),
        };
        let resp = x.into_stream_response();
        match content_type(&resp.headers) {
            Some(ct) if resp.status.is_success() && !is_event_stream_type(ct) => {
                let content_type = ct.to_owned();
                let timeout = req.options.timeout.unwrap_or(self.inner.timeout);
                let start = read_start(resp.body, MAX_ERROR_BODY, timeout).await;
                Err(Error::NotEventStream {
                    method: req.method.clone(),
                    route: req.route.to_string(),
                    status: resp.status,
                    content_type,
                    body: self.secrets_of(&req).error_body(&start),
                })
            }
            _ => Ok(resp),
        }
    }

    /// Sends a request whose body is a download of any type (a media file), handed over
    /// unread as it arrives, so that it is never held in memory whole. A 4xx or 5xx status
    /// is an [`Error::Http`]. Only failures before the response are retried.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use futures::StreamExt;
    /// let req = agentos_core::Request::get("/sessions/{session_id}/media/{storage_key:path}", &["s-1", "cat.png"])?;
    /// let mut resp = client.execute_download(req).await?;
    /// while let Some(chunk) = resp.body.next().await {
    ///     let _bytes = chunk?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn execute_download(&self, mut req: Request) -> Result<StreamResponse> {
        req.streaming = true;
        let x = self.send_with_retries(&req, Mode::Download).await?;
        Ok(x.into_stream_response())
    }
}

/// What a call wants back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The whole body.
    Buffered,
    /// A stream of server-sent events.
    Events,
    /// A body of any type, unbuffered.
    Download,
}

struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: ResponseBody,
}

/// Checks a base URL as the transport will read it (WHATWG rules, as reqwest does), so that a
/// bad one fails when the client is built and not on the first call: an `http` or `https`
/// URL with a host, a port in range, and no query string or fragment (a path prefix is fine).
/// Returns its scheme, host and port. Messages show the URL with any `user:password@` redacted.
fn check_base_url(base_url: &str) -> Result<(&'static str, String, u16)> {
    let shown = crate::secret::redact_userinfo(base_url);
    let bad = |why: &dyn fmt::Display| Error::invalid(format!("invalid base URL {shown:?}: {why}"));
    let url = url::Url::parse(base_url).map_err(|e| bad(&e))?;
    let scheme = match url.scheme() {
        "http" => "http",
        "https" => "https",
        _ => return Err(bad(&"it must start with http:// or https://")),
    };
    // The parser forgives `http:host`, `http:/host` and `http:///host`; a base URL must not
    // depend on that.
    let after_scheme = base_url.get(scheme.len()..).unwrap_or_default();
    if !after_scheme.starts_with("://") || after_scheme[3..].starts_with(['/', '\\']) {
        return Err(bad(&"it must start with http:// or https:// and the host"));
    }
    // The raw string too: the parser drops an empty query (`?`) or fragment (`#`).
    if url.query().is_some() || base_url.contains('?') {
        return Err(bad(&"it must not have a query string"));
    }
    if url.fragment().is_some() || base_url.contains('#') {
        return Err(bad(&"it must not have a fragment"));
    }
    let host = match url.host_str() {
        Some(h) if !h.is_empty() => h.to_owned(),
        _ => return Err(bad(&"it has no host")),
    };
    // A scheme of http or https always has a known default port.
    let port = url.port_or_known_default().unwrap_or_default();
    Ok((scheme, host, port))
}

impl Exchange {
    fn into_stream_response(self) -> StreamResponse {
        let body: ByteStream = match self.body {
            ResponseBody::Stream(s) => s,
            ResponseBody::Buffered(b) => Box::pin(futures::stream::once(async move { Ok(b) })),
        };
        StreamResponse {
            status: self.status,
            headers: self.headers,
            body,
        }
    }
}

/// True for `localhost` and loopback IP addresses.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn error_type(e: &Error) -> &'static str {
    match e {
        Error::RemoteServerUnavailable { .. } => "unavailable",
        Error::Tls { .. } => "tls",
        Error::Timeout { .. } => "timeout",
        Error::Connection { .. } => "connection",
        Error::TooLarge { .. } | Error::TooManyJsonValues { .. } => "too_large",
        Error::Redirect { .. } => "redirect",
        _ => "other",
    }
}

async fn collect(mut stream: ByteStream, limit: usize) -> Result<Bytes> {
    let mut buf = bytes::BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if buf.len() + chunk.len() > limit {
            return Err(Error::TooLarge {
                what: "response body",
                limit,
            });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// The first `limit` bytes of `body` (fewer when it ends, fails or goes silent: this is for an
/// error message, read within `within`).
async fn read_start(mut body: ByteStream, limit: usize, within: Duration) -> Bytes {
    let mut buf = bytes::BytesMut::new();
    let _ = tokio::time::timeout(within, async {
        while buf.len() < limit {
            match body.next().await {
                Some(Ok(chunk)) => {
                    buf.extend_from_slice(&chunk[..chunk.len().min(limit - buf.len())])
                }
                _ => break,
            }
        }
    })
    .await;
    buf.freeze()
}

#[cfg(test)]
mod session_routing_tests {
    use super::*;
    use crate::request::{Body, Form, Request};

    fn client() -> AgentOsClient {
        AgentOsClient::builder()
            .base_url("http://127.0.0.1:9")
            .session_header("X-Session-Id")
            .build()
            .unwrap()
    }

    #[test]
    fn the_session_id_is_found_in_the_query_the_form_or_the_route() {
        let c = client();
        let r = Request::get("/agents/{agent_id}/runs", &["a"])
            .unwrap()
            .query("session_id", "q s");
        assert_eq!(c.prepare(&r, Mode::Buffered).headers["x-session-id"], "q s");
        let mut form = Form::new();
        form.text("session_id", "from-form");
        let mut r = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
        r.body = Body::Form(form);
        assert_eq!(
            c.prepare(&r, Mode::Buffered).headers["x-session-id"],
            "from-form"
        );
        let r = Request::get("/sessions/{session_id}/runs", &["a b é"]).unwrap();
        // Decoded from the path, sent as its UTF-8 bytes.
        assert_eq!(r.session_id().as_deref(), Some("a b é"));
        assert_eq!(
            c.prepare(&r, Mode::Buffered).headers["x-session-id"].as_bytes(),
            "a b é".as_bytes()
        );
        let r = Request::get("/sessions/{session_id}", &["s-1"]).unwrap();
        assert_eq!(c.prepare(&r, Mode::Buffered).headers["x-session-id"], "s-1");
        // No session: no header; a session id a header cannot hold: no header either.
        let r = Request::get(crate::discovery::route::AGENTS, &[]).unwrap();
        assert!(
            c.prepare(&r, Mode::Buffered)
                .headers
                .get("x-session-id")
                .is_none()
        );
        let r = Request::get("/sessions/{session_id}", &["a\nb"]).unwrap();
        assert!(
            c.prepare(&r, Mode::Buffered)
                .headers
                .get("x-session-id")
                .is_none()
        );
        // Without the option nothing is added.
        let plain = AgentOsClient::builder()
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let r = Request::get("/sessions/{session_id}", &["s-1"]).unwrap();
        assert!(
            plain
                .prepare(&r, Mode::Buffered)
                .headers
                .get("x-session-id")
                .is_none()
        );
    }

    #[test]
    fn new_session_ids_are_uuid_shaped_and_differ() {
        let a = new_session_id();
        let b = new_session_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
