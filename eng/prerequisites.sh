#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to run the environment: redis-server
# (used when no container runtime answers). The .NET 10 SDK is expected on PATH.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it first." >&2
  exit 1
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server (needed when no container runtime is available)..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: redis-server is missing and this user cannot install it: run 'apt-get install -y redis-server' as root." >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi
