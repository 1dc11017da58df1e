// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core, strategy "range_track": Jerome's active invalidation ranges.
 *
 * The context keeps the list of the invalidations running in its mm,
 * whether or not a umem overlaps them yet: each start adds its range
 * (before the tree walk) and bumps the context's sequence, each end
 * removes it (after the walk), matched by the mmu_notifier_range pointer;
 * an end whose start was not seen is ignored. A fault waits, before
 * sampling, until no active range overlaps its umem; it commits only if
 * still none does and the sequence did not move. A umem registered in
 * the middle of an invalidation is covered, since the range was recorded
 * at the start regardless of the tree.
 *
 * Guarantees: no missed start, faults never commit under a running
 * invalidation of their range. Cost: a sequence shared by the whole
 * context, so an invalidation anywhere makes a racing fault retry once.
 */
#include <linux/slab.h>
#include <linux/wait.h>

#include <odp/sync_point.h>

#include "strategy.h"

struct odp_rt_range {
	struct list_head node;
	const struct mmu_notifier_range *range;
	u64 start;
	u64 end;
};

/* An active range overlaps [@start, @end); ctx->lock held. */
static bool odp_rt_busy(struct odp_context *ctx, u64 start, u64 end)
{
	struct odp_rt_range *r;

	lockdep_assert_held(&ctx->lock);
	if (ctx->rt.untracked)
		return true;
	list_for_each_entry(r, &ctx->rt.ranges, node)
		if (r->start < end && start < r->end)
			return true;
	return false;
}

static void odp_rt_ctx_inv_start(struct odp_context *ctx, const struct mmu_notifier_range *range)
{
	/* No reclaim here: reclaim may be what runs this invalidation. */
	struct odp_rt_range *r = kmalloc(sizeof(*r), GFP_NOWAIT | __GFP_NOWARN);

	if (r)
		odp_live_get(ODP_LIVE_RANGE);
	spin_lock(&ctx->lock);
	ctx->rt.seq++;
	if (r) {
		r->range = range;
		r->start = range->start;
		r->end = range->end;
		list_add(&r->node, &ctx->rt.ranges);
	} else {
		/* Untracked: treated as covering everything until an end is not matched. */
		ctx->rt.untracked++;
	}
	spin_unlock(&ctx->lock);
}

static void odp_rt_ctx_inv_end(struct odp_context *ctx, const struct mmu_notifier_range *range)
{
	struct odp_rt_range *r, *found = NULL;

	spin_lock(&ctx->lock);
	list_for_each_entry(r, &ctx->rt.ranges, node) {
		if (r->range == range) {
			found = r;
			list_del(&r->node);
			break;
		}
	}
	if (!found && ctx->rt.untracked)
		ctx->rt.untracked--;
	spin_unlock(&ctx->lock);
	if (found)
		odp_live_put(ODP_LIVE_RANGE);
	kfree(found);
	wake_up_all(&ctx->rt.wq);
}

static bool odp_rt_idle(struct odp_umem *umem, unsigned long *seq)
{
	struct odp_context *ctx = umem->ctx;
	bool idle;

	spin_lock(&ctx->lock);
	idle = !odp_rt_busy(ctx, umem->start, umem->end);
	*seq = ctx->rt.seq;
	spin_unlock(&ctx->lock);
	return idle;
}

static unsigned long odp_rt_read_begin(struct odp_umem *umem)
{
	unsigned long seq;

	if (odp_rt_idle(umem, &seq))
		return seq;
	odp_sync_point(ODP_SP_FAULT_WAIT, umem, umem->start, umem->end);
	wait_event(umem->ctx->rt.wq, odp_rt_idle(umem, &seq));
	return seq;
}

static bool odp_rt_read_retry(struct odp_umem *umem, unsigned long seq)
{
	struct odp_context *ctx = umem->ctx;
	bool retry;

	lockdep_assert_held(&umem->umem_mutex);
	spin_lock(&ctx->lock);
	retry = odp_rt_busy(ctx, umem->start, umem->end) || ctx->rt.seq != seq;
	spin_unlock(&ctx->lock);
	return retry;
}

static void odp_rt_ctx_init(struct odp_context *ctx)
{
	INIT_LIST_HEAD(&ctx->rt.ranges);
	init_waitqueue_head(&ctx->rt.wq);
}

static void odp_rt_reset(struct odp_context *ctx)
{
	struct odp_rt_range *r, *tmp;
	LIST_HEAD(gone);

	spin_lock(&ctx->lock);
	list_splice_init(&ctx->rt.ranges, &gone);
	ctx->rt.untracked = 0;
	spin_unlock(&ctx->lock);
	list_for_each_entry_safe(r, tmp, &gone, node) {
		kfree(r);
		odp_live_put(ODP_LIVE_RANGE);
	}
	/*
	 * Defence, unreachable today: the reset runs when the context's
	 * last umem is released (odp_context_put_user()), and only a fault
	 * of one of the context's umems waits on rt.wq. That fault holds its
	 * umem, which odp_umem_release() forbids releasing under it (the
	 * driver ends every access to a umem before it releases it), so the
	 * context has a user and no reset runs while anyone waits here. The
	 * mutant that drops this wake-up lives for that reason (mutants.json).
	 */
	wake_up_all(&ctx->rt.wq);
}

/*
 * A non-blockable range (nonblock.c): ctx_inv_start recorded it without
 * sleeping, so a fault that commits from now on retries, and one that
 * samples waits; the entries already committed are cleared with trylocks
 * (odp_nb_revoke()). When a lock is busy the range is refused: the record
 * goes at the end that the kernel calls right away.
 */
const struct odp_strategy_ops odp_strategy_range_track = {
	.name = "range_track",
	.ctx_init = odp_rt_ctx_init,
	.reset = odp_rt_reset,
	.ctx_inv_start = odp_rt_ctx_inv_start,
	.ctx_inv_end = odp_rt_ctx_inv_end,
	.nb_start = odp_nb_revoke,
	.read_begin = odp_rt_read_begin,
	.read_retry = odp_rt_read_retry,
};
