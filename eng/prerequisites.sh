#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to run the environment and its tests:
# redis-server (used when no container runtime is available) and chromium (the browser suite
# drives Debian's /usr/bin/chromium through Playwright; Playwright's own browser download is
# not used). The .NET 10 SDK is expected on PATH.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it first." >&2
  exit 1
fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]}..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: ${missing[*]} missing and this user cannot install them: run 'apt-get install -y ${missing[*]}' as root." >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
