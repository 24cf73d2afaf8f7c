//! The memory area of the AgentOS Rust SDK: [`MemoryExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The memory calls of an [`AgentOsClient`].
pub trait MemoryExt {}

impl MemoryExt for AgentOsClient {}
