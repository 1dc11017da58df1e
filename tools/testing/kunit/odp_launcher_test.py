#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests for the ODP test kernel's launcher (odp_launcher/).

Run from the project root:

	python3 tools/testing/kunit/odp_launcher_test.py [-v] [TestClass[.test]]

Standard library only. Every test works in its own temporary folder with a
fake kernel tree, a fake project and, where needed, a fake tarball; nothing
here reads or writes /usr/src, the project's .cache/ or .build/.
"""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from odp_launcher import args, logcheck, overlay, shards, tree  # noqa: E402
from odp_launcher import main as launcher  # noqa: E402

ENTRY = os.path.join(HERE, 'kunit.py')

TREE_KBUILD = textwrap.dedent('''\
	# SPDX-License-Identifier: GPL-2.0
	#
	# Kbuild for top-level directory of the kernel
	obj-y += init/
	obj-y += kernel/
''')
TREE_KCONFIG = textwrap.dedent('''\
	# SPDX-License-Identifier: GPL-2.0
	mainmenu "Linux/$(ARCH) $(KERNELVERSION) Kernel Configuration"

	source "init/Kconfig"
''')

CLEAN_LOG = textwrap.dedent('''\
	Core dump limits :
		soft - NONE
		hard - NONE
	Checking environment variables for a tempdir...none found
	Checking if /dev/shm is on tmpfs...OK
	Linux version 6.12.57 (root@build) (gcc (Debian 14.2.0-19) 14.2.0) #1 Tue Nov 24 20:00:00 UTC 2026
	Zone ranges:
	  Normal   [mem 0x0000000000000000-0x0000000023ffffff]
	Kernel command line: mem=1G console=tty kunit_shutdown=halt console=tty0 con=null
	Memory: 1016420K/1048576K available (4560K kernel code, 1234K rwdata)
	Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
	... MAX_LOCKDEP_SUBCLASSES:  8
	printk: legacy console [tty0] enabled
	clocksource: timer: mask: 0xffffffffffffffff max_cycles: 0x1cd42e205
	KTAP version 1
	1..2
	    KTAP version 1
	    # Subtest: odp_core
	    # module: odp_core_test
	    1..2
	    ok 1 odp_core_fault_warning_free
	    ok 2 odp_core_invalidate_race
	# odp_core: pass:2 fail:0 skip:0 total:2
	ok 1 odp_core
	    KTAP version 1
	    # Subtest: fake_hca
	    1..1
	    ok 1 fake_hca_bug_on_free_path # SKIP not built
	ok 2 fake_hca
	reboot: System halted
''')

WARNING_LOG = textwrap.dedent('''\
	    # Subtest: odp_core
	------------[ cut here ]------------
	WARNING: CPU: 0 PID: 31 at odp/core/odp.c:212 odp_invalidate+0x8e/0x120
	Modules linked in:
	CPU: 0 UID: 0 PID: 31 Comm: kunit_try_catch Tainted: G                 N 6.12.57 #1
	---[ end trace 0000000000000000 ]---
	    ok 1 odp_core_invalidate_race
''')

LOCKDEP_LOG = textwrap.dedent('''\
	======================================================
	WARNING: possible circular locking dependency detected
	6.12.57 #1 Tainted: G                 N
	------------------------------------------------------
	kunit_try_catch/33 is trying to acquire lock:
	000000006083a1a8 (&umem->lock){+.+.}-{3:3}, at: odp_fault+0x3c/0x140

	but task is already holding lock:
	000000006083a0f0 (&mr->lock){+.+.}-{3:3}, at: odp_invalidate+0x25/0x120

	which lock already depends on the new lock.
''')

LOCKDEP_NO_HEADER = textwrap.dedent('''\
	kernel: possible circular locking dependency detected
	kunit_try_catch/33 is trying to acquire lock:
''')

KASAN_LOG = textwrap.dedent('''\
	==================================================================
	BUG: KASAN: slab-out-of-bounds in odp_copy_pages+0x71/0xa0
	Read of size 8 at addr 000000006104c4c0 by task kunit_try_catch/40

	The buggy address belongs to the object at 000000006104c480
	 which belongs to the cache kmalloc-64 of size 64
	==================================================================
''')

UBSAN_LOG = textwrap.dedent('''\
	------------[ cut here ]------------
	UBSAN: array-index-out-of-bounds in odp/fake_hca/hca.c:88:14
	index 16 is out of range for type 'u64 [16]'
	---[ end trace ]---
''')

EXPECTED_SPLAT_LOG = textwrap.dedent('''\
	    # Subtest: odp_core
	    # odp_core_double_unmap_warns: odp-expect-splat: begin double unmap must warn
	------------[ cut here ]------------
	WARNING: CPU: 0 PID: 31 at odp/core/odp.c:300 odp_unmap+0x11/0x40
	---[ end trace 0000000000000000 ]---
	    # odp_core_double_unmap_warns: odp-expect-splat: end
	    ok 1 odp_core_double_unmap_warns
''')

# The fake kernel kunit.py used by the end-to-end tests. It records its
# argv in <tree>/fake-argv.json (and appends it to <tree>/fake-calls.json)
# and, for run and exec, writes a test.log into the build dir and, with
# --json=FILE, a result: odp_explore.odpt_explore_e1 (one parameter), and
# odp_core.odpt_core_a unless the filter glob leaves odp_core out.
# <tree>/fake-mode says what to do: clean, dirty (a WARNING: in the log),
# fail (clean log, exit 1), nolog (no log, exit 0), shard1fail (the kernel
# of explore shard 1 fails its case).
FAKE_KUNIT = textwrap.dedent('''\
	#!/usr/bin/env python3
	import json, os, sys
	root = os.path.abspath(os.path.join(os.path.dirname(
		os.path.abspath(__file__)), '..', '..', '..'))
	mode = 'clean'
	if os.path.exists(os.path.join(root, 'fake-mode')):
		with open(os.path.join(root, 'fake-mode')) as f:
			mode = f.read().strip()
	argv = sys.argv[1:]
	with open(os.path.join(root, 'fake-argv.json'), 'w') as f:
		json.dump(argv, f)
	with open(os.path.join(root, 'fake-calls.json'), 'a') as f:
		f.write(json.dumps(argv) + '\\n')
	build = [a.split('=', 1)[1] for a in argv if a.startswith('--build_dir=')]
	if build and argv[0] in ('run', 'exec') and mode != 'nolog':
		os.makedirs(build[-1], exist_ok=True)
		with open(os.path.join(build[-1], 'test.log'), 'w') as f:
			f.write('Linux version 6.12.57\\n')
			if mode == 'dirty':
				f.write('WARNING: CPU: 0 PID: 1 at odp/core/odp.c:1 x+0x1/0x2\\n')
			f.write('ok 1 odp_core\\n')
	out = [a.split('=', 1)[1] for a in argv if a.startswith('--json=')]
	if out and argv[0] in ('run', 'exec'):
		globs = [a for a in argv[1:] if not a.startswith('-')]
		shard1 = '--kernel_args=odp_kunit.explore_shard=1/2' in argv
		status = 'FAIL' if mode == 'shard1fail' and shard1 else 'PASS'
		param = {'name': 'odpt_explore_e1', 'sub_groups': [],
			 'test_cases': [{'name': 'seed', 'status': status}]}
		suites = [{'name': 'odp_explore', 'sub_groups': [param], 'test_cases': []}]
		if not globs or globs[0].startswith('odp_core'):
			suites.insert(0, {'name': 'odp_core', 'sub_groups': [],
					  'test_cases': [{'name': 'odpt_core_a', 'status': 'PASS'}]})
		if globs and globs[0].startswith('odp_core'):
			suites.pop()
		with open(out[-1], 'w') as f:
			json.dump({'name': 'KUnit Test Group', 'sub_groups': suites,
				   'test_cases': []}, f)
	shard1 = '--kernel_args=odp_kunit.explore_shard=1/2' in argv
	sys.exit(1 if mode == 'fail' or (mode == 'shard1fail' and shard1) else 0)
''')


def write(path, text, mode=None):
	os.makedirs(os.path.dirname(path), exist_ok=True)
	with open(path, 'w') as f:
		f.write(text)
	if mode is not None:
		os.chmod(path, mode)


def make_kernel_tree(path, kbuild=TREE_KBUILD):
	"""A minimal thing is_kernel_tree() accepts, with a fake kunit.py."""
	write(os.path.join(path, 'Kbuild'), kbuild)
	write(os.path.join(path, 'Kconfig'), TREE_KCONFIG)
	write(os.path.join(path, 'tools/testing/kunit/kunit.py'), FAKE_KUNIT, 0o755)
	write(os.path.join(path, 'init/main.c'), 'int main;\n')
	return path


def make_project(path):
	"""The parts of the project the overlay links and args.py names."""
	write(os.path.join(path, 'Kbuild'), 'obj-y += core/\n')
	write(os.path.join(path, 'Kconfig'), 'menu "ODP"\nendmenu\n')
	write(os.path.join(path, 'core/Kbuild'), 'obj-y += odp.o\n')
	write(os.path.join(path, 'drivers/fake_hca/Kbuild'), 'obj-y += hca.o\n')
	write(os.path.join(path, 'kunit/Kbuild'), 'obj-y += odp_test.o\n')
	write(os.path.join(path, '.kunitconfig'), 'CONFIG_KUNIT=y\n')
	write(os.path.join(path, 'arch-config/uml.config'), 'CONFIG_VIRTIO_UML=y\n')
	write(os.path.join(path, 'arch-config/debug.config'), 'CONFIG_KASAN=y\n')
	return path


def make_tarball(tarball, workdir, kbuild=TREE_KBUILD, top=tree.TREE_NAME):
	"""Pack a fake kernel tree, with one top folder, into tarball."""
	src = os.path.join(workdir, 'src-' + os.path.basename(tarball))
	shutil.rmtree(src, ignore_errors=True)
	make_kernel_tree(os.path.join(src, top), kbuild)
	with tarfile.open(tarball, 'w') as tf:
		tf.add(os.path.join(src, top), arcname=top)
	shutil.rmtree(src)
	return tarball


def snapshot(root):
	"""Everything under root: file bytes, link targets, folders."""
	out = {}
	for dirpath, dirnames, filenames in os.walk(root):
		for name in dirnames + filenames:
			path = os.path.join(dirpath, name)
			rel = os.path.relpath(path, root)
			if os.path.islink(path):
				out[rel] = ('link', os.readlink(path))
			elif os.path.isdir(path):
				out[rel] = ('dir',)
			else:
				with open(path, 'rb') as f:
					out[rel] = ('file', f.read())
	return out


class TempDirTest(unittest.TestCase):

	def setUp(self):
		self.tmp = tempfile.mkdtemp(prefix='odp-launcher-test-')
		self.addCleanup(shutil.rmtree, self.tmp, True)

	def path(self, *parts):
		return os.path.join(self.tmp, *parts)


class TreeDiscoveryTest(TempDirTest):

	def test_kernel_src_valid(self):
		ktree = make_kernel_tree(self.path('linux'))
		got = tree.find_tree(self.path('proj'), {'KERNEL_SRC': ktree},
				     tarball=self.path('none.tar.xz'))
		self.assertEqual(got, ktree)
		self.assertFalse(os.path.exists(self.path('proj')))

	def test_kernel_src_relative_is_made_absolute(self):
		make_kernel_tree(self.path('linux'))
		old = os.getcwd()
		os.chdir(self.tmp)
		self.addCleanup(os.chdir, old)
		got = tree.find_tree(self.path('proj'), {'KERNEL_SRC': 'linux'})
		self.assertEqual(got, os.path.realpath(self.path('linux')))

	def test_kernel_src_wins_over_tarball(self):
		ktree = make_kernel_tree(self.path('linux'))
		tarball = make_tarball(self.path('k.tar'), self.tmp)
		with mock.patch.object(tree, 'unpack') as unpack:
			got = tree.find_tree(self.path('proj'), {
				'KERNEL_SRC': ktree, 'ODP_KERNEL_TARBALL': tarball})
		self.assertEqual(got, ktree)
		unpack.assert_not_called()

	def test_kernel_src_invalid(self):
		os.makedirs(self.path('empty'))
		with self.assertRaises(tree.TreeError) as cm:
			tree.find_tree(self.path('proj'), {'KERNEL_SRC': self.path('empty')})
		self.assertIn(self.path('empty'), str(cm.exception))
		self.assertIn('KERNEL_SRC', str(cm.exception))

	def test_kernel_src_without_kunit_py_is_invalid(self):
		ktree = make_kernel_tree(self.path('linux'))
		os.remove(os.path.join(ktree, 'tools/testing/kunit/kunit.py'))
		with self.assertRaises(tree.TreeError):
			tree.find_tree(self.path('proj'), {'KERNEL_SRC': ktree})

	def test_no_tree_no_tarball_names_the_package(self):
		missing = self.path('no', 'linux-source.tar.xz')
		with self.assertRaises(tree.TreeError) as cm:
			tree.find_tree(self.path('proj'), {}, tarball=missing)
		msg = str(cm.exception)
		self.assertIn('linux-source-6.12', msg)
		self.assertIn('apt-get install linux-source-6.12', msg)
		self.assertIn('KERNEL_SRC', msg)
		self.assertIn(missing, msg)
		self.assertFalse(os.path.exists(self.path('proj')))

	def test_tarball_from_environment(self):
		missing = self.path('elsewhere.tar.xz')
		with self.assertRaises(tree.TreeError) as cm:
			tree.find_tree(self.path('proj'), {'ODP_KERNEL_TARBALL': missing})
		self.assertIn(missing, str(cm.exception))
		tarball = make_tarball(self.path('k.tar'), self.tmp)
		got = tree.find_tree(self.path('proj'), {'ODP_KERNEL_TARBALL': tarball},
				     log=lambda msg: None)
		self.assertEqual(got, self.path('proj', '.cache', 'linux-source-6.12'))
		self.assertTrue(tree.is_kernel_tree(got))

	def test_default_tarball_is_debians(self):
		self.assertEqual(tree.DEFAULT_TARBALL, '/usr/src/linux-source-6.12.tar.xz')
		self.assertEqual(tree.PACKAGE, 'linux-source-6.12')
		# Without KERNEL_SRC and ODP_KERNEL_TARBALL the default is used
		# (patched here: the test must not look at /usr/src).
		missing = self.path('usr-src', 'linux-source-6.12.tar.xz')
		with mock.patch.object(tree, 'DEFAULT_TARBALL', missing):
			with self.assertRaises(tree.TreeError) as cm:
				tree.find_tree(self.path('proj'), {})
		self.assertIn(missing, str(cm.exception))


class TarballCacheTest(TempDirTest):

	def setUp(self):
		super().setUp()
		self.project = make_project(self.path('proj'))
		self.tarball = make_tarball(self.path('linux-source-6.12.tar'), self.tmp)
		self.cached = os.path.join(self.project, '.cache', 'linux-source-6.12')
		self.stamp = os.path.join(self.project, '.cache', 'linux-source-6.12.stamp')
		self.logged = []

	def find(self):
		return tree.find_tree(self.project, {}, tarball=self.tarball,
				      log=self.logged.append)

	def read(self, *parts):
		with open(os.path.join(self.cached, *parts)) as f:
			return f.read()

	def test_first_call_unpacks(self):
		self.assertEqual(self.find(), self.cached)
		self.assertTrue(tree.is_kernel_tree(self.cached))
		self.assertEqual(self.read('Kbuild'), TREE_KBUILD)
		self.assertTrue(os.path.isfile(self.stamp))
		self.assertEqual(len(self.logged), 1)
		self.assertIn('unpacking', self.logged[0])
		# No temporary unpack-* folder is left behind.
		self.assertEqual(sorted(os.listdir(os.path.dirname(self.cached))),
				 ['linux-source-6.12', 'linux-source-6.12.stamp'])

	def test_xz_tarball(self):
		xz = self.path('linux-source-6.12.tar.xz')
		with tarfile.open(self.tarball) as src, tarfile.open(xz, 'w:xz') as dst:
			for member in src.getmembers():
				dst.addfile(member, src.extractfile(member) if member.isfile() else None)
		self.tarball = xz
		self.assertEqual(self.find(), self.cached)
		self.assertEqual(self.read('Kbuild'), TREE_KBUILD)

	def test_second_call_reuses_without_unpacking(self):
		self.find()
		inode = os.stat(self.cached).st_ino
		# A file the tarball does not have survives if nothing is unpacked.
		write(os.path.join(self.cached, 'odp-marker'), 'x')
		with mock.patch.object(tree.subprocess, 'run') as run, \
		     mock.patch.object(tree.tarfile, 'open') as topen, \
		     mock.patch.object(tree.tempfile, 'mkdtemp') as mkdtemp:
			self.assertEqual(self.find(), self.cached)
		run.assert_not_called()
		topen.assert_not_called()
		mkdtemp.assert_not_called()
		self.assertEqual(os.stat(self.cached).st_ino, inode)
		self.assertTrue(os.path.exists(os.path.join(self.cached, 'odp-marker')))
		self.assertEqual(len(self.logged), 1)

	def test_changed_tarball_is_unpacked_again(self):
		self.find()
		write(os.path.join(self.cached, 'odp-marker'), 'x')
		os.remove(self.tarball)
		make_tarball(self.tarball, self.tmp, kbuild=TREE_KBUILD + 'obj-y += mm/\n')
		st = os.stat(self.tarball)
		os.utime(self.tarball, (st.st_atime, st.st_mtime + 10))
		self.assertEqual(self.find(), self.cached)
		self.assertEqual(self.read('Kbuild'), TREE_KBUILD + 'obj-y += mm/\n')
		self.assertFalse(os.path.exists(os.path.join(self.cached, 'odp-marker')))
		self.assertEqual(len(self.logged), 2)

	def test_changed_tarball_same_size_same_second(self):
		"""A rebuilt tarball of the same size within the same second.

		Uncompressed tarballs are padded to 10 KiB, so a small change
		keeps the size; the stamp must still see the change.
		"""
		base = int(time.time()) - 100
		os.utime(self.tarball, (base, base + 0.1))
		self.find()
		size = os.path.getsize(self.tarball)
		os.remove(self.tarball)
		make_tarball(self.tarball, self.tmp, kbuild=TREE_KBUILD.replace('init', 'INIT'))
		os.utime(self.tarball, (base, base + 0.7))
		self.assertEqual(os.path.getsize(self.tarball), size)
		self.find()
		self.assertEqual(self.read('Kbuild'), TREE_KBUILD.replace('init', 'INIT'))

	def test_other_tarball_same_name_size_and_time(self):
		"""ODP_KERNEL_TARBALL switched to another file of the same name."""
		self.find()
		other = self.path('other', 'linux-source-6.12.tar')
		os.makedirs(os.path.dirname(other))
		make_tarball(other, self.tmp, kbuild=TREE_KBUILD.replace('init', 'INIT'))
		st = os.stat(self.tarball)
		os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
		self.tarball = other
		self.find()
		self.assertEqual(self.read('Kbuild'), TREE_KBUILD.replace('init', 'INIT'))

	def test_stamp_of_older_launcher_is_still_accepted(self):
		"""No re-unpack (and full rebuild) just because the stamp format changed."""
		st = os.stat(self.tarball)
		self.find()
		with open(self.stamp, 'w') as f:
			f.write(f'linux-source-6.12.tar size={st.st_size} mtime={int(st.st_mtime)}\n')
		write(os.path.join(self.cached, 'odp-marker'), 'x')
		self.find()
		self.assertTrue(os.path.exists(os.path.join(self.cached, 'odp-marker')))
		self.assertEqual(len(self.logged), 1)
		with open(self.stamp) as f:
			self.assertEqual(f.read(), tree.tarball_identity(self.tarball))

	def test_missing_tree_with_stamp_is_unpacked_again(self):
		self.find()
		shutil.rmtree(self.cached)
		self.assertEqual(self.find(), self.cached)
		self.assertTrue(tree.is_kernel_tree(self.cached))

	def test_python_fallback_without_tar(self):
		with mock.patch.object(tree.shutil, 'which', return_value=None), \
		     mock.patch.object(tree.subprocess, 'run') as run:
			self.assertEqual(self.find(), self.cached)
		run.assert_not_called()
		self.assertEqual(self.read('Kbuild'), TREE_KBUILD)

	def test_tarball_without_kernel_tree(self):
		bad = self.path('bad.tar')
		make_tarball(bad, self.tmp, top='not-linux')
		os.remove(os.path.join(self.tmp, 'bad.tar'))
		write(self.path('junk', 'README'), 'not a kernel\n')
		with tarfile.open(bad, 'w') as tf:
			tf.add(self.path('junk'), arcname='junk')
		self.tarball = bad
		with self.assertRaises(tree.TreeError):
			self.find()
		cache = os.path.join(self.project, '.cache')
		self.assertEqual(os.listdir(cache), [])


class OverlayTest(TempDirTest):

	def setUp(self):
		super().setUp()
		self.project = make_project(self.path('proj'))
		self.ktree = make_kernel_tree(self.path('linux'))
		self.original = snapshot(self.ktree)

	def hook_count(self, name):
		with open(os.path.join(self.ktree, name)) as f:
			return f.read().splitlines().count(overlay.HOOKS[name])

	def test_apply_links_and_hooks(self):
		self.assertFalse(overlay.is_applied(self.ktree, self.project))
		self.assertTrue(overlay.apply(self.ktree, self.project))
		self.assertTrue(overlay.is_applied(self.ktree, self.project))
		odp = os.path.join(self.ktree, 'odp')
		self.assertEqual(sorted(os.listdir(odp)),
				 ['Kbuild', 'Kconfig', 'core', 'fake_hca', 'kunit'])
		self.assertEqual(os.readlink(os.path.join(odp, 'fake_hca')),
				 os.path.join(self.project, 'drivers', 'fake_hca'))
		self.assertTrue(os.path.isfile(os.path.join(odp, 'core', 'Kbuild')))
		self.assertEqual(self.hook_count('Kconfig'), 1)
		self.assertEqual(self.hook_count('Kbuild'), 1)
		with open(os.path.join(self.ktree, 'Kbuild')) as f:
			self.assertTrue(f.read().startswith(TREE_KBUILD))
		# Nothing else in the tree changed.
		after = snapshot(self.ktree)
		changed = {k for k in set(after) | set(self.original)
			   if after.get(k) != self.original.get(k)}
		self.assertEqual(changed, {'Kbuild', 'Kconfig', 'odp', 'odp/core',
					   'odp/fake_hca', 'odp/kunit', 'odp/Kbuild',
					   'odp/Kconfig'})

	def test_apply_twice_changes_nothing(self):
		self.assertTrue(overlay.apply(self.ktree, self.project))
		once = snapshot(self.ktree)
		self.assertFalse(overlay.apply(self.ktree, self.project))
		self.assertEqual(snapshot(self.ktree), once)
		self.assertEqual(self.hook_count('Kbuild'), 1)

	def test_apply_repairs_a_missing_piece(self):
		overlay.apply(self.ktree, self.project)
		once = snapshot(self.ktree)
		os.remove(os.path.join(self.ktree, 'odp', 'kunit'))
		self.assertTrue(overlay.apply(self.ktree, self.project))
		self.assertEqual(snapshot(self.ktree), once)

	def test_apply_follows_a_moved_project(self):
		overlay.apply(self.ktree, self.project)
		moved = make_project(self.path('proj2'))
		self.assertTrue(overlay.apply(self.ktree, moved))
		self.assertTrue(overlay.is_applied(self.ktree, moved))
		self.assertEqual(self.hook_count('Kconfig'), 1)

	def test_remove_restores_the_tree(self):
		overlay.apply(self.ktree, self.project)
		self.assertTrue(overlay.remove(self.ktree, self.project))
		self.assertEqual(snapshot(self.ktree), self.original)
		# And the project itself is untouched by the rmtree of the links.
		self.assertTrue(os.path.isfile(os.path.join(self.project, 'core', 'Kbuild')))

	def test_remove_on_a_clean_tree_changes_nothing(self):
		self.assertFalse(overlay.remove(self.ktree, self.project))
		self.assertEqual(snapshot(self.ktree), self.original)

	def test_remove_refuses_foreign_files(self):
		overlay.apply(self.ktree, self.project)
		write(os.path.join(self.ktree, 'odp', 'notes.txt'), 'mine\n')
		with self.assertRaises(RuntimeError) as cm:
			overlay.remove(self.ktree, self.project)
		self.assertIn('notes.txt', str(cm.exception))
		with open(os.path.join(self.ktree, 'odp', 'notes.txt')) as f:
			self.assertEqual(f.read(), 'mine\n')
		# Refusing means not touching anything: the hooks stay too.
		self.assertTrue(overlay.is_applied(self.ktree, self.project))
		self.assertEqual(self.hook_count('Kbuild'), 1)

	def test_remove_refuses_foreign_links(self):
		overlay.apply(self.ktree, self.project)
		os.symlink('/somewhere/else', os.path.join(self.ktree, 'odp', 'extra'))
		before = snapshot(self.ktree)
		with self.assertRaises(RuntimeError):
			overlay.remove(self.ktree, self.project)
		self.assertEqual(snapshot(self.ktree), before)

	def add_hook(self, old='int x;\n', new='int x;\nhook();\n'):
		"""A kernel file and a kernel-hooks patch of the project for it."""
		write(os.path.join(self.ktree, 'drivers/x.c'), 'int x;\n')
		self.original = snapshot(self.ktree)
		write(os.path.join(self.project, 'kernel-hooks/x.patch'),
		      '--- a/drivers/x.c\n+++ b/drivers/x.c\n@@ -1 +1,2 @@\n'
		      ' int x;\n+hook();\n')

	def test_apply_patches_the_hooks_once(self):
		self.add_hook()
		self.assertTrue(overlay.apply(self.ktree, self.project))
		with open(os.path.join(self.ktree, 'drivers/x.c')) as f:
			self.assertEqual(f.read(), 'int x;\nhook();\n')
		self.assertTrue(overlay.is_applied(self.ktree, self.project))
		once = snapshot(self.ktree)
		self.assertFalse(overlay.apply(self.ktree, self.project))
		self.assertEqual(snapshot(self.ktree), once)

	def test_remove_reverses_the_hooks(self):
		self.add_hook()
		overlay.apply(self.ktree, self.project)
		self.assertTrue(overlay.remove(self.ktree, self.project))
		self.assertEqual(snapshot(self.ktree), self.original)

	def test_a_hook_that_does_not_apply_is_an_error(self):
		self.add_hook()
		write(os.path.join(self.ktree, 'drivers/x.c'), 'long y;\n')
		with self.assertRaises(RuntimeError) as cm:
			overlay.apply(self.ktree, self.project)
		self.assertIn('x.patch does not apply', str(cm.exception))
		with open(os.path.join(self.ktree, 'drivers/x.c')) as f:
			self.assertEqual(f.read(), 'long y;\n')

	def test_apply_refuses_foreign_odp(self):
		write(os.path.join(self.ktree, 'odp'), 'a file\n')
		with self.assertRaises(RuntimeError):
			overlay.apply(self.ktree, self.project)
		os.remove(os.path.join(self.ktree, 'odp'))
		write(os.path.join(self.ktree, 'odp', 'core'), 'a file\n')
		with self.assertRaises(RuntimeError):
			overlay.apply(self.ktree, self.project)
		with open(os.path.join(self.ktree, 'odp', 'core')) as f:
			self.assertEqual(f.read(), 'a file\n')


PROJ = '/home/dev/odp'
CWD = '/home/dev/odp'
UM_DEFAULTS = ['--arch=um', f'--build_dir={PROJ}/.build/um',
	       f'--kunitconfig={PROJ}/.kunitconfig',
	       f'--kunitconfig={PROJ}/arch-config/uml.config']


class ArgsTest(unittest.TestCase):

	def fwd(self, *argv, cwd=CWD):
		return args.parse(list(argv), PROJ, cwd=cwd, cpus=7).forward

	def test_defaults_per_subcommand(self):
		self.assertEqual(self.fwd('run'), ['run'] + UM_DEFAULTS + ['--jobs=7'])
		self.assertEqual(self.fwd('build'), ['build'] + UM_DEFAULTS + ['--jobs=7'])
		self.assertEqual(self.fwd('config'), ['config'] + UM_DEFAULTS)
		self.assertEqual(self.fwd('exec'), ['exec'] + UM_DEFAULTS)
		self.assertEqual(self.fwd('parse'), ['parse'])
		self.assertEqual(self.fwd(), [])

	def test_build_dir_is_reported(self):
		self.assertEqual(args.parse(['run'], PROJ, cwd=CWD, cpus=1).build_dir,
				 f'{PROJ}/.build/um')
		self.assertIsNone(args.parse(['parse'], PROJ, cwd=CWD, cpus=1).build_dir)
		req = args.parse(['exec', '--build_dir', 'b'], PROJ, cwd='/tmp/x', cpus=1)
		self.assertEqual(req.build_dir, '/tmp/x/b')

	def test_cpus_default_from_affinity(self):
		req = args.parse(['build'], PROJ, cwd=CWD)
		self.assertIn(f'--jobs={len(os.sched_getaffinity(0))}', req.forward)

	def test_debug(self):
		req = args.parse(['--debug', 'run'], PROJ, cwd=CWD, cpus=2)
		self.assertTrue(req.debug)
		self.assertEqual(req.forward, [
			'run', '--arch=um', f'--build_dir={PROJ}/.build/um-debug',
			f'--kunitconfig={PROJ}/.kunitconfig',
			f'--kunitconfig={PROJ}/arch-config/uml.config',
			f'--kunitconfig={PROJ}/arch-config/debug.config', '--jobs=2',
			'--timeout=7200'])
		# a timeout of the user's stays the only one
		got = args.parse(['--debug', 'run', '--timeout=60'], PROJ, cwd=CWD, cpus=2).forward
		self.assertEqual([a for a in got if a.startswith('--timeout')], ['--timeout=60'])
		self.assertNotIn('--timeout=7200', args.parse(['run'], PROJ, cwd=CWD, cpus=2).forward)

	def test_launcher_flags_are_stripped_anywhere(self):
		for argv in (['--debug', '--allow_log_warnings', '--remove_overlay', 'exec'],
			     ['exec', '--remove_overlay', '--allow_log_warnings', '--debug']):
			req = args.parse(argv, PROJ, cwd=CWD, cpus=1)
			self.assertTrue(req.debug and req.allow_log_warnings and req.remove_overlay)
			self.assertEqual(req.subcommand, 'exec')
			for flag in args.LAUNCHER_FLAGS:
				self.assertNotIn(flag, req.forward)
		req = args.parse(['run'], PROJ, cwd=CWD, cpus=1)
		self.assertFalse(req.debug or req.allow_log_warnings or req.remove_overlay)

	def test_relative_paths_made_absolute(self):
		with tempfile.TemporaryDirectory() as cwd:
			for name in ('my.config', 'q.py'):
				write(os.path.join(cwd, name), '')
			got = self.fwd('run', '--build_dir=out', '--kunitconfig', 'my.config',
				       '--qemu_config=q.py', cwd=cwd)
			self.assertEqual(got, ['run', f'--build_dir={cwd}/out',
					       f'--kunitconfig={cwd}/my.config',
					       f'--qemu_config={cwd}/q.py', '--arch=um',
					       f'--kunitconfig={PROJ}/arch-config/uml.config',
					       '--jobs=7'])

	def test_tree_relative_kunitconfig_left_for_the_tree(self):
		with tempfile.TemporaryDirectory() as cwd:
			got = self.fwd('run', '--kunitconfig=lib/kunit', cwd=cwd)
		self.assertIn('--kunitconfig=lib/kunit', got)
		self.assertNotIn(f'--kunitconfig={PROJ}/.kunitconfig', got)

	def test_absolute_paths_unchanged(self):
		got = self.fwd('config', '--build_dir=/b', '--kunitconfig=/k/.kunitconfig')
		self.assertIn('--build_dir=/b', got)
		self.assertIn('--kunitconfig=/k/.kunitconfig', got)

	def test_user_values_not_overridden(self):
		got = self.fwd('build', '--arch', 'x86_64', '--jobs', '3',
			       '--build_dir=/b', '--kunitconfig=/k')
		self.assertEqual(got, ['build', '--arch=x86_64', '--jobs=3',
				       '--build_dir=/b', '--kunitconfig=/k',
				       f'--kunitconfig={PROJ}/arch-config/x86_64.config'])
		self.assertEqual(self.fwd('run', '--arch=x86_64'), [
			'run', '--arch=x86_64', f'--build_dir={PROJ}/.build/x86_64',
			'--qemu_args=-smp 2',
			f'--kunitconfig={PROJ}/.kunitconfig',
			f'--kunitconfig={PROJ}/arch-config/x86_64.config', '--jobs=7',
			'--timeout=7200'])
		self.assertIn('--qemu_args=-smp 4', self.fwd('run', '--arch=x86_64',
							     '--qemu_args=-smp 4'))
		self.assertNotIn('--qemu_args=-smp 2', self.fwd('run', '--arch=x86_64',
								'--qemu_args=-smp 4'))
		self.assertEqual(self.fwd('run', '--arch=um', '--jobs=1'), [
			'run', '--arch=um', '--jobs=1', f'--build_dir={PROJ}/.build/um',
			f'--kunitconfig={PROJ}/.kunitconfig',
			f'--kunitconfig={PROJ}/arch-config/uml.config'])

	def test_kcsan(self):
		req = args.parse(['run', '--arch=x86_64', '--kcsan'], PROJ, cwd=CWD, cpus=2)
		self.assertIsNone(req.error)
		self.assertEqual(req.build_dir, f'{PROJ}/.build/x86_64-kcsan')
		self.assertEqual(req.forward[-3:], [f'--kunitconfig={PROJ}/arch-config/kcsan.config',
						    '--jobs=2', '--timeout=7200'])
		self.assertIn('x86_64', args.parse(['run', '--kcsan'], PROJ, cwd=CWD, cpus=2).error)
		self.assertIn('--debug', args.parse(['run', '--arch=x86_64', '--kcsan', '--debug'],
						    PROJ, cwd=CWD, cpus=2).error)

	def test_repeated_kunitconfig_kept_and_not_duplicated(self):
		with tempfile.TemporaryDirectory() as proj:
			for name in ('.kunitconfig', 'arch-config/uml.config', 'x.config'):
				write(os.path.join(proj, name), '')
			got = args.parse(['run', '--kunitconfig=.kunitconfig',
					  '--kunitconfig=arch-config/uml.config',
					  '--kunitconfig=x.config'], proj, cwd=proj,
					 cpus=7).forward
			self.assertEqual([a for a in got if a.startswith('--kunitconfig')], [
				f'--kunitconfig={proj}/.kunitconfig',
				f'--kunitconfig={proj}/arch-config/uml.config',
				f'--kunitconfig={proj}/x.config'])

	def test_jobs_only_for_run_and_build(self):
		for sub in ('config', 'exec', 'parse'):
			self.assertFalse([a for a in self.fwd(sub) if a.startswith('--jobs')], sub)
		for sub in ('run', 'build'):
			self.assertIn('--jobs=7', self.fwd(sub))

	def test_filter_globs_and_values_untouched(self):
		got = self.fwd('run', 'odp_core*.race_*', '--filter', 'speed>slow',
			       '--filter_action=skip', '--kernel_args=odp.verbose=1',
			       '--kernel_args', 'panic=-1', '--kconfig_add=CONFIG_KASAN=y',
			       '--kconfig_add', 'CONFIG_UBSAN=y', '--timeout', '60',
			       '--make_options', 'CC=clang', '--qemu_args', '-smp 2',
			       '--run_isolated=suite', '--alltests', '--list_tests',
			       '--list_tests_attr', '--cross_compile=x86_64-linux-gnu-')
		self.assertEqual(got[:17], [
			'run', 'odp_core*.race_*', '--filter=speed>slow',
			'--filter_action=skip', '--kernel_args=odp.verbose=1',
			'--kernel_args=panic=-1', '--kconfig_add=CONFIG_KASAN=y',
			'--kconfig_add=CONFIG_UBSAN=y', '--timeout=60',
			'--make_options=CC=clang', '--qemu_args=-smp 2',
			'--run_isolated=suite', '--alltests', '--list_tests',
			'--list_tests_attr', '--cross_compile=x86_64-linux-gnu-',
			'--arch=um'])
		self.assertEqual(self.fwd('exec', 'fake_hca.*')[:2], ['exec', 'fake_hca.*'])

	def test_json_and_raw_output(self):
		self.assertIn('--json', self.fwd('run', '--json'))
		self.assertIn('--json=stdout', self.fwd('run', '--json=stdout'))
		self.assertIn(f'--json={CWD}/out/r.json', self.fwd('run', '--json=out/r.json'))
		self.assertIn('--json=/abs/r.json', self.fwd('exec', '--json=/abs/r.json'))
		self.assertEqual(self.fwd('run', '--raw_output')[1], '--raw_output')
		self.assertEqual(self.fwd('run', '--raw_output=kunit')[1], '--raw_output=kunit')

	def test_bare_json_and_raw_output_take_no_next_word(self):
		# The kernel's kunit.py rewrites a bare --json to --json=stdout and
		# --raw_output to --raw_output=kunit (massage_argv), so the next
		# word is the filter glob or the parse input file, never their value.
		self.assertEqual(self.fwd('run', '--json', 'odp_core*')[:3],
				 ['run', '--json', 'odp_core*'])
		self.assertEqual(self.fwd('parse', '--json', 'r.log'),
				 ['parse', '--json', f'{CWD}/r.log'])
		self.assertEqual(self.fwd('parse', '--raw_output', 'r.log'),
				 ['parse', '--raw_output', f'{CWD}/r.log'])

	def test_parse(self):
		self.assertEqual(self.fwd('parse', 'results.log'),
				 ['parse', f'{CWD}/results.log'])
		self.assertEqual(self.fwd('parse', '/tmp/results.log'),
				 ['parse', '/tmp/results.log'])
		self.assertEqual(self.fwd('parse', '--json', '--raw_output=all', 'r.log'),
				 ['parse', '--json', '--raw_output=all', f'{CWD}/r.log'])
		self.assertEqual(self.fwd('parse', '--json=o.json', 'r.log'),
				 ['parse', f'--json={CWD}/o.json', f'{CWD}/r.log'])
		self.assertEqual(self.fwd('--debug', 'parse'), ['parse'])

	def test_help(self):
		for argv in (['--help'], ['-h'], ['run', '--help'], ['parse', '-h']):
			req = args.parse(argv, PROJ, cwd=CWD, cpus=1)
			self.assertTrue(req.help)
			self.assertEqual(req.forward, argv)
		text = args.help_text()
		for flag in args.LAUNCHER_FLAGS:
			self.assertIn(flag, text)

	def test_every_kernel_subcommand_is_known(self):
		self.assertEqual(set(args.SUBCOMMANDS),
				 {'run', 'build', 'config', 'exec', 'parse'})
		for sub in args.SUBCOMMANDS:
			self.assertEqual(args.parse([sub], PROJ, cwd=CWD, cpus=1).subcommand, sub)


class LogCheckTest(unittest.TestCase):

	def bad(self, text):
		return logcheck.bad_lines(io.StringIO(text))

	def test_clean_boot_log(self):
		self.assertEqual(self.bad(CLEAN_LOG), [])

	def test_warning(self):
		self.assertEqual(self.bad(WARNING_LOG), [
			'WARNING: CPU: 0 PID: 31 at odp/core/odp.c:212 odp_invalidate+0x8e/0x120'])

	def test_lockdep_circular(self):
		self.assertEqual(self.bad(LOCKDEP_LOG),
				 ['WARNING: possible circular locking dependency detected'])
		self.assertEqual(len(self.bad(LOCKDEP_NO_HEADER)), 1)
		self.assertEqual(len(self.bad('possible recursive locking detected\n'
					      'inconsistent lock state\n'
					      'INFO: lockdep is turned off.\n')), 3)

	def test_kasan(self):
		self.assertEqual(self.bad(KASAN_LOG),
				 ['BUG: KASAN: slab-out-of-bounds in odp_copy_pages+0x71/0xa0'])

	def test_ubsan(self):
		self.assertEqual(self.bad(UBSAN_LOG),
				 ['UBSAN: array-index-out-of-bounds in odp/fake_hca/hca.c:88:14'])

	def test_other_reports(self):
		for line in ('BUG: sleeping function called from invalid context at mm/x.c:1',
			     'unreferenced object 0x6104c480 (size 64):',
			     'Kernel panic - not syncing: Attempted to kill init!',
			     'Oops: general protection fault'):
			self.assertEqual(self.bad(line + '\n'), [line])

	def test_kmemleak_summary(self):
		# Without kmemleak.verbose=1 the scan logs only this summary; the
		# "unreferenced object" lines are in /sys/kernel/debug/kmemleak.
		line = 'kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
		self.assertEqual(self.bad(line + '\n'), [line])

	def test_expected_splat_between_markers(self):
		self.assertEqual(self.bad(EXPECTED_SPLAT_LOG), [])
		# Only between the markers: the same splat after them fails.
		self.assertEqual(len(self.bad(EXPECTED_SPLAT_LOG + WARNING_LOG)), 1)
		self.assertEqual(len(self.bad(WARNING_LOG + EXPECTED_SPLAT_LOG)), 1)

	def test_expected_splat_ends_with_its_test(self):
		# A KUNIT_ASSERT that fails between the markers ends the test case
		# before it prints the end marker; the region must not run on and
		# hide the rest of the boot.
		log = textwrap.dedent('''\
			    # odp_core_double_unmap_warns: odp-expect-splat: begin double unmap
			WARNING: CPU: 0 PID: 31 at odp/core/odp.c:300 odp_unmap+0x11/0x40
			    # odp_core_double_unmap_warns: ASSERTION FAILED at kunit/odp_test.c:40
			    not ok 1 odp_core_double_unmap_warns
			BUG: KASAN: use-after-free in odp_fault+0x10/0x20
			[    1.234567]     ok 2 odp_core_fault
			WARNING: CPU: 0 PID: 32 at odp/core/odp.c:10 odp_fault+0x1/0x2
		''')
		self.assertEqual(self.bad(log), [
			'BUG: KASAN: use-after-free in odp_fault+0x10/0x20',
			'WARNING: CPU: 0 PID: 32 at odp/core/odp.c:10 odp_fault+0x1/0x2'])

	def test_expected_lockdep_report(self):
		report = ('WARNING: possible circular locking dependency detected\n'
			  '6.12.0 #1 Not tainted\n')
		begin = '    # odpt_seed_lockdep_register: odp-expect-splat: begin lockdep: v1\n'
		end = '    # odpt_seed_lockdep_register: odp-expect-splat: end\n'
		self.assertEqual(self.bad(begin + report + end + '    ok 1 odpt_seed_lockdep_register\n'), [])
		# The report must come.
		missing = self.bad(begin + end)
		self.assertEqual(len(missing), 1)
		self.assertIn('no lockdep report where one was expected', missing[0])
		self.assertEqual(len(self.bad(begin + '    not ok 1 odpt_seed_lockdep_register\n')), 1)
		self.assertEqual(len(self.bad(begin)), 1)
		# Another expected splat owes no lockdep report.
		self.assertEqual(self.bad('odp-expect-splat: begin seed sleeps\nodp-expect-splat: end\n'), [])
		# Nothing may start after lockdep switched itself off.
		later = self.bad(begin + report + end + '    # Subtest: odp_core\n')
		self.assertEqual(len(later), 1)
		self.assertIn('odp_core ran after lockdep switched itself off', later[0])
		self.assertEqual(self.bad('    # Subtest: odp_core\n' + begin + report + end), [])

	def test_check_file(self):
		with tempfile.NamedTemporaryFile('wb', suffix='.log') as f:
			f.write(CLEAN_LOG.encode() + b'\xff\xfe garbage\n' + KASAN_LOG.encode())
			f.flush()
			self.assertEqual(len(logcheck.check_file(f.name)), 1)


class FakeKunitTest(TempDirTest):
	"""A fake kernel tree with a fake kunit.py, and main() to run on it."""

	def setUp(self):
		super().setUp()
		self.project = make_project(self.path('proj'))
		self.ktree = make_kernel_tree(self.path('linux'))
		self.original = snapshot(self.ktree)
		self.build = self.path('build')
		patcher = mock.patch.object(launcher, 'project_root', return_value=self.project)
		patcher.start()
		self.addCleanup(patcher.stop)

	def mode(self, mode):
		write(os.path.join(self.ktree, 'fake-mode'), mode + '\n')

	def run_main(self, *argv, environ=None):
		environ = {'KERNEL_SRC': self.ktree} if environ is None else environ
		out, err = io.StringIO(), io.StringIO()
		with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
			rc = launcher.main(list(argv), environ=environ)
		self.out, self.err = out.getvalue(), err.getvalue()
		return rc

	def fake_argv(self):
		path = os.path.join(self.ktree, 'fake-argv.json')
		if not os.path.exists(path):
			return None
		with open(path) as f:
			return json.load(f)


class MainTest(FakeKunitTest):
	"""main() end to end against a fake kernel tree with a fake kunit.py."""

	def test_clean_run(self):
		self.assertEqual(self.run_main('run', 'odp*'), 0)
		build = os.path.join(self.project, '.build', 'um')
		self.assertEqual(self.fake_argv(), [
			'run', 'odp*', '--arch=um', f'--build_dir={build}',
			f'--kunitconfig={self.project}/.kunitconfig',
			f'--kunitconfig={self.project}/arch-config/uml.config',
			f'--jobs={len(os.sched_getaffinity(0))}'])
		self.assertIn('kernel log clean', self.out)
		self.assertTrue(overlay.is_applied(self.ktree, self.project))

	def test_dirty_log_fails(self):
		self.mode('dirty')
		rc = self.run_main('run', f'--build_dir={self.build}')
		self.assertNotEqual(rc, 0)
		self.assertIn('WARNING: CPU: 0', self.err)

	def test_dirty_log_allowed(self):
		self.mode('dirty')
		self.assertEqual(self.run_main('exec', '--allow_log_warnings',
					       f'--build_dir={self.build}'), 0)
		self.assertIn('WARNING: CPU: 0', self.err)
		self.assertNotIn('--allow_log_warnings', self.fake_argv())

	def test_failing_kunit_py(self):
		self.mode('fail')
		self.assertEqual(self.run_main('run', f'--build_dir={self.build}'), 1)
		self.mode('fail')
		self.assertNotEqual(self.run_main('build', f'--build_dir={self.build}'), 0)

	def test_stale_log_is_not_checked(self):
		write(os.path.join(self.build, 'test.log'), WARNING_LOG)
		old = time.time() - 3600
		os.utime(os.path.join(self.build, 'test.log'), (old, old))
		self.mode('nolog')
		self.assertEqual(self.run_main('exec', f'--build_dir={self.build}'), 0)

	def test_fresh_log_checked_despite_clock_skew(self):
		# The file system's clock (NFS server, coarse timestamps) may be
		# behind ours: a log written by this run is still this run's.
		self.mode('dirty')
		real = time.time
		with mock.patch('time.time', lambda: real() + 3600):
			self.assertNotEqual(self.run_main('exec', f'--build_dir={self.build}'), 0)

	def test_rewritten_log_checked_even_if_mtime_is_old(self):
		self.run_main('exec', f'--build_dir={self.build}')
		self.mode('dirty')
		log = os.path.join(self.build, 'test.log')
		real_call = subprocess.call
		with mock.patch.object(launcher.subprocess, 'call') as call:
			def fake(cmd):
				rc = real_call(cmd)
				os.utime(log, (1, 1))
				return rc
			call.side_effect = fake
			self.assertNotEqual(self.run_main('exec', f'--build_dir={self.build}'), 0)

	def test_build_does_not_check_the_log(self):
		self.mode('dirty')
		self.run_main('run', f'--build_dir={self.build}')
		self.assertEqual(self.run_main('build', f'--build_dir={self.build}'), 0)
		self.assertEqual(self.run_main('config', f'--build_dir={self.build}'), 0)

	def test_parse_passes_through(self):
		self.assertEqual(self.run_main('parse', '--json', '/tmp/r.log'), 0)
		self.assertEqual(self.fake_argv(), ['parse', '--json', '/tmp/r.log'])

	def test_remove_overlay(self):
		self.assertEqual(self.run_main('config', f'--build_dir={self.build}'), 0)
		self.assertNotEqual(snapshot(self.ktree), self.original)
		os.remove(os.path.join(self.ktree, 'fake-argv.json'))
		os.remove(os.path.join(self.ktree, 'fake-calls.json'))
		self.assertEqual(self.run_main('--remove_overlay'), 0)
		self.assertIn('removed', self.out)
		self.assertEqual(snapshot(self.ktree), self.original)
		self.assertIsNone(self.fake_argv())
		self.assertEqual(self.run_main('--remove_overlay'), 0)
		self.assertIn('was not in', self.out)
		self.assertEqual(snapshot(self.ktree), self.original)

	def test_remove_overlay_with_help_removes_nothing(self):
		self.assertEqual(self.run_main('config', f'--build_dir={self.build}'), 0)
		applied = snapshot(self.ktree)
		self.assertEqual(self.run_main('--remove_overlay', '--help'), 0)
		self.assertIn('--remove_overlay', self.out)
		self.assertEqual(snapshot(self.ktree), applied)

	def test_missing_tree_names_the_package(self):
		missing = self.path('nowhere', 'linux-source-6.12.tar.xz')
		rc = self.run_main('run', environ={'ODP_KERNEL_TARBALL': missing})
		self.assertNotEqual(rc, 0)
		self.assertIn('linux-source-6.12', self.err)
		self.assertIn('apt-get install', self.err)
		self.assertFalse(os.path.exists(os.path.join(self.project, '.build')))

	def test_overlay_refusal_is_an_error_not_a_traceback(self):
		write(os.path.join(self.ktree, 'odp'), 'a file\n')
		self.assertNotEqual(self.run_main('run', f'--build_dir={self.build}'), 0)
		self.assertIn('not our overlay', self.err)
		self.assertIsNone(self.fake_argv())
		os.remove(os.path.join(self.ktree, 'odp'))
		self.run_main('config', f'--build_dir={self.build}')
		write(os.path.join(self.ktree, 'odp', 'notes.txt'), 'mine\n')
		self.assertNotEqual(self.run_main('--remove_overlay'), 0)
		self.assertIn('notes.txt', self.err)

	def test_bad_kernel_src(self):
		rc = self.run_main('run', environ={'KERNEL_SRC': self.path('nothing')})
		self.assertNotEqual(rc, 0)
		self.assertIn('KERNEL_SRC', self.err)

	def test_tarball_end_to_end(self):
		tarball = make_tarball(self.path('linux-source-6.12.tar'), self.tmp)
		rc = self.run_main('run', environ={'ODP_KERNEL_TARBALL': tarball})
		self.assertEqual(rc, 0)
		cached = os.path.join(self.project, '.cache', 'linux-source-6.12')
		self.assertTrue(overlay.is_applied(cached, self.project))
		with open(os.path.join(cached, 'fake-argv.json')) as f:
			self.assertEqual(json.load(f)[0], 'run')

	def test_entry_script(self):
		"""kunit.py itself, as a process: exit codes reach the shell."""
		env = dict(os.environ, KERNEL_SRC=self.ktree)
		env.pop('ODP_KERNEL_TARBALL', None)
		for mode, ok in (('clean', True), ('dirty', False)):
			self.mode(mode)
			proc = subprocess.run([sys.executable, ENTRY, 'exec',
					       f'--build_dir={self.build}'],
					      env=env, capture_output=True, text=True)
			self.assertEqual(proc.returncode == 0, ok, proc.stderr)
		proc = subprocess.run([sys.executable, ENTRY, '--remove_overlay'],
				      env=env, capture_output=True, text=True)
		self.assertEqual(proc.returncode, 0, proc.stderr)
		os.remove(os.path.join(self.ktree, 'fake-argv.json'))
		os.remove(os.path.join(self.ktree, 'fake-calls.json'))
		os.remove(os.path.join(self.ktree, 'fake-mode'))
		self.assertEqual(snapshot(self.ktree), self.original)


class ShardArgsTest(unittest.TestCase):
	"""--shards is the launcher's: parsed, checked, never forwarded."""

	def parse(self, *argv):
		return args.parse(list(argv), '/proj', cwd='/work', cpus=3)

	def test_default_is_one_per_cpu(self):
		req = self.parse('run', '--shards')
		self.assertEqual(req.shards, 3)
		self.assertIsNone(req.error)
		self.assertFalse(any(w.startswith('--shards') for w in req.forward))

	def test_explicit_count(self):
		self.assertEqual(self.parse('run', '--shards=2', 'odp_explore').shards, 2)
		self.assertEqual(self.parse('run', '--shards=1').shards, 1)

	def test_bare_flag_takes_no_next_word(self):
		req = self.parse('run', '--shards', 'odp_explore')
		self.assertEqual(req.shards, 3)
		self.assertIn('odp_explore', req.forward)

	def test_bad_counts(self):
		for word in ('--shards=0', '--shards=-1', '--shards=two', '--shards='):
			req = self.parse('run', word)
			if word == '--shards=':
				self.assertEqual(req.shards, 3)
				continue
			self.assertIsNotNone(req.error, word)

	def test_not_given(self):
		self.assertIsNone(self.parse('run').shards)


