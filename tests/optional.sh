#!/bin/bash
# tests/optional.sh TARBALL - the release tarball builds without its
# optional libraries (--with-pcap=no --with-microhttpd=no): sonar links
# neither, `sonar capture` says "built without capture support" and
# `sonar exporter` "built without HTTP support" (exit 4 each) while the
# other commands work and both stay listed; and --with-pcap=yes
# --with-microhttpd=yes finds both here. Run by .ci/run after distcheck.
set -u
TARBALL=$(realpath "$1")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }
# expect WHAT CMD...: ok when CMD succeeds.
expect() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}

cd "$TMP" && tar xzf "$TARBALL" && cd sonar-*/ || { echo "cannot unpack $TARBALL"; exit 1; }
if ./configure --with-pcap=no --with-microhttpd=no >configure.log 2>&1 &&
  grep -q 'capture:     no' configure.log && grep -q 'exporter:    no' configure.log &&
  make -j"$(nproc)" sonar >make.log 2>&1; then
  ok "--with-pcap=no --with-microhttpd=no: configures (the summary says no twice) and builds"
else
  not_ok "without both: $(tail -3 configure.log make.log 2>/dev/null | tr '\n' ' ')"
fi
expect "sonar links neither libpcap nor libmicrohttpd" \
  sh -c '! ldd ./sonar 2>/dev/null | grep -qE "libpcap|microhttpd"'
./sonar capture -c 1 >out 2>err
rc=$?
expect "sonar capture says 'built without capture support' (rc $rc, exit 4 expected)" \
  sh -c "[ $rc = 4 ] && grep -q 'built without capture support' err"
./sonar exporter 127.0.0.1 >out 2>err
rc=$?
expect "sonar exporter says 'built without HTTP support' (rc $rc, exit 4 expected)" \
  sh -c "[ $rc = 4 ] && grep -q 'built without HTTP support' err"
expect "both commands are still listed (they explain themselves)" \
  sh -c "./sonar --help | grep -q '^  exporter ' && ./sonar --help | grep -q '^  capture '"
./sonar ping -c 1 -W 1 127.0.0.1 >out 2>err
rc=$?
expect "the other commands work: sonar ping 127.0.0.1 (rc $rc)" [ $rc = 0 ]
make distclean >/dev/null 2>&1
if ./configure --with-pcap=yes --with-microhttpd=yes >configure.log 2>&1 &&
  grep -q 'capture:     yes' configure.log && grep -q 'exporter:    yes' configure.log; then
  ok "--with-pcap=yes --with-microhttpd=yes finds both"
else
  not_ok "--with-pcap=yes --with-microhttpd=yes: $(tail -2 configure.log | tr '\n' ' ')"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
