// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's random search, PCT: the schedule of seed s gives each
 * actor a random priority, always runs the highest-priority actor that
 * can move, and at depth - 1 random steps drops the priority of the actor
 * about to run below every other. Shards take every N-th seed.
 */
#include <linux/prandom.h>

#include "search.h"

/**
 * struct odpt_ex_pct - the random search's state
 * @j: the next seed, from odp_kunit.explore_seed on
 * @seed: the seed of the schedule under way
 * @prio: each actor's priority
 * @change: the steps where the running actor's priority drops
 */
struct odpt_ex_pct {
	long j;
	u32 seed;
	int prio[ODPT_MAX_ACTORS];
	int change[ODPT_EX_MAX_DEPTH];
};

/* The next seed of this shard. */
static bool odpt_ex_pct_next(struct odpt_explorer *ex, long *index)
{
	struct odpt_ex_pct *st = ex->state;

	while (st->j % ex->p->nshards != ex->p->shard)
		st->j++;
	st->seed = ex->p->seed + st->j++;
	*index = st->seed;
	return true;
}

/* The actors' priorities and change points of the schedule's seed. */
static void odpt_ex_pct_begin(struct odpt_explorer *ex)
{
	struct odpt_ex_pct *st = ex->state;
	int n = ex->run->sc->nactors, depth = ex->p->depth, k = ex->p->steps, i;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, st->seed);
	for (i = 0; i < n; i++)
		st->prio[i] = depth + i;
	for (i = n - 1; i > 0; i--)
		swap(st->prio[i], st->prio[prandom_u32_state(&rnd) % (i + 1)]);
	for (i = 0; i < depth - 1; i++)
		st->change[i] = 1 + prandom_u32_state(&rnd) % k;
}

/* The highest priority among @en. */
static int odpt_ex_pct_top(const struct odpt_ex_pct *st, int n, u16 en)
{
	int choice = -1, u;

	for (u = 0; u < n; u++)
		if ((en & BIT(u)) && (choice < 0 || st->prio[u] > st->prio[choice]))
			choice = u;
	return choice;
}

static int odpt_ex_pct_choose(struct odpt_explorer *ex, int s, u16 en, int prev)
{
	struct odpt_ex_pct *st = ex->state;
	int n = ex->run->sc->nactors;
	int choice = odpt_ex_pct_top(st, n, en), i;

	for (i = 0; i < ex->p->depth - 1; i++) {
		if (st->change[i] != s)
			continue;
		/* the actor about to run drops below every other */
		st->prio[choice] = ex->p->depth - 1 - i;
		choice = odpt_ex_pct_top(st, n, en);
		break;
	}
	return choice;
}

static bool odpt_ex_pct_end(struct odpt_explorer *ex, long index)
{
	return true;
}

const struct odpt_ex_chooser odpt_ex_pct_chooser = {
	.state_size = sizeof(struct odpt_ex_pct),
	.next = odpt_ex_pct_next,
	.begin = odpt_ex_pct_begin,
	.choose = odpt_ex_pct_choose,
	.end = odpt_ex_pct_end,
};
