# SPDX-License-Identifier: GPL-2.0
"""Put the project's components into a kernel tree, and take them out.

The tree gets one folder, odp/, holding links to the project's core/,
drivers/fake_hca/ and kunit/ and to its top-level Kconfig and Kbuild, plus
one line in the tree's Kconfig and one in its Kbuild. Nothing else in the
tree changes, and apply() run twice changes nothing the second time.
"""

import os
import shutil
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
	return True


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
	return changed


def remove(tree: str) -> bool:
	"""Undo apply(): drop the hook lines and the odp/ folder of links.

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
