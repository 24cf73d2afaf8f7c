#!/usr/bin/env bash
# Runs every benchmark of the SDK in one go and writes BENCHMARKS.md:
#
#   scripts/bench.sh            # about 10 minutes on 2 cores
#   BENCH_QUICK=1 scripts/bench.sh   # smaller N and shorter criterion runs (about 3 minutes)
#
# 1. micro-benchmarks (criterion): SSE framing, SSE to typed events, JSON decoding of large
#    responses (and of /config against untyped and skip-only decoding), request building;
# 2. side by side, in one run, the Rust SDK (crates/bench sdk-bench) and agno's official
#    Python AgentOSClient (crates/bench/python/client_bench.py, from the test virtualenv), on
#    the same workloads (sequential get_config calls, list_sessions pages of 100, streamed
#    runs): first against the replay server (crates/bench replay-server: recorded responses
#    at full speed, so the client's own cost shows), then against the real fixture AgentOS;
#    client CPU per call, wall per call, peak RSS, cold start, and the ratio Rust / Python;
#    plus the limit: the same GETs on a raw socket with nothing decoded (no client goes below);
# 3. 1000 streams held open at once by one Rust client (memory per open stream);
# 4. the quickstart example's peak RSS;
# 5. stripped release sizes of a binary with only core, with runs, and with every feature, and
#    (full run) how long each takes to build from clean.
#
# Benchmarks report; they never fail on timing. Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=${BENCH_QUICK:-0}
if ((quick)); then
    n_config=300 n_sessions=50 n_stream=50 n_live_config=100 n_live_sessions=20 n_live_stream=10
    crit=(--warm-up-time 1 --measurement-time 2 --sample-size 10)
else
    n_config=2000 n_sessions=300 n_stream=300 n_live_config=300 n_live_sessions=50 n_live_stream=30
    crit=(--warm-up-time 1 --measurement-time 4)
fi
holds=${BENCH_HOLD:-1000}

out_dir="$root/target/bench"
mkdir -p "$out_dir"
results="$out_dir/results.jsonl"
micro="$out_dir/micro.txt"
: >"$results"
: >"$micro"

step() { printf '\n==> %s\n' "$*" >&2; }

step "python virtualenv (agno with its AgentOSClient)"
scripts/setup-python.sh
python="$root/.venv/bin/python"

step "release build: sdk-bench, replay-server, the quickstart example"
cargo build --release -p agentos-bench --bins --quiet
cargo build --release -p agentos-rs --no-default-features --features rustls --example quickstart --quiet
bin="$root/target/release"

step "micro-benchmarks (criterion)"
for spec in "agentos-rs-core sse" "agentos-rs-core decode" "agentos-rs-runs events" "agentos-rs-runs request" \
    "agentos-rs-sessions decode" "agentos-rs-observability decode"; do
    read -r pkg bench <<<"$spec"
    cargo bench -p "$pkg" --bench "$bench" --quiet -- "${crit[@]}" 2>/dev/null |
        grep -E "time:|thrpt:|^[a-zA-Z_]+/" | grep -v "%" | tee -a "$micro" >&2 || true
done

