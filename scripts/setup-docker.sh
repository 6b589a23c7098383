#!/usr/bin/env bash
# npm run setup:docker [-- --remove]
# Makes `docker compose` work for the compose backend, doing only what is missing:
#   1. Docker Engine (Debian's docker.io) and Compose v2 (the docker-compose CLI plugin from the next
#      Debian release, its archive pinned at priority 100 so that nothing else is upgraded from it);
#   2. dockerd, started by hand where no daemon answers (machines without systemd): data root
#      /var/lib/docker, socket /var/run/docker.sock, log /var/log/session-lab-dockerd.log;
#   3. the images the compose files pin: pulled, or where no registry answers, stand-ins built from
#      Debian packages (scripts/stand-in-images/) and tagged with the official names, so that the
#      compose files run unchanged. Every stand-in carries the label org.session-lab.stand-in, and
#      the lab marks every run on one "stand-in images".
# What it installed, started or built is listed in /var/lib/session-lab/setup-docker.done, and
# `--remove` undoes exactly that. Where Docker already works (Docker Desktop, a distribution's
# engine), steps 1 and 2 do nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

state_dir=/var/lib/session-lab
done_file=$state_dir/setup-docker.done
dockerd_log=/var/log/session-lab-dockerd.log
dockerd_pid=/run/session-lab-dockerd.pid
base_image=session-lab/stand-in-base:bookworm
trixie_sources=/etc/apt/sources.list.d/session-lab-trixie.sources
trixie_pin=/etc/apt/preferences.d/session-lab-trixie

base_root=""
trap '[ -z "$base_root" ] || rm -rf "$base_root"' EXIT

say() { echo "setup:docker: $*"; }
have() { command -v "$1" >/dev/null 2>&1; }
record() { mkdir -p "$state_dir"; grep -qxF "$1" "$done_file" 2>/dev/null || echo "$1" >>"$done_file"; }
recorded() { grep -qxF "$1" "$done_file" 2>/dev/null; }
daemon_answers() { timeout 10 docker info >/dev/null 2>&1; }

if [ "$(id -u)" = 0 ]; then sudo=(); elif have sudo; then sudo=(sudo); else sudo=(false); fi
as_root() {
  if [ "${sudo[0]:-}" = false ]; then
    say "needs root (or sudo) to $1; or install Docker with its compose plugin yourself" >&2
    exit 1
  fi
}

apt_install() { # apt_install PACKAGE… : installs and records each
  as_root "install $*"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  for p in "$@"; do record "package ${p%%/*}"; done
}

