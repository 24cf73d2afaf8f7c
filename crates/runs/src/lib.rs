//! The runs area of the AgentOS Rust SDK: [`RunsExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The runs calls of an [`AgentOsClient`].
pub trait RunsExt {}

impl RunsExt for AgentOsClient {}
