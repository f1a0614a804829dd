#!/usr/bin/env bash
# HTTP load benchmark of the real server, on loopback only, bounded in time.
#
#   scripts/load.sh            # ESCO from ../shared/data when present, else the test fixture
#
# Installs oha (a Rust HTTP load generator) with cargo if it is missing, imports ESCO into a
# throwaway database, starts `skillgraph serve` on 127.0.0.1, and measures with oha:
#   1. a trivial query ({ stats { skills } }) at $CONNECTIONS connections;
#   2. roleGap for an ESCO occupation at $CONNECTIONS connections;
#   3. single durable mutations, one client (examples/writer.rs: oha sends one fixed body,
#      and a repeated identical write is not a write);
#   4. roleGap readers again while 4 writers mutate, to see how writes affect readers' p99.
# Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18480}
TOKEN=load-test-admin-token-0123456789
URL="http://127.0.0.1:$PORT/graphql"

source scripts/lib.sh
need_oha
import_esco
started=$(date +%s%N)
start_server
echo "reopened the database and answering /health after $(( ($(date +%s%N) - started) / 1000000 )) ms; server RSS $(ps -o rss= -p "$server") KB" >&2

gql() { curl -sf "$URL" -H 'content-type: application/json' -d "$1"; }
role=$(gql '{"query":"{ roles(query: \"data scientist\", first: 1) { edges { node { id } } } }"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["roles"]["edges"][0]["node"]["id"])')
mapfile -t skills < <(gql '{"query":"{ skills(query: \"data\", first: 4) { edges { node { id } } } }"}' |
    python3 -c 'import json,sys; [print(e["node"]["id"]) for e in json.load(sys.stdin)["data"]["skills"]["edges"]]')
held=$(printf '{skill: \\"%s\\", level: 3}, ' "${skills[@]:0:2}")
profile="from: {skills: [${held%, }]}, to: \\\"$role\\\""
# What a frontend draws: the whole gap with every step of its plan.
gap_body="{\"query\":\"{ roleGap($profile) { readiness hours missing { requirement { skill { id } } } path { totalHours steps { position stage skill { id } } } } }\"}"
# What a recruiter's list shows: the score, the hours, the missing skills, the plan's size.
summary_body="{\"query\":\"{ roleGap($profile) { readiness hours missing { requirement { skill { id } } } path { stages totalHours criticalPathHours } } }\"}"
echo "roleGap target: $role" >&2
gql "$gap_body" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "errors" not in d, d; print("roleGap ok:", d["data"]["roleGap"]["readiness"], d["data"]["roleGap"]["hours"], "h")' >&2

run_oha() { # name body
    oha -z "${DURATION}s" -w -c "$CONNECTIONS" --no-tui --output-format json -m POST \
        -H 'content-type: application/json' -d "$2" "$URL" >"$work/$1.json"
}
summary() { # name
    python3 - "$work/$1.json" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
codes = d.get("statusCodeDistribution", {})
errors = sum(d.get("errorDistribution", {}).values()) + sum(v for k, v in codes.items() if k != "200")
p = d["latencyPercentiles"]
print(f"| {sys.argv[2]} | {d['summary']['requestsPerSec']:.0f} | {p['p50']*1000:.2f} | {p['p99']*1000:.2f} | {errors} |")
PY
}

echo "| workload ($CONNECTIONS connections, ${DURATION}s) | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|"
run_oha trivial '{"query":"{ stats { skills } }"}'
summary trivial
run_oha rolegap-summary "$summary_body"
summary rolegap-summary
run_oha rolegap-full-path "$gap_body"
summary rolegap-full-path

single=$(./target/release/examples/writer "$URL" "$TOKEN" "$DURATION" 1 "${skills[0]}")
echo "| updateSkill, 1 client (durable) | $(python3 -c "import json;d=json.loads('$single');print(f\"{d['per_second']:.0f} | {d['p50_ms']:.2f} | {d['p99_ms']:.2f} | {d['errors']}\")") |"

./target/release/examples/writer "$URL" "$TOKEN" "$DURATION" 4 "${skills[@]}" >"$work/writes.json" &
writers=$!
run_oha rolegap-full-path-during-writes "$gap_body"
wait "$writers"
summary rolegap-full-path-during-writes
echo "server RSS after the run: $(ps -o rss= -p "$server") KB" >&2
echo "| updateSkill, 4 clients, during the reads above | $(python3 -c "import json;d=json.load(open('$work/writes.json'));print(f\"{d['per_second']:.0f} | {d['p50_ms']:.2f} | {d['p99_ms']:.2f} | {d['errors']}\")") |"
