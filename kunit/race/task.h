/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The race engine's process and thread helpers (task.c), which need
 * nothing of the fake HCA: the core's suites use them too.
 */
#ifndef _ODPT_TASK_H
#define _ODPT_TASK_H

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <kunit/test.h>

/*
 * How long the engine waits for an actor to stop, finish or fall asleep,
 * and for the actors to settle: only a hang takes that long.
 */
#define ODPT_WAIT_BOUND		(5 * HZ)

struct mm_struct *odpt_new_mm(void);
bool odpt_task_sleeps(struct task_struct *task, struct completion *done);
bool odpt_call_bounded(struct kunit *test, const char *what, void (*fn)(void *arg),
		       void *arg, struct mm_struct *mm);

#endif /* _ODPT_TASK_H */
