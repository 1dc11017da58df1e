// SPDX-License-Identifier: GPL-2.0
/*
 * Settling: after an actor was sent on, wait until no actor can make
 * progress by itself any more, and say what each one is doing: waiting
 * for its first go, stopped at a sync point, finished, or blocked.
 *
 * An actor asleep off the CPU and not at a stop point is blocked only if
 * its sleep cannot end by itself. The sleeps that end on their own are
 * told apart by what the sleeping thread's stack holds:
 *
 *  - an RCU grace period (synchronize_rcu()) or a timed sleep (msleep(),
 *    usleep_range(), the fake HCA's back-off between fault retries): always
 *    ends, since no actor ever stops inside an RCU read-side section;
 *  - an SRCU grace period (synchronize_srcu(): mmu_notifier_unregister(),
 *    and the mm's release): MMU notifier callbacks of the hlist kind run
 *    inside the notifier SRCU read section (mm/mmu_notifier.c, mn_hlist_*),
 *    so the grace period waits for every actor stopped or blocked inside
 *    one of those callbacks; with none, it ends by itself;
 *  - a workqueue flush: waits for the fault worker while the worker actor
 *    holds an event; otherwise it ends by itself.
 *
 * A sleep that ends by itself is waited for (bounded), so that it never
 * shows as a block and never makes two runs of the same steps differ.
 * The lists below name functions; a new kind of self-ending sleep on an
 * actor's path belongs here.
 */
#include <linux/delay.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#ifdef CONFIG_UML
#include <asm/stacktrace.h>
#endif

#include "actor.h"

/*
 * What moves runs on another CPU (SMP) or sleeps by itself: look again
 * this much later. Without high-resolution timers (UML) it is a tick.
 */
#define ODPT_SETTLE_POLL_US	50
#define ODPT_STACK_DEPTH	128

#ifdef CONFIG_UML
/*
 * UML keeps only the frames it can chain (none without frame pointers)
 * in stack_trace_save_tsk(); its dump_trace() reports every kernel text
 * address on the live part of the stack, which is what show_stack()
 * prints with "?". A stale address there could make a block look like a
 * self-ending sleep: the settle bound then reports it.
 */
struct odpt_stack {
	unsigned long *entries;
	unsigned int n;
	unsigned int max;
};

static void odpt_stack_addr(void *data, unsigned long addr, int reliable)
{
	struct odpt_stack *s = data;

	if (s->n < s->max)
		s->entries[s->n++] = addr;
}

static const struct stacktrace_ops odpt_stack_ops = {
	.address = odpt_stack_addr,
};

static unsigned int odpt_stack_save(struct task_struct *task, unsigned long *entries,
				    unsigned int max)
{
	struct odpt_stack s = { entries, 0, max };

	dump_trace(task, &odpt_stack_ops, &s);
	return s.n;
}
#else
static unsigned int odpt_stack_save(struct task_struct *task, unsigned long *entries,
				    unsigned int max)
{
	return stack_trace_save_tsk(task, entries, max, 0);
}
#endif

static const char * const odpt_ends_by_itself[] = {
	"synchronize_rcu", "synchronize_rcu_expedited", "__wait_rcu_gp",
	"rcu_barrier", "msleep", "usleep_range_state",
	"schedule_hrtimeout_range_clock", NULL
};

/* synchronize_srcu() may end in a tail call: its frame is then gone */
static const char * const odpt_srcu_waits[] = {
	"synchronize_srcu", "synchronize_srcu_expedited", "__synchronize_srcu", NULL
};

static const char * const odpt_flushes[] = {
	"__flush_work", "__flush_workqueue", NULL
};

/* Callbacks of the hlist notifiers of this kernel: inside the SRCU section. */
static const char * const odpt_in_srcu_callback[] = {
	"odp_notifier_invalidate_range_start", "odp_notifier_invalidate_range_end",
	"odp_notifier_release", "odpt_pool_start", "odpt_pool_end", NULL
};

/* Whether a sleeping @task's stack holds one of @names. */
static bool odpt_stack_has(struct task_struct *task, const char * const *names)
{
	unsigned long entries[ODPT_STACK_DEPTH];
	char sym[KSYM_SYMBOL_LEN];
	unsigned int n, i, j;

	n = odpt_stack_save(task, entries, ARRAY_SIZE(entries));
	for (i = 0; i < n; i++) {
		sprint_symbol_no_offset(sym, entries[i]);
		for (j = 0; names[j]; j++)
			if (!strcmp(sym, names[j]))
				return true;
	}
	return false;
}

/* An actor that stands somewhere, with a thread we may look at. */
static bool odpt_actor_on_thread(const struct odpt_actor *a)
{
	if (a->spec->op == ODPT_OP_FAULT_WORKER)
		return READ_ONCE(a->wstate) == ODPT_WS_BUSY && a->task;
	return a->task && a->started && !READ_ONCE(a->finished);
}

