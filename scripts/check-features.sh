#!/usr/bin/env bash
# Proves the feature gating of the umbrella crate: each area builds alone and without a
# warning, a build with only `runs` has no other area crate in its dependency tree, the default
# TLS is ring (no aws-lc), and both TLS providers pass the TLS tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# cargo check, failing on any warning (cargo replays the warnings of crates already checked).
check() {
    local out
    out=$(cargo check --message-format short "$@" 2>&1) || { echo "$out" >&2; return 1; }
    if grep -Eq "(^|: )(warning|error)(\[[a-zA-Z0-9_]+\])?:" <<<"$out"; then
        echo "warnings with: cargo check $*" >&2
        echo "$out" >&2
        return 1
    fi
}

areas=(runs memory sessions knowledge observability evals learnings schedules approvals components service-accounts filesystem)
for area in "${areas[@]}"; do
    check -p agentos-rs --no-default-features --features "rustls,$area"
done
check -p agentos-rs --no-default-features
check -p agentos-rs --no-default-features --features reqwest
check -p agentos-rs --no-default-features --features rustls-aws-lc

# Both TLS providers against a real rustls server (crates/core/tests/tls.rs).
cargo test -p agentos-rs-core --no-default-features --features rustls --test tls --quiet
cargo test -p agentos-rs-core --no-default-features --features rustls-aws-lc --test tls --quiet
if grep -Eq "^aws-lc-(rs|sys) " <<<"$(cargo tree -p agentos-rs -e normal --prefix none)"; then
    echo "aws-lc is in the default tree: the default TLS provider should be ring" >&2
    exit 1
fi

tree=$(cargo tree -p agentos-rs --no-default-features --features rustls,runs -e normal --prefix none)
for other in "${areas[@]:1}"; do
    if grep -q "^agentos-rs-$other " <<<"$tree"; then
        echo "feature gating broken: agentos-rs-$other is in the tree of --features runs" >&2
        exit 1
    fi
done
grep -q "^agentos-rs-runs " <<<"$tree" || { echo "agentos-rs-runs missing from --features runs" >&2; exit 1; }
if grep -Eq "^(openssl|openssl-sys|native-tls) " <<<"$(cargo tree -p agentos-rs --all-features -e normal --prefix none)"; then
    echo "OpenSSL found in the dependency tree" >&2
    exit 1
fi
echo "feature gating ok: each area builds alone without warnings; --features runs pulls no other area; ring by default; no OpenSSL"
