// SPDX-License-Identifier: GPL-2.0
/*
 * The upstream backend reaches the kernel's own IB on-demand paging: a
 * device fault of an MR of backend "upstream" goes through
 * ib_umem_odp_map_dma_and_lock() (IB core's DMA list fills, with the
 * pages the CPU maps as their virtual DMA addresses) and an invalidation
 * through the MR's mmu_interval_notifier (the sequence moves, IB core's
 * DMA list and the device table empty, written pages come back dirty).
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <rdma/ib_umem_odp.h>

#include "lib/odpt_hca.h"
#include "lib/report_check.h"

#define ODPT_UP_PAGES	4
#define ODPT_UP_LEN	(ODPT_UP_PAGES * PAGE_SIZE)

static const struct odpt_hca_param odpt_up_param = {
	FAKE_HCA_BACKEND_UPSTREAM, FAKE_HCA_FAULT_INLINE
};

/* The page the CPU maps at @addr of the test's process, or NULL. */
static struct page *odpt_up_cpu_page(unsigned long addr)
{
	struct page *page = NULL;

	mmap_read_lock(current->mm);
	if (get_user_pages(addr, 1, 0, &page) != 1)
		page = NULL;
	mmap_read_unlock(current->mm);
	if (page)
		put_page(page);
	return page;
}

static void odpt_up_fault_and_invalidate(struct kunit *test)
{
	struct fake_hca_counters c;
	struct fake_hca_dev *dev;
	struct fake_hca_uctx *uctx;
	struct ib_umem_odp *odp;
	struct fake_hca_mr *mr;
	unsigned long addr, seq;
	u8 *buf;
	int i;

	buf = kunit_kzalloc(test, ODPT_UP_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	addr = odpt_hca_mmap(test, ODPT_UP_PAGES, PROT_READ | PROT_WRITE);
	odpt_hca_fill(test, addr, ODPT_UP_LEN, 3);
	dev = odpt_hca_dev(test);
	uctx = odpt_hca_uctx(test, dev, &odpt_up_param);
	KUNIT_EXPECT_NULL(test, fake_hca_uctx_odp(uctx));
	mr = odpt_hca_reg(test, uctx, addr, ODPT_UP_LEN, FAKE_HCA_ACCESS_ALL);
	odp = fake_hca_mr_ib_umem(mr);
	KUNIT_ASSERT_NOT_NULL(test, odp);
	KUNIT_EXPECT_EQ(test, ib_umem_start(odp), addr);
	KUNIT_EXPECT_EQ(test, ib_umem_end(odp), addr + ODPT_UP_LEN);
	KUNIT_EXPECT_EQ(test, odp->npages, 0);

	/* The device writes: IB core maps every page, for writing. */
	odpt_pattern(buf, ODPT_UP_LEN, 9);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_write(dev, fake_hca_mr_lkey(mr), addr, buf,
				       ODPT_UP_LEN));
	KUNIT_EXPECT_EQ(test, odp->npages, ODPT_UP_PAGES);
	for (i = 0; i < ODPT_UP_PAGES; i++) {
		struct page *cpu = odpt_up_cpu_page(addr + i * PAGE_SIZE);
		dma_addr_t dma = odp->dma_list[i];

		KUNIT_EXPECT_TRUE(test, dma & ODP_WRITE_ALLOWED_BIT);
		KUNIT_EXPECT_PTR_EQ(test, (void *)(uintptr_t)(dma & ODP_DMA_ADDR_MASK),
				    cpu ? page_address(cpu) : NULL);
		KUNIT_EXPECT_PTR_EQ(test, fake_hca_mr_entry(mr, addr + i * PAGE_SIZE).page,
				    cpu);
	}
	odpt_hca_oracle(test, mr, addr, ODPT_UP_LEN);

	/* An invalidation through the interval notifier: all of it goes. */
	seq = mmu_interval_read_begin(&odp->notifier);
	KUNIT_ASSERT_EQ(test, 0, do_madvise(current->mm, addr, PAGE_SIZE,
					    MADV_DONTNEED));
	KUNIT_EXPECT_TRUE(test, mmu_interval_read_retry(&odp->notifier, seq));
	KUNIT_EXPECT_EQ(test, odp->npages, ODPT_UP_PAGES - 1);
	KUNIT_EXPECT_EQ(test, odp->dma_list[0], 0);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr),
			(unsigned long)ODPT_UP_PAGES - 1);
	fake_hca_mr_counters(mr, &c);
	KUNIT_EXPECT_EQ(test, c.entries_cleared, 1ULL);

	/* The zapped page reads as zero, through a new fault. */
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(dev, fake_hca_mr_lkey(mr), addr, buf,
				      ODPT_UP_LEN));
	KUNIT_EXPECT_EQ(test, odp->npages, ODPT_UP_PAGES);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(buf, 0, PAGE_SIZE));
	odpt_hca_oracle(test, mr, addr, ODPT_UP_LEN);
	odpt_hca_uctx_destroy(test, uctx);
}

static struct kunit_case odpt_up_cases[] = {
	KUNIT_CASE(odpt_up_fault_and_invalidate),
	{}
};

static struct kunit_suite odpt_up_suite = {
	.name = "fake_hca_upstream",
	.test_cases = odpt_up_cases,
	.init = odpt_report_check_init,
};

kunit_test_suite(odpt_up_suite);
