#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The upstream backend against the core's interval strategy, in the same
# boots: odp_race's scripted executions per second (each script's "runs/s")
# and odp_explore's schedules per second, per script and per actor set,
# ROUNDS times (default 3). Prints, per script and set, the median rate
# on interval and on upstream and the median of the per-boot ratio
# (upstream / interval), then the medians over all of them. The kernel is
# built once, in its own build folder (ODP_BENCH_BUILD_DIR=.build/um reuses
# the default one).
#
#   tools/bench/upstream_bench.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
build=${ODP_BENCH_BUILD_DIR:-.build/bench-upstream}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

./tools/testing/kunit/kunit.py build --build_dir="$build" >"$out/build" 2>&1 ||
	{ tail -n 30 "$out/build"; exit 1; }

for r in $(seq "$rounds"); do
	for glob in odp_race odp_explore; do
		./tools/testing/kunit/kunit.py exec --build_dir="$build" "$glob" \
			>"$out/run" 2>&1 || { tail -n 30 "$out/run"; exit 1; }
		cat "$build/test.log" >>"$out/klog-$r"
	done
done

python3 - "$out" "$rounds" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
pat = re.compile(r'(S\d+|E\d+) on (interval|upstream): .*?(\d+) (?:runs|schedules)/s')
rates = {}	# name -> backend -> [rate per round]
for r in range(1, rounds + 1):
	for line in open(f'{out}/klog-{r}', errors='replace'):
		m = pat.search(line)
		if m:
			rates.setdefault(m[1], {}).setdefault(m[2], []).append(int(m[3]))
print(f'{"":6} {"interval/s":>11} {"upstream/s":>11} {"ratio":>6}')
ratios = {'S': [], 'E': []}
for name in sorted(rates, key=lambda n: (n[0], int(n[1:]))):
	b = rates[name]
	if len(b.get('interval', [])) != rounds or len(b.get('upstream', [])) != rounds:
		continue
	ratio = statistics.median(u / max(i, 1) for i, u in zip(b['interval'], b['upstream']))
	ratios[name[0]].append(ratio)
	print(f'{name:6} {statistics.median(b["interval"]):11.0f} '
	      f'{statistics.median(b["upstream"]):11.0f} {ratio:6.2f}')
for k, what in (('S', 'scripted executions'), ('E', 'explored schedules')):
	if ratios[k]:
		print(f'{what}: median upstream/interval ratio {statistics.median(ratios[k]):.2f} '
		      f'over {len(ratios[k])}')
PY
