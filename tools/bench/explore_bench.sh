#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The explorer's speed: odp_explore with the default parameters (plus any
# given as kernel arguments), on one kernel (--shards=1) and on two side
# by side (--shards=2), alternately, ROUNDS times (default 3). Prints, per
# round, each kernel's schedules per second (every schedule of every case
# with the oracle after every step, over the cases' own time) and the wall
# time of the explore boots; then the medians and the shard speed-up
# (wall time with one kernel / with two).
#
#   tools/bench/explore_bench.sh [ROUNDS] ['odp_kunit.explore_... ...']
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
kargs=${2:-}
build=.build/bench-explore
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

./tools/testing/kunit/kunit.py build --build_dir="$build" >"$out/build" 2>&1 ||
	{ tail -n 30 "$out/build"; exit 1; }

run() {	# $1: shards, $2: round
	local t0 t1
	t0=$(date +%s.%N)
	./tools/testing/kunit/kunit.py exec --shards="$1" --build_dir="$build" \
		${kargs:+--kernel_args "$kargs"} 'odp_explore' >"$out/log-$1-$2" 2>&1 ||
		{ tail -n 30 "$out/log-$1-$2"; exit 1; }
	t1=$(date +%s.%N)
	cat "$build"/shard-*-of-"$1"/test.log >"$out/klog-$1-$2"
	python3 - "$out/klog-$1-$2" "$1" "$2" "$t0" "$t1" <<'PY'
import re, sys
log, shards, rnd, t0, t1 = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
n = ms = 0
for line in open(log, errors='replace'):
	m = re.search(r'E\d+ on \w+: (dfs|pct), (\d+) schedules .* (\d+) ms, \d+ schedules/s', line)
	if m:
		n += int(m[2])
		ms += int(m[3])
print(f'shards={shards} round={rnd} schedules={n} case_ms={ms} '
      f'per_kernel={1000.0 * n / max(ms, 1):.0f}/s wall={t1 - t0:.1f}')
PY
}

for r in $(seq "$rounds"); do
	run 1 "$r"
	run 2 "$r"
done | tee "$out/all"

python3 - "$out/all" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
	m = re.search(r'shards=(\d) round=\d+ schedules=(\d+) case_ms=(\d+) per_kernel=\S+ wall=(\S+)', line)
	if m:
		rows.setdefault(m[1], []).append((int(m[2]), int(m[3]), float(m[4])))
for s, r in sorted(rows.items()):
	rate = statistics.median(1000.0 * n / ms for n, ms, _ in r)
	wall = statistics.median(w for _, _, w in r)
	print(f'{s} kernel(s): {r[0][0]} schedules, median {rate:.0f} schedules/s per kernel '
	      f'(case time summed over the kernels), median wall {wall:.1f} s')
if '1' in rows and '2' in rows:
	speed = [a[2] / b[2] for a, b in zip(rows['1'], rows['2'])]
	print(f'shard speed-up (wall 1 kernel / 2 kernels): median {statistics.median(speed):.2f} '
	      f'(runs: {", ".join(f"{x:.2f}" for x in speed)})')
PY
