#!/bin/bash
# tests/nopcap.sh TARBALL - the release tarball configured --with-pcap=no
# builds, and its sonar says "built without capture support"; and
# --with-pcap=yes finds libpcap here. Run by .ci/run after distcheck.
set -u
TARBALL=$(realpath "$1")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }

cd "$TMP" && tar xzf "$TARBALL" && cd sonar-*/ || { echo "cannot unpack $TARBALL"; exit 1; }
if ./configure --with-pcap=no >configure.log 2>&1 && grep -q 'capture:     no' configure.log &&
  make -j"$(nproc)" sonar >make.log 2>&1; then
  ok "--with-pcap=no: configures (summary says no) and builds"
else
  not_ok "--with-pcap=no: $(tail -3 configure.log make.log 2>/dev/null | tr '\n' ' ')"
fi
./sonar capture -c 1 >out 2>err
rc=$?
if [ $rc = 4 ] && grep -q 'built without capture support' err; then
  ok "without libpcap, sonar capture says 'built without capture support' (exit 4)"
else
  not_ok "without libpcap, sonar capture: rc $rc, $(cat err)"
fi
make distclean >/dev/null 2>&1
if ./configure --with-pcap=yes >configure.log 2>&1 && grep -q 'capture:     yes' configure.log; then
  ok "--with-pcap=yes finds libpcap"
else
  not_ok "--with-pcap=yes: $(tail -2 configure.log | tr '\n' ' ')"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
