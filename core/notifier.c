// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: the context's MMU notifier.
 *
 * One notifier per context watches the owner's mm. Each callback walks
 * the context's interval tree for the umems that overlap the range, and
 * only those, so that the cost of a small invalidation grows with the
 * logarithm of the number of umems, not with their number. For each one
 * it does the strategy's accounting and hands the intersection to the
 * driver. A range that is not blockable (the OOM reaper's) gets only the
 * strategy's context hooks here; nonblock.c says why and does the rest.
 */
#include <linux/minmax.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include <odp/sync_point.h>

#include "odp_internal.h"
#include "strategy.h"

/* The driver's hook and the clearing of the entries; umem_mutex held. */
void odp_umem_invalidate_locked(struct odp_umem *umem, u64 start, u64 end)
{
	struct odp_context *ctx = umem->ctx;

	lockdep_assert_held(&umem->umem_mutex);
	start = max(start, umem->start);
	end = min(end, umem->end);
	if (start >= end)
		return;
	atomic64_inc(&ctx->invalidations);
	if (ctx->ops->invalidate_range)
		ctx->ops->invalidate_range(umem, start, end);
	odp_umem_unmap_locked(umem, start, end);
}

/*
 * The sync points that report a finished step (START_DONE, END_DONE) are
 * reached after the walk dropped ctx->rwsem, so that a test that stops a
 * thread there can still register a umem from another thread: that is
 * the window of the thread's registration race. Each umem whose point is
 * deferred is held by a walker reference, which odp_umem_release() waits
 * for. Only while a sync handler is installed; otherwise (or when the
 * small array cannot be had without reclaim) the point is reached in
 * place.
 */
struct odp_deferred_sp {
	struct odp_umem *umem;
	u64 start;
	u64 end;
};

struct odp_walk {
	struct odp_deferred_sp *sp;
	unsigned int n;
	unsigned int cap;
};

/* ctx->rwsem held */
static void odp_walk_init(struct odp_walk *w, struct odp_context *ctx)
{
	w->sp = NULL;
	w->n = 0;
	w->cap = 0;
	if (!odp_sync_armed() || !ctx->count)
		return;
	w->sp = kmalloc_array(ctx->count, sizeof(*w->sp), GFP_NOWAIT | __GFP_NOWARN);
	if (w->sp)
		w->cap = ctx->count;
}

/* ctx->rwsem held */
static void odp_walk_point(struct odp_walk *w, enum odp_sync_point sp, struct odp_umem *umem,
			   u64 start, u64 end)
{
	if (w->n < w->cap) {
		atomic_inc(&umem->walkers);
		w->sp[w->n++] = (struct odp_deferred_sp){ umem, start, end };
		return;
	}
	odp_sync_point(sp, umem, start, end);
}

/* ctx->rwsem dropped */
static void odp_walk_finish(struct odp_walk *w, enum odp_sync_point sp)
{
	unsigned int i;

	for (i = 0; i < w->n; i++) {
		struct odp_umem *umem = w->sp[i].umem;

		odp_sync_point(sp, umem, w->sp[i].start, w->sp[i].end);
		if (atomic_dec_and_test(&umem->walkers))
			wake_up_var(&umem->walkers);
	}
	kfree(w->sp);
}

/*
 * After the umem left the tree: no walk holds it any more. Only the
 * release waits here (odp_core_release stops a walk past the lock while a
 * release waits), and what it frees next is the umem the walks held: the
 * last walk's wake-up (odp_walk_finish()) comes after its last use of the
 * umem, the decrement, and wake_up_var() only hashes the address. A
 * release that had to wait stops at RELEASE_WOKEN once the last walk woke
 * it, so that a test can run the waker on first (the wake-up's window).
 */
void odp_umem_wait_walkers(struct odp_umem *umem)
{
	if (!atomic_read(&umem->walkers))
		return;
	wait_var_event(&umem->walkers, !atomic_read(&umem->walkers));
	odp_sync_point(ODP_SP_RELEASE_WOKEN, umem, umem->start, umem->end);
}

static void odp_notifier_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct odp_context *ctx = container_of(mn, struct odp_context, mn);
	struct odp_umem *umem;

	odp_sync_point(ODP_SP_RELEASE_ENTER, ctx, 0, 0);
	down_read(&ctx->rwsem);
	odp_for_each_umem_in_range(ctx, 0, U64_MAX, umem) {
		if (ctx->sops->release)
			ctx->sops->release(umem);
		mutex_lock(&umem->umem_mutex);
		umem->dying = true;
		odp_umem_invalidate_locked(umem, umem->start, umem->end);
		mutex_unlock(&umem->umem_mutex);
	}
	up_read(&ctx->rwsem);
	/*
	 * The mm takes this notifier off its list after release: ends of
	 * invalidations still in flight will never reach it. Forget them, so
	 * that nothing waits for them (range_track's faults would, forever).
	 */
	if (ctx->sops->reset)
		ctx->sops->reset(ctx);
}

/**
 * odp_walk_start() - the per-umem part of an invalidation's start
 * @ctx: the context
 * @range: the range, whether blockable or not
 *
 * For each umem that overlaps @range, under ctx->rwsem held for read: the
 * strategy's per-umem accounting, then the entries cleared under the
 * umem's mutex. Sleeps. The strategies' walk_start hook (strategy.h);
 * seed's for every range, as the v1 patch walked.
 *
 * Return: true: the start goes on to its return point.
 */
