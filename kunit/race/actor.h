/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The race engine's private part: an actor's state machine. Only actor.c
 * (the actor's own thread and the sync-point handler), scenario.c (a
 * script's steps) and settle.c (what an actor is doing) include it; the
 * explorer, the oracle and the suites go through the odpt_actor_*()
 * functions of race/race.h.
 */
#ifndef _ODPT_ACTOR_H
#define _ODPT_ACTOR_H

#include "race.h"

/*
 * The fault worker's states: it holds no event; it holds one (from "took
 * event" to "resolved event"); it was sent on from "resolved event" and
 * its thread has yet to wake the access and go back to sleep. Only
 * race/settle.c turns LEAVING into IDLE, once it finds the thread asleep.
 */
enum { ODPT_WS_IDLE, ODPT_WS_BUSY, ODPT_WS_LEAVING };

/**
 * struct odpt_actor - a running actor
 * @spec: what it does
 * @sc: its scenario
 * @task: its kernel thread; for the fault worker, the workqueue thread
 * @thread: the thread of the case's crew it runs on (crew.h); NULL for
 *	the fault worker
 *	that took its latest event (not referenced)
 * @go: the script lets it start or resume
 * @stopped: it reached the point it was sent to
 * @done: it finished its operation
 * @reap: a finished actor's thread lives on until the scenario's teardown
 *	completes this: a registration records the registering thread, and
 *	IB core refuses faults once that thread is gone (ib_umem_odp_get()
 *	keeps its pid; map_dma_and_lock's get_pid_task() finds no task)
 * @stop_point: the point to stop at, -1 for none
 * @stop_nth: stop at this occurrence of @stop_point
 * @seen: times @stop_point was reached since it was armed
 * @last_point: the last sync point it passed (for "blocked at")
 * @finished: @done was completed
 * @started: the script sent it on at least once
 * @cancelled: it was never sent on; it must not perform its operation
 * @at_stop: it is waiting in a stop point
 * @wstate: the fault worker only: ODPT_WS_IDLE, _BUSY or _LEAVING
 * @parked_at: the point it waits in while @at_stop
 * @cur: the operation under way (@spec, or one of its @then)
 * @blocked_task: race/settle.c: the thread last found in a plain block...
 * @blocked_switches: ...and its context switches then
 * @result: the last operation's return value
 * @results: each operation's return value, in order
 * @nresults: operations finished
 */
struct odpt_actor {
	const struct odpt_actor_spec *spec;
	struct odpt_scenario *sc;
	struct task_struct *task;
	struct odpt_crew_thread *thread;
	struct completion go;
	struct completion stopped;
	struct completion done;
	struct completion reap;
	int stop_point;
	int stop_nth;
	int seen;
	int last_point;
	bool finished;
	bool started;
	bool cancelled;
	bool at_stop;
	int wstate;
	int parked_at;
	const struct odpt_actor_spec *cur;
	struct task_struct *blocked_task;
	unsigned long blocked_switches;
	long result;
	long results[ODPT_MAX_SEQ];
	int nresults;
};

/* A scenario and its actors, allocated together (scenario.c). */
struct odpt_scenario_mem {
	struct odpt_scenario sc;
	struct odpt_actor actors[ODPT_MAX_ACTORS];
};

bool odpt_actor_wait(struct odpt_actor *a, struct completion *c);

#endif /* _ODPT_ACTOR_H */
