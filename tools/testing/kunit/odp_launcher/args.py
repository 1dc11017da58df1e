# SPDX-License-Identifier: GPL-2.0
"""Split the launcher's own flags from the kernel kunit.py's, add defaults.

Everything the kernel's kunit.py accepts passes through unchanged, except
that relative paths are made absolute (the kernel's kunit.py changes into
the kernel tree before it reads them). When not given, these are added:
--build_dir=<project>/.build/<arch>[-debug], --kunitconfig=<project>/.kunitconfig,
--arch=um and --jobs=<number of CPUs>; on --arch=um, arch-config/uml.config
is always added, and arch-config/debug.config with --debug. On
--arch=x86_64, arch-config/x86_64.config is added, and unless --qemu_args
is given, "-smp 2".
--kcsan adds arch-config/kcsan.config and builds in .build/<arch>-kcsan.
With --debug or another arch than um, run and exec get --timeout=7200.
"""

import os
from typing import Dict, List, Optional, Sequence, Tuple

SUBCOMMANDS = ('run', 'config', 'build', 'exec', 'parse')
# The launcher's own subcommand: merge the --json results of several jobs.
MERGE = 'merge'
COMMON = ('run', 'config', 'build', 'exec')
WITH_JOBS = ('run', 'build')

# Options of the kernel's kunit.py that take their value as the next word.
VALUED = {
	'--build_dir', '--make_options', '--kunitconfig', '--kconfig_add',
	'--arch', '--cross_compile', '--qemu_config', '--qemu_args', '--jobs',
	'--timeout', '--filter', '--filter_action', '--kernel_args',
	'--run_isolated',
}
PATH_VALUED = {'--build_dir', '--kunitconfig', '--qemu_config'}

# Seconds a boot may take with --debug or under QEMU, unless --timeout is given.
SLOW_TIMEOUT = 7200

LAUNCHER_FLAGS = {
	'--debug': 'add arch-config/debug.config (lockdep, KASAN, UBSAN, '
		   'kmemleak) and build in .build/<arch>-debug',
	'--kcsan': 'add arch-config/kcsan.config (the data-race detector; '
		   'x86_64 only, not with --debug) and build in .build/<arch>-kcsan',
	'--allow_log_warnings': 'report, but do not fail on, WARNING:/BUG:/'
				'lockdep/KASAN lines in the kernel log',
	'--remove_overlay': 'remove the odp/ links and the two hook lines from '
			    'the kernel tree, then exit',
	'--shards[=N]': 'run/exec: build once, boot N kernels side by side '
			'(default: one per CPU), kernel i with '
			'odp_kunit.explore_shard=i/N (shard 0 runs every selected suite, '
			'the others only odp_explore), one merged verdict and --json',
	'--shard=I/N': 'run/exec: be shard I of N, one job of a CI matrix: '
		       'boot one kernel with odp_kunit.explore_shard=I/N (shard 0 '
		       'runs every selected suite, the others only odp_explore)',
	'merge [--json=OUT] R...': 'merge the --json results R of the N jobs into '
				   'one verdict (a case counts once, with its worst '
				   'status); exits non-zero if one failed, is missing '
				   'or nothing passed',
}


class Request:
	"""What the launcher was asked to do."""

	def __init__(self) -> None:
		self.subcommand: Optional[str] = None
		self.forward: List[str] = []
		self.debug = False
		self.kcsan = False
		self.allow_log_warnings = False
		self.remove_overlay = False
		self.help = False
		self.build_dir: Optional[str] = None
		self.shards: Optional[int] = None
		self.shard: Optional[Tuple[int, int]] = None
		self.merge_inputs: List[str] = []
		self.merge_json: Optional[str] = None
		self.error: Optional[str] = None


def _split_option(word: str) -> Tuple[str, Optional[str]]:
	if word.startswith('--') and '=' in word:
		name, value = word.split('=', 1)
		return name, value
	return word, None