remove() {
  if [ ! -f "$done_file" ]; then say "nothing to undo ($done_file does not exist)"; return; fi
  as_root "undo what setup:docker did"
  if daemon_answers; then
    # The stand-ins, and every image built on one (the app's), by id: untagged ones too.
    mapfile -t images < <(docker images -q --filter label=org.session-lab.stand-in | sort -u)
    if ((${#images[@]} > 0)); then say "removing the stand-in images $(stand_ins | tr '\n' ' ')and the images built on them"; docker rmi -f "${images[@]}" >/dev/null || true; fi
    if recorded "image $base_image"; then docker rmi -f "$base_image" >/dev/null 2>&1 || true; fi
  fi
  if recorded "started dockerd" && [ -f "$dockerd_pid" ]; then
    say "stopping the dockerd it started (pid $(cat "$dockerd_pid"))"
    "${sudo[@]}" kill "$(cat "$dockerd_pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$dockerd_pid" ] || break; sleep 0.2; done
  fi
  mapfile -t packages < <(sed -n 's/^package //p' "$done_file")
  if ((${#packages[@]} > 0)); then
    say "removing packages ${packages[*]}"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq "${packages[@]}" >/dev/null || true
  fi
  if recorded "apt trixie"; then "${sudo[@]}" rm -f "$trixie_sources" "$trixie_pin"; "${sudo[@]}" apt-get update -qq || true; fi
  "${sudo[@]}" rm -f "$done_file"
  say "removed; Docker's data root /var/lib/docker and $dockerd_log are left (delete them by hand if you want them gone)"
}

install_engine() {
  if have dockerd || daemon_answers; then :; else
    if ! have apt-get; then say "no Docker engine and no apt-get: install Docker Engine with its compose plugin" >&2; exit 1; fi
    as_root "install docker.io"
    say "installing Docker Engine (Debian's docker.io)"
    "${sudo[@]}" apt-get update -qq
    apt_install docker.io
  fi
  if docker compose version >/dev/null 2>&1; then return; fi
  have apt-get || { say "docker has no compose plugin: install Compose v2" >&2; exit 1; }
  as_root "install the compose plugin"
  # Compose v2 is packaged from the next Debian release on; it needs only libc6 >= 2.34. Its archive
  # is added at priority 100: only what is asked for by name comes from it.
  if apt-cache policy docker-compose 2>/dev/null | grep -q ' 2\.[0-9]'; then
    say "installing Compose v2 (docker-compose)"
    apt_install docker-compose
  else
    say "installing Compose v2 from Debian trixie, pinned low ($trixie_sources, $trixie_pin)"
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | "${sudo[@]}" tee "$trixie_sources" >/dev/null
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | "${sudo[@]}" tee "$trixie_pin" >/dev/null
    record "apt trixie"
    "${sudo[@]}" apt-get update -qq
    apt_install docker-compose/trixie
  fi
  docker compose version >/dev/null || { say "docker compose still does not answer after the install" >&2; exit 1; }
}

start_daemon() {
  if daemon_answers; then return; fi
  as_root "start dockerd"
  # A dockerd or containerd that was killed leaves its pid file behind; once that pid belongs to
  # another process, dockerd takes containerd for running and times out waiting for it.
  local file
  for file in /var/run/docker/containerd/containerd.pid:containerd "$dockerd_pid":dockerd /var/run/docker.pid:dockerd; do
    local path=${file%:*} name=${file##*:}
    if [ -f "$path" ] && [ "$(cat "/proc/$(cat "$path")/comm" 2>/dev/null)" != "$name" ]; then "${sudo[@]}" rm -f "$path"; fi
  done
  say "no Docker daemon answers: starting dockerd (log $dockerd_log)"
  # From /, in a session of its own: it is the machine's service, not a child of this shell. The
  # subshell execs it, so that no shell is left holding this script's output open (whoever reads
  # it, CI's log or a pipe, would wait for dockerd to end).
  (cd / && exec "${sudo[@]}" setsid dockerd --pidfile "$dockerd_pid" >>"$dockerd_log" 2>&1 </dev/null) &
  record "started dockerd"
  for _ in $(seq 1 120); do daemon_answers && return; sleep 0.5; done
  say "dockerd did not answer within 60 s; its last lines:" >&2
  tail -n 20 "$dockerd_log" >&2
  exit 1
}

# Every image the compose files, the app's Dockerfile and the examples' Dockerfiles name, once
# each, but the app's own (session-lab/app:local), which compose builds from the Dockerfile.
pinned_images() {
  { grep -ho '^ *image: *[^ #]*' compose/*.yml | sed 's/^ *image: *//'
    sed -n 's/^FROM \([^ ]*\).*/\1/p' compose/app.Dockerfile examples/*/Dockerfile; } | tr -d '"' | grep -v '^session-lab/' | sort -u
}

# The stand-ins themselves: images whose label names their own tag (an image built on one, such as
# the app's, inherits the label but not the tag).
stand_ins() {
  local image
  for image in $(docker images --filter label=org.session-lab.stand-in --format '{{.Repository}}:{{.Tag}}' | grep -v '<none>' | sort); do
    if [ "$(docker image inspect --format '{{index .Config.Labels "org.session-lab.stand-in"}}' "$image")" = "$image" ]; then echo "$image"; fi
  done
}

# Which stand-in Dockerfile replaces an official image (by repository).
stand_in_file() {
  case "${1%%:*}" in
    node) echo node ;; nginx) echo nginx ;; redis) echo redis ;; postgres) echo postgres ;;
    alpine/openssl) echo openssl ;; python) echo python ;; php) echo php ;; *) return 1 ;;
  esac
}

build_base() {
  if docker image inspect "$base_image" >/dev/null 2>&1; then return; fi
  have debootstrap || { say "installing debootstrap (for the stand-ins' base)"; apt_install debootstrap; }
  base_root=$(mktemp -d /var/tmp/session-lab-base.XXXXXX)
  local root=$base_root
  say "building $base_image with debootstrap --variant=minbase bookworm (a minute or two)"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -c . | docker import --change 'CMD ["bash"]' - "$base_image" >/dev/null
  record "image $base_image"
  rm -rf "$base_root"
  base_root=""
}

ensure_images() {
  local image kind stand_ins=()
  for image in $(pinned_images); do
    if docker image inspect "$image" >/dev/null 2>&1; then continue; fi
    if timeout 60 docker pull -q "$image" >/dev/null 2>&1; then say "pulled $image"; continue; fi
    kind=$(stand_in_file "$image") || { say "cannot pull $image and no stand-in exists for it" >&2; exit 1; }
    build_base
    say "no registry answers for $image: building a STAND-IN from Debian packages (scripts/stand-in-images/$kind.Dockerfile)"
    docker build -q -t "$image" --build-arg BASE="$base_image" --label "org.session-lab.stand-in=$image" \
      -f "scripts/stand-in-images/$kind.Dockerfile" scripts/stand-in-images 2>&1 >/dev/null | grep -v -e DEPRECATED -e 'legacy builder' -e buildx -e '^ *$' >&2 || true
    docker image inspect "$image" >/dev/null 2>&1 || { say "building the stand-in for $image failed" >&2; exit 1; }
    stand_ins+=("$image")
  done
  mapfile -t all < <(stand_ins)
  if ((${#all[@]} > 0)); then
    say "STAND-IN IMAGES in use (built from Debian packages, not the official images): ${all[*]}"
    say "every lab run on them says \"stand-in images\"; remove them with npm run setup:docker -- --remove"
  fi
}

case "${1:-}" in
  --remove) remove; exit 0 ;;
  "") ;;
  *) echo "usage: npm run setup:docker [-- --remove]" >&2; exit 2 ;;
esac
install_engine
start_daemon
ensure_images
say "ready: $(docker compose version --short 2>/dev/null | sed 's/^/compose /'), engine $(docker version --format '{{.Server.Version}}')"
