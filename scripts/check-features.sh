#!/usr/bin/env bash
# Proves the feature gating of the umbrella crate: each area builds alone, and a build with
# only `runs` has no other area crate in its dependency tree.
set -euo pipefail
cd "$(dirname "$0")/.."

areas=(runs memory sessions knowledge observability evals learnings schedules approvals components service-accounts filesystem)
for area in "${areas[@]}"; do
    cargo check -p agentos --no-default-features --features "rustls,$area" --quiet
done
cargo check -p agentos --no-default-features --quiet

tree=$(cargo tree -p agentos --no-default-features --features rustls,runs -e normal --prefix none)
for other in "${areas[@]:1}"; do
    if grep -q "^agentos-$other " <<<"$tree"; then
        echo "feature gating broken: agentos-$other is in the tree of --features runs" >&2
        exit 1
    fi
done
grep -q "^agentos-runs " <<<"$tree" || { echo "agentos-runs missing from --features runs" >&2; exit 1; }
if grep -Eq "^(openssl|openssl-sys|native-tls) " <<<"$(cargo tree -p agentos --all-features -e normal --prefix none)"; then
    echo "OpenSSL found in the dependency tree" >&2
    exit 1
fi
echo "feature gating ok: each area builds alone; --features runs pulls no other area; no OpenSSL"
