// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM reaper's invalidations, scripted: a non-blockable start (the
 * actor holds the mmap read lock, as __oom_reap_task_mm() does), a stop
 * between the start and the zap, the zap and the end, or nothing more
 * when the start was refused (core/nonblock.c). On every backend, 100
 * times each:
 *
 *	N1  the reaper starts over A; B, overlapping A, is registered and
 *	    faulted in the middle (an S2-style registration race)
 *	N2  the reaper starts over a range that holds no umem; B is
 *	    registered there and faulted in the middle; after the end a
 *	    third umem is registered and faulted
 *	N3  the reaper starts between a fault's lookup and its commit, over
 *	    pages the device maps already
 *	N4  the reaper starts while the device holds the umem's mutex
 *
 * What each strategy does (nonblock.c): ctx_counter refuses a range over
 * a umem with its own counters, range_track and interval revoke with
 * trylocks and refuse on contention, and seed, which is the v1 patch,
 * walks and sleeps: its cases are marked as expecting the kernel's
 * "BUG: ... non-blocking section" reports, and N4 shows it blocked there.
 * Upstream's driver half refuses every non-blockable range over a umem, as
 * mlx5 does; a range over no umem still counts as an invalidation under
 * way in the mm's interval tree, and a umem registered inside it waits
 * for its end in mmu_interval_read_begin().
 * On every strategy, once the range has ended: no kernel warning, no end
 * without a start and no stale entry (but seed's, whose v1 registration
 * race lets a new umem keep pages the reaper zaps), and a later fault
 * maps its pages (no count or range left behind).
 */
#include <linux/panic.h>

#include "lib/odpt_util.h"
#include "lib/odpt_hca.h"
#include "race/masks.h"
#include "lib/case_checks.h"

/*
 * Who refuses the reaper's range over a umem outright: ctx_counter, and
 * upstream's driver half, which cannot take umem_mutex without sleeping
 * (mlx5_ib_invalidate_range() returns false).
 */
#define REFUSES		(CTX | UPSTREAM)
#define NOT_REFUSES	(GENMASK(FAKE_HCA_NR_BACKENDS - 1, 0) & ~REFUSES)

static const struct odpt_actor_spec n1_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_INV_NONBLOCK, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T3", ODPT_OP_FAULT, 1, 2, 2, RW },
	{}
};

static const struct odpt_step n1_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODPT_SP_BETWEEN),		/* reaper: start(A), refused on ctx_counter */
	ODPT_RUN(2),				/* register B */
	ODPT_RESULT(2, 0),
	ODPT_RUN_ON(NO_WAIT | UPSTREAM, 3),	/* B faults */
	ODPT_RESULT_ON(NO_WAIT | UPSTREAM, 3, 2), /* seed: the v1 hole; ctx, upstream: nothing runs */
	ODPT_UNTIL_ON(WAITS, 3, ODP_SP_FAULT_WAIT),
	ODPT_RUN(1),				/* reaper: end */
	ODPT_RESULT_ON(REFUSES, 1, -EAGAIN),
	ODPT_RESULT_ON(NOT_REFUSES, 1, 0),
	ODPT_RUN_ON(WAITS, 3),
	ODPT_RESULT_ON(WAITS, 3, 2),
	ODPT_MAPPED_ON(ODPT_ALL, 1, 2),
	ODPT_STALE_ON(SEED, 2),			/* B keeps the pages the reaper zapped */
	ODPT_STALE_ON(NOT_SEED, 0),
	ODPT_UNDERFLOW_ON(SEED, 1),		/* B saw the end, not the start */
	ODPT_UNDERFLOW_ON(NOT_SEED, 0),
	ODPT_END
};

static const struct odpt_actor_spec n2_actors[] = {
	{ "T0", ODPT_OP_REGISTER, 0, 0, 2, RW },
	{ "T1", ODPT_OP_INV_NONBLOCK, 0, 4, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 4, 4, RW },
	{ "T3", ODPT_OP_FAULT, 1, 4, 4, RW },
	{ "T4", ODPT_OP_FAULT_RETRY, 1, 4, 4, RW },
	{ "T5", ODPT_OP_REGISTER, 2, 6, 2, RW },
	{ "T6", ODPT_OP_FAULT_RETRY, 2, 6, 2, RW },
	{}
};

static const struct odpt_step n2_steps[] = {
	ODPT_RUN(0),				/* a umem elsewhere: the notifiers watch */
	ODPT_UNTIL(1, ODPT_SP_BETWEEN),		/* reaper: start over no umem */
	ODPT_RUN(2),				/* register B there */
	ODPT_RUN_ON(NO_WAIT, 3),
	ODPT_RESULT_ON(SEED, 3, 4),		/* the v1 hole */
	ODPT_RESULT_ON(CTX, 3, -EAGAIN),	/* B is in context mode */
	ODPT_UNTIL_ON(WAITS, 3, ODP_SP_FAULT_WAIT),
	ODPT_BLOCKS_ON(UPSTREAM, 3),		/* mmu_interval_read_begin() */
	ODPT_RUN(1),				/* reaper: end */
	ODPT_RESULT(1, 0),
	ODPT_RUN_ON(WAITS, 3),
	ODPT_FINISHES_ON(UPSTREAM, 3),
	ODPT_RESULT_ON(WAITS | UPSTREAM, 3, 4),
	ODPT_RUN_ON(CTX, 4),
	ODPT_RESULT_ON(CTX, 4, 4),
	ODPT_MAPPED_ON(ODPT_ALL, 1, 4),
	ODPT_UNDERFLOW_ON(SEED, 1),
	ODPT_UNDERFLOW_ON(NOT_SEED, 0),
	ODPT_RUN(5),				/* afterwards: a registration... */
	ODPT_RUN(6),				/* ...and a fault, nothing left behind */
	ODPT_RESULT(5, 0),
	ODPT_RESULT(6, 2),
	ODPT_MAPPED_ON(ODPT_ALL, 2, 2),
	ODPT_STALE_ON(SEED, 4),			/* B keeps the pages the reaper zapped */
	ODPT_STALE_ON(NOT_SEED, 0),
	ODPT_END
};

