#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the odp_core_bench suite in its own build directory and print its
# numbers ("odp_bench: <strategy> <measure> <value>"), one line each.
# Extra arguments go to kunit.py (for example --kconfig_add=...).
set -e
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
./tools/testing/kunit/kunit.py run --kconfig_add=CONFIG_ODP_BENCH=y \
	--build_dir=.build/bench --raw_output=all "$@" 'odp_core_bench*' >"$log" 2>&1 ||
	{ tail -n 40 "$log"; exit 1; }
grep -o 'odp_bench: .*' "$log"
