#!/bin/sh
# As the official image's entrypoint does for `nginx`: templates rendered with the set variables only.
set -eu
if [ "${1:-}" = nginx ]; then
  defined=$(env | cut -d= -f1 | sed 's/^/${/; s/$/}/' | tr '\n' ' ')
  for template in /etc/nginx/templates/*.template; do
    [ -f "$template" ] || continue
    out="/etc/nginx/conf.d/$(basename "$template" .template)"
    envsubst "$defined" <"$template" >"$out"
    echo "stand-in entrypoint: rendered $template to $out"
  done
fi
exec "$@"
