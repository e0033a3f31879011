#!/bin/bash
# tests/package.sh TARBALL - the Debian packages, built from the release
# tarball (as sonar_VERSION.orig.tar.gz, with this tree's debian/ beside
# it: nothing of the build tree leaks in) by `dpkg-buildpackage -us -uc`;
# lintian finds no error; the packages hold what they should (libsonar0's
# soname is libsonar.so.0). `apt-get install ./*.deb` installs them in a
# fresh minimal system (mmdebstrap), where sonar pings as nobody, and then
# here: /usr/bin/sonar has cap_net_raw (postinst), `sonar ping` works as
# nobody (raw sockets too, where ICMP datagram sockets are forbidden), so
# does `sonar exporter` (the package has its web server), the
# dashboard finds the packaged themes, the completions are where bash and
# zsh look, and a program built with `pkg-config --cflags --libs sonar`
# links the installed libsonar and pings 127.0.0.1. At the end the packages,
# and whatever their installation pulled in, are purged again.
#
# Run by .ci/run after distcheck, not by `make check`: it installs system
# packages (its build tools too: dpkg-dev, debhelper, lintian, mmdebstrap,
# fakeroot, which it leaves installed, as run.sh leaves its own). Needs root. The
# whole test has a time limit of 20 minutes; each step has its own.
if [ -z "${SONAR_PACKAGE_TIMED:-}" ]; then
  export SONAR_PACKAGE_TIMED=1
  exec timeout --kill-after=60 1200 bash "$0" "$@"
