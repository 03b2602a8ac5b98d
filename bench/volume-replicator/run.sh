#!/usr/bin/env bash
# Benchmark of the volume-replicator against the tools it replaces, side by side on this machine:
#   directory legs: us vs `rsync -a --delete` on a media-like tree (first copy, unchanged pass warm
#     and cold, 1% of the files changed), wall time and peak RSS (/usr/bin/time -v);
#   memory: a 1,000,000-entry tree, first copy and unchanged pass;
#   S3 legs: us vs `rclone sync` (default flags) and `aws s3 sync` (defaults) against a standalone
#     S3Proxy with 20 ms added to every storage call (first upload, unchanged pass, 1% changed),
#     counting the requests the proxy served.
# Raw timings go to $BENCH_WORK/raw.tsv; report.py turns them into bench/results/volume-replicator.md.
#
# Needs: root (for dropping the page cache), rsync, rclone, /usr/bin/aws (AWS CLI v2), python3,
# the S3Proxy jar-with-dependencies in ~/.m2 (./mvnw dependency:get
# -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies), and a built jar (./mvnw package).
# Knobs: BENCH_FILES (135000), BENCH_GIB (4.5), BENCH_REPEAT (3), BENCH_ENTRIES (1000000),
# BENCH_S3_LATENCY_MS (20), BENCH_S3_STORE (transient; or filesystem), BENCH_SKIP
# (space-separated: dir memory s3), JAVA, JAVA_OPTS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${BENCH_WORK:-$root/bench/work/volume-replicator}
java=${JAVA:-$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | tail -1)}
java_opts=${JAVA_OPTS:--XX:+ExitOnOutOfMemoryError}
jar=$root/volume-replicator/target/volume-replicator.jar
s3proxy_jar=${S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar}
files=${BENCH_FILES:-135000}
gib=${BENCH_GIB:-4.5}
repeat=${BENCH_REPEAT:-3}
entries=${BENCH_ENTRIES:-1000000}
latency=${BENCH_S3_LATENCY_MS:-20}
# S3Proxy's store: transient (in memory) or filesystem. The filesystem store opens every object of
# the bucket and reads its extended attributes for every page of a listing (5.5 s of CPU for the
# 11 pages of an unchanged pass over 10,000 objects, measured), on the same two cores as the tool
# under test; a real S3 service spends none of the client's CPU. The in-memory store lists the
# same objects for 1.6-2.0 s of CPU.
s3_store=${BENCH_S3_STORE:-transient}
skip=" ${BENCH_SKIP:-} "
raw=$work/raw.tsv

mkdir -p "$work"
training=$root/volume-replicator-training/target/training
[[ -f $jar && -f $training/volume-replicator-training.jar ]] ||
  (cd "$root" && ./mvnw -B -q -DskipTests package -pl volume-replicator,volume-replicator-training -am)
if [[ -z ${BENCH_SKIP:-} ]]; then
  rm -f "$work/notes.txt" "$raw" # a full run starts afresh
fi
# The agent as the image installs it: the launcher beside the jar and a class archive made by the
# same training runs as in the image build, for this JVM.
app=$work/app
rm -rf "$app"
mkdir -p "$app"
cp "$jar" "$root/Dockerfiles/volume-replicator/volume-replicator" "$app/"
PATH="$(dirname "$java"):$PATH" "$root/Dockerfiles/make-class-archive.sh" volume-replicator \
  "$app" "$training" io.backupagents.replicator.training.ArchiveTrainingMain "$training/s3proxy.jar" \
  > "$work/archive.log" 2>&1 ||
  { tail -20 "$work/archive.log" >&2; exit 1; }
legs="all legs"
[[ -n ${BENCH_SKIP:-} ]] && legs="legs other than: $BENCH_SKIP (the rows of those come from an earlier run)"
echo "# started $(date -u +%FT%TZ) on $(nproc) cores, $legs; load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/notes.txt"
echo "# JVM: $("$java" -version 2>&1 | head -1); ours = the image's launcher with its class archive; ours-plain = \`java $java_opts -jar\`" >> "$work/notes.txt"

