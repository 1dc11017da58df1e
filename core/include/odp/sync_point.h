/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sync points: named places in the core and in a driver where a test can
 * stop a thread, to replay an interleaving step by step. The core's are
 * declared here; a driver declares its own, numbered from ODP_SP_NR on
 * (the fake HCA's: enum fake_hca_sync_point), and reaches them through
 * the same odp_sync_point().
 *
 * Disarmed, a sync point is one static branch that is never taken. A test
 * installs one handler (struct odp_sync_handler) that sees every point
 * reached while it is installed, with the object and range it concerns,
 * and decides there whether to record it, stop the thread, or let it go.
 *
 * What a thread holds when it reaches each point (a thread stopped there
 * keeps holding it, and every other thread that wants it waits):
 *
 *  point                      held
 *  -------------------------  ------------------------------------------
 *  FAULT_WAIT, FAULT_SAMPLED  nothing of the core's
 *  FAULT_LOOKED_UP            nothing of the core's (the pages' references)
 *  INV_START_ENTER,           the invalidating path's mm locks (mmap_lock,
 *  INV_END_ENTER                or a reverse map's lock: i_mmap_rwsem, an
 *                               anon_vma's), the notifier SRCU read section;
 *                               nothing of the context's. Blockable ranges
 *                               only: a point may sleep.
 *  INV_START_ACCOUNTED        as ENTER, and ctx->rwsem for reading
 *  INV_END_BEFORE             as ENTER, and ctx->rwsem for reading
 *  INV_START_DONE,            as ENTER only: reported after the walk, see
 *  INV_END_DONE                 below
 *  INV_START_RETURN           as ENTER only
 *  RELEASE_ENTER              the notifier SRCU read section; from
 *                               exit_mmap() nothing else, from
 *                               mmu_notifier_unregister() what its caller
 *                               holds (seed: ctx->rwsem for reading)
 *  REG_BEFORE_INSERT          nothing (seed too: before its write lock)
 *  REG_DOWNGRADED             seed only: ctx->rwsem for reading, after
 *                               downgrade_write(), before the first umem's
 *                               mmu_notifier_register()
 *  REG_AFTER_INSERT           nothing (seed: reported after up_read())
 *  RELEASE_WOKEN              nothing
 *  RELEASE_BEFORE_UNREGISTER  seed: ctx->rwsem for reading (downgraded);
 *                               the others: ctx->reg_mutex
 *  a driver's points          nothing of the core's
 *
 * The deferred points. START_DONE and END_DONE are reached once the walk
 * over the context's tree is over and ctx->rwsem dropped, each for its
 * umem, so that a script stopped there can still register a umem: that is
 * the window of the thread's registration race. What they hide: a stop
 * at umem X's START_DONE shows every umem of the range already done, not
 * the instant after X with the next umem still to come and the rwsem
 * still held. In that instant only faults could run (registrations wait
 * for the rwsem), and a fault of the next umem before its accounting is
 * the same interleaving as a fault before the invalidation began, which
 * START_ENTER gives.
 */
#ifndef _ODP_SYNC_POINT_H
#define _ODP_SYNC_POINT_H

#include <linux/jump_label.h>
#include <linux/types.h>

