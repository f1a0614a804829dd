#!/usr/bin/env bash
# Mixed-workload soak test of the real server, on loopback only, bounded in time.
#
#   scripts/soak.sh                 # 64 clients for 60 s on the seed + ESCO (when present)
#   SECONDS_TO_RUN=10 scripts/soak.sh
#
# Four wrk instances of 15 connections each (learning paths, role gaps, searches of skills and
# of roles within a category, role matching; scripts/rotate.lua) plus 4 writer clients (examples/writer.rs, durable
# updateSkill mutations) hold 64 concurrent clients against one server. Every write moves the
# revision, so the response cache recomputes each question after each write. It fails (exit 1) on any error or non-200 answer,
# and prints throughput and p50/p99 per workload.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN=${SECONDS_TO_RUN:-60}
PORT=${PORT:-18481}
TOKEN=soak-test-admin-token-0123456789
URL="http://127.0.0.1:$PORT/graphql"

source scripts/lib.sh
need_wrk
./target/release/skillgraph --db "$work/db" import seed | tail -1 >&2
import_esco
start_server

q() { printf '{"query":"%s"}' "$1"; }
paths=$(q '{ learningPath(from: {role: \"software-engineer\"}, to: {roles: [\"ai-engineer\"]}) { stages totalHours steps { position stage skill { id name } toLevel hours } } }')
gaps=$(q '{ roleGap(from: {skills: [{skill: \"python\", level: 4}, {skill: \"sql\", level: 3}]}, to: \"ml-engineer\") { readiness hours missing { requirement { skill { id } level } } path { stages totalHours } } }')
# Role searches within a category read the per-revision index of each category's roles.
searches=$(q '{ skills(query: \"data\", first: 20) { edges { node { id name category { name } } } } roles(category: \"roles:ml-ai\", query: \"engineer\", first: 10) { nodes { id category { path { name } } } } }')
matches=$(q '{ matchRoles(profile: {role: \"data-scientist\"}, first: 10) { role { id name } readiness hours missingEssential } }')

for name in paths gaps searches matches; do
    # wrk counts statuses, not GraphQL errors: each body must answer cleanly first.
    curl -sf "$URL" -H 'content-type: application/json' -d "${!name}" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit("errors" in d)' ||
        { echo "the $name request answers with errors" >&2; exit 1; }
done
pids=()
for name in paths gaps searches matches; do
    printf '%s\n' "${!name}" >"$work/$name.bodies"
    wrk -t1 -c15 -d"${RUN}s" -s scripts/rotate.lua "$URL" "$work/$name.bodies" |
        tail -1 >"$work/$name.json" &
    pids+=($!)
done
./target/release/examples/writer "$URL" "$TOKEN" "$RUN" 4 python sql git docker >"$work/writes.json" &
pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done

failed=0
echo "| workload (64 clients in all, ${RUN}s) | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|"
for name in paths gaps searches matches; do
    python3 - "$work/$name.json" "$name" <<'PY' || failed=1
import json, sys
d = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} (15 connections) | {d['rps']:.0f} | {d['p50_ms']:.2f} | {d['p99_ms']:.2f} | {d['errors']} |")
sys.exit(1 if d["errors"] else 0)
PY
done
python3 - "$work/writes.json" <<'PY' || failed=1
import json, sys
d = json.load(open(sys.argv[1]))
print(f"| updateSkill (4 writers) | {d['per_second']:.0f} | {d['p50_ms']:.2f} | {d['p99_ms']:.2f} | {d['errors']} |")
sys.exit(1 if d["errors"] else 0)
PY
curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null || { echo "the server is not ready after the run" >&2; failed=1; }
exit $failed
