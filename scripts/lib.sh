# Shared set-up of the server benchmark scripts (load.sh, soak.sh); sourced, not run.
# Expects PORT and TOKEN to be set. Provides: $work (a throwaway directory removed on exit),
# import_esco (ESCO from ../shared/data, else the test fixture) and start_server (serves
# $work/db on 127.0.0.1:$PORT, sets $server, returns once /health answers).

export PATH="$HOME/.cargo/bin:$PATH"
command -v oha >/dev/null || cargo install oha --locked --version 1.16.0
cargo build --release --quiet --bin skillgraph --example writer

work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

import_esco() {
    local esco=${ESCO:-../shared/data/esco-v1.1.1}
    [ -d "$esco" ] || esco=tests/fixtures/esco
    echo "importing ESCO from $esco" >&2
    ./target/release/skillgraph --db "$work/db" import esco "$esco" | tail -1 >&2
}

start_server() {
    SKILLGRAPH_ADMIN_TOKEN=$TOKEN RUST_LOG=warn ./target/release/skillgraph --db "$work/db" serve \
        --addr "127.0.0.1:$PORT" >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 1000); do
        curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && return
        sleep 0.01
    done
    echo "the server did not answer /health" >&2
    return 1
}
