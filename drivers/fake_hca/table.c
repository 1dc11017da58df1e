// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: the translation table and the two ODP hooks that own it.
 *
 * An MR's table is a flat array with one word per page of its umem: the
 * struct page pointer, with the access bits the entry grants in its low
 * bits (struct page is at least word aligned), or 0. On the core backend
 * the ->map hook writes entries and the ->invalidate_range hook clears
 * them (a device TLB flush), both called by the core with the umem's
 * mutex held; on the upstream backend the driver half (ib_odp.c) does the
 * same under umem_mutex. The DMA engine holds the same mutex while it uses
 * an entry, so an entry cleared by an invalidation is never used once the
 * clearing has returned.
 */
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "fake_hca_priv.h"

static_assert(__alignof__(struct page) > FAKE_HCA_TE_ACCESS_MASK);

unsigned long *fake_hca_table_alloc(unsigned long npages)
{
	return kvcalloc(npages, sizeof(unsigned long), GFP_KERNEL);
}

void fake_hca_table_free(unsigned long *table)
{
	kvfree(table);
}

/**
 * fake_hca_table_bytes_per_page() - size of the translation table
 *
 * Return: bytes of table per page of an MR, mapped or not.
 */
size_t fake_hca_table_bytes_per_page(void)
{
	return sizeof(unsigned long);
}
EXPORT_SYMBOL_GPL(fake_hca_table_bytes_per_page);

/* Clamp [*start, *end) to the MR's table; false if nothing is left. */
bool fake_hca_table_clamp(struct fake_hca_mr *mr, u64 *start, u64 *end)
{
	*start = max(*start, mr->start);
	*end = min(*end, mr->start + ((u64)mr->npages << PAGE_SHIFT));
	return *start < *end;
}

/*
 * Clear the entries of [@start, @end), a device TLB flush: the caller
 * holds the umem's mutex. Entries outside the table are ignored. The
 * device refuses a translation update of a revoked MR (upstream's
 * deregistration revokes it first), as a real HCA fails the command.
 */
void fake_hca_table_clear(struct fake_hca_mr *mr, u64 start, u64 end)
{
	unsigned long i, last, cleared = 0;

	if (WARN_ONCE(READ_ONCE(mr->revoked),
		      "fake_hca: translation update of a revoked MR\n"))
		return;
	if (!fake_hca_table_clamp(mr, &start, &end))
		return;
	last = fake_hca_te_index(mr, end - 1);
	for (i = fake_hca_te_index(mr, start); i <= last; i++) {
		if (mr->table[i]) {
			WRITE_ONCE(mr->table[i], 0);
			cleared++;
		}
	}
	fake_hca_count(mr, invalidations, 1);
	fake_hca_count(mr, entries_cleared, cleared);
}

/*
 * Point the entry of @va at @page for @access (ODP_ACCESS_* bits of what
 * the backend committed); the caller holds the umem's mutex. As with a
 * PTE, a device that may write a page may read it.
 */
void fake_hca_table_set(struct fake_hca_mr *mr, u64 va, struct page *page,
			unsigned int access)
{
	if (access & FAKE_HCA_ACCESS_WRITE)
		access |= FAKE_HCA_ACCESS_READ;
	WRITE_ONCE(mr->table[fake_hca_te_index(mr, va)],
		   (unsigned long)page | (access & FAKE_HCA_ACCESS_ALL));
}

static void fake_hca_invalidate_range(struct odp_umem *umem, u64 start,
				      u64 end)
{
	fake_hca_table_clear(odp_umem_priv(umem), start, end);
}

static void fake_hca_map(struct odp_umem *umem, u64 start, u64 end,
			 unsigned int access)
{
	struct fake_hca_mr *mr = odp_umem_priv(umem);
	unsigned long mapped = 0;
	unsigned int page_access;
	struct page *page;
	u64 va;

	if (!fake_hca_table_clamp(mr, &start, &end))
		return;
	for (va = start & PAGE_MASK; va < end; va += PAGE_SIZE) {
		page_access = 0;
		page = odp_umem_page(umem, va, &page_access);
		if (!page || !(page_access & FAKE_HCA_ACCESS_ALL))
			continue;
		fake_hca_table_set(mr, va, page, page_access);
		mapped++;
	}
	fake_hca_count(mr, pages_mapped, mapped);
}

const struct odp_driver_ops fake_hca_odp_ops = {
	.invalidate_range = fake_hca_invalidate_range,
	.map = fake_hca_map,
};
