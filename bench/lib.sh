# Shell helpers bench/run and bench/fastpath share. Sourced; nothing runs here.

on() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}
say() { printf '%s\n' "$*" >&2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

# CPU time of every thread of a process, in ns (the sum of utime and stime at
# the scheduler's resolution rather than the tick's).
cpu_ns() {
	local sum=0 t
	for t in /proc/"$1"/task/*/schedstat; do
		sum=$((sum + $(cut -d' ' -f1 "$t" 2>/dev/null || echo 0)))
	done
	echo $sum
}

# CPU 1 in ticks: "busy total", whoever ran on it.
core1() { awk '$1 == "cpu1" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }

# The gateway process of a vpgd started as PID: PID, or a child of it (a vpgd
# that forks at start-up keeps a root parent and runs the gateway in an
# unprivileged child), whichever has the thread vpgd-control; while no such
# thread is up (at most 5 s), PID's child if it has one, else PID.
gateway_of() {
	local p c
	for _ in $(seq 100); do
		for p in "$1" $(pgrep -P "$1" || true); do
			if grep -qx vpgd-control /proc/"$p"/task/*/comm 2>/dev/null; then
				echo "$p"
				return
			fi
		done
		sleep 0.05
	done
	c=$(pgrep -P "$1" | head -1 || true)
	echo "${c:-$1}"
}

# Moves the control and log threads of the gateway process PID to CPU 0 and
# leaves the forwarding thread where taskset put it. The threads start just
# after vpgd logs "ready", so their names are waited for (at most 5 s).
threads_off_core() { # gateway-pid
	local t c n
	for _ in $(seq 100); do
		n=$(cat /proc/"$1"/task/*/comm 2>/dev/null | grep -cx 'vpgd-control\|vpgd-log' || true)
		[ "${n:-0}" -lt 2 ] || break
		sleep 0.05
	done
	n=0
	for t in /proc/"$1"/task/*; do
		c=$(cat "$t/comm" 2>/dev/null || true)
		case $c in
		vpgd-control | vpgd-log) taskset -p -c 0 "${t##*/}" >/dev/null && n=$((n + 1)) ;;
		esac
	done
	[ $n -gt 0 ] || say "bench: vpgd $1 has no control or log thread: all of it stays on CPU 1"
}

child_of() { # the process that timeout started
	local p
	for _ in $(seq 50); do
		p=$(pgrep -P "$1" | head -1) && [ -n "$p" ] && {
			echo "$p"
			return
		}
		sleep 0.05
	done
	return 1
}

wait_ready() { # log
	for _ in $(seq 200); do grep -q "ready" "$1" && return 0; sleep 0.1; done
	cat "$1" >&2
	echo "bench: vpgd did not start" >&2
	exit 1
}

lim() { # offered delivered busy core_busy
	awk -v o="$1" -v d="$2" -v b="$3" -v x="$4" 'BEGIN {
		if (d >= 0.98 * o && b >= 0.85) print "both (generator and gateway saturated)";
		else if (d >= 0.98 * o) print "generator"; else if (b >= 0.85) print "gateway";
		else if (x >= 0.85) printf "its core, shared (the gateway %.0f%% of it, others %.0f%%)\n", b * 100, (x - b) * 100;
		else print "neither (drops below saturation)" }'
}
