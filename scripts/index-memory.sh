#!/usr/bin/env bash
# What each lazily built index and cache costs in resident memory, on ESCO (../shared/data
# when present, else the test fixture), loopback only.
#
#   scripts/index-memory.sh
#
# Serves the import with the response cache off, reads VmRSS 4 s after /health (start-up's
# warmers done), then asks each kind of question once (or for 50 roles or skills, so the
# per-role and per-skill caches fill) and reads VmRSS after each. Prints a Markdown table for
# BENCHMARKS.md; fails on any GraphQL error.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18484}
TOKEN=index-memory-admin-token-0123456789
URL="http://127.0.0.1:$PORT/graphql"

source scripts/lib.sh
import_esco
SERVE_FLAGS="--response-cache-mb 0" start_server
sleep 4
python3 - "$URL" "$server" <<'PY'
import json, sys, time, urllib.request

URL, PID = sys.argv[1], int(sys.argv[2])


def rss():
    for line in open(f"/proc/{PID}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])


def q(query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(URL, body, {"content-type": "application/json"})
    answer = json.load(urllib.request.urlopen(req))
    if answer.get("errors"):
        raise SystemExit(f"{query}: {answer['errors']}")
    return answer["data"]


roles = [e["node"]["id"] for e in q("{ roles(first: 50) { edges { node { id } } } }")["roles"]["edges"]]
skills = [e["node"]["id"] for e in q("{ skills(first: 50) { edges { node { id } } } }")["skills"]["edges"]]
profile = {"skills": [{"skill": s, "level": 3} for s in skills[:10]]}
text = "We need Python, SQL, project management and data analysis. " * 20
GAP = "query($p: ProfileInput!, $r: ID!) { roleGap(from: $p, to: $r) { readiness missing { currentLevel } } }"
steps = [
    ("skills(query:)", lambda: q('{ skills(query: "data analy", first: 5) { edges { node { id } } } }')),
    ("roles(query:)", lambda: q('{ roles(query: "software developer", first: 5) { edges { node { id } } } }')),
    ("normalizeTitles", lambda: q('{ normalizeTitles(titles: ["Senior Data Scientist (m/w/d)"]) { role { id } } }')),
    ("extractSkills", lambda: q("query($t: String!) { extractSkills(text: $t) { skill { id } } }", {"t": text})),
    ("Role.similar, 50 roles", lambda: [q("query($r: ID!) { role(id: $r) { similar(first: 5) { role { id } } } }", {"r": r}) for r in roles]),
    ("roleCategories", lambda: q("{ roleCategories { id children { id } } }")),
    ("roleGap, 50 roles", lambda: [q(GAP, {"p": profile, "r": r}) for r in roles]),
    ("matchRoles", lambda: q("query($p: ProfileInput!) { matchRoles(profile: $p, first: 5) { role { id } } }", {"p": profile})),
    ("nextSkills", lambda: q("query($p: ProfileInput!) { nextSkills(profile: $p, first: 5) { skill { id } } }", {"p": profile})),
    ("learningPath, 10 roles", lambda: [q("query($r: ID!) { learningPath(to: {roles: [$r]}) { totalHours } }", {"r": r}) for r in roles[:10]]),
    ("Skill.related, 50 skills", lambda: [q("query($s: ID!) { skill(id: $s) { related(first: 5) { skill { id } } } }", {"s": s}) for s in skills]),
]
print("| after | VmRSS | change |")
print("|---|---|---|")
before = rss()
print(f"| start-up | {before:,} kB | |")
for name, ask in steps:
    ask()
    time.sleep(0.5)
    now = rss()
    print(f"| {name} | {now:,} kB | {now - before:+,} kB |")
    before = now
PY
