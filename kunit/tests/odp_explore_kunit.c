// SPDX-License-Identifier: GPL-2.0
/*
 * odp_explore: the explorer over actor sets, on every strategy.
 *
 * E1-E3 are the actors of the thread's races S1-S3 without their steps:
 * on seed the explorer must find by itself what the scripts show, and
 * each finding is replayed odp_kunit.repeat times from the steps it
 * prints; on the other strategies, every schedule within the preemption
 * bound must pass. E4-E14 are actor sets picked from states the scripts
 * never reach (see each one); E13 also uses byte ranges and sequences;
 * E14 came from a mutant that every other set let live; E15 is the OOM
 * reaper's, E16 its refusals, which gates on the locks it tries open, and
 * E17 every order of a commit and an invalidation queued on a umem's mutex.
 * A finding on a strategy other than seed is a bug of that
 * strategy.
 *
 * The mapping has 8 pages. A is umem slot 0 over pages 0-3, B is slot 1
 * over pages 2-5, as in tests/odp_race_kunit.c.
 */
#include <linux/slab.h>

#include "lib/odpt_util.h"
#include "lib/odpt_hca.h"
#include "explore/explore.h"
#include "lib/case_checks.h"

#define RW		ODP_ACCESS_ALL
#define SEED		ODP_STRATEGY_SEED
#define NOTHING		{ 0, 0, 0, 0 }
#define ON_SEED(k)	{ [ODP_STRATEGY_SEED] = (k) }

static const struct odpt_step odpt_ex_setup_a[] = {
	ODPT_RUN(0),				/* T0 registers A */
	ODPT_END
};

static const struct odpt_step odpt_ex_setup_ab[] = {
	ODPT_RUN(0),				/* T0 registers A */
	ODPT_RUN(1),				/* T1 registers B */
	ODPT_END
};

/* E1, S1's actors: an invalidation of A, B registered beside it. */
static const struct odpt_actor_spec e1_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{}
};

/* E2, S2's actors: Jerome's table, with B's faults and a device read. */
static const struct odpt_actor_spec e2_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T3", ODPT_OP_FAULT, 1, 2, 4, RW, .after = ODPT_AFTER(2) },
	{ "T4", ODPT_OP_DEV_READ, 1, 2, 2, .after = ODPT_AFTER(2) },
	{}
};

/* E3, S3's actors: B misses A's start; A's end cancels an invalidation of B. */
static const struct odpt_actor_spec e3_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_INVALIDATE, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T3", ODPT_OP_MADVISE, 0, 4, 2 },
	{ "T4", ODPT_OP_FAULT, 1, 4, 2, RW, .after = ODPT_AFTER(2) },
	{}
};

/*
 * E4: deregistration and registration against an invalidation: the umem
 * leaves the tree (and ctx_counter's list of context-mode umems) while
 * an invalidation runs, a new one over the same pages faults.
 */
static const struct odpt_actor_spec e4_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_DEREGISTER, 0 },
	{ "T3", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T4", ODPT_OP_FAULT, 1, 2, 4, RW, .after = ODPT_AFTER(3) },
	{}
};

/* E5: the device's fault worker against madvise (S10 without its steps). */
static const struct odpt_actor_spec e5_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_DEV_READ, 0, 0, 4 },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "W", ODPT_OP_FAULT_WORKER },
	{}
};

/* E6: the last mmput against a fault and a device read. */
static const struct odpt_actor_spec e6_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MMPUT },
	{ "T3", ODPT_OP_DEV_READ, 0, 2, 2 },
	{}
};

/* E7: mremap moves half of a mapped MR away while it faults and is read. */
static const struct odpt_actor_spec e7_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MREMAP, 0, 0, 2, 0, 6 },
	{ "T3", ODPT_OP_DEV_READ, 0, 2, 2 },
	{}
};

/*
 * E8: two MRs over shared pages: an invalidation of the shared part
 * while each MR faults (one directly, one through a device read).
 */
static const struct odpt_actor_spec e8_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T2", ODPT_OP_MADVISE, 0, 2, 2 },
	{ "T3", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T4", ODPT_OP_DEV_READ, 1, 2, 2 },
	{}
};

/*
 * E9: two overlapping invalidations and a registration between them:
 * ctx_counter's count must fall to zero only after both ends before B
 * leaves context mode; range_track's list must hold both ranges.
 */
