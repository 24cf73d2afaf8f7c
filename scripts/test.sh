#!/usr/bin/env bash
# Runs every check and every test of the workspace, installing what it needs:
# format, clippy (-D warnings), docs, feature gating, cargo-deny (when installed), release
# readiness (scripts/release-check.sh: names, packaging, docs.rs, semver, MSRV), unit tests,
# doctests, and the integration tests against a real AgentOS (agno from PyPI with the fake
# model server), which scripts/with-agentos.sh starts and stops; a subset of them against the
# oldest supported agno (2.7.0), and tests/replicas.rs through the replica deployment of
# scripts/with-replicas.sh (PostgreSQL, Redis and HAProxy, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { disk; printf '\n==> %s (%d s in)\n' "$*" $((SECONDS - started)) >&2; }
started=$SECONDS
# On CI (a one-shot build on a fresh machine with a disk of unknown size): no incremental
# caches, and each step's private target dir goes once the step is done.
if [ -n "${CI:-}" ]; then
    export CARGO_INCREMENTAL=0
fi
disk() { [ -z "${CI:-}" ] || printf '    disk: target/ %s, %s free\n' \
    "$(du -sh target 2>/dev/null | cut -f1)" "$(df -h --output=avail . | tail -n 1 | tr -d ' ')" >&2; }

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
if [ -n "${CI:-}" ]; then
    rm -rf target/docsrs target/semver target/msrv target/package
fi

step "doctests"
cargo test --workspace --all-features --doc --quiet

step "unit and integration tests against a real AgentOS"
scripts/with-agentos.sh cargo nextest run --workspace --all-features --no-fail-fast

# The steps below pick test binaries with a filter of the workspace's run instead of `-p agentos-rs`:
# `-p` resolves other features than `--workspace` and would build most crates a second time.
step "integration tests against the oldest supported server (agno 2.7.0, its venv installed on first use): approvals evals memory service_accounts discovery runs"
t=$SECONDS
AGNO_VERSION=2.7.0 scripts/with-agentos.sh cargo nextest run --workspace --all-features --no-fail-fast -E \
    'package(agentos-rs) & (binary(approvals) | binary(evals) | binary(memory) | binary(service_accounts) | binary(discovery) | binary(runs))'
step "old-server tests took $((SECONDS - t)) s"

step "replica deployment (PostgreSQL, Redis, two replicas, HAProxy): tests/replicas.rs with a Redis queue, with none, and with a durable queue"
t=$SECONDS
replicas="package(agentos-rs) & binary(replicas)"
scripts/with-replicas.sh cargo nextest run --workspace --all-features --no-fail-fast -E "$replicas"
AGENTOS_REPLICA_QUEUE=none scripts/with-replicas.sh cargo nextest run --workspace --all-features --no-fail-fast -E "$replicas"
AGENTOS_REPLICA_QUEUE=redis-durable scripts/with-replicas.sh cargo nextest run --workspace --all-features --no-fail-fast -E "$replicas"
step "replica tests took $((SECONDS - t)) s"

step "all checks passed in $((SECONDS - started)) s"
