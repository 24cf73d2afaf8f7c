//! Integration tests of learnings against the real AgentOS.

mod common;
