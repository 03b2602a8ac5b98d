# Sourced by ./mvnw: make sure Maven (and so the compiler and the tests) run on a JDK >= 21,
# even where the machine's default java is older. JAVA_HOME wins when it is recent enough;
# otherwise the newest JDK under /usr/lib/jvm (or MVNW_JDK_SEARCH_DIRS) is chosen.
mvnw_jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p'
}
mvnw_select_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(mvnw_jdk_major "$JAVA_HOME")
    [ "${major:-0}" -ge 21 ] && return 0
  fi
  best="" best_major=0
  set +f # mvnw runs with globbing off; the search needs it
  for dir in ${MVNW_JDK_SEARCH_DIRS:-/usr/lib/jvm/*}; do
    [ -x "$dir/bin/javac" ] || continue
    major=$(mvnw_jdk_major "$dir")
    if [ "${major:-0}" -gt "$best_major" ]; then best="$dir" best_major="$major"; fi
  done
  set -f
  if [ "$best_major" -ge 21 ]; then
    export JAVA_HOME="$best"
  else
    echo "mvnw: no JDK >= 21 found (JAVA_HOME=${JAVA_HOME-unset}, searched ${MVNW_JDK_SEARCH_DIRS:-/usr/lib/jvm/*}); install one or set JAVA_HOME" >&2
    exit 1
  fi
}
mvnw_select_jdk
