//! Integration tests of service accounts against the real AgentOS.

mod common;
