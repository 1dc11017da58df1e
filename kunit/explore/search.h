/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The explorer's private part: the explorer under way and the chooser
 * interface between the schedule loop (search.c) and the searches (dfs.c,
 * pct.c, replay.c). explore.c picks the chooser.
 */
#ifndef _ODPT_EXPLORE_SEARCH_H
#define _ODPT_EXPLORE_SEARCH_H

#include "explore.h"

struct odpt_explorer;

/**
 * struct odpt_ex_chooser - a search: which schedules, which actor at each step
 * @state_size: bytes of the chooser's own state (@ex->state), zeroed at start
 * @next: the next schedule to run; false when none is left. @index: its
 *	index (dfs, replay) or seed (pct), as reports name it
 * @begin: optional, once the schedule's scenario is set up, before its
 *	first step
 * @choose: the actor to send on at step @d, among @en (the actors that can
 *	move; @prev: the one sent at the step before, -1 none); -1 ends the
 *	schedule there
 * @end: after the schedule: true if it counts (hash, schedules, failures)
 */
struct odpt_ex_chooser {
	size_t state_size;
	bool (*next)(struct odpt_explorer *ex, long *index);
	void (*begin)(struct odpt_explorer *ex);
	int (*choose)(struct odpt_explorer *ex, int d, u16 en, int prev);
	bool (*end)(struct odpt_explorer *ex, long index);
};

/**
 * struct odpt_explorer - one exploration under way
 * @test: the KUnit test
 * @set: the actor set
 * @strategy: the context's strategy
 * @p: the parameters
 * @res: what was done and found
 * @c: the case the schedules share
 * @run: the schedule under way
 * @scratch: a failure record being built
 * @t0: when the exploration started
 * @create_ns: how long the last schedule's odpt_scenario_create() took
 * @has_worker: the set has a fault worker actor
 * @ch: the search
 * @state: the search's own state
 */
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
	u64 create_ns;
	bool has_worker;
	const struct odpt_ex_chooser *ch;
	void *state;
};

/* search.c */
void odpt_ex_search(struct odpt_explorer *ex);
void odpt_ex_failure_of(const struct odpt_ex_run *run, int k, long index,
			struct odpt_ex_failure *f);

/* the searches */
extern const struct odpt_ex_chooser odpt_ex_dfs_chooser;
extern const struct odpt_ex_chooser odpt_ex_pct_chooser;
extern const struct odpt_ex_chooser odpt_ex_replay_chooser;

#endif /* _ODPT_EXPLORE_SEARCH_H */
