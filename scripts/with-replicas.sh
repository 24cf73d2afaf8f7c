#!/usr/bin/env bash
# Runs a command against AgentOS as it is deployed in production: several replicas of the fixture
# app (tests/fixtures/agentos_app.py, agno 3.1.10 + the fake model) sharing one PostgreSQL, with
# Redis for agno's QueueConfig, behind HAProxy (round-robin):
#
#   scripts/with-replicas.sh cargo nextest run -p agentos-rs --test replicas
#
# 1. installs what is missing (as root: apt-get install postgresql-15 redis-server haproxy) and
#    scripts/setup-python.sh;
# 2. starts, each on a free 127.0.0.1 port, in its own process group, with its log under
#    target/agentos-replicas/<run>/ (the newest AGENTOS_FIXTURE_KEEP=10 run dirs are kept):
#      - a throwaway PostgreSQL 15 cluster (initdb into <run>/pg, run as the non-root user
#        AGENTOS_PG_USER, default "postgres", created when missing; as a non-root caller, as you),
#      - Redis (no persistence),
#      - the fake model server,
#      - AGENTOS_REPLICAS (default 2) AgentOS replicas, all on the one database
#        (`--db-url`), knowledge off (embedded LanceDB is not shared and the machine has no
#        pgvector), media storage off (a local directory is not shared),
#      - HAProxy in front: round-robin per request, health checks on /health every second, and
#        an `X-Served-By: r<N>` response header naming the replica that answered;
# 3. exports the variables below and runs the command;
# 4. always stops exactly what it started (also replicas that a test restarted), also when the
#    command fails or the script is interrupted, and exits with the command's exit code.
#
# AGENTOS_REPLICA_QUEUE picks the replicas' QueueConfig:
#   redis          (default) QueueConfig(redis=AGENTOS_REDIS_URL): cross-replica cancel and resume
#   redis-durable  QueueConfig(redis=..., durable=True): also the durable job queue in PostgreSQL,
#                  with two attempts and a 6 s lease, so a killed replica's run is re-run soon
#   none           no QueueConfig: cancel and resume state stay in each replica's memory
#
# Exported to the command:
#   AGENTOS_LB_URL           the load balancer, e.g. http://127.0.0.1:41234
#   AGENTOS_REPLICA_URLS     the replicas' own base URLs, space-separated (r1 first)
#   AGENTOS_REPLICA_DIRS     their data dirs, same order: scripts/agentos-instance.sh kill|stop|start DIR
#                            kills (SIGKILL), stops (SIGTERM) or restarts one (on the same port, so
#                            HAProxy sees it come back)
#   AGENTOS_REPLICA_QUEUE    redis | redis-durable | none (as above)
#   AGENTOS_REDIS_URL        redis://127.0.0.1:PORT/0
#   AGENTOS_DB_URL           the replicas' PostgreSQL URL (SQLAlchemy form)
#   AGENTOS_URL              = AGENTOS_LB_URL (so the ordinary integration tests run through the LB)
#   FAKE_MODEL_URL, AGENTOS_FIXTURE_DIR, AGENTOS_PYTHON, AGENTOS_APP, AGENTOS_INSTANCE_SCRIPT
#   (as in scripts/with-agentos.sh), and FIXTURE_QUEUE_REDIS, FIXTURE_DURABLE_QUEUE,
#   FIXTURE_QUEUE_ATTEMPTS, FIXTURE_QUEUE_LEASE,
#   FIXTURE_MEDIA_STORAGE, FIXTURE_KNOWLEDGE: the replicas' settings, so that
#   scripts/agentos-instance.sh start restarts a replica exactly as it was.
#
# With no command it starts everything, prints the variables and waits until interrupted.
set -euo pipefail
source "$(dirname "$0")/fixture-lib.sh"

timeout=${AGENTOS_START_TIMEOUT:-120}
replicas=${AGENTOS_REPLICAS:-2}
queue_mode=${AGENTOS_REPLICA_QUEUE:-redis}
pg_bin=${AGENTOS_PG_BIN:-/usr/lib/postgresql/15/bin}
case $queue_mode in
    redis | redis-durable | none) ;;
    *) fx_log "error: AGENTOS_REPLICA_QUEUE=$queue_mode (want redis, redis-durable or none)"; exit 2 ;;
