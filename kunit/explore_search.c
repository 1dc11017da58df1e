// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's search: depth-first under a preemption bound, or PCT.
 *
 * dfs is stateless: every schedule is executed from a fresh scenario,
 * replaying the choices of a prefix, then taking default choices (the
 * actor of the step before while it can go on, else the lowest index
 * that can). After a schedule, the deepest step with a choice not yet
 * tried (within the bound, not asleep) is changed, and the next schedule
 * replays up to it. A replayed step must find the same actors able to
 * move as when it was first taken, or the explorer reports a divergence:
 * the engine is not deterministic there.
 *
 * Sleep sets (odp_kunit.explore_por=1): after the choice t was explored at
 * a step, a sibling choice u's subtree need not run t first as long as
 * the steps in between commute with t. Only steps of two actors whose
 * operations read the strategy's state and write nothing another actor
 * reads (faults, prefetches and device reads, resolved inline) are taken
 * to commute. Combined with a preemption bound this may miss a schedule
 * whose only equivalent within the bound was pruned; off by default.
 *
 * Shards (odp_kunit.explore_shard=i/N): every shard runs the steps above
 * the split-th branching step; the subtrees below it are dealt out in
 * turn, so the shards' schedules partition the space. A schedule with
 * fewer branching steps counts as a subtree of its own.
 *
 * pct: the schedule of seed s gives each actor a random priority, always
 * runs the highest-priority actor that can move, and at depth - 1 random
 * steps drops the priority of the actor about to run below every other.
 */
#include <linux/bitops.h>
#include <linux/debug_locks.h>
#include <linux/jhash.h>
#include <linux/ktime.h>
#include <linux/panic.h>
#include <linux/prandom.h>
#include <linux/sched/debug.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "explore.h"

struct odpt_ex_node {
	u16 enabled;
	u16 tried;
	u16 sleep;
	s8 choice;
	s8 prev;
	u8 preempt;
	u8 branch;
	bool split;
};

struct odpt_explorer {
	struct kunit *test;
	const struct odpt_ex_set *set;
	enum odp_strategy strategy;
	const struct odpt_ex_params *p;
	struct odpt_ex_result *res;
	struct odpt_case c;
	struct odpt_ex_run *run;
	struct odpt_ex_failure *scratch;
	u64 t0;
	bool has_worker;
	struct odpt_ex_node stack[ODPT_EX_MAX_STEPS];
	int depth;
	int nfixed;
	long prefixes;
};

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
		else if (run->state[i] == ODPT_AS_NEW && !(sc->actors[i].spec->after & ~done))
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
	struct odpt_scenario *sc;

	memset(run, 0, sizeof(*run));
	ex->c.run = ex->res->schedules;
	sc = odpt_scenario_create(&ex->c);
	if (!sc)
		return -ENOMEM;
	run->test = ex->test;
	run->sc = sc;
	run->p = ex->p;
	if (sc->failed || !odpt_scenario_steps(sc, ex->set->script.steps)) {
		kunit_info(ex->test, "%s on %s: the setup steps failed\n",
			   ex->set->script.name, odp_strategy_name(ex->strategy));
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
		   ex->set->script.name, odp_strategy_name(ex->strategy));
	return false;
}

