#!/usr/bin/env bash
# Installs the Debian packages named on the command line (as root, or through sudo); does nothing when none are named.
# ./test.sh and ./bench.sh call it with whatever they found missing.
set -euo pipefail
[ $# -gt 0 ] || exit 0
echo "Installing prerequisites: $*"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
