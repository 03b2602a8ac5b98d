# Shared settings of the local image scripts (sourced, not run).
if [[ "$(id -u)" == 0 ]]; then
  BACKUP_AGENTS_CACHE="${BACKUP_AGENTS_CACHE:-/var/cache/backup-agents}"
else
  BACKUP_AGENTS_CACHE="${BACKUP_AGENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-agents}"
fi
export BACKUP_AGENTS_CACHE
mkdir -p "$BACKUP_AGENTS_CACHE"

# podman/buildah configuration for a machine without a Docker daemon or systemd. The container
# ulimits must not exceed this shell's hard limits, so lower them where this host is stricter.
if [[ -z "${CONTAINERS_CONF:-}" ]]; then
  CONTAINERS_CONF="$(cd "$(dirname "${BASH_SOURCE[0]}")/../podman" && pwd)/containers.conf"
  nofile="$(ulimit -Hn)" nproc="$(ulimit -Hu)"
  [[ "$nofile" == unlimited || "$nofile" -gt 16384 ]] && nofile=16384
  [[ "$nproc" == unlimited || "$nproc" -gt 16384 ]] && nproc=16384
  if [[ "$nofile" != 16384 || "$nproc" != 16384 ]]; then
    sed -e "s/nofile=16384:16384/nofile=$nofile:$nofile/" -e "s/nproc=16384:16384/nproc=$nproc:$nproc/" \
      "$CONTAINERS_CONF" >"$BACKUP_AGENTS_CACHE/containers.conf"
    CONTAINERS_CONF="$BACKUP_AGENTS_CACHE/containers.conf"
  fi
  unset nofile nproc
fi
export CONTAINERS_CONF

# The locally built base (debootstrap) and the local JDK image the Java runtime is linked from.
export BASE_IMAGE="${BASE_IMAGE:-localhost/backup-agents/debian-base:${DEBIAN_SUITE:-trixie}}"
export LOCAL_JDK_HOME="${LOCAL_JDK_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JDK_IMAGE="${JDK_IMAGE:-localhost/backup-agents/jdk:local}"