/* Send @actor on and wait until nothing moves by itself; check the invariants. */
static bool odpt_ex_step(struct odpt_explorer *ex, int actor)
{
	struct odpt_ex_run *run = ex->run;
	struct odpt_scenario *sc = run->sc;
	struct odpt_actor *a = &sc->actors[actor];
	struct odpt_ex_step *st;
	int i, ret;

	if (run->nsteps >= ODPT_EX_MAX_STEPS) {
		odpt_ex_fail(run, ODPT_EX_LONG, -1, run->nsteps,
			     "more than %d steps", ODPT_EX_MAX_STEPS);
		return false;
	}
	a->started = true;
	WRITE_ONCE(a->at_stop, false);
	complete(&a->go);
	ret = odpt_settle(sc, run->state);

	st = &run->steps[run->nsteps++];
	st->actor = actor;
	for (i = 0; i < sc->nactors; i++) {
		st->state[i] = run->state[i];
		st->point[i] = run->state[i] == ODPT_AS_PARKED ? sc->actors[i].parked_at : -1;
		st->result[i] = run->state[i] == ODPT_AS_DONE ? sc->actors[i].result : 0;
	}
	if (ret) {
		for (i = 0; i < sc->nactors; i++)
			if (run->state[i] == ODPT_AS_MOVING)
				break;
		odpt_ex_fail(run, ODPT_EX_STUCK, i, 0, "%s neither stops, blocks nor finishes",
			     i < sc->nactors ? sc->actors[i].spec->name : "an actor");
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
		const struct odpt_actor *a = &sc->actors[i];

		if (run->state[i] != ODPT_AS_BLOCKED)
			continue;
		/* the stacks of the case's first deadlock only */
		if (!ex->res->fail[ODPT_EX_DEADLOCK]) {
			kunit_info(ex->test, "%s: blocked after \"%s\"\n", a->spec->name,
				   a->last_point < 0 ? "its start" :
				   odpt_point_name(a->last_point));
			if (a->task)
				sched_show_task(a->task);
		}
		if (a->task)
			send_sig(SIGKILL, a->task, 1);
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
			w[2 + 3 * j] = (u8)st->point[j];
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

/* The failure record of kind @k of the schedule under way. */
static void odpt_ex_failure_of(const struct odpt_ex_run *run, int k, long index,
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
	f->preemptions = fd->preemptions;
	f->nsteps = fd->step;
	memcpy(f->steps, run->steps, sizeof(f->steps[0]) * fd->step);
}

/* Count a schedule that was run to its end (or failure): hash, failures. */
static void odpt_ex_account(struct odpt_explorer *ex, long index)
{
	struct odpt_ex_result *res = ex->res;
	struct odpt_ex_run *run = ex->run;
	int k;

	res->schedules++;
	res->hash = odpt_ex_hash(run, res->hash);
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
				   odp_strategy_name(ex->strategy), index, run->finding[k].what);
		res->found |= BIT(k);
		odpt_ex_failure_of(run, k, index, ex->scratch);
		odpt_ex_keep(res, ex->scratch);
	}
}

/* Steps of two actors that commute (see the top of the file). */
static bool odpt_ex_reader(enum odpt_op op)
{
	return op == ODPT_OP_FAULT || op == ODPT_OP_FAULT_RETRY ||
	       op == ODPT_OP_PREFETCH || op == ODPT_OP_DEV_READ;
}

static u16 odpt_ex_independent_of(struct odpt_explorer *ex, int t)
{
	const struct odpt_actor_spec *a = ex->set->script.actors;
	u16 mask = 0;
	int u;

	if (ex->has_worker || !odpt_ex_reader(a[t].op))
		return 0;
	for (u = 0; a[u].op != ODPT_OP_NONE; u++)
		if (u != t && odpt_ex_reader(a[u].op))
			mask |= BIT(u);
	return mask;
}

/* 1 if sending @c at @node preempts the actor of the step before. */
static int odpt_ex_cost(const struct odpt_ex_node *node, int c)
{
	return node->prev >= 0 && (node->enabled & BIT(node->prev)) && c != node->prev;
}

static u16 odpt_ex_valid(struct odpt_explorer *ex, const struct odpt_ex_node *node)
{
	u16 valid = 0;
	int c;

	for (c = 0; c < ODPT_MAX_ACTORS; c++)
		if ((node->enabled & ~node->sleep & BIT(c)) &&
		    node->preempt + odpt_ex_cost(node, c) <= ex->p->bound)
			valid |= BIT(c);
	return valid;
}

/* A new subtree below the split step: is it this shard's? */
static bool odpt_ex_owned(struct odpt_explorer *ex)
{
	if (ex->p->nshards == 1)
		return true;
	return ex->prefixes++ % ex->p->nshards == ex->p->shard;
}

/* Make node @d, taking a default choice; false if every choice sleeps. */
static bool odpt_ex_new_node(struct odpt_explorer *ex, int d, u16 en, int prev, int *choice)
{
	struct odpt_ex_node *node = &ex->stack[d];
	u16 valid;

	memset(node, 0, sizeof(*node));
	node->enabled = en;
	node->prev = prev;
	node->preempt = ex->run->preemptions;
	if (d && ex->p->por) {
		const struct odpt_ex_node *up = &ex->stack[d - 1];

		node->sleep = (up->sleep | (up->tried & ~BIT(up->choice))) &
			      odpt_ex_independent_of(ex, up->choice) & en;
	}
	valid = odpt_ex_valid(ex, node);
	ex->depth = d + 1;
	ex->res->pruned += hweight16(node->sleep);
	if (!valid)
		return false;
	node->branch = (d ? ex->stack[d - 1].branch : 0) + (hweight16(valid) > 1);
	node->split = hweight16(valid) > 1 && node->branch == ex->p->split;
	*choice = prev >= 0 && (valid & BIT(prev)) ? prev : __ffs(valid);
	node->choice = *choice;
	node->tried = BIT(*choice);
	return true;
}

