//! The default transport: one pooled `reqwest::Client`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use futures::{StreamExt, TryStreamExt};
use http::header::CONTENT_TYPE;

use crate::error::{Error, RedirectRefusal, Result};
use crate::request::{Body, Multipart, PartData, ProgressFn};
use crate::secret::SecretUrl;
use crate::transport::{ByteStream, HttpRequest, Transport, TransportResponse};

/// The most redirects the default transport follows for one call.
const MAX_REDIRECTS: usize = 10;
/// How long a connection may sit idle before TCP keepalive probes start, and the gap between
/// probes: a peer that vanished (a half-open connection) is noticed within about a minute.
const TCP_KEEPALIVE: Duration = Duration::from_secs(30);
const TCP_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
const TCP_KEEPALIVE_RETRIES: u32 = 3;

/// The default [`Transport`]: a pooled `reqwest::Client` (rustls, gzip, HTTP/2).
///
/// TLS uses rustls with the *ring* provider (feature `rustls`) or aws-lc-rs (feature
/// `rustls-aws-lc`), and checks certificates against the platform's roots plus any given to
/// [`with_root_certificates`](Self::with_root_certificates). The provider is set on this
/// transport's clients only: nothing process-wide is installed. Connections use TCP
/// keepalive, so a half-open connection is noticed even while a stream waits.
///
/// # Time limits
///
/// [`HttpRequest::timeout`] is a deadline for the whole exchange of a buffered request (every
/// redirect hop, the response head and the whole body) and, for a streaming request, for
/// everything up to the response head plus, when the status is an error, the error body: a
/// stalled or trickling body ends at the deadline. The body of a successful stream is bounded
/// by [`HttpRequest::idle_timeout`] between chunks instead. A connection that cannot be opened
/// within the connect timeout is [`Error::RemoteServerUnavailable`].
///
/// # Redirects
///
/// The transports made by [`new`](Self::new) and
/// [`with_root_certificates`](Self::with_root_certificates) follow redirects themselves
/// (reqwest's own policy is off), by these rules:
///
/// - 301, 302, 303, 307 and 308 with a `Location` are followed, at most 10 in a row; a
///   redirect back to a URL already requested in the call is refused (a loop). Other 3xx,
///   and a 3xx without `Location`, are returned as they are.
/// - When the redirect changes the scheme, host or port (another *origin*), **no header of
///   the request follows**: not `Authorization`, not `x-api-key`, not a header set with
///   `.header(..)` on the client or on the call. Within the same origin every header is kept.
/// - A redirect from `https` to `http` is never followed, even on the same host.
/// - A body is never sent to another origin: a 307 or 308 (which keep the method and body)
///   of a request with a body to another origin is refused. A 301 or 302 turns a `POST`
///   into a `GET` without a body, and a 303 does so for every method but `GET` and `HEAD`,
///   as browsers do. Within the same origin a 307 or 308 re-sends the body (a file part is
///   opened again and streamed from disk).
/// - A refusal is [`Error::Redirect`] (with its [`RedirectRefusal`]), whose `location`
///   prints without userinfo or query; nothing is sent to that location.
///
/// A request that asks for redirects back ([`HttpRequest::follow_redirects`] false) gets the
/// 3xx response itself.
///
/// Over your own clients ([`with_client`](Self::with_client),
/// [`with_clients`](Self::with_clients)) none of the above applies: your client's redirect
/// policy decides (reqwest's default follows up to 10 redirects and drops only
/// `Authorization`, `Cookie` and `Proxy-Authorization` on another host). Build it with
/// `reqwest::redirect::Policy::none()` to get every 3xx back as an error instead.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    redirects: Redirects,
}

/// Who follows redirects.
#[derive(Debug, Clone)]
enum Redirects {
    /// This transport, by the rules above (its client follows none).
    Ours,
    /// The user's `client`, by its own policy; `no_redirects` serves the requests that ask for
    /// redirects back.
    Theirs { no_redirects: reqwest::Client },
}

impl ReqwestTransport {
    /// A transport with a connect timeout of `connect_timeout`.
    pub fn new(connect_timeout: Duration) -> Result<Self> {
        Self::with_root_certificates(connect_timeout, &[])
    }

