// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA benchmarks (CONFIG_ODP_BENCH): warm read bandwidth through the
 * translation table against memcpy() of the same bytes from kernel
 * mappings of the same pages (one vmap() of them all, and the direct map
 * page by page), and cold accesses per second when every
 * page faults, per strategy and fault mode, against their floor: a bare
 * hmm_range_fault() loop over the same pages in the same kernel, with
 * nothing but the interval notifier it needs (Documentation/mm/hmm.rst's
 * driver loop, without a device table). Each result is one
 * "odp-bench:" line of key=value pairs; tools/bench/fake_hca_bench.sh
 * collects them.
 */
#include <kunit/test.h>
#include <linux/hmm.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "lib/odpt_hca.h"

#define ODPT_BENCH_PAGES	1024
#define ODPT_BENCH_LEN		(ODPT_BENCH_PAGES * PAGE_SIZE)
#define ODPT_BENCH_REPS		16

KUNIT_ARRAY_PARAM(odpt_bench, odpt_hca_params, odpt_hca_param_desc);

static u64 odpt_bench_mbps(u64 bytes, u64 ns)
{
	return ns ? div64_u64(bytes * 1000, ns) : 0;
}

static void odpt_bench_warm_read(struct kunit *test)
{
	struct fake_hca_uctx *uctx;
	struct fake_hca_dev *dev;
	struct fake_hca_mr *mr;
	u64 t0, dev_ns, cpu_ns, dmap_ns;
	struct page **pages;
	unsigned long addr;
	void *kmap_all;
	u8 *buf;
	u32 key;
	int i;

	addr = odpt_hca_mmap(test, ODPT_BENCH_PAGES, PROT_READ | PROT_WRITE);
	dev = odpt_hca_dev(test);
	uctx = odpt_hca_uctx(test, dev, NULL);
	odpt_hca_fill(test, addr, ODPT_BENCH_LEN, 1);
	mr = odpt_hca_reg(test, uctx, addr, ODPT_BENCH_LEN,
			  FAKE_HCA_ACCESS_ALL);
	key = fake_hca_mr_lkey(mr);
	buf = kunit_kmalloc(test, ODPT_BENCH_LEN, GFP_KERNEL);
	pages = kunit_kcalloc(test, ODPT_BENCH_PAGES, sizeof(*pages),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_prefetch(dev, key, addr, ODPT_BENCH_LEN,
					  FAKE_HCA_ACCESS_READ));

	/* The same pages, mapped contiguously in the kernel. */
	for (i = 0; i < ODPT_BENCH_PAGES; i++) {
		pages[i] = fake_hca_mr_entry(mr, addr + i * PAGE_SIZE).page;
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	kmap_all = vmap(pages, ODPT_BENCH_PAGES, VM_MAP, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kmap_all);

	/* One pass of each to warm the caches. */
	memcpy(buf, kmap_all, ODPT_BENCH_LEN);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(dev, key, addr, buf, ODPT_BENCH_LEN));

	t0 = ktime_get_ns();
	for (i = 0; i < ODPT_BENCH_REPS; i++)
		fake_hca_read(dev, key, addr, buf, ODPT_BENCH_LEN);
	dev_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < ODPT_BENCH_REPS; i++) {
		memcpy(buf, kmap_all, ODPT_BENCH_LEN);
		barrier();
	}
	cpu_ns = ktime_get_ns() - t0;
	vunmap(kmap_all);

	/* The same pages through the kernel's direct map, page by page. */
	t0 = ktime_get_ns();
	for (i = 0; i < ODPT_BENCH_REPS * ODPT_BENCH_PAGES; i++) {
		memcpy(buf + (i % ODPT_BENCH_PAGES) * PAGE_SIZE,
		       page_address(pages[i % ODPT_BENCH_PAGES]), PAGE_SIZE);
		barrier();
	}
	dmap_ns = ktime_get_ns() - t0;

	kunit_info(test,
		   "odp-bench: test=warm_read bytes=%lu device_mbps=%llu vmap_memcpy_mbps=%llu ratio_vmap_x1000=%llu directmap_memcpy_mbps=%llu ratio_directmap_x1000=%llu\n",
		   (unsigned long)ODPT_BENCH_LEN * ODPT_BENCH_REPS,
		   odpt_bench_mbps((u64)ODPT_BENCH_LEN * ODPT_BENCH_REPS,
				   dev_ns),
		   odpt_bench_mbps((u64)ODPT_BENCH_LEN * ODPT_BENCH_REPS,
				   cpu_ns),
		   dev_ns ? div64_u64(cpu_ns * 1000, dev_ns) : 0,
		   odpt_bench_mbps((u64)ODPT_BENCH_LEN * ODPT_BENCH_REPS,
				   dmap_ns),
		   dev_ns ? div64_u64(dmap_ns * 1000, dev_ns) : 0);
	kunit_info(test, "odp-bench: test=table bytes_per_page=%zu\n",
		   fake_hca_table_bytes_per_page());
	odpt_hca_uctx_destroy(test, uctx);
}

