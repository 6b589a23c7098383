#!/bin/sh
# Makes a Redis Cluster of the nodes named, once: the same way under Docker (a one-shot service of
# the redis image runs this file) and on the local backend.
#   CLUSTER_NODES     host:port of every node, space-separated
#   CLUSTER_REPLICAS  replicas per primary: redis-cli makes the first nodes/(replicas+1) primaries
# Nodes that already form a cluster (a project started again, a run attached to it) are left as
# they are. It ends once every node says the cluster is ok and every replica holds its primary's
# data, so that what starts after it (the app nodes) finds a cluster that can fail over.
set -eu
nodes=$CLUSTER_NODES
replicas=${CLUSTER_REPLICAS:-1}

cli() {
  node=$1; shift
  redis-cli -h "${node%:*}" -p "${node##*:}" "$@"
}

# Waits up to 30 s for a condition on every node; says which node never met it.
every_node() {
  what=$1; shift
  for node in $nodes; do
    tries=0
    until "$@" "$node" >/dev/null 2>&1; do
      tries=$((tries + 1))
      if [ "$tries" -ge 300 ]; then echo "cluster-create: $node: $what not met after 30 s" >&2; exit 1; fi
      sleep 0.1
    done
  done
}

answers() { cli "$1" ping | grep -q PONG; }
cluster_ok() { cli "$1" cluster info | grep -q 'cluster_state:ok'; }
knows_all() { [ "$(cli "$1" cluster info | sed -n 's/^cluster_known_nodes:\([0-9]*\).*/\1/p')" = "$(echo $nodes | wc -w)" ]; }
# A primary, or a replica whose link to its primary is up (its initial copy done).
in_sync() { cli "$1" info replication | grep -q -e 'role:master' -e 'master_link_status:up'; }

every_node "answering PING" answers
first=${nodes%% *}
if cluster_ok "$first" && knows_all "$first"; then
  echo "cluster-create: the nodes already form a cluster; left as it is"
else
  # shellcheck disable=SC2086 # one argument per node
  redis-cli --cluster create $nodes --cluster-replicas "$replicas" --cluster-yes
fi
every_node "cluster_state:ok" cluster_ok
every_node "knowing every node" knows_all
every_node "replica in sync" in_sync
echo "cluster-create: cluster ok, $(echo $nodes | wc -w) nodes"
