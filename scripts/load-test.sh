#!/usr/bin/env bash
# The bounded load test: N (default 1000) concurrent streamed runs (optionally streaming SLOW
# seconds each: scripts/load-test.sh 1000 1) from one client process
# against a fixture AgentOS on loopback, started and stopped by with-agentos.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
cargo build --release -p agentos-rs --no-default-features --features rustls,runs --example load --quiet
exec scripts/with-agentos.sh target/release/examples/load "$n" ${2:+"$2"}
