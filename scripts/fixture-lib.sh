# Shared helpers of scripts/with-agentos.sh and scripts/agentos-instance.sh (sourced, not run).
# They start the fixture servers in their own process group (setsid), wait for them, and stop
# exactly those process groups.

fixture_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# AGNO_VERSION=X (e.g. 2.7.0) runs the fixture on that older agno, from its own venv
# (<repo>/.venv-agno-X, installed by scripts/setup-python.sh from tests/fixtures/requirements-agno-X.txt).
if [[ -n "${AGNO_VERSION:-}" ]]; then
    fixture_py="${AGENTOS_VENV:-$fixture_repo/.venv-agno-$AGNO_VERSION}/bin/python"
else
    fixture_py="${AGENTOS_VENV:-$fixture_repo/.venv}/bin/python"
fi
fixture_app="$fixture_repo/tests/fixtures/agentos_app.py"
fixture_fake="$fixture_repo/tests/fixtures/fake_model.py"

fx_log() { printf '[agentos-fixture] %s\n' "$*" >&2; }

# fx_alive PID: true while the process exists and is not a zombie.
fx_alive() {
    local pid=$1 state
    kill -0 "$pid" 2>/dev/null || return 1
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo "?")
    [[ "$state" != Z ]]
}

# fx_tail FILE: the end of a log, indented, on stderr.
fx_tail() {
    if [[ -f "$1" ]]; then
        fx_log "---- last 40 lines of $1 ----"
        tail -n 40 "$1" | sed 's/^/    /' >&2
        fx_log "----"
    fi
}

# fx_spawn LOG CMD...: starts CMD in a new session/process group (its pgid is its pid), with
# stdin from /dev/null and stdout+stderr into LOG. Sets FX_PID.
fx_spawn() {
    local log=$1
    shift
    setsid "$@" </dev/null >"$log" 2>&1 &
    FX_PID=$!
}

# fx_stop_group PID [GRACE_SECONDS]: SIGTERM to the process group PID, then SIGKILL after the
# grace period; returns once the leader is gone. Reaps it when it is our child.
fx_stop_group() {
    local pid=$1 grace=${2:-10} i
    fx_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        fx_alive "$pid" || break
        sleep 0.1
    done
    if fx_alive "$pid"; then
        fx_log "process group $pid did not stop in ${grace}s: SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            fx_alive "$pid" || break
            sleep 0.1
        done
    fi
    # Whatever else is left in the group (e.g. worker threads' children) goes too.
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# fx_stop_extra_instances FIXTURE_DIR: stops the extra instances a test started with
# scripts/agentos-instance.sh (listed in FIXTURE_DIR/extra-instances) and left running, e.g.
# when the test failed or was killed before its own cleanup ran.
fx_stop_extra_instances() {
    local list=$1/extra-instances pidfile pid
    [[ -f "$list" ]] || return 0
    while read -r pidfile; do
        [[ -s "$pidfile" ]] || continue
        pid=$(tr -d '[:space:]' <"$pidfile")
        if fx_alive "$pid"; then
            fx_log "stopping extra instance $pid ($pidfile)"
            fx_stop_group "$pid" 5
        fi
    done < <(sort -u "$list")
}

# fx_wait_port PORT_FILE PID LOG TIMEOUT NAME: waits until PORT_FILE exists; prints the port.
fx_wait_port() {
    local file=$1 pid=$2 log=$3 timeout=$4 name=$5 deadline=$((SECONDS + $4))
    while [[ ! -s "$file" ]]; do
        if ! fx_alive "$pid"; then
            fx_log "error: $name exited before it listened"
            fx_tail "$log"
            return 1
        fi
        if ((SECONDS >= deadline)); then
            fx_log "error: $name did not listen within ${timeout}s"
            fx_tail "$log"
            return 1
        fi
        sleep 0.1
    done
    tr -d '[:space:]' <"$file"
}

# fx_wait_health URL PID LOG TIMEOUT NAME: waits until GET URL/health answers 200.
fx_wait_health() {
    local url=$1 pid=$2 log=$3 timeout=$4 name=$5 deadline=$((SECONDS + $4))
    while :; do
        if ! fx_alive "$pid"; then
            fx_log "error: $name exited during startup"
            fx_tail "$log"
            return 1
        fi
        if "$fixture_py" -c '
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/health", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
' "$url" 2>/dev/null; then
            return 0
        fi
        if ((SECONDS >= deadline)); then
            fx_log "error: $name did not answer $url/health within ${timeout}s"
            fx_tail "$log"
            return 1
        fi
        sleep 0.25
    done
}

# fx_run_command VARS -- CMD...: runs CMD (in the background, so that a TERM/INT trap runs at
# once, with the terminal's stdin) and exits with its exit code. With no CMD it prints
# `export VAR=value` for each of VARS and waits until interrupted. The caller's EXIT trap stops
# the servers; it finds the command's pid in the global cmd_pid.
fx_run_command() {
    local vars=() v rc
    while [[ $# -gt 0 && $1 != -- ]]; do
        vars+=("$1")
        shift
    done
    shift
    if [[ $# -eq 0 ]]; then
        for v in "${vars[@]}"; do
            printf 'export %s=%q\n' "$v" "${!v}"
        done
        fx_log "running until interrupted (Ctrl-C stops everything)"
        sleep infinity <&0 &
        cmd_pid=$!
    else
        "$@" <&0 &
        cmd_pid=$!
    fi
    set +e
    wait "$cmd_pid"
    rc=$?
    set -e
    cmd_pid=""
    exit "$rc"
}
