# Stand-in for the official python image: Debian's python3 with pip, as `python3`, `python` and
# `pip`. No package index answers here, so Debian's python3-flask comes with it: the Flask example
# pins that same version, and pip finds it installed. Debian marks its Python as managed by apt
# (PEP 668); the official image does not, so the marker goes.
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-pip python-is-python3 python3-flask >/dev/null \
 && rm -rf /var/lib/apt/lists/* /usr/lib/python3.*/EXTERNALLY-MANAGED \
 && python3 --version
CMD ["python3"]
