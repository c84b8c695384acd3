#!/usr/bin/env bash
# The forwarding path's prefetches are in the optimised binary. A prefetch
# changes no memory, so a compiler may find a function of prefetches alone
# "pure" and delete every call to it (GCC 12 did, silently, and a lookup
# among 100,000 sessions went back to two cache misses a packet). Fails when
# a function below has no prefetch instruction left.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-build/vpgd}
# The optimised build is the one that forwards (and the one bench/ measures).
[ $# -gt 0 ] || make -s -j2 >/dev/null || exit 1
FUNCTIONS="session_prefetch_teids session_prefetch_ips"
status=0
for fn in $FUNCTIONS; do
	if ! objdump -d --no-show-raw-insn "--disassemble=$fn" "$BIN" | grep -qE '^ +[0-9a-f]+:[[:space:]]+prefetch'; then
		echo "check-prefetch: $fn in $BIN has no prefetch instruction"
		status=1
	fi
done
exit $status
