#!/usr/bin/env bash
# skillgraph as an Apollo Federation v2 subgraph, proved with real parts on loopback.
#
#   bash scripts/federation.sh                                    # from the repository root
#   SKILLGRAPH_BIN=path/to/skillgraph bash scripts/federation.sh  # a binary built elsewhere
#
# Starts skillgraph with --federation on a free port (a fresh database in a temporary
# directory, seeded from seed/) and the small "courses" subgraph of scripts/federation/
# (@apollo/subgraph on graphql-yoga), which extends `Skill` with `courses` and points each
# course's `skill` back at skillgraph; composes the supergraph from both `_service { sdl }` with
# @theguild/federation-composition; serves it with Hive Gateway (`hive-gateway supergraph`,
# with @defer); and runs scripts/federation/check.test.mjs against the gateway. Prints the
# checks' TAP output and a closing count, and exits non-zero when any step or check fails.
# tests/federation.rs runs it under `cargo test`; scripts/clients.sh runs it as its
# `federation` check.
#
# The npm packages pinned in scripts/federation/package-lock.json are installed with `npm ci`
# once per lock file, under ~/.cache/skillgraph/ (SKILLGRAPH_NODE_CACHE moves it), and linked
# as scripts/federation/node_modules: a fresh clone on the same machine, as CI's is, does not
# install them again. Node 20+ and npm are installed with apt when missing (as root or with
# sudo); without them the run fails, it never skips.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fed=$root/scripts/federation
export PATH="$HOME/.cargo/bin:$PATH"
started=$(date +%s%N)
step() { # prints how long the run has taken so far, and what comes next
    local tenths=$((($(date +%s%N) - started) / 100000000))
    echo "# [$((tenths / 10)).$((tenths % 10))s] $*"
}

# --- the tools: node 20+ and npm ------------------------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "installing nodejs and npm with apt" >&2
    as_root apt-get update -qq && as_root apt-get install -y -qq nodejs npm >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
    echo "node $(node --version) is too old: Hive Gateway needs node 20 or newer" >&2
    exit 1
fi

# --- the packages: npm ci once per lock file, shared by every clone on this machine ----------
lock_sum=$(sha256sum "$fed/package-lock.json" | cut -c1-16)
cache_root=${SKILLGRAPH_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/skillgraph}
cache=$cache_root/federation-$lock_sum
mkdir -p "$cache_root"
(
    # One install at a time: cargo test and scripts/clients.sh may run this together.
    flock 9
    if [ ! -e "$cache/.complete" ]; then
        step "installing the pinned npm packages into $cache"
        rm -rf "$cache"
        mkdir -p "$cache"
        cp "$fed/package.json" "$fed/package-lock.json" "$cache/"
        (cd "$cache" && npm ci --no-audit --no-fund --loglevel=error)
        touch "$cache/.complete"
    fi
) 9>"$cache_root/federation.lock"
if [ "$(readlink "$fed/node_modules" 2>/dev/null)" != "$cache/node_modules" ]; then
    rm -rf "$fed/node_modules"
    ln -s "$cache/node_modules" "$fed/node_modules"
fi

# --- the server ------------------------------------------------------------------------------
if [ -n "${SKILLGRAPH_BIN:-}" ]; then
    bin=$SKILLGRAPH_BIN
else
    step "building the release server"
    cargo build --release --quiet --bin skillgraph
    bin=${CARGO_TARGET_DIR:-$root/target}/release/skillgraph
fi

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    node -e 'const s = require("net").createServer();
             s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}
wait_for() { # name url log pid: until url answers 2xx; fails when the process ends or after 60 s
    local name=$1 url=$2 log=$3 pid=$4
    for _ in $(seq 1 1200); do
        if curl -sf "$url" >/dev/null; then
            return
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$name stopped before answering $url; its log:" >&2
            cat "$log" >&2
            exit 1
        fi
        sleep 0.05
    done
    echo "$name did not answer $url within 60 s; its log:" >&2
    cat "$log" >&2
    exit 1
}

step "starting skillgraph --federation and the courses subgraph"
sg_port=$(free_port)
SKILLGRAPH_ADMIN_TOKEN=federation-check-admin-token-$RANDOM$RANDOM RUST_LOG=warn \
    "$bin" --db "$work/db" serve --addr "127.0.0.1:$sg_port" --seed "$root/seed" --federation \
    >"$work/skillgraph.log" 2>&1 &
pids+=($!)
sg_pid=$!
courses_port=$(free_port)
(cd "$fed" && exec node courses.mjs "$courses_port") >"$work/courses.log" 2>&1 &
pids+=($!)
courses_pid=$!
skillgraph_url=http://127.0.0.1:$sg_port/graphql
courses_url=http://127.0.0.1:$courses_port/graphql
wait_for skillgraph "http://127.0.0.1:$sg_port/health" "$work/skillgraph.log" "$sg_pid"
wait_for courses "$courses_url?query=%7B__typename%7D" "$work/courses.log" "$courses_pid"

step "composing the supergraph"
(cd "$fed" && node compose.mjs "$work/supergraph.graphql" \
    "skillgraph=$skillgraph_url" "courses=$courses_url")

step "starting Hive Gateway"
gateway_port=$(free_port)
(cd "$fed" && exec node node_modules/@graphql-hive/gateway/dist/bin.js supergraph \
    "$work/supergraph.graphql" --host 127.0.0.1 --port "$gateway_port" \
    -c gateway.config.mjs) >"$work/gateway.log" 2>&1 &
pids+=($!)
gateway_pid=$!
wait_for "Hive Gateway" "http://127.0.0.1:$gateway_port/readiness" "$work/gateway.log" \
    "$gateway_pid"

step "checking through the gateway"
status=0
(cd "$fed" && FED_GATEWAY_URL=http://127.0.0.1:$gateway_port/graphql \
    FED_SKILLGRAPH_URL=$skillgraph_url node --test --test-reporter=tap check.test.mjs) \
    | tee "$work/check.log" || status=$?
passed=$(awk '/^# pass /{print $3}' "$work/check.log")
failed=$(awk '/^# fail /{print $3}' "$work/check.log")
if [ "$status" -ne 0 ]; then
    for name in skillgraph courses gateway; do
        echo "----- the $name log:" >&2
        tail -n 40 "$work/$name.log" >&2
    done
fi
step "done"
echo "federation: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
