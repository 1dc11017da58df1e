// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's depth-first search under a preemption bound (CHESS).
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
 */
#include <linux/bitops.h>

#include "search.h"

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

/**
 * struct odpt_ex_dfs - the depth-first search's state
 * @stack: the steps of the schedule under way, with their choices
 * @depth: steps in @stack
 * @nfixed: steps the next schedule replays
 * @prefixes: subtrees below the split step dealt out so far
 * @index: the schedule's index
 * @started: a schedule ran
 * @owned: the schedule under way counts (this shard's, not redundant)
 * @split_seen: it went through a split step
 */
struct odpt_ex_dfs {
	struct odpt_ex_node stack[ODPT_EX_MAX_STEPS];
	int depth;
	int nfixed;
	long prefixes;
	long index;
	bool started;
	bool owned;
	bool split_seen;
};

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
	struct odpt_ex_dfs *st = ex->state;

	if (ex->p->nshards == 1)
		return true;
	return st->prefixes++ % ex->p->nshards == ex->p->shard;
}

/* Make node @d, taking a default choice; false if every choice sleeps. */
static bool odpt_ex_new_node(struct odpt_explorer *ex, int d, u16 en, int prev, int *choice)
{
	struct odpt_ex_dfs *st = ex->state;
	struct odpt_ex_node *node = &st->stack[d];
	u16 valid;

	memset(node, 0, sizeof(*node));
	node->enabled = en;
	node->prev = prev;
	node->preempt = ex->run->preemptions;
	if (d && ex->p->por) {
		const struct odpt_ex_node *up = &st->stack[d - 1];

		node->sleep = (up->sleep | (up->tried & ~BIT(up->choice))) &
			      odpt_ex_independent_of(ex, up->choice) & en;
	}
	valid = odpt_ex_valid(ex, node);
	st->depth = d + 1;
	ex->res->pruned += hweight16(node->sleep);
	if (!valid)
		return false;
	node->branch = (d ? st->stack[d - 1].branch : 0) + (hweight16(valid) > 1);
	node->split = hweight16(valid) > 1 && node->branch == ex->p->split;
	*choice = prev >= 0 && (valid & BIT(prev)) ? prev : __ffs(valid);
	node->choice = *choice;
	node->tried = BIT(*choice);
	return true;
}

/* The deepest step with a choice left: change it. False when none is left. */
static bool odpt_ex_backtrack(struct odpt_explorer *ex)
{
	struct odpt_ex_dfs *st = ex->state;
	int d, c;

	for (d = st->depth - 1; d >= 0; d--) {
		struct odpt_ex_node *node = &st->stack[d];
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
			st->depth = d + 1;
			st->nfixed = d + 1;
			return true;
		}
	}
	return false;
}

/* The first schedule, then each time the deepest choice left changed. */
static bool odpt_ex_dfs_next(struct odpt_explorer *ex, long *index)
{
	struct odpt_ex_dfs *st = ex->state;

	if (st->started) {
		st->index++;
		if (!odpt_ex_backtrack(ex)) {
			ex->res->complete = true;
			return false;
		}
	}
	st->started = true;
	*index = st->index;
	return true;
}

static void odpt_ex_dfs_begin(struct odpt_explorer *ex)
{
	struct odpt_ex_dfs *st = ex->state;

	st->owned = true;
	st->split_seen = false;
}

/* Replay the fixed prefix, then take default choices. */
static int odpt_ex_dfs_choose(struct odpt_explorer *ex, int d, u16 en, int prev)
{
	struct odpt_ex_dfs *st = ex->state;
	struct odpt_ex_run *run = ex->run;
	struct odpt_ex_node *node;
	int choice;

	if (d >= ODPT_EX_MAX_STEPS) {
		odpt_ex_fail(run, ODPT_EX_LONG, -1, d, "more than %d steps", d);
		return -1;
	}
	node = &st->stack[d];
	if (d < st->nfixed) {
		if (node->enabled != en) {
			odpt_ex_fail(run, ODPT_EX_DIVERGED, -1, d,
				     "step %d: actors %#x can move, %#x when first run",
				     d, en, node->enabled);
			return -1;
		}
		choice = node->choice;
	} else {
		if (!odpt_ex_new_node(ex, d, en, prev, &choice)) {
			st->owned = false;	/* every way on sleeps: redundant */
			return -1;
		}
		if (node->split && !odpt_ex_owned(ex)) {
			ex->res->skipped++;
			st->owned = false;
			return -1;
		}
	}
	st->split_seen |= node->split;
	return choice;
}

static bool odpt_ex_dfs_end(struct odpt_explorer *ex, long index)
{
	struct odpt_ex_dfs *st = ex->state;

	/* a schedule with fewer branching steps than the split: a subtree of its own */
	if (st->owned && !st->split_seen && !odpt_ex_owned(ex))
		st->owned = false;
	return st->owned;
}

const struct odpt_ex_chooser odpt_ex_dfs_chooser = {
	.state_size = sizeof(struct odpt_ex_dfs),
	.next = odpt_ex_dfs_next,
	.begin = odpt_ex_dfs_begin,
	.choose = odpt_ex_dfs_choose,
	.end = odpt_ex_dfs_end,
};
