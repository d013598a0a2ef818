#!/usr/bin/env bash
# Make sure a redis-server binary exists for the redis tests (they start their own servers
# on free loopback ports; no service is started here). Debian package, installed as root.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
redis-server --version