step "side by side against the replay server"
port_file="$out_dir/replay.port"
rm -f "$port_file"
# Where the client runs next to the server changes a loopback call's kernel cost more than
# anything a client does: on this VM a wake-up across cores costs ~20 us a call, on the
# server's own core ~7 us. So the replay server is pinned to the last CPU, and every client
# runs once on that CPU ("same core") and once on another ("other core").
last_cpu=$(($(nproc) - 1))
pin_server=()
((last_cpu > 0)) && pin_server=(taskset -c "$last_cpu")
"${pin_server[@]}" "$bin/replay-server" --port-file "$port_file" --data "$root/crates/bench/data" >/dev/null &
replay_pid=$!
trap 'kill $replay_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$port_file" ]] && break; sleep 0.05; done
replay_url="http://127.0.0.1:$(cat "$port_file")"
placements=("replay|")
((last_cpu > 0)) && placements=("replay, same core|$last_cpu" "replay, other core|0")
for placement in "${placements[@]}"; do
    name=${placement%%|*}
    cpu=${placement#*|}
    hold=0
    [[ $placement == "${placements[-1]}" ]] && hold=$holds
    "$python" crates/bench/python/compare.py run --target "$name" --url "$replay_url" \
        ${cpu:+--cpu "$cpu"} --rust "$bin/sdk-bench" --python "$python" \
        --n-config "$n_config" --n-sessions "$n_sessions" --n-stream "$n_stream" \
        --hold "$hold" --hold-ms 3000 | tee -a "$results" >&2
done
AGENTOS_URL="$replay_url" "$python" crates/bench/python/compare.py process --target replay \
    --name "quickstart example (core only)" -- "$bin/examples/quickstart" | tee -a "$results" >&2
kill $replay_pid 2>/dev/null || true
trap - EXIT

step "side by side against the real fixture AgentOS (agno 3.1.10 + fake model)"
BENCH_PY="$python" BENCH_BIN="$bin" BENCH_RESULTS="$results" \
BENCH_N="$n_live_config $n_live_sessions $n_live_stream" \
scripts/with-agentos.sh bash -c '
    set -euo pipefail
    "$BENCH_BIN/sdk-bench" seed --url "$AGENTOS_URL" --n 100 --message "seed [story]" >&2
    read -r nc ns nst <<<"$BENCH_N"
    "$BENCH_PY" crates/bench/python/compare.py run --target agentos --url "$AGENTOS_URL" \
        --rust "$BENCH_BIN/sdk-bench" --python "$BENCH_PY" \
        --n-config "$nc" --n-sessions "$ns" --n-stream "$nst" | tee -a "$BENCH_RESULTS" >&2
    AGENTOS_URL="$AGENTOS_URL" "$BENCH_PY" crates/bench/python/compare.py process --target agentos \
        --name "quickstart example (core only)" -- "$BENCH_BIN/examples/quickstart" | tee -a "$BENCH_RESULTS" >&2
'

step "stripped release sizes (and, in a full run, release build times from clean)"
sizes="$out_dir/sizes.md"
{
    echo "| build of crates/bench size-probe | features | stripped size | release build from clean |"
    echo "|---|---|---:|---:|"
} >"$sizes"
size_specs=("core only|--no-default-features --features rustls"
    "core + runs|--no-default-features --features rustls,runs"
    "every area|")
if ! ((quick)); then
    size_specs+=("core only, aws-lc TLS|--no-default-features --features agentos/rustls-aws-lc"
        "core only, no TLS (plain http)|--no-default-features --features agentos/reqwest")
fi
for spec in "${size_specs[@]}"; do
    name=${spec%%|*}
    flags=${spec#*|}
    # A full run builds each in an empty target directory (dependencies included, the
    # registry already downloaded): what a user's first release build of it costs.
    target="$out_dir/size-target"
    ((quick)) || rm -rf "$target"
    started=$(date +%s.%N)
    # shellcheck disable=SC2086
    CARGO_TARGET_DIR="$target" cargo build --release -p agentos-bench --bin size-probe $flags --quiet
    seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    ((quick)) && seconds=-
    bytes=$(stat -c %s "$target/release/size-probe")
    awk -v n="$name" -v f="${flags:-default (all areas)}" -v b="$bytes" -v t="$seconds" \
        'BEGIN { printf "| %s | `%s` | %d bytes (%.2f MiB) | %s |\n", n, f, b, b / 1048576, (t == "-" ? "-" : sprintf("%.0f s", t)) }' >>"$sizes"
done
((quick)) || rm -rf "$out_dir/size-target"
cat "$sizes" >&2

step "writing BENCHMARKS.md"
table=$("$python" crates/bench/python/compare.py render "$results")
cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
    echo "# Benchmarks"
    echo
    echo "Measured by \`scripts/bench.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $cpu,"
    echo "$(free -g | awk '/Mem:/{print $2}') GiB; Rust $(rustc --version | cut -d' ' -f2), Python"
    echo "$("$python" -c 'import platform; print(platform.python_version())'), agno"
    echo "$("$python" -c 'import agno, importlib.metadata as m; print(m.version("agno"))')). Reproduce with \`scripts/bench.sh\`"
    echo "(\`BENCH_QUICK=1\` for a shorter run). Numbers are from one run on a shared machine: read"
    echo "ratios, not digits."
    echo
    echo "## Rust SDK and Python AgentOSClient, side by side"
    echo
    echo "Each row is its own process. CPU per call is the process's user + sys CPU time over the"
    echo "timed loop (after one warm-up call), divided by N; the non-stream rows (config, sessions) are"
    echo "the median of three runs, with the range of the three in parentheses. Cold start is process start to the first"
    echo "response. \`replay\` is the replay server (recorded responses, no Python server in the"
    echo "way), pinned to one CPU, with the clients on the same CPU or on another one (a loopback"
    echo "call's kernel cost depends on it: ~7 us on one core, ~20 us across cores on this VM);"
    echo "\`agentos\` is the real fixture AgentOS (agno + the fake model), where the server's"
    echo "own time dominates wall time. \`limit\` is no client at all: the same GET written to one"
    echo "kept-alive socket and the response read to its last byte, nothing decoded (\`sdk-bench"
    echo "--client limit\`); it is the kernel's share of a call, which no client can go below, and"
    echo "\`limit / Python\` is the best ratio any client could reach against the Python client."
    echo
    echo "$table"
    echo
    echo "## Micro-benchmarks (criterion)"
    echo
    echo '```text'
    cat "$micro"
    echo '```'
    echo
    echo "## Binary size and build time"
    echo
    echo "\`profile.release\` of the workspace: \`strip = true\`, \`lto = true\`, \`codegen-units = 1\`. Build"
    echo "time: wall time of \`cargo build --release\` of that binary in an empty target directory"
    echo "($(nproc) cores, every dependency compiled, the crates already downloaded)."
    echo
    cat "$sizes"
} >BENCHMARKS.md.new
if [[ -f BENCHMARKS.md ]] && grep -q "^## Notes" BENCHMARKS.md; then
    # Hand-written notes at the end survive a re-run.
    { echo; sed -n '/^## Notes/,$p' BENCHMARKS.md; } >>BENCHMARKS.md.new
fi
mv BENCHMARKS.md.new BENCHMARKS.md
step "done: BENCHMARKS.md"
