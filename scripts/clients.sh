#!/usr/bin/env bash
# Checks the server with the real clients a frontend team and an integrator use, on loopback.
#
#   bash scripts/clients.sh              # from the repository root
#   CHECKS="apollo graphql-ws" bash scripts/clients.sh   # only some of them
#   SKILLGRAPH_BIN=path/to/skillgraph bash scripts/clients.sh  # a binary built elsewhere
#
# Installs the pinned npm packages of scripts/clients/ (npm ci) and Python gql 4 in a venv
# under the system temp directory, builds the release server, and starts it four times on free
# ports with a token: with default flags; with small --max-* limits; with --no-introspection
# --no-persisted-queries; with --trusted-documents (a manifest written by
# @apollo/generate-persisted-query-manifest). Then it runs each client's checks (the header of
# each file in scripts/clients/ says what it covers), prints one line per client and a total,
# and exits non-zero when any check failed. The `federation` check runs scripts/federation.sh
# on the same binary: skillgraph --federation composed with a Node subgraph and served by Hive
# Gateway, a client of the gateway checked (see that script).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
clients=$root/scripts/clients
export PATH="$HOME/.cargo/bin:$PATH"

# --- the tools: node 20+, npm, python3 with venv ----------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "installing nodejs and npm with apt" >&2
    as_root apt-get update -qq && as_root apt-get install -y -qq nodejs npm >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
    echo "node $(node --version) is too old: graphql-ws 6 needs node 20 or newer" >&2
    exit 1
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv >/dev/null
fi

