#!/bin/sh
# Debian's redis-server keeps protected mode on (it refuses clients from other containers); the
# official image's is built with it off. The option goes after a configuration file and before the
# caller's own options, so that the caller can still set it.
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  conf=$1; shift
  exec /usr/bin/redis-server "$conf" --protected-mode no "$@"
fi
exec /usr/bin/redis-server --protected-mode no "$@"
