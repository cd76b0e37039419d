#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the report's browser test,
# once; prints its path. The test fails (never skips) without it.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
	command -v chromium
	exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
command -v chromium