static const struct odpt_actor_spec e9_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_INVALIDATE, 0, 0, 4 },
	{ "T2", ODPT_OP_MADVISE, 0, 2, 4 },
	{ "T3", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T4", ODPT_OP_FAULT, 1, 2, 4, RW, .after = ODPT_AFTER(3) },
	{}
};

/*
 * E10: the last umem goes (the notifier is unregistered, the strategy
 * forgets invalidations in flight) while madvise runs, and a new umem
 * registers the notifier again and faults.
 */
static const struct odpt_actor_spec e10_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_DEREGISTER, 0 },
	{ "T3", ODPT_OP_REGISTER, 1, 0, 4, RW, .after = ODPT_AFTER(2) },
	{ "T4", ODPT_OP_FAULT, 1, 0, 4, RW, .after = ODPT_AFTER(3) },
	{}
};

/* E11: prefetch, madvise and deregistration of the same MR. */
static const struct odpt_actor_spec e11_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_PREFETCH, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T3", ODPT_OP_DEREGISTER, 0 },
	{}
};

/* E12: a device write and a munmap of part of the MR, then a device read. */
static const struct odpt_actor_spec e12_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_DEV_WRITE, 0, 0, 4 },
	{ "T2", ODPT_OP_MUNMAP, 0, 2, 2 },
	{ "T3", ODPT_OP_DEV_READ, 0, 0, 2 },
	{}
};

/*
 * E13: byte ranges and sequences. A is registered at byte 100 for three
 * pages' length (pages 0-3); T1 zaps pages 1-2, then faults A; the device
 * reads across three pages from byte 1000; T3 registers B over bytes 50 to
 * 5050 of page 2 (pages 2-3), then faults it.
 */
static const struct odpt_actor_spec e13_t1_fault = {
	"T1", ODPT_OP_FAULT_RETRY, 0, 0, 0, RW, .off = 100, .len = 3 * PAGE_SIZE
};

static const struct odpt_actor_spec e13_t3_fault = {
	"T3", ODPT_OP_FAULT, 1, 2, 0, RW, .off = 50, .len = 5000
};

static const struct odpt_actor_spec e13_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 0, RW, .off = 100, .len = 3 * PAGE_SIZE },
	{ "T1", ODPT_OP_MADVISE, 0, 1, 2, .then = &e13_t1_fault },
	{ "T2", ODPT_OP_DEV_READ, 0, 0, 0, .off = 1000, .len = 2 * PAGE_SIZE + 10 },
	{ "T3", ODPT_OP_REGISTER, 1, 2, 0, RW, .off = 50, .len = 5000, .then = &e13_t3_fault },
	{}
};

/*
 * E14: two invalidations with the same start, the longer one started
 * later (range_track keeps its active ranges newest first, and each end
 * must take its own out): A over pages 0-1, B over pages 2-3, an
 * invalidation of A and a madvise of both; B, which only the madvise
 * covers, faults.
 */
static const struct odpt_actor_spec e14_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 2, RW },
	{ "T1", ODPT_OP_REGISTER, 1, 2, 2, RW },
	{ "T2", ODPT_OP_INVALIDATE, 0, 0, 2 },
	{ "T3", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T4", ODPT_OP_FAULT, 1, 2, 2, RW },
	{}
};

/*
 * E15: the OOM reaper (a non-blockable invalidation that zaps) over pages
 * 2-5 while B is registered there, faulted and read by the device; A,
 * elsewhere, keeps the notifiers on the mm. Seed sits it out: it sleeps
 * at every sync point inside the reaper's non-blocking section, and each
 * time the kernel prints a report and a stack (tests/odp_race_nonblock_kunit.c shows
 * it once).
 */
static const struct odpt_actor_spec e15_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 2, RW },
	{ "T1", ODPT_OP_INV_NONBLOCK, 0, 2, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T3", ODPT_OP_FAULT_RETRY, 1, 2, 4, RW, .after = ODPT_AFTER(2) },
	{ "T4", ODPT_OP_DEV_READ, 1, 2, 2, .after = ODPT_AFTER(2) },
	{}
};

/*
 * E16: the OOM reaper's refusals. A is registered and the device maps it;
 * one reaper starts over A, another over pages 4-7, where no umem is.
 * Two gates make the locks the reaper's notifiers ask for with trylocks
 * busy (core/nonblock.c, the interval strategy's callback): the context's
 * tree lock, held for writing, and A's mutex. No other path of the set
 * takes them, so without the gates no schedule runs a refusal that a busy
 * lock causes. Every refusal and every acceptance below is reached in
 * some schedule (the outcomes, checked once the exploration is complete),
 * and the oracle checks each: a refused range leaves A's entries valid
 * (its pages are not zapped), an accepted one leaves none stale.
 */
