#!/usr/bin/env bash
# Builds a minimal Debian 13 (trixie: PostgreSQL 17 clients) base image from Debian's own packages (debootstrap), without any
# container registry, and imports it into podman's storage as $BASE_IMAGE.
#
# The root filesystem tarball is cached (BACKUP_AGENTS_CACHE, default /var/cache/backup-agents as
# root, else ~/.cache/backup-agents) and reused for BASE_MAX_AGE_DAYS, so repeated runs on one
# machine skip debootstrap; the image is re-imported only when podman does not have it.
#
# Usage: build-base.sh [--refresh]     (--refresh: ignore the cache and rebuild)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Dockerfiles/local/env.sh
source "$here/env.sh"

suite="${DEBIAN_SUITE:-trixie}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
max_age_days="${BASE_MAX_AGE_DAYS:-14}"
# tini: PID 1 that forwards SIGTERM to the JVM and reaps children (pg_dump, psql).
# ca-certificates: TLS to S3 endpoints and PostgreSQL servers.
packages="tini,ca-certificates"

refresh=no
[[ "${1:-}" == "--refresh" ]] && refresh=yes

key="$(printf '%s\n' "$suite" "$mirror" "$packages" "v2" | sha256sum | cut -c1-12)"
tarball="$BACKUP_AGENTS_CACHE/debian-$suite-minbase-$key.tar"
mkdir -p "$BACKUP_AGENTS_CACHE"

log() { printf '[build-base] %s\n' "$*" >&2; }

fresh_tarball() {
  [[ -s "$tarball" && "$refresh" == no ]] &&
    [[ -z "$(find "$tarball" -mtime "+$max_age_days" 2>/dev/null)" ]]
}

build_rootfs() {
  command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
  [[ "$(id -u)" == 0 ]] || { log "debootstrap needs root"; exit 1; }
  local root
  root="$(mktemp -d "$BACKUP_AGENTS_CACHE/rootfs.XXXXXX")"
  trap 'rm -rf "$root" "$root.log"' EXIT
  log "debootstrap $suite (minbase + $packages) from $mirror"
  debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" \
    >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  rm -f "$root.log"

  # debootstrap installs the release as published; add the update and security suites and
  # upgrade, so the base carries the same fixes as Debian's own published images.
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
  # Keep images small: no recommends, no docs/man pages/translations from later installs.
  cat >"$root/etc/apt/apt.conf.d/90backup-agents" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
  cat >"$root/etc/dpkg/dpkg.cfg.d/90backup-agents" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  log "applying $suite-updates and $suite-security"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  DEBIAN_FRONTEND=noninteractive chroot "$root" sh -c \
    'apt-get update -qq && apt-get -y -qq -o Dpkg::Options::=--force-confold upgrade' \
    >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; log "upgrade in the new root file system failed"; exit 1; }
  rm -f "$root.log"
  : >"$root/etc/resolv.conf"

  # What Debian's slim images leave out, and what a build or run must not inherit.
  find "$root/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/{man,info,locale,lintian}/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/var/log/* "$root"/tmp/* "$root"/root/.bash_history
  log "writing $tarball"
  tar --numeric-owner --xattrs -C "$root" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  rm -rf "$root"
  trap - EXIT
}

if fresh_tarball; then
  log "using cached root file system $tarball"
else
  build_rootfs
  podman image rm -f "$BASE_IMAGE" >/dev/null 2>&1 || true
fi

# The image records the tarball it came from, so a rebuilt tarball replaces a stale image.
if [[ "$(podman image inspect --format '{{ index .Labels "io.backupagents.base.key" }}' "$BASE_IMAGE" 2>/dev/null)" \
  == "$key-$(stat -c %Y "$tarball")" ]]; then
  log "$BASE_IMAGE is up to date"
else
  log "importing $BASE_IMAGE"
  podman import -q \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "LABEL io.backupagents.base.key=$key-$(stat -c %Y "$tarball")" \
    --change 'CMD ["bash"]' \
    "$tarball" "$BASE_IMAGE" >/dev/null
fi
