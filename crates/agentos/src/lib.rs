#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../README.md")]

pub use agentos_core::*;

#[cfg(feature = "blocking")]
pub mod blocking;

/// Test helpers (feature `mock`): a `mockall` mock of [`Transport`] and canned responses.
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
