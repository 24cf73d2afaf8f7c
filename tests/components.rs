//! Integration tests of components (stored agent, team and workflow configs) and the registry against the real AgentOS.

mod common;
