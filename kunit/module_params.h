/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel parameter of the odp_kunit module (odp_kunit.*), in one
 * place: module_params.c declares them, each reader takes its value here.
 */
#ifndef _ODPT_MODULE_PARAMS_H
#define _ODPT_MODULE_PARAMS_H

#include <linux/types.h>

/**
 * struct odpt_module_params - the odp_kunit.* parameters as given
 * @repeat: executions of each race scenario per case
 * @trace: print the first execution's script, trace and thread table
 * @stress_iters: odp_smp_stress: iterations per CPU
 * @explore_mode: "dfs" or "pct"
 * @explore_bound: dfs: preemptions per schedule at most
 * @explore_por: dfs: prune with sleep sets
 * @explore_wakeups: wake-up points the explorer stops at: 0 none, 1 a
 *	release's and a deregistration's, 2 (default) the fault worker's
 *	access's too
 * @explore_depth: pct: the bug depth
 * @explore_steps: pct: the steps a schedule is expected to take
 * @explore_seed: pct: the first seed
 * @explore_budget: schedules per case at most, 0 for no limit
 * @explore_time: seconds per case at most, 0 for no limit
 * @explore_shard: "i/N"
 * @explore_split: dfs shards split below this branching step
 * @explore_replay: one schedule to replay, actor indices and dots
 * @explore_only: one strategy to explore, "" for all
 *
 * The explorer reads its own through odpt_ex_params_get(), which checks
 * and clamps them.
 */
struct odpt_module_params {
	int repeat;
	int trace;
	int stress_iters;
	char *explore_mode;
	int explore_bound;
	bool explore_por;
	int explore_wakeups;
	int explore_depth;
	int explore_steps;
	uint explore_seed;
	long explore_budget;
	int explore_time;
	char *explore_shard;
	int explore_split;
	char *explore_replay;
	char *explore_only;
};

extern struct odpt_module_params odpt_params;

#endif /* _ODPT_MODULE_PARAMS_H */
