#!/usr/bin/env bash
# Runs every check and every test of the workspace, installing what it needs:
# format, clippy (-D warnings), docs, feature gating, cargo-deny (when installed), release
# readiness (scripts/release-check.sh: names, packaging, docs.rs, semver, MSRV), unit tests,
# doctests, and the integration tests against a real AgentOS (agno from PyPI with the fake
# model server), which scripts/with-agentos.sh starts and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }
started=$SECONDS

if ! command -v cargo-nextest >/dev/null 2>&1; then
    step "installing cargo-nextest"
    cargo install cargo-nextest --locked
fi
if ! command -v cargo-deny >/dev/null 2>&1; then
    step "installing cargo-deny"
    cargo install cargo-deny --locked || echo "cargo-deny could not be installed: its check is skipped" >&2
fi

step "rustfmt"
cargo fmt --all --check

step "clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "clippy of the default TLS provider (ring; --all-features picks aws-lc)"
cargo clippy -p agentos-rs-core --features mock --all-targets -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps --quiet

step "feature gating"
scripts/check-features.sh

if command -v cargo-deny >/dev/null 2>&1; then
    step "cargo deny (licenses, bans, sources)"
    cargo deny check licenses bans sources
fi

step "release readiness: names, cargo package, docs.rs, semver, MSRV (scripts/release-check.sh)"
scripts/release-check.sh

step "doctests"
cargo test --workspace --all-features --doc --quiet

step "unit and integration tests against a real AgentOS"
scripts/with-agentos.sh cargo nextest run --workspace --all-features --no-fail-fast

step "all checks passed in $((SECONDS - started)) s"