class ShardJobArgsTest(unittest.TestCase):
	"""--shard=I/N, one job of a CI matrix, and merge."""

	def parse(self, *argv):
		return args.parse(list(argv), '/proj', cwd='/work', cpus=3)

	def test_index_and_count(self):
		req = self.parse('run', '--shard=1/4', 'odp_explore')
		self.assertIsNone(req.error)
		self.assertEqual(req.shard, (1, 4))
		self.assertFalse(any(w.startswith('--shard') for w in req.forward))
		self.assertEqual(self.parse('exec', '--shard', '0/2').shard, (0, 2))

	def test_bad_shards(self):
		for word in ('--shard=4/4', '--shard=-1/2', '--shard=a/b', '--shard=1', '--shard=1/0'):
			self.assertIsNotNone(self.parse('run', word).error, word)
		self.assertIsNotNone(self.parse('run', '--shard=0/2', '--shards=2').error)
		self.assertIsNotNone(self.parse('build', '--shard=0/2').error)

	def test_merge_words(self):
		req = self.parse('merge', '--json=all.json', 'a.json', 'b.json')
		self.assertIsNone(req.error)
		self.assertEqual(req.subcommand, 'merge')
		self.assertEqual(req.merge_inputs, ['/work/a.json', '/work/b.json'])
		self.assertEqual(req.merge_json, '/work/all.json')
		self.assertIsNotNone(self.parse('merge').error)


