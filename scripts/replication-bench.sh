#!/usr/bin/env bash
# Replication over NATS JetStream, measured on loopback with release builds.
#
#   scripts/replication-bench.sh                          # all four parts
#   PARTS="lag outage" scripts/replication-bench.sh       # some of: lag coldstart outage reads
#   BASE_PORT=19700 LAG_SECONDS=10 scripts/replication-bench.sh
#
# One nats-server (JetStream, user and password), one writer (`serve --nats`), two replicas
# (`serve --replica-of`), started afresh for each part by scripts/replication-lib.sh, on
# 127.0.0.1:$BASE_PORT.. ($BASE_PORT+4). The clients are scripts/replication_bench.py.
#   1. lag: updateSkill mutations at 10 and 100 a second for $LAG_SECONDS, on the seed; for
#      each write, the time from its acknowledgement (the writer's answer, with its
#      Skillgraph-Revision) to each replica first serving that revision (a watcher per replica
#      long-polls `{ stats { revision } }` with Skillgraph-Min-Revision). Then the CPU the
#      writer, a replica and nats-server spend on $CPU_SECONDS of 100 writes a second
#      (utime + stime from /proc, as a share of one core), without watchers.
#   2. coldstart: for the seed, ESCO (../shared/data/esco-v1.1.1, else the test fixture,
#      imported into the writer's database before it starts) and the 100k graph
#      (`generate --skills 100000 --edges-per-skill 4 --roles 5000`): the snapshot the writer
#      uploads at start (bytes, from its log), then a replica with an empty database started
#      $COLD_STARTS times (process start to /ready 200, at most $COLD_TIMEOUT s) and once more
#      on the database it filled (a restart). $COLD_GRAPHS chooses the graphs: on 2026-12-07 a
#      replica took 80-150 s to load ESCO's snapshot and more than 37 minutes the 100k's
#      (BENCHMARKS.md says why), so `COLD_STARTS=1` is kind to the 100k.
#   3. outage: nats-server stopped (its store kept) for $OUTAGE_SECONDS while 10 writes a
#      second go to the writer (each must be acknowledged), then started again on the same
#      port and store: time until both replicas serve the writer's revision. Then the writer
#      is stopped, ESCO imported into its database, and the writer started again: time from
#      the writer serving the ESCO revision to both replicas serving it (the import's entry is
#      larger than NATS's 1 MB message limit, so it goes as a snapshot).
#   4. reads: wrk (Debian's, installed when missing; scripts/rotate.lua) against the writer,
#      then against a replica, both with --response-cache-mb 0, on the graph of
#      scripts/speed.sh (`generate --skills 14000 --edges-per-skill 3 --roles 3000`, bodies
#      from scripts/speed_bodies.py): `{ stats { skills } }`, 400 transitive prerequisites
#      questions, 400 roleGaps; $READ_CONNECTIONS connections, $READ_SECONDS s each. Then the
#      CPU at 100 writes a second again, on this larger graph.
# Prints Markdown tables (stdout) for BENCHMARKS.md, the clients' raw JSON on stderr; with
# LOGS=DIR, keeps every server's log there. Fails when a write is not acknowledged or a load
# run has errors.
set -euo pipefail
cd "$(dirname "$0")/.."

PARTS=${PARTS:-lag coldstart outage reads}
BASE_PORT=${BASE_PORT:-19600}
LAG_SECONDS=${LAG_SECONDS:-30}
CPU_SECONDS=${CPU_SECONDS:-30}
COLD_STARTS=${COLD_STARTS:-3}
COLD_GRAPHS=${COLD_GRAPHS:-seed esco 100k}
COLD_TIMEOUT=${COLD_TIMEOUT:-3600}
OUTAGE_SECONDS=${OUTAGE_SECONDS:-60}
READ_SECONDS=${READ_SECONDS:-10}
READ_CONNECTIONS=${READ_CONNECTIONS:-16}
TOKEN=replication-bench-admin-token-0123456789
NATS_PORT=$BASE_PORT
NATS_MONITOR_PORT=$((BASE_PORT + 1))
writer=http://127.0.0.1:$((BASE_PORT + 2))
replicas=("http://127.0.0.1:$((BASE_PORT + 3))" "http://127.0.0.1:$((BASE_PORT + 4))")

