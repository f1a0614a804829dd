#!/usr/bin/env bash
# Checks the Dockerfile without Docker: replays its build stage's WORKDIR/COPY/RUN steps in a
# scratch directory with the local toolchain, then its runtime stage (COPY, ENV, WORKDIR, USER,
# ENTRYPOINT + CMD, HEALTHCHECK), and talks to the resulting server as the image would be.
#
#   scripts/docker-check.sh                     # replay, reusing the cached cargo target dir
#   DOCKER_CHECK_COLD=1 scripts/docker-check.sh  # replay from nothing, like `docker build --no-cache`
#
# Build stage: each instruction is replayed as written, with the stage's absolute paths (`/src`)
# moved under a scratch root; RUN lines go to `sh -c` in a clean environment (PATH, HOME and the
# local CARGO_HOME and RUSTUP_HOME only, so crates already downloaded are not fetched again, and
# no CARGO_TARGET_DIR: the build must land where the Dockerfile's COPY --from expects it). The
# cargo commands are the Dockerfile's own. To keep repeated runs fast, the cache in
# ${TMPDIR:-/tmp}/skillgraph-docker-check/<Cargo.lock hash>/ keeps what a builder would:
# the stage's `target/` directory between runs (as a cache mount would; cargo then rebuilds only
# what changed), and a layer cache: a RUN whose instructions and copied-in files (by content),
# toolchain included, are those of a step that passed, with nothing built since, is not run again
# and its files come back from a snapshot. DOCKER_CHECK_COLD=1 (or a first run) starts empty.
#
# Runtime stage: COPY (also --from=build), ENV, WORKDIR, VOLUME, EXPOSE and USER are replayed
# under a second scratch root; RUN may only create the user (remembered for USER), make
# directories and chown them, as the base image's system cannot be changed here. ENV values that
# are absolute paths move under the root, and the EXPOSEd port becomes a free port on 127.0.0.1.
# As root, the server runs as the image's user id (setpriv), so the volume's ownership matters as
# it would. ENTRYPOINT + CMD start the server; the HEALTHCHECK command runs until it passes
# (within the check's start period plus its retries); then one GraphQL query must answer with the
# seed's skill count, the explorer page and one of its assets must be served, and SIGTERM (what
# `docker stop` sends) must stop the server cleanly within 10 s. Any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
context=$PWD
dockerfile=${DOCKERFILE:-$context/Dockerfile}

say() { printf 'docker-check: %s\n' "$*" >&2; }
die() {
    say "FAILED: $*"
    exit 1
}
started=$(date +%s)
elapsed() { echo "$(($(date +%s) - started)) s"; }

# --- parse: one instruction per line, continuations joined, comments dropped ------------------
instructions=()
pending=""
while IFS= read -r line || [ -n "$line" ]; do
    trimmed="${line#"${line%%[![:space:]]*}"}"
    if [ -z "$pending" ] && { [ -z "$trimmed" ] || [ "${trimmed:0:1}" = "#" ]; }; then
        continue
    fi
    # Docker drops comment lines inside a continued instruction as well.
    [ "${trimmed:0:1}" = "#" ] && continue
    if [ "${line%\\}" != "$line" ]; then
        pending+="${line%\\} "
        continue
    fi
    instructions+=("$pending$line")
    pending=""
done <"$dockerfile"
[ -z "$pending" ] || die "the Dockerfile ends inside a continued line"

keyword() { local w="${1%%[[:space:]]*}"; echo "${w^^}"; }
argument() { local a="${1#*[[:space:]]}"; echo "${a#"${a%%[![:space:]]*}"}"; }

