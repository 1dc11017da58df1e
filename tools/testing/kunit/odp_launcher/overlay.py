# SPDX-License-Identifier: GPL-2.0
"""Put the project's components into a kernel tree, and take them out.

The tree gets one folder, odp/, holding links to the project's core/,
drivers/fake_hca/ and kunit/ and to its top-level Kconfig and Kbuild, plus
one line in the tree's Kconfig and one in its Kbuild; and the patches of
the project's kernel-hooks/ folder, which add sync-point calls (no logic,
a static branch each) to kernel files that a test must stop inside. Nothing
else in the tree changes, and apply() run twice changes nothing the second
time.
"""

import glob
import os
import shutil
import subprocess
from typing import Dict, List

DIR = 'odp'
MARK = '# odp-test-kernel overlay'
HOOKS = {
	'Kconfig': f'source "{DIR}/Kconfig"  {MARK}',
	'Kbuild': f'obj-y += {DIR}/  {MARK}',
}


def links(project: str) -> Dict[str, str]:
	"""Link name inside <tree>/odp -> target inside the project."""
	return {
		'core': os.path.join(project, 'core'),
		'fake_hca': os.path.join(project, 'drivers', 'fake_hca'),
		'kunit': os.path.join(project, 'kunit'),
		'Kconfig': os.path.join(project, 'Kconfig'),
		'Kbuild': os.path.join(project, 'Kbuild'),
	}


def _patched_file(patch: str) -> str:
	"""The tree path a one-file patch changes (its +++ b/ line)."""
	with open(patch) as f:
		for line in f:
			if line.startswith('+++ b/'):
				return line[len('+++ b/'):].split('\t')[0].strip()
	raise RuntimeError(f'{patch} names no file')


def hook_patches(project: str, tree: str) -> List[str]:
	"""The project's kernel-hooks/*.patch whose file the tree has, in name
	order: a tree without that file (no IB core) cannot build what needs
	the hook either."""
	return [p for p in sorted(glob.glob(os.path.join(project, 'kernel-hooks',
							 '*.patch')))
		if os.path.isfile(os.path.join(tree, _patched_file(p)))]


def _patch(tree: str, patch: str, *opts: str) -> bool:
	"""Run patch(1) -p1 in tree, exact (no fuzz, never guessing that a
	patch is reversed), leaving no backup or reject file; True if it
	succeeded."""
	res = subprocess.run(['patch', '-p1', '--force', '--fuzz=0', '--silent',
			      '--no-backup-if-mismatch', '--reject-file=-',
			      '-d', tree, '-i', patch] + list(opts),
			     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
	return res.returncode == 0


def hook_applied(tree: str, patch: str) -> bool:
	"""The patch is in the tree: reversing it would succeed."""
	return _patch(tree, patch, '--reverse', '--dry-run')


def _read_lines(path: str) -> List[str]:
	with open(path) as f:
		return f.read().splitlines()


def _write_lines(path: str, lines: List[str]) -> None:
	with open(path, 'w') as f:
		f.write('\n'.join(lines) + '\n')


def is_applied(tree: str, project: str) -> bool:
	odp = os.path.join(tree, DIR)
	for name, target in links(project).items():
		link = os.path.join(odp, name)
		if not os.path.islink(link) or os.readlink(link) != target:
			return False
	for name, line in HOOKS.items():
		if line not in _read_lines(os.path.join(tree, name)):
			return False
	return all(hook_applied(tree, p) for p in hook_patches(project, tree))


def apply(tree: str, project: str) -> bool:
	"""Link the project into tree and hook it in. Returns True if it changed anything."""
	changed = False
	odp = os.path.join(tree, DIR)
	if os.path.islink(odp) or (os.path.exists(odp) and not os.path.isdir(odp)):
		raise RuntimeError(f'{odp} exists and is not our overlay folder')
	if not os.path.isdir(odp):
		os.mkdir(odp)
		changed = True
	for name, target in links(project).items():
		link = os.path.join(odp, name)
		if os.path.islink(link):
			if os.readlink(link) == target:
				continue
			os.remove(link)
		elif os.path.exists(link):
			raise RuntimeError(f'{link} exists and is not a link')
		os.symlink(target, link)
		changed = True
	for name, line in HOOKS.items():
		path = os.path.join(tree, name)
		lines = _read_lines(path)
		if line not in lines:
			_write_lines(path, lines + [line])
			changed = True
	for patch in hook_patches(project, tree):
		if hook_applied(tree, patch):
			continue
		if not _patch(tree, patch, '--forward'):
			raise RuntimeError(f'{patch} does not apply to {tree}: the '
					   f'upstream backend needs its sync points there')
		changed = True
	return changed


def remove(tree: str, project: str) -> bool:
	"""Undo apply(): reverse the hook patches, drop the hook lines and the
	odp/ folder of links.

	If odp/ holds anything apply() did not put there, nothing is changed.
	"""
	changed = False
	odp = os.path.join(tree, DIR)
	ours = links('')
	if os.path.isdir(odp) and not os.path.islink(odp):
		for entry in os.listdir(odp):
			if entry not in ours or not os.path.islink(os.path.join(odp, entry)):
				raise RuntimeError(f'{odp}/{entry} is not ours; '
						   f'left the overlay in place')
	for patch in reversed(hook_patches(project, tree)):
		if hook_applied(tree, patch):
			if not _patch(tree, patch, '--reverse'):
				raise RuntimeError(f'cannot reverse {patch} in {tree}')
			changed = True
	for name, line in HOOKS.items():
		path = os.path.join(tree, name)
		lines = _read_lines(path)
		kept = [ln for ln in lines if ln != line]
		if kept != lines:
			_write_lines(path, kept)
			changed = True
	if os.path.isdir(odp) and not os.path.islink(odp):
		shutil.rmtree(odp)
		changed = True
	return changed
