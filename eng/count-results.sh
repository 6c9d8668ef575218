#!/usr/bin/env bash
# Prints "PASSED FAILED", summed over the TRX files in the given folders.
passed=0; failed=0
for dir in "$@"; do
  for trx in "$dir"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  done
done
echo "$passed $failed"
