// SPDX-License-Identifier: GPL-2.0
/*
 * odp_fail_nth: every allocation of every path that allocates fails once
 * (lib/fail_nth.h), on every strategy: context creation, registration (the
 * first umem, which registers the notifiers, and a later one), the
 * fault, the invalidation (range_track's tracked range, the notifier's
 * walk), the fake HCA's device (its workqueue and debugfs folder), user
 * context, MR (its table and key), prefetch and device read. Each failed
 * attempt returns a clear error and leaves the live-object counts, the
 * context's tree and notifiers, and the entries as they were; a retry
 * succeeds. The fault worker's events live on the stack of the access
 * that queues them: there is nothing to fail there; the worker resolves
 * them with the fault path, failed here inline.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <fake_hca/fake_hca.h>
#include <odp/odp.h>
#include <odp/sync_point.h>

#include "lib/odpt_util.h"
#include "race/task.h"
#include "lib/fail_nth.h"
#include "lib/odpt_hca.h"
#include "lib/case_checks.h"

#define P		PAGE_SIZE
#define NPAGES		4
#define RW		ODP_ACCESS_ALL

struct odpt_fi {
	enum odp_strategy strategy;
	struct odpt_rec *rec;
	unsigned long a;
	struct odp_context *ctx;
	struct odp_umem *first;		/* registered before, where needed */
	struct odp_umem *umem;		/* made by the operation */
	struct odp_live live;
	struct fake_hca_live hca_live;
	struct fake_hca_dev *dev;
	struct fake_hca_uctx *uctx;
	struct fake_hca_mr *mr;
};

static struct odpt_fi *odpt_fi_new(struct kunit *test)
{
	const enum odp_strategy *s = test->param_value;
	struct odpt_fi *fi = kunit_kzalloc(test, sizeof(*fi), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fi);
	fi->strategy = s ? *s : ODP_STRATEGY_DEFAULT;
	fi->a = odpt_mmap(test, 2 * NPAGES, PROT_READ | PROT_WRITE);
	odpt_fi_begin(test);
	return fi;
}

/* The objects counted now are those counted at the last snapshot. */
static void odpt_fi_snap(struct odpt_fi *fi)
{
	odp_live_objects(&fi->live);
	fake_hca_live_objects(&fi->hca_live);
}

static void odpt_fi_expect_same(struct kunit *test, struct odpt_fi *fi, const char *what)
{
	struct fake_hca_live h;
	struct odp_live l;

	odp_live_objects(&l);
	fake_hca_live_objects(&h);
	KUNIT_EXPECT_EQ_MSG(test, l.contexts, fi->live.contexts, "%s: contexts", what);
	KUNIT_EXPECT_EQ_MSG(test, l.umems, fi->live.umems, "%s: umems", what);
	KUNIT_EXPECT_EQ_MSG(test, l.ranges, fi->live.ranges, "%s: tracked ranges", what);
	KUNIT_EXPECT_EQ_MSG(test, h.devs, fi->hca_live.devs, "%s: devices", what);
	KUNIT_EXPECT_EQ_MSG(test, h.uctxs, fi->hca_live.uctxs, "%s: user contexts", what);
	KUNIT_EXPECT_EQ_MSG(test, h.mrs, fi->hca_live.mrs, "%s: MRs", what);
}

/* Each entry of @umem over the mapping is empty or the CPU's page. */
static void odpt_fi_entries_sane(struct kunit *test, struct odp_umem *umem, unsigned long a)
{
	struct page *cpu, *e;
	unsigned long va;

	for (va = a; va < a + NPAGES * P; va += P) {
		e = odpt_entry(umem, va);
		if (!e)
			continue;
		KUNIT_ASSERT_EQ(test, odpt_cpu_page(va, &cpu), 1L);
		KUNIT_EXPECT_PTR_EQ_MSG(test, e, cpu, "stale entry at 0x%lx", va);
		put_page(cpu);
	}
}

static void odpt_fi_ctx(struct kunit *test, struct odpt_fi *fi)
{
	fi->ctx = odpt_ctx_create(test, &fi->rec);
}

/* context creation */

static int odpt_fi_ctx_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odpt_fi_snap(fi);
	fi->ctx = odp_context_create(&odpt_stub_ops, fi->strategy, NULL);
	return PTR_ERR_OR_ZERO(fi->ctx);
}

