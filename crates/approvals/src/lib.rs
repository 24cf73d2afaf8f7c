//! The approvals area of the AgentOS Rust SDK: [`ApprovalsExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The approvals calls of an [`AgentOsClient`].
pub trait ApprovalsExt {}

impl ApprovalsExt for AgentOsClient {}