/* The deepest step with a choice left: change it. False when none is left. */
static bool odpt_ex_backtrack(struct odpt_explorer *ex)
{
	int d, c;

	for (d = ex->depth - 1; d >= 0; d--) {
		struct odpt_ex_node *node = &ex->stack[d];
		u16 left = odpt_ex_valid(ex, node) & ~node->tried;

		while (left) {
			c = __ffs(left);
			left &= ~BIT(c);
			node->tried |= BIT(c);
			node->choice = c;
			if (node->split && !odpt_ex_owned(ex)) {
				ex->res->skipped++;
				continue;
			}
			ex->depth = d + 1;
			ex->nfixed = d + 1;
			return true;
		}
	}
	return false;
}

/* One dfs schedule: replay the fixed prefix, then default choices. */
static int odpt_ex_dfs_one(struct odpt_explorer *ex, bool *owned)
{
	struct odpt_ex_run *run = ex->run;
	bool split_seen = false;
	int d, prev = -1, ret;

	*owned = true;
	ret = odpt_ex_begin(ex);
	if (ret)
		return ret;
	for (d = 0; !run->fatal; d++) {
		u16 en = odpt_ex_enabled(run);
		struct odpt_ex_node *node;
		int choice;

		if (!en) {
			if (odpt_ex_unfinished(run))
				odpt_ex_deadlock(ex);
			break;
		}
		if (d >= ODPT_EX_MAX_STEPS) {
			odpt_ex_fail(run, ODPT_EX_LONG, -1, d, "more than %d steps", d);
			break;
		}
		node = &ex->stack[d];
		if (d < ex->nfixed) {
			if (node->enabled != en) {
				odpt_ex_fail(run, ODPT_EX_DIVERGED, -1, d,
					     "step %d: actors %#x can move, %#x when first run",
					     d, en, node->enabled);
				break;
			}
			choice = node->choice;
		} else {
			if (!odpt_ex_new_node(ex, d, en, prev, &choice)) {
				*owned = false;	/* every way on sleeps: redundant */
				break;
			}
			if (node->split && !odpt_ex_owned(ex)) {
				ex->res->skipped++;
				*owned = false;
				break;
			}
		}
		split_seen |= node->split;
		run->preemptions += odpt_ex_cost(node, choice);
		if (!odpt_ex_step(ex, choice))
			break;
		prev = choice;
	}
	/* a schedule with fewer branching steps than the split: a subtree of its own */
	if (*owned && !split_seen && !odpt_ex_owned(ex))
		*owned = false;
	return 0;
}

static void odpt_ex_dfs(struct odpt_explorer *ex)
{
	long index = 0;

	ex->depth = 0;
	ex->nfixed = 0;
	for (;;) {
		bool owned;
		int ret;

		if (odpt_ex_out_of_budget(ex))
			return;
		ret = odpt_ex_dfs_one(ex, &owned);
		if (!ret && owned)
			odpt_ex_account(ex, index);
		if (!odpt_ex_end(ex) || ret)
			return;
		index++;
		if (!odpt_ex_backtrack(ex)) {
			ex->res->complete = true;
			return;
		}
	}
}

/* The actors' priorities and change points of the pct schedule of @seed. */
static void odpt_ex_pct_plan(struct odpt_explorer *ex, u32 seed, int *prio, int *change)
{
	int n = ex->run->sc->nactors, depth = ex->p->depth, k = ex->p->steps, i;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, seed);
	for (i = 0; i < n; i++)
		prio[i] = depth + i;
	for (i = n - 1; i > 0; i--)
		swap(prio[i], prio[prandom_u32_state(&rnd) % (i + 1)]);
	for (i = 0; i < depth - 1; i++)
		change[i] = 1 + prandom_u32_state(&rnd) % k;
}

