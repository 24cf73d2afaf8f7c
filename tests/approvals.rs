//! Integration tests of approvals against the real AgentOS.

mod common;
