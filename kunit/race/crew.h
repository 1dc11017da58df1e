/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The actors' threads, kept for the length of a case (crew.c): each
 * execution of a script, and each schedule of an exploration, borrows
 * its actors' threads from the case's crew and gives them back at its
 * teardown, instead of making and ending a kernel thread per actor.
 */
#ifndef _ODPT_CREW_H
#define _ODPT_CREW_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/sched.h>

/**
 * struct odpt_crew - a case's actor threads that are free
 * @idle: the free threads (struct odpt_crew_thread), on the case's thread
 *	only
 * @cpu: the CPU every thread of the crew runs on
 * @made: threads made so far
 * @reused: threads lent again
 */
struct odpt_crew {
	struct list_head idle;
	unsigned int cpu;
	unsigned long made;
	unsigned long reused;
};

/**
 * struct odpt_crew_thread - one thread of a crew
 * @node: in the crew's @idle list while free
 * @task: the kernel thread
 * @assigned: completed once per job, and once to end the thread
 * @returned: completed when the job's function has returned
 * @fn: the job
 * @arg: its argument
 * @exit: end the thread instead of a job
 */
struct odpt_crew_thread {
	struct list_head node;
	struct task_struct *task;
	struct completion assigned;
	struct completion returned;
	void (*fn)(void *arg);
	void *arg;
	bool exit;
};

void odpt_crew_init(struct odpt_crew *crew, unsigned int cpu);
struct odpt_crew_thread *odpt_crew_lend(struct odpt_crew *crew, void (*fn)(void *arg),
					void *arg, const char *name);
void odpt_crew_give_back(struct odpt_crew *crew, struct odpt_crew_thread *t);
void odpt_crew_end(struct odpt_crew *crew);

#endif /* _ODPT_CREW_H */
