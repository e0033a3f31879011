#!/bin/bash
# tests/nomicrohttpd.sh TARBALL - the release tarball configured
# --with-microhttpd=no builds, and its `sonar exporter` says "built without
# HTTP support" (exit 4) while the other commands work; and
# --with-microhttpd=yes finds libmicrohttpd here. Run by .ci/run after
# distcheck (as tests/nopcap.sh).
set -u
TARBALL=$(realpath "$1")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }

cd "$TMP" && tar xzf "$TARBALL" && cd sonar-*/ || { echo "cannot unpack $TARBALL"; exit 1; }
if ./configure --with-microhttpd=no >configure.log 2>&1 && grep -q 'exporter:    no' configure.log &&
  make -j"$(nproc)" sonar >make.log 2>&1; then
  ok "--with-microhttpd=no: configures (summary says no) and builds"
else
  not_ok "--with-microhttpd=no: $(tail -3 configure.log make.log 2>/dev/null | tr '\n' ' ')"
fi
if ldd ./sonar 2>/dev/null | grep -q microhttpd; then
  not_ok "without it, sonar does not link libmicrohttpd"
else
  ok "without it, sonar does not link libmicrohttpd"
fi
./sonar exporter 127.0.0.1 >out 2>err
rc=$?
if [ $rc = 4 ] && grep -q 'built without HTTP support' err; then
  ok "without libmicrohttpd, sonar exporter says 'built without HTTP support' (exit 4)"
else
  not_ok "without libmicrohttpd, sonar exporter: rc $rc, $(cat err)"
fi
if ./sonar --help | grep -q '^  exporter '; then
  ok "the command is still listed (it explains itself)"
else
  not_ok "sonar --help lists no exporter"
fi
make distclean >/dev/null 2>&1
if ./configure --with-microhttpd=yes >configure.log 2>&1 && grep -q 'exporter:    yes' configure.log; then
  ok "--with-microhttpd=yes finds libmicrohttpd"
else
  not_ok "--with-microhttpd=yes: $(tail -2 configure.log | tr '\n' ' ')"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