static void odpt_ex_pct(struct odpt_explorer *ex)
{
	int prio[ODPT_MAX_ACTORS], change[16];
	long j;

	for (j = 0; !odpt_ex_out_of_budget(ex); j++) {
		struct odpt_ex_run *run = ex->run;
		u32 seed = ex->p->seed + j;
		int s, i, prev = -1;

		if (j % ex->p->nshards != ex->p->shard)
			continue;
		if (odpt_ex_begin(ex)) {
			odpt_ex_end(ex);
			return;
		}
		odpt_ex_pct_plan(ex, seed, prio, change);
		for (s = 0; !run->fatal; s++) {
			u16 en = odpt_ex_enabled(run);
			int choice = -1;

			if (!en) {
				if (odpt_ex_unfinished(run))
					odpt_ex_deadlock(ex);
				break;
			}
			for (i = 0; i < run->sc->nactors; i++)
				if ((en & BIT(i)) && (choice < 0 || prio[i] > prio[choice]))
					choice = i;
			for (i = 0; i < ex->p->depth - 1; i++) {
				int u;

				if (change[i] != s)
					continue;
				/* the actor about to run drops below every other */
				prio[choice] = ex->p->depth - 1 - i;
				for (choice = -1, u = 0; u < run->sc->nactors; u++)
					if ((en & BIT(u)) && (choice < 0 || prio[u] > prio[choice]))
						choice = u;
				break;
			}
			run->preemptions += prev >= 0 && (en & BIT(prev)) && choice != prev;
			if (!odpt_ex_step(ex, choice))
				break;
			prev = choice;
		}
		odpt_ex_account(ex, seed);
		if (!odpt_ex_end(ex))
			return;
	}
}

/* odp_kunit.explore_replay: one schedule, then default choices; report it. */
static void odpt_ex_replay(struct odpt_explorer *ex)
{
	struct odpt_ex_run *run = ex->run;
	int d, prev = -1;

	if (odpt_ex_begin(ex)) {
		odpt_ex_end(ex);
		return;
	}
	for (d = 0; !run->fatal; d++) {
		u16 en = odpt_ex_enabled(run);
		int choice;

		if (!en) {
			if (odpt_ex_unfinished(run))
				odpt_ex_deadlock(ex);
			break;
		}
		if (d < ex->p->nreplay) {
			choice = ex->p->replay[d];
			if (!(en & BIT(choice))) {
				kunit_info(ex->test, "%s on %s: replay: actor %d cannot move at step %d; the schedule is not one of this strategy\n",
					   ex->set->script.name, odp_strategy_name(ex->strategy),
					   choice, d);
				break;
			}
		} else {
			choice = prev >= 0 && (en & BIT(prev)) ? prev : __ffs(en);
		}
		run->preemptions += prev >= 0 && (en & BIT(prev)) && choice != prev;
		if (!odpt_ex_step(ex, choice))
			break;
		prev = choice;
	}
	if (run->failed) {
		odpt_ex_failure_of(run, __ffs(run->found), 0, ex->scratch);
	} else {
		odpt_ex_failure_of(run, ODPT_EX_NR_KINDS, 0, ex->scratch);
		strscpy(ex->scratch->what, "no failure", sizeof(ex->scratch->what));
	}
	odpt_ex_report(ex->test, ex->set, ex->strategy, ex->scratch);
	odpt_ex_account(ex, 0);
	odpt_ex_end(ex);
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
		ex->run = kzalloc(sizeof(*ex->run), GFP_KERNEL);
		ex->scratch = kzalloc(sizeof(*ex->scratch), GFP_KERNEL);
	}
	if (!ex || !ex->run || !ex->scratch) {
		if (ex) {
			kfree(ex->run);
			kfree(ex->scratch);
		}
		kfree(ex);
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
			   odp_strategy_name(strategy));
		kfree(ex->scratch);
		kfree(ex->run);
		kfree(ex);
		return;
	}
	ex->c.explore = true;
	ex->t0 = ktime_get_ns();
	if (p->nreplay)
		odpt_ex_replay(ex);
	else if (p->mode == ODPT_EX_PCT)
		odpt_ex_pct(ex);
	else
		odpt_ex_dfs(ex);
	res->ns = ktime_get_ns() - ex->t0;
	if (res->aborted || !odpt_case_end(&ex->c))
		return;		/* a stuck actor may still use all of it */
	kfree(ex->scratch);
	kfree(ex->run);
	kfree(ex);
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
