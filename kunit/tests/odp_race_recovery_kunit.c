// SPDX-License-Identifier: GPL-2.0
/*
 * odp_race_recovery: one failing case leaves the next a clean kernel.
 *
 * Each case makes a script or an exploration fail on purpose, at one
 * stage, inside an inner KUnit test (kunit_init_test(): its failures are
 * its own, not the case's), and checks that it failed. Then it checks
 * what the failure must not leave behind: no sync-point handler installed
 * (the case's own installs), no actor thread, and a script and an
 * exploration of the same backend that must pass right after it. The
 * stages:
 *
 *	setup     the scenario cannot be set up (a mapping too large)
 *	stopped   a step fails while an actor is stopped at a sync point
 *	blocked   a step fails while an actor is blocked behind a gate
 *	stuck     seed's v1 release deadlock, left without its way out: the
 *		  teardown names the actors that do not finish within the
 *		  engine's bound, kills them (their killable waits give up),
 *		  and reaps them
 *	check     a check of the test's own thread meets a umem mutex that
 *		  stays held (a gate on A): it fails within the engine's
 *		  bound, naming the actors still out, instead of waiting
 *	guard     a handler installed through the guard, never removed by
 *		  its test: KUnit removes it when the test ends
 *	bounded   a call into the code under test that never returns (the
 *		  teardown's deregistrations run so, odpt_call_bounded()):
 *		  the case fails within the engine's bound, naming it
 *	ex-setup  an exploration whose setup steps fail
 *	ex-found  an exploration that finds failures (seed's E1), whose
 *		  schedules end in every state
 *	report    a thread of the case warns (WARN()): the report check
 *		  (lib/report_check.h) fails the case, with the warning's
 *		  line, and a warning inside an expected region fails nothing
 *
 * The inner test's "EXPECTATION FAILED" lines in the log are expected:
 * each case says so before them.
 */
#include <linux/slab.h>

#include "lib/odpt_util.h"
#include "lib/odpt_hca.h"
#include "lib/sync_guard.h"
#include "explore/explore.h"
#include "race/masks.h"
#include "race/task.h"
#include "lib/case_checks.h"
#include "lib/report_check.h"

/* A healthy script: it must pass right after every failure. */
static const struct odpt_actor_spec odpt_rec_ok_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T3", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{}
};

static const struct odpt_step odpt_rec_ok_steps[] = {
	ODPT_RUN(0),
	ODPT_RUN(1),
	ODPT_RESULT(1, 4),
	ODPT_RUN(2),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_RUN(3),
	ODPT_RESULT(3, 4),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 4),
	ODPT_END
};

static const struct odpt_script odpt_rec_ok = {
	"OK", 8, odpt_rec_ok_actors, odpt_rec_ok_steps
};

/* ... and an exploration: a fault and a madvise of A. */
static const struct odpt_actor_spec odpt_rec_ex_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{}
};

static const struct odpt_step odpt_rec_ex_setup[] = {
	ODPT_RUN(0),
	ODPT_END
};

static const struct odpt_ex_set odpt_rec_ex_ok = {
	{ "EX-OK", 8, odpt_rec_ex_actors, odpt_rec_ex_setup }
};

/* setup: more pages than the engine holds */
static const struct odpt_script odpt_rec_setup = {
	"FAIL-SETUP", ODPT_MAX_PAGES + 1, odpt_rec_ok_actors, odpt_rec_ok_steps
};

/* stopped: T1 stopped between its start and its end; a wrong expectation */
static const struct odpt_actor_spec odpt_rec_stopped_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_INVALIDATE, 0, 0, 4 },
	{}
};

static const struct odpt_step odpt_rec_stopped_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODPT_SP_BETWEEN),
	ODPT_RESULT(0, 42),
	ODPT_END
};

static const struct odpt_script odpt_rec_stopped = {
	"FAIL-STOPPED", 8, odpt_rec_stopped_actors, odpt_rec_stopped_steps
};

/* blocked: a madvise waits behind a gate on mmap_lock; a wrong expectation */
static const struct odpt_actor_spec odpt_rec_blocked_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_GATE, .arg = ODPT_GATE_MMAP_WRITE },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{}
};

static const struct odpt_step odpt_rec_blocked_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODPT_SP_LOCKED),
	ODPT_BLOCKS_ON(ODPT_ALL, 2),
	ODPT_RESULT(2, 42),
	ODPT_END
};

static const struct odpt_script odpt_rec_blocked = {
	"FAIL-BLOCKED", 8, odpt_rec_blocked_actors, odpt_rec_blocked_steps
};

/* check: a gate holds A's mutex while the script counts A's pages */
static const struct odpt_actor_spec odpt_rec_check_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_GATE, 0, .arg = ODPT_GATE_UMEM },
	{}
};

