// SPDX-License-Identifier: GPL-2.0
/*
 * odp_core_bench: how fast the core faults and how much a small
 * invalidation costs as the number of umems grows, per strategy. Built
 * only with CONFIG_ODP_BENCH; run by tools/bench/core_bench.sh, which
 * greps the "odp_bench:" lines.
 *
 * Fault: a 256 MiB anonymous region faulted for write in one call, then
 * (after MADV_DONTNEED) in 2 MiB steps; pages per second.
 * Invalidation: a one-page mmu_notifier_invalidate_range_start/end pair
 * on the test mm with 1, 1000 and 100000 one-page umems registered;
 * nanoseconds per pair. Each measurement is repeated, the median printed.
 */
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "lib/odpt_util.h"

#define ODPT_BENCH_REPEAT	5
#define ODPT_FAULT_BYTES	(256UL << 20)
#define ODPT_FAULT_STEP		(2UL << 20)
#define ODPT_INV_LOOPS		2000
#define ODPT_WARM_LOOPS		20000

static u64 odpt_invalidations(struct odp_context *ctx)
{
	struct odp_stats st;

	odp_context_stats(ctx, &st);
	return st.invalidations;
}

static int odpt_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 odpt_median(u64 *v, int n)
{
	sort(v, n, sizeof(*v), odpt_cmp_u64, NULL);
	return v[n / 2];
}

static void odpt_bench_fault(struct kunit *test)
{
	const unsigned long npages = ODPT_FAULT_BYTES >> PAGE_SHIFT;
	struct odpt_rec *rec;
	struct odp_context *ctx = odpt_ctx_create(test, &rec);
	const char *name = odp_strategy_name(odp_context_strategy(ctx));
	u64 one[ODPT_BENCH_REPEAT], step[ODPT_BENCH_REPEAT];
	unsigned long a, off;
	int r;

	a = kunit_vm_mmap(test, NULL, 0, ODPT_FAULT_BYTES, PROT_READ | PROT_WRITE,
			  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, a, 0UL);
	KUNIT_ASSERT_LT(test, a, TASK_SIZE);

	for (r = 0; r < ODPT_BENCH_REPEAT; r++) {
		struct odp_umem *u;
		ktime_t t0;

		/* one call */
		u = odp_umem_get(ctx, a, ODPT_FAULT_BYTES, ODP_ACCESS_ALL, NULL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, u);
		t0 = ktime_get();
		KUNIT_ASSERT_EQ(test, odpt_fault(u, a, ODPT_FAULT_BYTES, ODP_ACCESS_WRITE),
				(int)npages);
		one[r] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		odp_umem_release(u);
		KUNIT_ASSERT_EQ(test, do_madvise(current->mm, a, ODPT_FAULT_BYTES,
						 MADV_DONTNEED), 0);

		/* 2 MiB steps */
		u = odp_umem_get(ctx, a, ODPT_FAULT_BYTES, ODP_ACCESS_ALL, NULL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, u);
		t0 = ktime_get();
		for (off = 0; off < ODPT_FAULT_BYTES; off += ODPT_FAULT_STEP)
			KUNIT_ASSERT_EQ(test, odpt_fault(u, a + off, ODPT_FAULT_STEP,
							 ODP_ACCESS_WRITE),
					(int)(ODPT_FAULT_STEP >> PAGE_SHIFT));
		step[r] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		odp_umem_release(u);
		KUNIT_ASSERT_EQ(test, do_madvise(current->mm, a, ODPT_FAULT_BYTES,
						 MADV_DONTNEED), 0);
	}
	kunit_info(test, "odp_bench: %s fault_256MiB_one_call pages_per_s=%llu\n", name,
		   div64_u64((u64)npages * NSEC_PER_SEC, odpt_median(one, ODPT_BENCH_REPEAT)));
	kunit_info(test, "odp_bench: %s fault_256MiB_2MiB_steps pages_per_s=%llu\n", name,
		   div64_u64((u64)npages * NSEC_PER_SEC, odpt_median(step, ODPT_BENCH_REPEAT)));
	odp_context_destroy(ctx);
}

