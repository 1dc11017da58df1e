#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the mutation harness's parts that need no kernel.

	python3 tools/mutate/mutate_test.py
"""

import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mutate  # noqa: E402

GOOD = {'id': 'm1', 'class': 'concurrency', 'file': 'a.c', 'original': 'x = 1;',
	'replacement': 'x = 2;', 'bug': 'x is wrong'}


class ListTest(unittest.TestCase):
	def write(self, mutants):
		f = tempfile.NamedTemporaryFile('w', suffix='.json', delete=False)
		json.dump(mutants, f)
		f.close()
		self.addCleanup(os.unlink, f.name)
		return f.name

	def test_the_project_list_loads_and_applies(self):
		mutants = mutate.load_mutants(mutate.MUTANTS)
		self.assertGreaterEqual(len(mutants), 20)
		self.assertGreaterEqual(sum(m['class'] == 'concurrency' for m in mutants), 8)
		# the kernel's mutants once the launcher has unpacked the tree
		kernel = os.path.isdir(mutate.kernel_tree(mutate.PROJECT))
		self.assertEqual(mutate.check_apply(mutants, mutate.PROJECT, kernel), [])
		self.assertGreaterEqual(sum(m['file'].startswith(mutate.KERNEL) for m in mutants), 5)

	def test_bad_lists(self):
		for bad in ([{k: v for k, v in GOOD.items() if k != 'bug'}],
			    [GOOD, GOOD],
			    [dict(GOOD, **{'class': 'style'})],
			    [dict(GOOD, replacement=GOOD['original'])]):
			with self.assertRaises(ValueError):
				mutate.load_mutants(self.write(bad))

	def test_apply_and_revert(self):
		root = tempfile.mkdtemp()
		path = os.path.join(root, 'a.c')
		with open(path, 'w') as f:
			f.write('int x;\nx = 1;\n')
		self.assertEqual(mutate.check_apply([GOOD], root), [])
		old = mutate.apply(GOOD, root)
		with open(path) as f:
			self.assertEqual(f.read(), 'int x;\nx = 2;\n')
		mutate.revert(GOOD, root, old)
		with open(path) as f:
			self.assertEqual(f.read(), 'int x;\nx = 1;\n')
		with open(path, 'a') as f:
			f.write('x = 1;\n')
		self.assertIn('occurs 2 times', mutate.check_apply([GOOD], root)[0])
		self.assertIn('No such file', mutate.check_apply([dict(GOOD, file='b.c')], root)[0])


	def test_a_kernel_mutant_and_a_stopped_run(self):
		root = tempfile.mkdtemp()
		tree = os.path.join(root, '.cache', mutate.TREE_NAME, 'drivers')
		os.makedirs(tree)
		path = os.path.join(tree, 'x.c')
		with open(path, 'w') as f:
			f.write('x = 1;\n')
		m = dict(GOOD, file='linux:drivers/x.c')
		env = os.environ.pop('KERNEL_SRC', None)
		try:
			self.assertEqual(mutate.check_apply([m], root), [])
			self.assertEqual(mutate.check_apply([dict(m, file='linux:y.c')], root,
							    kernel=False), [])
			old = mutate.apply(m, root)
			with open(path + mutate.BACKUP) as f:
				self.assertEqual(f.read(), 'x = 1;\n')
			# a run stopped here: the next one puts the kernel's file back
			mutate.restore_backups([m], root)
			with open(path) as f:
				self.assertEqual(f.read(), 'x = 1;\n')
			self.assertFalse(os.path.exists(path + mutate.BACKUP))
			mutate.apply(m, root)
			mutate.revert(m, root, old)
			with open(path) as f:
				self.assertEqual(f.read(), 'x = 1;\n')
			self.assertFalse(os.path.exists(path + mutate.BACKUP))
		finally:
			if env is not None:
				os.environ['KERNEL_SRC'] = env


class VerdictTest(unittest.TestCase):
	RESULT = {'name': 'KUnit Test Group', 'test_cases': [], 'sub_groups': [
		{'name': 'odp_race', 'test_cases': [], 'sub_groups': [
			{'name': 'odpt_race_s2', 'sub_groups': [], 'test_cases': [
				{'name': 'seed', 'status': 'PASS'},
				{'name': 'interval', 'status': 'FAIL'}]}]}]}

	def test_a_failed_case_kills(self):
		killed, why = mutate.verdict(0, False, self.RESULT)
		self.assertTrue(killed)
		self.assertIn('odpt_race_s2.interval', why)

	def test_clean_run_lives(self):
		ok = json.loads(json.dumps(self.RESULT).replace('FAIL', 'SKIP'))
		self.assertEqual(mutate.verdict(0, False, ok), (False, ''))

	def test_crash_timeout_dirty_log_and_nothing_run_kill(self):
		ok = json.loads(json.dumps(self.RESULT).replace('FAIL', 'PASS'))
		self.assertEqual(mutate.verdict(0, True, ok), (True, 'timeout'))
		self.assertTrue(mutate.verdict(1, False, None)[0])
		self.assertTrue(mutate.verdict(3, False, ok)[0])
		empty = {'name': 'x', 'test_cases': [], 'sub_groups': []}
		self.assertEqual(mutate.verdict(0, False, empty), (True, 'no case ran'))

	def test_first_failure_after_boot(self):
		out = ('[23:59:58] Building KUnit Kernel ...\n'
		       '[23:59:59] Starting KUnit Kernel (1/1)...\n'
		       '[00:00:01] [PASSED] seed\n'
		       '[00:00:04] [FAILED] interval\n'
		       '[00:00:09] [CRASHED] upstream\n')
		self.assertEqual(mutate.first_failure_s(out), 5)
		self.assertIsNone(mutate.first_failure_s(out.replace('[FAILED]', '[PASSED]')
						 .replace('[CRASHED]', '[PASSED]')))
		self.assertIsNone(mutate.first_failure_s('[00:00:04] [FAILED] before any boot\n'))

	def test_report_rates_and_survivors(self):
		results = [
			{'id': 'a', 'class': 'concurrency', 'stillborn': False,
			 'killed_by': {'race': False, 'explore': True}},
			{'id': 'b', 'class': 'concurrency', 'stillborn': False,
			 'killed_by': {'race': False, 'explore': False}, 'lives': 'equivalent'},
			{'id': 'c', 'class': 'logic', 'stillborn': True, 'killed_by': {}},
		]
		out = io.StringIO()
		rates = mutate.report(results, (('race', 'r'), ('explore', 'e')), out)
		self.assertEqual(rates['concurrency'], {'total': 2, 'race': 0, 'explore': 1,
							'race+explore': 1})
		self.assertIn('b: equivalent', out.getvalue())
		self.assertIn('stillborn', out.getvalue())


if __name__ == '__main__':
	unittest.main()
