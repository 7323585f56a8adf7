#!/usr/bin/env bash
# Retakes the README's screenshots into docs/screenshots: the main pages at 1280 and 390 pixels, in English and
# Chinese, from a portal with the demo data. Not part of ./test.sh. Installs Debian's chromium and the CJK fonts
# (fonts-noto-cjk, without which Chinese shows as boxes) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
scripts/install-missing.sh "${need[@]}"
dotnet build DsrPortal.sln -c Release -nologo -v quiet >/dev/null
dotnet test DsrPortal.Tests -c Release --no-build --filter "Category=Docs" --logger "console;verbosity=detailed" | grep -E "docs/screenshots/|Passed!|Failed!"
