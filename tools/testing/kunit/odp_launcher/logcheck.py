# SPDX-License-Identifier: GPL-2.0
"""The clean-log rule: a boot of the test kernel must not warn.

A line with WARNING:, BUG:, a lockdep report, a KASAN, UBSAN or kmemleak
report fails the run. A test that provokes one on purpose says so in the
log: the lines between "odp-expect-splat: begin <why>" and
"odp-expect-splat: end" are allowed; the region also ends with the test
case's KTAP result line, should the end marker never come.
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
# A KTAP result line ("ok 3 name", "not ok 1 name", maybe indented and after
# a printk timestamp): the test case is over, and so is any expected splat
# it began, even if it never printed the end marker (a failed KUNIT_ASSERT
# leaves the test case before it gets there).
RESULT = re.compile(r'^(\[[^]]*\])?\s*(not )?ok \d+\b')


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
		if RESULT.search(line):
			expected = False
		if not expected and BAD.search(line):
			found.append(line)
	return found


def check_file(path):
	with open(path, errors='backslashreplace') as f:
		return bad_lines(f)
