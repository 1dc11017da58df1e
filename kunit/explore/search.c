// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's schedule loop, one for every search: a chooser (dfs.c,
 * pct.c, replay.c) picks the actor to send on at each step and which
 * schedule comes next; this file runs each schedule from a fresh
 * scenario, sends the chosen actors on one step at a time, checks the
 * invariants after every step (check.c), takes the way out of a
 * deadlock, and counts and hashes what ran. Choosing is kept apart from
 * running, as in shuttle's Scheduler.
 */
#include <linux/bitops.h>
#include <linux/debug_locks.h>
#include <linux/jhash.h>
#include <linux/ktime.h>
#include <linux/panic.h>
#include <linux/slab.h>

#include "search.h"

/* Actors that may be sent on: stopped, or not started and free to start. */
static u16 odpt_ex_enabled(struct odpt_ex_run *run)
{
	struct odpt_scenario *sc = run->sc;
	u16 done = 0, en = 0;
	int i;

	for (i = 0; i < sc->nactors; i++)
		if (run->state[i] == ODPT_AS_DONE)
			done |= BIT(i);
	for (i = 0; i < sc->nactors; i++) {
		if (run->state[i] == ODPT_AS_PARKED)
			en |= BIT(i);
		else if (run->state[i] == ODPT_AS_NEW && !(sc->script->actors[i].after & ~done))
			en |= BIT(i);
	}
	return en;
}

/* An actor has not finished; an idle fault worker has nothing to finish. */
static bool odpt_ex_unfinished(struct odpt_ex_run *run)
{
	int i;

	for (i = 0; i < run->sc->nactors; i++)
		if (run->state[i] != ODPT_AS_DONE && run->state[i] != ODPT_AS_IDLE)
			return true;
	return false;
}

static bool odpt_ex_out_of_budget(struct odpt_explorer *ex)
{
	const struct odpt_ex_params *p = ex->p;

	if (p->budget && ex->res->schedules >= p->budget)
		return true;
	return p->time_ms && ktime_get_ns() - ex->t0 >= (u64)p->time_ms * NSEC_PER_MSEC;
}

/* A fresh scenario, past the set's setup steps, in explore mode. */
static int odpt_ex_begin(struct odpt_explorer *ex)
{
	struct odpt_ex_run *run = ex->run;
	u64 t = ktime_get_ns();
	struct odpt_scenario *sc;

	memset(run, 0, sizeof(*run));
	ex->c.run = ex->res->schedules;
	sc = odpt_scenario_create(&ex->c);
	ex->create_ns = ktime_get_ns() - t;
	if (!sc)
		return -ENOMEM;
	run->test = ex->test;
	run->sc = sc;
	run->p = ex->p;
	if (sc->failed || !odpt_scenario_steps(sc, ex->set->script.steps)) {
		kunit_info(ex->test, "%s on %s: the setup steps failed\n",
			   ex->set->script.name, fake_hca_backend_name(ex->strategy));
		return -EINVAL;
	}
	run->taint = get_taint();
	run->debug_locks = debug_locks;
	WRITE_ONCE(sc->explore, true);
	if (odpt_settle(sc, run->state)) {
		odpt_ex_fail(run, ODPT_EX_STUCK, -1, 0, "an actor keeps running after the setup");
		return 0;
	}
	return 0;
}

/* Tear the schedule's scenario down; false if an actor is stuck. */
static bool odpt_ex_end(struct odpt_explorer *ex)
{
	if (!ex->run->sc || odpt_scenario_destroy(ex->run->sc))
		return true;
	ex->res->aborted = true;
	KUNIT_FAIL(ex->test, "%s on %s: an actor is stuck; the exploration stops",
		   ex->set->script.name, fake_hca_backend_name(ex->strategy));
	return false;
}

