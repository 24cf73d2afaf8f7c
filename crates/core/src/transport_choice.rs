//! Where a [`ClientBuilder`] gets its transport, checked at compile time: building with the
//! default transport needs a transport feature.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

#[cfg(doc)]
use crate::AgentOsClient;
use crate::client::ClientBuilder;
use crate::error::{Error, Result};
use crate::transport::Transport;

/// Where a [`ClientBuilder`] gets its transport: the default one (reqwest), made by `build()`.
#[derive(Debug)]
pub struct DefaultTransport(pub(crate) ());

/// Where a [`ClientBuilder`] gets its transport: the one given to
/// [`ClientBuilder::transport`] or [`ClientBuilder::shared_transport`].
pub struct CustomTransport(pub(crate) Arc<dyn Transport>);

impl fmt::Debug for CustomTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomTransport").finish_non_exhaustive()
    }
}

/// A source of a transport that [`ClientBuilder::build`] can use: [`CustomTransport`] always,
/// [`DefaultTransport`] when a transport feature (`rustls`, `rustls-aws-lc` or `reqwest`) is
/// on. Sealed.
#[diagnostic::on_unimplemented(
    message = "`ClientBuilder::build` without `.transport(..)` needs the default transport, and no transport feature is enabled",
    label = "this builder was given no transport",
    note = "enable the `rustls` feature of `agentos` (or `rustls-aws-lc`; `reqwest` for plain http only), or give the builder a transport: `AgentOsClient::builder().base_url(..).transport(my_transport).build()`"
)]
pub trait TransportChoice: sealed::Choice {
    /// The transport, checking that the settings of the default transport are not given to
    /// another.
    #[doc(hidden)]
    fn into_transport(
        self,
        connect_timeout: Duration,
        root_certificates_pem: &[u8],
    ) -> Result<Arc<dyn Transport>>;
}

/// A base URL for [`AgentOsClient::new`] (and the blocking client's `new`), which use the
/// default transport: any `Into<String>` (`&str`, `String`, ...) when a transport feature
/// (`rustls`, `rustls-aws-lc` or `reqwest`) is on. Sealed.
#[diagnostic::on_unimplemented(
    message = "`AgentOsClient::new` needs the default transport, and no transport feature is enabled",
    label = "`new` builds the default transport",
    note = "enable the `rustls` feature of `agentos` (or `rustls-aws-lc`; `reqwest` for plain http only), or bring a transport: `AgentOsClient::builder().base_url(..).transport(my_transport).build()`"
)]
pub trait DefaultTransportUrl: sealed::Url {
    /// The transport source that `build()` accepts (always [`DefaultTransport`]).
    #[doc(hidden)]
    type Choice: TransportChoice;

    /// A default builder with this base URL.
    #[doc(hidden)]
    fn into_builder(self) -> ClientBuilder<Self::Choice>;
}

/// The seals of [`TransportChoice`] and [`DefaultTransportUrl`].
mod sealed {
    pub trait Choice {}
    impl Choice for super::CustomTransport {}
    impl Choice for super::DefaultTransport {}

    pub trait Url {}
    impl<U: Into<String>> Url for U {}
}

impl TransportChoice for CustomTransport {
    fn into_transport(
        self,
        _: Duration,
        root_certificates_pem: &[u8],
    ) -> Result<Arc<dyn Transport>> {
        if !root_certificates_pem.is_empty() {
            return Err(Error::invalid(
                "root certificates apply to the default transport: configure your own transport's TLS instead",
            ));
        }
        Ok(self.0)
    }
}

#[cfg(feature = "reqwest")]
impl TransportChoice for DefaultTransport {
    fn into_transport(
        self,
        connect_timeout: Duration,
        root_certificates_pem: &[u8],
    ) -> Result<Arc<dyn Transport>> {
        Ok(Arc::new(crate::ReqwestTransport::with_root_certificates(
            connect_timeout,
            root_certificates_pem,
        )?))
    }
}

#[cfg(feature = "reqwest")]
impl<U: Into<String>> DefaultTransportUrl for U {
    type Choice = DefaultTransport;

    fn into_builder(self) -> ClientBuilder {
        ClientBuilder::default().base_url(self)
    }
}