# A JSON array of strings (["a", "b"]) into the array named $2; anything else fails.
json_words() {
    local text=$1 item
    local -n into=$2
    into=()
    [[ $text =~ ^\[(.*)\]$ ]] || die "only the exec (JSON) form is replayed, not: $text"
    text=${BASH_REMATCH[1]}
    while [[ $text =~ ^[[:space:]]*\"([^\"]*)\"[[:space:]]*,?(.*)$ ]]; do
        item=${BASH_REMATCH[1]}
        text=${BASH_REMATCH[2]}
        into+=("$item")
    done
    [[ $text =~ ^[[:space:]]*$ ]] || die "cannot read the JSON array $1"
}

# --- scratch space and the cache ---------------------------------------------------------------
lock_hash=$(sha256sum Cargo.lock | cut -c1-16)
cache_parent=${TMPDIR:-/tmp}/skillgraph-docker-check
cache=$cache_parent/$lock_hash
mkdir -p "$cache"
# One replay at a time per cache (another worktree may share it); old keys go after a day unused.
exec 9>"$cache/lock"
flock 9
find "$cache_parent" -mindepth 1 -maxdepth 1 -type d ! -name "$lock_hash" -mtime +0 \
    -exec rm -rf {} + 2>/dev/null || true
touch "$cache"
[ "${DOCKER_CHECK_COLD:-0}" = 1 ] && rm -rf "$cache/target" "$cache/layers"
mkdir -p "$cache/layers"

build_root=$cache/build
runtime_root=$(mktemp -d "${TMPDIR:-/tmp}/skillgraph-docker-runtime.XXXXXX")
server=""
build_workdir=/
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -KILL "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$runtime_root"
    # Keep the build stage's target directory for the next run (at the same absolute path, so
    # cargo's fingerprints hold); the rest of the stage root goes.
    if [ -d "$build_root$build_workdir/target" ] && [ "$build_workdir" != / ]; then
        rm -rf "$cache/target"
        mv "$build_root$build_workdir/target" "$cache/target"
    fi
    rm -rf "$build_root"
}
trap cleanup EXIT

# .dockerignore entries (simple names, anchored at the context) leave out of every COPY.
excludes=()
if [ -f .dockerignore ]; then
    while IFS= read -r pattern; do
        pattern="${pattern%%#*}"
        pattern="${pattern//[[:space:]]/}"
        [ -n "$pattern" ] && excludes+=("--exclude=${pattern#/}")
    done <.dockerignore
fi

# COPY's semantics: a directory's contents go into the destination; files go into it when it
# ends in / (or when there are several sources), else they become it.
copy_into() {
    local from_root=$1 to=$2
    shift 2
    local sources=("$@") src
    local many=0
    [ ${#sources[@]} -gt 1 ] && many=1
    for src in "${sources[@]}"; do
        if [ -n "$from_root" ]; then
            local path="$from_root/${src#/}"
        else
            local path="$context/$src"
        fi
        [ -e "$path" ] || die "COPY: $src does not exist"
        if [ -d "$path" ]; then
            mkdir -p "$to"
            if [ -n "$from_root" ]; then
                cp -a "$path/." "$to/"
            else
                tar -C "$path" --anchored "${excludes[@]}" -cf - . | tar -C "$to" -xf -
            fi
        elif [ "$many" = 1 ] || [ "${to%/}" != "$to" ]; then
            mkdir -p "$to"
            cp -p "$path" "$to/"
        else
            mkdir -p "$(dirname "$to")"
            cp -p "$path" "$to"
        fi
    done
}

# What the named context paths hold (names and bytes, .dockerignore applied), as one digest.
content_hash() {
    local prune=() pattern
    for pattern in "${excludes[@]}"; do
        pattern=${pattern#--exclude=}
        prune+=(-path "./$pattern" -o -path "$pattern" -o)
    done
    (cd "$context" && find "$@" \( "${prune[@]}" -false \) -prune -o -type f -print |
        LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-64)
}

# A path of the image, under a scratch root; relative ones are relative to the stage's WORKDIR.
under() {
    local root=$1 workdir=$2 path=$3
    case $path in
        /*) echo "$root$path" ;;
        *) echo "$root$workdir/$path" ;;
    esac
}

# --- the stages -------------------------------------------------------------------------------
stage=0
build_name=""
runtime_workdir=/
declare -A runtime_env=()
declare -A users=()
runtime_user=""
expose=""
entrypoint=()
cmd=()
health=()
health_options=""

for instruction in "${instructions[@]}"; do
    word=$(keyword "$instruction")
    arg=$(argument "$instruction")
    if [ "$word" = FROM ]; then
        stage=$((stage + 1))
        [ "$stage" -le 2 ] || die "only a build stage and a runtime stage are replayed"
        if [ "$stage" = 1 ]; then
            [[ $arg =~ [[:space:]][Aa][Ss][[:space:]]+([A-Za-z0-9_-]+) ]] ||
                die "the build stage needs a name (FROM … AS build)"
            build_name=${BASH_REMATCH[1]}
            toolchain="$(cargo --version) / $(rustc --version)"
            say "build stage '$build_name' ($arg) in $build_root, with $toolchain"
            # Like a builder's layer cache: each step's key covers the toolchain, every
            # instruction so far and the content of every file copied in so far.
            layer=$(printf '%s\n' "$toolchain" "$instruction" | sha256sum | cut -c1-64)
            layers_seen=()
            # A fresh stage root; the kept target directory goes back in after WORKDIR.
            kept=""
            [ -d "$cache/target" ] && kept=$cache/target
            rm -rf "$build_root"
            mkdir -p "$build_root"
        else
            say "build stage done after $(elapsed); runtime stage ($arg) in $runtime_root"
        fi
        continue
    fi
    [ "$stage" -ge 1 ] || die "$word before FROM"

    if [ "$stage" = 1 ]; then
        case $word in
            WORKDIR)
                case $arg in /*) build_workdir=$arg ;; *) build_workdir=$build_workdir/$arg ;; esac
                mkdir -p "$build_root$build_workdir"
                if [ -n "$kept" ] && [ -d "$kept" ]; then
                    mv "$kept" "$build_root$build_workdir/target"
                    say "  (reusing the cargo target directory kept from an earlier run)"
                fi
                kept=""
                ;;
            COPY)
                read -r -a words <<<"$arg"
                [[ ${words[0]} != --* ]] || die "build stage: COPY ${words[0]} is not replayed"
                dest=${words[-1]}
                unset 'words[-1]'
                say "COPY ${words[*]} $dest"
                copy_into "" "$(under "$build_root" "$build_workdir" "$dest")" "${words[@]}"
                layer=$(printf '%s\n' "$layer" "$instruction" "$(content_hash "${words[@]}")" |
                    sha256sum | cut -c1-64)
                ;;
            RUN)
                layer=$(printf '%s\n' "$layer" "$instruction" | sha256sum | cut -c1-64)
                layers_seen+=("$layer")
                snapshot=$cache/layers/$layer.tar
                if [ -f "$snapshot" ] && [ -d "$build_root$build_workdir/target" ]; then
                    # The same step on the same inputs passed before and nothing has been built
                    # since: its files come back from the snapshot, its build is in target/.
                    say "RUN $arg"
                    say "  cached: the same instructions and inputs built in an earlier run"
                    mv "$build_root$build_workdir/target" "$cache/target.moving"
                    rm -rf "$build_root"
                    mkdir -p "$build_root"
                    tar -C "$build_root" -xf "$snapshot"
                    mv "$cache/target.moving" "$build_root$build_workdir/target"
                    continue
                fi
                # target/ is about to change: only the snapshots of this run's earlier steps
                # still describe it.
                for old in "$cache"/layers/*.tar; do
                    [ -e "$old" ] || continue
                    keep=0
                    for seen in "${layers_seen[@]}"; do
                        [ "$old" = "$cache/layers/$seen.tar" ] && [ "$seen" != "$layer" ] && keep=1
                    done
                    [ "$keep" = 1 ] || rm -f "$old"
                done
                say "RUN $arg"
                step=$(date +%s)
                (cd "$build_root$build_workdir" &&
                    env -i PATH="$PATH" HOME="$HOME" \
                        CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" \
                        ${RUSTUP_HOME:+RUSTUP_HOME="$RUSTUP_HOME"} \
                        ${RUSTUP_TOOLCHAIN:+RUSTUP_TOOLCHAIN="$RUSTUP_TOOLCHAIN"} \
                        sh -c "$arg") || die "build stage: RUN failed: $arg"
                say "  took $(($(date +%s) - step)) s"
                tar -C "$build_root" --exclude="./${build_workdir#/}/target" -cf "$snapshot" .
                ;;
            ENV | ARG | LABEL) die "build stage: $word is not replayed yet" ;;
            *) die "build stage: $word is not replayed" ;;
        esac
        continue
    fi

    case $word in
        RUN)
            # Only what a user and its directories need: the base image's system is not here.
            IFS=$'\n' read -r -d '' -a commands < <(sed 's/[[:space:]]*&&[[:space:]]*/\n/g' <<<"$arg" && printf '\0')
            for command in "${commands[@]}"; do
                read -r -a words <<<"$command"
                case ${words[0]} in
                    useradd)
                        uid="" name=${words[-1]}
                        for ((i = 1; i < ${#words[@]}; i++)); do
                            [ "${words[i]}" = --uid ] && uid=${words[i + 1]}
                        done
                        [ -n "$uid" ] || die "runtime RUN: useradd without --uid: $command"
                        users[$name]=$uid
                        say "RUN $command  (remembered: user $name is uid $uid)"
                        ;;
                    mkdir)
                        say "RUN $command"
                        for w in "${words[@]:1}"; do
                            [ "${w:0:1}" = - ] && continue
                            mkdir -p "$(under "$runtime_root" "$runtime_workdir" "$w")"
                        done
                        ;;
                    chown)
                        [ ${#words[@]} = 3 ] || die "runtime RUN: only 'chown USER PATH': $command"
                        owner=${words[1]}
                        [ -n "${users[$owner]:-}" ] || die "runtime RUN: chown to unknown user $owner"
                        target=$(under "$runtime_root" "$runtime_workdir" "${words[2]}")
                        if [ "$(id -u)" = 0 ]; then
                            chown "${users[$owner]}" "$target"
                            say "RUN $command"
                        else
                            say "RUN $command  (skipped: not root)"
                        fi
                        ;;
                    *) die "runtime RUN: '$command' cannot be replayed here" ;;
                esac
            done
            ;;
        COPY)
            read -r -a words <<<"$arg"
            from=""
            if [[ ${words[0]} == --from=* ]]; then
                from=${words[0]#--from=}
                [ "$from" = "$build_name" ] || die "COPY --from=$from: no such stage"
                words=("${words[@]:1}")
            fi
            [[ ${words[0]} != --* ]] || die "runtime stage: COPY ${words[0]} is not replayed"
            dest=${words[-1]}
            unset 'words[-1]'
            say "COPY ${from:+--from=$from }${words[*]} $dest"
            copy_into "${from:+$build_root}" "$(under "$runtime_root" "$runtime_workdir" "$dest")" "${words[@]}"
            ;;
        WORKDIR)
            case $arg in /*) runtime_workdir=$arg ;; *) runtime_workdir=$runtime_workdir/$arg ;; esac
            mkdir -p "$runtime_root$runtime_workdir"
            ;;
        USER)
            runtime_user=$arg
            [ -n "${users[$arg]:-}" ] || die "USER $arg: no such user was created"
            ;;
        ENV)
            read -r -a pairs <<<"$arg"
            for pair in "${pairs[@]}"; do
                [[ $pair == *=* ]] || die "ENV: only KEY=VALUE pairs are replayed: $pair"
                runtime_env[${pair%%=*}]=${pair#*=}
            done
            ;;
        VOLUME)
            json_words "$arg" volumes
            for v in "${volumes[@]}"; do mkdir -p "$runtime_root$v"; done
            ;;
        EXPOSE) expose=${arg%%/*} ;;
        HEALTHCHECK)
            [[ $arg =~ ^(.*)[[:space:]]CMD[[:space:]]+(.*)$ ]] || die "HEALTHCHECK without CMD"
            health_options=${BASH_REMATCH[1]}
            json_words "${BASH_REMATCH[2]}" health
            ;;
        ENTRYPOINT) json_words "$arg" entrypoint ;;
        CMD) json_words "$arg" cmd ;;
        LABEL) ;;
        *) die "runtime stage: $word is not replayed" ;;
    esac
done
[ "$stage" = 2 ] || die "expected a build stage and a runtime stage"
[ ${#entrypoint[@]} -gt 0 ] || die "no ENTRYPOINT"
[ ${#health[@]} -gt 0 ] || die "no HEALTHCHECK"
[ -n "$expose" ] || die "no EXPOSE"

# --- run the image ----------------------------------------------------------------------------
# Below Linux's ephemeral range (32768 and up), so that no client connection of a test
# running alongside can hold the port.
pick_port() {
port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
    fi
done
[ -n "$port" ] || die "no free port"
}
pick_port

# The image's environment: its PATH (the binary under the root first), its ENV lines with paths
# moved under the root and the exposed port on loopback instead.
env_args=("PATH=$runtime_root/usr/local/bin:/usr/bin:/bin" "HOME=$runtime_root/app")
for key in "${!runtime_env[@]}"; do
    value=${runtime_env[$key]}
    case $value in
        /*) value=$runtime_root$value ;;
        *:"$expose") value=127.0.0.1:$port ;;
    esac
    env_args+=("$key=$value")
    say "ENV $key=${runtime_env[$key]}  ->  $value"
done
as_user=()
if [ -n "$runtime_user" ] && [ "$(id -u)" = 0 ]; then
    uid=${users[$runtime_user]}
    as_user=(setpriv --reuid="$uid" --regid="$uid" --clear-groups)
    # The user reaches its files as it would in the image (mktemp made the root private).
    chmod 755 "$runtime_root"
    say "USER $runtime_user  ->  uid $uid"
fi
in_image() {
    (cd "$runtime_root$runtime_workdir" && exec env -i "${env_args[@]}" "${as_user[@]}" "$@")
}
# A path of the image named by one of its ENV lines, under the root.
env_path() {
    local value=${runtime_env[$1]:-}
    [ -n "$value" ] || die "the image sets no $1"
    echo "$runtime_root$value"
}

say "ENTRYPOINT + CMD: ${entrypoint[*]} ${cmd[*]}"
log=$runtime_root/server.log
for attempt in 1 2 3 4 5; do
    # One subshell that execs the server, so that $! is the server itself (SIGTERM goes to it).
    (cd "$runtime_root$runtime_workdir" &&
        exec env -i "${env_args[@]}" "${as_user[@]}" "${entrypoint[@]}" "${cmd[@]}") >"$log" 2>&1 &
    server=$!
    sleep 0.5
    # Another process took the port between the check and the bind: take another one.
    if ! kill -0 "$server" 2>/dev/null && grep -q "Address already in use" "$log"; then
        old=$port
        pick_port
        say "port $old was taken (attempt $attempt); trying $port"
        for i in "${!env_args[@]}"; do
            env_args[$i]=${env_args[$i]//127.0.0.1:$old/127.0.0.1:$port}
        done
        continue
    fi
    break
done

# HEALTHCHECK: Docker calls the container unhealthy after the start period and `retries` failed
# checks `interval` apart; here it is polled faster, within the same time.
seconds() {
    local value=$1
    case $value in *ms) echo 1 ;; *s) echo "${value%s}" ;; *m) echo $((${value%m} * 60)) ;; *) echo "$value" ;; esac
}
interval=30 timeout=30 start_period=0 retries=3
for option in $health_options; do
    case $option in
        --interval=*) interval=$(seconds "${option#*=}") ;;
        --timeout=*) timeout=$(seconds "${option#*=}") ;;
        --start-period=*) start_period=$(seconds "${option#*=}") ;;
        --retries=*) retries=${option#*=} ;;
        --start-interval=*) ;;
        *) die "HEALTHCHECK option $option is not replayed" ;;
    esac
done
deadline=$(($(date +%s) + start_period + interval * retries))
healthy=0
while [ "$(date +%s)" -le "$deadline" ]; do
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; die "the server exited before it was healthy"; }
    if in_image timeout "$timeout" "${health[@]}" >/dev/null 2>&1; then
        healthy=1
        break
    fi
    sleep 0.2
done
[ "$healthy" = 1 ] || { cat "$log" >&2; die "HEALTHCHECK ${health[*]} never passed"; }
say "HEALTHCHECK ${health[*]}: healthy"

base=http://127.0.0.1:$port
# The seed is compiled into the binary: the image seeds from it, so count the repository's.
expected=$(find seed -name '*.toml' -exec cat {} + | grep -c '^\[\[skill\]\]' || true)
answer=$(curl -sS --max-time 10 -H 'content-type: application/json' \
    -d '{"query":"{ stats { skills } }"}' "$base/graphql") || die "the GraphQL query got no answer"
[ "$answer" = "{\"data\":{\"stats\":{\"skills\":$expected}}}" ] ||
    die "{ stats { skills } } answered $answer, but the seed has $expected skills"
say "{ stats { skills } } -> $answer (the seed's $expected skills)"

page=$(curl -sS --max-time 10 "$base/") || die "the explorer page got no answer"
asset=$(grep -o 'src="/assets/[^"]*"' <<<"$page" | head -1 | cut -d'"' -f2)
[ -n "$asset" ] || die "the explorer page loads no script from /assets/"
status=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$base$asset")
[ "$status" = 200 ] || die "the explorer's $asset answered $status"
say "the explorer page and its $asset are served"

db=$(env_path SKILLGRAPH_DB)
[ -n "$(ls -A "$db")" ] || die "nothing was written to the database in $db"

kill -TERM "$server"
for _ in $(seq 1 100); do
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$server" 2>/dev/null; then
    cat "$log" >&2
    die "the server did not stop within 10 s of SIGTERM"
fi
code=0
wait "$server" || code=$?
server=""
[ "$code" = 0 ] || { cat "$log" >&2; die "the server exited with $code after SIGTERM"; }
say "stopped cleanly on SIGTERM; the Dockerfile checks out ($(elapsed) in all)"