static void odpt_fi_ctx_check(struct kunit *test, void *arg, int err)
{
	odpt_fi_expect_same(test, arg, "failed context creation");
}

static void odpt_fi_ctx_undo(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odp_context_destroy(fi->ctx);
	odpt_fi_expect_same(test, fi, "context destroyed");
}

static void odpt_fi_context_create(struct kunit *test)
{
	static const struct odpt_fi_op op = {
		.name = "odp_context_create",
		.run = odpt_fi_ctx_run,
		.check = odpt_fi_ctx_check,
		.undo = odpt_fi_ctx_undo,
	};
	struct odpt_fi *fi = odpt_fi_new(test);
	struct odpt_fi_result res;

	odpt_fail_each(test, &op, fi, &res);
	KUNIT_EXPECT_GE(test, res.points, 1);
}

/* registration */

static int odpt_fi_reg_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odpt_fi_snap(fi);
	fi->umem = odp_umem_get(fi->ctx, fi->a + P, NPAGES * P, RW, NULL);
	return PTR_ERR_OR_ZERO(fi->umem);
}

static void odpt_fi_reg_check(struct kunit *test, void *arg, int err)
{
	struct odpt_fi *fi = arg;

	odpt_fi_expect_same(test, fi, "failed registration");
	KUNIT_EXPECT_EQ(test, odp_context_umem_count(fi->ctx), fi->first ? 1U : 0U);
	KUNIT_EXPECT_EQ(test, odp_context_notifier_registered(fi->ctx), !!fi->first);
}

static void odpt_fi_reg_undo(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odp_umem_release(fi->umem);
	odpt_fi_expect_same(test, fi, "umem released");
}

static const struct odpt_fi_op odpt_fi_reg_op = {
	.name = "odp_umem_get",
	.run = odpt_fi_reg_run,
	.check = odpt_fi_reg_check,
	.undo = odpt_fi_reg_undo,
};

/*
 * The first registration in a process also makes the mm's notifier
 * subscriptions, once for the mm's life: each try runs in a new process
 * (a kernel thread with a new mm), which carries the test thread's armed
 * fail_nth over and back.
 */
struct odpt_fi_proc {
	struct odpt_fi *fi;
	unsigned int nth;
	int ret;
	unsigned int count;
	bool registered;
	struct odp_live before, after;
};

static int odpt_fi_proc_fn(void *data)
{
	struct odpt_fi_proc *w = data;
	struct mm_struct *mm = odpt_new_mm();
	struct odp_context *ctx;
	struct odp_umem *umem;
	unsigned long a;

	w->ret = -EIO;
	if (!mm)
		return 0;
	kthread_use_mm(mm);
	a = vm_mmap(NULL, 0, NPAGES * P, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	ctx = odp_context_create(&odpt_stub_ops, w->fi->strategy, NULL);
	if (!IS_ERR_VALUE(a) && !IS_ERR(ctx)) {
		odp_live_objects(&w->before);
		WRITE_ONCE(current->fail_nth, w->nth);
		umem = odp_umem_get(ctx, a, NPAGES * P, RW, NULL);
		w->nth = READ_ONCE(current->fail_nth);
		WRITE_ONCE(current->fail_nth, 0);
		w->ret = PTR_ERR_OR_ZERO(umem);
		w->count = odp_context_umem_count(ctx);
		w->registered = odp_context_notifier_registered(ctx);
		odp_live_objects(&w->after);
		if (!IS_ERR(umem))
			odp_umem_release(umem);
	}
	if (!IS_ERR(ctx))
		odp_context_destroy(ctx);
	kthread_unuse_mm(mm);
	mmput(mm);
	return 0;
}

static int odpt_fi_proc_run(struct kunit *test, void *arg)
{
	struct odpt_fi_proc *w = arg;
	struct odpt_thread t;

	w->nth = READ_ONCE(current->fail_nth);
	WRITE_ONCE(current->fail_nth, 0);
	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&t, odpt_fi_proc_fn, w, "odpt-fi-proc"));
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&t));
	WRITE_ONCE(current->fail_nth, w->nth);
	return w->ret;
}

static void odpt_fi_proc_check(struct kunit *test, void *arg, int err)
{
	struct odpt_fi_proc *w = arg;

	KUNIT_EXPECT_EQ(test, w->count, 0U);
	KUNIT_EXPECT_FALSE(test, w->registered);
	KUNIT_EXPECT_EQ(test, w->after.umems, w->before.umems);
	KUNIT_EXPECT_EQ(test, w->after.contexts, w->before.contexts);
}