/* Some actor other than @self sits inside an hlist notifier callback. */
static bool odpt_someone_in_srcu(struct odpt_scenario *sc, struct odpt_actor *self)
{
	int i;

	for (i = 0; i < sc->nactors; i++) {
		struct odpt_actor *a = &sc->actors[i];

		if (a == self || !odpt_actor_on_thread(a))
			continue;
		/*
		 * A stopped actor is where its point says: the stack of one
		 * stopped outside every callback (between a synthetic start
		 * and end, say) may still hold a callback's stale return
		 * address, which dump_trace() reports on UML.
		 */
		if (READ_ONCE(a->at_stop)) {
			if (odpt_point_in_callback(a->parked_at))
				return true;
			continue;
		}
		if (odpt_stack_has(a->task, odpt_in_srcu_callback))
			return true;
	}
	return false;
}

static bool odpt_worker_busy(struct odpt_scenario *sc)
{
	int i;

	for (i = 0; i < sc->nactors; i++)
		if (sc->actors[i].spec->op == ODPT_OP_FAULT_WORKER &&
		    READ_ONCE(sc->actors[i].wstate) != ODPT_WS_IDLE)
			return true;
	return false;
}

enum odpt_motion { ODPT_MOVING, ODPT_WAITING_ON_ITSELF, ODPT_STILL };

/* A fault event was queued and no worker thread took it yet. */
static bool odpt_event_pending(struct odpt_scenario *sc)
{
	return atomic_read(&sc->ev_queued) > atomic_read(&sc->ev_taken);
}

/* A thread off the CPU in a sleep that will end without any actor moving. */
static bool odpt_sleep_ends_by_itself(struct odpt_scenario *sc, struct odpt_actor *a)
{
	if (odpt_stack_has(a->task, odpt_ends_by_itself))
		return true;
	if (odpt_stack_has(a->task, odpt_srcu_waits))
		return !odpt_someone_in_srcu(sc, a);
	if (odpt_stack_has(a->task, odpt_flushes))
		return !odpt_worker_busy(sc);
	return false;
}

/*
 * Is @t asleep, off every CPU and run queue? A sleeping state is one with
 * TASK_INTERRUPTIBLE or TASK_UNINTERRUPTIBLE in it. TASK_WAKING is not:
 * on SMP, try_to_wake_up() may leave a thread woken from another CPU in
 * that state, on no run queue, until the target CPU's wake list is run
 * (ttwu_queue_wakelist() in kernel/sched/core.c); wait_task_inactive()
 * calls it inactive, yet it is about to run.
 */
static bool odpt_task_asleep(struct task_struct *t, unsigned int *statep)
{
	unsigned int state = READ_ONCE(t->__state);

	*statep = state;
	if (!(state & TASK_NORMAL) || !wait_task_inactive(t, state))
		return false;
	return READ_ONCE(t->__state) == state;
}

/*
 * The worker was sent on from "resolved event": once its thread sleeps,
 * it has called complete() for the access, and it is idle.
 */
static bool odpt_worker_left(struct odpt_actor *a)
{
	unsigned int state;

	if (!odpt_task_asleep(a->task, &state))
		return false;
	/* a thread that took the next event meanwhile made it BUSY */
	cmpxchg(&a->wstate, ODPT_WS_LEAVING, ODPT_WS_IDLE);
	return true;
}

/*
 * Is the thread of @a running, in a sleep that ends by itself, or still?
 * A plain block (no self-ending wait on the stack) is remembered with the
 * thread's context-switch count: while that does not move, the thread is
 * in the same sleep, and its stack need not be read again.
 */
static enum odpt_motion odpt_thread_motion(struct odpt_scenario *sc, struct odpt_actor *a)
{
	struct task_struct *t = a->task;
	unsigned long switches;
	unsigned int state;

	if (!odpt_task_asleep(t, &state))
		return ODPT_MOVING;
	switches = READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw);
	if (a->blocked_task == t && a->blocked_switches == switches)
		return ODPT_STILL;
	if (odpt_sleep_ends_by_itself(sc, a))
		return ODPT_WAITING_ON_ITSELF;
	/* a self-ending wait that waits for an actor is not remembered */
	if (!odpt_stack_has(t, odpt_srcu_waits) && !odpt_stack_has(t, odpt_flushes)) {
		a->blocked_task = t;
		a->blocked_switches = switches;
	}
	return ODPT_STILL;
}

