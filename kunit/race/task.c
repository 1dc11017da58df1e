// SPDX-License-Identifier: GPL-2.0
/*
 * The race engine's process and thread helpers: a fresh address space for
 * a scenario, whether a thread sent on to do something that must wait
 * is asleep, and a call into the code under test that the engine waits
 * for only so long.
 */
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/rt.h>
#include <linux/sched/signal.h>
#include <linux/sched/debug.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "task.h"

/* One bounded call; the caller and the work item each hold a reference. */
struct odpt_bounded {
	struct kref ref;
	struct work_struct work;
	struct completion done;
	struct task_struct *worker;
	void (*fn)(void *arg);
	void *arg;
	struct mm_struct *mm;
};

static void odpt_bounded_free(struct kref *ref)
{
	struct odpt_bounded *b = container_of(ref, struct odpt_bounded, ref);

	if (b->worker)
		put_task_struct(b->worker);
	kfree(b);
}

static void odpt_bounded_work(struct work_struct *work)
{
	struct odpt_bounded *b = container_of(work, struct odpt_bounded, work);

	WRITE_ONCE(b->worker, get_task_struct(current));
	if (b->mm)
		kthread_use_mm(b->mm);
	b->fn(b->arg);
	if (b->mm)
		kthread_unuse_mm(b->mm);
	complete(&b->done);
	kref_put(&b->ref, odpt_bounded_free);
}

/**
 * odpt_call_bounded() - call into the code under test, waiting only so long
 * @test: the test a hang fails
 * @what: what @fn does, for the failure's message
 * @fn: the call
 * @arg: its argument
 * @mm: an mm @fn runs with (kthread_use_mm()), or NULL
 *
 * Runs @fn in a workqueue worker and waits at most ODPT_WAIT_BOUND for it
 * to return. A lost wake-up or a deadlock in the code under test (a
 * release that waits for a walk that never ends, say) then fails the
 * case at once, naming the call and printing the worker's stack, instead
 * of blocking the test's thread until KUnit's own timeout minutes later.
 * The worker is left where it is, with everything @fn uses: the caller
 * must leave @arg and what it points to allocated.
 *
 * Return: true if @fn returned in time.
 */
bool odpt_call_bounded(struct kunit *test, const char *what, void (*fn)(void *arg),
		       void *arg, struct mm_struct *mm)
{
	struct odpt_bounded *b = kzalloc(sizeof(*b), GFP_KERNEL);
	struct task_struct *worker;
	bool done;

	if (!b) {
		fn(arg);	/* no memory for the guard: the call itself */
		return true;
	}
	kref_init(&b->ref);
	kref_get(&b->ref);
	INIT_WORK(&b->work, odpt_bounded_work);
	init_completion(&b->done);
	b->fn = fn;
	b->arg = arg;
	b->mm = mm;
	queue_work(system_unbound_wq, &b->work);
	done = wait_for_completion_timeout(&b->done, ODPT_WAIT_BOUND);
	if (!done) {
		KUNIT_FAIL(test, "%s does not return within %d s: left behind (its stack below)",
			   what, ODPT_WAIT_BOUND / HZ);
		worker = READ_ONCE(b->worker);
		if (worker)
			sched_show_task(worker);
		debug_show_all_locks();
	}
	kref_put(&b->ref, odpt_bounded_free);
	return done;
}

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
