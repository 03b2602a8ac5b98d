#!/usr/bin/env bash
# Builds the sql-backup and volume-replicator images with podman, from the repository's jars
# (run `./mvnw -B -DskipTests package` first).
#
#   Dockerfiles/build-images.sh [--local|--public] [--tag TAG] [--jib-bases] [--refresh-base]
#
# --local (default): no container registry needed. The base is Debian 13 built by debootstrap
#   from Debian's packages (cached, see local/build-base.sh) and the Java runtime is linked from
#   the JDK in LOCAL_JDK_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64).
# --public: the Dockerfiles' defaults, pulled from a registry (debian:trixie-slim and
#   eclipse-temurin:25-jdk), or whatever BASE_IMAGE / JDK_IMAGE say.
# --jib-bases: also save each image's `base` stage as a tarball under Dockerfiles/.cache/, the
#   offline base image jib-maven-plugin builds on (`./mvnw jib:buildTar`, see the README).
#
# Images: localhost/backup-agents/{sql-backup,volume-replicator}:TAG (default: latest) and their
# bases localhost/backup-agents/{sql-backup,volume-replicator}-base:TAG.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
mode=local tag=latest jib_bases=no refresh=()
while (($#)); do
  case "$1" in
    --local) mode=local ;;
    --public) mode=public ;;
    --tag) tag="$2"; shift ;;
    --jib-bases) jib_bases=yes ;;
    --refresh-base) refresh=(--refresh) ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[build-images] %s\n' "$*" >&2; }

if [[ "$mode" == local ]]; then
  # shellcheck source=Dockerfiles/local/env.sh
  source "$here/local/env.sh"
else
  export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/podman/containers.conf}"
fi

for jar in sql-backup/target/sql-backup.jar volume-replicator/target/volume-replicator.jar \
  volume-replicator-training/target/training/volume-replicator-training.jar \
  sql-backup-training/target/training/sql-backup-training.jar; do
  [[ -s "$repo/$jar" ]] || { log "$jar is missing: run ./mvnw -B -DskipTests package first"; exit 1; }
done

build_args=()
if [[ "$mode" == local ]]; then
  start=$SECONDS
  "$here/local/build-base.sh" "${refresh[@]}"
  log "base ready in $((SECONDS - start))s"
  [[ -x "$LOCAL_JDK_HOME/bin/jlink" ]] || { log "no JDK with jlink in $LOCAL_JDK_HOME (set LOCAL_JDK_HOME)"; exit 1; }
  start=$SECONDS
  jdk_args=()
  cacerts="$(readlink -f "$LOCAL_JDK_HOME/lib/security/cacerts" || true)"
  if [[ -f "$cacerts" && "$cacerts" != "$LOCAL_JDK_HOME"/* ]]; then
    jdk_args=(-v "$cacerts:/run/host-cacerts:ro")
  fi
  podman build -q --network host --layers --build-arg "BASE_IMAGE=$BASE_IMAGE" "${jdk_args[@]}" \
    --ignorefile "$here/local/jdk.dockerignore" \
    -f "$here/local/jdk.Dockerfile" -t "$JDK_IMAGE" "$LOCAL_JDK_HOME" >"$BACKUP_AGENTS_CACHE/jdk.build.log" 2>&1 ||
    { tail -40 "$BACKUP_AGENTS_CACHE/jdk.build.log" >&2; log "building $JDK_IMAGE failed"; exit 1; }
  log "local JDK image $JDK_IMAGE ready in $((SECONDS - start))s"
  # PostgreSQL's apt repository is not among the local package sources: the clients are
  # Debian's own (Debian 13: 17).
  build_args=(--build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "JDK_IMAGE=$JDK_IMAGE" --build-arg PGDG=no)
else
  [[ -n "${BASE_IMAGE:-}" ]] && build_args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
  [[ -n "${JDK_IMAGE:-}" ]] && build_args+=(--build-arg "JDK_IMAGE=$JDK_IMAGE")
fi

mkdir -p "$here/.cache"
for image in sql-backup volume-replicator; do
  dockerfile="$here/$image/Dockerfile"
  start=$SECONDS
  # The same Dockerfile twice: the base stage on its own (jib's base), then the image; the second
  # build reuses the first one's layers.
  for target in base image; do
    name="localhost/backup-agents/$image:$tag"
    target_args=()
    if [[ "$target" == base ]]; then
      name="localhost/backup-agents/$image-base:$tag"
      target_args=(--target base)
    fi
    podman build --network host --layers "${build_args[@]}" "${target_args[@]}" \
      --ignorefile "$dockerfile.dockerignore" -f "$dockerfile" -t "$name" "$repo" \
      >"$here/.cache/$image-$target.build.log" 2>&1 ||
      { tail -40 "$here/.cache/$image-$target.build.log" >&2; log "building $name failed"; exit 1; }
  done
  # Earlier builds of this image, untagged now, are not needed for the layer cache.
  podman image prune -f --filter "label=org.opencontainers.image.title=$image" >/dev/null
  log "$image image ready in $((SECONDS - start))s ($(podman image inspect --format '{{.Size}}' "localhost/backup-agents/$image:$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
  if [[ "$jib_bases" == yes ]]; then
    base="localhost/backup-agents/$image-base:$tag"
    id="$(podman image inspect --format '{{.Id}}' "$base")"
    tarball="$here/.cache/$image-base.tar"
    if [[ "$(cat "$tarball.id" 2>/dev/null)" != "$id" ]]; then
      rm -f "$tarball" "$tarball.id"
      podman save -q --format docker-archive -o "$tarball" "$base"
      echo "$id" >"$tarball.id"
    fi
    log "jib base: tar://$tarball"
  fi
done