source scripts/replication-lib.sh
for port in $(seq "$BASE_PORT" $((BASE_PORT + 4))); do port_free "$port"; done
bench=scripts/replication_bench.py
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
log() { echo "$*" >&2; }

# Everything stopped, the logs kept when LOGS is set, every database and the NATS store removed.
reset() {
    local name f
    for name in "${!pid[@]}"; do stop_node "$name"; done
    [ -n "$nats_pid" ] && stop_nats
    if [ -n "${LOGS:-}" ]; then
        mkdir -p "$LOGS"
        resets=$((${resets:-0} + 1))
        for f in "$work"/*.log; do [ -f "$f" ] && cp "$f" "$LOGS/$resets-$(basename "$f")"; done
    fi
    rm -rf "$work/nats" "$work/writer" "$work/replica1" "$work/replica2" "$work"/*.log
}
# nats-server, the writer (on whatever $work/writer holds; the seed when empty) and the
# replicas, each with the flags given; returns once all are ready.
up() { # [serve flags for all three…]
    start_nats "$NATS_PORT" "$NATS_MONITOR_PORT"
    SKILLGRAPH_NATS=$nats_url start_node writer "${writer##*:}" "$@"
    wait_ready "$writer" 300
    local i
    for i in 1 2; do start_replica "replica$i" "$@"; done
    for i in 0 1; do wait_ready "${replicas[$i]}" 300; done
}
start_replica() { # name [serve flags…]
    local name=$1 port
    shift
    port=${replicas[${name#replica} - 1]##*:}
    SKILLGRAPH_REPLICA_OF=$nats_url start_node "$name" "$port" --writer-url "$writer" "$@"
}
gql() { # url query
    curl -sf "$1/graphql" -H 'content-type: application/json' \
        -d "$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$2")"
}
revision_of() { gql "$1" '{ stats { revision } }' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["stats"]["revision"])'; }
first_skill() { gql "$writer" '{ skills(first: 1) { edges { node { id } } } }' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["skills"]["edges"][0]["node"]["id"])'; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
import_esco() { # into the writer's database (stopped)
    local esco=${ESCO:-../shared/data/esco-v1.1.1}
    [ -d "$esco" ] || esco=tests/fixtures/esco
    log "importing ESCO from $esco"
    ./target/release/skillgraph --db "$work/writer" import esco "$esco" | tail -1 >&2
}

# Runs writes at RATE for SECONDS (with the replicas watched when WATCH=1); stores the client's
# JSON in $work/last.json; fails unless every write was acknowledged.
write_at() { # rate seconds [replica urls…]
    local rate=$1 seconds=$2
    shift 2
    python3 "$bench" write "$writer" "$TOKEN" "$skill" "$rate" "$seconds" "$@" >"$work/last.json"
    cat "$work/last.json" >&2
    python3 - "$work/last.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if d["errors"] or d["acknowledged"] != d["writes"] or d.get("never_served"):
    sys.exit(f"not every write was acknowledged and served: {d}")
PY
}

# CPU of the writer, replica1 and nats-server during $CPU_SECONDS of 100 writes a second.
cpu_row() { # label
    local hz before_w before_r before_n
    hz=$(getconf CLK_TCK)
    before_w=$(ticks "${pid[writer]}") before_r=$(ticks "${pid[replica1]}") before_n=$(ticks "$nats_pid")
    write_at 100 "$CPU_SECONDS"
    python3 - "$1" "$hz" "$CPU_SECONDS" "$work/last.json" \
        "$(($(ticks "${pid[writer]}") - before_w))" "$(($(ticks "${pid[replica1]}") - before_r))" \
        "$(($(ticks "$nats_pid") - before_n))" <<'PY'
import json, sys
label, hz, seconds, last = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
w, r, n = (int(t) / hz / seconds * 100 for t in sys.argv[5:8])
rate = json.load(open(last))["rate"]
print(f"| {label} | {rate:.0f} | {w:.1f} % | {r:.1f} % | {n:.1f} % |")
PY
}

part_lag() {
    reset
    up
    skill=$(first_skill)
    echo
    echo "### Lag from a write's acknowledgement to the replicas serving it (seed, two replicas, ${LAG_SECONDS} s per rate)"
    echo
    echo "| writes/s asked (achieved) | writes | all replicas p50 ms | all p99 ms | all max ms | replica 1 p50 / p99 ms | replica 2 p50 / p99 ms |"
    echo "|---|---|---|---|---|---|---|"
    local rate
    for rate in 10 100; do
        write_at "$rate" "$LAG_SECONDS" "${replicas[@]}"
        python3 - "$rate" "$work/last.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
a = d["lag_all"]
per = [f"{v['p50_ms']:.2f} / {v['p99_ms']:.2f}" for v in d["lag"].values()]
print(f"| {sys.argv[1]} ({d['rate']:.0f}) | {d['acknowledged']} | {a['p50_ms']:.2f} | {a['p99_ms']:.2f} | {a['max_ms']:.2f} | {' | '.join(per)} |")
PY
    done
    echo
    echo "| CPU at 100 writes/s, ${CPU_SECONDS} s, share of one core | writes/s | writer | replica | nats-server |"
    echo "|---|---|---|---|---|"
    cpu_row "seed"
}

part_coldstart() {
    echo
    echo "### Replica cold start from a snapshot"
    echo
    echo "| graph | snapshot bytes | writer's upload ms | replica start to /ready, empty database (each run) ms | its snapshot load ms | replica RSS KB | restart on its own database, to /ready ms |"
    echo "|---|---|---|---|---|---|---|"
    local data runs loads started rss restart line
    for data in $COLD_GRAPHS; do
        reset
        case $data in
            esco) import_esco ;;
            100k) ./target/release/skillgraph --db "$work/writer" generate --skills 100000 \
                --edges-per-skill 4 --roles 5000 | tail -1 >&2 ;;
        esac
        start_nats "$NATS_PORT" "$NATS_MONITOR_PORT"
        SKILLGRAPH_NATS=$nats_url start_node writer "${writer##*:}"
        wait_ready "$writer" 300
        for _ in $(seq 1 3000); do
            grep -q 'snapshot uploaded' "$work/writer.log" && break
            sleep 0.1
        done
        line=$(grep 'snapshot uploaded' "$work/writer.log" | tail -1)
        runs="" loads=""
        for _ in $(seq 1 "$COLD_STARTS"); do
            rm -rf "$work/replica1"
            started=$(date +%s%N)
            start_replica replica1
            wait_ready "${replicas[0]}" "$COLD_TIMEOUT"
            runs+="$(ms_since "$started"), "
            loads+="$(grep 'snapshot loaded' "$work/replica1.log" | tail -1 | grep -o 'took_ms=[0-9]*' | cut -d= -f2), "
            rss=$(ps -o rss= -p "${pid[replica1]}" | tr -d ' ')
            stop_node replica1
        done
        started=$(date +%s%N)
        start_replica replica1
        wait_ready "${replicas[0]}" "$COLD_TIMEOUT"
        restart=$(ms_since "$started")
        stop_node replica1
        echo "| $data | $(grep -o 'bytes=[0-9]*' <<<"$line" | cut -d= -f2) | $(grep -o 'took_ms=[0-9]*' <<<"$line" | cut -d= -f2) | ${runs%, } | ${loads%, } | $rss | $restart |"
    done
}

part_outage() {
    reset
    up
    skill=$(first_skill)
    local before r
    before=$(revision_of "$writer")
    stop_nats
    log "nats-server stopped at revision $before; writing for $OUTAGE_SECONDS s"
    write_at 10 "$OUTAGE_SECONDS"
    local target acked ready_during
    target=$(revision_of "$writer")
    acked=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["acknowledged"])' "$work/last.json")
    ready_during=""
    for r in "${replicas[@]}"; do
        ready_during+="$(curl -s -o /dev/null -w '%{http_code}' "$r/ready") (revision $(revision_of "$r")), "
    done
    local started
    started=$(date +%s%N)
    start_nats "$NATS_PORT" "$NATS_MONITOR_PORT"
    python3 "$bench" wait "$target" 300 "${replicas[@]}" >"$work/wait.json"
    local caught_up
    caught_up=$(ms_since "$started")
    cat "$work/wait.json" >&2
    echo
    echo "### Catch-up after a NATS outage (seed, two replicas)"
    echo
    echo "| what | figure |"
    echo "|---|---|"
    echo "| writes during the ${OUTAGE_SECONDS} s outage, at 10/s | $acked acknowledged of $acked sent, revision $before → $target |"
    echo "| replicas' /ready at the end of the outage | ${ready_during%, } |"
    echo "| nats-server started again → both replicas serve revision $target | $caught_up ms |"

    stop_node writer
    local imported writer_at
    import_esco
    started=$(date +%s%N)
    SKILLGRAPH_NATS=$nats_url start_node writer "${writer##*:}"
    wait_ready "$writer" 300
    target=$(revision_of "$writer")
    writer_at=$(ms_since "$started")
    started=$(date +%s%N)
    python3 "$bench" wait "$target" 600 "${replicas[@]}" >"$work/wait.json"
    cat "$work/wait.json" >&2
    imported=$(ms_since "$started")
    echo "| ESCO imported into the writer's database (writer stopped), writer started → writer ready at revision $target | $writer_at ms |"
    echo "| → both replicas serve revision $target (a snapshot of $(grep 'snapshot uploaded' "$work/writer.log" | tail -1 | grep -o 'bytes=[0-9]*' | cut -d= -f2) bytes) | $imported ms |"
    echo "| replica 1's snapshot load (its log) | $(grep 'snapshot loaded' "$work/replica1.log" | tail -1 | grep -o 'took_ms=[0-9]*' | cut -d= -f2) ms |"
}

part_reads() {
    need wrk=wrk
    reset
    ./target/release/skillgraph --db "$work/writer" generate --skills 14000 \
        --edges-per-skill 3 --roles 3000 | tail -1 >&2
    up --response-cache-mb 0
    local bodies=$work/bodies url f label
    mkdir -p "$bodies"
    echo '{"query":"{ stats { skills } }"}' >"$bodies/stats.bodies"
    python3 scripts/speed_bodies.py "$writer/graphql" "$bodies" graph >&2
    echo
    echo "### Reads: the writer alone, then a replica (14000 skills, 3000 roles, response cache off, $READ_CONNECTIONS connections, ${READ_SECONDS} s)"
    echo
    echo "| question | server | requests/s | p50 ms | p99 ms | errors |"
    echo "|---|---|---|---|---|---|"
    for f in stats prereqs gap; do
        for url in "$writer" "${replicas[0]}"; do
            label=writer
            [ "$url" = "$writer" ] || label=replica
            wrk -t2 -c"$READ_CONNECTIONS" -d"${READ_SECONDS}s" -s scripts/rotate.lua "$url/graphql" \
                "$bodies/$f.bodies" | tail -1 >"$work/wrk.json"
            python3 - "$f" "$label" "$work/wrk.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[3]))
print(f"| {sys.argv[1]} | {sys.argv[2]} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} |")
sys.exit(1 if r["errors"] else 0)
PY
        done
    done
    skill=$(first_skill)
    echo
    echo "| CPU at 100 writes/s, ${CPU_SECONDS} s, share of one core | writes/s | writer | replica | nats-server |"
    echo "|---|---|---|---|---|"
    cpu_row "14000 skills, 3000 roles"
}

echo "Replication on $(nproc) cores, $(uname -sr), nats-server $("$NATS_SERVER" --version | awk '{print $NF}'), $(date -u +%F)"
for part in $PARTS; do "part_$part"; done
reset