    /// A transport that also trusts the CA certificates in `pem` (one or more PEM
    /// `CERTIFICATE` blocks), e.g. the private CA of an internal AgentOS. The platform's
    /// roots stay trusted.
    pub fn with_root_certificates(connect_timeout: Duration, pem: &[u8]) -> Result<Self> {
        let builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_keepalive(TCP_KEEPALIVE)
            .tcp_keepalive_interval(TCP_KEEPALIVE_INTERVAL)
            .tcp_keepalive_retries(TCP_KEEPALIVE_RETRIES)
            .redirect(reqwest::redirect::Policy::none());
        let client = tls::configure(builder, pem)?
            .build()
            .map_err(builder_error)?;
        Ok(ReqwestTransport {
            client,
            redirects: Redirects::Ours,
        })
    }

    /// A transport over a `reqwest::Client` you configured yourself (proxies, certificates).
    /// Its own redirect policy applies (this transport follows nothing itself; see
    /// "Redirects" above). Requests that ask for redirects back use the same client, so they
    /// see a redirect only if its policy does not follow it; see
    /// [`with_clients`](Self::with_clients).
    ///
    /// With this crate's default `rustls` feature, reqwest is built without a crypto provider
    /// of its own (the SDK hands its clients a ring config): a `reqwest::Client` built in your
    /// code needs reqwest's `rustls` feature in your `Cargo.toml`, a
    /// `tls_backend_preconfigured` config, or a process-wide rustls provider, or its `build()`
    /// panics. For a private CA alone, prefer
    /// [`ClientBuilder::add_root_certificate_pem`](crate::ClientBuilder::add_root_certificate_pem).
    pub fn with_client(client: reqwest::Client) -> Self {
        Self::with_clients(client.clone(), client)
    }

    /// A transport over two clients you configured yourself: `client` for every request (its
    /// redirect policy applies), and `no_redirects` (built with
    /// `reqwest::redirect::Policy::none()`) for the requests that ask for redirects back.
    pub fn with_clients(client: reqwest::Client, no_redirects: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            redirects: Redirects::Theirs { no_redirects },
        }
    }

    /// Sends `req`, following redirects when this transport does, and returns the response
    /// whose head arrived last.
    async fn send_following(&self, req: &HttpRequest) -> Result<reqwest::Response> {
        let (client, follow) = match &self.redirects {
            Redirects::Ours => (&self.client, req.follow_redirects),
            Redirects::Theirs { .. } if req.follow_redirects => (&self.client, false),
            Redirects::Theirs { no_redirects } => (no_redirects, false),
        };
        let url = reqwest::Url::parse(&req.url).map_err(|e| {
            Error::invalid(format!(
                "invalid URL {}: {e}",
                crate::secret::redact_userinfo(&req.url)
            ))
        })?;
        let mut hop = Hop {
            method: req.method.clone(),
            url,
            headers: req.headers.clone(),
            body: req.body.clone(),
        };
        let mut visited = vec![(hop.method.clone(), hop.url.clone())];
        loop {
            let resp = send_once(client, &hop, req).await?;
            if !follow {
                return Ok(resp);
            }
            let status = resp.status();
            match next_hop(&hop, status, resp.headers(), &visited) {
                Ok(Some(next)) => {
                    visited.push((next.method.clone(), next.url.clone()));
                    hop = next;
                }
                Ok(None) => return Ok(resp),
                Err((location, reason)) => {
                    return Err(Error::Redirect {
                        method: req.method.clone(),
                        route: req.route.to_string(),
                        status,
                        location,
                        reason,
                    });
                }
            }
        }
    }
}

/// One request of a call: the first, or one a redirect led to.
#[derive(Debug)]
struct Hop {
    method: reqwest::Method,
    url: reqwest::Url,
    headers: http::HeaderMap,
    body: Body,
}

/// The same origin: scheme, host and port (the scheme's default port when none is written).
fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Headers that describe a body, dropped with it.
const BODY_HEADERS: [http::HeaderName; 6] = [
    CONTENT_TYPE,
    http::header::CONTENT_LENGTH,
    http::header::CONTENT_ENCODING,
    http::header::CONTENT_LANGUAGE,
    http::header::CONTENT_LOCATION,
    http::header::TRANSFER_ENCODING,
];

