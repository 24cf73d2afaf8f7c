//! Integration tests of schedules and the durable job queue against the real AgentOS.

mod common;
