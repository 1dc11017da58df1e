#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the KUnit cases in one or more kunit.py --json results.

Prints "kunit: N passed, N failed, N skipped" counting every leaf case of
every result (each parameter of a parameterized case counts once). Exits 1
if any case failed, a result cannot be read, or none ran.
"""

import json
import sys
from typing import Any, Dict, List


def count(group: Dict[str, Any], totals: Dict[str, int]) -> None:
	for case in group.get('test_cases', []):
		status = case.get('status')
		key = {'PASS': 'passed', 'SKIP': 'skipped'}.get(status, 'failed')
		totals[key] += 1
	for sub in group.get('sub_groups', []):
		count(sub, totals)


def main(paths: List[str]) -> int:
	totals = {'passed': 0, 'failed': 0, 'skipped': 0}
	for path in paths:
		try:
			with open(path) as f:
				count(json.load(f), totals)
		except (OSError, ValueError) as e:
			print(f'kunit_count: cannot read {path}: {e}', file=sys.stderr)
			totals['failed'] += 1
	print(f"kunit: {totals['passed']} passed, {totals['failed']} failed, "
	      f"{totals['skipped']} skipped")
	return 1 if totals['failed'] or not totals['passed'] else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
