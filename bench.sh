#!/usr/bin/env bash
# Runs memsync's benchmarks (not part of the tests).
#   ./bench.sh jmh      JMH: update evaluation on 1 KB and 1 MB documents
#   ./bench.sh cluster  multi-process: failover time, ping-pong latency, throughput
#   ./bench.sh compare [quick] [pingpong|rpc|throughput|join|failover…]
#                       memsync side by side with Hazelcast 5.7 ReplicatedMap and IMap, every JVM with the same
#                       options (JVM defaults; -Dbench.jvmOptions="..." in BENCH_OPTS adds some); writes
#                       memsync-bench/results/side-by-side.{md,json,png}. 'quick' runs fewer rounds.
# BENCH_OPTS passes system properties to the multi-process driver, e.g.
#   BENCH_OPTS="-Dmemsync.peer.gc=-XX:+UseParallelGC -Dmemsync.bench.patches=1000000" ./bench.sh cluster throughput
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh
what=${1:-all}
shift || true
mvn -B -ntp -q -DskipTests install
if [ "$what" = jmh ] || [ "$what" = all ]; then
  java -jar memsync-bench/target/benchmarks.jar "${@:-UpdateBenchmark}"
fi
if [ "$what" = compare ]; then
  mvn -B -ntp -q -pl memsync-bench dependency:build-classpath -Dmdep.outputFile=target/compare.classpath
  java ${BENCH_OPTS:-} -cp "memsync-bench/target/classes:$(cat memsync-bench/target/compare.classpath)" \
    io.memsync.bench.compare.SideBySide "$@"
fi
if [ "$what" = cluster ] || [ "$what" = all ]; then
  mvn -B -ntp -q -pl memsync-it dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
  java ${BENCH_OPTS:-} -cp "memsync-it/target/classes:$(cat memsync-it/target/bench.classpath)" io.memsync.it.ClusterBenchmark "$@"
fi
