#!/usr/bin/env bash
# Benchmarks (not part of ./test.sh): the queue's queries at 100,000 requests on SQLite.
# Prints the time of each filter's count and page; asserts only correctness and index use.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build DsrPortal.sln -c Release -nologo -v quiet
dotnet test DsrPortal.sln -c Release --no-build --filter "Category=Benchmark" --logger "console;verbosity=detailed" \
  | grep -E "seeded|total|Passed|Failed" || true