static void odpt_fi_register_new_process(struct kunit *test)
{
	struct odpt_fi_op op = {
		.name = "odp_umem_get, first of its process",
		.run = odpt_fi_proc_run,
		.check = odpt_fi_proc_check,
	};
	struct odpt_fi_proc *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct odpt_fi_result res;

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->fi = odpt_fi_new(test);
	/* v1 answers a notifier that could not be registered with -EBUSY */
	if (w->fi->strategy == ODP_STRATEGY_SEED)
		op.also = -EBUSY;
	odpt_fail_each(test, &op, w, &res);
	/* the umem, its three tables, the mm's subscriptions */
	KUNIT_EXPECT_GE(test, res.points, 5);
}

static void odpt_fi_register_second(struct kunit *test)
{
	struct odpt_fi *fi = odpt_fi_new(test);
	struct odpt_fi_result res;

	odpt_fi_ctx(test, fi);
	fi->first = odp_umem_get(fi->ctx, fi->a, P, RW, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fi->first);
	odpt_fail_each(test, &odpt_fi_reg_op, fi, &res);
	KUNIT_EXPECT_GE(test, res.points, 4);
	odp_umem_release(fi->first);
	odp_context_destroy(fi->ctx);
}

/*
 * The fault; undone with a zap, so that each try faults fresh CPU pages.
 * When the CPU's fault of one page runs out of memory after others were
 * pinned, get_user_pages_remote() returns the short count and the core
 * asks again for the rest (odp_lookup_gup()): the fault succeeds. That is
 * the fallback the GUP strategies take.
 */

static int odpt_fi_fault_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;
	int ret;

	odpt_fi_snap(fi);
	ret = odpt_fault(fi->umem, fi->a, NPAGES * P, RW);
	return ret < 0 ? ret : 0;
}

static void odpt_fi_fault_check(struct kunit *test, void *arg, int err)
{
	struct odpt_fi *fi = arg;

	odpt_fi_expect_same(test, fi, "failed fault");
	odpt_fi_entries_sane(test, fi->umem, fi->a);
}

static void odpt_fi_zap(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odpt_fi_entries_sane(test, fi->umem, fi->a);
	KUNIT_EXPECT_EQ(test, do_madvise(current->mm, fi->a, NPAGES * P, MADV_DONTNEED), 0);
	KUNIT_EXPECT_NULL(test, odpt_entry(fi->umem, fi->a));
	odpt_fi_expect_same(test, fi, "fault undone");
}

static void odpt_fi_fault(struct kunit *test)
{
	struct odpt_fi_op op = {
		.name = "odp_umem_map_pages",
		.run = odpt_fi_fault_run,
		.check = odpt_fi_fault_check,
		.undo = odpt_fi_zap,
		.fallback = true,	/* see above */
	};
	struct odpt_fi *fi = odpt_fi_new(test);
	struct odpt_fi_result res;

	/* hmm_range_fault() reports the CPU fault's VM_FAULT_OOM as -EFAULT (mm/hmm.c) */
	if (fi->strategy == ODP_STRATEGY_INTERVAL)
		op.also = -EFAULT;
	odpt_fi_ctx(test, fi);
	fi->umem = odp_umem_get(fi->ctx, fi->a, NPAGES * P, RW, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fi->umem);
	odpt_fail_each(test, &op, fi, &res);
	/* the page array, the CPU's pages and page tables */
	KUNIT_EXPECT_GE(test, res.points, 1 + NPAGES);
	odp_umem_release(fi->umem);
	odp_context_destroy(fi->ctx);
}

/*
 * The invalidation: it cannot fail. range_track's tracked range falls
 * back to "untracked" (every fault waits until the end), the walk's
 * deferred points are reached in place; after each try the entries are
 * gone and nothing is left tracked.
 */
static int odpt_fi_inv_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	return do_madvise(current->mm, fi->a, NPAGES * P, MADV_DONTNEED);
}

static void odpt_fi_inv_undo(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;
	unsigned long va;

	for (va = fi->a; va < fi->a + NPAGES * P; va += P)
		KUNIT_EXPECT_NULL_MSG(test, odpt_entry(fi->umem, va), "entry left at 0x%lx", va);
	odpt_fi_expect_same(test, fi, "invalidation");
	/* nothing waits or retries for ever: the next fault maps */
	KUNIT_EXPECT_EQ(test, odpt_fault(fi->umem, fi->a, NPAGES * P, RW), NPAGES);
	odpt_fi_entries_sane(test, fi->umem, fi->a);
}

