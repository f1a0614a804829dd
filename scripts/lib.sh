# Shared set-up of the server benchmark scripts (load.sh, soak.sh, speed.sh); sourced, not run.
# Expects PORT and TOKEN to be set. Provides: $work (a throwaway directory removed on exit),
# need_oha / need_wrk (install the load tool when missing), import_esco (ESCO from
# ../shared/data, else the test fixture), start_server (serves $work/db on 127.0.0.1:$PORT,
# sets $server, returns once /health answers) and start_server_on DB (the same for another
# database, with $SERVE_FLAGS added to `serve`).

export PATH="$HOME/.cargo/bin:$PATH"
source scripts/common.sh
need_oha() { command -v oha >/dev/null || cargo install oha --locked --version 1.16.0; }
# wrk rotates request bodies through a Lua script (oha repeats one); Debian packages it.
need_wrk() { need wrk=wrk; }
cargo build --release --quiet --bin skillgraph --example writer

import_esco() {
    local esco=${ESCO:-../shared/data/esco-v1.1.1}
    [ -d "$esco" ] || esco=tests/fixtures/esco
    echo "importing ESCO from $esco" >&2
    ./target/release/skillgraph --db "$work/db" import esco "$esco" | tail -1 >&2
}

start_server() { start_server_on "$work/db"; }

start_server_on() {
    # shellcheck disable=SC2086 # SERVE_FLAGS is a list of flags
    SKILLGRAPH_ADMIN_TOKEN=$TOKEN RUST_LOG=warn ./target/release/skillgraph --db "$1" serve \
        --addr "127.0.0.1:$PORT" ${SERVE_FLAGS:-} >>"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 1000); do
        curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && return
        sleep 0.01
    done
    echo "the server did not answer /health" >&2
    return 1
}
