// SPDX-License-Identifier: GPL-2.0
/*
 * The page-migration actor: the range's pages moved to new pages, as
 * compaction and move_pages(2) move them.
 *
 * Migration is an invalidation no lock of the registration excludes but
 * the reverse map's: try_to_migrate() walks each page's reverse map (the
 * anon_vma's lock, or the file's i_mmap) with the page locked, and calls
 * the notifiers around the clearing of each mapping, one page at a time,
 * without mmap_lock. The page table then holds a migration entry until
 * the page has moved: a CPU fault there waits for the move, and finds the
 * new page. The actor stops in the notifier's callbacks, at the sync
 * points.
 *
 * A page moves only when nobody else holds a reference to it, and the
 * scenario holds one on every page of its mapping (race/scenario.c). The
 * actor gives up the scenario's references on the pages it moves, and
 * takes them on the new pages once they have moved: an entry a strategy
 * left on an old page is then a dangling pointer, as in a real kernel,
 * which the oracle reports without touching the page.
 */
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

#include "race.h"
/* folio_isolate_lru(), which no header outside mm/ declares */
#include "mm/internal.h"

static struct folio *odpt_migration_target(struct folio *src, unsigned long private)
{
	return folio_alloc(GFP_HIGHUSER_MOVABLE, folio_order(src));
}

static struct page *odpt_page_at(unsigned long addr)
{
	struct page *page;
	long n;

	mmap_read_lock(current->mm);
	n = get_user_pages(addr, 1, 0, &page);
	mmap_read_unlock(current->mm);
	return n == 1 ? page : NULL;
}

/* Take the page mapped at @addr off the LRU, onto @list. */
static int odpt_isolate(unsigned long addr, struct list_head *list)
{
	struct page *page = odpt_page_at(addr);
	struct folio *folio;

	if (!page)
		return -EFAULT;
	folio = page_folio(page);
	/*
	 * A page this thread just faulted, or touched (the lookup marks it
	 * accessed), sits in this CPU's LRU batches, which hold a reference
	 * of their own: the move would find one reference too many.
	 */
	lru_add_drain();
	if (!folio_test_lru(folio))
		lru_add_drain_all();	/* in another CPU's batch */
	if (!folio_isolate_lru(folio)) {
		put_page(page);
		return -EBUSY;
	}
	list_add_tail(&folio->lru, list);
	node_stat_mod_folio(folio, NR_ISOLATED_ANON + folio_is_file_lru(folio),
			    folio_nr_pages(folio));
	put_page(page);
	return 0;
}

/**
 * odpt_migrate() - move the pages of a range of the scenario's mapping
 * @sc: the scenario, whose mm the calling actor uses
 * @start: first address, page aligned, inside the mapping
 * @len: length, a multiple of the page size
 *
 * Return: 0 when every page moved, the number of pages that did not
 * (someone else held a reference for all of migrate_pages()' retries),
 * or -EFAULT / -EBUSY when a page could not be found or isolated.
 */
long odpt_migrate(struct odpt_scenario *sc, unsigned long start, unsigned long len)
{
	unsigned long first = (start - sc->base) >> PAGE_SHIFT;
	unsigned long i, n = len >> PAGE_SHIFT;
	LIST_HEAD(folios);
	int ret = 0;

	for (i = first; i < first + n && i < ODPT_MAX_PAGES; i++) {
		if (sc->pinned[i])
			put_page(sc->pinned[i]);
		sc->pinned[i] = NULL;
	}
	for (i = 0; i < n && !ret; i++)
		ret = odpt_isolate(start + i * PAGE_SIZE, &folios);
	if (!ret)
		ret = migrate_pages(&folios, odpt_migration_target, NULL, 0,
				    MIGRATE_SYNC, MR_SYSCALL, NULL);
	if (!list_empty(&folios))
		putback_movable_pages(&folios);
	for (i = first; i < first + n && i < ODPT_MAX_PAGES; i++)
		sc->pinned[i] = odpt_page_at(start + (i - first) * PAGE_SIZE);
	return ret;
}
