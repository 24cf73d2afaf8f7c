//! A synchronous client for code without an async runtime (feature `blocking`), like
//! `reqwest::blocking`.
//!
//! [`AgentOsClient`] has the same builder options as the async client and, through `Deref`,
//! every call of every enabled area: a call's builder is finished with [`Wait::wait`] instead
//! of `.await`, and a stream becomes an iterator with [`IntoBlockingIter::into_blocking_iter`].
//! One generic adapter serves every call, so a new async call has its synchronous twin
//! the day it is written.
//!
//! ```no_run
//! use agentos::blocking::{AgentOsClient, IntoBlockingIter, Wait};
//! use agentos::prelude::*;
//!
//! fn main() -> agentos::Result<()> {
//!     let client = AgentOsClient::new("http://localhost:7777")?;
//!     let config = client.get_config().wait()?;
//!     println!("Connected to: {}", config.name.as_deref().unwrap_or(&config.os_id));
//!     for text in client.run_agent_stream("echo-agent", "Hi").wait()?.text().into_blocking_iter() {
//!         print!("{}", text?);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! Calling it from inside an async runtime is refused with an error (it would block the
//! runtime's thread): use the async client there.

use std::future::IntoFuture;
use std::ops::Deref;
use std::sync::OnceLock;

use futures::{Stream, StreamExt};

use crate::{ClientBuilder, DefaultTransportUrl, Error, Result, TransportChoice};

/// The runtime that drives every blocking call: one worker thread, made on first use and
/// shared by all blocking clients of the process.
fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<std::result::Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("agentos-blocking")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| Error::Transport(format!("cannot start the blocking runtime: {e}").into()))
}

/// Refuses to block inside an async runtime.
fn check_not_async() -> Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::InvalidRequest(
            "a blocking call was made from inside an async runtime, where it would block the \
             runtime's thread: use the async client and .await there"
                .into(),
        ));
    }
    Ok(())
}

/// Finishes any call synchronously: `client.get_config().wait()`.
pub trait Wait<T> {
    /// Sends the call and blocks until its answer.
    fn wait(self) -> Result<T>;
}

impl<F, T> Wait<T> for F
where
    F: IntoFuture<Output = Result<T>>,
    F::IntoFuture: Send + 'static,
    T: Send + 'static,
{
    fn wait(self) -> Result<T> {
        check_not_async()?;
        runtime()?.block_on(self.into_future())
    }
}

/// A stream read synchronously, item by item.
#[derive(Debug)]
pub struct BlockingIter<S> {
    stream: S,
    failed: bool,
}

impl<S, T> Iterator for BlockingIter<S>
where
    S: Stream<Item = Result<T>> + Unpin,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.failed {
            return None;
        }
        let rt = match check_not_async().and_then(|()| runtime()) {
            Ok(rt) => rt,
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        };
        rt.block_on(self.stream.next())
    }
}

/// Turns a stream of the SDK (run events, text deltas, pages) into an iterator.
pub trait IntoBlockingIter: Stream + Sized {
    /// An iterator that blocks for each item. Streams that are not `Unpin` (the paging
    /// streams) are boxed.
    fn into_blocking_iter(self) -> BlockingIter<std::pin::Pin<Box<Self>>> {
        BlockingIter {
            stream: Box::pin(self),
            failed: false,
        }
    }
}

impl<S: Stream + Sized> IntoBlockingIter for S {}

/// A client for synchronous code: the async [`crate::AgentOsClient`] plus a runtime of its
/// own. Every async call is available through `Deref`; finish it with [`Wait::wait`].
#[derive(Debug, Clone)]
pub struct AgentOsClient {
    inner: crate::AgentOsClient,
}

impl AgentOsClient {
    /// A client for `base_url` with the default settings and the default transport, which
    /// needs a transport feature (`rustls`, `rustls-aws-lc` or `reqwest`): without one this
    /// does not compile; use [`AgentOsClient::from_builder`] with a builder given a transport.
    pub fn new(base_url: impl DefaultTransportUrl) -> Result<Self> {
        Self::from_builder(base_url.into_builder())
    }

    /// A client from the async client's builder (every option is the same).
    pub fn from_builder<T: TransportChoice>(builder: ClientBuilder<T>) -> Result<Self> {
        check_not_async()?;
        // The transport's connection pool is made inside the runtime that will drive it.
        let rt = runtime()?;
        let _entered = rt.enter();
        Ok(AgentOsClient {
            inner: builder.build()?,
        })
    }

    /// The async client inside (for code that has a runtime after all).
    pub fn async_client(&self) -> &crate::AgentOsClient {
        &self.inner
    }
}

impl Deref for AgentOsClient {
    type Target = crate::AgentOsClient;

    fn deref(&self) -> &crate::AgentOsClient {
        &self.inner
    }
}
