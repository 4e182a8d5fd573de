#!/bin/sh
# Installs the Debian packages zhifa needs to build, run and test.
# Skips what is already installed; uses sudo when not root.
set -eu
# `deps.sh` installs what building and running need; `deps.sh test` also
# what the tests need (the browser tests: chromium, CJK fonts, node).
PKGS="build-essential cmake ninja-build pkg-config libsqlite3-dev \
libjansson-dev libssl-dev libmicrohttpd-dev libsodium-dev"
if [ "${1:-}" = test ]; then
  PKGS="$PKGS libcmocka-dev sqlite3 curl python3 chromium fonts-noto-cjk nodejs npm"
fi
# A package counts as present when installed, or provided by an installed
# package (NodeSource's nodejs provides, and conflicts with, Debian's npm).
provided=$(dpkg-query -W -f='${Status}|${Provides}\n' 2>/dev/null |
  sed -n 's/^install ok installed|//p' | tr ',' '\n' | sed 's/ *(.*//; s/^ *//')
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' &&
     ! printf '%s\n' "$provided" | grep -qx "$p"; then
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
