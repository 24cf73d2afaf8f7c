#![cfg_attr(docsrs, feature(doc_cfg))]
//! The core of the AgentOS Rust SDK: [`AgentOsClient`], the [`Transport`] trait and its
//! reqwest implementation, [`Error`], authentication, pagination, SSE decoding, and the
//! discovery calls (`get_config`, `list_agents`, ...).
//!
//! Area crates (`agentos-rs-runs`, `agentos-rs-memory`, ...) add their calls to the client
//! through extension traits; most users depend on the umbrella crate `agentos-rs` (library
//! `agentos`).
//!
//! ```no_run
//! # async fn demo() -> agentos_core::Result<()> {
//! use agentos_core::AgentOsClient;
//! let client = AgentOsClient::new("http://localhost:7777")?;
//! let config = client.get_config().await?;
//! println!("Connected to: {}", config.name.as_deref().unwrap_or(&config.os_id));
//! # Ok(()) }
//! ```

mod builder;
mod call;
mod client;
pub mod discovery;
mod error;
mod kinds;
pub mod kit;
#[cfg(feature = "mock")]
pub mod mock;
mod open_enum;
#[cfg(feature = "otel")]
pub mod otel;
#[cfg(not(feature = "otel"))]
mod otel;
pub mod pagination;
pub mod poll;
mod request;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
mod response_types;
mod retry;
mod seal;
mod secret;
pub mod sse;
mod time;
mod transport;
mod transport_choice;
pub mod version;

pub use call::{BoxFuture, Call};
pub use client::{
    AgentOsClient, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_SIZE,
    DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_JSON_VALUES, DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TIMEOUT,
    Response, StreamResponse, new_session_id,
};
pub use discovery::{
    AgentResponse, AgentSummary, AuthMode, ConfigResponse, Extra, HealthResponse, InfoResponse,
    MigrateResponse, TeamMember, TeamResponse, TeamSummary, WorkflowResponse, WorkflowStep,
    WorkflowSummary,
};
pub use error::{
    BoxError, Error, ErrorDetail, HttpError, MAX_ERROR_BODY, RedirectRefusal, Result, RunFailure,
    ValidationError, retry_after,
};
pub use kinds::{RunStatus, SessionType, StepKind, StepResult};
pub use pagination::{Page, PageMeta, SortOrder};
pub use request::{
    Body, FilePart, Form, Multipart, PartData, ProgressFn, Request, RequestOptions, UploadProgress,
    guess_mime,
};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::ReqwestTransport;
pub use retry::RetryPolicy;
pub use secret::{SecretString, SecretUrl};
pub use time::Timestamp;
#[cfg(any(test, feature = "mock"))]
pub use transport::MockTransport;
pub use transport::{ByteStream, HttpRequest, ResponseBody, Transport, TransportResponse};
pub use transport_choice::{
    CustomTransport, DefaultTransport, DefaultTransportUrl, TransportChoice,
};
pub use version::{MIN_SUPPORTED_AGNO, ServerVersion};

#[doc(hidden)]
pub use futures as __futures;
pub use http;
#[doc(hidden)]
pub use serde;
