#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the disarmed sync points cost on the fault path: the
# odp_core_bench warm one-page fault in a
# build with CONFIG_ODP_SYNC_POINTS=y against one without, run
# alternately in one session, ROUNDS times (default 3); prints each run's
# numbers and, per strategy, the ratio with/without of the medians and of
# the best runs (1.00 = free; the machine's noise is one-sided, so the
# best runs are the steadier comparison).
#
#   tools/bench/sync_points_bench.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() {	# $1: y or n, $2: round
	./tools/testing/kunit/kunit.py run --kconfig_add=CONFIG_ODP_BENCH=y \
		--kconfig_add=CONFIG_ODP_SYNC_POINTS="$1" \
		--build_dir=".build/bench-sp$1" --raw_output=all \
		'odp_core_bench.odpt_bench_fault_warm' >"$out/log-$1-$2" 2>&1 ||
		{ tail -n 30 "$out/log-$1-$2"; exit 1; }
	grep -o 'odp_bench: .*' "$out/log-$1-$2" | sed "s/^/sp=$1 round=$2 /"
}

for r in $(seq "$rounds"); do
	run y "$r"
	run n "$r"
done | tee "$out/all"

python3 - "$out/all" <<'PY'
import re, statistics, sys
ns = {}
for line in open(sys.argv[1]):
	m = re.search(r'sp=(\w) round=(\d+) odp_bench: (\S+) fault_warm_1page ns=(\d+)', line)
	if m:
		ns.setdefault((m[3], m[1]), []).append(int(m[4]))
for strat in sorted({k[0] for k in ns}):
	y, n = ns.get((strat, 'y'), []), ns.get((strat, 'n'), [])
	if y and n:
		ratio = statistics.median(y) / statistics.median(n)
		best = min(y) / min(n)
		print(f'{strat:12} warm fault ns: median with {statistics.median(y):.0f}, '
		      f'without {statistics.median(n):.0f}, ratio {ratio:.3f}; '
		      f'best with {min(y)}, without {min(n)}, ratio {best:.3f}')
PY
