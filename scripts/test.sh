#!/usr/bin/env bash
# The test command (README): installs what is missing, builds with the
# sanitizers, then runs the unit tests, a short smoke run of every fuzz
# harness, and the end-to-end tests in network namespaces. It ends with one
# line "N passed, N failed" and fails when anything failed.
#
#   scripts/test.sh            everything
#   scripts/test.sh unit|fuzz|e2e|bench|checks [pytest args...]   one part
# FUZZ_SECONDS (default 5) sets each harness's smoke time.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

if [ "$(id -u)" != 0 ]; then
	echo "scripts/test.sh: run as root (the end-to-end tests create network namespaces)" >&2
	exit 2
fi
part=${1:-all}
[ $# -gt 0 ] && shift
vpgd_install_deps || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
failures=()
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL: $1"; }

build() {
	make -s -j2 SAN=1 all unit && make -s -j2 fuzz
}

run_unit() {
	local bin out
	for bin in build-san/tests/test_*; do
		[[ $bin == *.d ]] && continue # the compiler's list of what a test includes
		out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$bin" 2>&1)
		echo "$out" | grep -E '^(not )?ok ' | sed "s|^|$(basename "$bin"): |"
		passed=$((passed + $(echo "$out" | grep -cE '^ok ')))
		while read -r line; do
			fail "$(basename "$bin"): $line"
		done < <(echo "$out" | grep -E '^not ok ')
		# A crash before the summary counts as a failure of the whole binary.
		echo "$out" | grep -qE '^1\.\.[0-9]+' || fail "$(basename "$bin"): no test summary"
	done
}

run_fuzz() {
	local bin name work secs=${FUZZ_SECONDS:-5}
	for bin in build-fuzz/fuzz_*; do
		name=${bin#build-fuzz/fuzz_}
		work=$(mktemp -d)
		# Known findings first: each must run clean.
		if [ -d "tests/fuzz/regress/$name" ] && ls "tests/fuzz/regress/$name"/* >/dev/null 2>&1; then
			if "$bin" -runs=1 "tests/fuzz/regress/$name"/* >"$work/regress.log" 2>&1; then
				pass
			else
				tail -20 "$work/regress.log"
				fail "fuzz_$name regressions"
			fi
		fi
		if "$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
		    -artifact_prefix="$work/" "$work" "tests/fuzz/corpus/$name" >"$work/fuzz.log" 2>&1; then
			echo "fuzz_$name: $(grep -E '^#[0-9]+.*DONE' "$work/fuzz.log" | tail -1)"
			pass
		else
			tail -30 "$work/fuzz.log"
			fail "fuzz_$name (artifacts in $work)"
			continue
		fi
		rm -rf "$work"
	done
}

run_e2e() {
	local xml
	xml=$(mktemp)
	/usr/bin/python3 -m pytest -p no:cacheprovider -v --durations=25 --junitxml="$xml" tests/e2e "$@"
	# A pytest that died before writing its report is a failure, never an end without a summary.
	if ! read -r p f < <(/usr/bin/python3 tests/e2e/junit_count.py "$xml") || [ -z "${f:-}" ]; then
		fail "e2e: pytest ended without a report"
		rm -f "$xml"
		return
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures+=("e2e: $f failed")
	rm -f "$xml"
}

# The benchmark in its quick form, so that it cannot rot: it checks that every
# figure is produced and non-zero, never a speed.
run_bench() {
	if bench/run --quick; then pass; else fail "bench/run --quick"; fi
}

run_checks() {
	if make -s format-check; then pass; else fail "clang-format"; fi
	if make -s lint; then pass; else fail "cppcheck"; fi
	if scripts/check-layers.sh; then pass; else fail "layers (scripts/check-layers.sh)"; fi
	if scripts/check-prefetch.sh; then pass; else fail "prefetches (scripts/check-prefetch.sh)"; fi
}

if ! build; then
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
fi
case $part in
all) run_checks; run_unit; run_fuzz; run_e2e "$@"; run_bench ;;
unit) run_unit ;;
fuzz) run_fuzz ;;
e2e) run_e2e "$@" ;;
bench) run_bench ;;
checks) run_checks ;;
*) echo "unknown part: $part" >&2; exit 2 ;;
esac

for f in "${failures[@]}"; do echo "failed: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
