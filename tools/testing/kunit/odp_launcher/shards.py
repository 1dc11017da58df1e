# SPDX-License-Identifier: GPL-2.0
"""--shards: one build, N kernels side by side, one verdict.

The explorer (suite odp_explore) splits each case's schedule space by the
kernel parameter odp_kunit.explore_shard=i/N. With --shards=N, run (or
exec) builds the kernel once, then boots N copies of it at the same time:
shard 0 runs every selected suite, shards 1 to N-1 only the selected
part of odp_explore (the other suites would only repeat shard 0). Each
shard boots from a folder of its own under the build folder (links to
the one kernel, its own test.log), gets the clean-log check, and writes
its KernelCI JSON; the JSONs are merged case by case (a case that ran in
several shards counts once, with its worst status) into one summary, the
--json file if one was asked for, and one exit status.
"""

import copy
import fnmatch
import json
import os
import subprocess
import sys
import time
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import args, logcheck

EXPLORE = 'odp_explore'
SHARD_PARAM = 'odp_kunit.explore_shard'
# Options of the kernel's kunit.py by the subcommands that take them.
EXEC_ONLY = {'--timeout', '--filter', '--filter_action', '--kernel_args',
	     '--run_isolated', '--list_tests', '--list_tests_attr',
	     '--raw_output', '--json', '--summary', '--failed'}
BUILD_ONLY = {'--jobs'}
# What a shard's folder links to in the build folder: the UML binary, and
# what the kernel's kunit.py looks for on other architectures.
KERNEL_FILES = ('linux', 'vmlinux', 'arch', '.config')
RANK = {'SKIP': 0, 'PASS': 1, 'ERROR': 2, 'FAIL': 3}
# A KernelCI JSON group (a result file's top level, or one of its sub_groups).
Group = Dict[str, Any]


class ShardError(Exception):
	"""A request --shards cannot serve."""


def split(forward: Sequence[str]) -> Tuple[str, List[str], Optional[str]]:
	"""(subcommand, options, filter glob or None) of a forwarded argv.

	The launcher has already joined every valued option with its value
	(--name=value), so each option is one word.
	"""
	opts: List[str]
	glob: Optional[str]
	sub, opts, glob = forward[0], [], None
	for word in forward[1:]:
		if word.startswith('-'):
			opts.append(word)
		elif glob is None:
			glob = word
		else:
			raise ShardError(f'a second filter glob: {word}')
	return sub, opts, glob


def _name(word: str) -> str:
	return word.split('=', 1)[0]


def _value(opts: Sequence[str], name: str) -> Optional[str]:
	for word in reversed(opts):
		if _name(word) == name and '=' in word:
			return word.split('=', 1)[1]
	return None


def shard_glob(glob: Optional[str], index: int) -> Optional[str]:
	"""The filter glob shard @index boots with, or None to boot nothing.

	Shard 0 runs what the user asked for; the others only its odp_explore
	part: the explorer's shards split nothing else.
	"""
	if index == 0:
		return glob
	if glob is None:
		return EXPLORE
	suite, _, case = glob.partition('.')
	if not fnmatch.fnmatchcase(EXPLORE, suite):
		return None
	return EXPLORE + ('.' + case if case else '')


def config_argv(opts: Sequence[str]) -> List[str]:
	return ['config'] + [w for w in opts if _name(w) not in EXEC_ONLY | BUILD_ONLY]


def build_argv(opts: Sequence[str]) -> List[str]:
	return ['build'] + [w for w in opts if _name(w) not in EXEC_ONLY]


def shard_dir(build_dir: str, index: Union[int, str], count: int) -> str:
	return os.path.join(build_dir, f'shard-{index}-of-{count}')


def exec_argv(opts: Sequence[str], glob: Optional[str], build_dir: str, index: int,
	      count: int, json_path: str) -> List[str]:
	"""The kernel kunit.py exec argv of shard @index of @count."""
	keep = [w for w in opts if _name(w) not in BUILD_ONLY | {'--build_dir', '--json'}]
	argv = ['exec'] + keep + [f'--build_dir={shard_dir(build_dir, index, count)}',
				  f'--json={json_path}',
				  f'--kernel_args={SHARD_PARAM}={index}/{count}']
	if glob:
		argv.append(glob)
	return argv


