// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's kernel parameters (odp_kunit.explore_*, declared with the
 * module's others in module_params.c), checked and read once per case.
 * Deeper runs than the default are a matter of these.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "explore.h"
#include "module_params.h"

/**
 * odpt_ex_params_get() - the explorer's parameters as given on the command line
 * @p: filled in
 */
void odpt_ex_params_get(struct odpt_ex_params *p)
{
	const char *r = odpt_params.explore_replay;
	int i, n;

	memset(p, 0, sizeof(*p));
	p->mode = !strcmp(odpt_params.explore_mode, "pct") ? ODPT_EX_PCT : ODPT_EX_DFS;
	p->bound = clamp(odpt_params.explore_bound, 0, ODPT_EX_MAX_STEPS);
	p->por = odpt_params.explore_por;
	p->wakeups = clamp(odpt_params.explore_wakeups, 0, 2);
	p->depth = clamp(odpt_params.explore_depth, 1, ODPT_EX_MAX_DEPTH);
	p->seed = odpt_params.explore_seed;
	p->steps = clamp(odpt_params.explore_steps, 1, ODPT_EX_MAX_STEPS);
	p->budget = max(odpt_params.explore_budget, 0L);
	p->time_ms = max(odpt_params.explore_time, 0) * 1000L;
	/* pct has no end of its own */
	if (p->mode == ODPT_EX_PCT && !p->budget && !p->time_ms)
		p->budget = 20000;
	p->split = clamp(odpt_params.explore_split, 1, ODPT_EX_MAX_STEPS);
	if (sscanf(odpt_params.explore_shard, "%d/%d", &i, &n) == 2 && n >= 1 && i >= 0 && i < n) {
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
	const char *only = odpt_params.explore_only;

	return !*only || !strcmp(only, fake_hca_backend_name(strategy));
}
