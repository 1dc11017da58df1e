// SPDX-License-Identifier: GPL-2.0
/*
 * Every kernel parameter of the odp_kunit module, given on the kernel's
 * command line as odp_kunit.<name>, for example
 *
 *	--kernel_args 'odp_kunit.repeat=1000'
 *	--kernel_args 'odp_kunit.explore_bound=3 odp_kunit.explore_time=600'
 *	--kernel_args 'odp_kunit.explore_mode=pct odp_kunit.explore_budget=100000'
 */
#include <linux/kconfig.h>
#include <linux/moduleparam.h>

#include "module_params.h"

struct odpt_module_params odpt_params = {
	.repeat = 100,
	.stress_iters = 2000,
	.explore_mode = "dfs",
	.explore_bound = 2,
	.explore_depth = 3,
	.explore_steps = 40,
	.explore_seed = 1,
	.explore_budget = 20000,
	/*
	 * Under QEMU's emulation a schedule costs some 30 times what it
	 * costs on UML: there only the schedule budget bounds an
	 * exploration, and the launcher's timeout the boot.
	 */
	.explore_time = IS_ENABLED(CONFIG_UML) ? 30 : 0,
	.explore_shard = "0/1",
	.explore_split = 3,
	.explore_wakeups = 2,
	.explore_replay = "",
	.explore_only = "",
};

/* the race engine (race/scenario.c) */
module_param_named(repeat, odpt_params.repeat, int, 0644);
MODULE_PARM_DESC(repeat, "executions of each race scenario per case (default 100)");
module_param_named(trace, odpt_params.trace, int, 0644);
MODULE_PARM_DESC(trace, "print the script, trace and thread table of the first execution of every race case, also when it passes");

/* odp_smp_stress */
module_param_named(stress_iters, odpt_params.stress_iters, int, 0644);
MODULE_PARM_DESC(stress_iters, "odp_smp_stress: iterations per CPU (default 2000)");

/* the explorer (explore/params.c) */
module_param_named(explore_mode, odpt_params.explore_mode, charp, 0644);
MODULE_PARM_DESC(explore_mode, "dfs (every schedule within the preemption bound) or pct (random priorities)");
module_param_named(explore_bound, odpt_params.explore_bound, int, 0644);
MODULE_PARM_DESC(explore_bound, "dfs: preemptions per schedule at most (default 2)");
module_param_named(explore_por, odpt_params.explore_por, bool, 0644);
MODULE_PARM_DESC(explore_por, "dfs: prune steps that commute with sleep sets (default off)");
module_param_named(explore_wakeups, odpt_params.explore_wakeups, int, 0644);
MODULE_PARM_DESC(explore_wakeups, "wake-up windows: a woken actor stops right after its wait, the waker may go on first: 0 none, 1 releases and deregistrations, 2 the fault worker's accesses too (default)");
module_param_named(explore_depth, odpt_params.explore_depth, int, 0644);
MODULE_PARM_DESC(explore_depth, "pct: bug depth, priority changes + 1 (default 3)");
module_param_named(explore_steps, odpt_params.explore_steps, int, 0644);
MODULE_PARM_DESC(explore_steps, "pct: steps a schedule is expected to take, where priority changes fall (default 40)");
module_param_named(explore_seed, odpt_params.explore_seed, uint, 0644);
MODULE_PARM_DESC(explore_seed, "pct: seed of the first schedule (default 1)");
module_param_named(explore_budget, odpt_params.explore_budget, long, 0644);
MODULE_PARM_DESC(explore_budget, "schedules per case at most, 0 for no limit (default 20000)");
module_param_named(explore_time, odpt_params.explore_time, int, 0644);
MODULE_PARM_DESC(explore_time, "seconds per case at most, 0 for no limit (default 30 on UML, 0 elsewhere)");
module_param_named(explore_shard, odpt_params.explore_shard, charp, 0644);
MODULE_PARM_DESC(explore_shard, "i/N: explore shard i of N of the schedule space (default 0/1)");
module_param_named(explore_split, odpt_params.explore_split, int, 0644);
MODULE_PARM_DESC(explore_split, "dfs shards: split below the n-th branching step (default 3)");
module_param_named(explore_replay, odpt_params.explore_replay, charp, 0644);
MODULE_PARM_DESC(explore_replay, "replay one dfs schedule, actor indices separated by dots (as reported)");
module_param_named(explore_only, odpt_params.explore_only, charp, 0644);
MODULE_PARM_DESC(explore_only, "explore only with this strategy (seed, ctx_counter, range_track, interval)");
