//! Integration tests of the evals area against the real AgentOS.

mod common;
