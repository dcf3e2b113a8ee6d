#!/usr/bin/env bash
# CI: a Docker engine for the container tests, then the image of the reference server.
# Installs Debian's docker.io when dockerd is missing, starts dockerd without a bridge or
# iptables rules (containers use the host network; nothing leaves loopback), waits for it
# (bounded), and builds dpe-reference:local without any registry (scripts/build-image.sh).
#
# Source it (`. scripts/ci-docker.sh`) to keep the TESTCONTAINERS_* variables in the calling
# shell; run as a command, it does the same and the variables last only for it.
set -euo pipefail

export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1

ci_docker() {
  local root sudo='' deadline log="${DOCKERD_LOG:-/tmp/dockerd.log}"
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  [ "$(id -u)" = 0 ] || sudo='sudo'

  if ! command -v dockerd >/dev/null; then
    echo "ci-docker: installing docker.io" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker.io >/dev/null
  fi

  if ! docker info >/dev/null 2>&1; then
    if ! pgrep -x dockerd >/dev/null; then
      echo "ci-docker: starting dockerd (log: $log)" >&2
      # detached, so it outlives this script and serves the test run that follows
      $sudo setsid dockerd --bridge=none --iptables=false --ip6tables=false >"$log" 2>&1 </dev/null &
    fi
    deadline=$((SECONDS + ${DOCKERD_WAIT_S:-60}))
    until docker info >/dev/null 2>&1; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "ci-docker: dockerd did not answer within ${DOCKERD_WAIT_S:-60} s; last lines of $log:" >&2
        tail -n 20 "$log" >&2 || true
        return 1
      fi
      sleep 0.5
    done
  fi
  echo "ci-docker: Docker engine $(docker version -f '{{.Server.Version}}' 2>/dev/null) answers" >&2

  bash "$root/scripts/build-image.sh" "${DPE_IMAGE:-dpe-reference:local}"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  ci_docker
else
  ci_docker || return 1
fi
