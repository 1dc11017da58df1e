/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The explorer: runs the schedules of an actor set at sync-point
 * granularity, checks the invariants after every step, and reports every
 * failure as a script that replays it.
 *
 * A step sends one actor on: it runs until its next sync point (where it
 * stops again: in explore mode every point stops every actor), until it
 * blocks, or until it finishes; then the explorer waits until nothing
 * moves by itself (race/settle.c). An actor another one's step woke runs
 * on to its own next point within that step. A schedule is the list of
 * actors sent on, one per step.
 *
 * Two searches, both deterministic (the same parameters explore the same
 * schedules in the same order), and a replay, each a chooser (dfs.c,
 * pct.c, replay.c) of the one schedule loop (search.c):
 *  - dfs: every schedule with at most "bound" preemptions (CHESS); a
 *    preemption is sending another actor while the last one could have
 *    gone on. Optionally sleep sets prune steps that commute.
 *  - pct: one schedule per seed, actors run by random priorities that
 *    drop at depth - 1 random steps (PCT).
 */
#ifndef _ODPT_EXPLORE_H
#define _ODPT_EXPLORE_H

#include <linux/bits.h>
#include <linux/build_bug.h>

#include "race/race.h"

#define ODPT_EX_MAX_STEPS	128
/* pct: the largest bug depth (depth - 1 priority change points) */
#define ODPT_EX_MAX_DEPTH	16

/* The explorer's actor masks (enabled, tried, asleep) are u16: a bit per actor. */
static_assert(sizeof(u16) * BITS_PER_BYTE >= ODPT_MAX_ACTORS);

enum odpt_ex_mode { ODPT_EX_DFS, ODPT_EX_PCT };

/* What an explorer can find; each is reported once per case, smallest first. */
enum odpt_ex_kind {
	ODPT_EX_STALE,		/* the oracle: an entry differs from the CPU's page */
	ODPT_EX_DATA,		/* a device access saw other data than the CPU */
	ODPT_EX_UNDERFLOW,	/* an invalidation end without a start */
	ODPT_EX_RESULT,		/* an operation returned what it may not */
	ODPT_EX_DEADLOCK,	/* unfinished actors, none can move */
	ODPT_EX_KERNEL,		/* a kernel warning, BUG or lockdep report */
	ODPT_EX_STUCK,		/* an actor kept running: no step boundary */
	ODPT_EX_DIVERGED,	/* a replayed prefix took another path */
	ODPT_EX_LONG,		/* more than ODPT_EX_MAX_STEPS steps */
	ODPT_EX_NR_KINDS,
};

#define ODPT_EX_FOUND(k)	BIT(ODPT_EX_##k)

/**
 * struct odpt_ex_params - how to explore (the odp_kunit.explore_* parameters)
 * @mode: dfs or pct
 * @bound: dfs: preemption bound
 * @por: dfs: prune with sleep sets
 * @wakeups: wake-up points to stop at: 0 none, 1 a release's and a
 *	deregistration's, 2 an access woken by the fault worker too
 * @depth: pct: the bug depth d (d - 1 priority change points)
 * @seed: pct: the first seed
 * @steps: pct: the steps a schedule is expected to take; the priority
 *	changes fall among them (each seed's schedule depends on nothing else)
 * @budget: schedules at most (0: no limit)
 * @time_ms: time at most, per case (0: no limit)
 * @shard: this kernel's shard, 0 to @nshards - 1
 * @nshards: the schedule space is split in this many shards
 * @split: dfs: shards own the subtrees below the split-th branching step
 * @replay: replay this one schedule (actor indices), then stop
 * @nreplay: entries in @replay, 0 for none
 */
struct odpt_ex_params {
	enum odpt_ex_mode mode;
	int bound;
	bool por;
	int wakeups;
	int depth;
	u32 seed;
	int steps;
	long budget;
	long time_ms;
	int shard;
	int nshards;
	int split;
	s8 replay[ODPT_EX_MAX_STEPS];
	int nreplay;
};

/**
 * struct odpt_ex_outcome - a result that some schedule must reach
 * @what: in words ("the reaper over A is refused"); NULL ends a list
 * @actor: the actor
 * @result: what its first operation returns
 * @strategies: the backends where some schedule must reach it (a bit per
 *	backend)
 *
 * A path that only a busy lock opens (a trylock's refusal) is proved
 * reached, not assumed: the exploration of the set records each outcome
 * it reached, and a complete exploration that missed one fails.
 */
struct odpt_ex_outcome {
	const char *what;
	int actor;
	long result;
	unsigned int strategies;
};

#define ODPT_EX_MAX_OUTCOMES	8

/**
 * struct odpt_ex_set - an actor set to explore
 * @script: the actors, the mapping's size, and the setup prefix: ordinary
 *	script steps run before the exploration starts (for example "T0
 *	registers A"); the actors they finish take no part in it
 * @expect: per strategy, the ODPT_EX_FOUND() kinds the exploration must
 *	find (exactly these; 0: nothing)
 * @outcomes: results some schedule must reach, or NULL
 */
struct odpt_ex_set {
	struct odpt_script script;
	unsigned int expect[FAKE_HCA_NR_BACKENDS];
	const struct odpt_ex_outcome *outcomes;
};

/* One executed step, as the report needs it. */
struct odpt_ex_step {
	s8 actor;
	u8 state[ODPT_MAX_ACTORS];	/* ODPT_AS_* of every actor after it */
	s8 point[ODPT_MAX_ACTORS];	/* where a stopped actor waits */
	long result[ODPT_MAX_ACTORS];	/* what a finished actor returned */
};

