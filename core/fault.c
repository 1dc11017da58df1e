// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: the fault path.
 *
 * Like KVM's mmu_notifier_retry: sample the strategy's sequence, look up
 * the CPU pages without any ODP lock, then commit them under the umem's
 * mutex only if no invalidation of the umem ran since the sample;
 * otherwise return -EAGAIN and let the driver try again. A page already
 * stored that differs from the one the CPU maps now (the thread's
 * "different pages" case) is cleared and the fault retried (seed: as v1
 * did, see strategy_seed_v1.c).
 */
#include <linux/export.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <odp/sync_point.h>

#include "odp_internal.h"
#include "strategy.h"

/* pages looked up and committed per step */
#define ODP_FAULT_CHUNK	(PAGE_SIZE / sizeof(struct page *))

/**
 * odp_umem_read_begin() - start a fault: sample the umem's sequence
 * @umem: the umem
 *
 * Depending on the context's strategy this may wait until no running
 * invalidation covers the umem. Must not be called with mmap_lock or the
 * umem's mutex held.
 *
 * Return: the sequence to pass to odp_umem_map_pages().
 */
unsigned long odp_umem_read_begin(struct odp_umem *umem)
{
	unsigned long seq = umem->ctx->sops->read_begin(umem);

	odp_sync_point(ODP_SP_FAULT_SAMPLED, umem, umem->start, umem->end);
	return seq;
}
EXPORT_SYMBOL_GPL(odp_umem_read_begin);

/*
 * Why a lookup of [@start, @end) failed, from the first vma problem found:
 * -EACCES for a write to memory the CPU maps read-only, -EFAULT for
 * unmapped memory (or anything else).
 */
