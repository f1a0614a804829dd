#!/usr/bin/env bash
# Throughput of the flagship questions over HTTP, repeated and varied, on loopback only.
#
#   scripts/speed.sh                                  # 14k-skill synthetic graph + real ESCO
#   SKILLS=100000 EDGES=4 ROLES=5000 scripts/speed.sh # the 100k graph
#
# Generates a deterministic synthetic graph (`skillgraph generate`), serves it, and writes 400
# request bodies per question from what it serves (scripts/speed_bodies.py: closures of
# 250-350 skills, the shortest few hundred role plans, gap profiles holding half a role).
# wrk (installed with apt when missing) sends them at $CONNECTIONS connections through
# scripts/rotate.lua, which cycles through a file of bodies:
#   - "repeated": the first body only, with the response cache on (the default);
#   - "varied": all 400 in rotation with the cache off (--response-cache-mb 0), so every
#     answer is computed.
# Then autocomplete, extractSkills on 5 KB texts and Role.similar on ESCO (../shared/data when
# present, else the test fixture) the same way.
# Each figure is also given as a share of `{ stats { skills } }` measured in the same run.
# Prints a Markdown table for BENCHMARKS.md; fails on any error or non-200 answer.
set -euo pipefail
cd "$(dirname "$0")/.."

SKILLS=${SKILLS:-14000}
EDGES=${EDGES:-3}
ROLES=${ROLES:-3000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18482}
TOKEN=speed-test-admin-token-0123456789
URL="http://127.0.0.1:$PORT/graphql"

source scripts/lib.sh
need_wrk

failed=0
stats_rps=1
run() { # label bodies-file
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s scripts/rotate.lua "$URL" "$2" | tail -1 >"$work/last.json"
    python3 - "$1" "$work/last.json" "$stats_rps" <<'PY' || failed=1
import json, sys
label, r, base = sys.argv[1], json.load(open(sys.argv[2])), float(sys.argv[3])
share = "" if label.startswith("stats") else f"{100 * r['rps'] / base:.0f} %"
print(f"| {label} | {r['rps']:.0f} | {share} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} |")
sys.exit(1 if r["errors"] else 0)
PY
    if [[ $1 == stats* ]]; then
        stats_rps=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rps"])' "$work/last.json")
    fi
}
serve() { # db [extra serve flags]
    local db=$1; shift
    [ -n "$server" ] && kill "$server" && wait "$server" 2>/dev/null || true
    server=""
    SERVE_FLAGS="$*" start_server_on "$db"
    # /health answers before start-up's background work (the extraction warmer's automaton)
    # is done; measured during it, the first row (stats) reads low and every share high.
    wrk -t2 -c"$CONNECTIONS" -d3s -s scripts/rotate.lua "$URL" "$bodies/stats.bodies" >/dev/null
}

bodies=$work/bodies
mkdir -p "$bodies"
echo '{"query":"{ stats { skills } }"}' >"$bodies/stats.bodies"
./target/release/skillgraph --db "$work/syn" generate --skills "$SKILLS" \
    --edges-per-skill "$EDGES" --roles "$ROLES" | tail -1 >&2
serve "$work/syn"
python3 scripts/speed_bodies.py "$URL" "$bodies" graph >&2
for f in prereqs path gap gap-path; do head -1 "$bodies/$f.bodies" >"$bodies/$f-1.bodies"; done

echo "| $SKILLS skills, $ROLES roles ($CONNECTIONS connections, ${DURATION}s) | requests/s | share of stats | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
run "stats, cache on" "$bodies/stats.bodies"
for f in prereqs path gap gap-path; do run "$f repeated" "$bodies/$f-1.bodies"; done
serve "$work/syn" --response-cache-mb 0
run "stats, cache off" "$bodies/stats.bodies"
for f in prereqs path gap gap-path; do run "$f repeated, cache off" "$bodies/$f-1.bodies"; done
for f in prereqs path gap gap-path; do run "$f varied (400 bodies), cache off" "$bodies/$f.bodies"; done

import_esco
serve "$work/db"
python3 scripts/speed_bodies.py "$URL" "$bodies" search >&2
python3 scripts/speed_bodies.py "$URL" "$bodies" recruiter >&2
for f in search extract similar; do head -1 "$bodies/$f.bodies" >"$bodies/$f-1.bodies"; done
echo "| ESCO autocomplete, extraction, similar roles | | | | | |"
run "stats, cache on" "$bodies/stats.bodies"
for f in search extract similar; do run "$f repeated" "$bodies/$f-1.bodies"; done
serve "$work/db" --response-cache-mb 0
run "stats, cache off" "$bodies/stats.bodies"
run "search varied (400 prefixes), cache off" "$bodies/search.bodies"
run "extract varied (400 texts of 5 KB), cache off" "$bodies/extract.bodies"
run "similar varied (400 roles), cache off" "$bodies/similar.bodies"
echo "server RSS after the run: $(ps -o rss= -p "$server") KB" >&2
exit $failed