/// The request a redirect response leads to, by the rules of [`ReqwestTransport`]: `None`
/// when the response is to be returned as it is, or the refusal with the resolved location.
/// `visited` holds every request of the call so far, the first included.
fn next_hop(
    hop: &Hop,
    status: http::StatusCode,
    headers: &http::HeaderMap,
    visited: &[(reqwest::Method, reqwest::Url)],
) -> std::result::Result<Option<Hop>, (SecretUrl, RedirectRefusal)> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let Some(raw) = headers.get(http::header::LOCATION) else {
        return Ok(None);
    };
    let shown = || SecretUrl::new(String::from_utf8_lossy(raw.as_bytes()));
    let url = raw
        .to_str()
        .ok()
        .and_then(|location| hop.url.join(location).ok())
        .ok_or_else(|| (shown(), RedirectRefusal::InvalidLocation))?;
    let refuse = |reason| Err((SecretUrl::new(url.as_str()), reason));
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return refuse(RedirectRefusal::InvalidLocation);
    }
    if hop.url.scheme() == "https" && url.scheme() == "http" {
        return refuse(RedirectRefusal::Downgrade);
    }
    if visited.len() > MAX_REDIRECTS {
        return refuse(RedirectRefusal::TooMany {
            limit: MAX_REDIRECTS,
        });
    }
    let mut method = hop.method.clone();
    let mut body = hop.body.clone();
    let mut headers = hop.headers.clone();
    let to_get = match status.as_u16() {
        301 | 302 => method == reqwest::Method::POST,
        303 => method != reqwest::Method::GET && method != reqwest::Method::HEAD,
        _ => false,
    };
    if to_get {
        method = reqwest::Method::GET;
        body = Body::Empty;
        for name in &BODY_HEADERS {
            headers.remove(name);
        }
    }
    if !same_origin(&hop.url, &url) {
        if !matches!(body, Body::Empty) {
            return refuse(RedirectRefusal::BodyToOtherOrigin);
        }
        headers.clear();
    }
    if visited.iter().any(|(m, u)| *m == method && *u == url) {
        return refuse(RedirectRefusal::Loop);
    }
    Ok(Some(Hop {
        method,
        url,
        headers,
        body,
    }))
}

/// Sends one request (no redirect followed) and returns its response head.
async fn send_once(
    client: &reqwest::Client,
    hop: &Hop,
    req: &HttpRequest,
) -> Result<reqwest::Response> {
    let mut rb = client
        .request(hop.method.clone(), hop.url.clone())
        .headers(hop.headers.clone());
    match hop.body.clone() {
        Body::Empty => {}
        Body::Json(b) => rb = rb.header(CONTENT_TYPE, "application/json").body(b),
        Body::Form(f) => {
            rb = rb
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(f.encode())
        }
        Body::Multipart(m) => rb = rb.multipart(build_multipart(m).await?),
    }
    rb.send().await.map_err(|e| map_error(e, req, req.timeout))
}

fn builder_error(e: reqwest::Error) -> Error {
    Error::Transport(Box::new(e))
}

/// TLS settings of the transport's clients, per provider.
mod tls {
    use super::*;

