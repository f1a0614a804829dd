#!/usr/bin/env bash
# Checks the GraphQL explorer in headless Chromium, offline (every host but 127.0.0.1 is made
# unresolvable): it must render, answer a query, browse the schema and run a subscription over
# WebSocket, loading nothing from another origin, with no CSP violation or console error.
# Screenshots go to $OUT (default /tmp). Not part of `cargo test` (it needs Chromium and
# puppeteer-core from the npm registry); run it after scripts/vendor-graphiql.sh.
#
#   scripts/explorer-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp}
source scripts/browser.sh

need chromium=chromium
npm_install puppeteer-core@23.11.1
token=explorer-check-token-$RANDOM$RANDOM$RANDOM
start_debug_server --admin-token "$token"
NODE_PATH=$work/node_modules node scripts/explorer-check.js "http://127.0.0.1:$port" "$token" "$out"
