#!/usr/bin/env bash
# A writer and two read replicas over NATS JetStream, on loopback, checked end to end.
#
#   scripts/cluster.sh                      # ports picked at random in 19000-19899
#   BASE_PORT=19400 scripts/cluster.sh      # NATS on 19400 (monitoring 19401), writer 19402,
#                                           # replicas 19403 and 19404
#   NATS_SERVER=/opt/nats/nats-server scripts/cluster.sh  # not the nats-server on PATH
#
# Starts, each with a throwaway directory: nats-server with JetStream and a user and password
# (so the credentials in the URL are exercised; the URL goes through SKILLGRAPH_NATS and
# SKILLGRAPH_REPLICA_OF, never the command line), a writer (`serve --nats`, the seed) and two
# replicas (`serve --replica-of --writer-url`), all on 127.0.0.1. Waits for `/ready` on the
# three, then checks, one line each:
#   - a mutation on the writer (admin token) answers with a Skillgraph-Revision header;
#   - a read on each replica with Skillgraph-Min-Revision: <that revision> sees the write;
#   - a mutation on a replica is refused with READ_ONLY_REPLICA;
#   - GET /export (admin token) is byte-identical on the writer and both replicas;
#   - /metrics on a replica has skillgraph_replication_lag_revisions.
# Exits non-zero when any check fails; stops every process it started on exit (trap). Builds
# ./target/release/skillgraph when it is missing. Needs nats-server (Debian: nats-server).
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_PORT=${BASE_PORT:-$((19000 + RANDOM % 180 * 5))}
NATS_PORT=$BASE_PORT
NATS_MONITOR_PORT=$((BASE_PORT + 1))
WRITER_PORT=$((BASE_PORT + 2))
REPLICA_PORTS=($((BASE_PORT + 3)) $((BASE_PORT + 4)))
TOKEN=cluster-check-admin-token-0123456789

source scripts/replication-lib.sh
for port in "$NATS_PORT" "$NATS_MONITOR_PORT" "$WRITER_PORT" "${REPLICA_PORTS[@]}"; do
    port_free "$port"
done

# --- start ------------------------------------------------------------------------------------
start_nats "$NATS_PORT" "$NATS_MONITOR_PORT"
echo "nats-server: 127.0.0.1:$NATS_PORT (JetStream, user $NATS_USER with a password)"
writer=http://127.0.0.1:$WRITER_PORT
replicas=("http://127.0.0.1:${REPLICA_PORTS[0]}" "http://127.0.0.1:${REPLICA_PORTS[1]}")
started=$SECONDS
SKILLGRAPH_NATS=$nats_url start_node writer "$WRITER_PORT"
for i in 0 1; do
    SKILLGRAPH_REPLICA_OF=$nats_url start_node "replica$((i + 1))" "${REPLICA_PORTS[$i]}" \
        --writer-url "$writer"
done
for url in "$writer" "${replicas[@]}"; do
    wait_ready "$url"
    echo "ready: $url ($(curl -s "$url/ready")) after $((SECONDS - started)) s"
done

# --- check ------------------------------------------------------------------------------------
failures=0
pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
# POSTs a GraphQL body; the answer's headers go to $work/headers, its body to $work/body.
gql() { # url body [curl args...]
    local url=$1 body=$2
    shift 2
    curl -s -o "$work/body" -D "$work/headers" -H 'content-type: application/json' "$@" \
        -d "$body" "$url/graphql"
}
header() { # name: from the last answer
    tr -d '\r' <"$work/headers" | awk -v h="$(echo "$1" | tr '[:upper:]' '[:lower:]'):" \
        'tolower($1) == h { print $2 }'
}
json() { # python expression on d, the last answer's body
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$work/body"
}

gql "$writer" '{"query":"{ skills(first: 1) { edges { node { id hours } } } }"}' >/dev/null
skill=$(json 'd["data"]["skills"]["edges"][0]["node"]["id"]')
hours=$(json 'd["data"]["skills"]["edges"][0]["node"]["hours"]')
new_hours=$((hours + 7))
mutation="{\"query\":\"mutation { updateSkill(id: \\\"$skill\\\", input: {hours: $new_hours}) { hours } }\"}"
gql "$writer" "$mutation" -H "authorization: Bearer $TOKEN" >/dev/null
revision=$(header skillgraph-revision)
if [ "$(json 'd.get("data") and d["data"]["updateSkill"]["hours"]')" = "$new_hours" ] &&
    [[ $revision =~ ^[0-9]+$ ]]; then
    pass "writer: updateSkill($skill, hours $hours -> $new_hours) answered at Skillgraph-Revision $revision"
else
    fail "writer: updateSkill answered $(cat "$work/body") with Skillgraph-Revision '${revision}'"
    exit 1
fi

read_body="{\"query\":\"{ skill(id: \\\"$skill\\\") { hours } }\"}"
for r in "${replicas[@]}"; do
    status=$(gql "$r" "$read_body" -w '%{http_code}' -H "skillgraph-min-revision: $revision")
    seen=$(json 'd.get("data") and d["data"]["skill"]["hours"]' 2>/dev/null || echo '?')
    at=$(header skillgraph-revision)
    if [ "$status" = 200 ] && [ "$seen" = "$new_hours" ] && [ "${at:-0}" -ge "$revision" ]; then
        pass "replica $r: with Skillgraph-Min-Revision $revision reads hours $seen (at revision $at)"
    else
        fail "replica $r: with Skillgraph-Min-Revision $revision answered $status, hours '$seen', revision '$at': $(cat "$work/body")"
    fi
done

for r in "${replicas[@]}"; do
    status=$(gql "$r" "$mutation" -w '%{http_code}' -H "authorization: Bearer $TOKEN")
    code=$(json '",".join(e.get("extensions", {}).get("code", "") for e in d.get("errors", []))' 2>/dev/null || echo '?')
    if [ "$code" = READ_ONLY_REPLICA ]; then
        pass "replica $r: a mutation is refused with READ_ONLY_REPLICA (HTTP $status)"
    else
        fail "replica $r: a mutation answered HTTP $status, codes '$code': $(cat "$work/body")"
    fi
done

export_of() { # url file
    curl -sf -H "authorization: Bearer $TOKEN" "$1/export" -o "$2"
}
export_of "$writer" "$work/writer.toml" || fail "writer: GET /export failed"
for r in "${replicas[@]}"; do
    if ! export_of "$r" "$work/replica.toml"; then
        fail "replica $r: GET /export failed"
    elif cmp -s "$work/writer.toml" "$work/replica.toml"; then
        pass "replica $r: GET /export is byte-identical to the writer's ($(wc -c <"$work/writer.toml") bytes, sha256 $(sha256sum <"$work/writer.toml" | cut -c1-16)…)"
    else
        fail "replica $r: GET /export differs from the writer's: $(diff "$work/writer.toml" "$work/replica.toml" | head -5 | tr '\n' ' ')"
    fi
done

for r in "${replicas[@]}"; do
    lag=$(curl -sf "$r/metrics" | awk '$1 == "skillgraph_replication_lag_revisions" { print $2 }')
    if [ -n "$lag" ]; then
        pass "replica $r: /metrics has skillgraph_replication_lag_revisions $lag"
    else
        fail "replica $r: /metrics has no skillgraph_replication_lag_revisions"
    fi
done

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
