//! The knowledge area of the AgentOS Rust SDK: [`KnowledgeExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The knowledge calls of an [`AgentOsClient`].
pub trait KnowledgeExt {}

impl KnowledgeExt for AgentOsClient {}