class ShardPlanTest(unittest.TestCase):
	"""What each shard boots, and how their results merge."""

	FORWARD = ['run', '--arch=um', '--build_dir=/b', '--kunitconfig=/p/.kunitconfig',
		   '--jobs=2', '--timeout=600', '--kernel_args=odp_kunit.repeat=5',
		   '--json=/out.json', 'odp_*']

	def test_split(self):
		sub, opts, glob = shards.split(self.FORWARD)
		self.assertEqual(sub, 'run')
		self.assertEqual(glob, 'odp_*')
		self.assertIn('--jobs=2', opts)
		with self.assertRaises(shards.ShardError):
			shards.split(['run', 'a', 'b'])

	def test_globs(self):
		self.assertIsNone(shards.shard_glob(None, 0))
		self.assertEqual(shards.shard_glob(None, 1), 'odp_explore')
		self.assertEqual(shards.shard_glob('odp_*', 0), 'odp_*')
		self.assertEqual(shards.shard_glob('odp_*', 1), 'odp_explore')
		self.assertEqual(shards.shard_glob('odp_explore.odpt_explore_e2', 1),
				 'odp_explore.odpt_explore_e2')
		self.assertEqual(shards.shard_glob('*.odpt_explore_e*', 2),
				 'odp_explore.odpt_explore_e*')
		self.assertIsNone(shards.shard_glob('odp_core*', 1))

	def test_command_lines(self):
		_, opts, glob = shards.split(self.FORWARD)
		self.assertEqual(shards.config_argv(opts),
				 ['config', '--arch=um', '--build_dir=/b', '--kunitconfig=/p/.kunitconfig'])
		self.assertEqual(shards.build_argv(opts), ['build', '--arch=um', '--build_dir=/b',
							   '--kunitconfig=/p/.kunitconfig', '--jobs=2'])
		argv = shards.exec_argv(opts, shards.shard_glob(glob, 1), '/b', 1, 2, '/b/r.json')
		self.assertEqual(argv, [
			'exec', '--arch=um', '--kunitconfig=/p/.kunitconfig', '--timeout=600',
			'--kernel_args=odp_kunit.repeat=5', '--build_dir=/b/shard-1-of-2',
			'--json=/b/r.json', '--kernel_args=odp_kunit.explore_shard=1/2',
			'odp_explore'])

	def test_one_job(self):
		job = shards.one_job(self.FORWARD, 1, 4)
		self.assertEqual(job[0], 'run')
		self.assertEqual(job[-2:], ['--kernel_args=odp_kunit.explore_shard=1/4',
					    'odp_explore'])
		self.assertIn('--json=/out.json', job)
		self.assertEqual(shards.one_job(self.FORWARD, 0, 4)[-1], 'odp_*')
		self.assertEqual(shards.one_job(['run', '--arch=um'], 0, 2),
				 ['run', '--arch=um', '--kernel_args=odp_kunit.explore_shard=0/2'])
		self.assertIsNone(shards.one_job(['run', '--arch=um', 'odp_core*'], 1, 2))

	@staticmethod
	def result(*suites):
		return {'name': 'KUnit Test Group', 'test_cases': [], 'sub_groups': [
			{'name': name, 'test_cases': [], 'sub_groups': [
				{'name': 'case', 'sub_groups': [],
				 'test_cases': [{'name': p, 'status': st} for p, st in params]}]}
			for name, params in suites]}

	def test_merge_counts_a_case_once_with_its_worst_status(self):
		a = self.result(('odp_core', [('x', 'PASS')]),
				('odp_explore', [('seed', 'PASS'), ('interval', 'SKIP')]))
		b = self.result(('odp_explore', [('seed', 'FAIL'), ('interval', 'PASS')]))
		merged = shards.merge([a, None, b])
		self.assertEqual(shards.counts(merged), {'passed': 2, 'failed': 1, 'skipped': 0})
		self.assertEqual(shards.counts(a), {'passed': 2, 'failed': 0, 'skipped': 1})
		self.assertIsNone(shards.merge([None, None]))
		self.assertEqual(shards.counts(None), {'passed': 0, 'failed': 0, 'skipped': 0})


