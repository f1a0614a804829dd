#!/usr/bin/env bash
# Long crash-safety run of the real binary (tests/crash.rs), in release mode.
#
#   scripts/crash.sh                 # 50 rounds
#   ROUNDS=500 scripts/crash.sh      # more rounds
#   SEED=42 scripts/crash.sh         # other kill delays and write choices
#
# Each round streams durable writes from 3 client threads at `skillgraph serve`, kills it with
# SIGKILL after a random 50-400 ms, restarts it on the same database and checks over GraphQL that
# every acknowledged write survived, every unacknowledged one is wholly present or wholly absent,
# the revision counts exactly the writes that landed, and the graph has no cycle and no dangling
# edge. State carries over from round to round. Prints one summary line per round.
set -euo pipefail
cd "$(dirname "$0")/.."

export SKILLGRAPH_CRASH_ROUNDS=${ROUNDS:-50}
if [ -n "${SEED:-}" ]; then
    export SKILLGRAPH_CRASH_SEED=$SEED
fi
cargo test --release --test crash -- --nocapture
