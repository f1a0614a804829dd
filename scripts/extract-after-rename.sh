#!/usr/bin/env bash
# How long an extractSkills waits after a write that drops the label automaton, on ESCO
# (../shared/data when present, else the test fixture), loopback only.
#
#   scripts/extract-after-rename.sh
#
# Serves the import with the response cache off, then three times: renames a skill and
# extracts at once, renames it again and extracts 3 s later. Prints curl's total time of
# each extraction (a 5,000-character text). Fails on any non-200 answer or GraphQL error.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18483}
TOKEN=rename-test-admin-token-0123456789
URL="http://127.0.0.1:$PORT/graphql"

source scripts/lib.sh
import_esco
SERVE_FLAGS="--response-cache-mb 0" start_server

post() { # body [curl options]
    local body=$1; shift
    curl -sf "$URL" -H 'content-type: application/json' "$@" -d "$body"
}
id=$(post '{"query":"{ skills(first: 1) { edges { node { id } } } }"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["skills"]["edges"][0]["node"]["id"])')
extract=$(python3 - <<'PY'
import json
text = ("We are hiring a data engineer who knows Python, SQL, Apache Kafka and machine "
        "learning, and who can manage staff. ") * 60
print(json.dumps({"query": "query($t: String!) { extractSkills(text: $t, first: 50) { skill { id } } }",
                  "variables": {"t": text[:5000]}}))
PY
)
# Each extraction's time, printed after `label`; exits on a failed request (curl -f) or an
# answer with errors. A function's failure inside $(…) or an `if` would not stop the script
# under `set -e`, hence the explicit exits.
timed() { # label
    local out
    out=$(curl -sf "$URL" -H 'content-type: application/json' -d "$extract" \
        -w '\n%{time_total}') || { echo "the extraction failed" >&2; exit 1; }
    if grep -q '"errors"' <<<"${out%$'\n'*}"; then
        echo "the extraction answered with errors" >&2
        exit 1
    fi
    echo "$1 ${out##*$'\n'} s"
}
rename() { # new name
    local body out
    body=$(python3 -c 'import json,sys; print(json.dumps({"query": "mutation($id: ID!, $n: String!) { updateSkill(id: $id, input: {name: $n}) { id } }", "variables": {"id": sys.argv[1], "n": sys.argv[2]}}))' "$id" "$1")
    out=$(post "$body" -H "authorization: Bearer $TOKEN") || { echo "the rename failed" >&2; exit 1; }
    if grep -q '"errors"' <<<"$out"; then
        echo "the rename answered with errors: $out" >&2
        exit 1
    fi
}
timed "no write since start-up:"
for i in 1 2 3; do
    rename "renamed skill $i a"
    timed "at once after a rename:"
    rename "renamed skill $i b"
    sleep 3
    timed "3 s after a rename:    "
done
