//! The sessions area of the AgentOS Rust SDK: [`SessionsExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The sessions calls of an [`AgentOsClient`].
pub trait SessionsExt {}

impl SessionsExt for AgentOsClient {}