static const struct odpt_step odpt_rec_check_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODPT_SP_LOCKED),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 0),
	ODPT_END
};

static const struct odpt_script odpt_rec_check = {
	"FAIL-CHECK", 8, odpt_rec_check_actors, odpt_rec_check_steps
};

/* stuck (seed): S16's deadlock, and no kill to end it */
static const struct odpt_actor_spec odpt_rec_stuck_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_DEREGISTER, 0 },
	{ "T2", ODPT_OP_REGISTER, 1, 4, 2, RW },
	{}
};

static const struct odpt_step odpt_rec_stuck_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_RELEASE_BEFORE_UNREGISTER),
	ODPT_BLOCKS_ON(ODPT_ALL, 2),
	ODPT_BLOCKS_ON(ODPT_ALL, 1),
	ODPT_END
};

static const struct odpt_script odpt_rec_stuck = {
	"FAIL-STUCK", 8, odpt_rec_stuck_actors, odpt_rec_stuck_steps
};

/* ex-setup: the setup steps of the exploration fail */
static const struct odpt_step odpt_rec_ex_bad_setup[] = {
	ODPT_RUN(0),
	ODPT_RESULT(0, 42),
	ODPT_END
};

static const struct odpt_ex_set odpt_rec_ex_setup_fails = {
	{ "EX-FAIL-SETUP", 8, odpt_rec_ex_actors, odpt_rec_ex_bad_setup }
};

/* ex-found: seed's registration race (E1's actors), found by the explorer */
static const struct odpt_actor_spec odpt_rec_e1_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{}
};

static const struct odpt_ex_set odpt_rec_ex_found = {
	{ "EX-FOUND", 8, odpt_rec_e1_actors, odpt_rec_ex_setup }
};

struct odpt_rec_probe {
	struct odp_sync_handler h;
};

static void odpt_rec_probe_reached(struct odp_sync_handler *h, unsigned int sp,
				   const void *obj, u64 start, u64 end)
{
}

/* What a failed case must not leave: its handler installed. */
static void odpt_rec_no_handler(struct kunit *test, const char *stage)
{
	struct odpt_rec_probe probe = { .h.reached = odpt_rec_probe_reached };
	int ret = odp_sync_install(&probe.h);

	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s: a sync-point handler is still installed", stage);
	if (!ret)
		odp_sync_uninstall(&probe.h);
}

/* Then a script and an exploration of the same backend pass. */
static void odpt_rec_next_passes(struct kunit *test, enum odp_strategy strategy,
				 const char *stage)
{
	struct odpt_ex_params p;
	struct odpt_ex_result res;

	odpt_rec_no_handler(test, stage);
	KUNIT_EXPECT_EQ_MSG(test, odpt_case_repeat(test, &odpt_rec_ok, strategy, 3), 3,
			    "%s: the next script fails", stage);
	odpt_ex_params_get(&p);
	p.mode = ODPT_EX_DFS;
	p.nreplay = 0;
	p.budget = 0;
	p.time_ms = 0;
	p.shard = 0;
	p.nshards = 1;
	odpt_explore(test, &odpt_rec_ex_ok, strategy, &p, &res);
	KUNIT_EXPECT_FALSE_MSG(test, res.aborted, "%s: the next exploration aborts", stage);
	KUNIT_EXPECT_EQ_MSG(test, res.found, 0U, "%s: the next exploration finds failures", stage);
	KUNIT_EXPECT_TRUE_MSG(test, res.complete, "%s: the next exploration is not complete",
			      stage);
	KUNIT_EXPECT_GT(test, res.schedules, 1L);
	odpt_ex_result_free(&res);
}

/* Run @script once inside an inner test: it must fail there. */
static void odpt_rec_script_fails(struct kunit *test, const struct odpt_script *script,
				  enum odp_strategy strategy)
{
	struct kunit *inner = kunit_kzalloc(test, sizeof(*inner), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, inner);
	kunit_info(test, "%s on %s: fails on purpose; the failures of \"inner\" below are expected\n",
		   script->name, fake_hca_backend_name(strategy));
	kunit_init_test(inner, "inner", NULL);
	odpt_case_repeat(inner, script, strategy, 1);
	kunit_cleanup(inner);
	KUNIT_EXPECT_EQ_MSG(test, inner->status, KUNIT_FAILURE, "%s: the inner case passed",
			    script->name);
	odpt_rec_next_passes(test, strategy, script->name);
}

static void odpt_rec_setup_fails(struct kunit *test)
{
	odpt_rec_script_fails(test, &odpt_rec_setup, *(const enum odp_strategy *)test->param_value);
}

