#!/bin/sh
# Makes the class archive the launcher (volume-replicator, in DIR beside the agent's jar) uses:
# training runs of the agent, each started by that launcher exactly as in production with the
# `java` on PATH, and an archive dumped from the classes they loaded: with AOT-linked classes on
# Java 24+ (volume-replicator.aot), a CDS archive on Java 21-23 (volume-replicator.jsa).
#
# The runs (ArchiveTrainingMain of the build-only module volume-replicator-training, in TRAINING
# with S3Proxy's standalone jar: volume-replicator-training/target/training) copy a small tree
# between directories, upload it to S3Proxy (a child JVM on loopback), pass over it again unchanged
# and restore it. Being separate starts of the agent, they need nothing on its class path: the
# archive fits the agent's jar alone. It only works with the same Java runtime and the same jar at
# the same path, so the image build runs this after copying the jar, with TRAINING and this script
# mounted for this step only: nothing of the training stays in the image.
#
# Usage: make-class-archive.sh DIR TRAINING
set -eu
usage="usage: make-class-archive.sh DIR TRAINING (DIR: the launcher and volume-replicator.jar;"
usage="$usage TRAINING: volume-replicator-training/target/training)"
dir=${1:?$usage}
training=${2:?$usage}
jar="$dir/volume-replicator.jar"
for f in "$jar" "$dir/volume-replicator" "$training/volume-replicator-training.jar" \
  "$training/s3proxy.jar"; do
  [ -f "$f" ] || { echo "make-class-archive.sh: no $f" >&2; exit 2; }
done
major=$(java -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p')
rm -f "$dir/volume-replicator.aot" "$dir/volume-replicator.jsa"
classes=$(mktemp)
trap 'rm -f "$classes"' EXIT
# The training's own JVM only starts processes; common's classes come from the agent's jar.
java -cp "$training/volume-replicator-training.jar:$jar" \
  io.backupagents.replicator.training.ArchiveTrainingMain \
  "$dir/volume-replicator" "$training/s3proxy.jar" "$classes"
if [ "${major:-0}" -ge 24 ]; then
  archive="$dir/volume-replicator.aot"
  link="-XX:+AOTClassLinking"
  check="-XX:AOTMode=on -XX:AOTCache=$archive"
else
  archive="$dir/volume-replicator.jsa"
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