    /// Parses the PEM certificates, refusing input that holds none.
    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
    fn certificates(pem: &[u8]) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::invalid(format!("invalid PEM root certificate: {e}")))?;
        if certs.is_empty() {
            return Err(Error::invalid(
                "no PEM certificate in the root certificates",
            ));
        }
        Ok(certs)
    }

    /// aws-lc-rs: reqwest's own rustls setup, plus the extra roots.
    #[cfg(feature = "rustls-aws-lc")]
    pub(super) fn configure(
        builder: reqwest::ClientBuilder,
        pem: &[u8],
    ) -> Result<reqwest::ClientBuilder> {
        if pem.is_empty() {
            return Ok(builder);
        }
        let certs = certificates(pem)?
            .iter()
            .map(|der| reqwest::Certificate::from_der(der))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(builder_error)?;
        Ok(builder.tls_certs_merge(certs))
    }

    /// ring: a rustls config of our own, handed to reqwest as is.
    #[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc")))]
    pub(super) fn configure(
        builder: reqwest::ClientBuilder,
        pem: &[u8],
    ) -> Result<reqwest::ClientBuilder> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = if pem.is_empty() {
            Vec::new()
        } else {
            certificates(pem)?
        };
        let tls_error = |e: rustls::Error| Error::Transport(Box::new(e));
        let verifier =
            rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
                .map_err(tls_error)?;
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(builder.tls_backend_preconfigured(config))
    }

    /// No TLS (feature `reqwest` alone): plain http only.
    #[cfg(not(any(feature = "rustls", feature = "rustls-aws-lc")))]
    pub(super) fn configure(
        builder: reqwest::ClientBuilder,
        pem: &[u8],
    ) -> Result<reqwest::ClientBuilder> {
        if pem.is_empty() {
            Ok(builder)
        } else {
            Err(Error::invalid(
                "root certificates need TLS: enable the `rustls` feature",
            ))
        }
    }

    /// True when a rustls error is somewhere in the chain (a failed handshake).
    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
    pub(super) fn is_tls_failure(e: &(dyn std::error::Error + 'static)) -> bool {
        crate::error::chain(e).any(|err| err.is::<rustls::Error>())
    }

    #[cfg(not(any(feature = "rustls", feature = "rustls-aws-lc")))]
    pub(super) fn is_tls_failure(_: &(dyn std::error::Error + 'static)) -> bool {
        false
    }
}

fn map_error(e: reqwest::Error, req: &HttpRequest, after: Duration) -> Error {
    // The order matters: a failed handshake is a connect error too, and a connect timeout is
    // both a connect error and a timeout.
    if tls::is_tls_failure(&e) {
        Error::Tls {
            base_url: req.base_url.clone(),
            source: Box::new(e.without_url()),
        }
    } else if e.is_connect() {
        // Only a connection that never opened (refused, no route, DNS, connect timeout): the
        // request cannot have reached the server, which is what makes this error safe to retry
        // for any method.
        Error::RemoteServerUnavailable {
            base_url: req.base_url.clone(),
            source: Box::new(e.without_url()),
        }
    } else if e.is_timeout() {
        Error::Timeout {
            method: req.method.clone(),
            route: req.route.to_string(),
            after,
        }
    } else if e.is_request() || e.is_body() || e.is_decode() {
        Error::Connection {
            method: req.method.clone(),
            route: req.route.to_string(),
            source: Box::new(e.without_url()),
        }
    } else {
        Error::Transport(Box::new(e.without_url()))
    }
}

/// Wraps a part's chunks so that every chunk read advances the shared progress counter.
fn counted<S>(stream: S, sent: Arc<AtomicU64>, total: u64, progress: ProgressFn) -> reqwest::Body
where
    S: futures::Stream<Item = std::io::Result<Bytes>> + Send + Sync + 'static,
{
    reqwest::Body::wrap_stream(stream.inspect_ok(move |chunk| {
        let now = sent.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
        progress(now, total);
    }))
}

async fn build_multipart(m: Multipart) -> Result<reqwest::multipart::Form> {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in m.fields.fields {
        form = form.text(k, v);
    }
    let total = m.files.iter().map(|f| f.len()).sum::<u64>();
    let sent = Arc::new(AtomicU64::new(0));
    if let Some(p) = &m.progress {
        p(0, total);
    }
    for part in m.files {
        let len = part.len();
        let body = match (part.data, &m.progress) {
            (PartData::Bytes(b), None) => reqwest::Body::from(b),
            (PartData::Bytes(b), Some(p)) => counted(
                futures::stream::once(async move { Ok::<_, std::io::Error>(b) }),
                sent.clone(),
                total,
                p.clone(),
            ),
            (PartData::File { path, .. }, progress) => {
                let file = tokio::fs::File::open(&path)
                    .await
                    .map_err(|source| Error::File { path, source })?;
                let stream = tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024);
                match progress {
                    Some(p) => counted(stream, sent.clone(), total, p.clone()),
                    None => reqwest::Body::wrap_stream(stream),
                }
            }
        };
        let p = reqwest::multipart::Part::stream_with_length(body, len)
            .file_name(part.filename)
            .mime_str(&part.content_type)
            .map_err(|_| Error::invalid(format!("invalid content type {:?}", part.content_type)))?;
        form = form.part(part.name, p);
    }
    Ok(form)
}

async fn read_limited(resp: reqwest::Response, req: &HttpRequest) -> Result<Bytes> {
    let limit = req.max_body_size;
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Error::TooLarge {
            what: "response body",
            limit,
        });
    }
    let mut buf = BytesMut::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| map_error(e, req, req.timeout))?;
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

