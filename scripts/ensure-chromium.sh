#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright. Install it when missing and possible.
set -u
CHROMIUM=${ZWK_CHROMIUM:-/usr/bin/chromium}
if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install chromium) ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null && exit 0
fi
cat >&2 <<MSG
************************************************************************
  WARNING: Chromium was not found at $CHROMIUM and could not be installed
  (needs root and apt-get). The browser tests (tests/e2e) will be SKIPPED.
  Install Chromium (Debian: apt-get install chromium) or set ZWK_CHROMIUM.
************************************************************************
MSG
exit 0
