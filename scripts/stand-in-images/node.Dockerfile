# Stand-in for the official node image: Node.js 24 and npm from Debian sid on a bookworm base, with
# the official image's `node` user (uid 1000).
ARG BASE
FROM ${BASE}
RUN printf 'deb http://deb.debian.org/debian sid main\n' >/etc/apt/sources.list.d/sid.list \
 && apt-get -o Acquire::Check-Valid-Until=false update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t sid nodejs npm ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/sid.list \
 && groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/sh node \
 && node --version
CMD ["node"]
