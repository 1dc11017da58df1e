#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Do the explorer's shards add up to one run?

Reads the explorer's result lines ("E3 on interval: dfs, 3809 schedules
..., hash 7aa2e891, sum 1c2d3e4f") from kernel logs (a test.log, a
kunit.out, --raw_output): the logs of the N shards of a run
(odp_kunit.explore_shard=i/N, --shard=I/N or --shards=N) and, with
--against, the log of the same selection run whole. Per set and backend,
the shards' schedules must add up to the whole run's, and their sums of
per-schedule hashes (mod 2^32) to its sum: the same schedules, each run
once. Prints one line per set and backend; exits 1 on a mismatch or when
a set of one side is missing from the other.

  tools/ci/explore_shards.py --against whole/test.log shard-*/test.log
"""

import argparse
import re
import sys
from typing import Dict, List, Tuple

LINE = re.compile(r'(E\d+) on (\w+): (?:dfs|pct), (\d+) schedules .*hash [0-9a-f]{8}, '
		  r'sum ([0-9a-f]{8})')
Totals = Dict[Tuple[str, str], Tuple[int, int]]


def totals(paths: List[str]) -> Totals:
	"""(set, backend) -> (schedules, sum mod 2^32) over the logs."""
	out: Totals = {}
	for path in paths:
		seen = set()
		with open(path, errors='backslashreplace') as f:
			for line in f:
				m = LINE.search(line)
				if not m:
					continue
				key = (m.group(1), m.group(2))
				if key in seen:	# a log read twice (kunit.out and test.log)
					continue
				seen.add(key)
				n, s = out.get(key, (0, 0))
				out[key] = (n + int(m.group(3)), (s + int(m.group(4), 16)) & 0xffffffff)
	return out


def main(argv: List[str]) -> int:
	ap = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
	ap.add_argument('--against', required=True, help='the log of the whole run')
	ap.add_argument('shards', nargs='+', help='the logs of the shards')
	a = ap.parse_args(argv)
	whole, parts = totals([a.against]), totals(a.shards)
	bad = 0
	for key in sorted(set(whole) | set(parts), key=lambda k: (int(k[0][1:]), k[1])):
		w, p = whole.get(key), parts.get(key)
		ok = w is not None and w == p
		bad += not ok
		left = f'{w[0]} schedules, sum {w[1]:08x}' if w else '-'
		right = f'{p[0]} schedules, sum {p[1]:08x}' if p else '-'
		print(f'{key[0]} on {key[1]}: whole {left}; shards {right}'
		      f'{"" if ok else "  MISMATCH"}')
	print(f'{len(whole)} sets and backends, {bad} mismatched')
	return 1 if bad or not whole else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
