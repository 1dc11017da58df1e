# SPDX-License-Identifier: GPL-2.0
"""Entry point: prepare a kernel tree, run its kunit.py, check the log."""

import os
import subprocess
import sys
from typing import List, Mapping, Optional, Tuple

from . import args, logcheck, overlay, shards, tree


def project_root() -> str:
	here = os.path.dirname(os.path.abspath(__file__))
	return os.path.abspath(os.path.join(here, '..', '..', '..', '..'))


def _log_state(path: str) -> Optional[Tuple[int, int, int, int]]:
	try:
		st = os.stat(path)
	except FileNotFoundError:
		return None
	return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def main(argv: List[str], environ: Optional[Mapping[str, str]] = None) -> int:
	environ = os.environ if environ is None else environ
	project = project_root()
	req = args.parse(argv, project)
	if req.error:
		print(f'[odp] error: {req.error}', file=sys.stderr)
		return 2
	if req.help:
		print(args.help_text())
	if req.subcommand == args.MERGE:
		return 0 if req.help else shards.merge_files(req.merge_inputs, req.merge_json)
	if req.shard and not req.help:
		index, count = req.shard
		try:
			job = shards.one_job(req.forward, index, count)
		except shards.ShardError as e:
			print(f'[odp] error: {e}', file=sys.stderr)
			return 2
		if job is None:
			print(f'[odp] shard {index}/{count}: the selection has no odp_explore '
			      'case, which only shard 0 runs: nothing to boot')
			shards.write_empty(req.forward)
			return 0
		req.forward = job
	try:
		ktree = tree.find_tree(project, environ)
	except tree.TreeError as e:
		print(f'[odp] error: {e}', file=sys.stderr)
		return 2
	try:
		if req.remove_overlay:
			# --help only says what --remove_overlay would do
			if req.help:
				return 0
			changed = overlay.remove(ktree, project)
			print(f'[odp] overlay {"removed from" if changed else "was not in"} {ktree}')
			return 0
		overlay.apply(ktree, project)
	except (RuntimeError, OSError) as e:
		print(f'[odp] error: {e}', file=sys.stderr)
		return 2
	if req.build_dir:
		os.makedirs(os.path.dirname(req.build_dir), exist_ok=True)

	kunit = os.path.join(ktree, 'tools', 'testing', 'kunit', 'kunit.py')
	if req.shards and req.subcommand in ('run', 'exec') and not req.help:
		try:
			return shards.run(req, kunit)
		except shards.ShardError as e:
			print(f'[odp] error: {e}', file=sys.stderr)
			return 2

	log = os.path.join(req.build_dir or '', 'test.log')
	before = _log_state(log)
	rc = subprocess.call([sys.executable, kunit] + req.forward)
	if req.subcommand not in ('run', 'exec') or req.help:
		return rc

	# Only a log this run wrote: compare the file before and after rather
	# than its mtime with our clock, which the file system's may lag.
	after = _log_state(log)
	if after is None or after == before:
		return rc
	bad = logcheck.check_file(log)
	if bad:
		print(f'[odp] kernel log {log} is not clean:', file=sys.stderr)
		for line in bad:
			print(f'[odp]   {line}', file=sys.stderr)
		if not req.allow_log_warnings:
			return rc or 3
		print('[odp] --allow_log_warnings given: not failing for it',
		      file=sys.stderr)
	else:
		print(f'[odp] kernel log clean ({log})')
	return rc