fn idle_guarded(resp: reqwest::Response, req: &HttpRequest) -> ByteStream {
    // What an error of this stream names, made once per stream (not per chunk): the request
    // without its headers and body.
    let meta = Arc::new(HttpRequest {
        headers: http::HeaderMap::new(),
        body: Body::Empty,
        ..req.clone()
    });
    let idle = req.idle_timeout;
    let inner = resp.bytes_stream();
    Box::pin(futures::stream::unfold(
        (inner, meta, false),
        move |(mut inner, meta, done)| async move {
            if done {
                return None;
            }
            let next = match idle {
                Some(limit) => match tokio::time::timeout(limit, inner.next()).await {
                    Ok(n) => n,
                    Err(_) => {
                        let err = Error::Timeout {
                            method: meta.method.clone(),
                            route: meta.route.to_string(),
                            after: limit,
                        };
                        return Some((Err(err), (inner, meta, true)));
                    }
                },
                None => inner.next().await,
            };
            match next {
                None => None,
                Some(Ok(b)) => Some((Ok(b), (inner, meta, false))),
                Some(Err(e)) => {
                    let err = map_error(e, &meta, meta.timeout);
                    Some((Err(err), (inner, meta, true)))
                }
            }
        },
    ))
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, req: HttpRequest) -> Result<TransportResponse> {
        // One deadline for everything but the body of a successful stream: every redirect
        // hop, the response head, and a buffered or error body however slowly it trickles.
        let deadline = tokio::time::Instant::now() + req.timeout;
        let timed_out = |_| Error::Timeout {
            method: req.method.clone(),
            route: req.route.to_string(),
            after: req.timeout,
        };
        let resp = tokio::time::timeout_at(deadline, self.send_following(&req))
            .await
            .map_err(timed_out)??;
        let status = resp.status();
        let headers = resp.headers().clone();
        if req.streaming && status.is_success() {
            return Ok(TransportResponse::streaming(
                status,
                headers,
                idle_guarded(resp, &req),
            ));
        }
        let body = tokio::time::timeout_at(deadline, read_limited(resp, &req))
            .await
            .map_err(timed_out)??;
        Ok(TransportResponse::buffered(status, headers, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(method: reqwest::Method, url: &str, body: Body) -> Hop {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-api-key", "k".parse().unwrap());
        headers.insert(CONTENT_TYPE, "application/json".parse().unwrap());
        Hop {
            method,
            url: reqwest::Url::parse(url).unwrap(),
            headers,
            body,
        }
    }

    fn follow(from: &Hop, status: u16, location: &str) -> Option<Hop> {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::LOCATION, location.parse().unwrap());
        let status = http::StatusCode::from_u16(status).unwrap();
        next_hop(
            from,
            status,
            &headers,
            &[(from.method.clone(), from.url.clone())],
        )
        .unwrap()
    }

    #[test]
    fn a_default_port_written_out_is_the_same_origin() {
        let get = hop(reqwest::Method::GET, "https://h.example/a", Body::Empty);
        for location in ["https://h.example:443/b", "https://H.EXAMPLE/b", "/b", "b"] {
            let next = follow(&get, 302, location).unwrap();
            assert!(next.headers.contains_key("x-api-key"), "{location}");
        }
        for location in ["https://h.example:8443/b", "https://g.example/b"] {
            let next = follow(&get, 302, location).unwrap();
            assert!(next.headers.is_empty(), "{location}");
        }
    }

    #[test]
    fn only_a_post_becomes_a_get_on_301_and_302() {
        let body = Body::Json(Bytes::from_static(b"{}"));
        let put = hop(reqwest::Method::PUT, "http://h.example/a", body.clone());
        let next = follow(&put, 302, "/b").unwrap();
        assert_eq!(next.method, reqwest::Method::PUT);
        assert!(matches!(next.body, Body::Json(_)));
        let next = follow(&put, 303, "/b").unwrap();
        assert_eq!(next.method, reqwest::Method::GET);
        assert!(matches!(next.body, Body::Empty));
        assert!(!next.headers.contains_key(CONTENT_TYPE));
        assert!(next.headers.contains_key("x-api-key"));
        // A PUT that keeps its body on a 301 is refused across origins like a 307.
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::LOCATION,
            "http://g.example/b".parse().unwrap(),
        );
        let refused = next_hop(&put, http::StatusCode::MOVED_PERMANENTLY, &headers, &[]);
        assert!(matches!(
            refused,
            Err((_, RedirectRefusal::BodyToOtherOrigin))
        ));
    }

    #[test]
    fn other_statuses_and_a_missing_location_are_returned_as_they_are() {
        let get = hop(reqwest::Method::GET, "http://h.example/a", Body::Empty);
        for status in [300u16, 304, 305, 306] {
            let status = http::StatusCode::from_u16(status).unwrap();
            let mut headers = http::HeaderMap::new();
            headers.insert(http::header::LOCATION, "/b".parse().unwrap());
            assert!(next_hop(&get, status, &headers, &[]).unwrap().is_none());
        }
        let none = next_hop(&get, http::StatusCode::FOUND, &http::HeaderMap::new(), &[]);
        assert!(none.unwrap().is_none());
    }
}
