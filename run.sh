#!/usr/bin/env bash
# Runs the whole environment (the F5 equivalent): Redis, AuthService, Backend, ChaosProxy and
# the Aspire dashboard at http://localhost:15080 (the login link is printed below).
# ./run.sh --https: the https profile (dashboard https://localhost:17080, Backend wss://localhost:7180/ws);
# it needs a trusted development certificate (docs/security.md, HTTPS).
set -euo pipefail
profile=http
if [ "${1:-}" = "--https" ]; then profile=https; fi
cd "$(dirname "$0")"
eng/prerequisites.sh
dotnet build AppHost --nologo -v quiet
dotnet build tools/ChatClient --nologo -v quiet
echo "Chat with the running environment (demo user alice/alice-password) from another terminal:"
echo "  dotnet run --project tools/ChatClient --no-build"
exec dotnet run --project AppHost --launch-profile "$profile" --no-build