# --- dependencies (kept between runs: node_modules beside package.json, the venv in $TMPDIR) ---
lock_sum=$(sha256sum "$clients/package-lock.json" | cut -c1-16)
if [ "$(cat "$clients/node_modules/.lock-sum" 2>/dev/null)" != "$lock_sum" ]; then
    (cd "$clients" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_sum" >"$clients/node_modules/.lock-sum"
fi
req_sum=$(sha256sum "$clients/requirements.txt" | cut -c1-16)
venv=${TMPDIR:-/tmp}/skillgraph-clients-venv-$req_sum
if [ ! -x "$venv/bin/python" ] || [ ! -e "$venv/.complete" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$clients/requirements.txt"
    touch "$venv/.complete"
fi

# --- the server --------------------------------------------------------------------------------
# SKILLGRAPH_BIN=path checks a binary built elsewhere instead.
if [ -n "${SKILLGRAPH_BIN:-}" ]; then
    bin=$SKILLGRAPH_BIN
else
    cargo build --release --quiet --bin skillgraph
    bin=${CARGO_TARGET_DIR:-$root/target}/release/skillgraph
fi
TOKEN=clients-check-admin-token-$RANDOM$RANDOM

work=$(mktemp -d)
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
serve() { # name [serve flags...]: starts a server on its own database, prints its /graphql URL
    local name=$1 port
    shift
    port=$(free_port)
    SKILLGRAPH_ADMIN_TOKEN=$TOKEN RUST_LOG=warn "$bin" --db "$work/$name-db" serve \
        --addr "127.0.0.1:$port" --seed "$root/seed" "$@" >>"$work/server-$name.log" 2>&1 &
    servers+=($!)
    for _ in $(seq 1 1500); do
        if curl -sf "http://127.0.0.1:$port/health" >/dev/null; then
            echo "http://127.0.0.1:$port/graphql"
            return
        fi
        sleep 0.01
    done
    echo "the $name server did not answer /health:" >&2
    cat "$work/server-$name.log" >&2
    exit 1
}

(cd "$clients" && rm -rf gen && mkdir gen && npx generate-persisted-query-manifest >"$work/manifest.log" 2>&1) || {
    cat "$work/manifest.log" >&2
    exit 1
}
export SG_TOKEN=$TOKEN SG_MANIFEST=$clients/gen/manifest.json
# Variables are assigned one by one: `serve` adds to $servers, which a subshell would not.
# Batching is off by default; graphql-request's batchRequests and Apollo's BatchHttpLink need it.
serve main --max-batch 10 >"$work/url"
SG_URL=$(cat "$work/url")
serve tight --max-aliases 3 --max-tokens 200 --max-directives 3 --max-complexity 300 >"$work/url"
SG_TIGHT_URL=$(cat "$work/url")
serve closed --no-introspection --no-persisted-queries >"$work/url"
SG_CLOSED_URL=$(cat "$work/url")
serve trusted --trusted-documents "$SG_MANIFEST" >"$work/url"
SG_TRUSTED_URL=$(cat "$work/url")
export SG_URL SG_TIGHT_URL SG_CLOSED_URL SG_TRUSTED_URL

# --- the checks ----------------------------------------------------------------------------------
# Each prints to its own log; a node:test file's counts come from its TAP summary.
typescript() { # codegen from the served schema, tsc --strict, and the compiled program run
    SG_SCHEMA=$SG_URL npx graphql-codegen --config codegen.ts &&
        npx tsc -p tsconfig.json &&
        node gen/out/typed.js
}
node_test() { node --test --test-reporter=tap "$@"; }
# Its own servers (skillgraph --federation, the courses subgraph, Hive Gateway) on the same
# binary; prints the gateway checks' TAP output.
federation() { SKILLGRAPH_BIN=$bin bash "$root/scripts/federation.sh"; }
declare -A run=(
    [typescript]="typescript"
    [graphql-request]="node_test graphql-request.test.mjs"
    [apollo]="node_test --conditions=development apollo.test.mjs"
    [urql]="node_test urql.test.mjs"
    [graphql-ws]="node_test graphql-ws.test.mjs"
    [graphql-sse]="node_test sse.test.mjs"
    [wire]="node_test wire.test.mjs"
    [trusted-documents]="node_test --conditions=development trusted.test.mjs"
    [graphql-http]="node_test graphql-http.test.mjs"
    [python-gql]="$venv/bin/python gql_check.py"
    [federation]="federation"
)
order=(typescript graphql-request apollo urql graphql-ws graphql-sse wire trusted-documents graphql-http
    python-gql federation)
read -r -a selected <<<"${CHECKS:-${order[*]}}"
for name in "${selected[@]}"; do
    [ -n "${run[$name]:-}" ] || { echo "unknown check $name (known: ${order[*]})" >&2; exit 2; }
done

passed=0
failed=0
summary=()
for name in "${selected[@]}"; do
    log=$work/$name.log
    start=$(date +%s%N)
    if (cd "$clients" && ${run[$name]}) >"$log" 2>&1; then status=PASS; else status=FAIL; fi
    tenths=$((($(date +%s%N) - start) / 100000000))
    secs=$((tenths / 10)).$((tenths % 10))
    counts=$(awk '/^# pass /{p=$3} /^# fail /{f=$3} / passed, .* failed/{print; exit} END{if (p!="") print p " passed, " f " failed"}' "$log" | tail -1)
    # Failed tests, known gaps (node:test `todo`), the audit notices and counts.
    detail=$(grep -E '^not ok |^FAIL |^(# )?(graphql-http audits|typed):|^(# )?(WARN|ERROR|NOTICE) ' "$log" |
        grep -v '# SKIP' |
        sed -E 's/^not ok [0-9]+ - (.*) # TODO (.*)/todo (known, not failing): \1: \2/; s/^# //; s/^/    /' || true)
    if [ $status = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    summary+=("$(printf '%-4s %-18s %-26s %5ss' "$status" "$name" "${counts:-}" "$secs")")
    [ -n "$detail" ] && summary+=("$detail")
    if [ $status = FAIL ]; then
        echo "----- $name failed; its log:" >&2
        tail -n 80 "$log" >&2
    fi
done

echo
echo "client checks against $SG_URL (and the tight, closed and trusted servers):"
printf '%s\n' "${summary[@]}"
echo "clients: $passed passed, $failed failed"
[ "$failed" = 0 ]
