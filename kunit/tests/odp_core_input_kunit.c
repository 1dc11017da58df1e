// SPDX-License-Identifier: GPL-2.0
/*
 * odp_core_input: bad input to registration and faults, each a clear
 * error that leaves the context as it was, and a context used from
 * another process.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>

#include "lib/odpt_util.h"
#include "race/task.h"
#include "lib/case_checks.h"

#define P	PAGE_SIZE

static void odpt_expect_untouched(struct kunit *test, struct odp_context *ctx, u64 mapped)
{
	struct odp_stats st;

	KUNIT_EXPECT_EQ(test, odp_context_umem_count(ctx), 0U);
	KUNIT_EXPECT_FALSE(test, odp_context_notifier_registered(ctx));
	odp_context_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.pages_mapped, mapped);
}

static void odpt_bad_registration(struct kunit *test)
{
	struct odpt_rec *rec;
	struct odp_context *ctx = odpt_ctx_create(test, &rec);
	unsigned long a = odpt_mmap(test, 2, PROT_READ | PROT_WRITE);

	KUNIT_EXPECT_EQ(test, PTR_ERR(odp_umem_get(ctx, a, 0, ODP_ACCESS_READ, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(odp_umem_get(ctx, U64_MAX - P, 2 * P, ODP_ACCESS_READ,
						   NULL)), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, PTR_ERR(odp_umem_get(ctx, U64_MAX - 10, 5, ODP_ACCESS_READ,
						   NULL)), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, PTR_ERR(odp_umem_get(ctx, a, P, 0, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(odp_umem_get(ctx, a, P, 0x4, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(odp_umem_get(ctx, a, P, ODP_ACCESS_ALL | 0x80, NULL)),
			-EINVAL);
	odpt_expect_untouched(test, ctx, 0);
	odp_context_destroy(ctx);
}

static void odpt_bad_fault(struct kunit *test)
{
	struct odpt_rec *rec;
	struct odp_context *ctx = odpt_ctx_create(test, &rec);
	unsigned long a = odpt_mmap(test, 4, PROT_READ | PROT_WRITE);
	unsigned long ro = odpt_mmap(test, 1, PROT_READ), mix;
	struct odp_umem *u, *r, *m, *x;
	struct odp_stats st;

	u = odp_umem_get(ctx, a, 2 * P, ODP_ACCESS_READ, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, u);
	/* write fault on a read-only registration */
	KUNIT_EXPECT_EQ(test, odpt_fault(u, a, P, ODP_ACCESS_WRITE), -EPERM);
	/* outside the umem, partly outside, length 0, bad access */
	KUNIT_EXPECT_EQ(test, odpt_fault(u, a + 2 * P, P, ODP_ACCESS_READ), -ERANGE);
	KUNIT_EXPECT_EQ(test, odpt_fault(u, a + P, 2 * P, ODP_ACCESS_READ), -ERANGE);
	KUNIT_EXPECT_EQ(test, odpt_fault(u, a - P, P, ODP_ACCESS_READ), -ERANGE);
	KUNIT_EXPECT_EQ(test, odpt_fault(u, a, 0, ODP_ACCESS_READ), -EINVAL);
	KUNIT_EXPECT_EQ(test, odpt_fault(u, a, P, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, odpt_fault(u, a, P, 0x8), -EINVAL);

	/* memory the CPU maps read-only: read works, write is -EACCES */
	r = odp_umem_get(ctx, ro, P, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	KUNIT_EXPECT_EQ(test, odpt_fault(r, ro, P, ODP_ACCESS_WRITE), -EACCES);
	KUNIT_EXPECT_NULL(test, odpt_entry(r, ro));
	KUNIT_EXPECT_EQ(test, odpt_fault(r, ro, P, ODP_ACCESS_READ), 1);

	/* a writable page followed by a read-only one: -EACCES, nothing kept */
	mix = odpt_mmap(test, 2, PROT_READ | PROT_WRITE);
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, mix + P, P, PROT_READ,
				      MAP_FIXED | MAP_ANONYMOUS | MAP_PRIVATE, 0), mix + P);
	x = odp_umem_get(ctx, mix, 2 * P, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x);
	KUNIT_EXPECT_EQ(test, odpt_fault(x, mix, 2 * P, ODP_ACCESS_WRITE), -EACCES);
	KUNIT_EXPECT_NULL(test, odpt_entry(x, mix));
	odp_umem_release(x);

	/* unmapped memory: -EFAULT, and the mapped page before it is not kept */
	KUNIT_ASSERT_EQ(test, vm_munmap(a + 3 * P, P), 0);
	m = odp_umem_get(ctx, a + 2 * P, 2 * P, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	KUNIT_EXPECT_EQ(test, odpt_fault(m, a + 3 * P, P, ODP_ACCESS_READ), -EFAULT);
	KUNIT_EXPECT_EQ(test, odpt_fault(m, a + 2 * P, 2 * P, ODP_ACCESS_READ), -EFAULT);
	KUNIT_EXPECT_NULL(test, odpt_entry(m, a + 2 * P));
	KUNIT_EXPECT_EQ(test, odpt_fault(m, a + 2 * P, P, ODP_ACCESS_WRITE), 1);

	odp_context_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.pages_mapped, 2ULL);
	KUNIT_EXPECT_EQ(test, st.retries, 0ULL);
	KUNIT_EXPECT_EQ(test, rec->nmap, 2U);

	odp_umem_release(u);
	odp_umem_release(r);
	odp_umem_release(m);
	odpt_expect_untouched(test, ctx, 2);
	odp_context_destroy(ctx);
}

