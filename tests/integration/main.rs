//! Integration tests against a real AgentOS (agno from PyPI with a fake model server).
//! Run them with `scripts/with-agentos.sh cargo nextest run --workspace --all-features`.

mod common;
