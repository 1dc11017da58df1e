// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core, strategy "interval": one mmu_interval_notifier per umem, the
 * design upstream Linux adopted later.
 *
 * The mm itself tracks the running invalidations: an interval notifier
 * inserted during one starts with that invalidation's sequence, so its
 * first fault waits in mmu_interval_read_begin() until the invalidation
 * ends; the invalidate op bumps the umem's sequence under the umem's
 * mutex (mmu_interval_set_seq) and a fault commits only if
 * mmu_interval_read_retry() says no invalidation ran since its sample.
 * Removing the notifier waits for an invalidation in flight.
 *
 * The context's plain notifier still handles the mm's release, and its
 * invalidate_range_end walk still reaches the end sync points.
 */
#include <linux/hmm.h>
#include <linux/mmu_notifier.h>

#include <odp/sync_point.h>

#include "strategy.h"

static bool odp_interval_invalidate(struct mmu_interval_notifier *imn,
				    const struct mmu_notifier_range *range,
				    unsigned long cur_seq)
{
	struct odp_umem *umem = container_of(imn, struct odp_umem, iv.imn);
	u64 s = max_t(u64, range->start, umem->start);
	u64 e = min_t(u64, range->end, umem->end);

	/*
	 * The OOM reaper's range: an interval notifier may fail it (the
	 * kernel then calls no end, mn_itree_invalidate() in 6.12), so take
	 * the mutex only if it is free, and give way otherwise. Under it the
	 * sequence moves and the entries go, as below, without sleeping.
	 */
	if (!mmu_notifier_range_blockable(range)) {
		if (!mutex_trylock(&umem->umem_mutex)) {
			atomic64_inc(&umem->ctx->nb_refused);
			return false;
		}
		mmu_interval_set_seq(imn, cur_seq);
		odp_umem_invalidate_locked(umem, s, e);
		mutex_unlock(&umem->umem_mutex);
		return true;
	}

	mutex_lock(&umem->umem_mutex);
	mmu_interval_set_seq(imn, cur_seq);
	mutex_unlock(&umem->umem_mutex);
	odp_sync_point(ODP_SP_INV_START_ACCOUNTED, umem, s, e);

	mutex_lock(&umem->umem_mutex);
	if (range->event == MMU_NOTIFY_RELEASE)
		umem->dying = true;
	odp_umem_invalidate_locked(umem, s, e);
	mutex_unlock(&umem->umem_mutex);
	odp_sync_point(ODP_SP_INV_START_DONE, umem, s, e);
	return true;
}

static const struct mmu_interval_notifier_ops odp_interval_ops = {
	.invalidate = odp_interval_invalidate,
};

static int odp_interval_register(struct odp_umem *umem)
{
	int ret;

	ret = mmu_interval_notifier_insert(&umem->iv.imn, umem->ctx->mm, umem->start,
					   umem->end - umem->start, &odp_interval_ops);
	if (!ret)
		umem->iv.inserted = true;
	return ret;
}

static void odp_interval_unregister(struct odp_umem *umem)
{
	if (umem->iv.inserted)
		mmu_interval_notifier_remove(&umem->iv.imn);
	umem->iv.inserted = false;
}

/*
 * The plain notifier's start and end bracket every invalidation of the
 * mm, so a non-zero count means one may be running. Only used to show a
 * script that a fault is about to wait.
 */
static void odp_interval_ctx_inv_start(struct odp_context *ctx,
				       const struct mmu_notifier_range *range)
{
	atomic_inc(&ctx->iv.running);
}

static void odp_interval_ctx_inv_end(struct odp_context *ctx,
				     const struct mmu_notifier_range *range)
{
	atomic_dec_if_positive(&ctx->iv.running);
}

static void odp_interval_reset(struct odp_context *ctx)
{
	atomic_set(&ctx->iv.running, 0);
}

static unsigned long odp_interval_read_begin(struct odp_umem *umem)
{
	/*
	 * An odd sequence is that of an invalidation which marked, or was
	 * running when it inserted, this notifier; if one is still running,
	 * mmu_interval_read_begin() sleeps until it ends.
	 */
	if ((READ_ONCE(umem->iv.imn.invalidate_seq) & 1) &&
	    atomic_read(&umem->ctx->iv.running))
		odp_sync_point(ODP_SP_FAULT_WAIT, umem, umem->start, umem->end);
	return mmu_interval_read_begin(&umem->iv.imn);
}

static bool odp_interval_read_retry(struct odp_umem *umem, unsigned long seq)
{
	lockdep_assert_held(&umem->umem_mutex);
	return mmu_interval_read_retry(&umem->iv.imn, seq);
}

/*
 * The fault's lookup: hmm_range_fault() under the umem's interval
 * notifier, @n pages from @addr, no references held; @scratch holds the
 * pfns (lookup_scratch).
 */
static int odp_interval_lookup(struct odp_umem *umem, u64 addr, unsigned long n, bool write,
			       unsigned long seq, struct page **pages, void *scratch)
{
	unsigned long *pfns = scratch;
	struct mm_struct *mm = umem->ctx->mm;
	struct hmm_range range = {
		.notifier = &umem->iv.imn,
		.notifier_seq = seq,
		.start = addr,
		.end = addr + n * PAGE_SIZE,
		.hmm_pfns = pfns,
		.default_flags = HMM_PFN_REQ_FAULT | (write ? HMM_PFN_REQ_WRITE : 0),
	};
	unsigned long i;
	int ret;

	mmap_read_lock(mm);
	ret = hmm_range_fault(&range);
	mmap_read_unlock(mm);
	if (ret == -EBUSY)
		return -EAGAIN;
	if (ret)
		return ret == -EFAULT || ret == -EPERM ?
			odp_fault_errno(mm, addr, range.end, write) : ret;
	for (i = 0; i < n; i++)
		pages[i] = hmm_pfn_to_page(pfns[i]);
	return 0;
}

/* hmm_range_fault() took no references: nothing to drop after the commit. */
static void odp_interval_lookup_done(struct page **pages, unsigned long n)
{
}

/*
 * The per-umem part of a start is the interval notifier's, which the mm
 * calls before this one: no walk. A range that is not blockable ends its
 * start at once, as for every strategy that knows of such ranges.
 */
static bool odp_interval_walk_start(struct odp_context *ctx,
				    const struct mmu_notifier_range *range)
{
	return mmu_notifier_range_blockable(range);
}

const struct odp_strategy_ops odp_strategy_interval = {
	.name = "interval",
	.walk_start = odp_interval_walk_start,
	.umem_register = odp_interval_register,
	.umem_unregister = odp_interval_unregister,
	.reset = odp_interval_reset,
	.ctx_inv_start = odp_interval_ctx_inv_start,
	.ctx_inv_end = odp_interval_ctx_inv_end,
	.read_begin = odp_interval_read_begin,
	.read_retry = odp_interval_read_retry,
	.lookup = odp_interval_lookup,
	.lookup_scratch = sizeof(unsigned long),
	.lookup_done = odp_interval_lookup_done,
};
