// SPDX-License-Identifier: GPL-2.0
/*
 * odp_seed_lockdep: what lockdep makes of the v1 patch's lock structure.
 *
 * v1 registers the context's notifier with the context's rwsem held for
 * reading (downgraded from the write lock of the insert), and switched
 * lockdep off around the call: "Lock-dep detects a false positive for
 * mmap_sem vs. umem_mutex, due to not grasping downgrade_write
 * correctly". mmu_notifier_register() takes mmap_lock for writing under
 * the rwsem; every invalidation callback takes the rwsem under mmap_lock.
 *
 * The registration: 6.12's lockdep makes no report, and is right. A
 * callback runs inside the notifiers' SRCU read section, which lockdep
 * (since it learned recursive read locks) models as a recursive reader:
 * the dependency it records is mmap_lock -> SRCU (read, recursive) ->
 * rwsem, and a path that reaches a lock as a recursive reader and leaves
 * it as a reader cannot block, so no cycle closes. Nor can one for real:
 * the callbacks that take a context's rwsem run only once its notifier is
 * registered, and the registration that holds that rwsem under mmap_lock
 * happens while it is not (registrations and releases of one context
 * exclude each other on the rwsem); two contexts of one mm have two
 * rwsems. The lockdep of 2014 passed a held recursive reader over and
 * recorded mmap_sem -> rwsem directly, read or not: the cycle closed, and
 * that was the false positive the patch names.
 *
 * The release: v1 unregisters the notifier under the same read lock, and
 * mmu_notifier_unregister() calls the notifier's release callback, which
 * takes the rwsem for reading again. Lockdep reports that nesting
 * ("possible recursive locking"), and is right: with a writer queued
 * between the two reads it deadlocks (S16; and through the notifier's
 * SRCU, S18). seed switches lockdep off around that call too, so that the
 * other suites run under lockdep; the second case lets it watch.
 *
 * Lockdep switches itself off after its first report, for the rest of the
 * boot. This suite is linked last, so that every other suite runs under
 * lockdep first (the launcher's log check fails a run in which a suite
 * starts after a lockdep report), and each case asserts that lockdep was
 * still on when it began: nothing before it had a lockdep report.
 */
#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/mm.h>
#include <linux/mman.h>

#include "lib/odpt_util.h"
#include "lib/report_check.h"

#define NPAGES	2

static const enum odp_strategy odpt_seed = ODP_STRATEGY_SEED;

/* A seed context over a fresh mapping, lockdep still on. */
static struct odp_context *odpt_lockdep_ctx(struct kunit *test, unsigned long *addr,
					    struct odpt_rec **rec)
{
	KUNIT_ASSERT_TRUE_MSG(test, debug_locks,
			      "lockdep was off before this case: a report came earlier");
	test->param_value = (void *)&odpt_seed;
	*addr = odpt_mmap(test, NPAGES, PROT_READ | PROT_WRITE);
	return odpt_ctx_create(test, rec);
}

static struct odp_umem *odpt_lockdep_umem(struct kunit *test, struct odp_context *ctx,
					  unsigned long addr)
{
	struct odp_umem *umem;

	umem = odp_umem_get(ctx, addr, NPAGES * PAGE_SIZE, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, umem);
	KUNIT_EXPECT_TRUE(test, odp_context_notifier_registered(ctx));
	return umem;
}

/* mmap_lock, then the rwsem: a callback of the registered notifier. */
static void odpt_lockdep_invalidate(struct kunit *test, struct odp_umem *umem,
				    struct odpt_rec *rec, unsigned long addr)
{
	unsigned int before = odpt_rec_count(rec, umem);

	KUNIT_EXPECT_EQ(test, odpt_fault(umem, addr, NPAGES * PAGE_SIZE, ODP_ACCESS_ALL),
			NPAGES);
	KUNIT_EXPECT_EQ(test, do_madvise(current->mm, addr, NPAGES * PAGE_SIZE,
					 MADV_DONTNEED), 0);
	KUNIT_EXPECT_GT(test, odpt_rec_count(rec, umem), before);
}

static void odpt_seed_lockdep_register_silent(struct kunit *test)
{
	struct odp_context *ctx;
	struct odp_umem *umem;
	struct odpt_rec *rec;
	unsigned long addr;

	ctx = odpt_lockdep_ctx(test, &addr, &rec);
	umem = odpt_lockdep_umem(test, ctx, addr);
	odpt_lockdep_invalidate(test, umem, rec, addr);
	odp_umem_release(umem);
	KUNIT_EXPECT_FALSE(test, odp_context_notifier_registered(ctx));

	/* the rwsem, then mmap_lock: the first umem registers the notifier */
	odp_seed_v1_lockdep_watch(true);
	umem = odpt_lockdep_umem(test, ctx, addr);
	odp_seed_v1_lockdep_watch(false);
	odpt_lockdep_invalidate(test, umem, rec, addr);
	KUNIT_EXPECT_TRUE_MSG(test, debug_locks,
			      "lockdep reported v1's registration under the rwsem");

	odp_umem_release(umem);
	odp_context_destroy(ctx);
}

static void odpt_seed_lockdep_release_reported(struct kunit *test)
{
	struct odp_context *ctx;
	struct odp_umem *umem;
	struct odpt_rec *rec;
	unsigned long addr;

	ctx = odpt_lockdep_ctx(test, &addr, &rec);
	umem = odpt_lockdep_umem(test, ctx, addr);
	odpt_lockdep_invalidate(test, umem, rec, addr);

	kunit_info(test, "odp-expect-splat: begin lockdep: v1 unregisters under the rwsem its release callback takes again\n");
	odp_seed_v1_lockdep_watch(true);
	odp_umem_release(umem);
	odp_seed_v1_lockdep_watch(false);
	kunit_info(test, "odp-expect-splat: end\n");
	KUNIT_EXPECT_FALSE(test, odp_context_notifier_registered(ctx));
	KUNIT_EXPECT_FALSE_MSG(test, debug_locks, "lockdep did not report v1's release");

	odp_context_destroy(ctx);
}

static struct kunit_case odpt_seed_lockdep_cases[] = {
	KUNIT_CASE(odpt_seed_lockdep_register_silent),
	/* last: lockdep is off after its report */
	KUNIT_CASE(odpt_seed_lockdep_release_reported),
	{}
};

static struct kunit_suite odpt_seed_lockdep_suite = {
	.name = "odp_seed_lockdep",
	.test_cases = odpt_seed_lockdep_cases,
	.init = odpt_report_check_init,
};
kunit_test_suite(odpt_seed_lockdep_suite);
