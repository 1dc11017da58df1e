// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: clearing a umem's entries.
 *
 * An entry is cleared under the umem's mutex, so two racing invalidations
 * (or an invalidation and a release) release each page exactly once: the
 * second one finds the entry empty. The core holds no reference on a
 * committed page (ODP does not pin), so releasing a page means forgetting
 * it, after marking it dirty when the device may have written it.
 */
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm.h>

#include "odp_internal.h"

/* Clear the entries of [@start, @end) clamped to @umem; umem_mutex held. */
void odp_umem_unmap_locked(struct odp_umem *umem, u64 start, u64 end)
{
	unsigned long idx, last, n = 0;

	lockdep_assert_held(&umem->umem_mutex);
	start = max(start, umem->start);
	end = min(end, umem->end);
	if (start >= end)
		return;
	idx = (round_down(start, PAGE_SIZE) - umem->start) >> PAGE_SHIFT;
	last = (round_up(end, PAGE_SIZE) - umem->start) >> PAGE_SHIFT;
	for (; idx < last; idx++) {
		struct page *page = umem->pages[idx];

		if (!page)
			continue;
		/*
		 * The page is still mapped by the CPU: invalidations reach us
		 * before the mm zaps the page tables, and the mutex keeps
		 * the entry from being released twice.
		 */
		if (umem->access & ODP_ACCESS_WRITE)
			set_page_dirty(page);
		umem->pages[idx] = NULL;
		umem->dma[idx] = 0;
		umem->page_access[idx] = 0;
		n++;
	}
	if (n)
		atomic64_add(n, &umem->ctx->pages_unmapped);
}

/**
 * odp_umem_unmap_pages() - clear the entries of a range of a umem
 * @umem: the umem
 * @start: start of the range (rounded down to a page)
 * @end: end of the range, exclusive (rounded up to a page)
 *
 * The range is clamped to the umem. Each committed page is forgotten
 * once, marked dirty if the umem is writable. Does not call the driver's
 * hook. Takes the umem's mutex: must not be called with it held (a driver
 * hook needs not call it: the core clears the entries it invalidates).
 */
void odp_umem_unmap_pages(struct odp_umem *umem, u64 start, u64 end)
{
	mutex_lock(&umem->umem_mutex);
	odp_umem_unmap_locked(umem, start, end);
	mutex_unlock(&umem->umem_mutex);
}
EXPORT_SYMBOL_GPL(odp_umem_unmap_pages);
