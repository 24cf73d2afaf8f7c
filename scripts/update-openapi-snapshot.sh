#!/usr/bin/env bash
# Writes tests/fixtures/openapi.json: the OpenAPI document of the pinned agno serving our fixture
# app with every feature on, the union of the open instance's (OS database) and the secured
# instance's (also the durable queue). The offline route-coverage and field-drift tests read it
# (tests/coverage.rs, tests/field_drift.rs); the live coverage test checks the running server
# still matches it, so a new agno pin fails CI until this script is run and the diff reviewed.
#
# Usage: scripts/update-openapi-snapshot.sh   (starts and stops the fixture servers itself)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${AGENTOS_URL:-}" ]; then
    exec scripts/with-agentos.sh "$0" "$@"
fi
"$AGENTOS_PYTHON" - "$AGENTOS_URL" "$AGENTOS_SECURED_URL" tests/fixtures/openapi.json <<'PY'
import json, sys, urllib.request

def spec(url):
    with urllib.request.urlopen(url + "/openapi.json", timeout=60) as r:
        return json.load(r)

open_spec, secured = spec(sys.argv[1]), spec(sys.argv[2])
merged = open_spec
for path, item in secured["paths"].items():
    merged["paths"].setdefault(path, {}).update(item)
for name, schema in secured.get("components", {}).get("schemas", {}).items():
    merged.setdefault("components", {}).setdefault("schemas", {}).setdefault(name, schema)
# The /queue catch-all of the open instance (503 stubs of a server without a queue) is not an
# operation; the secured instance has the real queue routes.
merged["paths"] = dict(sorted(merged["paths"].items()))
merged["components"]["schemas"] = dict(sorted(merged["components"]["schemas"].items()))
with open(sys.argv[3], "w") as f:
    json.dump(merged, f, indent=1, sort_keys=False)
    f.write("\n")
ops = sum(1 for item in merged["paths"].values() for m in item if m in ("get", "post", "put", "patch", "delete"))
print(f"wrote {sys.argv[3]}: {ops} operations, {len(merged['components']['schemas'])} schemas", file=sys.stderr)
PY