/* What one check found after a step. */
struct odpt_ex_finding {
	char what[96];
	long value;		/* stale entries, ends without start, a result */
	int actor;		/* the actor it concerns, -1 none */
	int step;		/* steps taken when it was found */
	int preemptions;	/* preemptions by then */
	int stale;		/* the oracle's count then */
};

/* A failure, as found in one schedule. */
struct odpt_ex_failure {
	enum odpt_ex_kind kind;
	char what[96];
	long value;
	int actor;
	int stale;		/* the oracle's count after the last step (-EBUSY: none) */
	long index;		/* the schedule's index (dfs) or seed (pct) */
	bool pct;		/* the schedule's index in the search (or its seed) */
	int wakeups;		/* the wake-up points explored (odpt_ex_params) */
	int preemptions;
	int nsteps;
	struct odpt_ex_step steps[ODPT_EX_MAX_STEPS];
};

/* The phases of one schedule, timed apart (struct odpt_ex_result). */
enum odpt_ex_phase {
	ODPT_EX_CREATE,		/* the scenario made: mapping, context, actors' threads */
	ODPT_EX_SETUP,		/* its setup steps run, the actors settled */
	ODPT_EX_STEPS,		/* the chooser's steps, each settled and checked */
	ODPT_EX_TEARDOWN,	/* the actors finished, the scenario freed */
	ODPT_EX_NR_PHASES
};

/**
 * struct odpt_ex_result - what one exploration did and found
 * @schedules: schedules executed to their end (or their failure)
 * @pruned: dfs: choices left out by the sleep sets
 * @skipped: dfs: prefixes of other shards left unexplored
 * @first_failure: index of the first schedule that failed, -1 none
 * @first_failure_ns: time from the start to the end of that schedule
 * @found: ODPT_EX_FOUND() of every kind found
 * @complete: dfs: the space within the bound was exhausted
 * @hash: of every executed schedule's steps, in order
 * @sum: the sum of each executed schedule's own hash, in no order: the
 *	shards of a search (odp_kunit.explore_shard) add up to it
 * @ns: time taken
 * @ns_phase: of @ns, the time in each phase of a schedule (enum
 *	odpt_ex_phase): where an exploration's time goes
 * @max_steps: the longest schedule
 * @fail: the smallest failure of each kind (NULL: none)
 * @aborted: an actor is stuck: the case cannot go on
 * @reached: a bit per entry of the set's @outcomes that some schedule
 *	reached (not part of @hash)
 */
struct odpt_ex_result {
	long schedules;
	long pruned;
	long skipped;
	long first_failure;
	u64 first_failure_ns;
	unsigned int found;
	bool complete;
	u32 hash;
	u32 sum;
	u64 ns;
	u64 ns_phase[ODPT_EX_NR_PHASES];
	int max_steps;
	struct odpt_ex_failure *fail[ODPT_EX_NR_KINDS];
	bool aborted;
	unsigned int reached;
};

/* params.c */
void odpt_ex_params_get(struct odpt_ex_params *p);
bool odpt_ex_strategy_selected(enum odp_strategy strategy);

/* check.c: the invariants after a step, and a finished actor's result */
struct odpt_ex_run;
bool odpt_ex_check(struct odpt_ex_run *run);

/* explore.c */
void odpt_explore(struct kunit *test, const struct odpt_ex_set *set,
		  enum odp_strategy strategy, const struct odpt_ex_params *p,
		  struct odpt_ex_result *res);
void odpt_ex_result_free(struct odpt_ex_result *res);

/* report.c */
const char *odpt_ex_kind_name(enum odpt_ex_kind kind);
void odpt_ex_report(struct kunit *test, const struct odpt_ex_set *set,
		    enum odp_strategy strategy, const struct odpt_ex_failure *f);
struct odpt_step *odpt_ex_to_steps(const struct odpt_ex_set *set,
				   const struct odpt_ex_failure *f);

/**
 * struct odpt_ex_run - one schedule under way
 * @test: the KUnit test
 * @sc: its scenario
 * @p: the parameters
 * @state: each actor's ODPT_AS_* after the last step
 * @steps: the steps so far
 * @nsteps: their number
 * @preemptions: so far
 * @taint: the kernel's taint flags before the schedule
 * @debug_locks: lockdep was on before the schedule
 * @stale: the oracle's count after the last step
 * @found: ODPT_EX_FOUND() of what the schedule found; it goes on after
 *	a finding, to find what comes later, unless it is @fatal
 * @failed: @found is not 0
 * @fatal: a deadlock, an actor that keeps running, a divergence, a kernel
 *	report or a schedule too long: the schedule cannot go on
 * @finding: what was found, per kind
 */
struct odpt_ex_run {
	struct kunit *test;
	struct odpt_scenario *sc;
	const struct odpt_ex_params *p;
	u8 state[ODPT_MAX_ACTORS];
	struct odpt_ex_step steps[ODPT_EX_MAX_STEPS];
	int nsteps;
	int preemptions;
	unsigned long taint;
	int debug_locks;
	int stale;
	unsigned int found;
	bool failed;
	bool fatal;
	struct odpt_ex_finding finding[ODPT_EX_NR_KINDS];
};

void odpt_ex_fail(struct odpt_ex_run *run, enum odpt_ex_kind kind, int actor,
		  long value, const char *fmt, ...) __printf(5, 6);

#endif /* _ODPT_EXPLORE_H */
