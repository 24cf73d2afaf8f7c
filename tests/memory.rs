//! Integration tests of the memory area against the real AgentOS.

mod common;
