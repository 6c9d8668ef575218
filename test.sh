#!/usr/bin/env bash
# Runs every test: the style check, unit tests, then the end-to-end suites against the real AppHost.
# Extra arguments go to dotnet test, e.g. ./test.sh --filter "TestCategory=Suite05".
# --redis cluster: every environment runs on a Redis Cluster (3 masters + 3 replicas); cases that
# need the single redis-server (category SingleRedis) are left out, the Cluster category runs.
# Without it the Cluster category is left out (it starts a cluster of its own).
# Writes TRX files to artifacts/test-results and the resilience report to artifacts/.
# The last line is the plain count "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
eng/prerequisites.sh || exit 1

redis=single; filter=""; args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --redis) redis="${2:-}"; shift 2 ;;
    --filter) filter="${2:-}"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$redis" in
  single) unset ASPIRE_RESILIENCE_REDIS; leave_out="TestCategory!=Cluster" ;;
  cluster) export ASPIRE_RESILIENCE_REDIS=cluster; leave_out="TestCategory!=SingleRedis" ;;
  *) echo "--redis must be single or cluster, not '$redis'"; echo "0 passed, 1 failed"; exit 1 ;;
esac
filter="${filter:+($filter)&}$leave_out"

# A cluster run keeps its results beside the default run's, so CI can run both.
results=artifacts/test-results; [ "$redis" = cluster ] && results=artifacts/test-results-cluster
rm -rf "$results"
mkdir -p "$results"
# DCP (Aspire's orchestrator) logs what it does to each process and proxy; a test that waits in
# vain for a resource quotes the lines about it (TestSupport/Hosting/ResourceDiagnosis.cs).
export DCP_DIAGNOSTICS_LOG_LEVEL="${DCP_DIAGNOSTICS_LOG_LEVEL:-debug}"
export DCP_DIAGNOSTICS_LOG_FOLDER="$PWD/$results/dcp-logs"
mkdir -p "$DCP_DIAGNOSTICS_LOG_FOLDER"

dotnet build AspireResilience.sln --nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
# The house style (.editorconfig) holds before anything runs: whitespace, usings, naming.
dotnet format AspireResilience.sln --verify-no-changes --no-restore -v quiet \
  || { echo "dotnet format found changes to make: run 'dotnet format AspireResilience.sln'"; echo "0 passed, 1 failed"; exit 1; }
# Exit code 8 is "zero tests ran" in one project, which a category filter makes normal (the unit
# tests have no category); a run where no project ran anything is caught below.
dotnet test --solution AspireResilience.sln --no-build --report-trx --results-directory "$results" --filter "$filter" --ignore-exit-code 8 "${args[@]}"
status=$?

read -r passed failed < <(eng/count-results.sh "$results")
# A run that fails before any test reports must not read as green.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# Nor may a filter that matched nothing at all.
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then echo "no test matched"; failed=1; status=1; fi
echo "$passed passed, $failed failed"
exit "$status"
