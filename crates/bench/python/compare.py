"""Runs the Rust SDK (`sdk-bench`) and agno's AgentOSClient (`client_bench.py`) side by side on
the same workloads and the same server, one process per (client, workload), and measures
each process from the outside (GNU time: user and sys CPU, peak RSS) and the inside (CPU and wall
time of the timed loop, time of the first response). Used by scripts/bench.sh.

    compare.py run --target NAME --url URL --rust BIN --python PY [--n-config N] ...  >> results.jsonl
    compare.py process --target NAME --name NAME -- CMD ARGS...                      >> results.jsonl
    compare.py render results.jsonl                                                 > table.md
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Usage:
    """What GNU time reports of the child: user and sys CPU seconds, peak RSS in KiB."""

    def __init__(self, text):
        user, sys_, rss = text.split()[-3:]
        self.ru_utime, self.ru_stime, self.ru_maxrss = float(user), float(sys_), int(rss)


def spawn(cmd):
    """Runs cmd under /usr/bin/time; returns (stdout, usage, spawn time in unix ns, wall s).

    Not wait4 from here: a child forked from this Python process starts with its resident
    set, and the kernel keeps that high-water mark across exec, so peak RSS under ~15 MiB
    could not be seen. GNU time is small, so its child starts from about 1 MiB.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
        started = time.time_ns()
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", f.name] + cmd, stdout=subprocess.PIPE)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            sys.exit(f"{cmd!r} failed with {p.returncode}")
        return p.stdout.decode(), Usage(f.read()), started, wall


def measure(client, workload, cmd, n, target):
    out, ru, started, wall = spawn(cmd)
    line = [l for l in out.splitlines() if l.startswith("{")][-1]
    r = json.loads(line)
    n = max(n, 1)
    return {
        "kind": "workload",
        "target": target,
        "client": client,
        "workload": workload,
        "n": n,
        "cpu_per_call_us": r["loop_cpu_s"] / n * 1e6,
        "wall_per_call_us": r["loop_wall_s"] / n * 1e6,
        "items": r["items"],
        "process_user_s": ru.ru_utime,
        "process_sys_s": ru.ru_stime,
        "peak_rss_kib": ru.ru_maxrss,
        "cold_start_ms": (int(r["first_response_unix_ns"]) - started) / 1e6,
        "process_wall_s": wall,
        "extra": {k: v for k, v in r.items() if k in ("per_stream_kib", "rss_base_kib", "rss_open_kib", "streams", "opened_in_s")},
    }


