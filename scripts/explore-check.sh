#!/usr/bin/env bash
# Checks the plan explorer (/explore) in headless Chromium, offline (every host but 127.0.0.1
# is made unresolvable): it must suggest roles for a typed job title, read it as a role with
# its confidence (or offer candidates below the threshold), let one pick with keyboard and
# mouse, draw the plan within a budget and at a pace, draw a role plan and a skill plan from
# links, explain a clicked step and report an unknown role, loading nothing from another origin, with no CSP violation or
# console error; the plan's Mermaid text must render with mermaid.js and its DOT text with
# Graphviz, warning-free. Screenshots go to $OUT (default /tmp). Not part of `cargo test` (it
# needs Chromium and Graphviz from Debian, puppeteer-core and mermaid from the npm registry).
#
#   scripts/explore-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp}

source scripts/browser.sh

need chromium=chromium dot=graphviz
npm_install puppeteer-core@23.11.1 mermaid@11
start_debug_server
NODE_PATH=$work/node_modules node scripts/explore-check.js "http://127.0.0.1:$port" "$out" \
    "$work/node_modules/mermaid/dist/mermaid.min.js"

# Graphviz reads the DOT of a role plan, of a skill plan and of a plan within a budget at a
# pace without a warning.
for path in "ai-engineer.dot?from=software-engineer" "skills/pytorch.dot?have=python:3&level=4" \
    "ml-engineer.dot?from=software-engineer&budgetHours=100&hoursPerWeek=10"; do
    curl -sf "http://127.0.0.1:$port/paths/$path" >"$work/plan.dot"
    warnings=$(dot -Tsvg -o "$work/plan.svg" "$work/plan.dot" 2>&1)
    [ -z "$warnings" ] || { echo "dot: $path: $warnings" >&2; exit 1; }
    steps=$(grep -c '^    s[0-9]* \[id=' "$work/plan.dot")
    nodes=$(grep -c 'class="node"' "$work/plan.svg")
    echo "dot: $path: Graphviz drew $nodes nodes for $steps steps"
    [ "$steps" -gt 0 ] && [ "$nodes" = "$steps" ] || exit 1
done
