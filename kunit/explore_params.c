// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's kernel parameters (odp_kunit.explore_*), read once per
 * case. Deeper runs than the default are a matter of these, for example
 *
 *	--kernel_args 'odp_kunit.explore_bound=3 odp_kunit.explore_time=600'
 *	--kernel_args 'odp_kunit.explore_mode=pct odp_kunit.explore_budget=100000'
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "explore.h"

static char *odpt_ex_mode = "dfs";
module_param_named(explore_mode, odpt_ex_mode, charp, 0644);
MODULE_PARM_DESC(explore_mode, "dfs (every schedule within the preemption bound) or pct (random priorities)");

static int odpt_ex_bound = 2;
module_param_named(explore_bound, odpt_ex_bound, int, 0644);
MODULE_PARM_DESC(explore_bound, "dfs: preemptions per schedule at most (default 2)");

static bool odpt_ex_por;
module_param_named(explore_por, odpt_ex_por, bool, 0644);
MODULE_PARM_DESC(explore_por, "dfs: prune steps that commute with sleep sets (default off)");

static int odpt_ex_depth = 3;
module_param_named(explore_depth, odpt_ex_depth, int, 0644);
MODULE_PARM_DESC(explore_depth, "pct: bug depth, priority changes + 1 (default 3)");

static int odpt_ex_steps = 40;
module_param_named(explore_steps, odpt_ex_steps, int, 0644);
MODULE_PARM_DESC(explore_steps, "pct: steps a schedule is expected to take, where priority changes fall (default 40)");

static uint odpt_ex_seed = 1;
module_param_named(explore_seed, odpt_ex_seed, uint, 0644);
MODULE_PARM_DESC(explore_seed, "pct: seed of the first schedule (default 1)");

static long odpt_ex_budget = 20000;
module_param_named(explore_budget, odpt_ex_budget, long, 0644);
MODULE_PARM_DESC(explore_budget, "schedules per case at most, 0 for no limit (default 20000)");

/*
 * Under QEMU's emulation a schedule costs some 30 times what it costs on
 * UML: there only the schedule budget bounds an exploration, and the
 * launcher's timeout the boot.
 */
static int odpt_ex_time = IS_ENABLED(CONFIG_UML) ? 30 : 0;
module_param_named(explore_time, odpt_ex_time, int, 0644);
MODULE_PARM_DESC(explore_time, "seconds per case at most, 0 for no limit (default 30 on UML, 0 elsewhere)");

static char *odpt_ex_shard = "0/1";
module_param_named(explore_shard, odpt_ex_shard, charp, 0644);
MODULE_PARM_DESC(explore_shard, "i/N: explore shard i of N of the schedule space (default 0/1)");

static int odpt_ex_split = 3;
module_param_named(explore_split, odpt_ex_split, int, 0644);
MODULE_PARM_DESC(explore_split, "dfs shards: split below the n-th branching step (default 3)");

static char *odpt_ex_replay = "";
module_param_named(explore_replay, odpt_ex_replay, charp, 0644);
MODULE_PARM_DESC(explore_replay, "replay one dfs schedule, actor indices separated by dots (as reported)");

static char *odpt_ex_only = "";
module_param_named(explore_only, odpt_ex_only, charp, 0644);
MODULE_PARM_DESC(explore_only, "explore only with this strategy (seed, ctx_counter, range_track, interval)");

/**
 * odpt_ex_params_get() - the explorer's parameters as given on the command line
 * @p: filled in
 */
void odpt_ex_params_get(struct odpt_ex_params *p)
{
	const char *r = odpt_ex_replay;
	int i, n;

	memset(p, 0, sizeof(*p));
	p->mode = !strcmp(odpt_ex_mode, "pct") ? ODPT_EX_PCT : ODPT_EX_DFS;
	p->bound = clamp(odpt_ex_bound, 0, ODPT_EX_MAX_STEPS);
	p->por = odpt_ex_por;
	p->depth = clamp(odpt_ex_depth, 1, 16);
	p->seed = odpt_ex_seed;
	p->steps = clamp(odpt_ex_steps, 1, ODPT_EX_MAX_STEPS);
	p->budget = max(odpt_ex_budget, 0L);
	p->time_ms = max(odpt_ex_time, 0) * 1000L;
	/* pct has no end of its own */
	if (p->mode == ODPT_EX_PCT && !p->budget && !p->time_ms)
		p->budget = 20000;
	p->split = clamp(odpt_ex_split, 1, ODPT_EX_MAX_STEPS);
	if (sscanf(odpt_ex_shard, "%d/%d", &i, &n) == 2 && n >= 1 && i >= 0 && i < n) {
		p->shard = i;
		p->nshards = n;
	} else {
		p->shard = 0;
		p->nshards = 1;
	}
	while (*r && p->nreplay < ODPT_EX_MAX_STEPS) {
		int v, len;

		if (sscanf(r, "%d%n", &v, &len) != 1 || v < 0 || v >= ODPT_MAX_ACTORS)
			break;
		p->replay[p->nreplay++] = v;
		r += len;
		if (*r == '.')
			r++;
	}
}

/**
 * odpt_ex_strategy_selected() - does odp_kunit.explore_only let it run?
 * @strategy: a strategy
 *
 * Return: true unless explore_only names another strategy.
 */
bool odpt_ex_strategy_selected(enum odp_strategy strategy)
{
	return !*odpt_ex_only || !strcmp(odpt_ex_only, odp_strategy_name(strategy));
}
