//! Integration tests of agent workspaces (filesystem) against the real AgentOS.

mod common;
