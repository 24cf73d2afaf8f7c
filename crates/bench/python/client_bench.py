"""The Python side of the side-by-side workloads: agno's official AgentOSClient.

    python client_bench.py WORKLOAD --url URL [--n N] [--agent ID] [--message TEXT]

Workloads, output and timing are those of the Rust `sdk-bench` (crates/bench/src/bin/sdk_bench.rs):
- config:   N sequential `aget_config()` calls;
- sessions: N sequential `get_sessions(limit=100)` pages;
- stream:   N sequential `run_agent_stream(...)` runs, every event parsed into its typed class.

One call is made first (the cold start, process start to its response: the imports count, as
they do for any program that uses the client); the N calls after it are timed. It prints one
JSON line: first_response_unix_ns, loop_cpu_s (user + sys of the whole process, from
CLOCK_PROCESS_CPUTIME_ID via time.process_time), loop_wall_s and items.
"""

import argparse
import asyncio
import json
import time

from agno.client import AgentOSClient


async def one(client: AgentOSClient, a: argparse.Namespace) -> int:
    if a.workload == "config":
        config = await client.aget_config()
        return len(config.agents or [])
    if a.workload == "sessions":
        page = await client.get_sessions(limit=100, page=1)
        return len(page.data)
    if a.workload == "stream":
        n = 0
        async for _event in client.run_agent_stream(a.agent, a.message):
            n += 1
        return n
    raise SystemExit(f"unknown workload {a.workload}")


async def run(a: argparse.Namespace) -> dict:
    client = AgentOSClient(base_url=a.url, timeout=600.0)
    items = await one(client, a)
    first = time.time_ns()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(a.n):
        items += await one(client, a)
    return {
        "first_response_unix_ns": str(first),
        "loop_cpu_s": time.process_time() - cpu0,
        "loop_wall_s": time.perf_counter() - wall0,
        "items": items,
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("workload", choices=["config", "sessions", "stream"])
    p.add_argument("--url", required=True)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--agent", default="echo-agent")
    p.add_argument("--message", default="bench run [story]")
    a = p.parse_args()
    out = asyncio.run(run(a))
    out.update(client="python", workload=a.workload, n=a.n)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
