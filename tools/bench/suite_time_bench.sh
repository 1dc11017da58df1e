#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What suites cost in a run: boots the default kernel (or the one the
# launcher options select: --debug, --arch=x86_64, --kcsan) ROUNDS times
# (default 3) for each glob and prints the median of KUnit's "running"
# time, in seconds, per glob. The kernel is built once per configuration;
# the numbers are only the boots.
#
#   tools/bench/suite_time_bench.sh [LAUNCHER-OPTION...] [ROUNDS] GLOB...
#   tools/bench/suite_time_bench.sh 3 'odp_fail_nth' 'odp_race_nonblock'
#   tools/bench/suite_time_bench.sh --arch=x86_64 3 'odp_race'
set -euo pipefail
cd "$(dirname "$0")/../.."
debug=()
while [ "${1:-}" != "${1#--}" ]; do
	debug+=("$1")
	shift
done
rounds=${1:-3}
shift || true
[ $# -gt 0 ] || { echo "usage: $0 [LAUNCHER-OPTION...] [ROUNDS] GLOB..." >&2; exit 2; }

for glob in "$@"; do
	for r in $(seq "$rounds"); do
		log=$(./tools/testing/kunit/kunit.py run "${debug[@]}" "$glob" 2>&1) ||
			{ printf '%s\n' "$log" | tail -n 30; exit 1; }
		printf '%s\n' "$log" | grep -o '[0-9.]*s running' | head -n 1
	done | python3 -c '
import statistics, sys
t = [float(l.split("s")[0]) for l in sys.stdin if l.strip()]
print("%-28s median %.3f s of %d boots (%s)" % (sys.argv[1], statistics.median(t), len(t),
      " ".join("%.3f" % x for x in t)))' "$glob"
done
