# Stand-in for the official nginx image: nginx from Debian sid (the template's `resolve` needs
# 1.27.3 or later), with the official image's contract: every /etc/nginx/templates/*.template is
# rendered by envsubst, with the variables that are set, into /etc/nginx/conf.d (http level), and
# logs go to the container's output.
ARG BASE
FROM ${BASE}
RUN printf 'deb http://deb.debian.org/debian sid main\n' >/etc/apt/sources.list.d/sid.list \
 && apt-get -o Acquire::Check-Valid-Until=false update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t sid nginx gettext-base >/dev/null \
 && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/sid.list \
 && rm -f /etc/nginx/sites-enabled/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log \
 && mkdir -p /etc/nginx/templates \
 && nginx -v
COPY nginx-entrypoint.sh /docker-entrypoint.sh
ENTRYPOINT ["/docker-entrypoint.sh"]
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
