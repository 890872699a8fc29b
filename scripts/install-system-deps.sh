#!/usr/bin/env bash
# Installs the Debian packages that tests, the demo and the bake-off need, only when they are missing.
# PostgreSQL is for the call store's tests (they start a throwaway server of their own; none is left running).
# Usage: scripts/install-system-deps.sh [--with-chromium]
set -euo pipefail

need=()
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if [[ "${1:-}" == "--with-chromium" ]]; then
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi

if [[ ${#need[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    SUDO=sudo
else
    SUDO=
fi
echo "installing Debian packages: ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