static const struct odpt_actor_spec n3_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{ "T2", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T3", ODPT_OP_INV_NONBLOCK, 0, 0, 4 },
	{ "T4", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{}
};

static const struct odpt_step n3_steps[] = {
	ODPT_RUN(0),
	ODPT_RUN(1),				/* the device maps A */
	ODPT_RESULT(1, 4),
	ODPT_UNTIL(2, ODP_SP_FAULT_LOOKED_UP),	/* a fault looked A's pages up */
	ODPT_UNTIL(3, ODPT_SP_BETWEEN),		/* reaper: start */
	ODPT_MAPPED_ON(NOT_REFUSES, 0, 0),	/* revoked */
	ODPT_MAPPED_ON(REFUSES, 0, 4),		/* refused: left as it was */
	ODPT_RUN(2),				/* the fault commits */
	ODPT_RESULT_ON(NOT_REFUSES, 2, -EAGAIN),
	ODPT_RESULT_ON(REFUSES, 2, 4),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_RUN(3),				/* reaper: end */
	ODPT_RESULT_ON(REFUSES, 3, -EAGAIN),
	ODPT_RESULT_ON(NOT_REFUSES, 3, 0),
	ODPT_RUN(4),
	ODPT_RESULT(4, 4),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 4),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_END
};

static const struct odpt_actor_spec n4_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{ "T2", ODPT_OP_HOLD_UMEM, 0 },
	{ "T3", ODPT_OP_INV_NONBLOCK, 0, 0, 4 },
	{ "T4", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{}
};

static const struct odpt_step n4_steps[] = {
	ODPT_RUN(0),
	ODPT_RUN(1),
	ODPT_UNTIL(2, ODPT_SP_LOCKED),		/* the device holds A's mutex */
	ODPT_RUN_ON(NOT_SEED, 3),		/* reaper: refused at once */
	ODPT_RESULT_ON(NOT_SEED, 3, -EAGAIN),
	ODPT_BLOCKS_ON(SEED, 3),		/* seed sleeps in the reaper */
	ODPT_RUN(2),				/* the device lets go */
	ODPT_FINISHES_ON(SEED, 3),
	ODPT_RESULT_ON(SEED, 3, 0),
	ODPT_MAPPED_ON(SEED, 0, 0),		/* (checked under the mutex, so only now) */
	ODPT_MAPPED_ON(NOT_SEED, 0, 4),		/* refused: nothing revoked */
	ODPT_RUN(4),
	ODPT_RESULT(4, 4),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 4),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_END
};

static const struct odpt_script odpt_nb_scripts[] = {
	{ "N1", 8, n1_actors, n1_steps },
	{ "N2", 8, n2_actors, n2_steps },
	{ "N3", 8, n3_actors, n3_steps },
	{ "N4", 8, n4_actors, n4_steps },
};

/*
 * Seed sleeps inside the reaper's non-blocking section: the scheduler
 * says so ("BUG: scheduling in a non-blocking section", and might_sleep()'s
 * "BUG: sleeping function called from invalid context", at most once a
 * second), which the clean-log check allows inside these markers only.
 */
static void odpt_nb_repeat(struct kunit *test, const struct odpt_script *script,
			   bool seed_sleeps)
{
	const enum odp_strategy *strategy = test->param_value;
	bool seed = *strategy == ODP_STRATEGY_SEED;

	if (seed)
		kunit_info(test, "odp-expect-splat: begin seed sleeps in a non-blocking section\n");
	odpt_case_repeat(test, script, *strategy, odpt_repeat_count());
	if (seed && seed_sleeps)
		KUNIT_EXPECT_TRUE_MSG(test, test_taint(TAINT_WARN),
				      "seed slept in the reaper and nothing said so");
	if (seed)
		kunit_info(test, "odp-expect-splat: end\n");
}

static void odpt_nb_n1_registration(struct kunit *test)
{
	odpt_nb_repeat(test, &odpt_nb_scripts[0], false);
}

static void odpt_nb_n2_empty_range(struct kunit *test)
{
	odpt_nb_repeat(test, &odpt_nb_scripts[1], false);
}

static void odpt_nb_n3_lookup_commit(struct kunit *test)
{
	odpt_nb_repeat(test, &odpt_nb_scripts[2], false);
}

static void odpt_nb_n4_contention(struct kunit *test)
{
	odpt_nb_repeat(test, &odpt_nb_scripts[3], true);
}

static const struct kunit_attributes ODPT_NB_SLOW = { .speed = KUNIT_SPEED_SLOW };

static struct kunit_case odpt_nb_cases[] = {
	KUNIT_CASE_PARAM_ATTR(odpt_nb_n1_registration, odpt_backend_gen_params, ODPT_NB_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_nb_n2_empty_range, odpt_backend_gen_params, ODPT_NB_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_nb_n3_lookup_commit, odpt_backend_gen_params, ODPT_NB_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_nb_n4_contention, odpt_backend_gen_params, ODPT_NB_SLOW),
	{}
};

static struct kunit_suite odpt_nb_suite = {
	.name = "odp_race_nonblock",
	.init = odpt_case_checks_init,
	.test_cases = odpt_nb_cases,
};
kunit_test_suite(odpt_nb_suite);