/* ns per one-page invalidation pair with @n one-page umems registered */
static void odpt_bench_inv_n(struct kunit *test, struct odp_context *ctx, unsigned long n)
{
	const char *name = odp_strategy_name(odp_context_strategy(ctx));
	struct odp_umem **u = vzalloc(n * sizeof(*u));
	u64 ns[ODPT_BENCH_REPEAT];
	unsigned long a, i, mid;
	int r;

	KUNIT_ASSERT_NOT_NULL(test, u);
	a = kunit_vm_mmap(test, NULL, 0, n * PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, a, 0UL);
	KUNIT_ASSERT_LT(test, a, TASK_SIZE);
	for (i = 0; i < n; i++) {
		u[i] = odp_umem_get(ctx, a + i * PAGE_SIZE, PAGE_SIZE, ODP_ACCESS_ALL, NULL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, u[i]);
	}
	mid = a + n / 2 * PAGE_SIZE;
	for (r = 0; r < ODPT_BENCH_REPEAT; r++) {
		ktime_t t0 = ktime_get();

		for (i = 0; i < ODPT_INV_LOOPS; i++)
			odpt_invalidate(current->mm, mid, mid + PAGE_SIZE);
		ns[r] = div_u64(ktime_to_ns(ktime_sub(ktime_get(), t0)), ODPT_INV_LOOPS);
	}
	KUNIT_EXPECT_GE(test, odpt_invalidations(ctx), (u64)ODPT_BENCH_REPEAT * ODPT_INV_LOOPS);
	kunit_info(test, "odp_bench: %s inv_one_page umems=%lu ns=%llu\n", name, n,
		   odpt_median(ns, ODPT_BENCH_REPEAT));
	for (i = 0; i < n; i++)
		odp_umem_release(u[i]);
	vfree(u);
	vm_munmap(a, n * PAGE_SIZE);
}

/*
 * The fault path on its own: a one-page fault of a page the umem already
 * holds (look up, commit check, nothing new stored), in ns per fault.
 * tools/bench/sync_points_bench.sh compares it between builds with and
 * without CONFIG_ODP_SYNC_POINTS: what the disarmed points cost.
 */
static void odpt_bench_fault_warm(struct kunit *test)
{
	struct odpt_rec *rec;
	struct odp_context *ctx = odpt_ctx_create(test, &rec);
	const char *name = odp_strategy_name(odp_context_strategy(ctx));
	u64 ns[ODPT_BENCH_REPEAT];
	struct odp_umem *u;
	unsigned long a;
	int r, i;

	a = odpt_mmap(test, 1, PROT_READ | PROT_WRITE);
	u = odp_umem_get(ctx, a, PAGE_SIZE, ODP_ACCESS_ALL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, u);
	KUNIT_ASSERT_EQ(test, odpt_fault(u, a, PAGE_SIZE, ODP_ACCESS_WRITE), 1);
	for (r = 0; r < ODPT_BENCH_REPEAT; r++) {
		ktime_t t0 = ktime_get();

		for (i = 0; i < ODPT_WARM_LOOPS; i++) {
			unsigned long seq = odp_umem_read_begin(u);

			if (odp_umem_map_pages(u, a, PAGE_SIZE, ODP_ACCESS_WRITE, seq) != 1)
				break;
		}
		KUNIT_ASSERT_EQ(test, i, ODPT_WARM_LOOPS);
		ns[r] = div64_u64(ktime_to_ns(ktime_sub(ktime_get(), t0)), ODPT_WARM_LOOPS);
	}
	kunit_info(test, "odp_bench: %s fault_warm_1page ns=%llu sync_points=%s\n", name,
		   odpt_median(ns, ODPT_BENCH_REPEAT),
		   IS_ENABLED(CONFIG_ODP_SYNC_POINTS) ? "built" : "none");
	odp_umem_release(u);
	odp_context_destroy(ctx);
}

static void odpt_bench_invalidate(struct kunit *test)
{
	struct odpt_rec *rec;
	struct odp_context *ctx = odpt_ctx_create(test, &rec);

	odpt_bench_inv_n(test, ctx, 1);
	odpt_bench_inv_n(test, ctx, 1000);
	odpt_bench_inv_n(test, ctx, 100000);
	odp_context_destroy(ctx);
}

static struct kunit_case odpt_bench_cases[] = {
	KUNIT_CASE_PARAM_ATTR(odpt_bench_fault, odpt_strategy_gen_params,
			      {.speed = KUNIT_SPEED_SLOW}),
	KUNIT_CASE_PARAM_ATTR(odpt_bench_fault_warm, odpt_strategy_gen_params,
			      {.speed = KUNIT_SPEED_SLOW}),
	KUNIT_CASE_PARAM_ATTR(odpt_bench_invalidate, odpt_strategy_gen_params,
			      {.speed = KUNIT_SPEED_SLOW}),
	{}
};

static struct kunit_suite odpt_bench_suite = {
	.name = "odp_core_bench",
	.test_cases = odpt_bench_cases,
};
kunit_test_suite(odpt_bench_suite);
