#!/usr/bin/env bash
# Side-by-side measurement of the two ways the agent could list and read small objects in S3: the
# JVM system property backupagents.s3.reads=jdk (signed requests over the JDK's HTTP client,
# S3ReadClient) or =sdk (the AWS SDK's synchronous client on url-connection-client). The property
# exists at commit 777d89f only (S3ReadClient was removed after this measurement,
# bench/results/s3-read-path.md): check that commit out to run it again. One jar, two
# installs of it as the image has it (launcher + class archive), each archive trained with its own
# read path. Against a standalone S3Proxy with 20 ms per storage call, on BENCH-NOTES' S3 set
# (10,000 files): a first upload each, then rounds of three unchanged passes each and one pass
# after 1% of the files changed, the two variants alternating (A B A B ..., the order flipped
# every round) so that both see the same load. Wall and CPU time from /usr/bin/time, requests from
# S3Proxy's metrics. Writes $work/raw.tsv; s3-reads-report.py turns it into the results table.
#
# Needs: a built jar (./mvnw -DskipTests package -pl volume-replicator -am), the S3Proxy
# jar-with-dependencies in ~/.m2, python3. Knobs: BENCH_ROUNDS (7), BENCH_CHANGES (changed passes
# per round, 1), BENCH_S3_LATENCY_MS (20), BENCH_WORK, JAVA; BENCH_FIRST_ROUND > 1 continues an
# earlier run (same installs, buckets and raw file) with more rounds. Run it under the machine's
# benchmark lock: flock /tmp/bench.lock s3-reads.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${BENCH_WORK:-$root/bench/work/s3-reads}
java=${JAVA:-$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | tail -1)}
jar=$root/volume-replicator/target/volume-replicator.jar
s3proxy_jar=${S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar}
rounds=${BENCH_ROUNDS:-7}
changes=${BENCH_CHANGES:-1}
first=${BENCH_FIRST_ROUND:-1}
latency=${BENCH_S3_LATENCY_MS:-20}
raw=$work/raw.tsv
src=$work/s3set
data=$work/s3proxy-data
variants=(jdk sdk)

mkdir -p "$work"
[[ -f $jar ]] || { echo "no $jar: build it first" >&2; exit 1; }
if [[ ! -f $work/s3set.done ]]; then
  rm -rf "$src"
  python3 "$here/trees.py" s3set "$src"
  touch "$work/s3set.done"
fi
((first > 1)) || { : > "$raw"; : > "$work/notes.txt"; }
{
  ((first > 1)) && echo "continued with rounds $first-$((first + rounds - 1)):"
  echo "started $(date -u +%FT%TZ) on $(nproc) cores; uptime: $(uptime)"
  echo "JVM: $("$java" -version 2>&1 | head -1)"
  echo "S3 set: $(find "$src" -type f | wc -l) files, $(du -sh --apparent-size "$src" | cut -f1); $latency ms per S3Proxy storage call"
} >> "$work/notes.txt"

# One install per variant, each with a class archive made by the image build's training run.
for v in "${variants[@]}"; do
  ((first > 1)) && break
  app=$work/app-$v
  rm -rf "$app"
  mkdir -p "$app"
  cp "$jar" "$root/Dockerfiles/volume-replicator/volume-replicator" "$app/"
  training=$root/volume-replicator-training/target/training
  JAVA_TOOL_OPTIONS=-Dbackupagents.s3.reads=$v PATH="$(dirname "$java"):$PATH" \
    "$root/Dockerfiles/make-class-archive.sh" volume-replicator "$app" "$training" \
    io.backupagents.replicator.training.ArchiveTrainingMain "$training/s3proxy.jar" \
    > "$work/archive-$v.log" 2>&1 ||
    { tail -20 "$work/archive-$v.log" >&2; exit 1; }
done

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port=$(free_port)
mport=$(free_port)
((first > 1)) || rm -rf "$data"
mkdir -p "$data"
cat > "$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret-key
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$data
s3proxy.latency-blobstore.*.latency=$latency
s3proxy.metrics.enabled=true
s3proxy.metrics.host=127.0.0.1
s3proxy.metrics.port=$mport
PROPS
"$java" -jar "$s3proxy_jar" --properties "$work/s3proxy.properties" > "$work/s3proxy.log" 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null || true' EXIT
for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
endpoint=http://127.0.0.1:$port

requests() {
  curl -s "http://127.0.0.1:$mport/metrics" |
    awk '/^http_server_request_duration_seconds_count/ {s += $NF} END {printf "%d", s}'
}

# run CASE VARIANT ROUND: one sync of the source to the variant's bucket, as the image runs it.
run() {
  local case=$1 v=$2 r=$3 before after secs user sys rss
  before=$(requests)
  if ! env -i PATH="$(dirname "$java"):$PATH" LANG=C.UTF-8 HOME="$HOME" \
    JAVA_OPTS="-Dbackupagents.s3.reads=$v" \
    REPLICATE_SOURCE="$src" REPLICATE_TARGET="s3://bucket-$v" MAX_DELETE=100% \
    REPLICATE_PROGRESS_INTERVAL=1h TERMINATION_LOG_PATH="$work/termination" \
    S3_ENDPOINT="$endpoint" S3_PROVIDER=Other S3_ACCESS_KEY_ID=bench \
    S3_SECRET_ACCESS_KEY=bench-secret-key \
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$work/app-$v/volume-replicator" \
    > "$work/last-$v.log" 2>&1; then
    echo "FAILED ($case, $v)" >&2
    tail -30 "$work/last-$v.log" >&2
    exit 1
  fi
  after=$(requests)
  read -r secs user sys rss < <(tail -1 "$work/time.out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$v" "$r" "$secs" \
    "$(python3 -c "print(round($user + $sys, 2))")" "$rss" "$((after - before))" >> "$raw"
  printf '%-10s %-4s round %s: %6.2f s wall, %6.2f s CPU, %d requests\n' "$case" "$v" "$r" \
    "$secs" "$(python3 -c "print($user + $sys)")" "$((after - before))"
}

if ((first == 1)); then
  for v in "${variants[@]}"; do mkdir -p "$data/bucket-$v"; done
  for v in "${variants[@]}"; do run first-upload "$v" 0; done
fi
for ((r = first; r < first + rounds; r++)); do
  order=(jdk sdk)
  ((r % 2 == 0)) && order=(sdk jdk)
  for _ in 1 2 3; do
    for v in "${order[@]}"; do run unchanged "$v" "$r"; done
  done
  for ((c = 1; c <= changes; c++)); do
    python3 "$here/trees.py" change "$src" 1 "$((200 + 10 * r + c))" >> "$work/notes.txt"
    for v in "${order[@]}"; do run changed "$v" "$r"; done
    order=("${order[1]}" "${order[0]}")
  done
done
echo "finished $(date -u +%FT%TZ); uptime: $(uptime)" >> "$work/notes.txt"
python3 -B "$here/s3-reads-report.py" "$work" "$root/bench/results/s3-read-path.md"
