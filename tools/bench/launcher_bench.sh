#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# launcher_bench.sh: what the ODP launcher (tools/testing/kunit/kunit.py)
# costs next to the kernel's own kunit.py, measured side by side in one run.
#
# Usage, from anywhere (it works in the project root it lives in):
#
#   tools/bench/launcher_bench.sh [--parts=LIST] [--keep] [COLD [INCR [OVERHEAD]]]
#
#   COLD      repeats of part 1 (default 1)
#   INCR      repeats of part 2 (default 3)
#   OVERHEAD  repeats of part 3 (default 3)
#   --parts=LIST  comma-separated subset of cold,incr,overhead (default: all)
#   --keep        keep the scratch folder (build dirs, logs) at the end
#
#   Environment: BENCH_TMP (scratch parent, default $TMPDIR or /tmp),
#   INCR_BUILD_DIR (build dir for part 2 when part 1 is not run; default
#   <project>/.build/um), INCR_FILE (the .c file part 2 touches; default the
#   first core/*.c, searched recursively).
#
# Parts (each prints every sample and the median; goals in brackets):
#
#   1 cold      Fresh build and run of the project's default config with the
#               launcher (kunit.py run --build_dir=<tmp>/proj) against the
#               kernel's own kunit.py run in the same unpacked tree
#               (<project>/.cache/linux-source-6.12) with one suite
#               (--kunitconfig=lib/kunit --build_dir=<tmp>/kernel). Each
#               repeat starts from empty build dirs. Ratio launcher/kernel
#               [<= 1.5x]. Needs both CPUs for many minutes: do not run it
#               while others build.
#   2 incr      One untimed launcher run to bring the build dir up to date,
#               then per repeat: touch one .c file in core/ and time
#               kunit.py run on that build dir [<= 20 s].
#   3 overhead  On a ready tree: the launcher's `parse` of a small KTAP file
#               on stdin against the kernel's own kunit.py parse of the same
#               input; the difference of the medians is what the launcher
#               adds before handing off (tree check, overlay check,
#               argument handling, one more Python start) [<= 1 s].
#
# Part 3 first makes sure the tree is ready (untimed): the first launcher
# call of a fresh checkout unpacks linux-source-6.12 into .cache/.
#
# Examples:
#   tools/bench/launcher_bench.sh --parts=overhead 10
#       (only part 3, ten repeats: the positional counts are COLD INCR
#       OVERHEAD, but with --parts the counts of skipped parts are skipped
#       too, so "10" goes to the first part that runs)
#   tools/bench/launcher_bench.sh            # everything, 1/3/3 repeats
#   tools/bench/launcher_bench.sh 2 5 10     # everything, 2/5/10 repeats
#
# Exit status: 0 when every command ran successfully (goals missed are
# reported as MISSED but do not fail the script), non-zero otherwise.

set -eu

PARTS=cold,incr,overhead
KEEP=0
COUNTS=()
for arg in "$@"; do
	case "$arg" in
	--parts=*) PARTS=${arg#--parts=} ;;
	--keep) KEEP=1 ;;
	-h|--help) sed -n '4,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "launcher_bench: unknown option $arg (see --help)" >&2; exit 2 ;;
	*) COUNTS+=("$arg") ;;
	esac
done

want() { case ",$PARTS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

COLD_N=1 INCR_N=3 OVER_N=3
i=0
for part in cold incr overhead; do
	want "$part" || continue
	if [ $i -lt ${#COUNTS[@]} ]; then
		n=${COUNTS[$i]}
		case "$n" in ''|*[!0-9]*|0) echo "launcher_bench: bad repeat count '$n'" >&2; exit 2 ;; esac
		case $part in cold) COLD_N=$n ;; incr) INCR_N=$n ;; overhead) OVER_N=$n ;; esac
	fi
	i=$((i + 1))
done
if [ $i -lt ${#COUNTS[@]} ]; then
	echo "launcher_bench: more repeat counts than parts" >&2
	exit 2
fi

PROJECT=$(cd "$(dirname "$0")/../.." && pwd)
LAUNCHER=$PROJECT/tools/testing/kunit/kunit.py
KTREE=$PROJECT/.cache/linux-source-6.12
KUNIT=$KTREE/tools/testing/kunit/kunit.py
PY=${PYTHON:-python3}

SCRATCH=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/odp-launcher-bench.XXXXXX")
LOGS=$SCRATCH/logs
mkdir -p "$LOGS"
cleanup() {
	if [ "$KEEP" = 1 ]; then
		echo "scratch kept in $SCRATCH"
	else
		rm -rf "$SCRATCH"
	fi
}
trap cleanup EXIT

now() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		echo "${EPOCHREALTIME/,/.}"
	else
		date +%s.%N
	fi
}

# timed LOGNAME CMD...: run CMD with output to $LOGS/LOGNAME, set $ELAPSED.
timed() {
	local log=$LOGS/$1 start end
	shift
	start=$(now)
	if ! "$@" >"$log" 2>&1; then
		echo "launcher_bench: failed: $*" >&2
		echo "--- last lines of $log:" >&2
		tail -n 20 "$log" >&2
		KEEP=1
		exit 1
	fi
	end=$(now)
	ELAPSED=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
}

median() {
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR % 2) printf "%.3f", v[(NR + 1) / 2]
			else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

verdict() {	# verdict VALUE LIMIT
	awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "met" : "MISSED" }'
}

echo "ODP launcher benchmark: $PROJECT"
echo "  $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), parts: $PARTS"
echo "  repeats: cold=$COLD_N incr=$INCR_N overhead=$OVER_N; logs in $LOGS"

# The tree must exist before anything is timed against the kernel's kunit.py.
KTAP=$SCRATCH/sample.ktap
cat >"$KTAP" <<'EOF'
KTAP version 1
1..1
    KTAP version 1
    # Subtest: odp_bench
    1..2
    ok 1 odp_bench_one
    ok 2 odp_bench_two
ok 1 odp_bench
EOF
timed prepare.log "$PY" "$LAUNCHER" parse "$KTAP"
if [ ! -f "$KUNIT" ]; then
	echo "launcher_bench: $KUNIT missing after preparing the tree" >&2
	exit 1
fi

if want cold; then
	echo
	echo "== 1. cold build and run (launcher, default config vs kernel kunit.py, lib/kunit)"
	L=() K=()
	for r in $(seq "$COLD_N"); do
		rm -rf "$SCRATCH/proj" "$SCRATCH/kernel"
		timed "cold-launcher-$r.log" "$PY" "$LAUNCHER" run --build_dir="$SCRATCH/proj"
		L+=("$ELAPSED")
		timed "cold-kernel-$r.log" "$PY" "$KUNIT" run --kunitconfig=lib/kunit \
			--build_dir="$SCRATCH/kernel"
		K+=("$ELAPSED")
		echo "  repeat $r: launcher ${L[-1]} s, kernel kunit.py ${K[-1]} s"
	done
	ml=$(median "${L[@]}") mk=$(median "${K[@]}")
	ratio=$(awk -v a="$ml" -v b="$mk" 'BEGIN { printf "%.2f", a / b }')
	echo "  median: launcher $ml s, kernel kunit.py $mk s, ratio ${ratio}x" \
	     "(goal <= 1.5x: $(verdict "$ratio" 1.5))"
	rm -rf "$SCRATCH/kernel"
fi

if want incr; then
	echo
	echo "== 2. incremental run after touching one .c file in core/"
	if want cold; then
		BUILD=$SCRATCH/proj
	else
		BUILD=${INCR_BUILD_DIR:-$PROJECT/.build/um}
	fi
	FILE=${INCR_FILE:-$(find "$PROJECT/core" -name '*.c' | sort | head -n 1)}
	if [ -z "$FILE" ] || [ ! -f "$FILE" ]; then
		echo "launcher_bench: no .c file in $PROJECT/core to touch" >&2
		exit 1
	fi
	echo "  build dir $BUILD, touching $FILE"
	timed incr-warmup.log "$PY" "$LAUNCHER" run --build_dir="$BUILD"
	echo "  warm-up (untimed for the goal): $ELAPSED s"
	T=()
	for r in $(seq "$INCR_N"); do
		touch "$FILE"
		timed "incr-$r.log" "$PY" "$LAUNCHER" run --build_dir="$BUILD"
		T+=("$ELAPSED")
		echo "  repeat $r: $ELAPSED s"
	done
	mi=$(median "${T[@]}")
	echo "  median: $mi s (goal <= 20 s: $(verdict "$mi" 20))"
fi

if want overhead; then
	echo
	echo "== 3. launcher overhead on a ready tree (parse of a small KTAP file on stdin)"
	L=() K=()
	for r in $(seq "$OVER_N"); do
		timed "over-launcher-$r.log" "$PY" "$LAUNCHER" parse <"$KTAP"
		L+=("$ELAPSED")
		timed "over-kernel-$r.log" "$PY" "$KUNIT" parse <"$KTAP"
		K+=("$ELAPSED")
		echo "  repeat $r: launcher ${L[-1]} s, kernel kunit.py ${K[-1]} s"
	done
	ml=$(median "${L[@]}") mk=$(median "${K[@]}")
	over=$(awk -v a="$ml" -v b="$mk" 'BEGIN { printf "%.3f", a - b }')
	echo "  median: launcher $ml s, kernel kunit.py $mk s, overhead $over s" \
	     "(goal <= 1 s: $(verdict "$over" 1))"
fi
