#!/usr/bin/env bash
# Measures which S3 client to use: uploads a 1 GiB file and 400 small files with each client
# against a standalone S3Proxy (filesystem store, 20 ms per storage call) and writes
# bench/results/s3-client.md. Usage: bench/s3-client/run.sh [runs]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-3}
work=${BENCH_WORK:-$root/bench/work/s3-client}
mkdir -p "$work/store" "$work/data"
cd "$root"
./mvnw -B -q install -pl test-support,common -DskipTests
./mvnw -B -q -f bench/s3-client/pom.xml package dependency:build-classpath -Dmdep.outputFile="$work/cp.txt"
./mvnw -B -q dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -DoutputDirectory="$work" >/dev/null
java=$(. .mvn/select-jdk.sh >/dev/null; echo "$JAVA_HOME/bin/java")
port=$((20000 + RANDOM % 20000))
cat > "$work/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/store
s3proxy.latency-blobstore.*.latency=20
CONF
"$java" -jar "$work/s3proxy-4.1.0-jar-with-dependencies.jar" --properties "$work/s3proxy.conf" >"$work/s3proxy.log" 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null; rm -rf "$work/store"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
table=$("$java" -cp "bench/s3-client/target/classes:$(cat "$work/cp.txt")" ${BENCH_JAVA_OPTS:-} io.backupagents.bench.S3ClientBench "http://127.0.0.1:$port" "$work/data" "$runs")
{
  echo "# S3 client choice"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, S3Proxy 4.1.0 (filesystem store, 20 ms per storage call) on loopback, median of $runs runs. Upload only; lower is better."
  echo
  echo "$table"
  echo
  echo "Reproduce: \`bench/s3-client/run.sh $runs\`."
} > bench/results/s3-client.md
cat bench/results/s3-client.md