bool odp_walk_start(struct odp_context *ctx, const struct mmu_notifier_range *range)
{
	const struct odp_strategy_ops *sops = ctx->sops;
	struct odp_umem *umem;
	struct odp_walk w;

	down_read(&ctx->rwsem);
	odp_walk_init(&w, ctx);
	odp_for_each_umem_in_range(ctx, range->start, range->end, umem) {
		u64 s = max_t(u64, range->start, umem->start);
		u64 e = min_t(u64, range->end, umem->end);

		if (sops->inv_start)
			sops->inv_start(umem);
		odp_sync_point(ODP_SP_INV_START_ACCOUNTED, umem, s, e);
		mutex_lock(&umem->umem_mutex);
		odp_umem_invalidate_locked(umem, s, e);
		mutex_unlock(&umem->umem_mutex);
		odp_walk_point(&w, ODP_SP_INV_START_DONE, umem, s, e);
	}
	up_read(&ctx->rwsem);
	odp_walk_finish(&w, ODP_SP_INV_START_DONE);
	return true;
}

/*
 * The default walk_start: blockable ranges only. A range that is not
 * blockable (the OOM reaper) gets no per-umem work here and ends its
 * start at once: this notifier has an end, so it must not fail its start
 * (nonblock.c); the context hook before the walk never sleeps and opens
 * the strategy's bracket, and the refusal notifier, called after this
 * one, revokes the range or refuses it.
 */
static bool odp_walk_start_blockable(struct odp_context *ctx,
				     const struct mmu_notifier_range *range)
{
	if (!mmu_notifier_range_blockable(range))
		return false;
	return odp_walk_start(ctx, range);
}

static int odp_notifier_invalidate_range_start(struct mmu_notifier *mn,
					       const struct mmu_notifier_range *range)
{
	struct odp_context *ctx = container_of(mn, struct odp_context, mn);
	const struct odp_strategy_ops *sops = ctx->sops;

	/* a stop may sleep: not in a range that must not block */
	if (mmu_notifier_range_blockable(range))
		odp_sync_point(ODP_SP_INV_START_ENTER, ctx, range->start, range->end);
	if (sops->ctx_inv_start)
		sops->ctx_inv_start(ctx, range);
	if (!(sops->walk_start ?: odp_walk_start_blockable)(ctx, range))
		return 0;
	odp_sync_point(ODP_SP_INV_START_RETURN, ctx, range->start, range->end);
	return 0;
}

/**
 * odp_walk_end() - the per-umem part of an invalidation's end
 * @ctx: the context
 * @range: the range, whether blockable or not
 * @w: the walk, finished by the caller after the context hook
 *
 * For each umem that overlaps @range, under ctx->rwsem held for read: the
 * strategy's per-umem end. Sleeps. Spares the walk when there is nothing
 * to do per umem but the sync points and no handler is installed. The
 * strategies' walk_end hook (strategy.h); seed's for every range.
 */
void odp_walk_end(struct odp_context *ctx, const struct mmu_notifier_range *range,
		  struct odp_walk *w)
{
	const struct odp_strategy_ops *sops = ctx->sops;
	struct odp_umem *umem;

	if (!sops->inv_end && !odp_sync_armed())
		return;
	down_read(&ctx->rwsem);
	odp_walk_init(w, ctx);
	odp_for_each_umem_in_range(ctx, range->start, range->end, umem) {
		u64 s = max_t(u64, range->start, umem->start);
		u64 e = min_t(u64, range->end, umem->end);

		odp_sync_point(ODP_SP_INV_END_BEFORE, umem, s, e);
		if (sops->inv_end)
			sops->inv_end(umem);
		odp_walk_point(w, ODP_SP_INV_END_DONE, umem, s, e);
	}
	up_read(&ctx->rwsem);
}

/*
 * The default walk_end: blockable ranges only. A range that is not
 * blockable had no per-umem work at its start, and its end must not
 * sleep either: only the context hook.
 */
static void odp_walk_end_blockable(struct odp_context *ctx,
				   const struct mmu_notifier_range *range, struct odp_walk *w)
{
	if (!mmu_notifier_range_blockable(range))
		return;
	odp_walk_end(ctx, range, w);
}

static void odp_notifier_invalidate_range_end(struct mmu_notifier *mn,
					      const struct mmu_notifier_range *range)
{
	struct odp_context *ctx = container_of(mn, struct odp_context, mn);
	const struct odp_strategy_ops *sops = ctx->sops;
	struct odp_walk w = {};

	if (mmu_notifier_range_blockable(range))
		odp_sync_point(ODP_SP_INV_END_ENTER, ctx, range->start, range->end);
	(sops->walk_end ?: odp_walk_end_blockable)(ctx, range, &w);
	if (sops->ctx_inv_end)
		sops->ctx_inv_end(ctx, range);
	odp_walk_finish(&w, ODP_SP_INV_END_DONE);
}

const struct mmu_notifier_ops odp_notifier_ops = {
	.release = odp_notifier_release,
	.invalidate_range_start = odp_notifier_invalidate_range_start,
	.invalidate_range_end = odp_notifier_invalidate_range_end,
};