def link_kernel(build_dir: str, folder: str) -> None:
	"""Make @folder boot the kernel of @build_dir, with a log of its own."""
	os.makedirs(folder, exist_ok=True)
	for name in KERNEL_FILES:
		src = os.path.join(build_dir, name)
		dst = os.path.join(folder, name)
		if os.path.lexists(dst):
			os.remove(dst)
		if os.path.lexists(src):
			os.symlink(src, dst)


def _merge_group(into: Group, other: Group) -> None:
	cases = {c['name']: c for c in into.setdefault('test_cases', [])}
	for c in other.get('test_cases', []):
		mine = cases.get(c['name'])
		if mine is None:
			into['test_cases'].append(copy.deepcopy(c))
			cases[c['name']] = into['test_cases'][-1]
		elif RANK.get(c.get('status'), 3) > RANK.get(mine.get('status'), 3):
			mine['status'] = c.get('status')
	groups = {g['name']: g for g in into.setdefault('sub_groups', [])}
	for g in other.get('sub_groups', []):
		if g['name'] in groups:
			_merge_group(groups[g['name']], g)
		else:
			into['sub_groups'].append(copy.deepcopy(g))
			groups[g['name']] = into['sub_groups'][-1]


def merge(results: Iterable[Optional[Group]]) -> Optional[Group]:
	"""One KernelCI JSON tree from the shards' (None for a missing one)."""
	merged: Optional[Group] = None
	for r in results:
		if r is None:
			continue
		if merged is None:
			merged = copy.deepcopy(r)
		else:
			_merge_group(merged, r)
	return merged


def counts(group: Optional[Group]) -> Dict[str, int]:
	"""{'passed', 'failed', 'skipped'} over the leaf cases of @group."""
	totals = {'passed': 0, 'failed': 0, 'skipped': 0}

	def walk(g: Group) -> None:
		for c in g.get('test_cases', []):
			key = {'PASS': 'passed', 'SKIP': 'skipped'}.get(c.get('status'), 'failed')
			totals[key] += 1
		for s in g.get('sub_groups', []):
			walk(s)
	if group:
		walk(group)
	return totals


def _read_json(path: str) -> Any:
	try:
		with open(path, encoding='utf-8') as f:
			return json.load(f)
	except (OSError, ValueError):
		return None


def one_job(forward: Sequence[str], index: int, count: int) -> Optional[List[str]]:
	"""The kernel kunit.py argv of job @index of @count (--shard=I/N).

	None when the job has nothing to boot: a job past the first whose
	selection holds no odp_explore case.
	"""
	sub, opts, glob = split(forward)
	g = shard_glob(glob, index)
	if g is None and index:
		return None
	argv = [sub] + list(opts) + [f'--kernel_args={SHARD_PARAM}={index}/{count}']
	return argv + [g] if g else argv


def write_empty(forward: Sequence[str]) -> None:
	"""A job that boots nothing still leaves a result for merge, empty."""
	out = _value(split(forward)[1], '--json')
	if out and out != 'stdout':
		with open(out, 'w', encoding='utf-8') as f:
			json.dump({'name': 'KUnit Test Group', 'test_cases': [], 'sub_groups': []}, f)


def merge_files(inputs: Sequence[str], out: Optional[str]) -> int:
	"""merge: one verdict from the jobs' --json results; the exit status.

	A result that is missing or not JSON fails the merge: a job that
	crashed before it wrote one must not pass unseen.
	"""
	results: List[Optional[Group]] = []
	status = 0
	for path in inputs:
		result = _read_json(path)
		if not isinstance(result, dict):
			print(f'[odp] merge: no result in {path}', file=sys.stderr)
			status = 2
		results.append(result)
	merged = merge(results)
	c = counts(merged)
	print(f'[odp] {len(inputs)} results merged: ran {sum(c.values())} cases: '
	      f'passed {c["passed"]}, failed {c["failed"]}, skipped {c["skipped"]}')
	if out and merged is not None:
		with open(out, 'w', encoding='utf-8') as f:
			json.dump(merged, f, indent=4)
	if c['failed'] or not c['passed']:
		status = status or 1
	return status


