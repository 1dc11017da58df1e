// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle: every page a umem holds, and every valid entry of every MR's
 * device table, must be the page the CPU page table maps at that address
 * (for a shared file mapping, the page the file's page cache holds at that
 * offset), unless an invalidation covering it has started and not ended.
 * A page that differs is a stale entry: the bug the thread is about.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pagewalk.h>
#include <linux/workqueue.h>

#include "race.h"

struct odpt_walk {
	unsigned long start;
	struct page *pages[ODPT_MAX_PAGES];
};

static int odpt_walk_pte(pte_t *ptep, unsigned long addr, unsigned long next,
			 struct mm_walk *walk)
{
	struct odpt_walk *w = walk->private;
	pte_t pte = ptep_get(ptep);
	unsigned long idx = (addr - w->start) >> PAGE_SHIFT;

	if (idx < ODPT_MAX_PAGES && pte_present(pte))
		w->pages[idx] = pte_page(pte);
	return 0;
}

static const struct mm_walk_ops odpt_walk_ops = {
	.pte_entry = odpt_walk_pte,
	.walk_lock = PGWALK_RDLOCK,
};

/*
 * A shared mapping of a file is backed by the file's pages wherever the
 * page table maps nothing yet (or nothing any more, after a madvise): the
 * next access, the CPU's or the device's, finds the same page in the page
 * cache. There, the page cache is the truth; a page no longer in it (a
 * hole punched, the file cut short) is gone.
 */
static void odpt_walk_page_cache(struct odpt_scenario *sc, struct odpt_walk *w)
{
	struct address_space *mapping = sc->file->f_mapping;
	struct folio *folio;
	pgoff_t idx;

	for (idx = 0; idx < sc->script->npages && idx < ODPT_MAX_PAGES; idx++) {
		folio = filemap_get_folio(mapping, idx);
		w->pages[idx] = IS_ERR(folio) ? NULL : folio_file_page(folio, idx);
		if (!IS_ERR(folio))
			folio_put(folio);
	}
}

/*
 * What the MR's backend holds at @addr, and what its device table holds
 * there. False if a stopped actor holds the MR's mutex (upstream's
 * invalidation at its ACCOUNTED point, or a fault at
 * FAKE_HCA_SP_FAULT_LOCKED, or ODPT_OP_HOLD_UMEM): every other thread is
 * stopped or blocked, so the mutex stays free once the trylock took it.
 */
static bool odpt_entries(struct fake_hca_mr *mr, u64 addr, struct page **held,
			 struct page **dev)
{
	if (!fake_hca_mr_trylock(mr))
		return false;
	*held = fake_hca_mr_held_page(mr, addr);
	fake_hca_mr_unlock(mr);
	*dev = fake_hca_mr_entry(mr, addr).page;
	return true;
}

/*
 * Upstream's fault drops its mm reference with mmput_async(): the last one
 * sends the teardown (exit_mmap(), whose invalidations clear every entry)
 * to a workqueue, a thread no script stops. Until that work has run, the
 * entries it is to clear are not stale. Once no actor can hold a lock the
 * teardown takes (all finished), the oracle waits for it instead.
 */
static bool odpt_deferred_teardown(struct odpt_scenario *sc)
{
	struct work_struct *w = &sc->mm->async_put_work;

	/* set up by mmput_async() only */
	if (!READ_ONCE(w->func))
		return false;
	if (odpt_actors_idle(sc)) {
		flush_work(w);
		return false;
	}
	return work_busy(w);
}

/**
 * odpt_oracle_stale() - count the pages with a stale entry, MR by MR
 * @sc: the scenario
 * @report: print each stale entry to the KTAP log: its MR and page, the
 *	page the umem and the device table hold, the page the CPU maps
 *
 * Return: the number of stale entries, or -EBUSY if a stopped actor holds
 * the mm's lock for writing (run the oracle at a later step).
 */
