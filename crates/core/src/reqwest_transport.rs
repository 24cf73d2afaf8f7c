//! The default transport: one pooled `reqwest::Client`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use futures::{StreamExt, TryStreamExt};
use http::header::CONTENT_TYPE;

use crate::error::{Error, Result};
use crate::request::{Body, Multipart, PartData, ProgressFn};
use crate::transport::{ByteStream, HttpRequest, Transport, TransportResponse};

/// The default [`Transport`]: a pooled `reqwest::Client` (rustls, gzip, HTTP/2).
///
/// TLS uses rustls with the *ring* provider (feature `rustls`) or aws-lc-rs (feature
/// `rustls-aws-lc`), and checks certificates against the platform's roots plus any given to
/// [`with_root_certificates`](Self::with_root_certificates). The provider is set on this
/// transport's clients only: nothing process-wide is installed.
///
/// Redirects are followed (at most 10; the `Authorization` header is dropped when one leads
/// to another host). A request that asks for redirects back
/// ([`HttpRequest::follow_redirects`] false) goes through a second client without a redirect
/// policy, built on first use with the same settings.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    no_redirects: Arc<OnceLock<reqwest::Client>>,
    settings: Option<Arc<Settings>>,
}

/// What the transport's own clients are built from.
#[derive(Debug)]
struct Settings {
    connect_timeout: Duration,
    root_certificates_pem: Vec<u8>,
}

impl Settings {
    fn builder(&self) -> Result<reqwest::ClientBuilder> {
        let builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90));
        tls::configure(builder, &self.root_certificates_pem)
    }
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
        let settings = Settings {
            connect_timeout,
            root_certificates_pem: pem.to_vec(),
        };
        let client = settings.builder()?.build().map_err(builder_error)?;
        Ok(ReqwestTransport {
            client,
            no_redirects: Arc::default(),
            settings: Some(Arc::new(settings)),
        })
    }

    /// A transport over a `reqwest::Client` you configured yourself (proxies, certificates).
    /// Requests that ask for redirects back use the same client, so they see a redirect only
    /// if its policy does not follow it; see [`with_clients`](Self::with_clients).
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

    /// A transport over two clients you configured yourself: `client` for every request, and
    /// `no_redirects` (built with `reqwest::redirect::Policy::none()`) for the requests that
    /// ask for redirects back.
    pub fn with_clients(client: reqwest::Client, no_redirects: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            no_redirects: Arc::new(OnceLock::from(no_redirects)),
            settings: None,
        }
    }

    fn client_for(&self, req: &HttpRequest) -> Result<&reqwest::Client> {
        if req.follow_redirects {
            return Ok(&self.client);
        }
        if let Some(c) = self.no_redirects.get() {
            return Ok(c);
        }
        let Some(settings) = &self.settings else {
            return Ok(&self.client);
        };
        let built = settings
            .builder()?
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(builder_error)?;
        Ok(self.no_redirects.get_or_init(|| built))
    }
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
    if e.is_timeout() {
        Error::Timeout {
            method: req.method.clone(),
            route: req.route.to_string(),
            after,
        }
    } else if tls::is_tls_failure(&e) {
        Error::Tls {
            base_url: req.base_url.clone(),
            source: Box::new(e.without_url()),
        }
    } else if e.is_connect() {
        // Only a connection that never opened: the request cannot have reached the server,
        // which is what makes this error safe to retry for any method.
        Error::RemoteServerUnavailable {
            base_url: req.base_url.clone(),
            source: Box::new(e.without_url()),
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
        let mut rb = self
            .client_for(&req)?
            .request(req.method.clone(), &req.url)
            .headers(req.headers.clone());
        match req.body.clone() {
            Body::Empty => {}
            Body::Json(b) => rb = rb.header(CONTENT_TYPE, "application/json").body(b),
            Body::Form(f) => {
                rb = rb
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(f.encode())
            }
            Body::Multipart(m) => rb = rb.multipart(build_multipart(m).await?),
        }
        let timeout = req.timeout;
        if req.streaming {
            let resp = tokio::time::timeout(timeout, rb.send())
                .await
                .map_err(|_| Error::Timeout {
                    method: req.method.clone(),
                    route: req.route.to_string(),
                    after: timeout,
                })?
                .map_err(|e| map_error(e, &req, timeout))?;
            let status = resp.status();
            let headers = resp.headers().clone();
            if status.is_success() {
                return Ok(TransportResponse::streaming(
                    status,
                    headers,
                    idle_guarded(resp, &req),
                ));
            }
            let body = read_limited(resp, &req).await?;
            return Ok(TransportResponse::buffered(status, headers, body));
        }
        let exchange = async {
            let resp = rb.send().await.map_err(|e| map_error(e, &req, timeout))?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = read_limited(resp, &req).await?;
            Ok(TransportResponse::buffered(status, headers, body))
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| Error::Timeout {
                method: req.method.clone(),
                route: req.route.to_string(),
                after: timeout,
            })?
    }
}