/* What @a is doing, or ODPT_AS_MOVING if it may still move by itself. */
static int odpt_actor_state(struct odpt_scenario *sc, struct odpt_actor *a,
			    enum odpt_motion *motion)
{
	*motion = ODPT_STILL;
	if (a->spec->op == ODPT_OP_FAULT_WORKER) {
		bool pending = odpt_event_pending(sc);

		if (READ_ONCE(a->at_stop))
			return ODPT_AS_PARKED;
		/* the worker is busy before it takes an event off the count */
		smp_rmb();
		if (READ_ONCE(a->wstate) == ODPT_WS_LEAVING && !odpt_worker_left(a)) {
			*motion = ODPT_MOVING;
			return ODPT_AS_MOVING;
		}
		if (READ_ONCE(a->wstate) == ODPT_WS_IDLE) {
			/* an event on the queue: a workqueue thread is coming */
			if (pending) {
				*motion = ODPT_MOVING;
				return ODPT_AS_MOVING;
			}
			return ODPT_AS_IDLE;
		}
	} else {
		if (READ_ONCE(a->finished))
			return ODPT_AS_DONE;
		if (!a->started)
			return ODPT_AS_NEW;
		if (READ_ONCE(a->at_stop))
			return ODPT_AS_PARKED;
	}
	*motion = odpt_thread_motion(sc, a);
	return *motion == ODPT_STILL ? ODPT_AS_BLOCKED : ODPT_AS_MOVING;
}

/*
 * One pass reads the actors one after the other, and the fault worker
 * runs on another CPU meanwhile: an actor read as blocked may be woken
 * by the worker before the worker is read (its complete() for the
 * access, a lock it lets go of), and the worker read as blocked may
 * have stopped at its point just after its stop flag was read. The
 * actors on this CPU do not run during a pass, so a second pass that
 * sees the same states and the same context-switch counts saw them
 * still: nothing changed in between. True when this pass is that second
 * one; otherwise it is remembered in @last and @switches.
 */
static bool odpt_pass_again(struct odpt_scenario *sc, const u8 *state, u8 *last,
			    unsigned long *switches, bool have_last)
{
	bool same = have_last;
	int i;

	for (i = 0; i < sc->nactors; i++) {
		struct task_struct *t = READ_ONCE(sc->actors[i].task);
		unsigned long sw = t ? READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw) : 0;

		same &= last[i] == state[i] && switches[i] == sw;
		last[i] = state[i];
		switches[i] = sw;
	}
	return same;
}

/**
 * odpt_settle() - wait until no actor moves by itself, then classify them
 * @sc: the scenario
 * @state: filled with an ODPT_AS_* value per actor
 *
 * Return: 0, or -ETIMEDOUT when an actor kept running (or kept sleeping
 * in a sleep that should end by itself) for ODPT_WAIT_BOUND; its
 * state is then ODPT_AS_MOVING.
 */
int odpt_settle(struct odpt_scenario *sc, u8 *state)
{
	unsigned long deadline = jiffies + ODPT_WAIT_BOUND;
	unsigned long switches[ODPT_MAX_ACTORS];
	u8 last[ODPT_MAX_ACTORS];
	bool have_last = false;

	for (;;) {
		bool moving = false, on_itself = false;
		struct task_struct *mover = NULL;
		int i;

		for (i = 0; i < sc->nactors; i++) {
			enum odpt_motion m;

			state[i] = odpt_actor_state(sc, &sc->actors[i], &m);
			moving |= m == ODPT_MOVING;
			if (m == ODPT_MOVING && sc->actors[i].task)
				mover = sc->actors[i].task;
			on_itself |= m == ODPT_WAITING_ON_ITSELF;
		}
		if (!moving && !on_itself) {
			bool had_last = have_last;

			if (odpt_pass_again(sc, state, last, switches, have_last))
				return 0;
			have_last = true;
			/* the second pass at once; after a change, as below */
			if (!had_last)
				continue;
		} else {
			have_last = false;
		}
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		/*
		 * Actors are real-time: waking one set need_resched on this
		 * thread, so cond_resched() lets it run. A fault event on its
		 * way to the worker wakes us when the worker takes it.
		 */
		if (odpt_event_pending(sc))
			wait_event_timeout(sc->settle_wq, !odpt_event_pending(sc), HZ / 10);
		else if (moving && cond_resched())
			continue;
		/*
		 * On one CPU, what moves waits for this thread: one of
		 * normal priority (the fault worker's) did not ask it to
		 * reschedule. Give it the CPU: a sleep would last a tick
		 * with no high-resolution timers (UML), most of it idle.
		 */
		else if (mover && num_online_cpus() == 1 && yield_to(mover, false) > 0)
			continue;
		else
			usleep_range(ODPT_SETTLE_POLL_US, 2 * ODPT_SETTLE_POLL_US);
	}
}

/**
 * odpt_state_name() - printable name of an ODPT_AS_* state
 * @state: the state
 *
 * Return: a static string.
 */
const char *odpt_state_name(int state)
{
	static const char * const names[] = {
		[ODPT_AS_NEW] = "not started",
		[ODPT_AS_PARKED] = "stopped",
		[ODPT_AS_BLOCKED] = "blocked",
		[ODPT_AS_DONE] = "finished",
		[ODPT_AS_IDLE] = "idle",
		[ODPT_AS_MOVING] = "still running",
	};

	return state >= 0 && state < ARRAY_SIZE(names) ? names[state] : "?";
}
