//! Integration tests of discovery against the real AgentOS.

mod common;
