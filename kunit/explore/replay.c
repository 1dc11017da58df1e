// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's replay (odp_kunit.explore_replay): one schedule, the
 * actors given, then default choices (the actor of the step before while
 * it can go on, else the lowest index that can); then its report, failed
 * or not.
 */
#include <linux/bitops.h>

#include "search.h"

/**
 * struct odpt_ex_replay - the replay's state
 * @ran: its one schedule was handed out
 */
struct odpt_ex_replay {
	bool ran;
};

static bool odpt_ex_replay_next(struct odpt_explorer *ex, long *index)
{
	struct odpt_ex_replay *st = ex->state;

	if (st->ran)
		return false;
	st->ran = true;
	*index = 0;
	return true;
}

static int odpt_ex_replay_choose(struct odpt_explorer *ex, int d, u16 en, int prev)
{
	int choice;

	if (d >= ex->p->nreplay)
		return prev >= 0 && (en & BIT(prev)) ? prev : __ffs(en);
	choice = ex->p->replay[d];
	if (!(en & BIT(choice))) {
		kunit_info(ex->test, "%s on %s: replay: actor %d cannot move at step %d; the schedule is not one of this strategy\n",
			   ex->set->script.name, fake_hca_backend_name(ex->strategy), choice, d);
		return -1;
	}
	return choice;
}

/* Report the schedule, failed or not; it counts. */
static bool odpt_ex_replay_end(struct odpt_explorer *ex, long index)
{
	struct odpt_ex_run *run = ex->run;

	if (run->failed) {
		odpt_ex_failure_of(run, __ffs(run->found), 0, ex->scratch);
	} else {
		odpt_ex_failure_of(run, ODPT_EX_NR_KINDS, 0, ex->scratch);
		strscpy(ex->scratch->what, "no failure", sizeof(ex->scratch->what));
	}
	odpt_ex_report(ex->test, ex->set, ex->strategy, ex->scratch);
	return true;
}

const struct odpt_ex_chooser odpt_ex_replay_chooser = {
	.state_size = sizeof(struct odpt_ex_replay),
	.next = odpt_ex_replay_next,
	.choose = odpt_ex_replay_choose,
	.end = odpt_ex_replay_end,
};
