#!/usr/bin/env bash
# Records the responses the replay server serves, from a running fixture AgentOS:
#
#   scripts/with-agentos.sh crates/bench/record.sh
#
# Seeds 100 sessions with chat history (story runs of the echo agent, 4 at a time), one
# session with several runs, a team run with 12 delegations (for a big trace tree), then saves into crates/bench/data/:
#   config.json agents.json teams.json workflows.json agent.json   (discovery, for quickstart)
#   sessions-page.json      GET /sessions?limit=100&page=1 (100 sessions)
#   session-detail.json     GET /sessions/{id} of a session with 5 story runs (chat history)
#   trace.json              GET /traces/{id}: the trace with the most spans
#   agent-story.sse         a streamed agent run with the [story] marker (about 110 events)
#   team-delegate.sse       a streamed team run that delegates to a member
#   workflow.sse            a streamed workflow run
set -euo pipefail
: "${AGENTOS_URL:?run me under scripts/with-agentos.sh}"
out="$(cd "$(dirname "$0")" && pwd)/data"
mkdir -p "$out"
u=$AGENTOS_URL
post_run() { # path session_id message stream
    curl -sf -X POST "$u$1" -F "message=$3" -F "stream=$4" -F "session_id=$2" -F "user_id=bench-user"
}
export -f post_run
export u

echo "seeding 100 sessions..." >&2
seq 1 100 | xargs -P 4 -I{} bash -c 'post_run /agents/echo-agent/runs bench-session-{} "bench seed {}: tell me a tale [story]" false >/dev/null'
echo "a session with 5 runs..." >&2
for i in 1 2 3 4 5; do
    post_run /agents/echo-agent/runs bench-history "turn $i [story]" false >/dev/null
done
post_run /agents/echo-agent/runs bench-history "a tool turn [tool:echo_tool {\"text\": \"ping\"}]" false >/dev/null

echo "a big trace: a team run with 12 delegations and an agent run with 12 tool calls..." >&2
msg="big trace"
for i in $(seq 1 12); do
    m=$((i % 2 + 1)); [[ $m == 1 ]] && m=one || m=two
    msg="$msg [tool:delegate_task_to_member {\"member_id\": \"member-$m\", \"task\": \"part $i [story]\"}]"
done
post_run /teams/echo-team/runs bench-big-trace "$msg" false >/dev/null
msg="many tools"
for i in $(seq 1 12); do msg="$msg [tool:echo_tool {\"text\": \"ping $i\"}]"; done
post_run /agents/echo-agent/runs bench-tools "$msg" false >/dev/null

echo "streams..." >&2
post_run /agents/echo-agent/runs bench-stream "bench run [story]" true >"$out/agent-story.sse"
post_run /teams/echo-team/runs bench-team 'delegate [tool:delegate_task_to_member {"member_id": "member-one", "task": "tell a tale [story]"}]' true >"$out/team-delegate.sse"
post_run /workflows/echo-workflow/runs bench-wf "workflow [story]" true >"$out/workflow.sse"

echo "discovery..." >&2
curl -sf "$u/config" >"$out/config.json"
curl -sf "$u/agents" >"$out/agents.json"
curl -sf "$u/teams" >"$out/teams.json"
curl -sf "$u/workflows" >"$out/workflows.json"
curl -sf "$u/agents/echo-agent" >"$out/agent.json"

curl -sf "$u/sessions?limit=100&page=1&sort_by=created_at&sort_order=desc" >"$out/sessions-page.json"
curl -sf "$u/sessions/bench-history?type=agent" >"$out/session-detail.json"

echo "traces (they are written about 1 s after a run)..." >&2
sleep 3
trace_id=$(curl -sf "$u/traces?limit=100" | python3 -c '
import json, sys
d = json.load(sys.stdin)["data"]
print(max(d, key=lambda t: t.get("total_spans", 0))["trace_id"])')
curl -sf "$u/traces/$trace_id" >"$out/trace.json"

ls -l "$out" >&2
