//! The filesystem area of the AgentOS Rust SDK: [`FilesystemExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The filesystem calls of an [`AgentOsClient`].
pub trait FilesystemExt {}

impl FilesystemExt for AgentOsClient {}
