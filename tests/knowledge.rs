//! Integration tests of the knowledge area against the real AgentOS.

mod common;
