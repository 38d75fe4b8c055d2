#!/bin/sh
# Installs the tools the tests need, when they are missing and we may (root with apt-get, as in CI
# containers): python3 and javac, which test/unit/skeleton.test.ts runs the generated skeletons
# with; Debian's chromium (driven by playwright-core, no browser download) and a colour emoji font
# for the browser tests under test/browser. Otherwise it only says what is missing: those tests
# then fail with the same advice, never skip.
set -eu
missing=""
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v javac >/dev/null 2>&1 || missing="$missing default-jdk-headless"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing="$missing fonts-noto-color-emoji"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-tools: installing$missing" >&2
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
else
  echo "test-tools: missing$missing; the skeleton tests will fail. Install with: apt-get install -y$missing" >&2
fi
