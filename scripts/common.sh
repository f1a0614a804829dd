# The set-up every script that runs a server shares (lib.sh for the load scripts, browser.sh
# for the browser checks); sourced, not run. Provides: need COMMAND=PACKAGE… (installs the
# Debian package of each missing command) and $work (a throwaway directory removed on exit,
# with the server whose pid is in $server stopped first).

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
