#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation check: does the test kernel's suite kill one-line bugs?

Each mutant of mutants.json (file, original text, replacement, the bug it
models, and for one the suites are known to let live, why) is applied in turn to a scratch clone of the project's HEAD; the
clone's kernel is rebuilt and groups of suites are booted one by one. A
file named "linux:<path>" is <path> of the kernel tree the clone builds
against (KERNEL_SRC, or the clone's .cache/linux-source-6.12): a mutant of
the kernel's own code, such as drivers/infiniband/core/umem_odp.c, which
the upstream backend runs. Its original text is kept beside it while it is
mutated (<file>.odp-mutate-orig), and put back by the next run if a run
was stopped half way. A
mutant is killed by a group when a case fails, the kernel log is dirty,
the kernel crashes or times out, or no case runs. The report says which
groups killed each mutant, and the kill rate of each group alone and of
the groups together.

  tools/mutate/mutate.py --check-apply        every original occurs once
  tools/mutate/mutate.py --list               the mutants
  tools/mutate/mutate.py                      all of them (about a minute each)
  tools/mutate/mutate.py --only rt-end-no-wakeup --only cc-switch-early
  tools/mutate/mutate.py --class concurrency --group race=odp_race
  tools/mutate/mutate.py --first-kill --group core='odp_core*' --group race=odp_race
"""

import argparse
import contextlib
import fcntl
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, Iterator, List, Optional, Sequence, Set, TextIO, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.abspath(os.path.join(HERE, '..', '..'))
MUTANTS = os.path.join(HERE, 'mutants.json')
# A mutant: the FIELDS, and maybe 'lives', all strings.
Mutant = Dict[str, str]
# A KernelCI JSON group (a result file's top level, or one of its sub_groups).
Group = Dict[str, Any]
FIELDS = ('id', 'class', 'file', 'original', 'replacement', 'bug')
KERNEL = 'linux:'
BACKUP = '.odp-mutate-orig'
TREE_NAME = 'linux-source-6.12'


def kernel_tree(root: str) -> str:
	"""The kernel tree that the project at @root builds against."""
	return os.environ.get('KERNEL_SRC') or os.path.join(root, '.cache', TREE_NAME)


def mutant_path(m: Mutant, root: str) -> str:
	"""The file mutant @m changes, for the project at @root."""
	if m['file'].startswith(KERNEL):
		return os.path.join(kernel_tree(root), m['file'][len(KERNEL):])
	return os.path.join(root, m['file'])


def restore_backups(mutants: Sequence[Mutant], root: str) -> None:
	"""Put back a kernel file that a stopped run left mutated."""
	for m in mutants:
		path = mutant_path(m, root)
		if os.path.exists(path + BACKUP):
			os.replace(path + BACKUP, path)
DEFAULT_GROUPS: Tuple[Tuple[str, str], ...] = (('race', 'odp_race'), ('nonblock', 'odp_race_nonblock'), ('explore', 'odp_explore'),
		  ('core', 'odp_core*'), ('hca', 'fake_hca*'), ('failnth', 'odp_fail_nth'))


def load_mutants(path: str) -> List[Mutant]:
	"""The mutants of @path, each a dict with FIELDS; raise ValueError."""
	with open(path, encoding='utf-8') as f:
		mutants: List[Mutant] = json.load(f)
	seen: Set[str] = set()
	for m in mutants:
		missing = [k for k in FIELDS if k not in m]
		if missing:
			raise ValueError(f'mutant {m.get("id", "?")}: no {", ".join(missing)}')
		if m['id'] in seen:
			raise ValueError(f'mutant {m["id"]}: id used twice')
		if m['class'] not in ('concurrency', 'logic'):
			raise ValueError(f'mutant {m["id"]}: class is concurrency or logic')
		if m['original'] == m['replacement']:
			raise ValueError(f'mutant {m["id"]}: replacement changes nothing')
		seen.add(m['id'])
	return mutants


def check_apply(mutants: Sequence[Mutant], root: str, kernel: bool = True) -> List[str]:
	"""Problems applying @mutants to the tree at @root (empty: none); the
	kernel tree's mutants only if @kernel."""
	problems: List[str] = []
	for m in mutants:
		if m['file'].startswith(KERNEL) and not kernel:
			continue
		path = mutant_path(m, root)
		try:
			with open(path, encoding='utf-8') as f:
				n = f.read().count(m['original'])
		except OSError as e:
			problems.append(f'{m["id"]}: {e}')
			continue
		if n != 1:
			problems.append(f'{m["id"]}: original text occurs {n} times in {m["file"]}')
	return problems


def apply(m: Mutant, root: str) -> str:
	"""Apply mutant @m to the tree at @root; return the file's old text."""
	path = mutant_path(m, root)
	with open(path, encoding='utf-8') as f:
		text = f.read()
	if m['file'].startswith(KERNEL):
		with open(path + BACKUP, 'w', encoding='utf-8') as f:
			f.write(text)
	with open(path, 'w', encoding='utf-8') as f:
		f.write(text.replace(m['original'], m['replacement'], 1))
	return text


def revert(m: Mutant, root: str, text: str) -> None:
	path = mutant_path(m, root)
	with open(path, 'w', encoding='utf-8') as f:
		f.write(text)
	if os.path.exists(path + BACKUP):
		os.remove(path + BACKUP)


@contextlib.contextmanager
def locked(path: str) -> Iterator[None]:
	"""Hold the machine's build lock (one kernel build or boot at a time)."""
	with open(path, 'a') as f:
		fcntl.flock(f, fcntl.LOCK_EX)
		try:
			yield
		finally:
			fcntl.flock(f, fcntl.LOCK_UN)


def failed_cases(group: Group) -> List[str]:
	"""Names of the cases of a KernelCI JSON group that did not pass or skip."""
	bad: List[str] = []
	for case in group.get('test_cases', []):
		if case.get('status') not in ('PASS', 'SKIP'):
			bad.append(f'{group.get("name")}.{case.get("name")}')
	for sub in group.get('sub_groups', []):
		bad.extend(failed_cases(sub))
	return bad


def count_cases(group: Group) -> int:
	n = len(group.get('test_cases', []))
	return n + sum(count_cases(s) for s in group.get('sub_groups', []))


def verdict(rc: int, timed_out: bool, result: Optional[Group]) -> Tuple[bool, str]:
	"""(killed, why) from a run's exit code and its parsed JSON (or None)."""
	if timed_out:
		return True, 'timeout'
	if result is None:
		return True, f'no result (exit {rc})'
	bad = failed_cases(result)
	if bad:
		return True, ', '.join(bad[:3]) + (' ...' if len(bad) > 3 else '')
	if count_cases(result) == 0:
		return True, 'no case ran'
	if rc:
		return True, f'exit {rc} (kernel log not clean?)'
	return False, ''


class Runner:
	"""Builds and boots the scratch clone through its own launcher."""

	def __init__(self, workdir: str, lock: str, timeout: int, kernel_args: str,
		     log: TextIO) -> None:
		self.workdir = workdir
		self.lock = lock
		self.timeout = timeout
		self.kernel_args = kernel_args
		self.log = log
		self.out = ''

	def _call(self, args: List[str], timeout: int) -> Optional[int]:
		cmd = [sys.executable, './tools/testing/kunit/kunit.py'] + args
		self.out = ''
		with locked(self.lock):
			try:
				p = subprocess.run(cmd, cwd=self.workdir, stdout=subprocess.PIPE,
						   stderr=subprocess.STDOUT, timeout=timeout,
						   check=False, text=True)
			except subprocess.TimeoutExpired as e:
				self.log.write(str(e.stdout or ''))
				return None
		self.out = p.stdout
		self.log.write(p.stdout)
		self.log.flush()
		return p.returncode

	def build(self) -> bool:
		return self._call(['build'], 3600) == 0

	def run(self, glob: str) -> Tuple[bool, str]:
		with tempfile.NamedTemporaryFile(suffix='.json', delete=False) as f:
			json_path = f.name
		args = ['exec', glob, f'--json={json_path}', f'--timeout={self.timeout}']
		if self.kernel_args:
			args += ['--kernel_args', self.kernel_args]
		rc = self._call(args, self.timeout + 120)
		result: Optional[Group] = None
		try:
			with open(json_path, encoding='utf-8') as f:
				result = json.load(f)
		except (OSError, ValueError):
			pass
		finally:
			os.unlink(json_path)
		return verdict(rc or 0, rc is None, result)

	def first_failure_s(self) -> Optional[int]:
		"""Seconds from the boot to the first failing case of the last run."""
		return first_failure_s(self.out)


STAMP = re.compile(r'^\[(\d\d):(\d\d):(\d\d)\] (.*)$')


def first_failure_s(out: str) -> Optional[int]:
	"""From kunit.py's output: the boot's time stamp to the first [FAILED] or
	[CRASHED] line's (seconds, the launcher's one-second resolution), or None."""
	boot: Optional[int] = None
	for line in out.splitlines():
		m = STAMP.match(line)
		if not m:
			continue
		t = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
		text = m.group(4)
		if boot is None and text.startswith('Starting KUnit Kernel'):
			boot = t
		elif boot is not None and ('[FAILED]' in text or '[CRASHED]' in text):
			return (t - boot) % 86400
	return None


def prepare(workdir: str, project: str) -> None:
	"""A clone of @project's HEAD at @workdir, reset to it if it exists."""
	if not os.path.isdir(os.path.join(workdir, '.git')):
		subprocess.run(['git', 'clone', '-q', project, workdir], check=True)
	subprocess.run(['git', '-C', workdir, 'fetch', '-q', project, 'HEAD'], check=True)
	subprocess.run(['git', '-C', workdir, 'reset', '-q', '--hard', 'FETCH_HEAD'], check=True)
	subprocess.run(['git', '-C', workdir, 'clean', '-q', '-fd', '-e', '.cache', '-e', '.build'],
		       check=True)


def rate(n: int, d: int) -> str:
	return f'{n}/{d} ({100.0 * n / d:.0f}%)' if d else '0/0'


def report(results: Sequence[Dict[str, Any]], groups: Sequence[Tuple[str, ...]],
	   out: TextIO = sys.stdout) -> Dict[str, Dict[str, int]]:
	"""Print the table and the kill rates; return them as a dict."""
	names = [g for g, _ in groups]
	out.write('\n%-32s %-12s %-8s %s\n' % ('mutant', 'class', 'result', 'killed by'))
	for r in results:
		by = [g for g in names if r['killed_by'].get(g)]
		state = 'stillborn' if r['stillborn'] else ('killed' if by else 'SURVIVED')
		out.write('%-32s %-12s %-8s %s\n' % (r['id'], r['class'], state,
						     ' '.join(by) or '-'))
	live = [r for r in results if not r['stillborn']]
	rates: Dict[str, Dict[str, int]] = {}
	out.write('\nkill rates (mutants that built):\n')
	for cls in ('all', 'concurrency', 'logic'):
		sel = [r for r in live if cls == 'all' or r['class'] == cls]
		row: Dict[str, int] = {}
		for i, g in enumerate(names):
			k = sum(1 for r in sel if r['killed_by'].get(g))
			row[g] = k
			upto = names[:i + 1]
			kk = sum(1 for r in sel if any(r['killed_by'].get(x) for x in upto))
			row['+'.join(upto)] = kk
		rates[cls] = {'total': len(sel), **row}
		cells = ', '.join(f'{g} alone {rate(row[g], len(sel))}' for g in names)
		cum = ', '.join(f'{"+".join(names[:i + 1])} {rate(row["+".join(names[:i + 1])], len(sel))}'
				for i in range(1, len(names)))
		out.write(f'  {cls:12s} {cells}\n  {"":12s} {cum}\n')
	survivors = [r for r in live if not any(r['killed_by'].values())]
	out.write(f'survivors: {" ".join(r["id"] for r in survivors) or "none"}\n')
	for r in survivors:
		out.write(f'  {r["id"]}: {r.get("lives") or "not explained: a gap to close"}\n')
	return rates


def parse_args(argv: List[str]) -> argparse.Namespace:
	ap = argparse.ArgumentParser(description=__doc__,
				     formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument('--mutants', default=MUTANTS, help='the list (default: %(default)s)')
	ap.add_argument('--workdir', help='scratch clone to (re)use (default: a new temp dir)')
	ap.add_argument('--only', action='append', default=[], metavar='ID',
			help='this mutant only (repeatable)')
	ap.add_argument('--class', dest='cls', choices=('concurrency', 'logic'),
			help='mutants of this class only')
	ap.add_argument('--group', action='append', default=[], metavar='NAME=GLOB',
			help='a group of suites booted per mutant (repeatable; default: '
			+ ' '.join(f'{n}={g}' for n, g in DEFAULT_GROUPS) + ')')
	ap.add_argument('--kernel-args', default='', help='--kernel_args for every boot')
	ap.add_argument('--timeout', type=int, default=900, help='seconds per boot (default 900)')
	ap.add_argument('--lock', default='/tmp/odp-build.lock',
			help='build lock taken around each build and boot (default: %(default)s)')
	ap.add_argument('--first-kill', action='store_true',
			help='boot no further group once one killed the mutant (order the '
			'groups fastest first; the "alone" rates then count only the groups '
			'that ran)')
	ap.add_argument('--list', action='store_true', help='list the mutants and exit')
	ap.add_argument('--check-apply', action='store_true',
			help='check every original text occurs once in HEAD, build nothing')
	ap.add_argument('--json', help='write the results here')
	return ap.parse_args(argv)


def main(argv: List[str]) -> int:
	args = parse_args(argv)
	try:
		mutants = load_mutants(args.mutants)
	except (OSError, ValueError) as e:
		print(f'mutate: {e}', file=sys.stderr)
		return 2
	if args.only:
		unknown = set(args.only) - {m['id'] for m in mutants}
		if unknown:
			print(f'mutate: no mutant {" ".join(sorted(unknown))}', file=sys.stderr)
			return 2
		mutants = [m for m in mutants if m['id'] in args.only]
	if args.cls:
		mutants = [m for m in mutants if m['class'] == args.cls]
	if args.list:
		for m in mutants:
			print(f'{m["id"]:32s} {m["class"]:12s} {m["file"]}: {m["bug"]}')
		return 0
	if args.check_apply:
		# the kernel's mutants once the launcher has unpacked the tree
		kernel = os.path.isdir(kernel_tree(PROJECT))
		checked = [m for m in mutants if kernel or not m['file'].startswith(KERNEL)]
		problems = check_apply(checked, PROJECT)
		for p in problems:
			print(f'mutate: {p}', file=sys.stderr)
		print(f'{len(checked) - len(problems)} of {len(checked)} mutants apply'
		      + ('' if kernel else f' (no kernel tree at {kernel_tree(PROJECT)}: '
			 f'{len(mutants) - len(checked)} of the kernel\'s not checked)'))
		return 1 if problems else 0

	groups: Tuple[Tuple[str, ...], ...] = DEFAULT_GROUPS
	if args.group:
		try:
			groups = tuple(tuple(g.split('=', 1)) for g in args.group)
		except ValueError:
			print('mutate: --group takes NAME=GLOB', file=sys.stderr)
			return 2
		if any(len(g) != 2 for g in groups):
			print('mutate: --group takes NAME=GLOB', file=sys.stderr)
			return 2
	workdir = args.workdir or tempfile.mkdtemp(prefix='odp-mutate-')
	log_path = os.path.join(workdir + '.log')
	prepare(workdir, PROJECT)
	restore_backups(mutants, workdir)
	problems = check_apply(mutants, workdir, kernel=False)
	if problems:
		for p in problems:
			print(f'mutate: {p}', file=sys.stderr)
		return 2
	with open(log_path, 'w', encoding='utf-8') as log:
		runner = Runner(workdir, args.lock, args.timeout, args.kernel_args, log)
		print(f'[mutate] scratch clone {workdir}, log {log_path}', flush=True)
		t0 = time.time()
		if not runner.build():
			print('mutate: the unmutated clone does not build', file=sys.stderr)
			return 2
		# the kernel tree exists now (the launcher unpacked and hooked it)
		problems = check_apply(mutants, workdir)
		if problems:
			for p in problems:
				print(f'mutate: {p}', file=sys.stderr)
			return 2
		for name, glob in groups:
			killed, why = runner.run(glob)
			if killed:
				print(f'mutate: the unmutated kernel fails {name} ({why}): no kill rate',
				      file=sys.stderr)
				return 2
		print(f'[mutate] baseline passes every group ({time.time() - t0:.0f} s)', flush=True)

		results: List[Dict[str, Any]] = []
		for i, m in enumerate(mutants):
			t1 = time.time()
			text = apply(m, workdir)
			r: Dict[str, Any] = {'id': m['id'], 'class': m['class'], 'stillborn': False, 'killed_by': {},
			     'why': {}, 'first_failure_s': {}, 'lives': m.get('lives', '')}
			try:
				if not runner.build():
					r['stillborn'] = True
				else:
					for name, glob in groups:
						killed, why = runner.run(glob)
						r['killed_by'][name] = killed
						r['why'][name] = why
						if killed:
							r['first_failure_s'][name] = runner.first_failure_s()
							if args.first_kill:
								break
			finally:
				revert(m, workdir, text)
			results.append(r)
			by = [g for g, k in r['killed_by'].items() if k]
			state = 'does not build' if r['stillborn'] else \
				('killed by ' + ' '.join(by) if by else 'SURVIVED')
			print(f'[mutate] {i + 1}/{len(mutants)} {m["id"]}: {state} '
			      f'({time.time() - t1:.0f} s)', flush=True)
			for name in by:
				ff = r['first_failure_s'].get(name)
				when = f' (first failing case {ff} s after boot)' if ff is not None else ''
				print(f'[mutate]     {name}: {r["why"][name]}{when}', flush=True)
		runner.build()	# leave the clone's kernel unmutated
	rates = report(results, groups)
	if args.json:
		with open(args.json, 'w', encoding='utf-8') as f:
			json.dump({'groups': groups, 'results': results, 'rates': rates}, f, indent=1)
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
