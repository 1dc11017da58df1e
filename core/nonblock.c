// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: non-blockable invalidations, and the notifier that may refuse
 * them.
 *
 * The OOM reaper invalidates a dying process's anonymous memory with
 * mmu_notifier_invalidate_range_start_nonblock(): the range is not
 * blockable, and every callback runs between non_block_start() and
 * non_block_end(), so a callback that sleeps prints "BUG: scheduling in a
 * non-blocking section". A callback that cannot do its work without
 * sleeping may return -EAGAIN, and the reaper then leaves the range alone
 * and retries later. But mm/mmu_notifier.c (mn_hlist_invalidate_range_start()
 * in 6.12) allows that only of a notifier without invalidate_range_end:
 * it cannot tell a notifier that its start failed, so after any -EAGAIN
 * it calls the end of every notifier on the mm, and it warns
 * (WARN_ON(ops->invalidate_range_end)) if the one that failed has an end.
 *
 * The context's notifier needs its end (counts, ranges, sequences), so it
 * never fails a start. What it cannot do without sleeping is left to a
 * second notifier of the context, the refusal notifier below, which has
 * only a start: for a non-blockable range it asks the strategy to revoke
 * the device's access to the range without sleeping, and returns -EAGAIN
 * (allowed: it has no end) when the strategy cannot. The context's
 * notifier only runs its context hooks, which never sleep, for such a
 * range; they open the strategy's bracket at its start and close it at
 * its end, which mm/mmu_notifier.c calls in both outcomes: by the caller
 * after the zap, or by the kernel itself right after a refused start.
 *
 * Order: the refusal notifier must run after the context's notifier has
 * opened the bracket (range_track records the range first, so that a
 * fault that commits after the revocation sees it). __mmu_notifier_register()
 * adds a notifier at the head of the mm's list and every walk goes from
 * the head, so the refusal notifier is registered first and unregistered
 * last (umem.c).
 *
 * Per strategy:
 *	seed		no refusal notifier: the v1 patch knew nothing of
 *			non-blockable calls and walks as for any range,
 *			sleeping on its locks
 *	ctx_counter	refuses while a umem not in context mode overlaps the
 *			range (see odp_nb_refuse_overlap())
 *	range_track	revokes with trylocks, refuses on contention
 *			(odp_nb_revoke())
 *	interval	no refusal notifier: each umem's interval notifier
 *			may fail on its own (mmu_interval_notifier_ops allows
 *			it), and then the kernel calls no end at all
 */
#include <linux/mmu_notifier.h>

#include "odp_internal.h"
#include "strategy.h"

/**
 * odp_nb_revoke() - revoke the device's access to a non-blockable range
 * @ctx: the context
 * @range: the range, not blockable
 *
 * Clears the entries of every umem overlapping @range, taking the tree
 * lock and each umem's mutex only if they are free. The driver's
 * ->invalidate_range hook runs under the mutex as usual and must not
 * sleep (struct odp_driver_ops). A umem whose mutex is busy ends the walk:
 * the entries cleared so far stay cleared, which is always safe, and the
 * range is refused.
 *
 * Return: 0 when every overlapping umem was revoked, -EAGAIN otherwise.
 */
int odp_nb_revoke(struct odp_context *ctx, const struct mmu_notifier_range *range)
{
	struct odp_umem *umem;
	int ret = 0;

	if (!down_read_trylock(&ctx->rwsem))
		return -EAGAIN;
	odp_for_each_umem_in_range(ctx, range->start, range->end, umem) {
		if (!mutex_trylock(&umem->umem_mutex)) {
			ret = -EAGAIN;
			break;
		}
		odp_umem_invalidate_locked(umem, range->start, range->end);
		mutex_unlock(&umem->umem_mutex);
	}
	up_read(&ctx->rwsem);
	return ret;
}

static int odp_nb_invalidate_range_start(struct mmu_notifier *mn,
					 const struct mmu_notifier_range *range)
{
	struct odp_context *ctx = container_of(mn, struct odp_context, nb_mn);
	int ret;

	if (mmu_notifier_range_blockable(range))
		return 0;
	ret = ctx->sops->nb_start(ctx, range);
	if (ret)
		atomic64_inc(&ctx->nb_refused);
	return ret;
}

/* A start and nothing else: the only kind of notifier that may refuse. */
const struct mmu_notifier_ops odp_nb_notifier_ops = {
	.invalidate_range_start = odp_nb_invalidate_range_start,
};