def run(req: args.Request, kunit: str, cpus: Optional[int] = None) -> int:
	"""Serve @req (run or exec) with req.shards kernels; return the exit status."""
	count = req.shards
	sub, opts, glob = split(req.forward)
	if any(_name(w) in ('--raw_output', '--list_tests', '--list_tests_attr') for w in opts):
		raise ShardError('--shards parses every kernel\'s output itself: '
				 'no --raw_output or --list_tests with it')
	build_dir = req.build_dir
	if sub == 'run':
		for argv in (config_argv(opts), build_argv(opts)):
			rc = subprocess.call([sys.executable, kunit] + argv)
			if rc:
				return rc
	user_json = _value(opts, '--json')
	shards: List[Dict[str, Any]] = []
	# main() calls run() only with req.shards set, and req.build_dir is set
	# for run and exec; this states it for mypy (both were Optional).
	assert count is not None and build_dir is not None
	for i in range(count):
		g = shard_glob(glob, i)
		if g is None and i:
			continue
		folder = shard_dir(build_dir, i, count)
		link_kernel(build_dir, folder)
		json_path = os.path.join(folder, 'result.json')
		out_path = os.path.join(folder, 'kunit.out')
		for stale in (json_path, os.path.join(folder, 'test.log')):
			if os.path.exists(stale):
				os.remove(stale)
		argv = exec_argv(opts, g, build_dir, i, count, json_path)
		out = open(out_path, 'w', encoding='utf-8')
		proc = subprocess.Popen([sys.executable, kunit] + argv, stdout=out,
					stderr=subprocess.STDOUT)
		shards.append({'index': i, 'folder': folder, 'json': json_path,
			       'out': out_path, 'file': out, 'proc': proc, 't0': time.time()})
	print(f'[odp] {len(shards)} shards of {count} booted side by side; '
	      f'output in {shard_dir(build_dir, "*", count)}/kunit.out', flush=True)

	status = 0
	results: List[Optional[Group]] = []
	for s in shards:
		rc = s['proc'].wait()
		s['file'].close()
		secs = time.time() - s['t0']
		result = _read_json(s['json'])
		results.append(result)
		c = counts(result)
		print(f'[odp] shard {s["index"]}/{count}: passed {c["passed"]}, failed {c["failed"]}, '
		      f'skipped {c["skipped"]} (exit {rc}, {secs:.0f} s)', flush=True)
		bad: List[str] = []
		log = os.path.join(s['folder'], 'test.log')
		if os.path.exists(log):
			bad = logcheck.check_file(log)
		if bad:
			print(f'[odp] shard {s["index"]}: kernel log {log} is not clean:', file=sys.stderr)
			for line in bad:
				print(f'[odp]   {line}', file=sys.stderr)
		if rc or result is None or bad and not req.allow_log_warnings:
			status = status or rc or 3
			print(f'[odp] shard {s["index"]} failed: see {s["out"]}', file=sys.stderr)
			with open(s['out'], encoding='utf-8', errors='backslashreplace') as f:
				tail = f.readlines()[-40:]
			sys.stderr.write(''.join(tail))
	merged = merge(results)
	c = counts(merged)
	print(f'[odp] shards merged: ran {sum(c.values())} cases: passed {c["passed"]}, '
	      f'failed {c["failed"]}, skipped {c["skipped"]}')
	if user_json and user_json != 'stdout' and merged is not None:
		with open(user_json, 'w', encoding='utf-8') as f:
			json.dump(merged, f, indent=4)
	if c['failed'] or not c['passed']:
		status = status or 1
	return status
