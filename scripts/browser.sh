# Shared set-up of the headless-Chromium checks (explorer-check.sh, explore-check.sh); sourced,
# not run. Provides what scripts/common.sh does (need, $work), $binary (the debug build, built
# here), npm_install PACKAGE… (into $work/node_modules) and start_debug_server [FLAG…] (serves
# $work/db on a random loopback port with the flags given to `serve`, sets $port and $server,
# returns once /health answers).

source scripts/common.sh

cargo build --quiet --bin skillgraph
binary=${CARGO_TARGET_DIR:-target}/debug/skillgraph

npm_install() { (cd "$work" && npm install --silent --no-audit --no-fund "$@" >/dev/null); }

start_debug_server() {
    port=$((20000 + RANDOM % 40000))
    RUST_LOG=warn "$binary" --db "$work/db" serve --addr "127.0.0.1:$port" "$@" \
        >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/health" >/dev/null && return
        sleep 0.1
    done
    echo "the server did not answer /health" >&2
    return 1
}