/* Send @actor on and wait until nothing moves by itself; check the invariants. */
static bool odpt_ex_step(struct odpt_explorer *ex, int actor)
{
	struct odpt_ex_run *run = ex->run;
	struct odpt_scenario *sc = run->sc;
	struct odpt_ex_step *st;
	int i, ret;

	if (run->nsteps >= ODPT_EX_MAX_STEPS) {
		odpt_ex_fail(run, ODPT_EX_LONG, -1, run->nsteps,
			     "more than %d steps", ODPT_EX_MAX_STEPS);
		return false;
	}
	odpt_actor_send_on(sc, actor);
	ret = odpt_settle(sc, run->state);

	st = &run->steps[run->nsteps++];
	st->actor = actor;
	for (i = 0; i < sc->nactors; i++) {
		st->state[i] = run->state[i];
		st->point[i] = run->state[i] == ODPT_AS_PARKED ? odpt_actor_parked_at(sc, i) : -1;
		st->result[i] = run->state[i] == ODPT_AS_DONE ? odpt_actor_result(sc, i) : 0;
	}
	if (ret) {
		for (i = 0; i < sc->nactors; i++)
			if (run->state[i] == ODPT_AS_MOVING)
				break;
		odpt_ex_fail(run, ODPT_EX_STUCK, i, 0, "%s neither stops, blocks nor finishes",
			     i < sc->nactors ? odpt_actor_name(sc, i) : "an actor");
		return false;
	}
	return odpt_ex_check(run);
}

/*
 * Unfinished actors and none that can move: say where each one is, then
 * take the way out a script would (ODPT_KILL_ON): every blocked actor is
 * killed, so that those in a killable wait give up and the others can go
 * on; the teardown sends them to their end. A cycle with no killable
 * wait in it stays stuck, and the teardown says so.
 */
static void odpt_ex_deadlock(struct odpt_explorer *ex)
{
	struct odpt_ex_run *run = ex->run;
	struct odpt_scenario *sc = run->sc;
	int i;

	odpt_ex_fail(run, ODPT_EX_DEADLOCK, -1, 0, "no actor can move, some have not finished");
	for (i = 0; i < sc->nactors; i++) {
		if (run->state[i] != ODPT_AS_BLOCKED)
			continue;
		/* the stacks of the case's first deadlock only */
		if (!ex->res->fail[ODPT_EX_DEADLOCK])
			odpt_actor_show_blocked(sc, i);
		odpt_actor_kill(sc, i);
	}
}

static u32 odpt_ex_hash(const struct odpt_ex_run *run, u32 h)
{
	int i, j;

	for (i = 0; i < run->nsteps; i++) {
		const struct odpt_ex_step *st = &run->steps[i];
		u32 w[1 + 3 * ODPT_MAX_ACTORS];

		w[0] = st->actor;
		for (j = 0; j < ODPT_MAX_ACTORS; j++) {
			w[1 + 3 * j] = st->state[j];
			/* by name: the same when the points are renumbered */
			w[2 + 3 * j] = odpt_point_id(st->point[j]);
			w[3 + 3 * j] = (u32)st->result[j];
		}
		h = jhash2(w, ARRAY_SIZE(w), h);
	}
	return jhash_1word(run->found, h);
}

/* Keep @f if it is the smallest of its kind so far. */
static void odpt_ex_keep(struct odpt_ex_result *res, const struct odpt_ex_failure *f)
{
	struct odpt_ex_failure *old = res->fail[f->kind];

	if (old && (old->preemptions < f->preemptions ||
		    (old->preemptions == f->preemptions && old->nsteps <= f->nsteps)))
		return;
	if (!old) {
		old = kmalloc(sizeof(*old), GFP_KERNEL);
		if (!old)
			return;
		res->fail[f->kind] = old;
	}
	memcpy(old, f, sizeof(*f));
}

/**
 * odpt_ex_failure_of() - the failure record of one kind of the schedule under way
 * @run: the schedule
 * @k: the kind, or ODPT_EX_NR_KINDS for the schedule as a whole
 * @index: the schedule's index or seed
 * @f: filled in: the schedule up to the step where it was found
 */
void odpt_ex_failure_of(const struct odpt_ex_run *run, int k, long index,
			struct odpt_ex_failure *f)
{
	const struct odpt_ex_finding none = {
		.actor = -1, .step = run->nsteps, .preemptions = run->preemptions,
		.stale = run->stale,
	};
	const struct odpt_ex_finding *fd = k < ODPT_EX_NR_KINDS ? &run->finding[k] : &none;

	/* the schedule up to the step where it was found */
	f->kind = k;
	strscpy(f->what, fd->what, sizeof(f->what));
	f->value = fd->value;
	f->actor = fd->actor;
	f->stale = fd->stale;
	f->index = index;
	f->pct = run->p->mode == ODPT_EX_PCT && !run->p->nreplay;
	f->wakeups = run->p->wakeups;
	f->preemptions = fd->preemptions;
	f->nsteps = fd->step;
	memcpy(f->steps, run->steps, sizeof(f->steps[0]) * fd->step);
}

