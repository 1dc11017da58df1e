// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's entry: odpt_explore() runs one actor set on one strategy
 * with the search the parameters name (dfs.c, pct.c or replay.c) through
 * the schedule loop (search.c).
 */
#include <linux/ktime.h>
#include <linux/slab.h>

#include "search.h"

static const struct odpt_ex_chooser *odpt_ex_chooser_of(const struct odpt_ex_params *p)
{
	if (p->nreplay)
		return &odpt_ex_replay_chooser;
	if (p->mode == ODPT_EX_PCT)
		return &odpt_ex_pct_chooser;
	return &odpt_ex_dfs_chooser;
}

static void odpt_ex_free(struct odpt_explorer *ex)
{
	if (!ex)
		return;
	kfree(ex->state);
	kfree(ex->scratch);
	kfree(ex->run);
	kfree(ex);
}

/**
 * odpt_explore() - explore the schedules of an actor set on one strategy
 * @test: the KUnit test
 * @set: the actor set
 * @strategy: the context's strategy
 * @p: how
 * @res: what was done and found; odpt_ex_result_free() it
 */
void odpt_explore(struct kunit *test, const struct odpt_ex_set *set,
		  enum odp_strategy strategy, const struct odpt_ex_params *p,
		  struct odpt_ex_result *res)
{
	const struct odpt_actor_spec *a;
	struct odpt_explorer *ex;

	memset(res, 0, sizeof(*res));
	res->first_failure = -1;
	/* not KUnit allocations: a stuck actor may outlive the test */
	ex = kzalloc(sizeof(*ex), GFP_KERNEL);
	if (ex) {
		ex->ch = odpt_ex_chooser_of(p);
		ex->run = kzalloc(sizeof(*ex->run), GFP_KERNEL);
		ex->scratch = kzalloc(sizeof(*ex->scratch), GFP_KERNEL);
		ex->state = kzalloc(ex->ch->state_size, GFP_KERNEL);
	}
	if (!ex || !ex->run || !ex->scratch || !ex->state) {
		odpt_ex_free(ex);
		KUNIT_FAIL(test, "no memory for the explorer");
		return;
	}
	ex->test = test;
	ex->set = set;
	ex->strategy = strategy;
	ex->p = p;
	ex->res = res;
	for (a = set->script.actors; a->op != ODPT_OP_NONE; a++)
		ex->has_worker |= a->op == ODPT_OP_FAULT_WORKER;
	if (odpt_case_begin(&ex->c, test, &set->script, strategy)) {
		KUNIT_FAIL(test, "%s on %s: cannot prepare the case", set->script.name,
			   fake_hca_backend_name(strategy));
		odpt_ex_free(ex);
		return;
	}
	ex->c.explore = true;
	ex->c.wakeups = p->wakeups;
	ex->t0 = ktime_get_ns();
	odpt_ex_search(ex);
	res->ns = ktime_get_ns() - ex->t0;
	/* the handler goes in any case: the next case needs it */
	if (!odpt_case_end(&ex->c) || res->aborted)
		return;		/* a stuck actor may still use all of it */
	odpt_ex_free(ex);
}

/**
 * odpt_ex_result_free() - free what odpt_explore() kept of its failures
 * @res: the result
 */
void odpt_ex_result_free(struct odpt_ex_result *res)
{
	int k;

	for (k = 0; k < ODPT_EX_NR_KINDS; k++) {
		kfree(res->fail[k]);
		res->fail[k] = NULL;
	}
}