# The disk must hold the tree three times (source, rsync's copy, ours) plus the S3 and memory sets.
need_gib=$(python3 -c "print(int($gib * 3 + 8))")
free_gib=$(df -BG --output=avail "$work" | tail -1 | tr -dc 0-9)
if ((free_gib < need_gib)); then
  gib=$(python3 -c "print(round(max(1.0, ($free_gib - 8) / 3 * 0.9), 1))")
  echo "# only ${free_gib} GiB free: media tree scaled down to ${gib} GiB" | tee -a "$work/notes.txt"
fi

can_drop=no
if [[ -w /proc/sys/vm/drop_caches ]]; then can_drop=yes; fi
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# measure CASE TOOL RUN REQUESTS_FN COMMAND...: wall time and peak RSS of one command.
measure() {
  local case=$1 tool=$2 run=$3 counter=$4
  shift 4
  local before=0 after=0
  if [[ $counter != - ]]; then before=$($counter); fi
  # Shell functions run in a child bash that execs the tool, so the RSS measured is the tool's.
  if [[ $(type -t "$1") == function ]]; then
    set -- bash -c '"$0" "$@"' "$@"
  fi
  if ! /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" > "$work/last.log" 2>&1; then
    echo "FAILED ($case, $tool): $*" >&2
    tail -30 "$work/last.log" >&2
    exit 1
  fi
  if [[ $counter != - ]]; then after=$($counter); fi
  local secs rss
  read -r secs rss < <(tail -1 "$work/time.out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$tool" "$run" "$secs" "$rss" "$((after - before))" >> "$raw"
  printf '%-22s %-16s run %s: %6.2f s, %7d KiB RSS%s\n' "$case" "$tool" "$run" "$secs" "$rss" \
    "$([[ $counter != - ]] && echo ", $((after - before)) requests")"
}

ours() { # ours SOURCE TARGET [VAR=VALUE...]: as the image runs it
  local source=$1 target=$2
  shift 2
  exec env -i PATH="$(dirname "$java"):$PATH" LANG=C.UTF-8 HOME="$HOME" \
    REPLICATE_SOURCE="$source" REPLICATE_TARGET="$target" MAX_DELETE=100% \
    REPLICATE_PROGRESS_INTERVAL=1h TERMINATION_LOG_PATH="$work/termination" "$@" \
    "$app/volume-replicator"
}

ours_plain() { # the same run as a plain `java -jar`: no class archive, the JVM's default JIT
  local source=$1 target=$2
  shift 2
  exec env -i PATH="$PATH" LANG=C.UTF-8 HOME="$HOME" \
    REPLICATE_SOURCE="$source" REPLICATE_TARGET="$target" MAX_DELETE=100% \
    REPLICATE_PROGRESS_INTERVAL=1h TERMINATION_LOG_PATH="$work/termination" "$@" \
    "$java" $java_opts -jar "$jar"
}

directory_legs() {
  local src=$work/media dst_rsync=$work/media-rsync dst_ours=$work/media-ours
  if [[ ! -f $work/media.done || $(cat "$work/media.done") != "$files $gib" ]]; then
    rm -rf "$src"
    python3 "$here/trees.py" media "$src" "$files" "$gib"
    echo "$files $gib" > "$work/media.done"
  fi
  echo "# media tree: $(find "$src" -type f | wc -l) files, $(du -sh --apparent-size "$src" | cut -f1)," \
    "$(find "$src" -type d | wc -l) directories" >> "$work/notes.txt"
  for ((r = 1; r <= repeat; r++)); do
    local order=(rsync ours)
    ((r % 2 == 0)) && order=(ours rsync)
    rm -rf "$dst_rsync" "$dst_ours" "$work/media-ours-noflush"
    for tool in "${order[@]}"; do
      sync
      if [[ $tool == rsync ]]; then
        measure first-copy rsync "$r" - rsync -a --delete "$src/" "$dst_rsync"
        measure first-copy-flush rsync "$r" - sync -f "$dst_rsync"
      else
        measure first-copy ours "$r" - ours "$src" "$dst_ours"
        sync
        measure first-copy ours-noflush "$r" - ours "$src" "$work/media-ours-noflush" REPLICATE_FSYNC=no
        rm -rf "$work/media-ours-noflush"
      fi
    done
    # A pass of about a second: three samples each per round, alternating, for a steadier median.
    for _ in 1 2 3; do
      for tool in "${order[@]}"; do
        if [[ $tool == rsync ]]; then
          measure unchanged-warm rsync "$r" - rsync -a --delete "$src/" "$dst_rsync"
        else
          measure unchanged-warm ours "$r" - ours "$src" "$dst_ours"
          measure unchanged-warm ours-plain "$r" - ours_plain "$src" "$dst_ours"
        fi
      done
    done
    if [[ $can_drop == yes ]]; then
      for tool in "${order[@]}"; do
        drop_caches
        if [[ $tool == rsync ]]; then
          measure unchanged-cold rsync "$r" - rsync -a --delete "$src/" "$dst_rsync"
        else
          measure unchanged-cold ours "$r" - ours "$src" "$dst_ours"
          drop_caches
          measure unchanged-cold ours-plain "$r" - ours_plain "$src" "$dst_ours"
        fi
      done
    fi
    python3 "$here/trees.py" change "$src" 1 "$r" >> "$work/notes.txt"
    for tool in "${order[@]}"; do
      sync
      if [[ $tool == rsync ]]; then
        measure changed-1pct rsync "$r" - rsync -a --delete "$src/" "$dst_rsync"
      else
        measure changed-1pct ours "$r" - ours "$src" "$dst_ours"
      fi
    done
  done
  rm -rf "$dst_rsync" "$dst_ours"
}

memory() {
  local src=$work/entries
  if [[ ! -f $work/entries.done || $(cat "$work/entries.done") != "$entries" ]]; then
    rm -rf "$src"
    python3 "$here/trees.py" entries "$src" "$entries"
    echo "$entries" > "$work/entries.done"
  fi
  echo "# memory tree: $entries entries" >> "$work/notes.txt"
  rm -rf "$work/entries-rsync" "$work/entries-ours"
  sync
  measure million-first-copy rsync 1 - rsync -a --delete "$src/" "$work/entries-rsync"
  sync
  measure million-first-copy ours 1 - ours "$src" "$work/entries-ours"
  measure million-unchanged rsync 1 - rsync -a --delete "$src/" "$work/entries-rsync"
  measure million-unchanged ours 1 - ours "$src" "$work/entries-ours"
  measure million-unchanged ours-plain 1 - ours_plain "$src" "$work/entries-ours"
  rm -rf "$work/entries-rsync" "$work/entries-ours"
}

s3_legs() {
  local src=$work/s3set data=$work/s3proxy-data port mport
  if [[ ! -f $work/s3set.done ]]; then
    rm -rf "$src"
    python3 "$here/trees.py" s3set "$src"
    touch "$work/s3set.done"
  fi
  echo "# S3 set: $(find "$src" -type f | wc -l) files, $(du -sh --apparent-size "$src" | cut -f1)," \
    "$latency ms added to every storage call of S3Proxy ($s3_store store)" >> "$work/notes.txt"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local store_properties="jclouds.filesystem.basedir=$data"
  [[ $s3_store == transient ]] && store_properties=""
  cat > "$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret-key
s3proxy.ignore-unknown-headers=true
jclouds.provider=$s3_store
$store_properties
s3proxy.latency-blobstore.*.latency=$latency
s3proxy.metrics.enabled=true
s3proxy.metrics.host=127.0.0.1
s3proxy.metrics.port=$mport
PROPS
  # One S3Proxy per round, started empty: the in-memory store holds a round's three copies of the
  # set (about 4 GiB) in its heap.
  s3proxy_pid=
  start_s3proxy() {
    rm -rf "$data"
    mkdir -p "$data"
    "$java" -Xmx8g -jar "$s3proxy_jar" --properties "$work/s3proxy.properties" \
      > "$work/s3proxy.log" 2>&1 &
    s3proxy_pid=$!
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
  }
  stop_s3proxy() {
    if [[ -n $s3proxy_pid ]]; then
      kill "$s3proxy_pid" 2>/dev/null || true
      wait "$s3proxy_pid" 2>/dev/null || true
    fi
    s3proxy_pid=
  }
  # Also when a measurement fails and set -e ends the script: a proxy left running would keep the
  # benchmark lock (it inherits the descriptor) and its port.
  trap 'stop_s3proxy' RETURN EXIT
  endpoint=http://127.0.0.1:$port
  metrics_url=http://127.0.0.1:$mport/metrics
  requests() {
    curl -s "$metrics_url" | awk '/^http_server_request_duration_seconds_count/ {s += $NF} END {printf "%d", s}'
  }
  rclone_sync() {
    exec env -u AWS_CA_BUNDLE RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other \
      RCLONE_CONFIG_BENCH_ENDPOINT="$endpoint" RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=bench \
      RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=bench-secret-key RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true \
      rclone --config /dev/null sync "$src" "bench:$1"
  }
  aws_sync() {
    exec env -u AWS_CA_BUNDLE AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key \
      AWS_DEFAULT_REGION=us-east-1 /usr/bin/aws --endpoint-url "$endpoint" s3 sync "$src" "s3://$1"
  }
  ours_sync() {
    ours "$src" "s3://$1" S3_ENDPOINT="$endpoint" S3_PROVIDER=Other S3_ACCESS_KEY_ID=bench \
      S3_SECRET_ACCESS_KEY=bench-secret-key
  }
  ours_plain_sync() {
    ours_plain "$src" "s3://$1" S3_ENDPOINT="$endpoint" S3_PROVIDER=Other S3_ACCESS_KEY_ID=bench \
      S3_SECRET_ACCESS_KEY=bench-secret-key
  }
  export src endpoint
  export -f rclone_sync aws_sync ours_sync ours_plain_sync
  for ((r = 1; r <= repeat; r++)); do
    start_s3proxy
    for tool in rclone aws ours; do
      env -u AWS_CA_BUNDLE AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key \
        AWS_DEFAULT_REGION=us-east-1 /usr/bin/aws --endpoint-url "$endpoint" s3 mb "s3://$tool-$r" > /dev/null
    done
    for case in first-upload unchanged-upload changed-upload; do
      if [[ $case == changed-upload ]]; then
        python3 "$here/trees.py" change "$src" 1 "$((100 + r))" >> "$work/notes.txt"
      fi
      # The unchanged pass of the list-based tools takes a few seconds, bound by CPU on a shared
      # machine: three samples each per round, alternating, for a steadier median.
      local samples=1
      [[ $case == unchanged-upload ]] && samples=3
      for ((s = 1; s <= samples; s++)); do
        for tool in rclone aws ours; do
          measure "$case" "$tool" "$r" requests "${tool}_sync" "$tool-$r"
        done
        if [[ $case == unchanged-upload ]]; then
          measure "$case" ours-plain "$r" requests ours_plain_sync "ours-$r"
        fi
      done
    done
    stop_s3proxy
  done
}

export java java_opts jar work app
export -f ours ours_plain
# forget CASE_PATTERN: drops earlier results of the legs about to run again.
forget() {
  if [[ -f $raw ]]; then
    grep -Ev "^($1)"$'\t' "$raw" > "$raw.tmp" || true
    mv "$raw.tmp" "$raw"
  fi
}
[[ $skip == *" dir "* ]] || { forget 'first-copy|first-copy-flush|unchanged-warm|unchanged-cold|changed-1pct'; directory_legs; }
[[ $skip == *" memory "* ]] || { forget 'million-first-copy|million-unchanged'; memory; }
[[ $skip == *" s3 "* ]] || { forget 'first-upload|unchanged-upload|changed-upload'; s3_legs; }
echo "# finished $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/notes.txt"
python3 -B "$here/report.py" "$work" "$root/bench/results/volume-replicator.md"