static void odpt_rec_step_fails_stopped(struct kunit *test)
{
	odpt_rec_script_fails(test, &odpt_rec_stopped,
			      *(const enum odp_strategy *)test->param_value);
}

static void odpt_rec_step_fails_blocked(struct kunit *test)
{
	odpt_rec_script_fails(test, &odpt_rec_blocked,
			      *(const enum odp_strategy *)test->param_value);
}

/* seed only: its v1 release deadlock; the teardown's kill ends it */
static void odpt_rec_stuck_reaped(struct kunit *test)
{
	u64 t0 = ktime_get_ns(), ms;

	odpt_rec_script_fails(test, &odpt_rec_stuck, ODP_STRATEGY_SEED);
	ms = div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC);
	kunit_info(test, "a deadlock in the teardown, named, killed and reaped; the next script and exploration passed: %llu ms in all\n",
		   ms);
}

/*
 * A check that cannot take A's mutex fails its case within the bound (a
 * fault that sleeps under the mutex for an invalidation stopped at a
 * point used to block the test's thread for good).
 */
static void odpt_rec_check_held(struct kunit *test)
{
	u64 t0 = ktime_get_ns(), ms;

	odpt_rec_script_fails(test, &odpt_rec_check, ODP_STRATEGY_INTERVAL);
	ms = div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC);
	KUNIT_EXPECT_LE(test, ms, (u64)jiffies_to_msecs(ODPT_WAIT_BOUND) + 3000);
	kunit_info(test, "a check behind a held mutex failed, and the next script and exploration passed: %llu ms in all\n",
		   ms);
}

/* A guarded handler whose test never removes it is gone once the test ends. */
static void odpt_rec_guard_removes(struct kunit *test)
{
	struct kunit *inner = kunit_kzalloc(test, sizeof(*inner), GFP_KERNEL);
	struct odpt_rec_probe *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, inner);
	KUNIT_ASSERT_NOT_NULL(test, h);
	h->h.reached = odpt_rec_probe_reached;
	kunit_init_test(inner, "inner", NULL);
	KUNIT_ASSERT_EQ(test, odpt_sync_guard(inner, &h->h, NULL), 0);
	/* the inner test ends here, as one that failed an assertion would */
	kunit_cleanup(inner);
	odpt_rec_next_passes(test, ODP_STRATEGY_INTERVAL, "guard");
}

struct odpt_rec_block {
	struct completion release;
	struct completion returned;
};

static void odpt_rec_blocks(void *arg)
{
	struct odpt_rec_block *b = arg;

	wait_for_completion(&b->release);
	complete(&b->returned);
}

/*
 * A call that hangs (a lost wake-up in a release, say) fails its case
 * within the bound instead of holding the test's thread; once let go, the
 * call that was left behind returns on its own.
 */
static void odpt_rec_bounded(struct kunit *test)
{
	struct kunit *inner = kunit_kzalloc(test, sizeof(*inner), GFP_KERNEL);
	struct odpt_rec_block *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	u64 t0, ms;
	bool done;

	KUNIT_ASSERT_NOT_NULL(test, inner);
	KUNIT_ASSERT_NOT_NULL(test, b);
	init_completion(&b->release);
	init_completion(&b->returned);
	kunit_info(test, "a call that never returns; the failure of \"inner\" below is expected\n");
	kunit_init_test(inner, "inner", NULL);
	t0 = ktime_get_ns();
	done = odpt_call_bounded(inner, "a call that blocks", odpt_rec_blocks, b, NULL);
	ms = div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC);
	kunit_cleanup(inner);
	KUNIT_EXPECT_FALSE(test, done);
	KUNIT_EXPECT_EQ(test, inner->status, KUNIT_FAILURE);
	KUNIT_EXPECT_LE(test, ms, (u64)jiffies_to_msecs(ODPT_WAIT_BOUND) + 1000);
	kunit_info(test, "the hung call failed its case after %llu ms\n", ms);
	complete(&b->release);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&b->returned, ODPT_WAIT_BOUND));
	odpt_rec_next_passes(test, ODP_STRATEGY_INTERVAL, "bounded");
}

/* Explore @set inside an inner test; @fails: the inner test must fail. */
static void odpt_rec_explore(struct kunit *test, const struct odpt_ex_set *set,
			     enum odp_strategy strategy, bool fails, unsigned int found)
{
	struct kunit *inner = kunit_kzalloc(test, sizeof(*inner), GFP_KERNEL);
	struct odpt_ex_params p;
	struct odpt_ex_result res;