/* The set's outcomes that the schedule reached. */
static void odpt_ex_outcomes(struct odpt_explorer *ex)
{
	const struct odpt_ex_outcome *o = ex->set->outcomes;
	struct odpt_ex_run *run = ex->run;
	int k;

	for (k = 0; o && o[k].what && k < ODPT_EX_MAX_OUTCOMES; k++)
		if (run->state[o[k].actor] == ODPT_AS_DONE &&
		    odpt_actor_nresults(run->sc, o[k].actor) > 0 &&
		    odpt_actor_result_nth(run->sc, o[k].actor, 0) == o[k].result)
			ex->res->reached |= BIT(k);
}

/* Count a schedule that was run to its end (or failure): hash, failures. */
static void odpt_ex_account(struct odpt_explorer *ex, long index)
{
	struct odpt_ex_result *res = ex->res;
	struct odpt_ex_run *run = ex->run;
	int k;

	odpt_ex_outcomes(ex);
	res->schedules++;
	res->hash = odpt_ex_hash(run, res->hash);
	res->sum += odpt_ex_hash(run, 0);
	res->max_steps = max(res->max_steps, run->nsteps);
	if (!run->failed)
		return;
	if (res->first_failure < 0) {
		res->first_failure = index;
		res->first_failure_ns = ktime_get_ns() - ex->t0;
	}
	for (k = 0; k < ODPT_EX_NR_KINDS; k++) {
		if (!(run->found & BIT(k)))
			continue;
		if (!(res->found & BIT(k)))
			kunit_info(ex->test, "%s on %s: schedule %ld: %s\n", ex->set->script.name,
				   fake_hca_backend_name(ex->strategy), index, run->finding[k].what);
		res->found |= BIT(k);
		odpt_ex_failure_of(run, k, index, ex->scratch);
		odpt_ex_keep(res, ex->scratch);
	}
}

/* One schedule: the chooser's actor at each step, until none can move or it ends it. */
static void odpt_ex_schedule(struct odpt_explorer *ex)
{
	struct odpt_ex_run *run = ex->run;
	int d, prev = -1;

	for (d = 0; !run->fatal; d++) {
		u16 en = odpt_ex_enabled(run);
		int choice;

		if (!en) {
			if (odpt_ex_unfinished(run))
				odpt_ex_deadlock(ex);
			break;
		}
		choice = ex->ch->choose(ex, d, en, prev);
		if (choice < 0)
			break;
		/* sending another actor while the last one could go on */
		run->preemptions += prev >= 0 && (en & BIT(prev)) && choice != prev;
		if (!odpt_ex_step(ex, choice))
			break;
		prev = choice;
	}
}

/**
 * odpt_ex_search() - run the chooser's schedules, one after the other
 * @ex: the explorer, its case begun, @ex->ch and its state set
 *
 * Stops when the chooser has no schedule left, when the budget is spent,
 * when a schedule's setup fails, or when an actor is stuck.
 */
void odpt_ex_search(struct odpt_explorer *ex)
{
	const struct odpt_ex_chooser *ch = ex->ch;
	long index;

	u64 *phase = ex->res->ns_phase;

	while (ch->next(ex, &index) && !odpt_ex_out_of_budget(ex)) {
		u64 t0 = ktime_get_ns(), t1, t2;
		int ret = odpt_ex_begin(ex);
		bool ended;

		t1 = ktime_get_ns();
		if (!ret) {
			if (ch->begin)
				ch->begin(ex);
			odpt_ex_schedule(ex);
			if (ch->end(ex, index))
				odpt_ex_account(ex, index);
		}
		t2 = ktime_get_ns();
		ended = odpt_ex_end(ex);
		phase[ODPT_EX_CREATE] += ex->create_ns;
		phase[ODPT_EX_SETUP] += t1 - t0 - ex->create_ns;
		phase[ODPT_EX_STEPS] += t2 - t1;
		phase[ODPT_EX_TEARDOWN] += ktime_get_ns() - t2;
		if (!ended || ret)
			return;
	}
}
