#!/usr/bin/env bash
# run.sh - set sonar up on a fresh Debian/Ubuntu machine and start it.
#
#   ./run.sh [OPTIONS] [TARGET...]     install what is missing, build, then open
#                                      the dashboard (with no TARGET: the list `s`
#                                      saved, else 127.0.0.1, ::1, the default
#                                      gateways, the nameservers)
#   ./run.sh check                     the same set-up, then `make check`
#   ./run.sh bench                     the same set-up, then `make bench`
#
# Packages come from apt-get (through sudo when not root; nothing is
# installed when all are present). With CI=true the build uses -Werror and
# ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")"

mode=run
case "${1:-}" in
check | bench) mode=$1; shift ;;
esac

packages=(build-essential autoconf automake libtool pkg-config libcmocka-dev
      libncurses-dev libc-ares-dev libpcap-dev libidn2-0 iputils-ping iproute2 nftables jq util-linux clang-format tmux dnsmasq-base
      libmicrohttpd-dev) # sonar exporter's web server
[ "$mode" = bench ] && packages+=(fping mtr-tiny traceroute time
      prometheus-smokeping-prober curl) # tests/bench/exporter.sh: its reference, the scrapes
[ "$mode" = check ] && packages+=(fping tcpdump python3 clang locales zsh) # stall.sh, wire.sh, slowdns.py; .ci/run's fuzzing; a comma locale for test_view; completion.sh
[ "$mode" = check ] && packages+=(prometheus curl systemd) # the exporter's tests: a real Prometheus scrapes it; systemd-analyze checks its unit

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$p")
done
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
if [ ${#missing[@]} -gt 0 ]; then
  echo "run.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# libFuzzer's runtime: the package of the distribution's default clang,
# whatever its version (libclang-rt-N-dev; older releases ship it in
# libclang-common-N-dev, which clang already pulls in).
if [ "$mode" = check ] && command -v clang >/dev/null; then
  rt="libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
  if ! dpkg-query -W -f='${Status}' "$rt" 2>/dev/null | grep -q 'install ok installed'; then
    apt-cache show "$rt" >/dev/null 2>&1 || $sudo apt-get update -qq
    if apt-cache show "$rt" >/dev/null 2>&1; then
      echo "run.sh: installing $rt" >&2
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$rt" >/dev/null
    fi
  fi
fi

flags=()
if [ "${CI:-}" = true ]; then
  flags+=(--enable-werror --enable-sanitizers)
fi
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
  autoreconf -fi
fi
# Reconfigure when the flags changed since the last configure.
stamp="configure-flags: ${flags[*]:-}"
if [ ! -f Makefile ] || [ "$(cat .configure-flags 2>/dev/null)" != "$stamp" ]; then
  ./configure "${flags[@]}"
  echo "$stamp" >.configure-flags
fi
make -j"$(nproc)"

case "$mode" in
check)
  if ! make -j"$(nproc)" check; then
    cat test-suite.log >&2 || true
    exit 1
  fi
  ;;
bench)
  make bench
  ;;
run)
  # the themes of this tree, before any installed ones
  SONAR_THEMES=${SONAR_THEMES:-$PWD/themes} exec ./sonar "$@"
  ;;
esac
