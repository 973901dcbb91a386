#!/usr/bin/env bash
# Runs the memsync demo: three JVM processes share a counter and a list, the host is killed with kill -9,
# a survivor takes over, and the demo checks that nothing was lost. Every process it starts is stopped.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh
mvn -B -ntp -q -DskipTests install
mvn -B -ntp -q -pl memsync-it dependency:build-classpath -Dmdep.outputFile=target/demo.classpath
exec java -cp "memsync-it/target/classes:$(cat memsync-it/target/demo.classpath)" io.memsync.demo.Demo "$@"