static const struct odpt_actor_spec e16_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{ "T2", ODPT_OP_INV_NONBLOCK, 0, 0, 4 },
	{ "T3", ODPT_OP_INV_NONBLOCK, 0, 4, 4 },
	{ "T4", ODPT_OP_GATE, .arg = ODPT_GATE_TREE_WRITE },
	{ "T5", ODPT_OP_GATE, 0, .arg = ODPT_GATE_UMEM },
	{}
};

static const struct odpt_step odpt_ex_setup_a_mapped[] = {
	ODPT_RUN(0),				/* T0 registers A */
	ODPT_RUN(1),				/* T1: the device maps A */
	ODPT_RESULT(1, 4),
	ODPT_END
};

#define CC	BIT(ODP_STRATEGY_CTX_COUNTER)
#define RT	BIT(ODP_STRATEGY_RANGE_TRACK)
#define IV	BIT(ODP_STRATEGY_INTERVAL)
#define UP	BIT(FAKE_HCA_BACKEND_UPSTREAM)

static const struct odpt_ex_outcome e16_outcomes[] = {
	/* range_track: A's mutex or the tree lock busy; interval: A's mutex */
	{ "the reaper over A is refused", 2, -EAGAIN, CC | RT | IV | UP },
	{ "the reaper over A revokes A and zaps", 2, 0, RT | IV },
	/* ctx_counter and range_track: the tree lock busy */
	{ "the reaper over no umem is refused", 3, -EAGAIN, CC | RT },
	{ "the reaper over no umem zaps", 3, 0, CC | RT | IV | UP },
	{}
};

/*
 * E17: a gate on A's mutex, which the fault's commit and the
 * invalidation's per-umem work both take, with no sync point between
 * taking it and releasing it. Held while both are under way, it queues
 * them behind it in the order the schedule chose (S22 scripts one order):
 * every order of commit and invalidation on the mutex is explored, and
 * after each the device reads A.
 */
static const struct odpt_actor_spec e17_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T1", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T3", ODPT_OP_GATE, 0, .arg = ODPT_GATE_UMEM },
	{ "T4", ODPT_OP_DEV_READ, 0, 0, 4, .after = ODPT_AFTER(1) | ODPT_AFTER(2) },
	{}
};

#define SET(n, setup, ...) { { "E" #n, 8, e##n##_actors, setup }, __VA_ARGS__ }

static const struct odpt_ex_set odpt_ex_sets[] = {
	SET(1, odpt_ex_setup_a, ON_SEED(ODPT_EX_FOUND(UNDERFLOW))),
	SET(2, odpt_ex_setup_a, ON_SEED(ODPT_EX_FOUND(UNDERFLOW) | ODPT_EX_FOUND(STALE) |
					ODPT_EX_FOUND(DATA))),
	SET(3, odpt_ex_setup_a, ON_SEED(ODPT_EX_FOUND(UNDERFLOW) | ODPT_EX_FOUND(STALE))),
	/*
	 * seed: B, registered mid-invalidation, sees its end and keeps old
	 * pages; and v1's release deadlock (S16): A's release holds the read
	 * lock while B's registration queues for the write lock
	 */
	SET(4, odpt_ex_setup_a, ON_SEED(ODPT_EX_FOUND(UNDERFLOW) | ODPT_EX_FOUND(STALE) |
					ODPT_EX_FOUND(DEADLOCK))),
	SET(5, odpt_ex_setup_a, NOTHING),
	SET(6, odpt_ex_setup_a, NOTHING),
	SET(7, odpt_ex_setup_a, NOTHING),
	SET(8, odpt_ex_setup_ab, NOTHING),
	/* seed: B misses a start, faults under the other invalidation */
	SET(9, odpt_ex_setup_a, ON_SEED(ODPT_EX_FOUND(UNDERFLOW) | ODPT_EX_FOUND(STALE))),
	/*
	 * seed registers as v1 did: B enters the tree before the notifier
	 * is registered, under the rwsem, and the registration waits for the
	 * madvise (mmap_lock): B cannot miss its start. (Registering the
	 * notifier first and inserting B after, as the other strategies do,
	 * left that window open to seed.)
	 */
	SET(10, odpt_ex_setup_a, NOTHING),
	SET(11, odpt_ex_setup_a, NOTHING),
	SET(12, odpt_ex_setup_a, NOTHING),
	/* seed: B, registered during T1's madvise, sees its end, keeps old pages */
	SET(13, odpt_ex_setup_a, ON_SEED(ODPT_EX_FOUND(UNDERFLOW) | ODPT_EX_FOUND(STALE))),
	SET(14, odpt_ex_setup_ab, NOTHING),
	SET(15, odpt_ex_setup_a, NOTHING),
	SET(16, odpt_ex_setup_a_mapped, NOTHING, .outcomes = e16_outcomes),
	SET(17, odpt_ex_setup_a, NOTHING),
};