/*
 * Cold accesses: a fresh MR over pages the CPU has populated, so every
 * page starts without an entry. "bulk" reads the whole MR in one access
 * (faults cover up to 512 pages each); "page" reads one byte per page,
 * one fault per page.
 */
static u64 odpt_bench_cold(struct kunit *test, struct fake_hca_dev *dev,
			   struct fake_hca_uctx *uctx, unsigned long addr,
			   u8 *buf, bool per_page)
{
	struct fake_hca_mr *mr;
	u64 t0, ns;
	u32 key;
	int i;

	mr = odpt_hca_reg(test, uctx, addr, ODPT_BENCH_LEN,
			  FAKE_HCA_ACCESS_ALL);
	key = fake_hca_mr_lkey(mr);
	t0 = ktime_get_ns();
	if (per_page) {
		for (i = 0; i < ODPT_BENCH_PAGES; i++)
			KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
					fake_hca_read(dev, key,
						      addr + i * PAGE_SIZE,
						      buf, 1));
	} else {
		KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
				fake_hca_read(dev, key, addr, buf,
					      ODPT_BENCH_LEN));
	}
	ns = ktime_get_ns() - t0;
	fake_hca_dereg_mr(mr);
	return ns;
}

static bool odpt_bench_floor_invalidate(struct mmu_interval_notifier *mni,
					const struct mmu_notifier_range *range,
					unsigned long cur_seq)
{
	mmu_interval_set_seq(mni, cur_seq);
	return true;
}

static const struct mmu_interval_notifier_ops odpt_bench_floor_ops = {
	.invalidate = odpt_bench_floor_invalidate,
};

/* One hmm_range_fault() of [start, start + npages pages), retried on -EBUSY. */
static int odpt_bench_hmm_fault(struct mmu_interval_notifier *mni, unsigned long start,
				unsigned long npages, unsigned long *pfns)
{
	struct hmm_range range = {
		.notifier = mni,
		.start = start,
		.end = start + npages * PAGE_SIZE,
		.hmm_pfns = pfns,
		.default_flags = HMM_PFN_REQ_FAULT,
	};
	int ret;

	do {
		range.notifier_seq = mmu_interval_read_begin(mni);
		mmap_read_lock(current->mm);
		ret = hmm_range_fault(&range);
		mmap_read_unlock(current->mm);
	} while (ret == -EBUSY);
	return ret;
}

/*
 * The floor of a cold access: the CPU's side of its faults alone. "bulk"
 * faults the range 512 pages a call (as the fake HCA's faults go), "page"
 * one page a call.
 */
