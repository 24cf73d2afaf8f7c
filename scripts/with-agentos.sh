#!/usr/bin/env bash
# Runs a command against a real, local AgentOS (agno 3.1.10 + the fake model server):
#
#   scripts/with-agentos.sh cargo nextest run --workspace --all-features
#
# 1. scripts/setup-python.sh (a no-op when <repo>/.venv is up to date);
# 2. starts, each on a free 127.0.0.1 port and in its own process group:
#      - the fake OpenAI-compatible model server (tests/fixtures/fake_model.py),
#      - an open AgentOS (tests/fixtures/agentos_app.py),
#      - a secured AgentOS: OS_SECURITY_KEY set to a random key, and a durable job queue
#        (in-memory store) so /queue answers; set AGENTOS_SECURED_QUEUE=0 to leave it out;
#    each with a fresh data dir and its log under target/agentos-fixture/<run>/ (the newest
#    AGENTOS_FIXTURE_KEEP=10 run dirs are kept, older ones deleted);
# 3. waits for /health on each (AGENTOS_START_TIMEOUT, default 120 s; on failure it prints the
#    log tail and exits 1);
# 4. exports the variables below and runs the command;
# 5. always stops exactly the process groups it started (and the extra instances that
#    scripts/agentos-instance.sh started during the run), also when the command fails or the
#    script is interrupted, and exits with the command's exit code.
#
# Exported to the command:
#   AGENTOS_URL            base URL of the open AgentOS, e.g. http://127.0.0.1:41234
#   AGENTOS_SECURED_URL    base URL of the secured AgentOS
#   AGENTOS_SECURITY_KEY   its key (send `Authorization: Bearer <key>`)
#   FAKE_MODEL_URL         the fake model's OpenAI base URL, e.g. http://127.0.0.1:40000/v1
#   AGENTOS_FIXTURE_DIR    target/agentos-fixture/<run> (absolute): logs and data dirs
#   AGENTOS_PYTHON         the venv's python
#   AGENTOS_APP            tests/fixtures/agentos_app.py (absolute)
#   AGENTOS_APP_CMD        "$AGENTOS_PYTHON $AGENTOS_APP" (append --data-dir DIR --port N|0 --port-file F)
#   AGENTOS_INSTANCE_SCRIPT  scripts/agentos-instance.sh (absolute): start|stop|kill|status DATA_DIR
#
# AGNO_VERSION=X (e.g. AGNO_VERSION=2.7.0, the oldest supported server) runs both AgentOS instances
# on that agno release instead, from <repo>/.venv-agno-X (tests/fixtures/requirements-agno-X.txt);
# the fixture app leaves out what that release lacks (see tests/fixtures/README.md).
#
# With no command it starts everything, prints the variables and waits until interrupted
# (handy for poking at the servers with curl).
set -euo pipefail
source "$(dirname "$0")/fixture-lib.sh"

timeout=${AGENTOS_START_TIMEOUT:-120}

"$fixture_repo/scripts/setup-python.sh"

run_id="$(date +%Y%m%d-%H%M%S)-$$"
fixture_dir="$fixture_repo/target/agentos-fixture/$run_id"
mkdir -p "$fixture_dir"

