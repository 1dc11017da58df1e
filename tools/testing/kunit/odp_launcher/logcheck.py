# SPDX-License-Identifier: GPL-2.0
"""The clean-log rule: a boot of the test kernel must not warn.

A line with WARNING:, BUG:, a lockdep report, a KASAN, UBSAN or kmemleak
report fails the run. A test that provokes one on purpose says so in the
log: the lines between "odp-expect-splat: begin <why>" and
"odp-expect-splat: end" are allowed.
"""

import re

BAD = re.compile(
	r'WARNING:|BUG:|'
	r'possible circular locking dependency|possible recursive locking|'
	r'inconsistent lock state|INFO: lockdep is turned off|INFO: task .* blocked|'
	r'KASAN:|UBSAN:|unreferenced object|suspected memory leak|'
	r'Kernel panic|Oops')
BEGIN = 'odp-expect-splat: begin'
END = 'odp-expect-splat: end'


def bad_lines(lines):
	"""Return the offending lines, skipping those a test said it expects."""
	found = []
	expected = False
	for line in lines:
		line = line.rstrip('\n')
		if BEGIN in line:
			expected = True
			continue
		if END in line:
			expected = False
			continue
		if not expected and BAD.search(line):
			found.append(line)
	return found


def check_file(path):
	with open(path, errors='backslashreplace') as f:
		return bad_lines(f)