static u64 odpt_bench_floor(struct kunit *test, unsigned long addr, bool per_page)
{
	struct mmu_interval_notifier mni;
	unsigned long *pfns, i, chunk = per_page ? 1 : 512;
	u64 t0, ns;

	pfns = kunit_kcalloc(test, ODPT_BENCH_PAGES, sizeof(*pfns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfns);
	KUNIT_ASSERT_EQ(test, mmu_interval_notifier_insert(&mni, current->mm, addr,
							   ODPT_BENCH_LEN,
							   &odpt_bench_floor_ops), 0);
	t0 = ktime_get_ns();
	for (i = 0; i < ODPT_BENCH_PAGES; i += chunk)
		KUNIT_EXPECT_EQ(test, odpt_bench_hmm_fault(&mni, addr + i * PAGE_SIZE,
							   min(chunk, ODPT_BENCH_PAGES - i),
							   pfns + i), 0);
	ns = ktime_get_ns() - t0;
	mmu_interval_notifier_remove(&mni);
	for (i = 0; i < ODPT_BENCH_PAGES; i++)
		KUNIT_EXPECT_TRUE(test, pfns[i] & HMM_PFN_VALID);
	kunit_kfree(test, pfns);
	return ns;
}

static void odpt_bench_cold_access(struct kunit *test)
{
	const struct odpt_hca_param *p = test->param_value;
	u64 bulk_ns = 0, page_ns = 0, floor_bulk_ns = 0, floor_page_ns = 0, pages;
	struct fake_hca_uctx *uctx;
	struct fake_hca_dev *dev;
	unsigned long addr;
	int i, reps = 4;
	u8 *buf;

	addr = odpt_hca_mmap(test, ODPT_BENCH_PAGES, PROT_READ | PROT_WRITE);
	dev = odpt_hca_dev(test);
	uctx = odpt_hca_uctx(test, dev, p);
	odpt_hca_fill(test, addr, ODPT_BENCH_LEN, 2);
	buf = kunit_kmalloc(test, ODPT_BENCH_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/* A first MR that holds the notifier, as in a long-lived process. */
	odpt_hca_reg(test, uctx, addr, PAGE_SIZE, FAKE_HCA_ACCESS_READ);
	odpt_bench_cold(test, dev, uctx, addr, buf, false);
	for (i = 0; i < reps; i++) {
		bulk_ns += odpt_bench_cold(test, dev, uctx, addr, buf, false);
		page_ns += odpt_bench_cold(test, dev, uctx, addr, buf, true);
		floor_bulk_ns += odpt_bench_floor(test, addr, false);
		floor_page_ns += odpt_bench_floor(test, addr, true);
	}
	pages = (u64)ODPT_BENCH_PAGES * reps * NSEC_PER_SEC;
	kunit_info(test,
		   "odp-bench: test=cold strategy=%s mode=%s bulk_pages_per_s=%llu page_pages_per_s=%llu floor_bulk_pages_per_s=%llu floor_page_pages_per_s=%llu floor_ratio_bulk_x1000=%llu floor_ratio_page_x1000=%llu\n",
		   fake_hca_backend_name(p->strategy),
		   p->fault_mode == FAKE_HCA_FAULT_WORKER ? "worker" : "inline",
		   bulk_ns ? div64_u64(pages, bulk_ns) : 0,
		   page_ns ? div64_u64(pages, page_ns) : 0,
		   floor_bulk_ns ? div64_u64(pages, floor_bulk_ns) : 0,
		   floor_page_ns ? div64_u64(pages, floor_page_ns) : 0,
		   bulk_ns ? div64_u64(floor_bulk_ns * 1000, bulk_ns) : 0,
		   page_ns ? div64_u64(floor_page_ns * 1000, page_ns) : 0);
	odpt_hca_uctx_destroy(test, uctx);
}

static struct kunit_case odpt_bench_cases[] = {
	KUNIT_CASE(odpt_bench_warm_read),
	KUNIT_CASE_PARAM(odpt_bench_cold_access, odpt_bench_gen_params),
	{}
};

static struct kunit_suite odpt_bench_suite = {
	.name = "fake_hca_bench",
	.test_cases = odpt_bench_cases,
};
kunit_test_suite(odpt_bench_suite);