	KUNIT_ASSERT_NOT_NULL(test, inner);
	kunit_info(test, "%s on %s: fails on purpose; the failures of \"inner\" below are expected\n",
		   set->script.name, fake_hca_backend_name(strategy));
	odpt_ex_params_get(&p);
	p.mode = ODPT_EX_DFS;
	p.nreplay = 0;
	p.shard = 0;
	p.nshards = 1;
	kunit_init_test(inner, "inner", NULL);
	odpt_explore(inner, set, strategy, &p, &res);
	kunit_cleanup(inner);
	KUNIT_EXPECT_EQ(test, inner->status, fails ? KUNIT_FAILURE : KUNIT_SUCCESS);
	KUNIT_EXPECT_FALSE(test, res.aborted);
	KUNIT_EXPECT_EQ(test, res.found & found, found);
	odpt_ex_result_free(&res);
	odpt_rec_next_passes(test, strategy, set->script.name);
}

static void odpt_rec_ex_setup_fails_case(struct kunit *test)
{
	odpt_rec_explore(test, &odpt_rec_ex_setup_fails,
			 *(const enum odp_strategy *)test->param_value, true, 0);
}

static void odpt_rec_ex_found_case(struct kunit *test)
{
	odpt_rec_explore(test, &odpt_rec_ex_found, ODP_STRATEGY_SEED, false,
			 ODPT_EX_FOUND(UNDERFLOW));
}

static int odpt_rec_warns(void *data)
{
	WARN(1, "odpt: %s\n", (const char *)data);
	return 0;
}

/* A warning from another thread than the case's, as an actor's would be. */
static void odpt_rec_warn_in_thread(struct kunit *test, const char *why)
{
	struct odpt_thread t;

	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&t, odpt_rec_warns, (void *)why, "odpt-rec-warn"));
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&t));
}

/*
 * The report check fails a case whose thread warned, and names the report.
 * The whole case is one expected region for the launcher's clean-log rule
 * (and for this case's own report check); the inner test's check starts
 * inside it, after the begin marker, so it sees the warning as unexpected.
 */
static void odpt_rec_report_fails_case(struct kunit *test)
{
	struct kunit *inner = kunit_kzalloc(test, sizeof(*inner), GFP_KERNEL);
	char *line = kunit_kzalloc(test, ODPT_REPORT_LINE, GFP_KERNEL);
	u64 from;

	KUNIT_ASSERT_NOT_NULL(test, inner);
	KUNIT_ASSERT_NOT_NULL(test, line);
	kunit_info(test, "odp-expect-splat: begin the report check's own test: two warnings on purpose\n");
	kunit_init_test(inner, "inner", NULL);
	KUNIT_ASSERT_EQ(test, odpt_report_check_init(inner), 0);
	from = odpt_report_seq();
	odpt_rec_warn_in_thread(test, "the report check must see this one");
	KUNIT_EXPECT_TRUE(test, odpt_report_find(from, line, NULL));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "WARNING:"));
	kunit_cleanup(inner);
	KUNIT_EXPECT_EQ_MSG(test, inner->status, KUNIT_FAILURE,
			    "a case whose thread warned passed");
	kunit_info(test, "the inner case failed, as it must\n");

	/* inside a region of its own, the same warning fails nothing */
	kunit_init_test(inner, "inner", NULL);
	KUNIT_ASSERT_EQ(test, odpt_report_check_init(inner), 0);
	kunit_info(test, "odp-expect-splat: begin the inner test's own region\n");
	odpt_rec_warn_in_thread(test, "expected by the inner test");
	kunit_info(test, "odp-expect-splat: end\n");
	kunit_cleanup(inner);
	KUNIT_EXPECT_EQ_MSG(test, inner->status, KUNIT_SUCCESS,
			    "a warning the case expected failed it");
}

static struct kunit_case odpt_rec_cases[] = {
	KUNIT_CASE_PARAM(odpt_rec_setup_fails, odpt_backend_gen_params),
	KUNIT_CASE_PARAM(odpt_rec_step_fails_stopped, odpt_backend_gen_params),
	KUNIT_CASE_PARAM(odpt_rec_step_fails_blocked, odpt_backend_gen_params),
	KUNIT_CASE_SLOW(odpt_rec_stuck_reaped),
	KUNIT_CASE_SLOW(odpt_rec_check_held),
	KUNIT_CASE(odpt_rec_guard_removes),
	KUNIT_CASE_SLOW(odpt_rec_bounded),
	KUNIT_CASE_PARAM(odpt_rec_ex_setup_fails_case, odpt_backend_gen_params),
	KUNIT_CASE(odpt_rec_ex_found_case),
	KUNIT_CASE(odpt_rec_report_fails_case),
	{}
};

static struct kunit_suite odpt_rec_suite = {
	.name = "odp_race_recovery",
	.init = odpt_case_checks_init,
	.test_cases = odpt_rec_cases,
};
kunit_test_suite(odpt_rec_suite);