static void odpt_fi_sync_nop(struct odp_sync_handler *h, unsigned int sp,
			     const void *obj, u64 start, u64 end)
{
}

static void odpt_fi_sync_off(void *h)
{
	odp_sync_uninstall(h);
}

static void odpt_fi_invalidate(struct kunit *test)
{
	static const struct odpt_fi_op op = {
		.name = "invalidation",
		.run = odpt_fi_inv_run,
		.undo = odpt_fi_inv_undo,
		.fallback = true,
	};
	struct odpt_fi *fi = odpt_fi_new(test);
	struct odp_sync_handler *h;
	struct odpt_fi_result res;

	/* a handler makes the walks keep their deferred points (notifier.c) */
	if (IS_ENABLED(CONFIG_ODP_SYNC_POINTS)) {
		h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, h);
		h->reached = odpt_fi_sync_nop;
		KUNIT_ASSERT_EQ(test, odp_sync_install(h), 0);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, odpt_fi_sync_off, h), 0);
	}
	odpt_fi_ctx(test, fi);
	fi->umem = odp_umem_get(fi->ctx, fi->a, NPAGES * P, RW, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fi->umem);
	KUNIT_ASSERT_EQ(test, odpt_fault(fi->umem, fi->a, NPAGES * P, RW), NPAGES);
	odpt_fi_snap(fi);
	odpt_fail_each(test, &op, fi, &res);
	/* the walks' arrays of deferred points (interval: the end's only), range_track's range */
	if (IS_ENABLED(CONFIG_ODP_SYNC_POINTS))
		KUNIT_EXPECT_GE(test, res.fallbacks,
				fi->strategy == ODP_STRATEGY_INTERVAL ? 1 : 2);
	if (fi->strategy == ODP_STRATEGY_RANGE_TRACK)
		KUNIT_EXPECT_GE(test, res.fallbacks, 1 + 2 * IS_ENABLED(CONFIG_ODP_SYNC_POINTS));
	odp_umem_release(fi->umem);
	odp_context_destroy(fi->ctx);
}

/* the fake HCA: device, user context, MR, prefetch, device read */

static int odpt_fi_dev_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odpt_fi_snap(fi);
	fi->dev = fake_hca_dev_create();
	return PTR_ERR_OR_ZERO(fi->dev);
}

static void odpt_fi_dev_check(struct kunit *test, void *arg, int err)
{
	odpt_fi_expect_same(test, arg, "failed device creation");
}

static void odpt_fi_dev_undo(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	fake_hca_dev_destroy(fi->dev);
	odpt_fi_expect_same(test, fi, "device destroyed");
}

/* A debugfs folder that could not be made is no error (debugfs.c). */
static void odpt_fi_hca_dev(struct kunit *test)
{
	static const struct odpt_fi_op op = {
		.name = "fake_hca_dev_create",
		.run = odpt_fi_dev_run,
		.check = odpt_fi_dev_check,
		.undo = odpt_fi_dev_undo,
		.fallback = true,
	};
	struct odpt_fi *fi = odpt_fi_new(test);
	struct odpt_fi_result res;

	odpt_fail_each(test, &op, fi, &res);
	/* the device, its id, its workqueue */
	KUNIT_EXPECT_GE(test, res.points, 3);
}

static int odpt_fi_uctx_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;
	struct fake_hca_uctx_attr attr = { .strategy = fi->strategy };

	odpt_fi_snap(fi);
	fi->uctx = fake_hca_uctx_create(fi->dev, &attr);
	return PTR_ERR_OR_ZERO(fi->uctx);
}

static void odpt_fi_uctx_check(struct kunit *test, void *arg, int err)
{
	odpt_fi_expect_same(test, arg, "failed user context");
}

static void odpt_fi_uctx_undo(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	fake_hca_uctx_destroy(fi->uctx);
	odpt_fi_expect_same(test, fi, "user context destroyed");
}

