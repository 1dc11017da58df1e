// SPDX-License-Identifier: GPL-2.0
/*
 * The race engine's process and thread helpers: a fresh address space for
 * a scenario, and whether a thread sent on to do something that must wait
 * is asleep.
 */
#include <linux/completion.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/rt.h>
#include <linux/sched/signal.h>

#include "task.h"

/**
 * odpt_task_sleeps() - is a task that should wait asleep?
 * @task: the task, just woken
 * @done: completed when @task finished what it was woken for
 *
 * Whether @task, just woken to do something that should wait, is asleep
 * in an uninterruptible wait (a lock, a completion, a wait queue) rather
 * than finished (@done completed). The caller gives the CPU to @task
 * until one of the two is true: on one CPU without preemption, @task then
 * runs until it finishes or sleeps (a real-time @task, like the race
 * actors, gets it at the caller's next cond_resched(): its wake-up asked
 * this thread to reschedule). Should it still be
 * runnable after a few of those, the caller sleeps a tick at a time
 * instead of spinning. The bound only guards against a task that keeps
 * running.
 *
 * Return: true if @task sleeps in an uninterruptible wait, not finished.
 */
bool odpt_task_sleeps(struct task_struct *task, struct completion *done)
{
	unsigned long deadline = jiffies + ODPT_WAIT_BOUND;
	unsigned int yields = 0;

	for (;;) {
		unsigned int state;

		if (completion_done(done))
			return false;
		state = READ_ONCE(task->__state);
		if ((state & TASK_UNINTERRUPTIBLE) &&
		    wait_task_inactive(task, state))
			return !completion_done(done);
		if (!time_before(jiffies, deadline))
			return false;
		if (yields++ >= 8)
			wait_for_completion_timeout(done, 1);
		else if (rt_task(task))
			cond_resched();
		else
			yield_to(task, true);
	}
}

/**
 * odpt_new_mm() - a fresh user address space, as kunit_attach_mm() makes one
 *
 * Return: the mm (one mm_users reference, mmput() it), or NULL.
 */
struct mm_struct *odpt_new_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mm->task_size = TASK_SIZE;
	arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
	return mm;
}
