#!/bin/sh
# Makes the class archive an agent's launcher (DIR/AGENT, beside DIR/AGENT.jar) uses: training
# runs of the agent, each started by that launcher exactly as in production with the `java` on
# PATH, and an archive dumped from the classes they loaded: with AOT-linked classes on Java 24+
# (DIR/AGENT.aot), a CDS archive on Java 21-23 (DIR/AGENT.jsa).
#
# The runs are made by MAIN, the training of the agent's build-only module AGENT-training, whose
# target/training is TRAINING (its AGENT-training.jar holds the training and the shared
# class-archive-training): volume-replicator's copies trees between directories and S3Proxy,
# sql-backup's backs up, lists, recovers and verifies databases of a throw-away PostgreSQL. MAIN
# gets the launcher, the class list to write, then ARGs. Being separate starts of the agent, the
# runs need nothing on its class path: the archive fits the agent's jar alone. It only works with
# the same Java runtime and the same jar at the same path, so the image build runs this after
# copying the jar, with TRAINING and this script mounted for this step only: nothing of the
# training stays in the image.
#
# Usage: make-class-archive.sh AGENT DIR TRAINING MAIN [ARG...]
set -eu
usage="usage: make-class-archive.sh AGENT DIR TRAINING MAIN [ARG...] (DIR: the launcher and"
usage="$usage AGENT.jar; TRAINING: AGENT-training/target/training; MAIN: its training's main class)"
agent=${1:?$usage}
dir=${2:?$usage}
training=${3:?$usage}
main=${4:?$usage}
shift 4
jar="$dir/$agent.jar"
for f in "$jar" "$dir/$agent" "$training/$agent-training.jar"; do
  [ -f "$f" ] || { echo "make-class-archive.sh: no $f" >&2; exit 2; }
done
major=$(java -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p')
rm -f "$dir/$agent.aot" "$dir/$agent.jsa"
classes=$(mktemp)
trap 'rm -f "$classes"' EXIT
# The training's own JVM only starts processes; common's classes (and whatever else the training
# uses of the agent's libraries) come from the agent's jar.
java -cp "$training/$agent-training.jar:$jar" "$main" "$dir/$agent" "$classes" "$@"
if [ "${major:-0}" -ge 24 ]; then
  archive="$dir/$agent.aot"
  link="-XX:+AOTClassLinking"
  check="-XX:AOTMode=on -XX:AOTCache=$archive --sun-misc-unsafe-memory-access=allow"
else
  archive="$dir/$agent.jsa"
  link=""
  check="-Xshare:on -XX:SharedArchiveFile=$archive"
fi
# shellcheck disable=SC2086 # $link and $check are lists of options
java -Xshare:dump -XX:SharedClassListFile="$classes" $link -XX:SharedArchiveFile="$archive" \
  -Xlog:cds=error -Xlog:aot=error -cp "$jar" >/dev/null
# The JVM must accept the archive as the launcher starts the agent (with AOTMode=on or
# -Xshare:on it refuses to start otherwise).
# shellcheck disable=SC2086
java $check -cp "$jar" -version >/dev/null 2>&1 || {
  echo "make-class-archive.sh: the JVM does not accept $archive:" >&2
  java $check -Xlog:cds=info -Xlog:class+path=info -cp "$jar" -version 2>&1 | tail -20 >&2
  exit 1
}
ls -l "$archive"
