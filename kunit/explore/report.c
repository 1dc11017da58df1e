// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's reports. A failure is printed, line by line, as
 *  - the schedule: the actor sent on at each step, which
 *    odp_kunit.explore_replay takes back to replay it directly;
 *  - a table like the thread's: one column per actor, one row per step,
 *    with the sync point each actor stopped at ("woken:" for an actor
 *    that another one's step set moving again);
 *  - the ODPT_* steps of a script that replays it with the ordinary
 *    engine: paste them into tests/odp_race_kunit.c (with the actor set and the
 *    strategy mask the header names).
 */
#include <linux/slab.h>

#include "explore.h"

static const char * const odpt_ex_kind_names[ODPT_EX_NR_KINDS] = {
	[ODPT_EX_STALE] = "stale entries",
	[ODPT_EX_DATA] = "device data differs from the CPU's",
	[ODPT_EX_UNDERFLOW] = "invalidation end without start",
	[ODPT_EX_RESULT] = "a result the operation does not allow",
	[ODPT_EX_DEADLOCK] = "deadlock or lost wake-up",
	[ODPT_EX_KERNEL] = "kernel report",
	[ODPT_EX_STUCK] = "an actor that keeps running",
	[ODPT_EX_DIVERGED] = "a replay that took another path",
	[ODPT_EX_LONG] = "a schedule too long",
};

/**
 * odpt_ex_kind_name() - what a failure kind means
 * @kind: the kind
 *
 * Return: a static string.
 */
const char *odpt_ex_kind_name(enum odpt_ex_kind kind)
{
	return kind < ODPT_EX_NR_KINDS ? odpt_ex_kind_names[kind] : "replayed schedule";
}

/* What an actor's cell says after a step. */
static void odpt_ex_cell(const struct odpt_ex_step *st, int i, bool woken, char *buf,
			 size_t len)
{
	const char *pre = woken ? "woken: " : "";

	switch (st->state[i]) {
	case ODPT_AS_PARKED:
		snprintf(buf, len, "%s%s", pre, odpt_point_short(st->point[i]));
		break;
	case ODPT_AS_DONE:
		snprintf(buf, len, "%sfinishes (%ld)", pre, st->result[i]);
		break;
	case ODPT_AS_BLOCKED:
		snprintf(buf, len, "blocks");
		break;
	case ODPT_AS_IDLE:
		snprintf(buf, len, "idle");
		break;
	default:
		snprintf(buf, len, "%s", odpt_state_name(st->state[i]));
		break;
	}
}

static bool odpt_ex_woken(const struct odpt_ex_failure *f, int k, int i)
{
	const struct odpt_ex_step *st = &f->steps[k];
	u8 before = k ? f->steps[k - 1].state[i] : ODPT_AS_NEW;

	if (i == st->actor || st->state[i] == before)
		return false;
	return before == ODPT_AS_BLOCKED || before == ODPT_AS_IDLE;
}

static void odpt_ex_table(struct kunit *test, const struct odpt_ex_set *set,
			  const struct odpt_ex_failure *f)
{
	char bufs[ODPT_MAX_ACTORS][ODPT_COL + 1];
	const char *cells[ODPT_MAX_ACTORS];
	int n, i, k;

	for (n = 0; set->script.actors[n].op != ODPT_OP_NONE; n++)
		cells[n] = set->script.actors[n].name;
	odpt_table_row(test, -1, n, cells);
	for (k = 0; k < f->nsteps; k++) {
		const struct odpt_ex_step *st = &f->steps[k];

		for (i = 0; i < n; i++) {
			bool woken = odpt_ex_woken(f, k, i);

			cells[i] = NULL;
			if (i != st->actor && !woken)
				continue;
			odpt_ex_cell(st, i, woken, bufs[i], sizeof(bufs[i]));
			cells[i] = bufs[i];
		}
		odpt_table_row(test, k, n, cells);
	}
}

/* Where actor @i, blocked after step @k, next stops (-1: finishes, -2: never). */
static int odpt_ex_next_stop(const struct odpt_ex_failure *f, int k, int i)
{
	for (k++; k < f->nsteps; k++) {
		if (f->steps[k].state[i] == ODPT_AS_PARKED)
			return f->steps[k].point[i];
		if (f->steps[k].state[i] == ODPT_AS_DONE)
			return -1;
	}
	return -2;
}

static int odpt_ex_nsetup(const struct odpt_ex_set *set)
{
	int n = 0;

	while (set->script.steps[n].kind != ODPT_STEP_END)
		n++;
	return n;
}

/**
 * odpt_ex_to_steps() - the script steps that replay a failure's schedule
 * @set: the actor set
 * @f: the failure
 *
 * The set's setup steps, one step per explored step (UNTIL its next
 * point, RUN to its end, BLOCKS_UNTIL where it waits, STOPS or FINISHES
 * for an actor another one woke), and what was found: the oracle's count,
 * the ends without a start, or the actor's result.
 *
 * Return: the steps, terminated by ODPT_END, to kfree(); NULL without memory.
 */
struct odpt_step *odpt_ex_to_steps(const struct odpt_ex_set *set,
				   const struct odpt_ex_failure *f)
{
	int nsetup = odpt_ex_nsetup(set), n = 0, k, i;
	struct odpt_step *steps;

	steps = kcalloc(nsetup + f->nsteps * (1 + ODPT_MAX_ACTORS) + 4 + ODPT_MAX_ACTORS,
			sizeof(*steps),
			GFP_KERNEL);
	if (!steps)
		return NULL;
	for (i = 0; i < nsetup; i++)
		steps[n++] = set->script.steps[i];
	for (k = 0; k < f->nsteps; k++) {
		const struct odpt_ex_step *st = &f->steps[k];
		int a = st->actor, next;

		switch (st->state[a]) {
		case ODPT_AS_PARKED:
			steps[n++] = (struct odpt_step)ODPT_UNTIL(a, st->point[a]);
			break;
		case ODPT_AS_BLOCKED:
			next = odpt_ex_next_stop(f, k, a);
			if (next >= 0)
				steps[n++] = (struct odpt_step)ODPT_BLOCKS_UNTIL(a, next);
			else
				steps[n++] = (struct odpt_step)ODPT_BLOCKS_ON(ODPT_ALL, a);
			break;
		default:
			steps[n++] = (struct odpt_step)ODPT_RUN(a);
			break;
		}
		for (i = 0; i < ODPT_MAX_ACTORS; i++) {
			if (!odpt_ex_woken(f, k, i) || st->state[i] == ODPT_AS_IDLE)
				continue;
			/* the fault worker arriving with an event needs no step */
			if (k && f->steps[k - 1].state[i] == ODPT_AS_IDLE)
				continue;
			if (st->state[i] == ODPT_AS_PARKED)
				steps[n++] = (struct odpt_step)ODPT_STOPS(i);
			else if (st->state[i] == ODPT_AS_DONE)
				steps[n++] = (struct odpt_step)ODPT_FINISHES_ON(ODPT_ALL, i);
		}
	}
	/* the oracle's count, which the engine also checks at the end */
	if (f->stale >= 0)
		steps[n++] = (struct odpt_step)ODPT_STALE_ON(ODPT_ALL, f->stale);
	switch (f->kind) {
	case ODPT_EX_UNDERFLOW:
		steps[n++] = (struct odpt_step)ODPT_UNDERFLOW_ON(ODPT_ALL, f->value);
		break;
	case ODPT_EX_DEADLOCK:
		/* the way out: kill the blocked actors, as the explorer did */
		for (i = 0; f->nsteps && i < ODPT_MAX_ACTORS; i++)
			if (f->steps[f->nsteps - 1].state[i] == ODPT_AS_BLOCKED)
				steps[n++] = (struct odpt_step)ODPT_KILL_ON(ODPT_ALL, i);
		break;
	case ODPT_EX_DATA:
	case ODPT_EX_RESULT:
		steps[n++] = (struct odpt_step)ODPT_RESULT(f->actor, f->value);
		break;
	default:
		break;
	}
	steps[n] = (struct odpt_step)ODPT_END;
	return steps;
}

static void odpt_ex_print_step(struct kunit *test, const struct odpt_step *st)
{
	switch (st->kind) {
	case ODPT_STEP_UNTIL:
		kunit_info(test, "\tODPT_UNTIL(%d, %s),\n", st->actor, odpt_point_cname(st->point));
		break;
	case ODPT_STEP_BLOCKS_UNTIL:
		kunit_info(test, "\tODPT_BLOCKS_UNTIL(%d, %s),\n", st->actor,
			   odpt_point_cname(st->point));
		break;
	case ODPT_STEP_RUN:
		kunit_info(test, "\tODPT_RUN(%d),\n", st->actor);
		break;
	case ODPT_STEP_BLOCKS:
		kunit_info(test, "\tODPT_BLOCKS_ON(ODPT_ALL, %d),\n", st->actor);
		break;
	case ODPT_STEP_FINISHES:
		kunit_info(test, "\tODPT_FINISHES_ON(ODPT_ALL, %d),\n", st->actor);
		break;
	case ODPT_STEP_STOPS:
		kunit_info(test, "\tODPT_STOPS(%d),\n", st->actor);
		break;
	case ODPT_STEP_KILL:
		kunit_info(test, "\tODPT_KILL_ON(ODPT_ALL, %d),\n", st->actor);
		break;
	case ODPT_STEP_EXPECT_STALE:
		kunit_info(test, "\tODPT_STALE_ON(ODPT_ALL, %ld),\n", st->value);
		break;
	case ODPT_STEP_EXPECT_UNDERFLOW:
		kunit_info(test, "\tODPT_UNDERFLOW_ON(ODPT_ALL, %ld),\n", st->value);
		break;
	case ODPT_STEP_EXPECT_RESULT:
		kunit_info(test, "\tODPT_RESULT(%d, %ld),\n", st->actor, st->value);
		break;
	case ODPT_STEP_END:
		kunit_info(test, "\tODPT_END\n");
		break;
	default:
		kunit_info(test, "\t/* step kind %d */\n", st->kind);
		break;
	}
}

/**
 * odpt_ex_report() - print a failure: schedule, thread table, script steps
 * @test: the KUnit test
 * @set: the actor set
 * @strategy: the strategy it was found on
 * @f: the failure
 */
void odpt_ex_report(struct kunit *test, const struct odpt_ex_set *set,
		    enum odp_strategy strategy, const struct odpt_ex_failure *f)
{
	const char *sname = fake_hca_backend_name(strategy);
	char sched[ODPT_EX_MAX_STEPS * 3 + 1];
	struct odpt_step *steps;
	size_t off = 0;
	int k;

	kunit_info(test, "%s on %s: %s: %s\n", set->script.name, sname,
		   odpt_ex_kind_name(f->kind), f->what);
	kunit_info(test, "  %s %ld: %d preemptions, %d steps\n",
		   f->pct ? "pct seed" : "schedule", f->index, f->preemptions, f->nsteps);
	sched[0] = '\0';
	for (k = 0; k < f->nsteps; k++)
		off += scnprintf(sched + off, sizeof(sched) - off, "%s%d", k ? "." : "",
				 f->steps[k].actor);
	kunit_info(test, "  replay: --kernel_args 'odp_kunit.explore_only=%s odp_kunit.explore_replay=%s odp_kunit.explore_wakeups=%d'\n",
		   sname, sched, f->wakeups);
	if (f->pct)
		kunit_info(test, "  or: --kernel_args 'odp_kunit.explore_only=%s odp_kunit.explore_mode=pct odp_kunit.explore_seed=%ld odp_kunit.explore_budget=1' (same depth and steps)\n",
			   sname, f->index);
	kunit_info(test, "  thread table (after the setup steps):\n");
	odpt_ex_table(test, set, f);
	steps = odpt_ex_to_steps(set, f);
	if (!steps)
		return;
	kunit_info(test, "  as script steps (on %s):\n", sname);
	for (k = 0; steps[k].kind != ODPT_STEP_END; k++)
		odpt_ex_print_step(test, &steps[k]);
	odpt_ex_print_step(test, &steps[k]);
	kfree(steps);
}
