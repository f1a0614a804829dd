# Shared set-up of the replication scripts (cluster.sh, replication-bench.sh); sourced, not
# run. Runs everything on 127.0.0.1 and stops all it started on exit (trap).
#
# Expects TOKEN (the admin token, 16+ characters). Provides, besides common.sh's `need` and
# $work (a throwaway directory, removed on exit):
#   start_nats PORT MONITOR     nats-server with JetStream (store $work/nats, kept across
#                               restarts) and a user and password; sets $nats_url (with the
#                               credentials) and waits for its /healthz
#   stop_nats                   SIGTERM, waits until it has exited (the store stays)
#   start_node NAME PORT [serve flags…]
#                               `skillgraph --db $work/NAME serve` on 127.0.0.1:PORT, log in
#                               $work/NAME.log; pass the NATS URL through SKILLGRAPH_NATS or
#                               SKILLGRAPH_REPLICA_OF in the environment, never as a flag
#                               (so it is not in `ps`); its pid goes in ${pid[NAME]}
#   stop_node NAME              SIGTERM, waits until it has exited
#   wait_ready URL [SECONDS]    until GET URL/ready answers 200 (60 s by default), else fails
#   port_free PORT              fails when something listens on PORT
# Builds ./target/release/skillgraph when it is missing. Needs nats-server (Debian:
# nats-server; NATS_SERVER=path to use another).

export PATH="$HOME/.cargo/bin:$PATH"
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
NATS_USER=skillgraph
NATS_PASSWORD=replication-check-$RANDOM$RANDOM$RANDOM

[ -x "$NATS_SERVER" ] || { echo "nats-server not found (apt-get install nats-server)" >&2; exit 1; }
[ -x target/release/skillgraph ] || cargo build --release --quiet --bin skillgraph

source scripts/common.sh
declare -A pid=()
nats_pid=""
# Replaces common.sh's (the trap calls it by name): stops every node and nats-server, shows
# the end of each log when the script failed, then removes $work.
cleanup() {
    local status=$? p log
    for p in "${pid[@]}" $nats_pid; do kill "$p" 2>/dev/null || true; done
    for p in "${pid[@]}" $nats_pid; do wait "$p" 2>/dev/null || true; done
    if [ "$status" -ne 0 ]; then
        for log in "$work"/*.log; do
            [ -f "$log" ] || continue
            echo "--- last lines of $(basename "$log")" >&2
            tail -5 "$log" >&2
        done
    fi
    rm -rf "$work"
}

port_free() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        echo "port $1 is taken: choose other ports" >&2
        return 1
    fi
}

start_nats() { # port monitor-port
    cat >"$work/nats.conf" <<EOF
host: 127.0.0.1
port: $1
http: 127.0.0.1:$2
jetstream { store_dir: "$work/nats" }
authorization { user: "$NATS_USER", password: "$NATS_PASSWORD" }
EOF
    "$NATS_SERVER" -c "$work/nats.conf" >>"$work/nats.log" 2>&1 &
    nats_pid=$!
    nats_url="nats://$NATS_USER:$NATS_PASSWORD@127.0.0.1:$1"
    local _
    for _ in $(seq 1 500); do
        curl -sf "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return
        sleep 0.02
    done
    echo "nats-server did not answer /healthz" >&2
    return 1
}

stop_nats() {
    kill "$nats_pid" && wait "$nats_pid" 2>/dev/null || true
    nats_pid=""
}

start_node() { # name port [serve flags…]
    local name=$1 port=$2
    shift 2
    SKILLGRAPH_ADMIN_TOKEN=$TOKEN RUST_LOG=${RUST_LOG:-info} \
        ./target/release/skillgraph --db "$work/$name" serve --addr "127.0.0.1:$port" "$@" \
        >>"$work/$name.log" 2>&1 &
    pid[$name]=$!
}

stop_node() { # name
    kill "${pid[$1]}" && wait "${pid[$1]}" 2>/dev/null || true
    unset "pid[$1]"
}

wait_ready() { # url [seconds]
    local deadline=$((SECONDS + ${2:-60}))
    while [ $SECONDS -lt $deadline ]; do
        curl -sf "$1/ready" >/dev/null 2>&1 && return
        sleep 0.01
    done
    echo "$1 not ready within ${2:-60} s: $(curl -s "$1/ready" || echo 'no answer')" >&2
    return 1
}
