// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core, strategy "ctx_counter": Shachar's per-context counter.
 *
 * Besides the v1 per-umem count and sequence, the context counts the
 * invalidations running anywhere in the mm (bumped before the tree walk
 * of a start, dropped after the walk of an end) and keeps a context
 * sequence bumped by every end. A umem inserted while that count is not
 * zero may have missed a start, so it is put in "context mode": its
 * faults check the context's count and sequence, and the invalidations
 * leave its own counters alone. When the context count falls to zero no
 * invalidation is running anywhere, and the umems in context mode switch
 * to their own counters, which are then exact.
 *
 * Guarantees: no missed start, no end without start. Flaw: a new umem
 * cannot fault while any invalidation runs anywhere in the process, even
 * far away from it; under a steady stream of invalidations it may starve.
 *
 * The fault's sequence carries the mode in its low bit, so that a fault
 * sampled in context mode and committed after the switch just retries.
 */
#include "strategy.h"

static void odp_cc_ctx_inv_start(struct odp_context *ctx, const struct mmu_notifier_range *range)
{
	spin_lock(&ctx->lock);
	ctx->cc.count++;
	spin_unlock(&ctx->lock);
}

static void odp_cc_ctx_inv_end(struct odp_context *ctx, const struct mmu_notifier_range *range)
{
	struct odp_umem *umem, *tmp;

	spin_lock(&ctx->lock);
	ctx->cc.seq++;
	/* an end that started before the notifier was registered: ignore */
	if (ctx->cc.count && !--ctx->cc.count) {
		list_for_each_entry_safe(umem, tmp, &ctx->cc.ctx_mode, cc.node) {
			umem->cc.ctx_mode = false;
			list_del_init(&umem->cc.node);
		}
	}
	spin_unlock(&ctx->lock);
}

/*
 * A umem's mode cannot change while an invalidation is in flight (the
 * context count is not zero then), so start and end agree on it.
 */
static bool odp_cc_ctx_mode(struct odp_umem *umem)
{
	bool mode;

	spin_lock(&umem->ctx->lock);
	mode = umem->cc.ctx_mode;
	spin_unlock(&umem->ctx->lock);
	return mode;
}

static void odp_cc_inv_start(struct odp_umem *umem)
{
	if (!odp_cc_ctx_mode(umem))
		odp_seed_start_account(umem);
}

static void odp_cc_inv_end(struct odp_umem *umem)
{
	if (!odp_cc_ctx_mode(umem))
		odp_seed_end_account(umem);
}

static void odp_cc_insert_umem(struct odp_umem *umem)
{
	struct odp_context *ctx = umem->ctx;

	spin_lock(&ctx->lock);
	if (ctx->cc.count) {
		umem->cc.ctx_mode = true;
		list_add(&umem->cc.node, &ctx->cc.ctx_mode);
	}
	spin_unlock(&ctx->lock);
}

static void odp_cc_remove_umem(struct odp_umem *umem)
{
	struct odp_context *ctx = umem->ctx;

	spin_lock(&ctx->lock);
	umem->cc.ctx_mode = false;
	list_del_init(&umem->cc.node);
	spin_unlock(&ctx->lock);
}

static unsigned long odp_cc_read_begin(struct odp_umem *umem)
{
	struct odp_context *ctx = umem->ctx;
	unsigned long seq;

	spin_lock(&ctx->lock);
	if (umem->cc.ctx_mode) {
		seq = ctx->cc.seq << 1 | 1;
		spin_unlock(&ctx->lock);
		return seq;
	}
	spin_unlock(&ctx->lock);
	seq = READ_ONCE(umem->seed.notifiers_seq);
	/* count before sequence: pairs with the smp_wmb() of the end */
	smp_rmb();
	return seq << 1;
}

static bool odp_cc_read_retry(struct odp_umem *umem, unsigned long seq)
{
	struct odp_context *ctx = umem->ctx;
	bool retry;

	lockdep_assert_held(&umem->umem_mutex);
	spin_lock(&ctx->lock);
	if (umem->cc.ctx_mode) {
		retry = ctx->cc.count || (ctx->cc.seq << 1 | 1) != seq;
		spin_unlock(&ctx->lock);
		return retry;
	}
	spin_unlock(&ctx->lock);
	/* sampled in context mode and switched since: seq is odd, never equal */
	if (READ_ONCE(umem->seed.notifiers_count))
		return true;
	/* count before sequence: pairs with the smp_wmb() of the end */
	smp_rmb();
	return READ_ONCE(umem->seed.notifiers_seq) << 1 != seq;
}

/*
 * A non-blockable range (nonblock.c). A umem in context mode has no
 * entries (it entered that mode empty, at its insertion, and cannot
 * commit while the context count, which this range raised, is not zero),
 * so there is nothing to revoke. Any other umem would need its own count
 * raised, under its mutex, and lowered at the end, under the mutex again,
 * where a trylock may fail and leave the count up for good: instead the
 * range is refused, and the reaper leaves it mapped. It retries later,
 * and the process's exit releases the memory in a blockable context.
 */
static int odp_cc_nb_start(struct odp_context *ctx, const struct mmu_notifier_range *range)
{
	struct odp_umem *umem;
	int ret = 0;

	if (!down_read_trylock(&ctx->rwsem))
		return -EAGAIN;
	odp_for_each_umem_in_range(ctx, range->start, range->end, umem) {
		if (!odp_cc_ctx_mode(umem)) {
			ret = -EAGAIN;
			break;
		}
	}
	up_read(&ctx->rwsem);
	return ret;
}

static void odp_cc_ctx_init(struct odp_context *ctx)
{
	INIT_LIST_HEAD(&ctx->cc.ctx_mode);
}

static void odp_cc_umem_init(struct odp_umem *umem)
{
	odp_seed_umem_init(umem);
	INIT_LIST_HEAD(&umem->cc.node);
}

static void odp_cc_reset(struct odp_context *ctx)
{
	spin_lock(&ctx->lock);
	ctx->cc.count = 0;
	spin_unlock(&ctx->lock);
}

const struct odp_strategy_ops odp_strategy_ctx_counter = {
	.name = "ctx_counter",
	.ctx_init = odp_cc_ctx_init,
	.umem_init = odp_cc_umem_init,
	.reset = odp_cc_reset,
	.insert_umem = odp_cc_insert_umem,
	.remove_umem = odp_cc_remove_umem,
	.ctx_inv_start = odp_cc_ctx_inv_start,
	.ctx_inv_end = odp_cc_ctx_inv_end,
	.inv_start = odp_cc_inv_start,
	.inv_end = odp_cc_inv_end,
	.nb_start = odp_cc_nb_start,
	.read_begin = odp_cc_read_begin,
	.read_retry = odp_cc_read_retry,
};