static void odpt_ex_kinds(struct kunit *test, const char *what, unsigned int kinds)
{
	int k;

	for (k = 0; k < ODPT_EX_NR_KINDS; k++)
		if (kinds & BIT(k))
			kunit_info(test, "  %s: %s\n", what, odpt_ex_kind_name(k));
}

/* Replay a finding from the steps it printed, odp_kunit.repeat times. */
static void odpt_ex_replay_steps(struct kunit *test, const struct odpt_ex_set *set,
				 enum odp_strategy strategy, const struct odpt_ex_failure *f)
{
	struct odpt_script script = set->script;
	struct odpt_step *steps = odpt_ex_to_steps(set, f);
	int n = odpt_repeat_count(), done;

	KUNIT_ASSERT_NOT_NULL(test, steps);
	script.steps = steps;
	done = odpt_case_repeat(test, &script, strategy, n);
	KUNIT_EXPECT_EQ_MSG(test, done, n, "%s on %s: the printed steps of \"%s\" replay %d of %d times",
			    set->script.name, fake_hca_backend_name(strategy),
			    odpt_ex_kind_name(f->kind), done, n);
	if (done == n)
		kunit_info(test, "%s on %s: \"%s\" replays from its steps %d of %d times\n",
			   set->script.name, fake_hca_backend_name(strategy),
			   odpt_ex_kind_name(f->kind), n, n);
	kfree(steps);
}

/* Every outcome the set names for @strategy was reached by some schedule. */
static void odpt_ex_check_outcomes(struct kunit *test, const struct odpt_ex_set *set,
				   enum odp_strategy strategy, const struct odpt_ex_result *res)
{
	const struct odpt_ex_outcome *o = set->outcomes;
	int k;

	for (k = 0; o && o[k].what; k++) {
		if (!(o[k].strategies & BIT(strategy)))
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, res->reached & BIT(k),
				      "%s on %s: no schedule reached \"%s\"", set->script.name,
				      fake_hca_backend_name(strategy), o[k].what);
		if (res->reached & BIT(k))
			kunit_info(test, "%s on %s: reached: %s\n", set->script.name,
				   fake_hca_backend_name(strategy), o[k].what);
	}
}

/*
 * What each set's case explored in this boot, with which parameters, for
 * odpt_explore_twice() to compare its own exploration with.
 */
struct odpt_ex_seen {
	bool valid;
	struct odpt_ex_params p;
	long schedules;
	u32 hash;
};

static struct odpt_ex_seen odpt_ex_seen[ARRAY_SIZE(odpt_ex_sets)][FAKE_HCA_NR_BACKENDS];

static void odpt_ex_remember(const struct odpt_ex_set *set, enum odp_strategy strategy,
			     const struct odpt_ex_params *p, const struct odpt_ex_result *res)
{
	struct odpt_ex_seen *seen = &odpt_ex_seen[set - odpt_ex_sets][strategy];

	memcpy(&seen->p, p, sizeof(*p));
	seen->schedules = res->schedules;
	seen->hash = res->hash;
	seen->valid = true;
}

/* Where the time went: per schedule, in microseconds, by phase. */
static void odpt_explore_phases(struct kunit *test, const struct odpt_ex_set *set,
				const char *sname, const struct odpt_ex_result *res)
{
	u64 n = max_t(u64, res->schedules, 1);

	kunit_info(test, "%s on %s: a schedule's time: create %llu us, setup steps %llu us, steps %llu us, teardown %llu us\n",
		   set->script.name, sname,
		   div64_u64(res->ns_phase[ODPT_EX_CREATE], n * NSEC_PER_USEC),
		   div64_u64(res->ns_phase[ODPT_EX_SETUP], n * NSEC_PER_USEC),
		   div64_u64(res->ns_phase[ODPT_EX_STEPS], n * NSEC_PER_USEC),
		   div64_u64(res->ns_phase[ODPT_EX_TEARDOWN], n * NSEC_PER_USEC));
}

