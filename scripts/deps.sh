#!/bin/sh
# Installs the Debian packages zhifa needs to build, run and test.
# Skips what is already installed; uses sudo when not root.
set -eu
PKGS="build-essential cmake ninja-build pkg-config libsqlite3-dev sqlite3 \
libjansson-dev libssl-dev libmicrohttpd-dev libsodium-dev libcmocka-dev curl"
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "deps: installing$missing" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
