// SPDX-License-Identifier: GPL-2.0
/*
 * A sync-point handler that cannot outlive its test.
 *
 * A test that installs a handler and then fails an assertion before it
 * removes it leaves the handler installed: its memory (a KUnit
 * allocation) is freed when the test ends, and the next thread to reach
 * a sync point, in whatever test runs next, calls into freed memory. The
 * guard removes the handler through a KUnit deferred action, which runs
 * however the test ends, before the test's earlier allocations are freed
 * (KUnit releases resources in reverse order). A test's own, earlier
 * odp_sync_uninstall() makes the action a no-op.
 */
#include <linux/slab.h>

#include "sync_guard.h"

struct odpt_sync_guard {
	struct odp_sync_handler *h;
	void (*let_go)(struct odp_sync_handler *h);
};

static void odpt_sync_guard_release(void *data)
{
	struct odpt_sync_guard *g = data;

	/* a thread stopped in the handler would keep the removal waiting */
	if (g->let_go)
		g->let_go(g->h);
	odp_sync_uninstall(g->h);
	kfree(g);
}

/**
 * odpt_sync_guard() - install a sync-point handler for the rest of a test
 * @test: the test
 * @h: the handler; it must live until the test's resources are released
 *	(allocate it with kunit_kzalloc() before calling this; not on the
 *	test function's stack, which is gone when the action runs)
 * @let_go: NULL, or what releases every thread the handler may hold
 *	stopped (it may be called when none is: make it idempotent); called
 *	when the test ends, before the handler is removed
 *
 * Return: 0, -EBUSY if another handler is installed, -ENOMEM; the handler
 * is then not installed.
 */
int odpt_sync_guard(struct kunit *test, struct odp_sync_handler *h,
		    void (*let_go)(struct odp_sync_handler *h))
{
	struct odpt_sync_guard *g = kzalloc(sizeof(*g), GFP_KERNEL);
	int ret;

	if (!g)
		return -ENOMEM;
	g->h = h;
	g->let_go = let_go;
	ret = odp_sync_install(h);
	if (ret) {
		kfree(g);
		return ret;
	}
	return kunit_add_action_or_reset(test, odpt_sync_guard_release, g);
}
