//! The components and the registry area of the AgentOS Rust SDK: [`ComponentsExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The components and the registry calls of an [`AgentOsClient`].
pub trait ComponentsExt {}

impl ComponentsExt for AgentOsClient {}
