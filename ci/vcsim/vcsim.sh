#!/bin/bash
# Builds and starts rh-vcsim, govmomi's vCenter simulator with romharness's
# fault injection (ci/vcsim/main.go), from Debian's packages only:
#   golang-go golang-github-vmware-govmomi-dev   (see ci/packages.txt)
#
#   ci/vcsim/vcsim.sh build OUT          # ~11 s cold, cached by go's build cache
#   ci/vcsim/vcsim.sh start OUT [flags]  # builds if needed, then runs in the foreground
#
# The tests (harness/vm/vsphere) start the binary themselves on 127.0.0.1:0;
# `start` is for trying the backend by hand, e.g.
#   echo secret >pw; ci/vcsim/vcsim.sh start /tmp/rh-vcsim -password-file pw -ca-out ca.pem
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
gocode=/usr/share/gocode

build() {
  local out=$1
  if ! command -v go >/dev/null; then
    echo "vcsim.sh: 'go' not found: apt-get install golang-go" >&2
    exit 2
  fi
  if [ ! -d "$gocode/src/github.com/vmware/govmomi/simulator" ]; then
    echo "vcsim.sh: govmomi's simulator not found under $gocode:" \
      "apt-get install golang-github-vmware-govmomi-dev" >&2
    exit 2
  fi
  mkdir -p "$(dirname "$out")"
  # Debian's Go packages live in a GOPATH tree; modules stay off.
  (cd "$here" && GO111MODULE=off GOPATH="$gocode" go build -o "$out.tmp" .)
  mv -f "$out.tmp" "$out"
}

case "${1:-}" in
  build)
    [ $# -eq 2 ] || { echo "usage: $0 build OUT" >&2; exit 2; }
    build "$2"
    ;;
  start)
    [ $# -ge 2 ] || { echo "usage: $0 start OUT [rh-vcsim flags]" >&2; exit 2; }
    out=$2
    shift 2
    [ -x "$out" ] && [ "$out" -nt "$here/main.go" ] || build "$out"
    exec "$out" "$@"
    ;;
  *)
    echo "usage: $0 build OUT | start OUT [flags]" >&2
    exit 2
    ;;
esac
