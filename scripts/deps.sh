#!/usr/bin/env bash
# Installs, from Debian, whatever of the build and test dependencies is missing.
# Sourced by scripts/run.sh and scripts/test.sh; safe to run again and again.
set -euo pipefail

VPGD_PACKAGES=(
	# build
	gcc make pkg-config libjansson-dev libcmocka-dev libsqlite3-dev libmicrohttpd-dev
	libcurl4-openssl-dev libnftables-dev libndpi-dev
	# the XDP fast path: libbpf, and bpftool for its skeleton (clang, below, compiles it)
	libbpf-dev bpftool
	# fuzzing: clang with the libFuzzer and sanitizer runtimes
	clang libclang-rt-14-dev
	# code checks
	clang-format cppcheck
	# end-to-end peers and tools
	osmo-ggsn nfdump tshark iproute2 iputils-ping procps coreutils curl ethtool iperf3 nftables python3
	python3-pytest python3-scapy
	# the web console's browser tests: headless chromium driven by selenium
	chromium chromium-driver python3-selenium
	# the Debian package (make deb) and its unit's check (tests/e2e/test_package.py)
	debhelper lintian systemd
	# what ../shared/peers/open5gs's SMF and UPF load (the PFCP tests' control plane)
	libtalloc2 libyaml-0-2 libmicrohttpd12 libnghttp2-14 libcurl3-gnutls libgnutls30 libidn12
	libsctp1 libtins4.0 libgcrypt20 libpcap0.8
)

# The unprivileged user vpgd's gateway process runs as once root has set up
# (the bootstrap file's "user", default vpgd).
vpgd_create_user() {
	getent passwd vpgd >/dev/null && return 0
	echo "creating the system user vpgd"
	useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vpgd
}

vpgd_install_deps() {
	local missing=()
	vpgd_create_user
	for p in "${VPGD_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	# tshark asks whether non-root users may capture; answer before it asks.
	echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	vpgd_install_deps
fi
