#!/usr/bin/env bash
# Install Debian's chromium for the HTML review report's real-browser test.
# A failure here only skips that test (with a message); it never fails CI by itself.
set -uo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium could not be installed: the browser test will be skipped"
fi
