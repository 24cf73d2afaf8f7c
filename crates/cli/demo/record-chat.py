#!/usr/bin/env python3
"""Records a terminal session of `agentos chat` against the fixture, as an asciinema v2 cast.

    cargo build -p agentos-cli
    scripts/with-agentos.sh python3 crates/cli/demo/record-chat.py

writes crates/cli/demo/chat.cast (play it with `asciinema play chat.cast`, or any asciinema
player) and chat.txt (the same session as plain text). The chat runs on a real pseudo-terminal
(Python's pty module, standard library only): keys are typed when the prompt they answer is
shown, so the recording is what a person sees.
"""

import json
import os
import pty
import re
import select
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
BIN = os.environ.get("AGENTOS_BIN", os.path.join(ROOT, "target", "debug", "agentos"))
COLS, ROWS = 100, 30
PROMPT = b"hitl-agent> "

# (what to wait for on the screen, keys to type); typed one character at a time.
SCRIPT = [
    (PROMPT, "Hello! Who are you?\r"),
    (PROMPT, '[tool:confirm_tool {"action": "deploy v2"}] Deploy it\r'),
    (b"[y/n]", "y\r"),
    (PROMPT, "[slow:8] Tell me something long\r"),
    (b"tick-4", "\x03"),
    (PROMPT, "/history\r"),
    (PROMPT, "/session\r"),
    (PROMPT, "\x04"),
]


def main():
    if "AGENTOS_URL" not in os.environ:
        sys.exit("run it with scripts/with-agentos.sh (AGENTOS_URL is not set)")
    session = "demo-%d" % int(time.time())
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
    env.pop("NO_COLOR", None)
    env["XDG_DATA_HOME"] = os.path.join(ROOT, "target", "demo-data")
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(BIN, [BIN, "chat", "hitl-agent", "--session", session], env)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    start = time.monotonic()
    events, screen = [], b""
    steps = list(SCRIPT)
    seen = 0  # how much of the screen the current step has already matched past

    def read(timeout):
        nonlocal screen
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        screen += data
        events.append([round(time.monotonic() - start, 3), "o", data.decode("utf-8", "replace")])
        return True

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not read(0.05):
            break
        if steps:
            want, keys = steps[0]
            at = screen.find(want, seen)
            if at >= 0:
                seen = at + len(want)
                steps.pop(0)
                time.sleep(0.6)
                for ch in keys:
                    os.write(fd, ch.encode())
                    time.sleep(0.04 if ch not in "\r\x03\x04" else 0.3)
    os.waitpid(pid, 0)
    header = {"version": 2, "width": COLS, "height": ROWS, "timestamp": int(time.time()),
              "title": "agentos chat hitl-agent", "env": {"TERM": "xterm-256color"}}
    with open(os.path.join(HERE, "chat.cast"), "w") as f:
        f.write(json.dumps(header) + "\n")
        for e in events:
            f.write(json.dumps(e) + "\n")
    text = screen.decode("utf-8", "replace")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # cursor moves, styles
    # What a terminal shows of each line: the part after its last carriage return (the
    # spinner redraws itself in place).
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        parts = [p for p in line.split("\r") if p.strip()]
        shown = parts[-1] if parts else ""
        # The editor draws the prompt, then returns and moves past it to draw the input.
        prompt = PROMPT.decode()
        if len(parts) > 1 and parts[-2].endswith(prompt) and not shown.startswith(prompt):
            shown = prompt + shown
        lines.append(shown)
    text = "\n".join(lines)
    with open(os.path.join(HERE, "chat.txt"), "w") as f:
        f.write(text)
    if steps:
        sys.exit("the session did not go as scripted; waiting for %r" % (steps[0][0],))
    print("wrote chat.cast and chat.txt in", HERE)


if __name__ == "__main__":
    main()
