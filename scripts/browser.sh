# Shared set-up of the headless-Chromium checks (explorer-check.sh, explore-check.sh); sourced,
# not run. Provides: need COMMAND=PACKAGE… (installs the Debian package of each missing
# command), $work (a throwaway directory removed on exit), $binary (the debug build, built
# here), npm_install PACKAGE… (into $work/node_modules) and start_debug_server [FLAG…] (serves
# $work/db on a random loopback port with the flags given to `serve`, sets $port and $server,
# returns once /health answers).

need() {
    local missing=()
    for pair in "$@"; do
        command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}")
    done
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

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