def parse(argv: Sequence[str], project: str, cwd: Optional[str] = None,
	  cpus: Optional[int] = None) -> Request:
	"""Return a Request whose .forward is the argv for the kernel's kunit.py."""
	cwd = cwd or os.getcwd()
	cpus = cpus or len(os.sched_getaffinity(0))
	req = Request()
	given: Dict[str, List[str]] = {}
	out: List[str] = []
	i = 0
	while i < len(argv):
		word = argv[i]
		i += 1
		if word == '--debug':
			req.debug = True
			continue
		if word == '--kcsan':
			req.kcsan = True
			continue
		if word == '--allow_log_warnings':
			req.allow_log_warnings = True
			continue
		if word == '--remove_overlay':
			req.remove_overlay = True
			continue
		if word == '--shards' or word.startswith('--shards='):
			value: Optional[str] = word.partition('=')[2]
			try:
				req.shards = int(value) if value else cpus
			except ValueError:
				req.shards = 0
			if req.shards < 1:
				req.error = f'--shards takes a number of kernels, 1 or more: {word}'
			continue
		if word == '--shard' and i < len(argv):
			word = '--shard=' + argv[i]
			i += 1
		if word.startswith('--shard='):
			req.shard = parse_shard(word.partition('=')[2])
			if req.shard is None:
				req.error = f'--shard takes I/N, 0 <= I < N: {word}'
			continue
		if req.subcommand == MERGE:
			if word.startswith('--json='):
				req.merge_json = os.path.join(cwd, word.partition('=')[2])
			elif word in ('-h', '--help'):
				req.help = True
			else:
				req.merge_inputs.append(os.path.join(cwd, word))
			continue
		if req.subcommand is None and word == MERGE:
			req.subcommand = MERGE
			continue
		if word in ('-h', '--help'):
			req.help = True
		if req.subcommand is None and word in SUBCOMMANDS:
			req.subcommand = word
			out.append(word)
			continue
		name, value = _split_option(word)
		if name in VALUED:
			if value is None and i < len(argv):
				value = argv[i]
				i += 1
			if value is None:
				out.append(word)
				continue
			if name == '--build_dir' or (
					name in PATH_VALUED and
					os.path.exists(os.path.join(cwd, value))):
				value = os.path.join(cwd, value)
			# Otherwise a kernel-tree path such as lib/kunit: the kernel's
			# kunit.py resolves it in the tree.
			given.setdefault(name, []).append(value)
			out.append(f'{name}={value}')
			continue
		if name == '--json' and value is not None and value != 'stdout':
			out.append(f'--json={os.path.join(cwd, value)}')
			continue
		if req.subcommand == 'parse' and not word.startswith('-'):
			out.append(os.path.join(cwd, word))
			continue
		out.append(word)

	sub = req.subcommand
	if req.shard and req.shards:
		req.error = '--shard (one job of N) and --shards (N kernels here) do not go together'
	if req.shard and sub not in ('run', 'exec'):
		req.error = '--shard goes with run or exec'
	if sub == MERGE and not req.merge_inputs and not req.help:
		req.error = 'merge needs the --json results of the jobs'
	if sub in COMMON and not req.help:
		arch = given.get('--arch', ['um'])[-1]
		if '--arch' not in given:
			out.append('--arch=um')
		if req.kcsan and req.debug:
			req.error = '--kcsan and --debug do not go together (KCSAN excludes KASAN)'
		if req.kcsan and arch == 'um':
			req.error = '--kcsan needs real CPUs: add --arch=x86_64'
		if '--build_dir' in given:
			req.build_dir = given['--build_dir'][-1]
		else:
			suffix = '-debug' if req.debug else '-kcsan' if req.kcsan else ''
			req.build_dir = os.path.join(project, '.build', arch + suffix)
			out.append(f'--build_dir={req.build_dir}')
		configs = []
		if '--kunitconfig' not in given:
			configs.append(os.path.join(project, '.kunitconfig'))
		if arch == 'um':
			configs.append(os.path.join(project, 'arch-config', 'uml.config'))
		if arch == 'x86_64':
			configs.append(os.path.join(project, 'arch-config', 'x86_64.config'))
			# QEMU emulates (TCG): a /dev/kvm that opens may still not run
			# a guest (nested virtualization); -accel kvm is the user's call.
			if '--qemu_args' not in given and sub in ('run', 'exec'):
				out.append('--qemu_args=-smp 2')
		if req.debug:
			configs.append(os.path.join(project, 'arch-config', 'debug.config'))
		if req.kcsan:
			configs.append(os.path.join(project, 'arch-config', 'kcsan.config'))
		have = set(given.get('--kunitconfig', []))
		out += [f'--kunitconfig={c}' for c in configs if c not in have]
		if sub in WITH_JOBS and '--jobs' not in given:
			out.append(f'--jobs={cpus}')
		# The kernel kunit.py gives a boot 300 s; the debug kernel (KASAN,
		# kmemleak) and QEMU's emulation run the suites several times slower.
		if (sub in ('run', 'exec') and '--timeout' not in given and
				(req.debug or arch != 'um')):
			out.append(f'--timeout={SLOW_TIMEOUT}')
	req.forward = out
	return req


def parse_shard(text: str) -> Optional[Tuple[int, int]]:
	"""(I, N) of "I/N", or None unless 0 <= I < N."""
	index, _, count = text.partition('/')
	try:
		i, n = int(index), int(count)
	except ValueError:
		return None
	return (i, n) if 0 <= i < n else None


def help_text() -> str:
	lines = ['ODP test kernel launcher: the kernel\'s kunit.py, with a kernel '
		 'tree prepared first.',
		 '',
		 'Tree: $KERNEL_SRC, else /usr/src/linux-source-6.12.tar.xz '
		 'unpacked once into .cache/.',
		 'Defaults added when not given: --arch=um, '
		 '--build_dir=.build/<arch>, --kunitconfig=.kunitconfig, '
		 '--jobs=<CPUs>;',
		 'on --arch=um arch-config/uml.config is always merged in; on',
		 '--arch=x86_64 arch-config/x86_64.config, and --qemu_args=-smp 2 '
		 'unless --qemu_args is given.',
		 'After run and exec, the kernel log must be clean (no WARNING:, '
		 'BUG:, lockdep, KASAN).',
		 '',
		 'Flags the launcher adds:']
	for flag, text in LAUNCHER_FLAGS.items():
		lines.append(f'  {flag:22} {text}')
	lines.append('')
	lines.append('The kernel kunit.py\'s own help follows.')
	return '\n'.join(lines)
