// SPDX-License-Identifier: GPL-2.0
/*
 * odp_core_release: releasing a umem waits for an invalidation of it that
 * is in flight, and does not hang when that invalidation's end will never
 * find the umem again.
 *
 * One kthread runs a real MADV_DONTNEED over the umem and is stopped at
 * the "invalidate start: driver hook done" sync point. Another kthread
 * then releases the umem. The release cannot complete while the
 * invalidation is stopped (it waits for the walk that still holds the
 * umem, or for the interval strategy for the end of the mm's
 * invalidation); the record of events shows the release finishing only
 * after the invalidation resumed.
 *
 * And odp_umem_release()'s promise about a racing fault, through the core
 * API with no driver in between: a fault that looked its pages up before
 * the release began, and commits once the release has marked the umem
 * dying (the release stopped before it unregisters the notifier, the umem
 * not yet freed), fails with -EFAULT and maps nothing.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>

#include <odp/sync_point.h>

#include "lib/odpt_util.h"
#include "race/task.h"
#include "lib/case_checks.h"
#include "lib/sync_guard.h"

#define P	PAGE_SIZE

enum odpt_ev {
	ODPT_EV_INV_STOPPED = 1,
	ODPT_EV_REL_START,
	ODPT_EV_INV_RESUMED,
	ODPT_EV_REL_DONE,
	ODPT_EV_INV_DONE,
};

struct odpt_relw {
	struct odp_sync_handler h;
	struct odp_umem *umem;
	struct mm_struct *mm;
	unsigned long addr;
	bool fired;
	struct completion stopped;
	struct completion resume;
	spinlock_t lock;
	int nev;
	enum odpt_ev ev[8];
	int madvise;
};

static void odpt_relw_ev(struct odpt_relw *w, enum odpt_ev ev)
{
	spin_lock(&w->lock);
	if (w->nev < ARRAY_SIZE(w->ev))
		w->ev[w->nev++] = ev;
	spin_unlock(&w->lock);
}

static int odpt_relw_pos(struct odpt_relw *w, enum odpt_ev ev)
{
	int i;

	for (i = 0; i < w->nev; i++)
		if (w->ev[i] == ev)
			return i;
	return -1;
}

static void odpt_relw_reached(struct odp_sync_handler *h, unsigned int sp,
			      const void *obj, u64 start, u64 end)
{
	struct odpt_relw *w = container_of(h, struct odpt_relw, h);

	if (sp != ODP_SP_INV_START_DONE || obj != w->umem || w->fired)
		return;
	w->fired = true;
	odpt_relw_ev(w, ODPT_EV_INV_STOPPED);
	complete(&w->stopped);
	wait_for_completion(&w->resume);
	odpt_relw_ev(w, ODPT_EV_INV_RESUMED);
}

static int odpt_relw_invalidate(void *data)
{
	struct odpt_relw *w = data;

	kthread_use_mm(w->mm);
	w->madvise = do_madvise(w->mm, w->addr, 2 * P, MADV_DONTNEED);
	kthread_unuse_mm(w->mm);
	odpt_relw_ev(w, ODPT_EV_INV_DONE);
	return 0;
}

static int odpt_relw_release(void *data)
{
	struct odpt_relw *w = data;

	odpt_relw_ev(w, ODPT_EV_REL_START);
	odp_umem_release(w->umem);
	odpt_relw_ev(w, ODPT_EV_REL_DONE);
	return 0;
}

/* however the case ends, the stopped invalidation goes on before the handler goes */
static void odpt_relw_let_go(struct odp_sync_handler *h)
{
	complete(&container_of(h, struct odpt_relw, h)->resume);
}

static void odpt_release_waits(struct kunit *test)
{
	struct odpt_rec *rec;
	struct odp_context *ctx = odpt_ctx_create(test, &rec);
	struct odpt_relw *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct odpt_thread inv, rel;
	struct odp_umem *other;
	bool rel_waits;

	KUNIT_ASSERT_NOT_NULL(test, w);
	spin_lock_init(&w->lock);
	init_completion(&w->stopped);
	init_completion(&w->resume);
	w->h.reached = odpt_relw_reached;
	w->mm = current->mm;
	w->addr = odpt_mmap(test, 4, PROT_READ | PROT_WRITE);
	w->umem = odp_umem_get(ctx, w->addr, 2 * P, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, w->umem);
	other = odp_umem_get(ctx, w->addr + 2 * P, 2 * P, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	KUNIT_ASSERT_EQ(test, odpt_fault(w->umem, w->addr, 2 * P, ODP_ACCESS_WRITE), 2);
	KUNIT_ASSERT_EQ(test, odpt_fault(other, w->addr + 2 * P, 2 * P, ODP_ACCESS_WRITE), 2);

	KUNIT_ASSERT_EQ(test, odpt_sync_guard(test, &w->h, odpt_relw_let_go), 0);
	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&inv, odpt_relw_invalidate, w, "odpt_inv"));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&w->stopped, ODPT_GUARD));

	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&rel, odpt_relw_release, w, "odpt_rel"));
	/* the release sleeps, waiting for the stopped invalidation */
	rel_waits = odpt_task_sleeps(rel.task, &rel.done);
	complete(&w->resume);
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&inv));
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&rel));
	odp_sync_uninstall(&w->h);

	KUNIT_EXPECT_TRUE(test, rel_waits);
	KUNIT_EXPECT_EQ(test, w->madvise, 0);
	KUNIT_EXPECT_EQ(test, odpt_relw_pos(w, ODPT_EV_INV_STOPPED), 0);
	KUNIT_EXPECT_EQ(test, odpt_relw_pos(w, ODPT_EV_REL_START), 1);
	KUNIT_EXPECT_EQ(test, odpt_relw_pos(w, ODPT_EV_INV_RESUMED), 2);
	KUNIT_EXPECT_GT(test, odpt_relw_pos(w, ODPT_EV_REL_DONE), 2);
	KUNIT_EXPECT_GT(test, odpt_relw_pos(w, ODPT_EV_INV_DONE), 2);
	KUNIT_EXPECT_EQ(test, odp_context_umem_count(ctx), 1U);

	/* the other umem is untouched and the context still works */
	KUNIT_EXPECT_NOT_NULL(test, odpt_entry(other, w->addr + 2 * P));
	KUNIT_EXPECT_EQ(test, odpt_rec_count(rec, other), 0U);
	odpt_invalidate(current->mm, w->addr, w->addr + 4 * P);
	KUNIT_EXPECT_NULL(test, odpt_entry(other, w->addr + 2 * P));
	KUNIT_EXPECT_EQ(test, odpt_fault(other, w->addr + 2 * P, P, ODP_ACCESS_READ), 1);
	odp_umem_release(other);
	KUNIT_EXPECT_FALSE(test, odp_context_notifier_registered(ctx));
	odp_context_destroy(ctx);
}

