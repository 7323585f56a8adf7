#!/usr/bin/env bash
# Runs every DsrPortal test: unit, bUnit, integration (SQLite, PostgreSQL, SMTP) and browser (Chromium).
# Installs what the tests need when it is missing (Debian's chromium, postgresql and nginx), builds once,
# runs the suite, and ends with the line "N passed, N failed" counted from the test results.
set -euo pipefail
cd "$(dirname "$0")"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
scripts/install-missing.sh "${need[@]}"

results="$(pwd)/TestResults"
rm -rf "$results"
dotnet tool restore >/dev/null
dotnet build DsrPortal.sln -c Release -nologo -v quiet

status=0
dotnet test DsrPortal.sln -c Release --no-build --filter "Category!=Benchmark&Category!=Docs" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?

# The closing line comes from the results file itself, so a run that executed nothing shows 0 passed.
trx=$(find "$results" -name '*.trx' | head -n 1)
passed=0
failed=0
if [ -n "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
fi
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "${passed:-0}" -eq 0 ]; then
  status=1
fi
exit $status