static void odpt_explore_set(struct kunit *test, const struct odpt_ex_set *set)
{
	const enum odp_strategy *strategy = test->param_value;
	const char *sname = fake_hca_backend_name(*strategy);
	unsigned int expect = set->expect[*strategy];
	struct odpt_ex_params p;
	struct odpt_ex_result res;
	int k;

	if (!odpt_ex_strategy_selected(*strategy))
		kunit_skip(test, "odp_kunit.explore_only names another strategy");
	odpt_ex_params_get(&p);
	odpt_explore(test, set, *strategy, &p, &res);
	if (res.aborted)
		return;
	kunit_info(test, "%s on %s: %s, %ld schedules (%ld pruned, %ld of other shards), %s, longest %d steps, %llu ms, %llu schedules/s, hash %08x, sum %08x\n",
		   set->script.name, sname,
		   p.mode == ODPT_EX_PCT ? "pct" : "dfs", res.schedules, res.pruned,
		   res.skipped, res.complete ? "complete" : "not exhaustive",
		   res.max_steps, div_u64(res.ns, NSEC_PER_MSEC),
		   div64_u64(res.schedules * NSEC_PER_SEC, max_t(u64, res.ns, 1)), res.hash,
		   res.sum);
	odpt_explore_phases(test, set, sname, &res);
	if (p.nreplay) {
		odpt_ex_result_free(&res);
		return;
	}
	odpt_ex_remember(set, *strategy, &p, &res);
	for (k = 0; k < ODPT_EX_NR_KINDS; k++)
		if (res.fail[k])
			odpt_ex_report(test, set, *strategy, res.fail[k]);
	if (res.first_failure >= 0)
		kunit_info(test, "%s on %s: first failure in schedule %ld, after %llu us\n",
			   set->script.name, sname, res.first_failure,
			   div_u64(res.first_failure_ns, NSEC_PER_USEC));
	/* a shard sees only part of the space; only the whole of it must find all */
	if (p.nshards == 1 || !expect) {
		if (res.found != expect) {
			odpt_ex_kinds(test, "expected", expect);
			odpt_ex_kinds(test, "found", res.found);
		}
		KUNIT_EXPECT_EQ_MSG(test, res.found, expect,
				    "%s on %s: the exploration found other failures than expected",
				    set->script.name, sname);
	}
	if (p.mode == ODPT_EX_DFS && !expect)
		KUNIT_EXPECT_TRUE_MSG(test, res.complete,
				      "%s on %s: not every schedule within the bound ran: raise odp_kunit.explore_budget or explore_time",
				      set->script.name, sname);
	if (p.mode == ODPT_EX_DFS && p.nshards == 1 && res.complete)
		odpt_ex_check_outcomes(test, set, *strategy, &res);
	for (k = 0; k < ODPT_EX_NR_KINDS; k++)
		if (res.fail[k] && (expect & BIT(k)))
			odpt_ex_replay_steps(test, set, *strategy, res.fail[k]);
	odpt_ex_result_free(&res);
}

/*
 * The same parameters explore the same schedules: E5 (the fault worker's
 * thread joins and leaves) and E10 (SRCU grace periods, sleeps that end by
 * themselves) twice each, same count and same hash. The first of the two
 * is the set's own case earlier in this boot when it ran with the same
 * parameters (E5 is the slowest set: exploring it a third time would cost
 * the suite some 13 s), else an exploration here.
 */