static void odpt_fi_hca_uctx(struct kunit *test)
{
	static const struct odpt_fi_op op = {
		.name = "fake_hca_uctx_create",
		.run = odpt_fi_uctx_run,
		.check = odpt_fi_uctx_check,
		.undo = odpt_fi_uctx_undo,
	};
	struct odpt_fi *fi = odpt_fi_new(test);
	struct odpt_fi_result res;

	fi->dev = odpt_hca_dev(test);
	odpt_fail_each(test, &op, fi, &res);
	KUNIT_EXPECT_GE(test, res.points, 2);
}

static int odpt_fi_mr_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odpt_fi_snap(fi);
	fi->mr = fake_hca_reg_mr(fi->uctx, fi->a, NPAGES * P, FAKE_HCA_ACCESS_ALL);
	return PTR_ERR_OR_ZERO(fi->mr);
}

static void odpt_fi_mr_check(struct kunit *test, void *arg, int err)
{
	struct odpt_fi *fi = arg;

	odpt_fi_expect_same(test, fi, "failed MR registration");
	KUNIT_EXPECT_EQ(test, odp_context_umem_count(fake_hca_uctx_odp(fi->uctx)), 0U);
	KUNIT_EXPECT_FALSE(test, odp_context_notifier_registered(fake_hca_uctx_odp(fi->uctx)));
}

static void odpt_fi_mr_undo(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	fake_hca_dereg_mr(fi->mr);
	odpt_fi_expect_same(test, fi, "MR deregistered");
}

static void odpt_fi_hca_setup(struct kunit *test, struct odpt_fi *fi)
{
	struct odpt_hca_param p = { .strategy = fi->strategy,
				    .fault_mode = FAKE_HCA_FAULT_INLINE };

	fi->dev = odpt_hca_dev(test);
	fi->uctx = odpt_hca_uctx(test, fi->dev, &p);
}

/* The key's xarray node is first tried without sleeping, then again (xas_nomem()). */
static void odpt_fi_hca_mr(struct kunit *test)
{
	static const struct odpt_fi_op op = {
		.name = "fake_hca_reg_mr",
		.run = odpt_fi_mr_run,
		.check = odpt_fi_mr_check,
		.undo = odpt_fi_mr_undo,
		.fallback = true,
	};
	struct odpt_fi *fi = odpt_fi_new(test);
	struct odpt_fi_result res;

	odpt_fi_hca_setup(test, fi);
	odpt_fail_each(test, &op, fi, &res);
	/* the MR, its table, its key, and the umem's */
	KUNIT_EXPECT_GE(test, res.points, 6);
}

/*
 * A device access that ran out of memory completes with FATAL_ERR; one
 * whose fault saw -EFAULT (interval's, see odpt_fi_fault()) with
 * PAGE_FAULT_ERR.
 */
static int odpt_fi_status(enum fake_hca_status st)
{
	switch (st) {
	case FAKE_HCA_WC_SUCCESS:
		return 0;
	case FAKE_HCA_WC_FATAL_ERR:
		return -ENOMEM;
	case FAKE_HCA_WC_PAGE_FAULT_ERR:
		return -EFAULT;
	default:
		return -EIO;
	}
}

static int odpt_fi_prefetch_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odpt_fi_snap(fi);
	return odpt_fi_status(fake_hca_prefetch(fi->dev, fake_hca_mr_lkey(fi->mr), fi->a,
						NPAGES * P, FAKE_HCA_ACCESS_ALL));
}

static void odpt_fi_access_check(struct kunit *test, void *arg, int err)
{
	struct odpt_fi *fi = arg;

	odpt_fi_expect_same(test, fi, "failed device access");
	odpt_hca_oracle(test, fi->mr, fi->a, NPAGES * P);
}

static void odpt_fi_access_undo(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;

	odpt_hca_oracle(test, fi->mr, fi->a, NPAGES * P);
	KUNIT_EXPECT_EQ(test, do_madvise(current->mm, fi->a, NPAGES * P, MADV_DONTNEED), 0);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(fi->mr), 0UL);
	odpt_fi_expect_same(test, fi, "device access undone");
}

static int odpt_fi_read_run(struct kunit *test, void *arg)
{
	struct odpt_fi *fi = arg;
	u8 buf[64];

	odpt_fi_snap(fi);
	return odpt_fi_status(fake_hca_read(fi->dev, fake_hca_mr_lkey(fi->mr),
					    fi->a + 2 * P - 32, buf, sizeof(buf)));
}

