#!/usr/bin/env bash
# How long an extractSkills waits after a write that drops the label automaton, on ESCO
# (../shared/data when present, else the test fixture), loopback only.
#
#   scripts/extract-after-rename.sh
#
# Serves the import with the response cache off, then three times: renames a skill and
# extracts at once, renames it again and extracts 3 s later. Prints curl's total time of
# each extraction (a 5,000-character text). Fails on any non-200 answer.
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
timed() { post "$extract" -o /dev/null -w '%{time_total} s'; }
rename() {
    local body
    body=$(python3 -c 'import json,sys; print(json.dumps({"query": "mutation($id: ID!, $n: String!) { updateSkill(id: $id, input: {name: $n}) { id } }", "variables": {"id": sys.argv[1], "n": sys.argv[2]}}))' "$id" "$1")
    post "$body" -H "authorization: Bearer $TOKEN" | grep -q '"errors"' && { echo "the rename failed" >&2; exit 1; }
    return 0
}
echo "no write since start-up: $(timed)"
for i in 1 2 3; do
    rename "renamed skill $i a"
    echo "at once after a rename: $(timed)"
    rename "renamed skill $i b"
    sleep 3
    echo "3 s after a rename:     $(timed)"
done