fi
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
need_root
[ -f "${1:-}" ] || {
  not_ok "usage: tests/package.sh TARBALL (the release tarball, make dist)"
  finish
}
TARBALL=$(realpath "$1")
NS=sonar-pkg-$$
TM="tmux -L sonar-pkg-$$ -f /dev/null"
TMP=$(mktemp -d)
chmod 755 "$TMP" # nobody runs what is built in it
PKGS="sonar libsonar0 libsonar-dev"
installed=no
export DEBIAN_FRONTEND=noninteractive
# packages: every installed package, one a line, sorted
packages() { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ {print $2}' | sort; }

# purge: the packages, and whatever installing them pulled in, so the
# machine is left as it was before the install.
purge() {
  local added
  [ "$installed" = yes ] || return 0
  packages >"$TMP/after"
  added=$(comm -13 "$TMP/before" "$TMP/after" | tr '\n' ' ')
  echo "# purging: $added"
  # shellcheck disable=SC2086 # a list of package names
  timeout 300 apt-get purge -y -qq $added >"$TMP/purge.log" 2>&1 || cat "$TMP/purge.log" >&2
  installed=no
}
XPID=
cleanup() {
  { [ -n "$XPID" ] && kill -KILL "$XPID" && wait "$XPID"; } 2>/dev/null
  tm_down
  ns_remove "$NS"
  purge
  rm -rf "$TMP"
}
# (a signal during the clean-up must not cut it short)
trap 'trap "" INT TERM; cleanup' EXIT
trap 'exit 1' INT TERM

# ---- the build tools -------------------------------------------------------
tools=(dpkg-dev debhelper lintian fakeroot mmdebstrap binutils pkgconf gcc libc6-dev tmux zsh bash-completion)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "# installing ${missing[*]}"
  timeout 300 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$TMP/tools.log" 2>&1 ||
    cat "$TMP/tools.log" >&2
fi
need dpkg-buildpackage dh lintian mmdebstrap objdump pkg-config cc tmux zsh ip getcap runuser curl

# ---- the source package: the release tarball and debian/ -------------------
# the version, from the tarball's top directory (sonar-VERSION/)
top=$(tar tzf "$TARBALL" | head -n 1 | cut -d/ -f1)
version=${top#sonar-}
deb_version=$(dpkg-parsechangelog -l "$top_srcdir/debian/changelog" -S Version)
check "debian/changelog's version ($deb_version) is the tarball's ($version) plus a revision" \
  [ "${deb_version%-*}" = "$version" ]
cp "$TARBALL" "$TMP/sonar_$version.orig.tar.gz"
tar xzf "$TARBALL" -C "$TMP"
SRC=$TMP/$top
cp -r "$top_srcdir/debian" "$SRC/"
check "the tarball unpacks to $top/ and takes debian/" [ -x "$SRC/debian/rules" ]

# Build-Depends, read from debian/control (apt-get build-dep on the tree)
timeout 600 apt-get build-dep -y -qq "$SRC" >"$TMP/builddep.log" 2>&1
rc=$?
check "apt-get build-dep installs debian/control's Build-Depends" \
  sh -c "[ $rc = 0 ] || { cat '$TMP/builddep.log' >&2; false; }"

# ---- the build -------------------------------------------------------------
# With its tests: debian/rules runs `make check-unprivileged` (the unit
# tests a buildd can run as a user; .ci/run has run the whole `make check`).
start=$(date +%s)
(cd "$SRC" && DEB_BUILD_OPTIONS="parallel=$(nproc)" \
  timeout 900 dpkg-buildpackage -us -uc) >"$TMP/build.log" 2>&1
rc=$?
echo "# dpkg-buildpackage -us -uc (parallel=$(nproc)): $(($(date +%s) - start)) s"
check "dpkg-buildpackage -us -uc builds the source and binary packages" \
  sh -c "[ $rc = 0 ] || { tail -40 '$TMP/build.log' >&2; false; }"
units=$(grep -cE '^PASS: tests/unit/test_' "$TMP/build.log")
check "... and ran make check-unprivileged's unit tests, all passing ($units, none failed)" \
  sh -c "[ $units -ge 20 ] && ! grep -qE '^(FAIL|ERROR): ' '$TMP/build.log'"
arch=$(dpkg --print-architecture)
DEB_SONAR=$TMP/sonar_${deb_version}_$arch.deb
DEB_LIB=$TMP/libsonar0_${deb_version}_$arch.deb
DEB_DEV=$TMP/libsonar-dev_${deb_version}_$arch.deb
CHANGES=$TMP/sonar_${deb_version}_$arch.changes
made_all() { [ -f "$DEB_SONAR" ] && [ -f "$DEB_LIB" ] && [ -f "$DEB_DEV" ] && [ -f "$CHANGES" ]; }
check "it made sonar, libsonar0 and libsonar-dev .debs and the .changes" made_all
[ "$FAIL" = 0 ] || finish

# ---- lintian: no error (its warnings are shown) ------------------------------
timeout 600 lintian --allow-root "$CHANGES" >"$TMP/lintian" 2>&1
rc=$?
sed 's/^/# lintian: /' "$TMP/lintian"
# (lintian exits 1 on an error, and on its own failure: both fail here)
check "lintian: no E: line on the .changes (source, .dsc and the three .debs; exit $rc)" \
  sh -c "[ $rc = 0 ] && ! grep -q '^E:' '$TMP/lintian'"

# ---- what each package holds ------------------------------------------------
contents() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
has_all() { # has_all DEB PATH...: the package holds every PATH
  local deb=$1 list p
  shift
  list=$(contents "$deb")
  for p in "$@"; do
    grep -qx -- "$p" <<<"$list" || { echo "# $(basename "$deb") lacks $p" >&2; return 1; }
  done
}
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
LIBDIR=/usr/lib/$multiarch
check "sonar holds the program, man page, five themes, bash and zsh completion, README" \
  has_all "$DEB_SONAR" /usr/bin/sonar /usr/share/man/man1/sonar.1.gz \
  /usr/share/sonar/themes/default.theme /usr/share/sonar/themes/dark.theme \
  /usr/share/sonar/themes/light.theme /usr/share/sonar/themes/high-contrast.theme \
  /usr/share/sonar/themes/mono.theme /usr/share/bash-completion/completions/sonar \
  /usr/share/zsh/vendor-completions/_sonar /usr/share/doc/sonar/copyright \
  /usr/share/doc/sonar/README.md.gz
unit_of() { # the exporter's unit as the package holds it
  rm -rf "$TMP/unit" && mkdir "$TMP/unit" && dpkg-deb -x "$DEB_SONAR" "$TMP/unit" &&
    cat "$TMP/unit/lib/systemd/system/sonar-exporter.service"
}
check "sonar holds the exporter's systemd unit, its ExecStart /usr/bin/sonar" eval \
  'unit_of | grep -qx "ExecStart=/usr/bin/sonar exporter --listen :9374 -F /etc/sonar/exporter.targets"'
dpkg-deb -e "$DEB_SONAR" "$TMP/ctl"
# (debhelper's snippets: "enable" enables on first installation, "start"
# starts; --no-enable only keeps an admin's own enabling across upgrades)
check "... neither enabled nor started by the package's postinst" \
  sh -c "grep -q sonar-exporter.service '$TMP/ctl/postinst' &&
    ! grep -qE 'first installation|deb-systemd-invoke start' '$TMP/ctl/postinst'"
lib_only() { ! contents "$DEB_LIB" | grep -qE '\.(h|pc|a|la)$|libsonar\.so$'; }
check "libsonar0 holds the shared library" has_all "$DEB_LIB" "$LIBDIR/libsonar.so.0"
check "libsonar0 holds no development file (header, .pc, .a, .la, .so link)" lib_only
check "libsonar-dev holds sonar.h, sonar.pc, libsonar.so and libsonar.a" \
  has_all "$DEB_DEV" /usr/include/sonar.h "$LIBDIR/pkgconfig/sonar.pc" "$LIBDIR/libsonar.so" \
  "$LIBDIR/libsonar.a"
mkdir "$TMP/x" && dpkg-deb -x "$DEB_LIB" "$TMP/x"
soname=$(objdump -p "$TMP/x$LIBDIR"/libsonar.so.0.* | awk '$1 == "SONAME" {print $2}')
check "libsonar0's library has soname libsonar.so.0 (objdump -p: '$soname')" \
  [ "$soname" = libsonar.so.0 ]
exported=$(objdump -T "$TMP/x$LIBDIR"/libsonar.so.0.* | awk '$4 == ".text" {print $7}')
only_sonar() { [ -n "$exported" ] && ! grep -qv '^sonar_' <<<"$exported"; }
check "libsonar exports only sonar_* functions ($(grep -c . <<<"$exported") of them)" only_sonar
# a public function added or gone shows as dpkg-gensymbols' warning and diff
# (gone fails the build itself); debian/libsonar0.symbols then needs the change
check "debian/libsonar0.symbols lists exactly the library's exports (no dpkg-gensymbols warning)" \
  sh -c "! grep -A30 'dpkg-gensymbols: warning' '$TMP/build.log' >&2"
# A library the program links that Build-Depends does not name was found
# only because this machine had it: a clean build (sbuild, a buildd) makes
# a package without that feature. Each NEEDED library's development
# package (the owner of its .so link) must be in debian/control.
mkdir "$TMP/xs" && dpkg-deb -x "$DEB_SONAR" "$TMP/xs"
undeclared() {
  local so dev missing=
  for so in $(objdump -p "$TMP/xs/usr/bin/sonar" | awk '$1 == "NEEDED" {print $2}'); do
    dev=$(dpkg -S "$LIBDIR/${so%%.so*}.so" 2>/dev/null | head -n 1 | cut -d: -f1)
    case "$dev" in "" | libc6-dev) continue ;; esac # (build-essential)
    grep -qE "^ *$dev( |,|$)" "$top_srcdir/debian/control" || missing="$missing $dev"
  done
  echo "$missing"
}
missing=$(undeclared)
check "Build-Depends names the development package of each library sonar links (missing:${missing:- none})" \
  [ -z "$missing" ]
check "sonar Recommends libpcap0.8 (dlopen()ed) and Depends on libcap2-bin (postinst's setcap)" \
  sh -c "dpkg-deb -f '$DEB_SONAR' Recommends | grep -q libpcap0.8 &&
    dpkg-deb -f '$DEB_SONAR' Depends | grep -q libcap2-bin"

# ---- a fresh machine: a minimal system of this release, from this machine's
# apt sources (mmdebstrap --variant=apt), where apt-get install ./*.deb must
# bring every dependency and sonar must ping as nobody. Built in a directory
# of mmdebstrap's own, with /proc and /dev mounted by it, and thrown away.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -s "$f" ] && sources+=("$f")
done
debs="./$(basename "$DEB_SONAR") ./$(basename "$DEB_LIB") ./$(basename "$DEB_DEV")"
start=$(date +%s)
timeout 600 mmdebstrap --variant=apt --mode=root --quiet \
  --customize-hook="copy-in $DEB_SONAR $DEB_LIB $DEB_DEV /tmp" \
  --customize-hook="chroot \"\$1\" sh -c 'cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y $debs'" \
  --customize-hook='chroot "$1" getcap /usr/bin/sonar' \
  --customize-hook='chroot "$1" runuser -u nobody -- sonar ping -c 2 -i 0.2 127.0.0.1' \
  "$codename" /dev/null "${sources[@]}" >"$TMP/fresh.log" 2>&1
rc=$?
echo "# the fresh system, the install and the ping in it: $(($(date +%s) - start)) s"
sed -n 's/^Setting up \([^ ]*\) .*/\1/p' "$TMP/fresh.log" | tr '\n' ' ' | sed 's/^/# set up there: /; s/$/\n/'
check "a fresh $codename system (mmdebstrap): apt-get install ./*.deb there succeeds" \
  sh -c "[ $rc = 0 ] && grep -q '^Setting up sonar ' '$TMP/fresh.log' || { tail -30 '$TMP/fresh.log' >&2; false; }"
check "there, postinst gave /usr/bin/sonar cap_net_raw" grep -q '^/usr/bin/sonar cap_net_raw[+=]ep' "$TMP/fresh.log"
check "there, runuser -u nobody -- sonar ping -c 2 127.0.0.1: 2 replies" \
  grep -qE 'Packets received: +2' "$TMP/fresh.log"

# ---- install here: apt-get install ./*.deb -----------------------------------
for p in $PKGS; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    not_ok "$p is installed already: this test would remove it; purge it first"
    finish
  fi
done
packages >"$TMP/before"
installed=yes
(cd "$TMP" && timeout 600 apt-get install -y "./$(basename "$DEB_SONAR")" \
  "./$(basename "$DEB_LIB")" "./$(basename "$DEB_DEV")") >"$TMP/install.log" 2>&1
rc=$?
check "apt-get install ./sonar_*.deb ./libsonar0_*.deb ./libsonar-dev_*.deb" \
  sh -c "[ $rc = 0 ] || { tail -20 '$TMP/install.log' >&2; false; }"
grep '^sonar:' "$TMP/install.log" | sed 's/^/# postinst said: /'
check "postinst gave /usr/bin/sonar cap_net_raw (getcap: $(getcap /usr/bin/sonar))" \
  sh -c "getcap /usr/bin/sonar | grep -q 'cap_net_raw[+=]ep'"

# postinst where setcap fails (as on a filesystem without extended
# attributes): the package still configures, and it says what to do.
mkdir "$TMP/failbin" && printf '#!/bin/sh\nexit 1\n' >"$TMP/failbin/setcap" && chmod 755 "$TMP/failbin/setcap"
PATH="$TMP/failbin:$PATH" /var/lib/dpkg/info/sonar.postinst configure 0.1.0-1 >"$TMP/out" 2>&1
rc=$?
sed 's/^/# postinst without setcap said: /' "$TMP/out"
check "postinst where setcap fails: exit 0, and it says how to run sonar (setcap, ping_group_range, root)" \
  sh -c "[ $rc = 0 ] && grep -q 'setcap cap_net_raw+ep /usr/bin/sonar' '$TMP/out' &&
    grep -q ping_group_range '$TMP/out' && grep -q 'run sonar as root' '$TMP/out'"

# ---- sonar from the package, as nobody ---------------------------------------
runuser -u nobody -- /usr/bin/sonar ping -c 2 -i 0.2 127.0.0.1 >"$TMP/out" 2>&1
rc=$?
check "runuser -u nobody -- sonar ping -c 2 127.0.0.1: exit 0, 2 replies" \
  sh -c "[ $rc = 0 ] && grep -qE 'Packets received: +2' '$TMP/out' || { cat '$TMP/out' >&2; false; }"
# In a namespace of its own where ICMP datagram sockets are forbidden
# (ping_group_range is per network namespace): only the capability lets
# nobody ping, and a copy of the program without it must fail.
ip netns add "$NS" && ip -n "$NS" link set lo up &&
  ip netns exec "$NS" sysctl -qw net.ipv4.ping_group_range="1 0"
check "a namespace with ICMP datagram sockets forbidden (ping_group_range 1 0)" \
  [ "$(ip netns exec "$NS" sysctl -n net.ipv4.ping_group_range | tr -s '\t ' ' ')" = "1 0" ]
ip netns exec "$NS" runuser -u nobody -- /usr/bin/sonar ping --privileged -c 2 -i 0.2 127.0.0.1 \
  >"$TMP/out" 2>&1
rc=$?
check "there, nobody's sonar ping --privileged (a raw socket, by cap_net_raw): 2 replies" \
  sh -c "[ $rc = 0 ] && grep -qE 'Packets received: +2' '$TMP/out' || { cat '$TMP/out' >&2; false; }"
cp /usr/bin/sonar "$TMP/nocap" && chmod 755 "$TMP/nocap"
ip netns exec "$NS" runuser -u nobody -- "$TMP/nocap" ping -c 2 -i 0.2 127.0.0.1 >"$TMP/out" 2>&1
rc=$?
check "there, a copy without the capability cannot ping as nobody (exit $rc, says why)" \
  sh -c "[ $rc = 4 ] && grep -q 'ping_group_range' '$TMP/out' || { cat '$TMP/out' >&2; false; }"

# sonar exporter, as nobody: the package is built with its web server
# (libmicrohttpd), and it serves the target's counters.
ip netns exec "$NS" runuser -u nobody -- /usr/bin/sonar exporter --listen 127.0.0.1:9374 -i 0.2 \
  127.0.0.1 >"$TMP/exporter.out" 2>&1 &
XPID=$!
served() { ip netns exec "$NS" curl -s --max-time 5 http://127.0.0.1:9374/metrics >"$TMP/metrics" &&
  grep -qE '^smokeping_requests_total\{host="127\.0\.0\.1".*\} [1-9]' "$TMP/metrics"; }
check "there, nobody's sonar exporter serves 127.0.0.1's counters at /metrics" until_ok 15 served
[ "$FAIL" = 0 ] || sed 's/^/# exporter: /' "$TMP/exporter.out"
{ kill "$XPID" && wait "$XPID"; } 2>/dev/null
XPID=

# The dashboard, as nobody in tmux, finds the packaged themes.
tm_start "ip netns exec $NS runuser -u nobody -- /usr/bin/sonar --theme high-contrast -i 0.2 127.0.0.1" 150 20
check "the dashboard opens with the packaged theme high-contrast" tm_wait 'theme: high-contrast' 10
check "... and its row answers" tm_wait '127\.0\.0\.1 +0\.0%' 10
tm_down
tm_start "ip netns exec $NS runuser -u nobody -- /usr/bin/sonar --theme nosuch 127.0.0.1" 150 20
check "an unknown theme is looked for in /usr/share/sonar/themes" \
  tm_wait "no theme 'nosuch' \(looked in /usr/share/sonar/themes\)" 10
tm_down

# The completions, where bash-completion and zsh look for them.
out=$(env -i HOME="$TMP" PATH=/usr/bin:/bin bash --norc -c '
  . /usr/share/bash-completion/bash_completion
  _completion_loader sonar
  COMP_WORDS=(sonar --theme high); COMP_CWORD=2; _sonar; printf "%s\n" "${COMPREPLY[@]}"')
check "bash-completion loads sonar's: 'sonar --theme high' completes high-contrast ('$out')" \
  [ "$out" = high-contrast ]
check "zsh's default fpath holds /usr/share/zsh/vendor-completions, with _sonar" \
  sh -c "zsh -fc 'print -l \$fpath' | grep -qx /usr/share/zsh/vendor-completions &&
    [ -f /usr/share/zsh/vendor-completions/_sonar ]"
check "man sonar's page is installed (gzip, .TH sonar)" \
  sh -c "zcat /usr/share/man/man1/sonar.1.gz | grep -qi '^\.TH sonar'"

# ---- the installed library: pkg-config, cc, run ------------------------------
cat >"$TMP/tiny.c" <<'EOF'
#include <sonar.h>
#include <stdio.h>

int main(void)
{
	struct sonar_options o;
	struct sonar_host h;

	sonar_ping_defaults(&o);
	o.count = 2;
	o.interval = 0.2;
	if (sonar_ping("127.0.0.1", &o, &h) < 0) {
		fprintf(stderr, "%s\n", sonar_last_error());
		return 1;
	}
	int ok = h.packets_received == 2;

	printf("%s %d/%d\n", h.address, h.packets_received, h.packets_sent);
	sonar_host_clear(&h);
	return ok ? 0 : 1;
}
EOF
flags=$(env -u PKG_CONFIG_PATH pkg-config --cflags --libs sonar)
check "pkg-config --cflags --libs sonar: '$flags'" [ -n "$flags" ]
# (a sonar.pc of `make install` in /usr/local would come first)
pcdir=$(env -u PKG_CONFIG_PATH pkg-config --variable=libdir sonar)
check "pkg-config reads the packaged sonar.pc (libdir '$pcdir')" [ "$pcdir" = "$LIBDIR" ]
# shellcheck disable=SC2086 # pkg-config's flags
cc -o "$TMP/tiny" "$TMP/tiny.c" $flags 2>"$TMP/cc.err"
check "a tiny program compiles and links against the installed libsonar-dev" \
  sh -c "[ -x '$TMP/tiny' ] || { cat '$TMP/cc.err' >&2; false; }"
# (/lib is /usr/lib where /usr is merged)
check "it loads the packaged $LIBDIR/libsonar.so.0 (ldd: $(ldd "$TMP/tiny" | grep -o 'libsonar[^(]*'))" \
  sh -c "ldd '$TMP/tiny' | grep -qE 'libsonar\.so\.0 => (/usr)?/lib/$multiarch/libsonar\.so\.0 '"
out=$("$TMP/tiny" 2>&1)
check "it pings 127.0.0.1 through the installed library ('$out')" [ "$out" = "127.0.0.1 2/2" ]

# ---- purge ---------------------------------------------------------------------
purge
packages >"$TMP/end"
check "purged: the installed packages are what they were before the install" \
  sh -c "diff '$TMP/before' '$TMP/end' >&2"
check "purged: /usr/bin/sonar, libsonar and sonar.h are gone" \
  sh -c "[ ! -e /usr/bin/sonar ] && [ ! -e $LIBDIR/libsonar.so.0 ] && [ ! -e /usr/include/sonar.h ]"
finish