static void odpt_explore_twice(struct kunit *test)
{
	const enum odp_strategy *strategy = test->param_value;
	static const int sets[] = { 5, 10 };
	struct odpt_ex_result a, b;
	struct odpt_ex_params p;
	int i;

	odpt_ex_params_get(&p);
	if (p.nreplay || p.mode != ODPT_EX_DFS)
		kunit_skip(test, "for the default dfs exploration");
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		const struct odpt_ex_set *set = &odpt_ex_sets[sets[i] - 1];
		const struct odpt_ex_seen *seen = &odpt_ex_seen[sets[i] - 1][*strategy];
		bool earlier = seen->valid && !memcmp(&seen->p, &p, sizeof(p));

		memset(&a, 0, sizeof(a));
		if (earlier) {
			a.schedules = seen->schedules;
			a.hash = seen->hash;
		} else {
			odpt_explore(test, set, *strategy, &p, &a);
			if (a.aborted)
				return;
		}
		odpt_explore(test, set, *strategy, &p, &b);
		if (b.aborted)
			return;
		KUNIT_EXPECT_EQ_MSG(test, a.schedules, b.schedules, "%s: schedules differ",
				    set->script.name);
		KUNIT_EXPECT_EQ_MSG(test, a.hash, b.hash, "%s: the hashes differ",
				    set->script.name);
		/* one shard of several may own a single schedule of a set, or none */
		if (p.nshards == 1)
			KUNIT_EXPECT_GT(test, a.schedules, 1L);
		kunit_info(test, "%s on %s: twice %ld schedules, hash %08x (the first: %s)\n",
			   set->script.name, fake_hca_backend_name(*strategy), a.schedules, a.hash,
			   earlier ? "its case's, earlier in this boot" : "explored here");
		odpt_ex_result_free(&a);
		odpt_ex_result_free(&b);
	}
}

#define ODPT_EXPLORE_CASE(n)						\
static void odpt_explore_e##n(struct kunit *test)			\
{									\
	odpt_explore_set(test, &odpt_ex_sets[(n) - 1]);			\
}

ODPT_EXPLORE_CASE(1)
ODPT_EXPLORE_CASE(2)
ODPT_EXPLORE_CASE(3)
ODPT_EXPLORE_CASE(4)
ODPT_EXPLORE_CASE(5)
ODPT_EXPLORE_CASE(6)
ODPT_EXPLORE_CASE(7)
ODPT_EXPLORE_CASE(8)
ODPT_EXPLORE_CASE(9)
ODPT_EXPLORE_CASE(10)
ODPT_EXPLORE_CASE(11)
ODPT_EXPLORE_CASE(12)
ODPT_EXPLORE_CASE(13)
ODPT_EXPLORE_CASE(14)
ODPT_EXPLORE_CASE(15)
ODPT_EXPLORE_CASE(16)
ODPT_EXPLORE_CASE(17)

/* Every backend but seed (E15, E16). */
static const void *odpt_ex_not_seed_gen_params(const void *prev, char *desc)
{
	const enum odp_strategy *s = odpt_backend_gen_params(prev, desc);

	if (s && *s == ODP_STRATEGY_SEED)
		s = odpt_backend_gen_params(s, desc);
	return s;
}

/*
 * Very slow: about 1,300 schedules a second on UML, 50 under QEMU's
 * emulation of x86_64, where a whole exploration takes half an hour; the
 * x86_64 stage of CI leaves them out with --filter 'speed>very_slow'.
 */
static const struct kunit_attributes ODPT_EX_SLOW = { .speed = KUNIT_SPEED_VERY_SLOW };

#define ODPT_EXPLORE_PARAM(n) \
	KUNIT_CASE_PARAM_ATTR(odpt_explore_e##n, odpt_backend_gen_params, ODPT_EX_SLOW)

static struct kunit_case odpt_explore_cases[] = {
	ODPT_EXPLORE_PARAM(1),
	ODPT_EXPLORE_PARAM(2),
	ODPT_EXPLORE_PARAM(3),
	ODPT_EXPLORE_PARAM(4),
	ODPT_EXPLORE_PARAM(5),
	ODPT_EXPLORE_PARAM(6),
	ODPT_EXPLORE_PARAM(7),
	ODPT_EXPLORE_PARAM(8),
	ODPT_EXPLORE_PARAM(9),
	ODPT_EXPLORE_PARAM(10),
	ODPT_EXPLORE_PARAM(11),
	ODPT_EXPLORE_PARAM(12),
	ODPT_EXPLORE_PARAM(13),
	ODPT_EXPLORE_PARAM(14),
	KUNIT_CASE_PARAM_ATTR(odpt_explore_e15, odpt_ex_not_seed_gen_params, ODPT_EX_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_explore_e16, odpt_ex_not_seed_gen_params, ODPT_EX_SLOW),
	ODPT_EXPLORE_PARAM(17),
	KUNIT_CASE_PARAM_ATTR(odpt_explore_twice, odpt_backend_gen_params, ODPT_EX_SLOW),
	{}
};

static struct kunit_suite odpt_explore_suite = {
	.name = "odp_explore",
	.init = odpt_case_checks_init,
	.test_cases = odpt_explore_cases,
};
kunit_test_suite(odpt_explore_suite);
