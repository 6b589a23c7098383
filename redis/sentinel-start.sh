#!/bin/sh
# Starts one Redis Sentinel, the same way under Docker (the official redis image runs this file)
# and on the local backend: Sentinel rewrites its configuration file as it learns the topology,
# so it starts from one written here, from the environment:
#   SENTINEL_PRIMARY       host:port of the primary to monitor (redis:6379)
#   SENTINEL_MASTER_NAME   the name clients ask for (REDIS_MASTER_NAME on the nodes)
#   SENTINEL_QUORUM        sentinels that must agree the primary is down
#   SENTINEL_DOWN_AFTER_MS how long the primary may not answer before it counts as down
#   SENTINEL_FAILOVER_TIMEOUT_MS, SENTINEL_PORT (26379), SENTINEL_CONF_FILE (/data/sentinel.conf)
set -eu
conf="${SENTINEL_CONF_FILE:-/data/sentinel.conf}"
host="${SENTINEL_PRIMARY%:*}"
port="${SENTINEL_PRIMARY##*:}"
name="$SENTINEL_MASTER_NAME"
printf '%s\n' \
  "port ${SENTINEL_PORT:-26379}" \
  "sentinel resolve-hostnames yes" \
  "sentinel announce-hostnames yes" \
  "sentinel monitor $name $host $port $SENTINEL_QUORUM" \
  "sentinel down-after-milliseconds $name $SENTINEL_DOWN_AFTER_MS" \
  "sentinel failover-timeout $name $SENTINEL_FAILOVER_TIMEOUT_MS" \
  > "$conf"
exec redis-server "$conf" --sentinel
