#!/usr/bin/env bash
# Starts `boomerang server` on a free port in a temporary data folder, fetches /openapi.json and
# validates it with openapi-spec-validator (pip install openapi-spec-validator). Exits non-zero
# when the document is not valid OpenAPI 3.1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! python3 -c 'import openapi_spec_validator' 2>/dev/null; then
    echo "error: needs the Python package openapi-spec-validator (pip install openapi-spec-validator)" >&2
    exit 1
fi
work="$(mktemp -d)"
"$root/bin/boomerang" server --data "$work/data" --port 0 >"$work/out.txt" 2>"$work/err.txt" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
    grep -q "listening on" "$work/out.txt" 2>/dev/null && break
    sleep 0.5
done
url="$(grep -o 'http://[0-9.]*:[0-9]*' "$work/out.txt" | head -1)"
[ -n "$url" ] || { echo "error: the server did not start; its log:" >&2; cat "$work/err.txt" >&2; exit 1; }
curl -sf "$url/openapi.json" >"$work/openapi.json"
python3 - "$work/openapi.json" <<'PY'
import json, sys
from openapi_spec_validator import validate
doc = json.load(open(sys.argv[1]))
validate(doc)
ops = sum(len(v) for v in doc["paths"].values())
print(f"valid OpenAPI {doc['openapi']}: {len(doc['paths'])} paths, {ops} operations, {len(doc['components']['schemas'])} schemas")
PY