/* Two threads, each stopped once at its own point. */
struct odpt_relf {
	struct odp_sync_handler h;
	struct odp_umem *umem;
	struct odp_context *ctx;
	struct mm_struct *mm;
	unsigned long addr;
	bool fault_fired;
	bool rel_fired;
	struct completion fault_stopped;
	struct completion fault_resume;
	struct completion rel_stopped;
	struct completion rel_resume;
	int fault;
};

static void odpt_relf_reached(struct odp_sync_handler *h, unsigned int sp,
			      const void *obj, u64 start, u64 end)
{
	struct odpt_relf *f = container_of(h, struct odpt_relf, h);

	if (sp == ODP_SP_FAULT_LOOKED_UP && obj == f->umem && !f->fault_fired) {
		f->fault_fired = true;
		complete(&f->fault_stopped);
		wait_for_completion(&f->fault_resume);
	} else if (sp == ODP_SP_RELEASE_BEFORE_UNREGISTER && obj == f->ctx && !f->rel_fired) {
		f->rel_fired = true;
		complete(&f->rel_stopped);
		wait_for_completion(&f->rel_resume);
	}
}

static void odpt_relf_let_go(struct odp_sync_handler *h)
{
	struct odpt_relf *f = container_of(h, struct odpt_relf, h);

	complete(&f->fault_resume);
	complete(&f->rel_resume);
}

static int odpt_relf_fault(void *data)
{
	struct odpt_relf *f = data;

	kthread_use_mm(f->mm);
	f->fault = odp_umem_map_pages(f->umem, f->addr, 2 * P, ODP_ACCESS_WRITE,
				      odp_umem_read_begin(f->umem));
	kthread_unuse_mm(f->mm);
	return 0;
}

static int odpt_relf_release(void *data)
{
	struct odpt_relf *f = data;

	odp_umem_release(f->umem);
	return 0;
}

static void odpt_release_fails_racing_fault(struct kunit *test)
{
	struct odpt_rec *rec;
	struct odp_context *ctx = odpt_ctx_create(test, &rec);
	struct odpt_relf *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct odpt_thread ft, rt;

	KUNIT_ASSERT_NOT_NULL(test, f);
	init_completion(&f->fault_stopped);
	init_completion(&f->fault_resume);
	init_completion(&f->rel_stopped);
	init_completion(&f->rel_resume);
	f->h.reached = odpt_relf_reached;
	f->ctx = ctx;
	f->mm = current->mm;
	f->addr = odpt_mmap(test, 2, PROT_READ | PROT_WRITE);
	/* the only umem: its release unregisters the notifier, and stops there */
	f->umem = odp_umem_get(ctx, f->addr, 2 * P, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->umem);

	KUNIT_ASSERT_EQ(test, odpt_sync_guard(test, &f->h, odpt_relf_let_go), 0);
	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&ft, odpt_relf_fault, f, "odpt_flt"));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&f->fault_stopped, ODPT_GUARD));
	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&rt, odpt_relf_release, f, "odpt_rel"));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&f->rel_stopped, ODPT_GUARD));
	/* the umem is dying, out of the tree, not yet freed: the fault commits now */
	KUNIT_EXPECT_EQ(test, odp_context_umem_count(ctx), 0U);
	complete(&f->fault_resume);
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&ft));
	KUNIT_EXPECT_EQ(test, f->fault, -EFAULT);
	complete(&f->rel_resume);
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&rt));
	odp_sync_uninstall(&f->h);

	KUNIT_EXPECT_FALSE(test, odp_context_notifier_registered(ctx));
	/* the context is whole: a new umem over the same pages maps them */
	f->umem = odp_umem_get(ctx, f->addr, 2 * P, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->umem);
	KUNIT_EXPECT_EQ(test, odpt_fault(f->umem, f->addr, 2 * P, ODP_ACCESS_WRITE), 2);
	odp_umem_release(f->umem);
	odp_context_destroy(ctx);
}

static struct kunit_case odpt_release_cases[] = {
	KUNIT_CASE_PARAM(odpt_release_waits, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_release_fails_racing_fault, odpt_strategy_gen_params),
	{}
};

static struct kunit_suite odpt_release_suite = {
	.name = "odp_core_release",
	.init = odpt_case_checks_init,
	.test_cases = odpt_release_cases,
};
kunit_test_suite(odpt_release_suite);
