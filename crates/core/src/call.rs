//! [`Call`]: one request ready to send, with per-call options, awaitable directly.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::client::{AgentOsClient, Response};
use crate::error::{Error, Result};
use crate::kit::CallKit;
use crate::request::{Request, parse_header};
use crate::retry::RetryPolicy;

/// The future of a call.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'static>>;

/// Turns a successful response into the call's output.
pub type Decoder<T> = fn(Response) -> Result<T>;

/// Decodes a JSON body.
pub fn decode_json<T: DeserializeOwned>(resp: Response) -> Result<T> {
    resp.json()
}

/// Ignores the body (for 204 and `{}` answers).
pub fn decode_unit(_: Response) -> Result<()> {
    Ok(())
}

/// Keeps the whole response.
pub fn decode_response(resp: Response) -> Result<Response> {
    Ok(resp)
}

/// One call: a request, the client to send it with, and how to decode the answer.
///
/// Await it directly, or call [`Call::send`]. Add a header or a timeout for this call only:
///
/// ```no_run
/// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
/// use std::time::Duration;
/// let agents = client
///     .list_agents()
///     .header("Authorization", "Bearer another-token")
///     .timeout(Duration::from_secs(5))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct Call<T> {
    pub(crate) client: AgentOsClient,
    pub(crate) request: Result<Request>,
    pub(crate) decode: Decoder<T>,
}

impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        let request = match &self.request {
            Ok(r) => Ok(r.clone()),
            Err(e) => Err(clone_deferred(e)),
        };
        Call {
            client: self.client.clone(),
            request,
            decode: self.decode,
        }
    }
}

/// A copy of a call's deferred error (the error type is not `Clone`: it holds I/O and
/// transport sources). The errors a builder defers keep their variant and message; any other
/// becomes `InvalidRequest` with the whole chain of messages.
fn clone_deferred(error: &Error) -> Error {
    match error {
        Error::InvalidRequest(message) => Error::InvalidRequest(message.clone()),
        Error::File { path, source } => Error::File {
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        other => Error::InvalidRequest(
            crate::error::chain(other)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(": "),
        ),
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Call<T> {
    /// The client the call goes through.
    pub fn client(&self) -> &AgentOsClient {
        &self.client
    }

    /// The request, unless building it failed.
    pub fn request(&self) -> Result<&Request, &Error> {
        self.request.as_ref()
    }

    /// Adds a header to this call only (it overrides the client's header of the same name).
    pub fn header(self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let parsed = parse_header(name.as_ref(), value.as_ref());
        self.try_with_request(|r| {
            let (n, v) = parsed?;
            r.options.headers.insert(n, v);
            Ok(())
        })
    }

    /// Sets a timeout for this call only.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with_request(|r| r.options.timeout = Some(timeout))
    }

    /// Sets a retry policy for this call only ([`RetryPolicy::none`] turns retries off).
    pub fn retry(self, policy: RetryPolicy) -> Self {
        self.with_request(|r| r.options.retry = Some(policy))
    }

    /// Sends an `Idempotency-Key` header: the server treats a repeated request with the same
    /// key as the first one, so the call may be retried even when it creates something (a
    /// background run on a durable queue).
    pub fn idempotency_key(self, key: impl AsRef<str>) -> Self {
        self.header("Idempotency-Key", key)
    }

    /// Whether the transport follows a redirect. With `false` a 3xx response comes back as the
    /// [`Response`] (status and `Location` header) for the decoder to read, instead of being
    /// followed (by default redirects are followed by the rules of the default transport;
    /// see the README, "Redirects").
    pub fn follow_redirects(self, follow: bool) -> Self {
        self.with_request(|r| r.options.follow_redirects = Some(follow))
    }

    /// Sends the request and decodes the answer.
    pub async fn send(self) -> Result<T> {
        let request = self.request?;
        let response = self.client.execute(request).await?;
        (self.decode)(response)
    }
}

impl<T: Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<T>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> AgentOsClient {
        let mut transport = crate::transport::MockTransport::new();
        transport.expect_send().never();
        AgentOsClient::builder()
            .base_url("http://127.0.0.1:9")
            .transport(transport)
            .build()
            .unwrap()
    }

    #[test]
    fn a_cloned_call_keeps_its_deferred_error() {
        let client = client();
        let invalid = Call::<()>::new(
            &client,
            Err(Error::InvalidRequest("agent_id must not be empty".into())),
            decode_unit,
        );
        let copy = invalid.clone();
        match (invalid.request(), copy.request()) {
            (Err(a), Err(b)) => {
                assert!(matches!(b, Error::InvalidRequest(_)), "{b:?}");
                assert_eq!(a.to_string(), b.to_string());
            }
            other => panic!("expected two deferred errors, got {other:?}"),
        }

        let missing = Call::<()>::new(
            &client,
            Err(Error::File {
                path: "/no/such/file.pdf".into(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            }),
            decode_unit,
        );
        match missing.clone().request() {
            Err(Error::File { path, source }) => {
                assert_eq!(path, std::path::Path::new("/no/such/file.pdf"));
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("expected a File error, got {other:?}"),
        }
    }
}
