#!/usr/bin/env bash
# Creates (or refreshes) the Python virtualenv of the test fixture at <repo>/.venv and installs
# tests/fixtures/requirements.txt (+ constraints.txt) into it: agno's AgentOS, LanceDB, ...
#
# Idempotent: a stamp file holds the hash of the requirement files and of the Python version;
# when nothing changed, it returns at once. Needs only `python3` (3.10+) with the venv module and
# access to PyPI. Progress goes to stderr. Prints nothing on stdout.
#
# Environment:
#   PYTHON=python3.11   the interpreter used to create the venv (default: python3)
#   AGENTOS_VENV=DIR    another venv location (default: <repo>/.venv, or <repo>/.venv-agno-X with AGNO_VERSION)
#   AGNO_VERSION=X      an older agno: installs tests/fixtures/requirements-agno-X.txt (fully pinned)
#                       instead of requirements.txt, into <repo>/.venv-agno-X (e.g. AGNO_VERSION=2.7.0)
#   FORCE=1             reinstall even when the stamp matches
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$repo/tests/fixtures"
requirements=requirements.txt
default_venv=$repo/.venv
if [[ -n "${AGNO_VERSION:-}" ]]; then
    requirements=requirements-agno-$AGNO_VERSION.txt
    default_venv=$repo/.venv-agno-$AGNO_VERSION
    if [[ ! -f "$fixtures/$requirements" ]]; then
        echo "[setup-python] error: AGNO_VERSION=$AGNO_VERSION has no tests/fixtures/$requirements; there are:" \
            "$(cd "$fixtures" && ls requirements-agno-*.txt 2>/dev/null | tr '\n' ' ')" >&2
        exit 1
    fi
fi
venv=${AGENTOS_VENV:-$default_venv}
python=${PYTHON:-python3}
stamp="$venv/.agentos-fixture-stamp"

log() { printf '[setup-python] %s\n' "$*" >&2; }

if ! command -v "$python" >/dev/null 2>&1; then
    log "error: $python not found; install Python 3.10+ (3.11 is what the fixture is tested with)"
    exit 1
fi

hash_inputs() {
    {
        cat "$fixtures/$requirements" "$fixtures/constraints.txt" 2>/dev/null
        "$python" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
}
want=$(hash_inputs)

if [[ "${FORCE:-0}" != 1 && -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "up to date ($venv)"
    exit 0
fi

started=$SECONDS
if [[ ! -x "$venv/bin/python" ]]; then
    log "creating virtualenv at $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi

log "upgrading pip"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2

log "installing tests/fixtures/$requirements (a fresh install takes about a minute)"
rm -f "$stamp"
(cd "$fixtures" && "$venv/bin/python" -m pip install --disable-pip-version-check --quiet \
    --progress-bar off -r "$requirements") >&2

log "checking imports"
"$venv/bin/python" - >&2 <<'EOF'
import agno, fastapi, lancedb, openai, opentelemetry.sdk, openinference.instrumentation.agno, uvicorn  # noqa: F401
from importlib.metadata import version
print(f"[setup-python] agno {version('agno')}, fastapi {version('fastapi')}, lancedb {version('lancedb')}")
EOF

echo "$want" >"$stamp"
log "done in $((SECONDS - started)) s"