def median_of(repeat, run):
    """Runs `run` `repeat` times; the row whose CPU per call is the median, with the range."""
    rows = sorted((run() for _ in range(max(repeat, 1))), key=lambda r: r["cpu_per_call_us"])
    row = dict(rows[len(rows) // 2])
    row["runs"] = len(rows)
    row["cpu_per_call_range_us"] = [rows[0]["cpu_per_call_us"], rows[-1]["cpu_per_call_us"]]
    return row


def cmd_run(a):
    py = [a.python, os.path.join(HERE, "client_bench.py")]
    # Every client of this target on one CPU (taskset execs the client: GNU time sees it).
    pin = ["taskset", "-c", str(a.cpu)] if a.cpu is not None else []
    workloads = [("config", a.n_config), ("sessions", a.n_sessions), ("stream", a.n_stream)]
    for workload, n in workloads:
        if n <= 0:
            continue
        extra = ["--message", a.message]
        clients = [("rust", [a.rust], []), ("python", py, [])]
        if workload in ("config", "sessions"):
            # The same GET on a raw socket, nothing decoded: the floor of any client.
            clients.append(("limit", [a.rust], ["--client", "limit"]))
        # A non-stream call costs tens of microseconds: one process run of it is easily
        # skewed by the rest of the machine, so those rows are the median of --repeat runs.
        repeat = a.repeat if workload in ("config", "sessions") else 1
        for client, base, flags in clients:
            cmd = pin + base + [workload, "--url", a.url, "--n", str(n)] + flags + extra
            print(json.dumps(median_of(repeat, lambda: measure(client, workload, cmd, n, a.target))), flush=True)
    if a.hold > 0:
        cmd = pin + [a.rust, "hold", "--url", a.url, "--n", str(a.hold), "--agent", f"hold-{a.hold_ms}", "--message", a.message]
        print(json.dumps(measure("rust", "hold", cmd, a.hold, a.target)), flush=True)


def cmd_process(a):
    """A whole program (e.g. the quickstart example): peak RSS, CPU, wall."""
    out, ru, started, wall = spawn(a.cmd)
    print(json.dumps({
        "kind": "process",
        "target": a.target,
        "name": a.name,
        "process_user_s": ru.ru_utime,
        "process_sys_s": ru.ru_stime,
        "peak_rss_kib": ru.ru_maxrss,
        "process_wall_s": wall,
    }), flush=True)


def fmt_us(v):
    return f"{v:,.0f} µs" if v >= 100 else f"{v:.1f} µs"


def ratio(r, p):
    return f"{r / p:.3f} ({p / r:.0f}x less)" if r > 0 and p > 0 else "-"


def cmd_render(a):
    rows = [json.loads(l) for l in open(a.results) if l.strip().startswith("{")]
    out = []
    work = [r for r in rows if r["kind"] == "workload" and r["workload"] != "hold"]
    by = {(r["target"], r["workload"], r["client"]): r for r in work}
    targets = sorted({r["target"] for r in work}, key=lambda t: (not t.startswith("replay"), t))
    out.append("| server | workload | N | client | CPU per call (user+sys) | wall per call | peak RSS | cold start | process user / sys |")
    out.append("|---|---|---:|---|---:|---:|---:|---:|---:|")
    for t in targets:
        for w in ("config", "sessions", "stream"):
            for c in ("rust", "python", "limit"):
                r = by.get((t, w, c))
                if not r:
                    continue
                cpu = fmt_us(r["cpu_per_call_us"])
                if r.get("runs", 1) > 1:
                    lo, hi = r["cpu_per_call_range_us"]
                    cpu += f" ({fmt_us(lo)[:-3]}–{fmt_us(hi)})"
                out.append(
                    f"| {t} | {w} | {r['n']} | {c} | {cpu} | {fmt_us(r['wall_per_call_us'])} | "
                    f"{r['peak_rss_kib'] / 1024:.1f} MiB | {r['cold_start_ms']:.0f} ms | {r['process_user_s']:.2f} s / {r['process_sys_s']:.2f} s |"
                )
            rr, pr = by.get((t, w, "rust")), by.get((t, w, "python"))
            if rr and pr:
                out.append(
                    f"| {t} | {w} | | **Rust / Python** | **{ratio(rr['cpu_per_call_us'], pr['cpu_per_call_us'])}** | "
                    f"{rr['wall_per_call_us'] / pr['wall_per_call_us']:.3f} | {rr['peak_rss_kib'] / pr['peak_rss_kib']:.3f} | "
                    f"{rr['cold_start_ms'] / pr['cold_start_ms']:.3f} | |"
                )
            lr = by.get((t, w, "limit"))
            if lr and pr:
                out.append(f"| {t} | {w} | | *limit / Python* | *{ratio(lr['cpu_per_call_us'], pr['cpu_per_call_us'])}* | | | | |")
    holds = [r for r in rows if r["kind"] == "workload" and r["workload"] == "hold"]
    if holds:
        out.append("")
        out.append("| server | streams held at once (Rust) | client memory per open stream | RSS before / with streams open | peak RSS | opened in | total wall |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for r in holds:
            e = r["extra"]
            out.append(
                f"| {r['target']} | {e.get('streams')} | {e.get('per_stream_kib', 0):.1f} KiB | {e.get('rss_base_kib', 0) / 1024:.1f} / "
                f"{e.get('rss_open_kib', 0) / 1024:.1f} MiB | {r['peak_rss_kib'] / 1024:.1f} MiB | {e.get('opened_in_s', 0):.2f} s | {r['process_wall_s']:.2f} s |"
            )
    procs = [r for r in rows if r["kind"] == "process"]
    if procs:
        out.append("")
        out.append("| program | server | peak RSS | user / sys CPU | wall |")
        out.append("|---|---|---:|---:|---:|")
        for r in procs:
            out.append(
                f"| {r['name']} | {r['target']} | {r['peak_rss_kib'] / 1024:.1f} MiB | {r['process_user_s']:.3f} s / {r['process_sys_s']:.3f} s | {r['process_wall_s']:.3f} s |"
            )
    print("\n".join(out))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="sub", required=True)
    r = sub.add_parser("run")
    r.add_argument("--target", required=True)
    r.add_argument("--url", required=True)
    r.add_argument("--rust", required=True)
    r.add_argument("--python", required=True)
    r.add_argument("--n-config", type=int, default=1000)
    r.add_argument("--n-sessions", type=int, default=200)
    r.add_argument("--n-stream", type=int, default=200)
    r.add_argument("--message", default="bench run [story]")
    r.add_argument("--cpu", type=int, help="run every client on this CPU (taskset)")
    r.add_argument("--repeat", type=int, default=3, help="runs per non-stream row (the median is kept)")
    r.add_argument("--hold", type=int, default=0)
    r.add_argument("--hold-ms", type=int, default=3000)
    pr = sub.add_parser("process")
    pr.add_argument("--target", required=True)
    pr.add_argument("--name", required=True)
    pr.add_argument("cmd", nargs=argparse.REMAINDER)
    rd = sub.add_parser("render")
    rd.add_argument("results")
    a = p.parse_args()
    if a.sub == "process" and a.cmd and a.cmd[0] == "--":
        a.cmd = a.cmd[1:]
    {"run": cmd_run, "process": cmd_process, "render": cmd_render}[a.sub](a)


if __name__ == "__main__":
    main()
