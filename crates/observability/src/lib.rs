//! The observability area of the AgentOS Rust SDK: [`ObservabilityExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The observability calls of an [`AgentOsClient`].
pub trait ObservabilityExt {}

impl ObservabilityExt for AgentOsClient {}
