//! The schedules and the durable job queue area of the AgentOS Rust SDK: [`SchedulesExt`] adds its calls to
//! [`AgentOsClient`](agentos_core::AgentOsClient).

use agentos_core::AgentOsClient;

/// The schedules and the durable job queue calls of an [`AgentOsClient`].
pub trait SchedulesExt {}

impl SchedulesExt for AgentOsClient {}
