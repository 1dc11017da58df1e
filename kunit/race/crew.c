// SPDX-License-Identifier: GPL-2.0
/*
 * The actors' threads of a case (crew.h).
 *
 * Making a kernel thread (a request to kthreadd, a copy_process(), its
 * first run) and ending it (do_exit(), waited for by kthread_stop()) cost
 * more than half of an explored schedule on UML, for an actor that then
 * stops at a few sync points. A crew keeps them: a thread, once made, is
 * real-time (sched_set_fifo_low()), bound to the actors' CPU and lets
 * SIGKILL in (a script's way out of a deadlock), as every actor's thread
 * must be, and then runs one job after another. Between jobs it sleeps
 * interruptibly, so that the hung-task detector leaves an idle one alone.
 *
 * A job's thread is given back only once its function has returned, with
 * no signal left pending: the next job finds it as a new thread would be.
 * A thread whose job never returns (an actor stuck and fenced off) is
 * never given back: it stays where it is, with its struct, and the crew
 * ends without it.
 */
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "crew.h"

static int odpt_crew_thread_fn(void *data)
{
	struct odpt_crew_thread *t = data;

	sched_set_fifo_low(current);
	allow_signal(SIGKILL);
	for (;;) {
		if (wait_for_completion_interruptible(&t->assigned)) {
			flush_signals(current);
			continue;
		}
		if (READ_ONCE(t->exit))
			return 0;
		t->fn(t->arg);
		/* killed: that job is over, the next one starts afresh */
		flush_signals(current);
		complete(&t->returned);
	}
}

/**
 * odpt_crew_init() - a crew with no thread yet
 * @crew: the crew
 * @cpu: the CPU its threads are bound to
 */
void odpt_crew_init(struct odpt_crew *crew, unsigned int cpu)
{
	INIT_LIST_HEAD(&crew->idle);
	crew->cpu = cpu;
	crew->made = 0;
	crew->reused = 0;
}

static struct odpt_crew_thread *odpt_crew_make(struct odpt_crew *crew, const char *name)
{
	struct odpt_crew_thread *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct task_struct *task;

	if (!t)
		return ERR_PTR(-ENOMEM);
	init_completion(&t->assigned);
	init_completion(&t->returned);
	task = kthread_create(odpt_crew_thread_fn, t, "%s", name);
	if (IS_ERR(task)) {
		kfree(t);
		return ERR_CAST(task);
	}
	kthread_bind(task, crew->cpu);
	t->task = get_task_struct(task);
	wake_up_process(task);
	crew->made++;
	return t;
}

/**
 * odpt_crew_lend() - run a job on a thread of the crew
 * @crew: the crew
 * @fn: the job
 * @arg: its argument
 * @name: the thread's name for the job (its comm)
 *
 * Takes a free thread, or makes one, and sends it @fn(@arg). Call from
 * the case's thread only.
 *
 * Return: the thread, or an ERR_PTR() when none could be made.
 */
struct odpt_crew_thread *odpt_crew_lend(struct odpt_crew *crew, void (*fn)(void *arg),
					void *arg, const char *name)
{
	struct odpt_crew_thread *t;

	t = list_first_entry_or_null(&crew->idle, struct odpt_crew_thread, node);
	if (t) {
		list_del_init(&t->node);
		set_task_comm(t->task, name);
		crew->reused++;
	} else {
		t = odpt_crew_make(crew, name);
		if (IS_ERR(t))
			return t;
	}
	t->fn = fn;
	t->arg = arg;
	complete(&t->assigned);
	return t;
}

/**
 * odpt_crew_give_back() - take a thread back once its job has returned
 * @crew: the crew it was lent from
 * @t: the thread; its job must be about to return (it was told to end)
 *
 * Waits until the job's function has returned: from then on the thread
 * touches nothing of the job's, which may be freed.
 */
void odpt_crew_give_back(struct odpt_crew *crew, struct odpt_crew_thread *t)
{
	wait_for_completion(&t->returned);
	list_add_tail(&t->node, &crew->idle);
}

/**
 * odpt_crew_end() - end every free thread of the crew
 * @crew: the crew
 *
 * Threads still lent (fenced off, stuck) are left as they are.
 */
void odpt_crew_end(struct odpt_crew *crew)
{
	struct odpt_crew_thread *t, *next;

	list_for_each_entry_safe(t, next, &crew->idle, node) {
		list_del(&t->node);
		WRITE_ONCE(t->exit, true);
		complete(&t->assigned);
		kthread_stop_put(t->task);
		kfree(t);
	}
}
