// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core, strategy "seed": the v1 patch's own code paths, where they
 * differ from the structure the other strategies share (umem.c, fault.c).
 *
 * Every behaviour of the posted patch, whether seed reproduces it, and
 * where a case shows it:
 *
 *  behaviour of v1                              seed  shown by
 *  -------------------------------------------  ----  ----------------------
 *  start: under the tree's rwsem for read, per   yes   S1-S5, E1-E4
 *   umem: count++ under umem_mutex, then the
 *   driver's invalidate_range
 *  end: seq++, smp_wmb(), count-- clamped at 0   yes   S1, S3 (underflow)
 *   with a warning ("end without start"),
 *   complete_all() at 0
 *  fault: retry while count != 0 or seq moved,   yes   S2, S4
 *   smp_rmb() between (strategy_seed.c)
 *  the registration race (a umem inserted mid-   yes   S1-S3, S13, N1, N2
 *   invalidation misses the start, sees the end)
 *  registration: rwsem for write, insert, count  yes   S16, S19 (odp_seed_v1_add())
 *   raised, downgrade_write(); the first umem
 *   registers the notifier under the read lock,
 *   lockdep switched off around the call
 *  lockdep's report on that call, "a false       n/a   odp_seed_lockdep: 6.12's
 *   positive"                                           lockdep, left on, makes
 *                                                       none (it models SRCU's
 *                                                       readers, odp_seed_lockdep)
 *  registration failure: pr_err, -EBUSY, the     no    the umem would stay in
 *   umem left in the tree, the count raised             the tree after it is
 *                                                       freed: it is taken out
 *  release: rwsem for write, remove, count       yes   S16 (odp_seed_v1_remove())
 *   lowered, downgrade_write(); the last umem
 *   unregisters the notifier under the read lock
 *  release: the owner's mm looked up through     no    skipping the unregister
 *   the context's pid (get_pid_task(),                  leaves the notifier on a
 *   get_task_mm()), the unregister skipped when         live mm (a kernel thread
 *   either is gone                                      may hold it) pointing at
 *                                                       a freed context: seed
 *                                                       unregisters from the
 *                                                       context's own mm reference
 *  release under the read lock: the notifier's   yes   S16: a registration
 *   release callback takes the rwsem again for          waiting for the write
 *   reading (mmu_notifier_unregister() calls it);       lock between them
 *   with a writer queued, a deadlock                    deadlocks; S18: the
 *                                                       same through the SRCU
 *                                                       of a callback entered;
 *                                                       odp_seed_lockdep: the
 *                                                       report (lockdep is off
 *                                                       around the call
 *                                                       elsewhere: not posted)
 *  the notifier's release: each umem counted as  yes   S6, odp_core_exit
 *   invalidated for good, dying, cleared
 *  "different pages": pr_err, the existing       yes   S17 (odp_seed_v1_different())
 *   mapping removed after the umem_mutex is
 *   dropped, at base_virt_addr + page_index *
 *   PAGE_SIZE (the fault's first page plus the
 *   page's index in the umem: another page when
 *   the fault starts inside the umem), counted
 *   as a start and an end, -EAGAIN
 *  dying: set by the release callback; a fault   no    unreachable in v1 too:
 *   on a dying umem is not refused by the core          its fault first takes
 *   (its count stays raised: -EAGAIN for ever)          the owner's mm by pid
 *                                                       (get_task_mm(), in code
 *                                                       the patch leaves), and
 *                                                       the release runs only
 *                                                       once the mm has no user
 *                                                       left; seed's fault fails
 *                                                       at mmget_not_zero() or
 *                                                       at the dying flag with
 *                                                       -EFAULT (S6, S14)
 *  dirty marking: set_page_dirty() (not _lock)   yes   odp_core (dirty)
 *   of writable umems, under umem_mutex
 *  invalidate_page                               n/a   no such callback in 6.12
 *  non-blockable ranges                          n/a   v1 predates them: seed
 *                                                       walks and sleeps (N4)
 */
#include <linux/export.h>
#include <linux/lockdep.h>
#include <linux/mmu_notifier.h>
#include <linux/printk.h>

#include <odp/sync_point.h>

#include "odp_internal.h"
#include "strategy.h"

static bool odp_seed_v1_watched;

/**
 * odp_seed_v1_lockdep_watch() - let lockdep see seed's notifier calls
 * @watch: true to leave lockdep on around mmu_notifier_register() and
 *	mmu_notifier_unregister(), false (the default) to switch it off
 *	there, as the v1 patch did around the first
 *
 * For odp_seed_lockdep, which shows what lockdep makes of each. Lockdep
 * stops after its first report: that suite runs last in its boot.
 */
void odp_seed_v1_lockdep_watch(bool watch)
{
	WRITE_ONCE(odp_seed_v1_watched, watch);
}
EXPORT_SYMBOL_GPL(odp_seed_v1_lockdep_watch);

/*
 * v1's invariant: the last release unregisters the notifier under the
 * read lock, so it is off the mm's list when a first umem comes.
 * Registering it while it is still listed would link its node to itself,
 * and every later invalidation of the mm would walk that loop forever, on
 * a CPU nothing else then gets: refuse it, loudly. (Lockless: a release
 * that broke the invariant unregisters without the lock.)
 */
