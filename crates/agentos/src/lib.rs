#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../README.md")]

// Core's user API, listed item by item: core's area-building kit (`agentos_core::kit`) and
// its builder macros are left out on purpose (they are for area crates, outside the API
// promised to users).
#[cfg(feature = "mock")]
pub use agentos_core::MockTransport;
#[cfg(feature = "reqwest")]
pub use agentos_core::ReqwestTransport;
#[cfg(feature = "otel")]
pub use agentos_core::otel;
pub use agentos_core::{
    AgentOsClient, AgentResponse, AgentSummary, AuthMode, Body, BoxError, BoxFuture, ByteStream,
    Call, ClientBuilder, ConfigResponse, CustomTransport, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_JSON_VALUES,
    DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TIMEOUT, DefaultTransport, DefaultTransportUrl, Error,
    ErrorDetail, Extra, FilePart, Form, HealthResponse, HttpError, HttpRequest, InfoResponse,
    MAX_ERROR_BODY, MIN_SUPPORTED_AGNO, MigrateResponse, Multipart, Page, PageMeta, PartData,
    ProgressFn, RedirectRefusal, Request, RequestOptions, Response, ResponseBody, Result,
    RetryPolicy, RunFailure, RunStatus, SecretString, SecretUrl, ServerVersion, SessionType,
    SortOrder, StepKind, StepResult, StreamResponse, TeamMember, TeamResponse, TeamSummary,
    Timestamp, Transport, TransportChoice, TransportResponse, UploadProgress, ValidationError,
    WorkflowResponse, WorkflowStep, WorkflowSummary, guess_mime, http, new_session_id, retry_after,
};
pub use agentos_core::{discovery, sse, version};

/// Paging: [`Page`] and [`PageMeta`] (re-exported at the root too), [`SortOrder`], the
/// [`Paged`](pagination::Paged) trait every page type implements (what `pages()` and
/// `into_stream()` walk), and the walk's page cap [`MAX_PAGES`](pagination::MAX_PAGES).
pub mod pagination {
    pub use agentos_core::pagination::{MAX_PAGES, Page, PageMeta, Paged, SortOrder};
}

/// Waiting for something the server does in the background (a run, a knowledge ingestion, a
/// metrics refresh): [`Wait`](poll::Wait) and its parameter markers.
pub mod poll {
    pub use agentos_core::poll::{DbParams, KnowledgeParams, Wait};
}

#[cfg(feature = "blocking")]
pub mod blocking;

/// A test kit for your application's tests (feature `mock`): [`mock::MockServer`], a
/// scripted AgentOS that answers in order, matches method and route template, does not retry
/// or sleep, and reports the calls it saw; [`mock::Canned`] answers built from the SDK's types
/// and event streams from typed events; a `mockall` mock of [`Transport`] (with `mockall`
/// re-exported) for finer control. See the README's "Testing your app" and
/// `tests/testing_your_app.rs`.
#[cfg(feature = "mock")]
pub mod mock {
    pub use agentos_core::mock::*;
}

/// Agent, team and workflow runs (feature `runs`).
#[cfg(feature = "runs")]
pub mod runs {
    pub use agentos_runs::*;
}

/// User memories (feature `memory`).
#[cfg(feature = "memory")]
pub mod memory {
    pub use agentos_memory::*;
}

/// Sessions (feature `sessions`).
#[cfg(feature = "sessions")]
pub mod sessions {
    pub use agentos_sessions::*;
}

/// Knowledge bases (feature `knowledge`).
#[cfg(feature = "knowledge")]
pub mod knowledge {
    pub use agentos_knowledge::*;
}

/// Traces and metrics (feature `observability`).
#[cfg(feature = "observability")]
pub mod observability {
    pub use agentos_observability::*;
}

/// Eval runs (feature `evals`).
#[cfg(feature = "evals")]
pub mod evals {
    pub use agentos_evals::*;
}

/// Learnings (feature `learnings`).
#[cfg(feature = "learnings")]
pub mod learnings {
    pub use agentos_learnings::*;
}

/// Schedules and the durable job queue (feature `schedules`).
#[cfg(feature = "schedules")]
pub mod schedules {
    pub use agentos_schedules::*;
}

/// Approvals (feature `approvals`).
#[cfg(feature = "approvals")]
pub mod approvals {
    pub use agentos_approvals::*;
}

/// Components (stored agent, team and workflow configs) and the registry (feature `components`).
#[cfg(feature = "components")]
pub mod components {
    pub use agentos_components::*;
}

/// Service accounts (feature `service-accounts`).
#[cfg(feature = "service-accounts")]
pub mod service_accounts {
    pub use agentos_service_accounts::*;
}

/// Agent workspaces (filesystem) (feature `filesystem`).
#[cfg(feature = "filesystem")]
pub mod filesystem {
    pub use agentos_filesystem::*;
}

