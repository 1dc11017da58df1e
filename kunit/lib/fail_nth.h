/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation failures, one at a time: an operation is run with the n-th
 * allocation of its thread failed, for n = 1, 2, ... until it succeeds
 * without reaching the n-th, with the kernel's fault injection
 * (current->fail_nth, the per-task knob behind /proc/<pid>/fail-nth,
 * read by failslab and fail_page_alloc).
 */
#ifndef _ODPT_FAIL_NTH_H
#define _ODPT_FAIL_NTH_H

#include <kunit/test.h>

/**
 * struct odpt_fi_op - an operation to fail at each of its allocations
 * @name: shown in the log
 * @run: the operation, with injection armed: 0 or a negative errno
 * @check: after a failed attempt: what must still hold (optional)
 * @undo: after a successful attempt: take it back (optional)
 * @also: an errno accepted besides -ENOMEM (0: none)
 * @fallback: the operation may succeed although an allocation failed
 *	(it has a documented fallback)
 */
struct odpt_fi_op {
	const char *name;
	int (*run)(struct kunit *test, void *arg);
	void (*check)(struct kunit *test, void *arg, int err);
	void (*undo)(struct kunit *test, void *arg);
	int also;
	bool fallback;
};

/**
 * struct odpt_fi_result - what odpt_fail_each() saw
 * @points: allocations the operation made on its successful run
 * @failed: attempts that returned an error
 * @fallbacks: attempts that succeeded although an allocation failed
 * @retried: attempts run again with the same n, having succeeded although
 *	their allocation failed (odpt_fail_each())
 */
struct odpt_fi_result {
	int points;
	int failed;
	int fallbacks;
	int retried;
};

void odpt_fi_begin(struct kunit *test);
void odpt_fail_each(struct kunit *test, const struct odpt_fi_op *op, void *arg,
		    struct odpt_fi_result *res);

#endif /* _ODPT_FAIL_NTH_H */
