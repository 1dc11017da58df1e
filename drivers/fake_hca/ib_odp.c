// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: the upstream backend, the driver half of the kernel's IB
 * on-demand paging. An MR is an ib_umem_odp of IB core
 * (drivers/infiniband/core/umem_odp.c) with this file's
 * mmu_interval_notifier ops, written the way an upstream ODP driver
 * writes them (mlx5/odp.c: mlx5_ib_invalidate_range() and
 * pagefault_real_mr()):
 *
 *  - a device page fault calls ib_umem_odp_map_dma_and_lock(), which
 *    samples the notifier's sequence, faults the pages with
 *    hmm_range_fault(), takes umem_mutex, retries while an invalidation
 *    collided, DMA-maps the pages and returns with umem_mutex held; the
 *    driver writes its translation table from the DMA addresses, then
 *    drops umem_mutex;
 *  - an invalidation takes umem_mutex, sets the notifier's sequence
 *    (mmu_interval_set_seq(), so that a fault that sampled before fails
 *    its read_retry), clears the table (the device stops first) and then
 *    has IB core unmap the pages, which marks the written ones dirty;
 *  - a non-blockable invalidation (the OOM reaper's) is refused: taking
 *    umem_mutex may sleep, which mm/mmu_notifier.c forbids when
 *    mmu_notifier_range_blockable() is false (the reaper then skips the
 *    mm and tries again later);
 *  - deregistration revokes the MR on the device under umem_mutex, so no
 *    invalidation still running can write a table that is going away
 *    (mlx5's fix for CVE-2025-21732), then ib_umem_odp_release().
 *
 * The driver's stops are the core's sync points with the same meaning
 * (see enum odp_sync_point) and one of its own: ENTER, ACCOUNTED (the
 * sequence set, umem_mutex held) and DONE (table cleared, umem_mutex
 * dropped) of an invalidation, per umem; before and after
 * ib_umem_odp_get(); before ib_umem_odp_release(); and
 * FAKE_HCA_SP_FAULT_LOCKED, where map_dma_and_lock returned with
 * umem_mutex held and the table is not written yet.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <rdma/ib_umem_odp.h>

#include "fake_hca_priv.h"

static bool fake_hca_ib_invalidate(struct mmu_interval_notifier *mni,
				   const struct mmu_notifier_range *range,
				   unsigned long cur_seq)
{
	struct ib_umem_odp *odp = container_of(mni, struct ib_umem_odp,
					       notifier);
	u64 start = max_t(u64, ib_umem_start(odp), range->start);
	u64 end = min_t(u64, ib_umem_end(odp), range->end);
	struct fake_hca_mr *mr;
	bool live;

	/*
	 * mmu_interval_notifier_ops: "If the notifier cannot block then
	 * returning false fails the invalidation", and a callback of a
	 * non-blockable range must not sleep (6.12 mm/mmu_notifier.c,
	 * mn_itree_invalidate()); umem_mutex may sleep.
	 */
	if (!mmu_notifier_range_blockable(range))
		return false;

	odp_sync_point(ODP_SP_INV_START_ENTER, odp, start, end);
	mutex_lock(&odp->umem_mutex);
	mmu_interval_set_seq(mni, cur_seq);
	/*
	 * Nothing to clear before the first page is mapped, nor once the
	 * deregistration revoked the MR: it did so under umem_mutex, which
	 * keeps this decision true until the table is cleared.
	 */
	mr = odp->private;
	live = odp->npages && mr && !mr->revoked;
	odp_sync_point(ODP_SP_INV_START_ACCOUNTED, odp, start, end);
	if (live)
		fake_hca_table_clear(mr, start, end);
	ib_umem_odp_unmap_dma_pages(odp, start, end);
	mutex_unlock(&odp->umem_mutex);
	odp_sync_point(ODP_SP_INV_START_DONE, odp, start, end);
	return true;
}

static const struct mmu_interval_notifier_ops fake_hca_ib_mni_ops = {
	.invalidate = fake_hca_ib_invalidate,
};

static int fake_hca_ib_access(unsigned int access)
{
	int ib = IB_ACCESS_ON_DEMAND;

	if (access & FAKE_HCA_ACCESS_READ)
		ib |= IB_ACCESS_REMOTE_READ;
	if (access & FAKE_HCA_ACCESS_WRITE)
		ib |= IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE;
	return ib;
}

static int fake_hca_ib_reg(struct fake_hca_mr *mr)
{
	u64 end = mr->iova + mr->length;
	struct ib_umem_odp *odp;

	struct mm_struct *mm = mr->uctx->mm;

	/* ib_umem_odp_get() takes current->mm: only the context's process. */
	if (current->mm != mm)
		return -EINVAL;
	/*
	 * A process that exited registers nothing (uverbs has no file left
	 * to call it through); ib_umem_odp_get() does not check, and
	 * mmu_interval_notifier_insert() needs a live mm to register the
	 * interval tree (__mmu_notifier_register()).
	 */
	if (!mmget_not_zero(mm))
		return -EFAULT;
	odp_sync_point(ODP_SP_REG_BEFORE_INSERT, mr, mr->iova, end);
	odp = ib_umem_odp_get(mr->dev->ibdev, mr->iova, mr->length,
			      fake_hca_ib_access(mr->access),
			      &fake_hca_ib_mni_ops);
	mmput(mm);
	if (IS_ERR(odp))
		return PTR_ERR(odp);
	/* invalidations from reclaim take it: no allocation under it */
	odp_reclaim_prime_mutex(&odp->umem_mutex);
	mutex_lock(&odp->umem_mutex);
	odp->private = mr;
	mutex_unlock(&odp->umem_mutex);
	mr->iodp = odp;
	odp_sync_point(ODP_SP_REG_AFTER_INSERT, mr, mr->iova, end);
	return 0;
}

static void fake_hca_ib_dereg(struct fake_hca_mr *mr)
{
	struct ib_umem_odp *odp = mr->iodp;

	/*
	 * Revoke: the device forgets every translation of the MR, and from
	 * here on no invalidation updates its table. Under umem_mutex, as
	 * an invalidation's update is: without it, an invalidation that
	 * decided to clear would update a revoked MR (mlx5's
	 * CVE-2025-21732, fixed by taking umem_mutex in mlx5_revoke_mr()).
	 */
	mutex_lock(&odp->umem_mutex);
	fake_hca_table_clear(mr, mr->start, fake_hca_mr_end(mr));
	WRITE_ONCE(mr->revoked, true);
	mutex_unlock(&odp->umem_mutex);
	odp_sync_point(ODP_SP_RELEASE_BEFORE_UNREGISTER, mr, mr->iova,
		       mr->iova + mr->length);
	ib_umem_odp_release(odp);
	mr->iodp = NULL;
}

static int fake_hca_ib_fault_once(struct fake_hca_mr *mr, u64 addr,
				  u64 len, unsigned int access)
{
	struct ib_umem_odp *odp = mr->iodp;
	u64 mask = 0, va, start = ALIGN_DOWN(addr, PAGE_SIZE);
	dma_addr_t dma;
	int np, i;

	if (access & FAKE_HCA_ACCESS_READ)
		mask |= ODP_READ_ALLOWED_BIT;
	if (access & FAKE_HCA_ACCESS_WRITE)
		mask |= ODP_WRITE_ALLOWED_BIT;
	np = ib_umem_odp_map_dma_and_lock(odp, addr, len, mask, true);
	if (np < 0)
		return np;
	odp_sync_point(FAKE_HCA_SP_FAULT_LOCKED, odp, addr, addr + len);
	if (mr->revoked) {
		mutex_unlock(&odp->umem_mutex);
		return -ENOENT;
	}
	for (i = 0; i < np; i++) {
		va = start + ((u64)i << PAGE_SHIFT);
		dma = odp->dma_list[(va - ib_umem_start(odp)) >> PAGE_SHIFT];
		/* Virtual DMA: the address is the page's kernel address. */
		fake_hca_table_set(mr, va,
				   virt_to_page((void *)(uintptr_t)
						(dma & ODP_DMA_ADDR_MASK)),
				   dma & (ODP_READ_ALLOWED_BIT |
					  ODP_WRITE_ALLOWED_BIT));
	}
	fake_hca_count(mr, pages_mapped, np);
	mutex_unlock(&odp->umem_mutex);
	return np;
}

static void fake_hca_ib_lock(struct fake_hca_mr *mr)
{
	mutex_lock(&mr->iodp->umem_mutex);
}

static bool fake_hca_ib_trylock(struct fake_hca_mr *mr)
{
	return mutex_trylock(&mr->iodp->umem_mutex);
}

static void fake_hca_ib_unlock(struct fake_hca_mr *mr)
{
	mutex_unlock(&mr->iodp->umem_mutex);
}

/* What IB core holds for @va: the page behind its DMA address. */
static struct page *fake_hca_ib_held_page(struct fake_hca_mr *mr, u64 va)
{
	struct ib_umem_odp *odp = mr->iodp;
	dma_addr_t dma;

	if (va < ib_umem_start(odp) || va >= ib_umem_end(odp))
		return NULL;
	dma = odp->dma_list[(va - ib_umem_start(odp)) >> PAGE_SHIFT];
	if (!(dma & (ODP_READ_ALLOWED_BIT | ODP_WRITE_ALLOWED_BIT)))
		return NULL;
	return virt_to_page((void *)(uintptr_t)(dma & ODP_DMA_ADDR_MASK));
}

static bool fake_hca_ib_dying(struct fake_hca_mr *mr)
{
	return READ_ONCE(mr->revoked);
}

const struct fake_hca_backend fake_hca_ib_backend = {
	.reg = fake_hca_ib_reg,
	.dereg = fake_hca_ib_dereg,
	.fault_once = fake_hca_ib_fault_once,
	.lock = fake_hca_ib_lock,
	.trylock = fake_hca_ib_trylock,
	.unlock = fake_hca_ib_unlock,
	.held_page = fake_hca_ib_held_page,
	.dying = fake_hca_ib_dying,
};
