# SPDX-License-Identifier: GPL-2.0
"""The clean-log rule: a boot of the test kernel must not warn.

A line with WARNING:, BUG:, a lockdep report, a KASAN, UBSAN or kmemleak
report fails the run. A test that provokes one on purpose says so in the
log: the lines between "odp-expect-splat: begin <why>" and
"odp-expect-splat: end" are allowed; the region also ends with the test
case's KTAP result line, should the end marker never come.

A region whose reason begins with "lockdep" expects lockdep's report: the
run fails if none came there. Lockdep switches itself off after a report,
so nothing may run after one: a test suite that starts later fails the
run too (it ran without lockdep).
"""

import re
from typing import Iterable, List, Optional

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
LOCKDEP = re.compile(r'possible circular locking dependency|possible recursive locking|'
		     r'inconsistent lock state')
LOCKDEP_REASON = re.compile(re.escape(BEGIN) + r'\s+lockdep')
SUITE_START = re.compile(r'#\s*Subtest:\s*(\S+)')


def bad_lines(lines: Iterable[str]) -> List[str]:
	"""Return the offending lines, skipping those a test said it expects."""
	found: List[str] = []
	expected = False
	wants_lockdep: Optional[str] = None	# the begin line of a region still owed a report
	lockdep_gone: Optional[str] = None	# the report that switched lockdep off
	for line in lines:
		line = line.rstrip('\n')
		if BEGIN in line or END in line or RESULT.search(line):
			if wants_lockdep:
				found.append(f'no lockdep report where one was expected: {wants_lockdep}')
			wants_lockdep = None
		if BEGIN in line:
			expected = True
			if LOCKDEP_REASON.search(line):
				wants_lockdep = line
			continue
		if END in line:
			expected = False
			continue
		if RESULT.search(line):
			expected = False
		if LOCKDEP.search(line):
			wants_lockdep = None
			lockdep_gone = lockdep_gone or line
		suite = SUITE_START.search(line)
		if suite and lockdep_gone:
			found.append(f'{suite.group(1)} ran after lockdep switched itself off '
				     f'({lockdep_gone.strip()})')
		if not expected and BAD.search(line):
			found.append(line)
	if wants_lockdep:
		found.append(f'no lockdep report where one was expected: {wants_lockdep}')
	return found


def check_file(path: str) -> List[str]:
	with open(path, errors='backslashreplace') as f:
		return bad_lines(f)
