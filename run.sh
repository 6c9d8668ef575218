#!/usr/bin/env bash
# Runs the whole environment (the F5 equivalent): Redis, AuthService, Backend, ChaosProxy and
# the Aspire dashboard at http://localhost:15080 (the login link is printed below).
set -euo pipefail
cd "$(dirname "$0")"
eng/prerequisites.sh
dotnet build AppHost --nologo -v quiet
dotnet build tools/ChatClient --nologo -v quiet
echo "Chat with the running environment (demo user alice/alice-password) from another terminal:"
echo "  dotnet run --project tools/ChatClient --no-build"
exec dotnet run --project AppHost --launch-profile http --no-build
