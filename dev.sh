#!/usr/bin/env bash
# dev.sh: one-command set-up for developers and CI.
#   ./dev.sh check   install dependencies, build, run every test (make check)
#   ./dev.sh lab     install dependencies, build, start a 3-node lab and open
#                    kubewiz on it, pre-filled
#   ./dev.sh deps    only install the build and test dependencies
#   ./dev.sh build   only build (in ./build)
set -euo pipefail
cd "$(dirname "$0")"
top=$PWD
build=${KUBEWIZ_BUILD:-$top/build}

deps() {
	local pkgs=(build-essential autoconf automake autopoint gettext pkg-config
		libncurses-dev libssh-dev libyaml-dev libcmocka-dev
		openssh-server openssh-client shellcheck tmux iproute2 util-linux
		procps psmisc locales groff-base python3 python3-yaml sudo openssl
		ansible-core pssh time strace valgrind clang)
	local missing=()
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "dev.sh: missing packages: ${missing[*]} (run as root or install them)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
	[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] || autoreconf -fi
	mkdir -p "$build"
	cd "$build"
	[ -f Makefile ] || "$top/configure" --enable-werror ${KUBEWIZ_CONFIGURE_FLAGS:-}
	make -j"$(nproc)"
	cd "$top"
}

case "${1:-}" in
deps)	deps ;;
build)	deps; build ;;
check)	deps; build; cd "$build"; make -j"${KUBEWIZ_CHECK_JOBS:-$(nproc)}" check ;;
lab)	deps; build
	"$top/tests/lab/lab" up 3
	cfg=$(mktemp /tmp/kubewiz-lab.XXXXXX.yaml)
	"$top/tests/lab/lab" config > "$cfg"
	exec "$build/kubewiz" install -f "$cfg" ;;
*)	sed -n '2,8p' "$0" >&2; exit 2 ;;
esac
