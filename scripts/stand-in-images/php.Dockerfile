# Stand-in for the official php CLI image: Debian's php-cli (its session extension built in), as
# `php`, and the www-data user the official image has.
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends php-cli >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && php --version
CMD ["php", "-a"]
