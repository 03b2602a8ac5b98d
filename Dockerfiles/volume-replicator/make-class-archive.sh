#!/bin/sh
# Makes the class archive the launcher (volume-replicator, beside it) uses: a training run of the
# agent (ArchiveTraining: a small directory sync, and an upload, unchanged pass and restore against
# an in-memory S3 endpoint on loopback) with the `java` on PATH,
# recorded as an AOT cache on Java 25+ (volume-replicator.aot) or a CDS archive on Java 21-24
# (volume-replicator.jsa), next to the jar in DIR. The archive only works with the same Java
# runtime and the same jar at the same path: the image build runs this after copying the jar.
#
# Usage: make-class-archive.sh DIR
set -eu
dir=${1:?usage: make-class-archive.sh DIR (the directory of volume-replicator.jar)}
jar="$dir/volume-replicator.jar"
[ -f "$jar" ] || { echo "make-class-archive.sh: no $jar" >&2; exit 2; }
major=$(java -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p')
rm -f "$dir/volume-replicator.aot" "$dir/volume-replicator.jsa"
if [ "${major:-0}" -ge 25 ]; then
  java -XX:AOTCacheOutput="$dir/volume-replicator.aot" -Xlog:aot=error -Xlog:cds=error \
    -jar "$jar" --train-class-archive
else
  java -XX:ArchiveClassesAtExit="$dir/volume-replicator.jsa" -Xlog:cds=error \
    -jar "$jar" --train-class-archive
fi
ls -l "$dir"/volume-replicator.aot "$dir"/volume-replicator.jsa 2>/dev/null || true