int odp_fault_errno(struct mm_struct *mm, u64 start, u64 end, bool write)
{
	struct vm_area_struct *vma;
	int ret = -EFAULT;

	mmap_read_lock(mm);
	while (start < end) {
		vma = vma_lookup(mm, start);
		if (!vma)
			break;
		if (write && !(vma->vm_flags & VM_WRITE)) {
			ret = -EACCES;
			break;
		}
		start = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

/*
 * The default lookup (seed, ctx_counter, range_track): GUP, @n pages from
 * @addr, a reference held on each until odp_lookup_gup_done().
 */
static int odp_lookup_gup(struct odp_umem *umem, u64 addr, unsigned long n, bool write,
			  unsigned long seq, struct page **pages, void *scratch)
{
	struct mm_struct *mm = umem->ctx->mm;
	unsigned int flags = write ? FOLL_WRITE : 0;
	unsigned long done = 0, i;
	long got = 0;

	mmap_read_lock(mm);
	while (done < n) {
		got = get_user_pages_remote(mm, addr + done * PAGE_SIZE, n - done, flags,
					    pages + done, NULL);
		if (got <= 0)
			break;
		done += got;
	}
	mmap_read_unlock(mm);
	if (done == n)
		return 0;
	for (i = 0; i < done; i++)
		put_page(pages[i]);
	/* the CPU's fault ran out of memory (VM_FAULT_OOM): say so */
	if (got == -ENOMEM)
		return -ENOMEM;
	return odp_fault_errno(mm, addr + done * PAGE_SIZE, addr + n * PAGE_SIZE, write);
}

/* The default lookup_done: the references GUP took. */
static void odp_lookup_gup_done(struct page **pages, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		put_page(pages[i]);
}

/*
 * Commit @n pages at @addr under the umem's mutex, unless an invalidation
 * ran since @seq. A stored page that differs is removed, under the mutex
 * or, by the strategy's different hook, after it (@fault_start is the
 * fault's first page). Return the number committed or -EAGAIN.
 */
static int odp_commit(struct odp_umem *umem, u64 addr, unsigned long n, unsigned int access,
		      unsigned long seq, struct page **pages, u64 fault_start)
{
	struct odp_context *ctx = umem->ctx;
	unsigned long idx = (addr - umem->start) >> PAGE_SHIFT;
	unsigned long i, stored = 0, diff_idx = ULONG_MAX;
	int ret = 0;

	mutex_lock(&umem->umem_mutex);
	if (umem->dying) {
		ret = -EFAULT;
		goto out;
	}
	if (ctx->sops->read_retry(umem, seq)) {
		ret = -EAGAIN;
		goto out;
	}
	for (i = 0; i < n; i++, idx++) {
		struct page *old = umem->pages[idx];

		if (old && old != pages[i]) {
			u64 a = addr + i * PAGE_SIZE;

			atomic64_inc(&ctx->different_pages);
			if (!ctx->sops->different)
				odp_umem_invalidate_locked(umem, a, a + PAGE_SIZE);
			diff_idx = idx;
			ret = -EAGAIN;
			break;
		}
		if (!old) {
			umem->pages[idx] = pages[i];
			umem->dma[idx] = page_to_phys(pages[i]);
			stored++;
		}
		umem->page_access[idx] |= access;
	}
	if (stored)
		atomic64_add(stored, &ctx->pages_mapped);
	if (i && ctx->ops->map)
		ctx->ops->map(umem, addr, addr + i * PAGE_SIZE, access);
	if (!ret)
		ret = n;
out:
	mutex_unlock(&umem->umem_mutex);
	if (diff_idx != ULONG_MAX && ctx->sops->different)
		ctx->sops->different(umem, fault_start, diff_idx);
	return ret;
}

/**
 * odp_umem_map_pages() - resolve a device fault on a umem
 * @umem: the umem
 * @addr: user address of the fault
 * @len: length in bytes, not 0; the pages of [@addr, @addr + @len) are mapped
 * @access: ODP_ACCESS_READ and/or ODP_ACCESS_WRITE
 * @seq: from odp_umem_read_begin()
 *
 * Looks up the CPU pages (faulting them in as the CPU would), then
 * commits them and calls the driver's ->map() hook under the umem's
 * mutex, unless an invalidation of the umem started since @seq was
 * sampled. Holds no page reference afterwards: the next invalidation
 * clears the entries. Must not be called with mmap_lock or the umem's
 * mutex held.
 *
 * Return: the number of pages mapped, or -EINVAL (@len 0 or bad @access),
 * -ERANGE (the range is not inside the umem), -EPERM (write access on a
 * read-only umem), -EFAULT (unmapped memory, or the umem is dying),
 * -EACCES (write to memory the CPU maps read-only), -EAGAIN (an
 * invalidation raced, or another page was stored at an address: sample
 * again and retry), -ENOMEM.
 */
int odp_umem_map_pages(struct odp_umem *umem, u64 addr, u64 len,
		       unsigned int access, unsigned long seq)
{
	struct odp_context *ctx = umem->ctx;
	const struct odp_strategy_ops *sops = ctx->sops;
	bool write = access & ODP_ACCESS_WRITE;
	void *scratch = NULL;
	struct page **pages;
	int total = 0, ret = 0;
	u64 start, end;

	if (!len || !access || (access & ~ODP_ACCESS_ALL))
		return -EINVAL;
	if (addr < umem->start || addr > umem->end || len > umem->end - addr)
		return -ERANGE;
	if (access & ~umem->access)
		return -EPERM;
	if (READ_ONCE(umem->dying))
		return -EFAULT;
	if (!mmget_not_zero(ctx->mm))
		return -EFAULT;

	pages = kmalloc_array(ODP_FAULT_CHUNK, sizeof(*pages), GFP_KERNEL);
	if (sops->lookup_scratch)
		scratch = kmalloc_array(ODP_FAULT_CHUNK, sops->lookup_scratch, GFP_KERNEL);
	if (!pages || (sops->lookup_scratch && !scratch)) {
		ret = -ENOMEM;
		goto out;
	}

	start = round_down(addr, PAGE_SIZE);
	end = round_up(addr + len, PAGE_SIZE);
	while (start < end) {
		unsigned long n = min_t(u64, (end - start) >> PAGE_SHIFT, ODP_FAULT_CHUNK);

		ret = (sops->lookup ?: odp_lookup_gup)(umem, start, n, write, seq, pages,
						       scratch);
		if (ret) {
			if (ret == -EAGAIN)
				atomic64_inc(&ctx->retries);
			break;
		}
		odp_sync_point(ODP_SP_FAULT_LOOKED_UP, umem, start, start + n * PAGE_SIZE);
		ret = odp_commit(umem, start, n, access, seq, pages, round_down(addr, PAGE_SIZE));
		(sops->lookup_done ?: odp_lookup_gup_done)(pages, n);
		if (ret < 0) {
			if (ret == -EAGAIN)
				atomic64_inc(&ctx->retries);
			break;
		}
		total += ret;
		ret = 0;
		start += n * PAGE_SIZE;
	}
out:
	kfree(scratch);
	kfree(pages);
	mmput(ctx->mm);
	return ret ? ret : total;
}
EXPORT_SYMBOL_GPL(odp_umem_map_pages);
