//! Integration tests of the observability area against the real AgentOS.

mod common;
