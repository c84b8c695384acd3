#!/usr/bin/env bash
# The run command (README): installs what is missing, builds vpgd, and brings
# up the enterprise scenario in network namespaces:
#
#   device (sgsnemu, 10.10.0.x) --GTP--> vpgd --VXLAN--> gate peer --LAN--> app (10.0.0.10)
#
# The device attaches over GTP and gets an address from 10.10.0.0/16; vpgd
# redirects all its traffic through the gate peer (Junction Redirection); the
# app server routes 10.10.0.0/16 to the peer. The app pings the device and
# the device pings the app, and a capture on the app shows the device's own
# address as the source. Everything it makes is removed when it ends.
#
# VPGD and VPGCTL choose the binaries (default: build/vpgd and build/vpgctl,
# built first); with both set, nothing is built, so that the scenario runs
# the installed package's: VPGD=/usr/sbin/vpgd VPGCTL=/usr/bin/vpgctl.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

if [ "$(id -u)" != 0 ]; then
	echo "scripts/run.sh: run as root (it creates network namespaces)" >&2
	exit 2
fi
vpgd_install_deps
if [ -z "${VPGD:-}" ] || [ -z "${VPGCTL:-}" ]; then
	make -s -j2
fi
vpgd=${VPGD:-build/vpgd}
vpgctl=${VPGCTL:-build/vpgctl}

tag="vpgdemo$$"
gw="${tag}gw" sgsn="${tag}sgsn" peer="${tag}peer" app="${tag}app"
work=$(mktemp -d)
cleanup() {
	for ns in "$app" "$peer" "$sgsn" "$gw"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
on() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# A veth pair from namespace $1 (named $2, address $3) to namespace $4 (named $5, address $6).
wire() {
	ip link add name "${tag}x" type veth peer name "${tag}y"
	ip link set "${tag}x" netns "$1"
	ip link set "${tag}y" netns "$4"
	on "$1" ip link set "${tag}x" name "$2"
	on "$4" ip link set "${tag}y" name "$5"
	on "$1" ip addr add "$3" dev "$2"
	on "$4" ip addr add "$6" dev "$5"
	on "$1" ip link set "$2" up
	on "$4" ip link set "$5" up
	# Virtual links leave checksums to absent hardware; have the kernel write them.
	on "$1" ethtool -K "$2" tx off >/dev/null
	on "$4" ethtool -K "$5" tx off >/dev/null
}

step "hosts: SGSN 192.0.2.11 | vpgd 192.0.2.1 and 198.51.100.1 | gate peer 198.51.100.3, LAN 10.0.0.1 | app 10.0.0.10"
for ns in "$gw" "$sgsn" "$peer" "$app"; do
	ip netns add "$ns"
	on "$ns" ip link set lo up
done
wire "$sgsn" eth0 192.0.2.11/24 "$gw" gtp0 192.0.2.1/24
wire "$peer" eth0 198.51.100.3/24 "$gw" gate0 198.51.100.1/24
wire "$peer" lan0 10.0.0.1/16 "$app" eth0 10.0.0.10/16

step "the gate peer: a Linux host with the kernel's VXLAN, forwarding between the overlay and the LAN"
cat <<'LINES'
ip link add vxlan0 type vxlan id 10 dstport 4789 local 198.51.100.3 dev eth0
bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 198.51.100.1
ip addr add 10.10.10.10/16 dev vxlan0
ip link set vxlan0 up
sysctl -w net.ipv4.ip_forward=1
LINES
on "$peer" ip link add vxlan0 type vxlan id 10 dstport 4789 local 198.51.100.3 dev eth0
on "$peer" bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 198.51.100.1
on "$peer" ip addr add 10.10.10.10/16 dev vxlan0
on "$peer" ip link set vxlan0 up
on "$peer" sysctl -qw net.ipv4.ip_forward=1
step "the app server: ip route add 10.10.0.0/16 via 10.0.0.1"
on "$app" ip route add 10.10.0.0/16 via 10.0.0.1

cat >"$work/vpgd.json" <<JSON
{
  "deviceSubnetCidrRange": "10.10.0.0/16",
  "gatewayAddress": "10.10.0.1",
  "gtp":  { "listenAddress": "192.0.2.1" },
  "gate": { "listenAddress": "198.51.100.1" },
  "stateDirectory": "$work/state"
}
JSON
step "$vpgd -c vpgd.json"
cat "$work/vpgd.json"
# Disowned, so that cleanup kills it without a job report.
on "$gw" "$vpgd" -c "$work/vpgd.json" >"$work/vpgd.out" 2>&1 &
disown
for _ in $(seq 50); do grep -q "ready" "$work/vpgd.out" && break; sleep 0.1; done
grep "ready" "$work/vpgd.out"

step "configure vpgd with vpgctl: open the gate, register the peer, redirect through it"
for cmd in "gate open --vxlan-id 10" \
	"gate peers add --outer 198.51.100.3 --inner 10.10.10.10" \
	"redirection set --gateway 10.10.10.10 --description enterprise-lan"; do
	echo "\$ vpgctl $cmd"
	# shellcheck disable=SC2086
	on "$gw" "$vpgctl" $cmd
done

step "sgsnemu attaches a device (IMSI 999010000000001) over GTP"
timeout -s KILL 60 ip netns exec "$sgsn" stdbuf -oL sgsnemu -l 192.0.2.11 -r 192.0.2.1 \
	--createif --defaultroute --imsi 999010000000001 --timelimit 30 --statedir "$work" \
	--pidfile "$work/sgsnemu.pid" >"$work/sgsnemu.out" 2>&1 &
disown
addr=""
for _ in $(seq 100); do
	addr=$(on "$sgsn" ip -4 -o addr show dev tun0 2>/dev/null | awk '{print $4}' | cut -d/ -f1 ||
		true)
	[ -n "$addr" ] && break
	sleep 0.1
done
[ -n "$addr" ] || { cat "$work/sgsnemu.out"; echo "the device did not attach" >&2; exit 1; }
echo "device address: $addr"
on "$gw" "$vpgctl" sessions list

# The capture on the app stops by itself: 3 requests and 3 replies each way.
on "$app" tshark -q -n -i eth0 -f icmp -c 12 -a duration:30 -w "$work/app.pcap" 2>"$work/tshark.err" &
tshark_pid=$!
for _ in $(seq 100); do grep -q "Capturing" "$work/tshark.err" && break; sleep 0.1; done
sleep 0.5

step "the app (10.0.0.10) pings the device ($addr)"
on "$app" ping -c 3 -i 0.3 -W 2 "$addr"
step "the device ($addr) pings the app (10.0.0.10)"
on "$sgsn" ping -c 3 -i 0.3 -W 2 10.0.0.10

step "captured on the app server: the device's own address, no NAT"
wait "$tshark_pid" || true
tshark -n -r "$work/app.pcap" -T fields -E separator=' ' -e ip.src -e ip.dst -e icmp.type 2>/dev/null |
	awk '{ printf "  %-12s -> %-12s ICMP %s\n", $1, $2, ($3 == 8 ? "echo request" : "echo reply") }'

step "vpgd counters"
on "$gw" "$vpgctl" stats | grep -vE ' 0$' | grep -E 'redirect|gate|vxlan|uplink|downlink|session'
echo
echo "done: namespaces and processes are removed on exit"
