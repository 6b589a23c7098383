# Stand-in for the official postgres image: PostgreSQL 17 from Debian trixie, with the official
# image's contract: on an empty PGDATA, initdb with POSTGRES_USER / POSTGRES_PASSWORD and a database
# POSTGRES_DB, password authentication from other hosts, listening on every address; pg_isready.
ARG BASE
FROM ${BASE}
RUN printf 'deb http://deb.debian.org/debian trixie main\n' >/etc/apt/sources.list.d/trixie.list \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t trixie postgresql-17 >/dev/null \
 && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/trixie.list \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql && chmod 700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/17/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER postgres
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 5432
STOPSIGNAL SIGINT
CMD ["postgres"]
