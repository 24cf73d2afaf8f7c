//! Integration tests of the sessions area against the real AgentOS.

mod common;