class ShardJobTest(FakeKunitTest):
	"""--shard=I/N and merge end to end: the jobs of a CI matrix."""

	def write_result(self, name, status):
		path = self.path(name)
		write(path, json.dumps(ShardPlanTest.result(('odp_explore', [('seed', status)]))))
		return path

	def test_a_job_boots_its_shard(self):
		self.assertEqual(self.run_main('run', '--shard=2/4', f'--build_dir={self.build}'),
				 0, self.err)
		argv = self.fake_argv()
		self.assertIn('--kernel_args=odp_kunit.explore_shard=2/4', argv)
		self.assertEqual(argv[-1], 'odp_explore')
		self.assertIn('kernel log clean', self.out)

	def test_a_job_with_nothing_to_boot_leaves_an_empty_result(self):
		out = self.path('r.json')
		self.assertEqual(self.run_main('run', '--shard=1/2', f'--build_dir={self.build}',
					       f'--json={out}', 'odp_core*'), 0, self.err)
		self.assertIsNone(self.fake_argv())
		self.assertIn('nothing to boot', self.out)
		with open(out) as f:
			self.assertEqual(shards.counts(json.load(f)),
					 {'passed': 0, 'failed': 0, 'skipped': 0})

	def test_merge_passes_when_every_job_passed(self):
		out = self.path('all.json')
		a, b = self.write_result('a.json', 'PASS'), self.write_result('b.json', 'SKIP')
		self.assertEqual(self.run_main('merge', f'--json={out}', a, b), 0, self.err)
		self.assertIn('2 results merged: ran 1 cases: passed 1', self.out)
		with open(out) as f:
			self.assertEqual(shards.counts(json.load(f))['passed'], 1)

	def test_merge_fails_on_a_failed_or_missing_job(self):
		a, b = self.write_result('a.json', 'PASS'), self.write_result('b.json', 'FAIL')
		self.assertEqual(self.run_main('merge', a, b), 1)
		self.assertEqual(self.run_main('merge', a, self.path('none.json')), 2)
		self.assertIn('no result in', self.err)