struct odpt_other {
	struct odp_context *ctx;
	struct mm_struct *test_mm;
	unsigned long addr;
	long own_mm;
	long shared_mm;
};

/*
 * Another process (a kthread with an mm of its own, as a forked child has)
 * is refused; a kthread that adopted the owner's mm acts for the owner
 * and is let through, as the scenario actors are.
 */
static int odpt_other_fn(void *data)
{
	struct odpt_other *o = data;
	struct odp_umem *u;
	struct mm_struct *mm = odpt_new_mm();

	o->own_mm = -ENOMEM;
	if (mm) {
		kthread_use_mm(mm);
		u = odp_umem_get(o->ctx, o->addr, P, ODP_ACCESS_READ, NULL);
		o->own_mm = PTR_ERR_OR_ZERO(u);
		if (!IS_ERR(u))
			odp_umem_release(u);
		kthread_unuse_mm(mm);
		mmput(mm);
	}

	kthread_use_mm(o->test_mm);
	u = odp_umem_get(o->ctx, o->addr, P, ODP_ACCESS_READ, NULL);
	o->shared_mm = PTR_ERR_OR_ZERO(u);
	if (!IS_ERR(u))
		odp_umem_release(u);
	kthread_unuse_mm(o->test_mm);
	return 0;
}

static void odpt_other_process(struct kunit *test)
{
	struct odpt_rec *rec;
	struct odp_context *ctx = odpt_ctx_create(test, &rec);
	struct odpt_other o = { .ctx = ctx, .test_mm = current->mm };
	struct odpt_thread t;

	o.addr = odpt_mmap(test, 1, PROT_READ | PROT_WRITE);
	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&t, odpt_other_fn, &o, "odpt_other"));
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&t));
	KUNIT_EXPECT_EQ(test, o.own_mm, (long)-EPERM);
	KUNIT_EXPECT_EQ(test, o.shared_mm, 0L);
	odpt_expect_untouched(test, ctx, 0);
	odp_context_destroy(ctx);
}

static struct kunit_case odpt_input_cases[] = {
	KUNIT_CASE_PARAM(odpt_bad_registration, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_bad_fault, odpt_strategy_gen_params),
	KUNIT_CASE_PARAM(odpt_other_process, odpt_strategy_gen_params),
	{}
};

static struct kunit_suite odpt_input_suite = {
	.name = "odp_core_input",
	.init = odpt_case_checks_init,
	.test_cases = odpt_input_cases,
};
kunit_test_suite(odpt_input_suite);
