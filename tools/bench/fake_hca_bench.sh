#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fake HCA benchmarks: build the test kernel with CONFIG_ODP_BENCH in its
# own build folder, run the fake_hca_bench suite RUNS times (default 3),
# and print the median of every "odp-bench:" figure.
#
# Usage: tools/bench/fake_hca_bench.sh [RUNS]   (from the project root)

set -e
RUNS=${1:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

i=1
while [ "$i" -le "$RUNS" ]; do
	./tools/testing/kunit/kunit.py run --kconfig_add=CONFIG_ODP_BENCH=y \
		--build_dir=.build/bench --raw_output=all 'fake_hca_bench*' \
		> "$OUT/run$i.log" 2>&1 || {
		echo "run $i failed; log:" >&2
		tail -40 "$OUT/run$i.log" >&2
		exit 1
	}
	grep -o 'odp-bench: .*' "$OUT/run$i.log" >> "$OUT/all" || true
	i=$((i + 1))
done

python3 - "$OUT/all" "$RUNS" <<'PY'
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
	fields = dict(f.split('=', 1) for f in line.split()[1:] if '=' in f)
	ident = tuple((k, fields.pop(k)) for k in ('test', 'strategy', 'mode')
		      if k in fields)
	for k, v in fields.items():
		rows.setdefault(ident, {}).setdefault(k, []).append(int(v))
print(f'fake_hca_bench: medians of {sys.argv[2]} runs')
for ident, values in rows.items():
	name = ' '.join(v for _, v in ident)
	figs = ' '.join(f'{k}={statistics.median(v):.0f}' for k, v in values.items())
	print(f'  {name}: {figs}')
PY
