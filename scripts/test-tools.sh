#!/bin/sh
# Installs the tools test/unit/skeleton.test.ts runs the generated skeletons with (python3 for the
# python skeleton and the pom/pyproject parsers, javac for the java one), when they are missing and
# we may (root with apt-get, as in CI containers). Otherwise it only says what is missing: those
# tests then fail with the same advice, never skip.
set -eu
missing=""
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v javac >/dev/null 2>&1 || missing="$missing default-jdk-headless"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-tools: installing$missing" >&2
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
else
  echo "test-tools: missing$missing; the skeleton tests will fail. Install with: apt-get install -y$missing" >&2
fi
