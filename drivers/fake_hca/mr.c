// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: memory regions. An MR is a range registered with its user
 * context's backend (an ODP umem of the core, or IB core's ib_umem_odp),
 * a translation table with one entry per page, and a key (used as both
 * lkey and rkey) in its device's xarray. Registration pins and maps
 * nothing: entries appear on device page faults and prefetch.
 */
#include <linux/export.h>
#include <linux/align.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "fake_hca_priv.h"

/**
 * fake_hca_reg_mr() - register an ODP memory region
 * @uctx: the user context; [@addr, @addr + @len) is in its process
 * @addr: first byte, also the MR's iova
 * @len: length in bytes, not zero
 * @access: FAKE_HCA_ACCESS_* the device may use
 *
 * Return: the MR, or an ERR_PTR(): -EINVAL for a bad range or access,
 * -EBUSY when the device holds its most MRs (fake_hca_dev_set_max_mrs()),
 * -ENOMEM, or the backend's error.
 */
struct fake_hca_mr *fake_hca_reg_mr(struct fake_hca_uctx *uctx, u64 addr,
				    u64 len, unsigned int access)
{
	struct fake_hca_dev *dev = uctx->dev;
	struct fake_hca_mr *mr;
	u64 end;
	int ret;

	if (!len || check_add_overflow(addr, len, &end) ||
	    end > ALIGN_DOWN(U64_MAX, PAGE_SIZE) ||
	    !access || (access & ~FAKE_HCA_ACCESS_ALL))
		return ERR_PTR(-EINVAL);

	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	if (!mr)
		return ERR_PTR(-ENOMEM);
	fake_hca_live_get(FAKE_HCA_LIVE_MR);
	mr->dev = dev;
	mr->uctx = uctx;
	mr->iova = addr;
	mr->length = len;
	mr->access = access;
	mr->start = ALIGN_DOWN(addr, PAGE_SIZE);
	mr->npages = (ALIGN(end, PAGE_SIZE) - mr->start) >> PAGE_SHIFT;
	refcount_set(&mr->users, 1);
	init_completion(&mr->idle);

	mr->table = fake_hca_table_alloc(mr->npages);
	if (!mr->table) {
		ret = -ENOMEM;
		goto err_free;
	}

	ret = uctx->be->reg(mr);
	if (ret)
		goto err_table;

	mutex_lock(&dev->lock);
	ret = xa_alloc_cyclic(&dev->mrs, &mr->key, mr, XA_LIMIT(1, dev->max_mrs),
			      &dev->next_key, GFP_KERNEL);
	if (ret >= 0)
		list_add_tail(&mr->uctx_node, &uctx->mrs);
	mutex_unlock(&dev->lock);
	if (ret < 0)
		goto err_umem;
	return mr;

err_umem:
	uctx->be->dereg(mr);
err_table:
	fake_hca_table_free(mr->table);
err_free:
	kfree(mr);
	fake_hca_live_put(FAKE_HCA_LIVE_MR);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(fake_hca_reg_mr);

/**
 * fake_hca_dereg_mr() - deregister an ODP memory region
 * @mr: the MR
 *
 * The key stops resolving at once; accesses already in flight end (a
 * fault they still need completes with %FAKE_HCA_WC_MR_DYING_ERR) before
 * the umem and the table are released.
 */
void fake_hca_dereg_mr(struct fake_hca_mr *mr)
{
	struct fake_hca_dev *dev = mr->dev;

	mutex_lock(&dev->lock);
	xa_erase(&dev->mrs, mr->key);
	list_del(&mr->uctx_node);
	mutex_unlock(&dev->lock);

	WRITE_ONCE(mr->dying, true);
	fake_hca_mr_put(mr);
	if (!try_wait_for_completion(&mr->idle)) {
		wait_for_completion(&mr->idle);
		odp_sync_point(FAKE_HCA_SP_DEREG_WOKEN, fake_hca_mr_sync_obj(mr),
			       fake_hca_mr_start(mr), fake_hca_mr_end(mr));
	}

	mr->uctx->be->dereg(mr);
	fake_hca_table_free(mr->table);
	kfree(mr);
	fake_hca_live_put(FAKE_HCA_LIVE_MR);
}
EXPORT_SYMBOL_GPL(fake_hca_dereg_mr);

/* Look up a key and hold the MR for one access. */
struct fake_hca_mr *fake_hca_mr_get(struct fake_hca_dev *dev, u32 key)
{
	struct fake_hca_mr *mr;

	xa_lock(&dev->mrs);
	mr = xa_load(&dev->mrs, key);
	if (mr && !refcount_inc_not_zero(&mr->users))
		mr = NULL;
	xa_unlock(&dev->mrs);
	return mr;
}

void fake_hca_mr_put(struct fake_hca_mr *mr)
{
	if (refcount_dec_and_test(&mr->users))
		complete(&mr->idle);
}

/**
 * fake_hca_mr_lkey() - the MR's local key
 * @mr: the MR
 *
 * Return: the key the DMA engine takes for local accesses.
 */
u32 fake_hca_mr_lkey(struct fake_hca_mr *mr)
{
	return mr->key;
}
EXPORT_SYMBOL_GPL(fake_hca_mr_lkey);

/**
 * fake_hca_mr_rkey() - the MR's remote key
 * @mr: the MR
 *
 * Return: the key the DMA engine takes for remote accesses (the lkey).
 */
u32 fake_hca_mr_rkey(struct fake_hca_mr *mr)
{
	return mr->key;
}
EXPORT_SYMBOL_GPL(fake_hca_mr_rkey);

/**
 * fake_hca_mr_sync_obj() - the object an MR's sync points name
 * @mr: the MR
 *
 * Return: the @obj that the sync points of @mr's faults and invalidations
 * pass to a handler: the core's umem, or IB core's ib_umem_odp upstream.
 */
const void *fake_hca_mr_sync_obj(struct fake_hca_mr *mr)
{
	return mr->umem ? (const void *)mr->umem : (const void *)mr->iodp;
}
EXPORT_SYMBOL_GPL(fake_hca_mr_sync_obj);

/**
 * fake_hca_mr_counters() - read an MR's counters
 * @mr: the MR
 * @out: where to store them
 */
void fake_hca_mr_counters(struct fake_hca_mr *mr,
			  struct fake_hca_counters *out)
{
	fake_hca_cnt_read(&mr->cnt, out);
}
EXPORT_SYMBOL_GPL(fake_hca_mr_counters);

/**
 * fake_hca_mr_entry() - read the translation entry of one page
 * @mr: the MR
 * @iova: any address in the page; outside the MR's table reads invalid
 *
 * Return: the entry, read under the umem's mutex.
 */
struct fake_hca_tentry fake_hca_mr_entry(struct fake_hca_mr *mr, u64 iova)
{
	struct fake_hca_tentry e = {};
	unsigned long te;

	if (iova < mr->start || fake_hca_te_index(mr, iova) >= mr->npages)
		return e;
	fake_hca_mr_lock(mr);
	te = mr->table[fake_hca_te_index(mr, iova)];
	fake_hca_mr_unlock(mr);
	e.page = fake_hca_te_page(te);
	e.access = te & FAKE_HCA_TE_ACCESS_MASK;
	return e;
}
EXPORT_SYMBOL_GPL(fake_hca_mr_entry);

/**
 * fake_hca_mr_valid_entries() - count an MR's valid translation entries
 * @mr: the MR
 *
 * Return: the number of pages the device can reach without a fault.
 */
unsigned long fake_hca_mr_valid_entries(struct fake_hca_mr *mr)
{
	unsigned long i, n = 0;

	fake_hca_mr_lock(mr);
	for (i = 0; i < mr->npages; i++)
		n += !!mr->table[i];
	fake_hca_mr_unlock(mr);
	return n;
}
EXPORT_SYMBOL_GPL(fake_hca_mr_valid_entries);

/**
 * fake_hca_mr_start() - first byte of an MR's translation table
 * @mr: the MR
 *
 * Return: the page-aligned start of the range the MR's table covers.
 */
u64 fake_hca_mr_start(struct fake_hca_mr *mr)
{
	return mr->start;
}
EXPORT_SYMBOL_GPL(fake_hca_mr_start);

/**
 * fake_hca_mr_end() - end of an MR's translation table
 * @mr: the MR
 *
 * Return: the first byte after the page-aligned range the table covers.
 */
u64 fake_hca_mr_end(struct fake_hca_mr *mr)
{
	return mr->start + ((u64)mr->npages << PAGE_SHIFT);
}
EXPORT_SYMBOL_GPL(fake_hca_mr_end);

/**
 * fake_hca_mr_fault_once() - one resolution of a device page fault
 * @mr: the MR, not being deregistered
 * @addr: first byte, inside the MR's table
 * @len: bytes, not zero, inside the MR's table
 * @access: FAKE_HCA_ACCESS_* the fault needs
 *
 * What the device's fault path does once, without its retries: on the
 * core, sample, look up and commit; upstream, map_dma_and_lock (which
 * retries collisions itself) and the table's update under umem_mutex.
 *
 * Return: pages mapped, or a negative errno (-EAGAIN: the core saw a
 * racing invalidation; never upstream).
 */
int fake_hca_mr_fault_once(struct fake_hca_mr *mr, u64 addr, u64 len,
			   unsigned int access)
{
	return mr->uctx->be->fault_once(mr, addr, len, access);
}
EXPORT_SYMBOL_GPL(fake_hca_mr_fault_once);

/**
 * fake_hca_mr_lock() - take the mutex that the MR's table writers hold
 * @mr: the MR
 *
 * The umem's mutex of the core, umem_mutex upstream: an invalidation or
 * a fault commit of @mr waits while it is held, as for the DMA engine.
 */
void fake_hca_mr_lock(struct fake_hca_mr *mr)
{
	mr->uctx->be->lock(mr);
}
EXPORT_SYMBOL_GPL(fake_hca_mr_lock);

/**
 * fake_hca_mr_trylock() - fake_hca_mr_lock(), unless another thread holds it
 * @mr: the MR
 *
 * Return: true if the mutex was taken.
 */
bool fake_hca_mr_trylock(struct fake_hca_mr *mr)
{
	return mr->uctx->be->trylock(mr);
}
EXPORT_SYMBOL_GPL(fake_hca_mr_trylock);

/**
 * fake_hca_mr_unlock() - release what fake_hca_mr_lock() took
 * @mr: the MR
 */
void fake_hca_mr_unlock(struct fake_hca_mr *mr)
{
	mr->uctx->be->unlock(mr);
}
EXPORT_SYMBOL_GPL(fake_hca_mr_unlock);

/**
 * fake_hca_mr_held_page() - the page the backend holds for an address
 * @mr: the MR, locked with fake_hca_mr_lock()
 * @iova: an address inside the MR's table
 *
 * Return: the page the core's umem, or IB core's DMA list, holds for
 * @iova; NULL when it holds none.
 */
struct page *fake_hca_mr_held_page(struct fake_hca_mr *mr, u64 iova)
{
	return mr->uctx->be->held_page(mr, iova);
}
EXPORT_SYMBOL_GPL(fake_hca_mr_held_page);

/**
 * fake_hca_mr_backend_dying() - does the backend refuse faults on the MR?
 * @mr: the MR
 *
 * Return: true once the core's umem is dying, or upstream once the MR was
 * revoked by its deregistration.
 */
bool fake_hca_mr_backend_dying(struct fake_hca_mr *mr)
{
	return mr->uctx->be->dying(mr);
}
EXPORT_SYMBOL_GPL(fake_hca_mr_backend_dying);

/**
 * fake_hca_mr_ib_umem() - IB core's umem under an MR of the upstream backend
 * @mr: the MR
 *
 * Return: the ib_umem_odp, or NULL on a core backend.
 */
struct ib_umem_odp *fake_hca_mr_ib_umem(struct fake_hca_mr *mr)
{
	return mr->iodp;
}
EXPORT_SYMBOL_GPL(fake_hca_mr_ib_umem);