static bool odp_seed_v1_still_listed(struct odp_context *ctx)
{
	return WARN_ON_ONCE(!hlist_unhashed_lockless(&ctx->mn.hlist));
}

/**
 * odp_seed_v1_add() - insert a umem the way the v1 patch registers it
 * @umem: the umem, not in the tree yet
 *
 * The write lock is taken killably: a v1 deadlock (S16) leaves a script a
 * way out, by killing the registration that waits for it.
 *
 * Return: 0, -EINTR when killed while waiting for the lock, or -EBUSY when
 * the notifier could not be registered (the umem is then out of the tree).
 */
int odp_seed_v1_add(struct odp_umem *umem)
{
	struct odp_context *ctx = umem->ctx;
	int ret;

	odp_sync_point(ODP_SP_REG_BEFORE_INSERT, umem, umem->start, umem->end);
	ret = down_write_killable(&ctx->rwsem);
	if (ret)
		return ret;
	WRITE_ONCE(ctx->count, ctx->count + 1);
	odp_umem_tree_insert(umem, &ctx->tree);
	downgrade_write(&ctx->rwsem);
	odp_sync_point(ODP_SP_REG_DOWNGRADED, umem, umem->start, umem->end);
	if (ctx->count == 1) {
		bool watched = READ_ONCE(odp_seed_v1_watched);

		/*
		 * As posted: "Lock-dep detects a false positive for mmap_sem
		 * vs. umem_mutex, due to not grasping downgrade_write
		 * correctly." It is the order rwsem -> mmap_lock here against
		 * mmap_lock -> rwsem in every callback. 6.12's lockdep does
		 * not report it: kunit/tests/odp_seed_lockdep_kunit.c says why.
		 */
		if (!watched)
			lockdep_off();
		ret = odp_seed_v1_still_listed(ctx) ? -EBUSY :
			mmu_notifier_register(&ctx->mn, ctx->mm);
		if (!watched)
			lockdep_on();
		if (ret) {
			pr_err("odp: failed to register mmu_notifier %d\n", ret);
			up_read(&ctx->rwsem);
			/* v1 leaves the umem in the tree: not kept, see the table */
			down_write(&ctx->rwsem);
			odp_umem_tree_remove(umem, &ctx->tree);
			WRITE_ONCE(ctx->count, ctx->count - 1);
			up_write(&ctx->rwsem);
			return -EBUSY;
		}
		WRITE_ONCE(ctx->mn_registered, true);
	}
	up_read(&ctx->rwsem);
	odp_sync_point(ODP_SP_REG_AFTER_INSERT, umem, umem->start, umem->end);
	return 0;
}

/**
 * odp_seed_v1_remove() - take a umem out the way the v1 patch releases it
 * @umem: the umem, in the tree
 *
 * The last umem unregisters the context's notifier under the downgraded
 * read lock. mmu_notifier_unregister() calls the notifier's release
 * callback, which takes the same rwsem for reading again: should a
 * writer (a registration) queue between the two, neither ever gets it.
 * Lockdep reports that nesting as soon as it sees it, and then stays off
 * for the rest of the boot; it is switched off around the call, as the
 * patch did around the registration, so that the other cases run under
 * lockdep. S16 and S18 show the deadlocks, odp_seed_lockdep the report.
 * Returns once no walk holds the umem. Seed's remove hook (strategy.h).
 */
void odp_seed_v1_remove(struct odp_umem *umem)
{
	struct odp_context *ctx = umem->ctx;

	down_write(&ctx->rwsem);
	odp_umem_tree_remove(umem, &ctx->tree);
	WRITE_ONCE(ctx->count, ctx->count - 1);
	downgrade_write(&ctx->rwsem);
	if (!ctx->count) {
		bool watched = READ_ONCE(odp_seed_v1_watched);

		odp_sync_point(ODP_SP_RELEASE_BEFORE_UNREGISTER, ctx, 0, 0);
		if (!watched)
			lockdep_off();
		mmu_notifier_unregister(&ctx->mn, ctx->mm);
		if (!watched)
			lockdep_on();
		WRITE_ONCE(ctx->mn_registered, false);
		if (ctx->sops->reset)
			ctx->sops->reset(ctx);
	}
	up_read(&ctx->rwsem);
	odp_umem_wait_walkers(umem);
}

/**
 * odp_seed_v1_different() - v1's removal of a mapping that differs
 * @umem: the umem; its mutex is not held
 * @fault_start: the first page of the fault (v1's base_virt_addr)
 * @idx: the index in the umem of the page that differed
 *
 * As posted: the removal comes after the mutex was dropped, counted as an
 * invalidation of its own, at @fault_start + @idx pages, which is the page
 * that differed only when the fault started at the umem's first page.
 */
void odp_seed_v1_different(struct odp_umem *umem, u64 fault_start, unsigned long idx)
{
	u64 start = fault_start + ((u64)idx << PAGE_SHIFT);

	pr_err("odp: got different pages in the device and from get_user_pages\n");
	odp_seed_start_account(umem);
	mutex_lock(&umem->umem_mutex);
	odp_umem_invalidate_locked(umem, start, start + PAGE_SIZE);
	mutex_unlock(&umem->umem_mutex);
	odp_seed_end_account(umem);
}
