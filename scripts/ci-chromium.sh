#!/usr/bin/env bash
# CI: Debian's chromium for the headless tests of the HTML reports (test/integration), installed
# with apt-get when missing; nothing is downloaded from anywhere else (puppeteer-core brings no
# browser of its own).
set -euo pipefail
if ! command -v chromium >/dev/null; then
  sudo=''
  [ "$(id -u)" = 0 ] || sudo='sudo'
  echo "ci-chromium: installing chromium" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
