#!/usr/bin/env bash
# Benchmarks (not part of ./test.sh): the queue at 100,000 requests, and export and erasure of 200,000 records, on SQLite.
# Prints the time of each filter's count and page; asserts only correctness and index use.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build DsrPortal.sln -c Release -nologo -v quiet
dotnet test DsrPortal.sln -c Release --no-build --filter "Category=Benchmark" --logger "console;verbosity=detailed" \
  | grep -E "seeded|total|exported|erased|Passed|Failed" || true
