#!/usr/bin/env bash
# Runs the quickstart example against a local AgentOS (agno + the fake model server) that
# this command starts and stops itself. Extra arguments name another example:
#   scripts/demo.sh            # quickstart
#   scripts/demo.sh stream     # a streamed run printed as it arrives
set -euo pipefail
cd "$(dirname "$0")/.."
example=${1:-quickstart}
features=()
case "$example" in
    blocking) features=(--features blocking) ;;
    telemetry_otel) features=(--features otel-example) ;;
esac
cargo build -p agentos-rs "${features[@]}" --example "$example" --quiet
exec scripts/with-agentos.sh cargo run -p agentos-rs "${features[@]}" --example "$example" --quiet
