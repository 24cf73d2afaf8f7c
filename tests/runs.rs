//! Integration tests of the runs area against the real AgentOS.

mod common;