/// The SDK's route table: every AgentOS operation the enabled features wrap, as
/// (method, path template as in the server's OpenAPI).
///
/// ```
/// assert!(agentos::routes().contains(&("GET", "/config")));
/// ```
#[allow(unused_mut)] // mutated only when an area feature is on
pub fn routes() -> Vec<(&'static str, &'static str)> {
    let mut all = agentos_core::discovery::ROUTES.to_vec();
    #[cfg(feature = "runs")]
    all.extend_from_slice(agentos_runs::ROUTES);
    #[cfg(feature = "memory")]
    all.extend_from_slice(agentos_memory::ROUTES);
    #[cfg(feature = "sessions")]
    all.extend_from_slice(agentos_sessions::ROUTES);
    #[cfg(feature = "knowledge")]
    all.extend_from_slice(agentos_knowledge::ROUTES);
    #[cfg(feature = "observability")]
    all.extend_from_slice(agentos_observability::ROUTES);
    #[cfg(feature = "evals")]
    all.extend_from_slice(agentos_evals::ROUTES);
    #[cfg(feature = "learnings")]
    all.extend_from_slice(agentos_learnings::ROUTES);
    #[cfg(feature = "schedules")]
    all.extend_from_slice(agentos_schedules::ROUTES);
    #[cfg(feature = "approvals")]
    all.extend_from_slice(agentos_approvals::ROUTES);
    #[cfg(feature = "components")]
    all.extend_from_slice(agentos_components::ROUTES);
    #[cfg(feature = "service-accounts")]
    all.extend_from_slice(agentos_service_accounts::ROUTES);
    #[cfg(feature = "filesystem")]
    all.extend_from_slice(agentos_filesystem::ROUTES);
    all
}

/// The client and every enabled extension trait: `use agentos::prelude::*;`.
pub mod prelude {
    #[cfg(feature = "approvals")]
    pub use agentos_approvals::ApprovalsExt;
    #[cfg(feature = "components")]
    pub use agentos_components::ComponentsExt;
    pub use agentos_core::{AgentOsClient, Error, Result};
    #[cfg(feature = "evals")]
    pub use agentos_evals::EvalsExt;
    #[cfg(feature = "filesystem")]
    pub use agentos_filesystem::FilesystemExt;
    #[cfg(feature = "knowledge")]
    pub use agentos_knowledge::KnowledgeExt;
    #[cfg(feature = "learnings")]
    pub use agentos_learnings::LearningsExt;
    #[cfg(feature = "memory")]
    pub use agentos_memory::MemoryExt;
    #[cfg(feature = "observability")]
    pub use agentos_observability::ObservabilityExt;
    #[cfg(feature = "runs")]
    pub use agentos_runs::RunsExt;
    #[cfg(feature = "schedules")]
    pub use agentos_schedules::{QueueExt, SchedulesExt};
    #[cfg(feature = "service-accounts")]
    pub use agentos_service_accounts::ServiceAccountsExt;
    #[cfg(feature = "sessions")]
    pub use agentos_sessions::SessionsExt;
}

/// The README's examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "mock"))]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// The calls of the "Coming from Python" table, compiled as doctests.
#[cfg(all(
    doctest,
    feature = "runs",
    feature = "memory",
    feature = "sessions",
    feature = "evals",
    feature = "knowledge",
    feature = "observability"
))]
#[doc = include_str!("../../../docs/python.md")]
pub struct PythonDoctests;

/// What an application can and cannot do with the SDK's types, checked as doctests: the
/// area-building kit is not reachable through this crate, and the extension traits are
/// sealed.
///
/// A call has its per-call options, `send` and `.await`:
///
/// ```no_run
/// # async fn demo(client: agentos::AgentOsClient) -> agentos::Result<()> {
/// use std::time::Duration;
/// let agent = client
///     .get_agent("a")
///     .timeout(Duration::from_secs(5))
///     .header("x-tenant", "acme")
///     .retry(agentos::RetryPolicy::none())
///     .await?;
/// # let _ = agent; Ok(()) }
/// ```
///
/// but not the kit's plumbing: a page of something that is not a list does not compile
/// (E0599, no such method),
///
/// ```compile_fail,E0599
/// # async fn demo(client: agentos::AgentOsClient) -> agentos::Result<()> {
/// let agent = client.get_agent("a").page(2).await?;
/// # let _ = agent; Ok(()) }
/// ```
///
/// nor can a caller set a raw query parameter or a deferred error on a call,
///
/// ```compile_fail,E0599
/// # fn demo(client: agentos::AgentOsClient) {
/// let _ = client.get_agent("a").query("db_id", "x");
/// # }
/// ```
///
/// ```compile_fail,E0599
/// # fn demo(client: agentos::AgentOsClient) {
/// let _ = client.get_agent("a").fail(agentos::Error::InvalidRequest("no".into()));
/// # }
/// ```
///
/// and the kit itself is not re-exported (E0432, unresolved import):
///
/// ```compile_fail,E0432
/// use agentos::kit::CallKit;
/// ```
///
/// ```compile_fail
/// agentos::impl_call_builder!(Foo => ());
/// ```
///
/// The extension traits are sealed: only `AgentOsClient` implements them, so adding a call
/// to an area is not a breaking change. Implementing one for another type does not compile
/// (E0277, the seal is not implemented):
///
/// ```compile_fail,E0277
/// struct MyClient;
/// impl agentos::memory::MemoryExt for MyClient {}
/// ```
///
/// ```compile_fail,E0277
/// struct MyClient;
/// impl agentos::runs::RunsExt for MyClient {}
/// ```
#[cfg(all(doctest, feature = "memory", feature = "runs"))]
pub struct ApiBoundaryDoctests;
