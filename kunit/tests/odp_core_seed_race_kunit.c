// SPDX-License-Identifier: GPL-2.0
/*
 * odp_core_seed_race: the seed strategy's registration race with a real
 * invalidation, and the "different pages" case that cleans up after it.
 *
 * A MADV_DONTNEED over pages 0-1 is stopped after the core handled the
 * watched umem F (page 1) and before the mm zaps anything. A new umem L
 * (page 0) is registered and faulted in that window. The seed missed the
 * start for L, so the fault commits the page about to be zapped; the end
 * then finds L's count at zero. A later fault finds another page at that
 * address, counts "different pages", clears the entry and retries to the
 * CPU's current page. ctx_counter, in the same window, makes L retry.
 * L is read-only so that the stale entry is never marked dirty.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>

#include <odp/sync_point.h>

#include "lib/odpt_util.h"
#include "lib/sync_guard.h"
#include "lib/report_check.h"

#define P	PAGE_SIZE

struct odpt_race {
	struct odp_sync_handler h;
	struct odp_umem *stop_on;
	struct mm_struct *mm;
	unsigned long addr;
	bool fired;
	struct completion stopped;
	struct completion resume;
	int madvise;
};

static void odpt_race_reached(struct odp_sync_handler *h, unsigned int sp,
			      const void *obj, u64 start, u64 end)
{
	struct odpt_race *r = container_of(h, struct odpt_race, h);

	if (sp != ODP_SP_INV_START_DONE || obj != r->stop_on || r->fired)
		return;
	r->fired = true;
	complete(&r->stopped);
	wait_for_completion(&r->resume);
}

static int odpt_race_madvise(void *data)
{
	struct odpt_race *r = data;

	kthread_use_mm(r->mm);
	r->madvise = do_madvise(r->mm, r->addr, 2 * P, MADV_DONTNEED);
	kthread_unuse_mm(r->mm);
	return 0;
}

/* however the case ends, the stopped madvise goes on before the handler goes */
static void odpt_race_let_go(struct odp_sync_handler *h)
{
	complete(&container_of(h, struct odpt_race, h)->resume);
}

static void odpt_race(struct kunit *test, enum odp_strategy strategy)
{
	struct odpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct odp_context *ctx;
	struct odpt_rec *rec;
	struct odp_umem *f, *l;
	struct page *before, *cpu;
	struct odp_stats st;
	struct odpt_thread t;
	int in_window;

	KUNIT_ASSERT_NOT_NULL(test, r);
	rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	spin_lock_init(&rec->lock);
	r->addr = odpt_mmap(test, 2, PROT_READ | PROT_WRITE);
	r->mm = current->mm;
	ctx = odp_context_create(&odpt_stub_ops, strategy, rec);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	f = odp_umem_get(ctx, r->addr + P, P, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	KUNIT_ASSERT_EQ(test, odpt_fault(f, r->addr + P, P, ODP_ACCESS_READ), 1);
	KUNIT_ASSERT_EQ(test, odpt_cpu_page(r->addr, &before), 1L);
	put_page(before);

	init_completion(&r->stopped);
	init_completion(&r->resume);
	r->h.reached = odpt_race_reached;
	r->stop_on = f;
	KUNIT_ASSERT_EQ(test, odpt_sync_guard(test, &r->h, odpt_race_let_go), 0);
	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&t, odpt_race_madvise, r, "odpt_race"));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r->stopped, ODPT_GUARD));

	/* the window: after the notifier ran, before the zap */
	l = odp_umem_get(ctx, r->addr, P, ODP_ACCESS_READ, NULL);
	in_window = IS_ERR(l) ? PTR_ERR(l) :
		odp_umem_map_pages(l, r->addr, P, ODP_ACCESS_READ, odp_umem_read_begin(l));
	complete(&r->resume);
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&t));
	odp_sync_uninstall(&r->h);
	KUNIT_ASSERT_FALSE(test, IS_ERR(l));
	KUNIT_EXPECT_EQ(test, r->madvise, 0);

	odp_context_stats(ctx, &st);
	if (strategy == ODP_STRATEGY_SEED) {
		KUNIT_EXPECT_EQ(test, in_window, 1);
		KUNIT_EXPECT_EQ(test, st.end_without_start, 1ULL);
		/* the stale entry: the page the zap took away */
		KUNIT_EXPECT_PTR_EQ(test, odpt_entry(l, r->addr), before);
	} else {
		KUNIT_EXPECT_EQ(test, in_window, -EAGAIN);
		KUNIT_EXPECT_EQ(test, st.end_without_start, 0ULL);
		KUNIT_EXPECT_NULL(test, odpt_entry(l, r->addr));
	}

	KUNIT_EXPECT_EQ(test, odpt_fault(l, r->addr, P, ODP_ACCESS_READ), 1);
	odp_context_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.different_pages, strategy == ODP_STRATEGY_SEED ? 1ULL : 0ULL);
	KUNIT_ASSERT_EQ(test, odpt_cpu_page(r->addr, &cpu), 1L);
	KUNIT_EXPECT_PTR_EQ(test, odpt_entry(l, r->addr), cpu);
	KUNIT_EXPECT_PTR_NE(test, cpu, before);
	put_page(cpu);

	odp_umem_release(l);
	odp_umem_release(f);
	odp_context_destroy(ctx);
}

static void odpt_seed_stale_then_different_pages(struct kunit *test)
{
	odpt_race(test, ODP_STRATEGY_SEED);
}

static void odpt_ctx_counter_retries_in_window(struct kunit *test)
{
	odpt_race(test, ODP_STRATEGY_CTX_COUNTER);
}

static struct kunit_case odpt_race_cases[] = {
	KUNIT_CASE(odpt_seed_stale_then_different_pages),
	KUNIT_CASE(odpt_ctx_counter_retries_in_window),
	{}
};

static struct kunit_suite odpt_race_suite = {
	.name = "odp_core_seed_race",
	.test_cases = odpt_race_cases,
	.init = odpt_report_check_init,
};
kunit_test_suite(odpt_race_suite);
