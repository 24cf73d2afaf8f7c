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
/// Redirects are followed (at most 10; the `Authorization` header is dropped when one leads
/// to another host). A request that asks for redirects back
/// ([`HttpRequest::follow_redirects`] false) goes through a second client without a redirect
/// policy, built on first use with the same settings.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    no_redirects: Arc<OnceLock<reqwest::Client>>,
    connect_timeout: Option<Duration>,
}

impl ReqwestTransport {
    /// A transport with a connect timeout of `connect_timeout`.
    pub fn new(connect_timeout: Duration) -> Result<Self> {
        let client = builder(connect_timeout)
            .build()
            .map_err(|e| Error::Transport(Box::new(e)))?;
        Ok(ReqwestTransport {
            client,
            no_redirects: Arc::default(),
            connect_timeout: Some(connect_timeout),
        })
    }

    /// A transport over a `reqwest::Client` you configured yourself (proxies, certificates).
    /// Requests that ask for redirects back use the same client, so they see a redirect only
    /// if its policy does not follow it; see [`with_clients`](Self::with_clients).
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
            connect_timeout: None,
        }
    }

    fn client_for(&self, req: &HttpRequest) -> Result<&reqwest::Client> {
        if req.follow_redirects {
            return Ok(&self.client);
        }
        if let Some(c) = self.no_redirects.get() {
            return Ok(c);
        }
        let timeout = self
            .connect_timeout
            .unwrap_or(crate::DEFAULT_CONNECT_TIMEOUT);
        let built = builder(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Transport(Box::new(e)))?;
        Ok(self.no_redirects.get_or_init(|| built))
    }
}

/// The settings of the transport's clients.
fn builder(connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(Duration::from_secs(90))
}

fn map_error(e: reqwest::Error, req: &HttpRequest, after: Duration) -> Error {
    if e.is_timeout() {
        Error::Timeout {
            method: req.method.clone(),
            route: req.route.to_string(),
            after,
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
    let idle = req.idle_timeout;
    let method = req.method.clone();
    let route = req.route.to_string();
    let meta = req.clone();
    let inner = resp.bytes_stream();
    Box::pin(futures::stream::unfold(
        (inner, false),
        move |(mut inner, done)| {
            let method = method.clone();
            let route = route.clone();
            let meta = meta.clone();
            async move {
                if done {
                    return None;
                }
                let next = match idle {
                    Some(limit) => match tokio::time::timeout(limit, inner.next()).await {
                        Ok(n) => n,
                        Err(_) => {
                            let err = Error::Timeout {
                                method,
                                route,
                                after: limit,
                            };
                            return Some((Err(err), (inner, true)));
                        }
                    },
                    None => inner.next().await,
                };
                match next {
                    None => None,
                    Some(Ok(b)) => Some((Ok(b), (inner, false))),
                    Some(Err(e)) => Some((Err(map_error(e, &meta, meta.timeout)), (inner, true))),
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
