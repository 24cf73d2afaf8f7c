//! The learnings area of the AgentOS Rust SDK: [`LearningsExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The learnings calls of an [`AgentOsClient`].
pub trait LearningsExt {}

impl LearningsExt for AgentOsClient {}
