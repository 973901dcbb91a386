#!/usr/bin/env bash
# Runs every test of memsync (unit, property, CDI container and multi-process tests).
# Extra arguments go to Maven, e.g. ./test.sh -Psoak for the long failover loop.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh
echo "memsync: building and testing with JDK at $JAVA_HOME" >&2
exec mvn -B -ntp verify "$@"