/**
 * enum odp_sync_point - where a thread of the core can be stopped
 * @ODP_SP_FAULT_WAIT: fault: an invalidation of the range is running and the
 *	strategy is about to wait for it to end before sampling; per attempt,
 *	only where range_track or interval waits
 * @ODP_SP_FAULT_SAMPLED: fault: sequence sampled, CPU pages not looked up;
 *	once per attempt (odp_umem_read_begin())
 * @ODP_SP_FAULT_LOOKED_UP: fault: CPU pages looked up, before the commit
 *	under the umem mutex; per chunk of up to 512 pages of an attempt
 * @ODP_SP_INV_START_ENTER: invalidate start: the context's callback was
 *	entered, before it takes any lock of the context
 * @ODP_SP_INV_START_ACCOUNTED: invalidate start, per umem: accounted,
 *	driver hook not yet called
 * @ODP_SP_INV_START_DONE: invalidate start, per umem: driver hook done;
 *	the mm has not zapped the page tables yet; reached after the tree walk
 *	dropped the rwsem (see "The deferred points" above)
 * @ODP_SP_INV_START_RETURN: invalidate start: the context's callback is
 *	returning to the mm, every umem done and the context's locks dropped;
 *	the mm zaps the page tables next; once per start callback
 * @ODP_SP_INV_END_ENTER: invalidate end: the context's callback was
 *	entered, before it takes any lock of the context
 * @ODP_SP_INV_END_BEFORE: invalidate end, per umem: before accounting
 * @ODP_SP_INV_END_DONE: invalidate end, per umem: after accounting;
 *	reached after the walk dropped the rwsem
 * @ODP_SP_REG_BEFORE_INSERT: registration, once: notifier registered, umem
 *	not yet in the context's tree (seed, as v1: the first umem's notifier
 *	is registered after the insert)
 * @ODP_SP_REG_DOWNGRADED: registration, seed only (as v1): umem in the
 *	tree, the rwsem downgraded to a read lock and held, the first umem's
 *	notifier not yet registered
 * @ODP_SP_REG_AFTER_INSERT: registration, once: umem in the tree (seed: and
 *	the notifier registered)
 * @ODP_SP_RELEASE_BEFORE_UNREGISTER: release of the last umem, once: out of
 *	the tree, notifier not yet unregistered (seed, as v1: with the context's
 *	rwsem held for reading)
 * @ODP_SP_RELEASE_ENTER: the notifier's release callback was entered,
 *	before it takes the rwsem
 * @ODP_SP_RELEASE_WOKEN: release of a umem, only when it had to wait for
 *	the walks that still held the umem (odp_umem_wait_walkers()): the
 *	last walk woke it; the release goes on from here (a wake-up window)
 * @ODP_SP_NR: number of the core's sync points; a driver numbers its own
 *	from here on
 */
enum odp_sync_point {
	ODP_SP_FAULT_WAIT,
	ODP_SP_FAULT_SAMPLED,
	ODP_SP_FAULT_LOOKED_UP,
	ODP_SP_INV_START_ENTER,
	ODP_SP_INV_START_ACCOUNTED,
	ODP_SP_INV_START_DONE,
	ODP_SP_INV_START_RETURN,
	ODP_SP_INV_END_ENTER,
	ODP_SP_INV_END_BEFORE,
	ODP_SP_INV_END_DONE,
	ODP_SP_REG_BEFORE_INSERT,
	ODP_SP_REG_DOWNGRADED,
	ODP_SP_REG_AFTER_INSERT,
	ODP_SP_RELEASE_BEFORE_UNREGISTER,
	ODP_SP_RELEASE_ENTER,
	ODP_SP_RELEASE_WOKEN,
	ODP_SP_NR,
};

/**
 * struct odp_sync_handler - the test side of the sync points
 * @reached: called in the thread that reached @sp (an enum odp_sync_point,
 *	or a driver's point from ODP_SP_NR on), about @obj (a umem, a context
 *	or a driver object) and the range [@start, @end) it concerns.
 *	It may sleep: it is never called with a spinlock held.
 * @data: for the handler
 */
struct odp_sync_handler {
	void (*reached)(struct odp_sync_handler *h, unsigned int sp,
			const void *obj, u64 start, u64 end);
	void *data;
};

DECLARE_STATIC_KEY_FALSE(odp_sync_enabled);

void __odp_sync_point(unsigned int sp, const void *obj, u64 start, u64 end);
int odp_sync_install(struct odp_sync_handler *h);
void odp_sync_uninstall(struct odp_sync_handler *h);
const char *odp_sync_point_name(enum odp_sync_point sp);

/**
 * odp_sync_armed() - is a sync-point handler installed?
 *
 * Return: true while a test's handler is installed; always false without
 * CONFIG_ODP_SYNC_POINTS.
 */
static __always_inline bool odp_sync_armed(void)
{
#ifdef CONFIG_ODP_SYNC_POINTS
	return static_branch_unlikely(&odp_sync_enabled);
#else
	return false;
#endif
}

/**
 * odp_sync_point() - mark a sync point
 * @sp: which point: an enum odp_sync_point, or a driver's
 * @obj: the object it concerns
 * @start: start of the range it concerns
 * @end: end (exclusive) of the range it concerns
 *
 * Costs one not-taken branch unless a handler is installed, and nothing
 * at all without CONFIG_ODP_SYNC_POINTS.
 */
static __always_inline void odp_sync_point(unsigned int sp, const void *obj,
					   u64 start, u64 end)
{
	if (odp_sync_armed())
		__odp_sync_point(sp, obj, start, end);
}

#endif /* _ODP_SYNC_POINT_H */
