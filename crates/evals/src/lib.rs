//! The evals area of the AgentOS Rust SDK: [`EvalsExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The evals calls of an [`AgentOsClient`].
pub trait EvalsExt {}

impl EvalsExt for AgentOsClient {}
