# SPDX-License-Identifier: GPL-2.0
"""Find the kernel tree to build against.

KERNEL_SRC wins when set. Otherwise Debian's linux-source-6.12 tarball is
unpacked once into <project>/.cache/linux-source-6.12 and reused while the
tarball stays the same; a different tarball (new package version) is
unpacked again.
"""

import os
import shutil
import subprocess
import tarfile
import tempfile
from typing import Callable, Mapping, Optional, cast

PACKAGE = 'linux-source-6.12'
DEFAULT_TARBALL = '/usr/src/linux-source-6.12.tar.xz'
TREE_NAME = 'linux-source-6.12'
STAMP_NAME = TREE_NAME + '.stamp'


class TreeError(Exception):
	"""No usable kernel tree; the message says what to install."""


def is_kernel_tree(path: str) -> bool:
	return (os.path.isfile(os.path.join(path, 'Kbuild')) and
		os.path.isfile(os.path.join(path, 'tools/testing/kunit/kunit.py')))


def tarball_identity(tarball: str) -> str:
	"""A string that changes when the tarball does.

	The full path and the mtime in nanoseconds: an uncompressed tarball is
	padded to 10 KiB, so a rebuilt one often keeps its size, and whole
	seconds do not tell two builds in the same second apart.
	"""
	st = os.stat(tarball)
	return (f'{os.path.realpath(tarball)} size={st.st_size} '
		f'mtime_ns={st.st_mtime_ns}\n')


def _old_tarball_identity(tarball: str) -> str:
	"""The stamp earlier launchers wrote; accepted so a cache survives."""
	st = os.stat(tarball)
	return f'{os.path.basename(tarball)} size={st.st_size} mtime={int(st.st_mtime)}\n'


def cache_dir(project: str) -> str:
	return os.path.join(project, '.cache')


def unpack(tarball: str, project: str, log: Callable[[str], None] = print) -> str:
	"""Unpack tarball into the cache unless the same one is already there."""
	cache = cache_dir(project)
	tree = os.path.join(cache, TREE_NAME)
	stamp = os.path.join(cache, STAMP_NAME)
	ident = tarball_identity(tarball)
	if os.path.isfile(stamp) and is_kernel_tree(tree):
		with open(stamp) as f:
			found = f.read()
		if found == ident:
			return tree
		if found == _old_tarball_identity(tarball):
			with open(stamp, 'w') as f:
				f.write(ident)
			return tree
	os.makedirs(cache, exist_ok=True)
	log(f'[odp] unpacking {tarball} into {cache} (once) ...')
	tmp = tempfile.mkdtemp(prefix='unpack-', dir=cache)
	try:
		# tar(1) with xz is several times faster than tarfile.
		if shutil.which('tar'):
			subprocess.run(['tar', '-xf', tarball, '-C', tmp], check=True)
		else:
			with tarfile.open(tarball) as tf:
				# mypy 1.0.1's typeshed predates extractall()'s filter argument
				# (Python 3.11.4, PEP 706): ignore that one unknown keyword.
				tf.extractall(tmp, filter='data')  # type: ignore[call-arg]
		entries = os.listdir(tmp)
		if len(entries) != 1 or not is_kernel_tree(os.path.join(tmp, entries[0])):
			raise TreeError(f'{tarball} does not hold one kernel tree')
		if os.path.exists(tree):
			shutil.rmtree(tree)
		if os.path.exists(stamp):
			os.remove(stamp)
		os.rename(os.path.join(tmp, entries[0]), tree)
	finally:
		shutil.rmtree(tmp, ignore_errors=True)
	with open(stamp, 'w') as f:
		f.write(ident)
	return tree


def find_tree(project: str, environ: Optional[Mapping[str, str]] = None,
	      tarball: Optional[str] = None,
	      log: Callable[[str], None] = print) -> str:
	"""Return the kernel tree to use, unpacking the tarball if needed."""
	environ = os.environ if environ is None else environ
	src = environ.get('KERNEL_SRC')
	if src:
		src = os.path.abspath(src)
		if not is_kernel_tree(src):
			raise TreeError(f'KERNEL_SRC={src} is not a kernel source tree '
					'(no Kbuild or tools/testing/kunit/kunit.py)')
		return src
	# The cast only types the get() as str: mypy 1.0.1 infers Optional[str]
	# for it in the context of "tarball or". It changes nothing at run time.
	tarball = tarball or cast(str, environ.get('ODP_KERNEL_TARBALL', DEFAULT_TARBALL))
	if not os.path.isfile(tarball):
		raise TreeError(f'no kernel tree: set KERNEL_SRC, or install the '
				f'Debian package {PACKAGE} '
				f'(apt-get install {PACKAGE}) to get {tarball}')
	return unpack(tarball, project, log)
