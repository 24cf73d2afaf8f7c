#!/usr/bin/env bash
# Starts and stops one extra fixture AgentOS (tests/fixtures/agentos_app.py), e.g. for a test that
# restarts a server and checks what survives. Meant to be called from inside
# scripts/with-agentos.sh (which exports FAKE_MODEL_URL); a test spawns its own instance with a
# data dir of its own, so it never disturbs the shared instances.
#
#   scripts/agentos-instance.sh start   DATA_DIR [--port N] [--timeout S]
#       Starts the app on 127.0.0.1 with its SQLite/LanceDB files in DATA_DIR and waits for
#       /health. Prints the base URL (http://127.0.0.1:PORT) on stdout. Without --port it reuses
#       the port of DATA_DIR's previous run (DATA_DIR/agentos.port) so that a restarted instance
#       keeps its URL, or else picks a free port. Fails (exit 1, log tail on stderr) when the
#       instance is already running, exits, or is not healthy within the timeout (default 120 s).
#   scripts/agentos-instance.sh stop    DATA_DIR   SIGTERM (graceful), SIGKILL after 10 s
#   scripts/agentos-instance.sh kill    DATA_DIR   SIGKILL at once (a crash)
#   scripts/agentos-instance.sh status  DATA_DIR   prints the URL and exits 0 while it runs, else exits 1
#
# Environment passed to the app: FAKE_MODEL_URL (required), OS_SECURITY_KEY (optional: the
# instance then requires it), FIXTURE_DURABLE_QUEUE=1 (optional). Files in DATA_DIR:
# agentos.pid, agentos.port, agentos.log (appended across restarts), agentos.db, lancedb/.
# When AGENTOS_FIXTURE_DIR is set, the instance is also listed in
# $AGENTOS_FIXTURE_DIR/extra-instances so that scripts/with-agentos.sh stops it at the end if the
# test did not.
set -euo pipefail
source "$(dirname "$0")/fixture-lib.sh"

usage() {
    sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[[ $# -ge 2 ]] || usage
cmd=$1
dir=$2
shift 2
port=""
timeout=${AGENTOS_START_TIMEOUT:-120}
while [[ $# -gt 0 ]]; do
    case $1 in
        --port) port=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        *) usage ;;
    esac
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
pidfile="$dir/agentos.pid"
portfile="$dir/agentos.port"
logfile="$dir/agentos.log"

running_pid() {
    local pid
    [[ -s "$pidfile" ]] || return 1
    pid=$(tr -d '[:space:]' <"$pidfile")
    fx_alive "$pid" || return 1
    echo "$pid"
}

case $cmd in
    start)
        if pid=$(running_pid); then
            fx_log "error: an instance already runs for $dir (pid $pid)"
            exit 1
        fi
        : "${FAKE_MODEL_URL:?FAKE_MODEL_URL is not set: run inside scripts/with-agentos.sh}"
        if [[ ! -x "$fixture_py" ]]; then
            fx_log "error: $fixture_py is missing: run scripts/setup-python.sh"
            exit 1
        fi
        if [[ -z "$port" && -s "$portfile" ]]; then
            port=$(tr -d '[:space:]' <"$portfile")
        fi
        port=${port:-0}
        rm -f "$portfile"
        echo "==== start $(date -u +%FT%TZ) port=$port" >>"$logfile"
        setsid "$fixture_py" "$fixture_app" --data-dir "$dir" --port "$port" --port-file "$portfile" \
            </dev/null >>"$logfile" 2>&1 &
        pid=$!
        echo "$pid" >"$pidfile"
        if [[ -n "${AGENTOS_FIXTURE_DIR:-}" && -d "$AGENTOS_FIXTURE_DIR" ]]; then
            echo "$pidfile" >>"$AGENTOS_FIXTURE_DIR/extra-instances"
        fi
        if ! port=$(fx_wait_port "$portfile" "$pid" "$logfile" "$timeout" "AgentOS ($dir)") ||
            ! fx_wait_health "http://127.0.0.1:$port" "$pid" "$logfile" "$timeout" "AgentOS ($dir)"; then
            fx_stop_group "$pid" 5
            exit 1
        fi
        echo "http://127.0.0.1:$port"
        ;;
    stop | kill)
        if pid=$(running_pid); then
            if [[ $cmd == kill ]]; then
                kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
                for ((i = 0; i < 50; i++)); do
                    fx_alive "$pid" || break
                    sleep 0.1
                done
            else
                fx_stop_group "$pid" 10
            fi
        fi
        ;;
    status)
        if running_pid >/dev/null && [[ -s "$portfile" ]]; then
            echo "http://127.0.0.1:$(tr -d '[:space:]' <"$portfile")"
        else
            exit 1
        fi
        ;;
    *) usage ;;
esac
