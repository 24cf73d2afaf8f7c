//! The service accounts area of the AgentOS Rust SDK: [`ServiceAccountsExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The service accounts calls of an [`AgentOsClient`].
pub trait ServiceAccountsExt {}

impl ServiceAccountsExt for AgentOsClient {}
