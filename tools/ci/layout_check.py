#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the project's layout rules (run from the project root).

- kunit/: no two files use each other's functions (no cycle between
  files), and nothing in kunit/race/ or kunit/explore/ uses a function of
  kunit/tests/ or kunit/lib/.
- kunit/race/actor.h (struct odpt_actor, the actor's state machine) is
  included only by the actor, scenario and settle files of kunit/race/.
- core/: no generic file tests a strategy's identity; the strategies are
  told apart by their hooks only (core/strategy.h).

Exits 1 and names each breach, 0 when there is none.
"""

import os
import re
import sys
from typing import Dict, List, Set

DEF_RE = re.compile(r'^(?!static\b)[A-Za-z_][\w \t\*]*?\b([a-z_]\w*)\(([^;]*)$')
STATIC_RE = re.compile(r'^static\b[\w \t\*]*?\b([a-z_]\w*)\(', re.M)
NAME_RE = re.compile(r'\b([a-z_]\w*)\b')
COMMENT_RE = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRING_RE = re.compile(r'"(?:\\.|[^"\\])*"')

ACTOR_OWNERS = {'kunit/race/actor.c', 'kunit/race/scenario.c', 'kunit/race/settle.c'}
IDENTITY_FLAGS = re.compile(r'\b(?:v1|own_invalidate|nb_unaware)\b\s*[;)&|]|->(?:v1|own_invalidate|nb_unaware)\b')


def c_files(top: str) -> List[str]:
	out = []
	for root, _dirs, files in os.walk(top):
		for f in files:
			if f.endswith('.c'):
				out.append(os.path.relpath(os.path.join(root, f)))
	return sorted(out)


def strip(text: str) -> str:
	"""Comments and strings out, line numbers kept."""
	text = COMMENT_RE.sub(lambda m: ' ' + '\n' * m.group(0).count('\n'), text)
	return STRING_RE.sub('""', text)


def exported(text: str) -> Set[str]:
	names = set()
	for line in text.splitlines():
		m = DEF_RE.match(line)
		if m and m.group(1) not in ('if', 'for', 'while', 'switch', 'return', 'sizeof'):
			names.add(m.group(1))
	return names


def strongly_connected(graph: Dict[str, Set[str]]) -> List[List[str]]:
	"""Tarjan's algorithm; the components of more than one file."""
	index: Dict[str, int] = {}
	low: Dict[str, int] = {}
	stack: List[str] = []
	on: Set[str] = set()
	out: List[List[str]] = []
	counter = [0]

	def visit(v: str) -> None:
		index[v] = low[v] = counter[0]
		counter[0] += 1
		stack.append(v)
		on.add(v)
		for w in sorted(graph.get(v, ())):
			if w not in index:
				visit(w)
				low[v] = min(low[v], low[w])
			elif w in on:
				low[v] = min(low[v], index[w])
		if low[v] == index[v]:
			comp = []
			while True:
				w = stack.pop()
				on.discard(w)
				comp.append(w)
				if w == v:
					break
			if len(comp) > 1:
				out.append(sorted(comp))

	for v in sorted(graph):
		if v not in index:
			visit(v)
	return out


def check_kunit(problems: List[str]) -> None:
	files = c_files('kunit')
	texts = {f: strip(open(f).read()) for f in files}
	owner: Dict[str, str] = {}
	for f in files:
		for name in exported(texts[f]):
			owner[name] = f
	graph: Dict[str, Set[str]] = {f: set() for f in files}
	for f in files:
		local = set(STATIC_RE.findall(texts[f]))
		for name in set(NAME_RE.findall(texts[f])) - local:
			g = owner.get(name)
			if g and g != f:
				graph[f].add(g)
	for comp in strongly_connected(graph):
		problems.append('kunit: files that use each other: ' + ', '.join(comp))
	for f in files:
		if not f.startswith(('kunit/race/', 'kunit/explore/')):
			continue
		for g in sorted(graph[f]):
			if g.startswith(('kunit/tests/', 'kunit/lib/', 'kunit/bench/')):
				problems.append(f'{f}: uses {g} (the engine and the explorer use no suite or helper file)')
	for root, _dirs, names in os.walk('kunit'):
		for n in names:
			path = os.path.relpath(os.path.join(root, n))
			if not n.endswith(('.c', '.h')) or path in ACTOR_OWNERS:
				continue
			if re.search(r'#include\s+"[^"]*\bactor\.h"', open(path).read()):
				problems.append(f'{path}: includes actor.h (only {", ".join(sorted(ACTOR_OWNERS))} may)')


def check_core(problems: List[str]) -> None:
	for f in c_files('core'):
		if os.path.basename(f).startswith('strategy_'):
			continue
		for no, line in enumerate(strip(open(f).read()).splitlines(), 1):
			if IDENTITY_FLAGS.search(line):
				problems.append(f'{f}:{no}: tests a strategy identity flag: {line.strip()}')


def main() -> int:
	problems: List[str] = []
	check_kunit(problems)
	check_core(problems)
	for p in problems:
		print('layout_check: ' + p)
	if not problems:
		print('layout_check: kunit/ and core/ follow the layout rules')
	return 1 if problems else 0


if __name__ == '__main__':
	sys.exit(main())
