#!/usr/bin/env bash
# Runs the memsync demo: processes on this machine share one document (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh
mvn -B -ntp -q -DskipTests install
exec mvn -B -ntp -q -pl memsync-it exec:java "$@"
