#!/usr/bin/env bash
# Installs Debian's OpenLDAP server (slapd, with its schema files and
# slapadd) for the LDAP tests and the demo, once; prints slapd's path.
# The tests start their own slapd from a generated configuration in a
# temporary directory (internal/sandbox/slapd); the package's own
# database and service are not used. The tests fail (never skip)
# without it.
set -euo pipefail
if [ -x /usr/sbin/slapd ] && [ -f /etc/ldap/schema/msuser.schema ]; then
	echo /usr/sbin/slapd
	exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# debconf would configure a database and start a service for its default
# domain; neither is used, so its questions are answered with their
# defaults and the service it starts is stopped again.
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends slapd ldap-utils >&2
if command -v service >/dev/null 2>&1; then $sudo service slapd stop >&2 || true; fi
echo /usr/sbin/slapd
