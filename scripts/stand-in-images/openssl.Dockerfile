# Stand-in for alpine/openssl: Debian's openssl as the entrypoint.
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && openssl version
ENTRYPOINT ["openssl"]
