#!/usr/bin/env bash
# The run command (README): installs what is missing, builds vpgd, and brings
# up a small network in namespaces: a device attaches over GTP through
# sgsnemu (the SGSN), gets an address from the device subnet, and pings the
# gateway; a capture shows the tunnelled packets with their addresses.
# Everything it makes is removed when it ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

if [ "$(id -u)" != 0 ]; then
	echo "scripts/run.sh: run as root (it creates network namespaces)" >&2
	exit 2
fi
vpgd_install_deps
make -s -j2

tag="vpgdemo$$"
gw="${tag}gw" sgsn="${tag}sgsn"
work=$(mktemp -d)
cleanup() {
	for ns in "$sgsn" "$gw"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "network: SGSN host 192.0.2.11 <-> gateway host 192.0.2.1 (GTP), device subnet 10.10.0.0/16"
ip netns add "$gw"
ip netns add "$sgsn"
ip link add name "${tag}a" type veth peer name "${tag}b"
ip link set "${tag}a" netns "$sgsn"
ip link set "${tag}b" netns "$gw"
ip -n "$sgsn" link set lo up
ip -n "$gw" link set lo up
ip -n "$sgsn" addr add 192.0.2.11/24 dev "${tag}a"
ip -n "$gw" addr add 192.0.2.1/24 dev "${tag}b"
ip -n "$sgsn" link set "${tag}a" up
ip -n "$gw" link set "${tag}b" up

cat >"$work/vpgd.json" <<JSON
{
  "deviceSubnetCidrRange": "10.10.0.0/16",
  "gatewayAddress": "10.10.0.1",
  "gtp": { "listenAddress": "192.0.2.1" },
  "stateDirectory": "$work/state"
}
JSON
step "vpgd -c vpgd.json"
cat "$work/vpgd.json"
# Started in subshells, so that they are not this shell's jobs: cleanup kills them quietly.
(ip netns exec "$gw" build/vpgd -c "$work/vpgd.json" >"$work/vpgd.out" 2>&1 &)
for _ in $(seq 50); do grep -q "ready" "$work/vpgd.out" && break; sleep 0.1; done
cat "$work/vpgd.out"

# Three echo requests and three replies: the capture stops by itself after six packets.
ip netns exec "$gw" tshark -q -n -i "${tag}b" -f "udp port 2152" -c 6 -a duration:30 \
	-w "$work/gtpu.pcap" 2>"$work/tshark.err" &
tshark_pid=$!
for _ in $(seq 100); do grep -q "Capturing" "$work/tshark.err" && break; sleep 0.1; done

step "sgsnemu attaches a device (IMSI 999010000000001) and creates tun0"
(cd "$work" && timeout -s KILL 40 ip netns exec "$sgsn" stdbuf -oL sgsnemu -l 192.0.2.11 \
	-r 192.0.2.1 --createif --defaultroute --imsi 999010000000001 --timelimit 8 \
	--statedir "$work" --pidfile "$work/sgsnemu.pid" >"$work/sgsnemu.out" 2>&1 &)
addr=""
for _ in $(seq 100); do
	addr=$(ip -n "$sgsn" -4 -o addr show dev tun0 2>/dev/null | awk '{print $4}' | cut -d/ -f1)
	[ -n "$addr" ] && break
	sleep 0.1
done
[ -n "$addr" ] || { cat "$work/sgsnemu.out"; echo "the device did not attach" >&2; exit 1; }
echo "device address: $addr"

step "the device pings the gateway's own address 10.10.0.1 through the GTP tunnel"
ip netns exec "$sgsn" ping -c 3 -i 0.3 -W 2 10.10.0.1

step "on the wire (GTP-U between SGSN and gateway, inner addresses untouched)"
wait "$tshark_pid" || true
tshark -n -r "$work/gtpu.pcap" -T fields -E separator=, \
	-e ip.src -e ip.dst -e gtp.teid -e icmp.type 2>/dev/null |
	awk -F, '{ printf "outer %s -> %s  TEID %s | inner %s -> %s  ICMP %s\n", \
		$1, $3, $5, $2, $4, ($6 == 8 ? "echo request" : "echo reply") }'

step "vpgd counters (SIGUSR1)"
pkill -USR1 -f "build/vpgd -c $work/vpgd.json"
sleep 0.3
sed -n '/counters begin/,/counters end/p' "$work/vpgd.out" | grep -v ' 0$' | grep -v '^counters'
echo
echo "done: namespaces and processes are removed on exit"
