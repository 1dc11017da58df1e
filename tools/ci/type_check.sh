#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Type-check the project's Python tools with mypy, the way the kernel's
# tools/testing/kunit/run_checks.py checks its kunit.py (mypy --strict).
# Needs Debian's mypy (apt-get install mypy; Debian 12 ships 1.0.1).
# Prints "type_check: ok" and exits 0 when mypy reports nothing.
#
# Flags:
#   --strict                  every function annotated, no untyped calls,
#                             no implicit Any generics, no Any returned
#                             from a typed function, strict equality, ...
#   --warn-unreachable        code mypy proves can never run
#   --local-partial-types     no type inferred across scopes from "x = None"
#   --enable-error-code ...   checks --strict leaves off: a "type: ignore"
#                             must name its error code, redundant and
#                             always-true conditions, names possibly
#                             undefined, unused awaitables, redundant
#                             Self annotations, a function tested for truth
#   --python-version 3.11     Debian 12's Python, whatever runs mypy
#   --cache-dir=/dev/null     write no .mypy_cache into the work tree
#   --no-error-summary        mypy prints only the errors it finds
# --ignore-missing-imports is not given: every import here is the standard
# library's or odp_launcher's, and all of them resolve, so a missing one
# is an error. (kunit.py runs the kernel tree's own kunit.py as a program,
# not by import, so mypy never needs the tree's kunit modules.)
#
# tools/testing/kunit is the package root of odp_launcher (kunit.py puts
# it on sys.path at run time): MYPYPATH makes "import odp_launcher" resolve.
set -euo pipefail
cd "$(dirname "$0")/../.."

files=(
	tools/ci/explore_shards.py
	tools/testing/kunit/odp_launcher/__init__.py
	tools/testing/kunit/odp_launcher/args.py
	tools/testing/kunit/odp_launcher/logcheck.py
	tools/testing/kunit/odp_launcher/main.py
	tools/testing/kunit/odp_launcher/overlay.py
	tools/testing/kunit/odp_launcher/shards.py
	tools/testing/kunit/odp_launcher/tree.py
	tools/testing/kunit/kunit.py
	tools/mutate/mutate.py
	tools/ci/kunit_count.py
	tools/ci/layout_check.py
)

if ! command -v mypy >/dev/null; then
	echo "type_check: no mypy: apt-get install mypy" >&2
	exit 1
fi

# mypy exits non-zero when it reports an error; any output at all (a note
# or a warning with exit 0) fails the check too.
out=$(MYPYPATH=tools/testing/kunit mypy \
	--strict \
	--warn-unreachable \
	--local-partial-types \
	--enable-error-code ignore-without-code \
	--enable-error-code redundant-expr \
	--enable-error-code truthy-bool \
	--enable-error-code truthy-function \
	--enable-error-code possibly-undefined \
	--enable-error-code unused-awaitable \
	--enable-error-code redundant-self \
	--python-version 3.11 \
	--cache-dir=/dev/null \
	--no-error-summary \
	"${files[@]}" 2>&1) && rc=0 || rc=$?
if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
	[ -z "$out" ] || printf '%s\n' "$out"
	echo "type_check: mypy failed (exit $rc)" >&2
	exit 1
fi
echo "type_check: ok"