int odpt_oracle_stale(struct odpt_scenario *sc, bool report)
{
	bool dead = true, teardown;
	struct odpt_walk *w;
	int stale = 0, i;
	u64 addr;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->start = sc->base;
	if (mmget_not_zero(sc->mm)) {
		dead = false;
		if (!mmap_read_trylock(sc->mm)) {
			mmput(sc->mm);
			kfree(w);
			return -EBUSY;
		}
		walk_page_range(sc->mm, sc->base,
				sc->base + sc->script->npages * PAGE_SIZE,
				&odpt_walk_ops, w);
		mmap_read_unlock(sc->mm);
		mmput(sc->mm);
		if (sc->file)
			odpt_walk_page_cache(sc, w);
	}
	/* the CPU maps nothing any more; the teardown may still be clearing */
	teardown = dead && (odpt_inflight_in_callback(sc) || odpt_deferred_teardown(sc));

	for (i = 0; i < ODPT_MAX_UMEMS; i++) {
		struct fake_hca_mr *mr = sc->mr[i];

		if (!mr)
			continue;
		for (addr = fake_hca_mr_start(mr); addr < fake_hca_mr_end(mr);
		     addr += PAGE_SIZE) {
			unsigned long idx = (addr - sc->base) >> PAGE_SHIFT;
			struct page *cpu = idx < ODPT_MAX_PAGES ? w->pages[idx] : NULL;
			struct page *held, *dev;

			if (!odpt_entries(mr, addr, &held, &dev)) {
				kfree(w);
				return -EBUSY;
			}
			if ((!held || held == cpu) && (!dev || dev == cpu))
				continue;
			if (teardown || odpt_inflight_covers(sc, addr))
				continue;
			stale++;
			if (report)
				kunit_info(sc->test, "oracle: MR %d, page %lu: umem holds pfn %lx, device table pfn %lx, CPU maps pfn %lx\n",
					   i, idx, held ? page_to_pfn(held) : 0UL,
					   dev ? page_to_pfn(dev) : 0UL,
					   cpu ? page_to_pfn(cpu) : 0UL);
		}
	}
	kfree(w);
	return stale;
}

/**
 * odpt_check_lock() - take an MR's mutex for a check, waiting only so long
 * @sc: the scenario
 * @slot: the MR's slot
 *
 * A check of the test's thread runs while every actor is stopped, blocked
 * or finished. A mutex that stays held is then held by one of them
 * across a wait that only the test can end: a deadlock of the code under
 * test (a fault that sleeps under the mutex until an invalidation stopped
 * at a point ends), or a script that checks while an actor holds it.
 * Waiting for it would block the one thread that must end the case. A
 * thread that no script stops (the fault worker, an mm's asynchronous
 * teardown) may hold it a moment, so the mutex is tried once a tick for
 * ODPT_WAIT_BOUND; then the case fails, naming the actors still out with
 * their stacks and every lock held, and goes on to its teardown.
 *
 * Return: true with the mutex held, false with the case failed.
 */
bool odpt_check_lock(struct odpt_scenario *sc, int slot)
{
	unsigned long deadline = jiffies + ODPT_WAIT_BOUND;

	while (!fake_hca_mr_trylock(sc->mr[slot])) {
		if (time_after(jiffies, deadline)) {
			KUNIT_FAIL(sc->test, "%s on %s: umem %d's mutex stays held for %d s: it cannot be checked",
				   sc->script->name, fake_hca_backend_name(sc->strategy), slot,
				   ODPT_WAIT_BOUND / HZ);
			sc->failed = true;
			odpt_actors_show_unfinished(sc, false);
			return false;
		}
		schedule_timeout_uninterruptible(1);
	}
	return true;
}

/**
 * odpt_mr_mapped() - count the pages an MR's backend holds
 * @sc: the scenario
 * @slot: the MR's slot
 *
 * Return: number of pages the core's umem, or IB core, holds for it, or
 * -EDEADLK if its mutex stays held (odpt_check_lock(): the case failed).
 */
int odpt_mr_mapped(struct odpt_scenario *sc, int slot)
{
	struct fake_hca_mr *mr = sc->mr[slot];
	int n = 0;
	u64 addr;

	if (!odpt_check_lock(sc, slot))
		return -EDEADLK;
	for (addr = fake_hca_mr_start(mr); addr < fake_hca_mr_end(mr);
	     addr += PAGE_SIZE)
		n += !!fake_hca_mr_held_page(mr, addr);
	fake_hca_mr_unlock(mr);
	return n;
}