class ShardRunTest(FakeKunitTest):
	"""run --shards end to end against the fake kunit.py."""

	def calls(self):
		with open(os.path.join(self.ktree, 'fake-calls.json')) as f:
			return [json.loads(line) for line in f]

	def test_two_shards_one_verdict(self):
		out = self.path('merged.json')
		self.assertEqual(self.run_main('run', '--shards=2', f'--build_dir={self.build}',
					       f'--json={out}'), 0, self.err)
		calls = self.calls()
		self.assertEqual([c[0] for c in calls[:2]], ['config', 'build'])
		execs = sorted(calls[2:])
		self.assertEqual(len(execs), 2)
		self.assertIn('--kernel_args=odp_kunit.explore_shard=0/2', execs[0])
		self.assertIn('--kernel_args=odp_kunit.explore_shard=1/2', execs[1])
		self.assertEqual(execs[1][-1], 'odp_explore')
		for i in range(2):
			folder = os.path.join(self.build, f'shard-{i}-of-2')
			self.assertTrue(os.path.exists(os.path.join(folder, 'test.log')))
		with open(out) as f:
			merged = json.load(f)
		self.assertEqual(shards.counts(merged), {'passed': 2, 'failed': 0, 'skipped': 0})
		self.assertIn('shards merged: ran 2 cases: passed 2', self.out)

	def test_a_failing_shard_fails_the_run(self):
		self.mode('shard1fail')
		self.assertNotEqual(self.run_main('run', '--shards=2', f'--build_dir={self.build}'), 0)
		self.assertIn('shard 1 failed', self.err)
		self.assertIn('failed 1', self.out)

	def test_a_dirty_shard_log_fails_the_run(self):
		self.mode('dirty')
		self.assertNotEqual(self.run_main('exec', '--shards=2', f'--build_dir={self.build}'), 0)
		self.assertIn('WARNING: CPU: 0', self.err)
		self.assertNotIn('build', [c[0] for c in self.calls()])

	def test_one_shard_is_a_plain_run_with_the_parameter(self):
		self.assertEqual(self.run_main('run', '--shards=1', f'--build_dir={self.build}',
					       'odp_core*'), 0, self.err)
		execs = [c for c in self.calls() if c[0] == 'exec']
		self.assertEqual(len(execs), 1)
		self.assertIn('--kernel_args=odp_kunit.explore_shard=0/1', execs[0])
		self.assertEqual(execs[0][-1], 'odp_core*')

	def test_suites_outside_the_explorer_boot_once(self):
		self.assertEqual(self.run_main('run', '--shards=3', f'--build_dir={self.build}',
					       'odp_core*'), 0, self.err)
		self.assertEqual(len([c for c in self.calls() if c[0] == 'exec']), 1)

	def test_raw_output_is_refused(self):
		self.assertEqual(self.run_main('run', '--shards=2', '--raw_output=all',
					       f'--build_dir={self.build}'), 2)
		self.assertIn('--raw_output', self.err)

	def test_bad_count_is_an_error(self):
		self.assertEqual(self.run_main('run', '--shards=0'), 2)
		self.assertIn('--shards', self.err)


if __name__ == '__main__':
	unittest.main()