static void odpt_fi_hca_access(struct kunit *test, const struct odpt_fi_op *access,
			       int points)
{
	struct odpt_fi *fi = odpt_fi_new(test);
	struct odpt_fi_op op = *access;
	struct odpt_fi_result res;

	if (fi->strategy == ODP_STRATEGY_INTERVAL)
		op.also = -EFAULT;
	odpt_fi_hca_setup(test, fi);
	fi->mr = odpt_hca_reg(test, fi->uctx, fi->a, NPAGES * P, FAKE_HCA_ACCESS_ALL);
	odpt_fail_each(test, &op, fi, &res);
	KUNIT_EXPECT_GE(test, res.points, points);
	fake_hca_dereg_mr(fi->mr);
}

static void odpt_fi_hca_prefetch(struct kunit *test)
{
	static const struct odpt_fi_op op = {
		.name = "fake_hca_prefetch",
		.run = odpt_fi_prefetch_run,
		.check = odpt_fi_access_check,
		.undo = odpt_fi_access_undo,
		.fallback = true,	/* as odpt_fi_fault() */
	};

	/* the page array, the CPU's pages */
	odpt_fi_hca_access(test, &op, 1 + NPAGES);
}

static void odpt_fi_hca_read(struct kunit *test)
{
	static const struct odpt_fi_op op = {
		.name = "fake_hca_read",
		.run = odpt_fi_read_run,
		.check = odpt_fi_access_check,
		.undo = odpt_fi_access_undo,
		.fallback = true,
	};

	/* the page array: reading an untouched page maps the zero page */
	odpt_fi_hca_access(test, &op, 1);
}

/*
 * The harness itself: an operation that treats its failed allocation as
 * success @swallow times. Once (as an allocator's own fallback can make
 * a try look) it is tried again and passes; on every try (the bug of an
 * operation that ignores its allocation's failure) it fails.
 */
struct odpt_fi_swallow {
	int swallow;
};

static int odpt_fi_swallow_run(struct kunit *test, void *arg)
{
	struct odpt_fi_swallow *w = arg;
	void *p = kmalloc(64, GFP_KERNEL);

	if (!p && w->swallow > 0) {
		w->swallow--;
		return 0;
	}
	kfree(p);
	return p ? 0 : -ENOMEM;
}

static bool odpt_fi_swallow_passes(struct kunit *test, int swallow,
				   struct odpt_fi_result *res)
{
	static const struct odpt_fi_op op = {
		.name = "a kmalloc() whose failure is taken for success",
		.run = odpt_fi_swallow_run,
	};
	struct kunit *inner = kunit_kzalloc(test, sizeof(*inner), GFP_KERNEL);
	struct odpt_fi_swallow w = { .swallow = swallow };

	KUNIT_ASSERT_NOT_NULL(test, inner);
	kunit_init_test(inner, "inner", NULL);
	odpt_fail_each(inner, &op, &w, res);
	kunit_cleanup(inner);
	return inner->status == KUNIT_SUCCESS;
}

static void odpt_fi_harness_tries_again(struct kunit *test)
{
	struct odpt_fi_result res;

	odpt_fi_begin(test);
	/* at least: a new slab's page may be a try's n-th allocation too */
	KUNIT_EXPECT_TRUE(test, odpt_fi_swallow_passes(test, 1, &res));
	KUNIT_EXPECT_GE(test, res.retried, 1);
	KUNIT_EXPECT_GE(test, res.failed, 1);
	kunit_info(test, "the failure of \"inner\" below is expected\n");
	KUNIT_EXPECT_FALSE(test, odpt_fi_swallow_passes(test, 3, &res));
	KUNIT_EXPECT_GE(test, res.retried, 2);
}

static struct kunit_case odpt_fi_cases[] = {
	KUNIT_CASE(odpt_fi_harness_tries_again),
	KUNIT_CASE_PARAM(odpt_fi_context_create, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_fi_register_second, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_fi_register_new_process, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_fi_fault, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_fi_invalidate, odpt_strategy_gen_params),
	KUNIT_CASE(odpt_fi_hca_dev),
	KUNIT_CASE_PARAM(odpt_fi_hca_uctx, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_fi_hca_mr, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_fi_hca_prefetch, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_fi_hca_read, odpt_strategy_gen_params),
	{}
};

static struct kunit_suite odpt_fi_suite = {
	.name = "odp_fail_nth",
	.init = odpt_case_checks_init,
	.test_cases = odpt_fi_cases,
};
kunit_test_suite(odpt_fi_suite);