esac
[[ "$replicas" =~ ^[1-9]$ ]] || { fx_log "error: AGENTOS_REPLICAS=$replicas (want 1-9)"; exit 2; }

# ---- what the deployment needs from the system --------------------------------------------
need_pkgs=()
[[ -x "$pg_bin/postgres" ]] || need_pkgs+=(postgresql-15)
command -v redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
command -v haproxy >/dev/null 2>&1 || [[ -x /usr/sbin/haproxy ]] || need_pkgs+=(haproxy)
if ((${#need_pkgs[@]})); then
    if [[ $(id -u) != 0 ]]; then
        fx_log "error: missing ${need_pkgs[*]}: install them (apt-get install ${need_pkgs[*]}) or run as root"
        exit 1
    fi
    fx_log "installing ${need_pkgs[*]} (apt-get)"
    started=$SECONDS
    export DEBIAN_FRONTEND=noninteractive
    # Debian's maintainer scripts must not start the services: we run our own instances.
    policy_rc=/usr/sbin/policy-rc.d
    added_policy=0
    if [[ ! -e $policy_rc ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy_rc" && chmod +x "$policy_rc" && added_policy=1
    fi
    if ! apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" </dev/null >&2; then
        apt-get update -qq </dev/null >&2
        apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" </dev/null >&2
    fi
    ((added_policy)) && rm -f "$policy_rc"
    fx_log "apt-get done in $((SECONDS - started)) s"
fi
haproxy_bin=$(command -v haproxy || echo /usr/sbin/haproxy)

"$fixture_repo/scripts/setup-python.sh"

# fx_free_port: a port that was free a moment ago (for servers that cannot bind port 0 and tell).
fx_free_port() {
    "$fixture_py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# fx_wait_tcp HOST PORT PID LOG TIMEOUT NAME: waits until HOST:PORT accepts a connection.
fx_wait_tcp() {
    local host=$1 port=$2 pid=$3 log=$4 timeout=$5 name=$6 deadline=$((SECONDS + $5))
    until "$fixture_py" -c 'import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 1).close()' \
        "$host" "$port" 2>/dev/null; do
        if ! fx_alive "$pid"; then
            fx_log "error: $name exited during startup"
            fx_tail "$log"
            return 1
        fi
        if ((SECONDS >= deadline)); then
            fx_log "error: $name did not listen on $host:$port within ${timeout}s"
            fx_tail "$log"
            return 1
        fi
        sleep 0.2
    done
}

run_id="$(date +%Y%m%d-%H%M%S)-$$"
runs_root="$fixture_repo/target/agentos-replicas"
fixture_dir="$runs_root/$run_id"
mkdir -p "$fixture_dir"
keep=${AGENTOS_FIXTURE_KEEP:-10}
while read -r old; do
    owner=${old##*-}
    [[ "$owner" =~ ^[0-9]+$ ]] && fx_alive "$owner" && continue
    rm -rf "$old"
done < <(find "$runs_root" -mindepth 1 -maxdepth 1 -type d -name '2*' | sort | head -n "-$keep")

group_pids=()
pg_pid=""
pg_tmp=""
cmd_pid=""
cleaned=0
replica_dirs=()

cleanup() {
    local rc=$?
    ((cleaned)) && return
    cleaned=1
    trap - EXIT INT TERM HUP
    if [[ -n "$cmd_pid" ]] && fx_alive "$cmd_pid"; then
        kill -TERM "$cmd_pid" 2>/dev/null || true
        wait "$cmd_pid" 2>/dev/null || true
    fi
    # Extra replicas a test started with scripts/agentos-instance.sh and left running.
    fx_stop_extra_instances "$fixture_dir"
    # Replicas (also ones a test restarted: their pid file names the current process).
    local dir pid
    for dir in "${replica_dirs[@]}"; do
        [[ -s "$dir/agentos.pid" ]] || continue
        pid=$(tr -d '[:space:]' <"$dir/agentos.pid")
        fx_alive "$pid" && fx_stop_group "$pid" 10
    done
    for pid in "${group_pids[@]}"; do
        fx_stop_group "$pid" 10
    done
    # PostgreSQL last (the replicas hold connections): SIGINT is its fast shutdown.
    if [[ -n "$pg_pid" ]] && fx_alive "$pg_pid"; then
        kill -INT -- "-$pg_pid" 2>/dev/null || true
        fx_stop_group "$pg_pid" 10
    fi
    # A cluster that had to live in a temp dir (the repo is out of its user's reach) goes too.
    [[ -n "$pg_tmp" ]] && rm -rf "$pg_tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---- PostgreSQL ---------------------------------------------------------------------------
pg_dir="$fixture_dir/pg"
mkdir -p "$pg_dir"
as_pg=()
if [[ $(id -u) == 0 ]]; then
    pg_user=${AGENTOS_PG_USER:-postgres}
    if ! id "$pg_user" >/dev/null 2>&1; then
        fx_log "creating system user $pg_user"
        useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
    fi
    chown "$pg_user" "$pg_dir"
    as_pg=(runuser -u "$pg_user" --)
    if ! "${as_pg[@]}" test -w "$pg_dir"; then
        # The repo sits where that user cannot reach: use a temp dir instead.
        pg_dir=$(mktemp -d /tmp/agentos-replicas-pg.XXXXXX)
        pg_tmp=$pg_dir
        chown "$pg_user" "$pg_dir"
        ln -sfn "$pg_dir" "$fixture_dir/pg-data"
    fi
fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U agentos --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$fixture_dir/initdb.log" 2>&1 || { fx_tail "$fixture_dir/initdb.log"; exit 1; }
pg_port=$(fx_free_port)
fx_spawn "$fixture_dir/postgres.log" "${as_pg[@]}" "$pg_bin/postgres" -D "$pg_dir/data" -p "$pg_port" \
    -k "$pg_dir" -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
    -c full_page_writes=off -c max_connections=200
pg_pid=$FX_PID
fx_wait_tcp 127.0.0.1 "$pg_port" "$pg_pid" "$fixture_dir/postgres.log" 60 PostgreSQL
until "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; do
    fx_alive "$pg_pid" || { fx_tail "$fixture_dir/postgres.log"; exit 1; }
    sleep 0.2
done
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U agentos agentos
export AGENTOS_DB_URL="postgresql+psycopg://agentos@127.0.0.1:$pg_port/agentos"

# ---- Redis --------------------------------------------------------------------------------
mkdir -p "$fixture_dir/redis"
redis_port=$(fx_free_port)
fx_spawn "$fixture_dir/redis.log" redis-server --bind 127.0.0.1 --port "$redis_port" --save '' \
    --appendonly no --dir "$fixture_dir/redis" --protected-mode yes
group_pids+=("$FX_PID")
fx_wait_tcp 127.0.0.1 "$redis_port" "$FX_PID" "$fixture_dir/redis.log" 30 Redis
export AGENTOS_REDIS_URL="redis://127.0.0.1:$redis_port/0"

# ---- fake model ---------------------------------------------------------------------------
fx_spawn "$fixture_dir/fake-model.log" "$fixture_py" "$fixture_fake" --port 0 \
    --port-file "$fixture_dir/fake-model.port"
fake_pid=$FX_PID
group_pids+=("$fake_pid")
fake_port=$(fx_wait_port "$fixture_dir/fake-model.port" "$fake_pid" "$fixture_dir/fake-model.log" 30 "fake model")
fx_wait_health "http://127.0.0.1:$fake_port" "$fake_pid" "$fixture_dir/fake-model.log" 30 "fake model"
export FAKE_MODEL_URL="http://127.0.0.1:$fake_port/v1"

# ---- the replicas -------------------------------------------------------------------------
# Their settings are exported, so that a test restarting one with scripts/agentos-instance.sh
# gets the same replica back.
unset OS_SECURITY_KEY
export FIXTURE_MEDIA_STORAGE=0 FIXTURE_KNOWLEDGE=0 FIXTURE_QUEUE_REDIS="" FIXTURE_DURABLE_QUEUE=0
[[ $queue_mode == redis* ]] && FIXTURE_QUEUE_REDIS=$AGENTOS_REDIS_URL
export FIXTURE_QUEUE_ATTEMPTS="" FIXTURE_QUEUE_LEASE=""
if [[ $queue_mode == redis-durable ]]; then
    FIXTURE_DURABLE_QUEUE=1 FIXTURE_QUEUE_ATTEMPTS=2 FIXTURE_QUEUE_LEASE=6
fi
export AGENTOS_REPLICA_QUEUE=$queue_mode

# The first replica creates agno's tables alone; the others start once it is healthy (two
# replicas creating the same tables at once race on PostgreSQL's catalog).
replica_urls=()
replica_ports=()
for ((i = 1; i <= replicas; i++)); do
    dir="$fixture_dir/r$i"
    mkdir -p "$dir"
    replica_dirs+=("$dir")
    port=$(fx_free_port)
    url=$(AGENTOS_FIXTURE_DIR="" AGENTOS_START_TIMEOUT=$timeout \
        "$fixture_repo/scripts/agentos-instance.sh" start "$dir" --port "$port") || exit 1
    replica_urls+=("$url")
    replica_ports+=("$port")
done

# ---- HAProxy ------------------------------------------------------------------------------
lb_port=$(fx_free_port)
{
    cat <<EOF
global
    maxconn 512
defaults
    mode http
    log global
    timeout connect 2s
    timeout client 300s
    timeout server 300s
    timeout http-request 30s
    retries 2
    option redispatch
frontend agentos
    bind 127.0.0.1:$lb_port
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /health
    http-response set-header X-Served-By %[srv_name]
EOF
    for ((i = 1; i <= replicas; i++)); do
        echo "    server r$i 127.0.0.1:${replica_ports[i - 1]} check inter 1s fall 2 rise 1"
    done
} >"$fixture_dir/haproxy.cfg"
"$haproxy_bin" -c -q -f "$fixture_dir/haproxy.cfg" || exit 1
fx_spawn "$fixture_dir/haproxy.log" "$haproxy_bin" -db -f "$fixture_dir/haproxy.cfg"
lb_pid=$FX_PID
group_pids+=("$lb_pid")
fx_wait_health "http://127.0.0.1:$lb_port" "$lb_pid" "$fixture_dir/haproxy.log" 30 HAProxy

export AGENTOS_LB_URL="http://127.0.0.1:$lb_port"
export AGENTOS_URL=$AGENTOS_LB_URL
export AGENTOS_REPLICA_URLS="${replica_urls[*]}"
export AGENTOS_REPLICA_DIRS="${replica_dirs[*]}"
export AGENTOS_FIXTURE_DIR="$fixture_dir"
export AGENTOS_PYTHON="$fixture_py"
export AGENTOS_APP="$fixture_app"
export AGENTOS_INSTANCE_SCRIPT="$fixture_repo/scripts/agentos-instance.sh"

fx_log "PostgreSQL  $AGENTOS_DB_URL (pid $pg_pid)"
fx_log "Redis       $AGENTOS_REDIS_URL"
fx_log "fake model  $FAKE_MODEL_URL"
fx_log "replicas    $AGENTOS_REPLICA_URLS (queue: $queue_mode)"
fx_log "HAProxy     $AGENTOS_LB_URL (pid $lb_pid)"
fx_log "logs, data  $AGENTOS_FIXTURE_DIR"

fx_run_command AGENTOS_LB_URL AGENTOS_REPLICA_URLS AGENTOS_REPLICA_DIRS AGENTOS_REPLICA_QUEUE AGENTOS_REDIS_URL \
    AGENTOS_DB_URL AGENTOS_URL FAKE_MODEL_URL AGENTOS_FIXTURE_DIR AGENTOS_PYTHON AGENTOS_APP \
    AGENTOS_INSTANCE_SCRIPT FIXTURE_QUEUE_REDIS FIXTURE_DURABLE_QUEUE FIXTURE_QUEUE_ATTEMPTS FIXTURE_QUEUE_LEASE \
    FIXTURE_MEDIA_STORAGE FIXTURE_KNOWLEDGE -- "$@"