# Keep the newest AGENTOS_FIXTURE_KEEP (default 10) run dirs; never one whose script still runs.
keep=${AGENTOS_FIXTURE_KEEP:-10}
while read -r old; do
    owner=${old##*-}
    [[ "$owner" =~ ^[0-9]+$ ]] && fx_alive "$owner" && continue
    rm -rf "$old"
done < <(find "$fixture_repo/target/agentos-fixture" -mindepth 1 -maxdepth 1 -type d -name '2*' | sort | head -n "-$keep")

group_pids=()
cmd_pid=""
cleaned=0

cleanup() {
    local rc=$?
    ((cleaned)) && return
    cleaned=1
    trap - EXIT INT TERM HUP
    if [[ -n "$cmd_pid" ]] && fx_alive "$cmd_pid"; then
        kill -TERM "$cmd_pid" 2>/dev/null || true
        wait "$cmd_pid" 2>/dev/null || true
    fi
    fx_stop_extra_instances "$fixture_dir"
    local pid
    for pid in "${group_pids[@]}"; do
        fx_stop_group "$pid" 10
    done
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---- fake model ---------------------------------------------------------------------------
fx_spawn "$fixture_dir/fake-model.log" "$fixture_py" "$fixture_fake" --port 0 \
    --port-file "$fixture_dir/fake-model.port"
fake_pid=$FX_PID
group_pids+=("$fake_pid")
fake_port=$(fx_wait_port "$fixture_dir/fake-model.port" "$fake_pid" "$fixture_dir/fake-model.log" 30 "fake model")
fx_wait_health "http://127.0.0.1:$fake_port" "$fake_pid" "$fixture_dir/fake-model.log" 30 "fake model"
export FAKE_MODEL_URL="http://127.0.0.1:$fake_port/v1"

# ---- the two AgentOS instances, started in parallel ----------------------------------------
security_key=$("$fixture_py" -c 'import secrets; print("sk-fixture-" + secrets.token_hex(16))')

mkdir -p "$fixture_dir/open" "$fixture_dir/secured"
fx_spawn "$fixture_dir/open/agentos.log" env -u OS_SECURITY_KEY -u FIXTURE_DURABLE_QUEUE \
    "$fixture_py" "$fixture_app" --data-dir "$fixture_dir/open" --port 0 \
    --port-file "$fixture_dir/open/agentos.port"
open_pid=$FX_PID
group_pids+=("$open_pid")
echo "$open_pid" >"$fixture_dir/open/agentos.pid"

secured_queue=()
[[ "${AGENTOS_SECURED_QUEUE:-1}" == 1 ]] && secured_queue=(FIXTURE_DURABLE_QUEUE=1)
fx_spawn "$fixture_dir/secured/agentos.log" env -u FIXTURE_DURABLE_QUEUE OS_SECURITY_KEY="$security_key" \
    "${secured_queue[@]}" "$fixture_py" "$fixture_app" --data-dir "$fixture_dir/secured" --port 0 \
    --port-file "$fixture_dir/secured/agentos.port"
secured_pid=$FX_PID
group_pids+=("$secured_pid")
echo "$secured_pid" >"$fixture_dir/secured/agentos.pid"

open_port=$(fx_wait_port "$fixture_dir/open/agentos.port" "$open_pid" "$fixture_dir/open/agentos.log" "$timeout" "open AgentOS")
secured_port=$(fx_wait_port "$fixture_dir/secured/agentos.port" "$secured_pid" "$fixture_dir/secured/agentos.log" "$timeout" "secured AgentOS")
fx_wait_health "http://127.0.0.1:$open_port" "$open_pid" "$fixture_dir/open/agentos.log" "$timeout" "open AgentOS"
fx_wait_health "http://127.0.0.1:$secured_port" "$secured_pid" "$fixture_dir/secured/agentos.log" "$timeout" "secured AgentOS"

export AGENTOS_URL="http://127.0.0.1:$open_port"
export AGENTOS_SECURED_URL="http://127.0.0.1:$secured_port"
export AGENTOS_SECURITY_KEY="$security_key"
export AGENTOS_FIXTURE_DIR="$fixture_dir"
export AGENTOS_PYTHON="$fixture_py"
export AGENTOS_APP="$fixture_app"
export AGENTOS_APP_CMD="$fixture_py $fixture_app"
export AGENTOS_INSTANCE_SCRIPT="$fixture_repo/scripts/agentos-instance.sh"

fx_log "fake model  $FAKE_MODEL_URL (pid $fake_pid)"
fx_log "AgentOS     $AGENTOS_URL (pid $open_pid)"
fx_log "secured     $AGENTOS_SECURED_URL (pid $secured_pid)"
fx_log "logs, data  $AGENTOS_FIXTURE_DIR"

fx_run_command AGENTOS_URL AGENTOS_SECURED_URL AGENTOS_SECURITY_KEY FAKE_MODEL_URL AGENTOS_FIXTURE_DIR \
    AGENTOS_PYTHON AGENTOS_APP AGENTOS_APP_CMD AGENTOS_INSTANCE_SCRIPT -- "$@"
