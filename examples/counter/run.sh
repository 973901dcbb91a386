#!/usr/bin/env bash
# Runs one instance of the counter service on 127.0.0.1:PORT (default 8080). Start it in two terminals with two
# ports; the first becomes the host of the shared counter, the second joins it. Build once before:
#   mvn -B -ntp -q -DskipTests -pl examples/counter -am package
set -euo pipefail
cd "$(dirname "$0")"
. ../../scripts/jdk.sh
if [ ! -f target/classpath.txt ]; then
  echo "build it first (from the repository's top folder): mvn -B -ntp -q -DskipTests -pl examples/counter -am package" >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" -Dserver.port="${1:-8080}" -cp "target/classes:$(cat target/classpath.txt)" \
  io.memsync.example.counter.CounterMain
