#!/usr/bin/env bash
# Makes sure Debian's nats-server (the NATS JetStream server the replication tests spawn) is
# installed: installs the `nats-server` package with apt when it is missing, as root or
# through sudo. Prints where it is.
#
#   bash scripts/nats-server.sh
set -euo pipefail
find_nats() { command -v nats-server 2>/dev/null || ls /usr/sbin/nats-server 2>/dev/null || true; }
found=$(find_nats)
if [ -z "$found" ]; then
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
    echo "installing nats-server with apt (the replication tests need it)" >&2
    as_root apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nats-server >/dev/null
    # The package enables a system service; the tests start their own servers.
    as_root systemctl disable --now nats-server >/dev/null 2>&1 || true
    found=$(find_nats)
fi
[ -n "$found" ] || { echo "nats-server could not be installed" >&2; exit 1; }
echo "$found"
