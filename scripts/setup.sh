#!/usr/bin/env bash
# Installs what session-lab runs on: its npm packages, and nginx, redis-server, PostgreSQL,
# Chromium, openssl, nftables, libfaketime, Flask and PHP (the `lab check` examples in Python and
# PHP) from the Debian/Ubuntu package archive when they are missing. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }

missing=()
have nginx || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
have redis-server || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
have chromium || missing+=(chromium)
# openssl: makes the certificate of the topology whose nginx terminates TLS (redis-2-tls).
have openssl || missing+=(openssl)
# envsubst: the tests compare the nginx template's rendering with the one the official image does.
have envsubst || missing+=(gettext-base)
# nft: the network faults (partition, isolate) drop packets inside the run's network namespaces.
have nft || [ -x /usr/sbin/nft ] || missing+=(nftables)
# libfaketime: the skew fault starts an app node with its clock ahead or behind.
compgen -G '/usr/lib/*/faketime/libfaketime.so.1' >/dev/null || missing+=(libfaketime)
# Flask: the Python example of `lab check` (examples/flask) runs on Debian's package.
python3 -c 'import flask' >/dev/null 2>&1 || missing+=(python3-flask)
# PHP: the PHP example (examples/php) runs on PHP's built-in server.
have php || missing+=(php-cli)

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  if ! have apt-get; then
    echo "setup: session-lab needs ${missing[*]} (Debian package names); install them with your package manager and run npm run setup again" >&2
    exit 1
  fi
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif have sudo; then
    sudo=(sudo)
  else
    echo "setup: run as root, or install them yourself: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  # Ubuntu has no nginx-light; plain nginx serves the same.
  if [[ " ${missing[*]} " == *" nginx-light "* ]] && ! apt-cache show nginx-light >/dev/null 2>&1; then
    missing=("${missing[@]/nginx-light/nginx}")
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
echo "setup: ready (nginx, redis-server, postgres, chromium, openssl, envsubst, nftables, libfaketime, npm packages)"
