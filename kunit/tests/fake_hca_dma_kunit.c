// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA DMA engine: what the CPU writes the device reads and the
 * reverse, across pages, through two MRs and two devices, with atomics
 * and prefetch, for every strategy and both fault modes.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/page-flags.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lib/odpt_hca.h"
#include "lib/report_check.h"

KUNIT_ARRAY_PARAM(odpt_dma, odpt_hca_params, odpt_hca_param_desc);

#define ODPT_DMA_PAGES	4
#define ODPT_DMA_LEN	(ODPT_DMA_PAGES * PAGE_SIZE)

struct odpt_dma {
	struct fake_hca_dev *dev;
	struct fake_hca_uctx *uctx;
	unsigned long addr;
	u8 *buf;
	u8 *expect;
};

static void odpt_dma_setup(struct kunit *test, struct odpt_dma *t)
{
	t->addr = odpt_hca_mmap(test, ODPT_DMA_PAGES, PROT_READ | PROT_WRITE);
	t->dev = odpt_hca_dev(test);
	t->uctx = odpt_hca_uctx(test, t->dev, test->param_value);
	t->buf = kunit_kzalloc(test, ODPT_DMA_LEN, GFP_KERNEL);
	t->expect = kunit_kzalloc(test, ODPT_DMA_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->buf);
	KUNIT_ASSERT_NOT_NULL(test, t->expect);
}

static void odpt_dma_cpu_device(struct kunit *test)
{
	struct fake_hca_counters c;
	struct fake_hca_tentry e;
	struct fake_hca_mr *mr;
	struct odpt_dma t;
	u32 key;
	int i;

	odpt_dma_setup(test, &t);
	odpt_hca_fill(test, t.addr, ODPT_DMA_LEN, 1);
	mr = odpt_hca_reg(test, t.uctx, t.addr, ODPT_DMA_LEN,
			  FAKE_HCA_ACCESS_ALL);
	key = fake_hca_mr_lkey(mr);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr), 0UL);

	/* CPU -> device */
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, key, t.addr, t.buf, ODPT_DMA_LEN));
	odpt_pattern(t.expect, ODPT_DMA_LEN, 1);
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_DMA_LEN);
	fake_hca_mr_counters(mr, &c);
	KUNIT_EXPECT_GE(test, c.faults, 1ULL);
	KUNIT_EXPECT_GE(test, c.pages_mapped, (u64)ODPT_DMA_PAGES);
	KUNIT_EXPECT_EQ(test, c.errors, 0ULL);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr),
			(unsigned long)ODPT_DMA_PAGES);

	/* device -> CPU, and the pages the device wrote are dirty */
	odpt_pattern(t.expect, ODPT_DMA_LEN, 99);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_write(t.dev, key, t.addr, t.expect,
				       ODPT_DMA_LEN));
	for (i = 0; i < ODPT_DMA_PAGES; i++) {
		e = fake_hca_mr_entry(mr, t.addr + i * PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL(test, e.page);
		KUNIT_EXPECT_TRUE(test, e.access & FAKE_HCA_ACCESS_WRITE);
		KUNIT_EXPECT_TRUE(test, PageDirty(e.page));
	}
	memset(t.buf, 0, ODPT_DMA_LEN);
	KUNIT_ASSERT_EQ(test, 0UL, copy_from_user(t.buf, (void __user *)t.addr,
						  ODPT_DMA_LEN));
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_DMA_LEN);
	odpt_hca_oracle(test, mr, t.addr, ODPT_DMA_LEN);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_dma_page_boundary(struct kunit *test)
{
	const size_t len = 100, off = PAGE_SIZE - 37;
	struct fake_hca_mr *mr;
	struct odpt_dma t;
	u32 key;

	odpt_dma_setup(test, &t);
	mr = odpt_hca_reg(test, t.uctx, t.addr, ODPT_DMA_LEN,
			  FAKE_HCA_ACCESS_ALL);
	key = fake_hca_mr_rkey(mr);

	odpt_hca_fill(test, t.addr + off, len, 5);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, key, t.addr + off, t.buf, len));
	odpt_pattern(t.expect, len, 5);
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, len);

	/* Three pages, from one byte into the first to one before the end. */
	odpt_pattern(t.expect, 3 * PAGE_SIZE - 2, 77);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_write(t.dev, key, t.addr + PAGE_SIZE + 1,
				       t.expect, 3 * PAGE_SIZE - 2));
	KUNIT_ASSERT_EQ(test, 0UL,
			copy_from_user(t.buf,
				       (void __user *)(t.addr + PAGE_SIZE + 1),
				       3 * PAGE_SIZE - 2));
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, 3 * PAGE_SIZE - 2);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_dma_mr_end(struct kunit *test)
{
	u64 v = 0x1122334455667788ULL, orig = 0, len = 2 * PAGE_SIZE - 8;
	struct fake_hca_counters before, after;
	struct fake_hca_mr *mr;
	struct odpt_dma t;
	u64 last;
	u32 key;

	odpt_dma_setup(test, &t);
	/* An MR that starts 8 bytes into a page and ends mid-page. */
	mr = odpt_hca_reg(test, t.uctx, t.addr + 8, len, FAKE_HCA_ACCESS_ALL);
	key = fake_hca_mr_lkey(mr);
	last = t.addr + 8 + len - sizeof(u64);
	KUNIT_ASSERT_EQ(test, 0UL, copy_to_user((void __user *)last, &v,
						sizeof(v)));

	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_atomic_fadd(t.dev, key, last, 5, &orig));
	KUNIT_EXPECT_EQ(test, orig, v);
	KUNIT_ASSERT_EQ(test, 0UL, copy_from_user(&orig, (void __user *)last,
						  sizeof(orig)));
	KUNIT_EXPECT_EQ(test, orig, v + 5);

	/* The whole MR reads; one byte more does not. */
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, key, t.addr + 8, t.buf, len));
	fake_hca_mr_counters(mr, &before);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_read(t.dev, key, t.addr + 8, t.buf, len + 1));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_read(t.dev, key, t.addr + 8 + len, t.buf, 1));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_read(t.dev, key, t.addr + 7, t.buf, 1));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_atomic_fadd(t.dev, key, last + 8, 1, NULL));
	fake_hca_mr_counters(mr, &after);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 4);
	KUNIT_EXPECT_EQ(test, after.faults, before.faults);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_dma_two_mrs(struct kunit *test)
{
	struct fake_hca_mr *a, *b;
	struct odpt_dma t;

	odpt_dma_setup(test, &t);
	a = odpt_hca_reg(test, t.uctx, t.addr, ODPT_DMA_LEN,
			 FAKE_HCA_ACCESS_ALL);
	b = odpt_hca_reg(test, t.uctx, t.addr + PAGE_SIZE, 2 * PAGE_SIZE,
			 FAKE_HCA_ACCESS_ALL);
	KUNIT_EXPECT_NE(test, fake_hca_mr_lkey(a), fake_hca_mr_lkey(b));

	odpt_pattern(t.expect, ODPT_DMA_LEN, 33);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_write(t.dev, fake_hca_mr_lkey(a), t.addr,
				       t.expect, ODPT_DMA_LEN));
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, fake_hca_mr_lkey(b),
				      t.addr + PAGE_SIZE, t.buf,
				      2 * PAGE_SIZE));
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect + PAGE_SIZE, 2 * PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, fake_hca_mr_entry(a, t.addr + PAGE_SIZE).page,
			    fake_hca_mr_entry(b, t.addr + PAGE_SIZE).page);

	odpt_hca_oracle(test, a, t.addr, ODPT_DMA_LEN);
	odpt_hca_oracle(test, b, t.addr, ODPT_DMA_LEN);

	/* Deregistering one leaves the other working. */
	fake_hca_dereg_mr(b);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, fake_hca_mr_lkey(a), t.addr,
				      t.buf, ODPT_DMA_LEN));
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_DMA_LEN);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_dma_two_devices(struct kunit *test)
{
	struct fake_hca_uctx *uctx2;
	struct fake_hca_dev *dev2;
	struct fake_hca_mr *a, *b;
	struct odpt_dma t;
	u64 orig = 0;

	odpt_dma_setup(test, &t);
	dev2 = odpt_hca_dev(test);
	uctx2 = odpt_hca_uctx(test, dev2, test->param_value);
	a = odpt_hca_reg(test, t.uctx, t.addr, ODPT_DMA_LEN,
			 FAKE_HCA_ACCESS_ALL);
	b = odpt_hca_reg(test, uctx2, t.addr, ODPT_DMA_LEN,
			 FAKE_HCA_ACCESS_ALL);

	odpt_pattern(t.expect, ODPT_DMA_LEN, 44);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_write(t.dev, fake_hca_mr_lkey(a), t.addr,
				       t.expect, ODPT_DMA_LEN));
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(dev2, fake_hca_mr_lkey(b), t.addr,
				      t.buf, ODPT_DMA_LEN));
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_DMA_LEN);

	/* Atomics from both devices on one word. */
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_atomic_fadd(t.dev, fake_hca_mr_lkey(a),
					     t.addr, 1, NULL));
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_atomic_fadd(dev2, fake_hca_mr_lkey(b),
					     t.addr, 2, &orig));
	KUNIT_EXPECT_EQ(test, orig, *(u64 *)t.expect + 1);

	/* A munmap clears both devices' tables. */
	KUNIT_ASSERT_EQ(test, 0, vm_munmap(t.addr + PAGE_SIZE, PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, fake_hca_mr_entry(a, t.addr + PAGE_SIZE).page);
	KUNIT_EXPECT_NULL(test, fake_hca_mr_entry(b, t.addr + PAGE_SIZE).page);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(a),
			(unsigned long)ODPT_DMA_PAGES - 1);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(b),
			(unsigned long)ODPT_DMA_PAGES - 1);
	odpt_hca_oracle(test, a, t.addr, ODPT_DMA_LEN);
	odpt_hca_oracle(test, b, t.addr, ODPT_DMA_LEN);
	odpt_hca_uctx_destroy(test, uctx2);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_dma_prefetch(struct kunit *test)
{
	struct fake_hca_counters before, after;
	struct fake_hca_mr *mr;
	struct odpt_dma t;
	u32 key;

	odpt_dma_setup(test, &t);
	odpt_hca_fill(test, t.addr, ODPT_DMA_LEN, 9);
	mr = odpt_hca_reg(test, t.uctx, t.addr, ODPT_DMA_LEN,
			  FAKE_HCA_ACCESS_ALL);
	key = fake_hca_mr_lkey(mr);

	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_prefetch(t.dev, key, t.addr, ODPT_DMA_LEN,
					  FAKE_HCA_ACCESS_WRITE));
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr),
			(unsigned long)ODPT_DMA_PAGES);
	KUNIT_EXPECT_TRUE(test, fake_hca_mr_entry(mr, t.addr).access &
				FAKE_HCA_ACCESS_WRITE);

	/* Prefetched: reads and writes take no fault. */
	fake_hca_mr_counters(mr, &before);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, key, t.addr, t.buf, ODPT_DMA_LEN));
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_write(t.dev, key, t.addr, t.buf, ODPT_DMA_LEN));
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_prefetch(t.dev, key, t.addr, ODPT_DMA_LEN,
					  FAKE_HCA_ACCESS_READ));
	fake_hca_mr_counters(mr, &after);
	KUNIT_EXPECT_EQ(test, after.faults, before.faults);
	odpt_pattern(t.expect, ODPT_DMA_LEN, 9);
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_DMA_LEN);
	odpt_hca_uctx_destroy(test, t.uctx);
}

/* One fixed script of accesses; returns each step's status in @st. */
static void odpt_dma_script(struct kunit *test, struct fake_hca_dev *dev,
			    struct fake_hca_mr *mr, unsigned long addr,
			    u8 *out, enum fake_hca_status *st)
{
	u32 key = fake_hca_mr_lkey(mr);
	u8 *w = out + ODPT_DMA_LEN;
	u64 orig = 0;
	int n = 0;

	odpt_pattern(w, ODPT_DMA_LEN, 61);
	st[n++] = fake_hca_read(dev, key, addr, out, ODPT_DMA_LEN - 2);
	st[n++] = fake_hca_write(dev, key, addr + PAGE_SIZE - 3, w, 10);
	st[n++] = fake_hca_atomic_fadd(dev, key, addr + ODPT_DMA_LEN - 16, 3,
				       &orig);
	st[n++] = fake_hca_read(dev, key, addr + ODPT_DMA_LEN - 4, out, 8);
	st[n++] = do_madvise(current->mm, addr + PAGE_SIZE, PAGE_SIZE,
			     MADV_DONTNEED) ? FAKE_HCA_WC_NR : 0;
	st[n++] = fake_hca_read(dev, key, addr, out, ODPT_DMA_LEN - 2);
	st[n++] = fake_hca_prefetch(dev, key, addr, ODPT_DMA_LEN - 2,
				    FAKE_HCA_ACCESS_WRITE);
	st[n++] = fake_hca_write(dev, key, addr + 2 * PAGE_SIZE, w, 5000);
	st[n++] = fake_hca_atomic_fadd(dev, key, addr + 4, 1, NULL);
	st[n++] = orig + 3 == *(u64 *)(out + ODPT_DMA_LEN - 16) ? 0 :
		  FAKE_HCA_WC_NR;
	KUNIT_ASSERT_EQ(test, 0UL, copy_from_user(out + ODPT_DMA_LEN,
						  (void __user *)addr,
						  ODPT_DMA_LEN));
}

#define ODPT_DMA_STEPS	10

/* The same script gives the same statuses, data and counters in both modes. */
static void odpt_dma_modes_agree(struct kunit *test)
{
	enum fake_hca_status st[2][ODPT_DMA_STEPS];
	struct fake_hca_counters c[2];
	struct odpt_hca_param p[2];
	struct fake_hca_uctx *uctx;
	struct fake_hca_dev *dev;
	struct fake_hca_mr *mr;
	unsigned long addr;
	u8 *out[2];
	int s, m;

	dev = odpt_hca_dev(test);
	for (m = 0; m < 2; m++) {
		out[m] = kunit_kzalloc(test, 2 * ODPT_DMA_LEN, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, out[m]);
	}
	for (s = 0; s < FAKE_HCA_NR_BACKENDS; s++) {
		for (m = 0; m < 2; m++) {
			p[m].strategy = s;
			p[m].fault_mode = m ? FAKE_HCA_FAULT_WORKER :
					      FAKE_HCA_FAULT_INLINE;
			addr = odpt_hca_mmap(test, ODPT_DMA_PAGES,
					     PROT_READ | PROT_WRITE);
			odpt_hca_fill(test, addr, ODPT_DMA_LEN, 17);
			uctx = odpt_hca_uctx(test, dev, &p[m]);
			mr = odpt_hca_reg(test, uctx, addr, ODPT_DMA_LEN - 2,
					  FAKE_HCA_ACCESS_ALL);
			odpt_dma_script(test, dev, mr, addr, out[m], st[m]);
			fake_hca_mr_counters(mr, &c[m]);
			odpt_hca_uctx_destroy(test, uctx);
		}
		KUNIT_EXPECT_MEMEQ_MSG(test, st[0], st[1], sizeof(st[0]),
				       "strategy %s", fake_hca_backend_name(s));
		KUNIT_EXPECT_MEMEQ(test, out[0], out[1], 2 * ODPT_DMA_LEN);
		KUNIT_EXPECT_EQ(test, c[0].faults, c[1].faults);
		KUNIT_EXPECT_EQ(test, c[0].pages_mapped, c[1].pages_mapped);
		KUNIT_EXPECT_EQ(test, c[0].entries_cleared, c[1].entries_cleared);
		KUNIT_EXPECT_EQ(test, c[0].errors, c[1].errors);
		for (m = 0; m < ODPT_DMA_STEPS; m++)
			KUNIT_EXPECT_EQ_MSG(test, st[0][m],
					    m == 3 ? FAKE_HCA_WC_LOC_PROT_ERR :
					    m == 8 ? FAKE_HCA_WC_INV_REQ_ERR :
					    FAKE_HCA_WC_SUCCESS, "step %d", m);
	}
}

static struct kunit_case odpt_dma_cases[] = {
	KUNIT_CASE_PARAM(odpt_dma_cpu_device, odpt_dma_gen_params),
	KUNIT_CASE_PARAM(odpt_dma_page_boundary, odpt_dma_gen_params),
	KUNIT_CASE_PARAM(odpt_dma_mr_end, odpt_dma_gen_params),
	KUNIT_CASE_PARAM(odpt_dma_two_mrs, odpt_dma_gen_params),
	KUNIT_CASE_PARAM(odpt_dma_two_devices, odpt_dma_gen_params),
	KUNIT_CASE_PARAM(odpt_dma_prefetch, odpt_dma_gen_params),
	KUNIT_CASE(odpt_dma_modes_agree),
	{}
};

static struct kunit_suite odpt_dma_suite = {
	.name = "fake_hca_dma",
	.test_cases = odpt_dma_cases,
	.init = odpt_report_check_init,
};
kunit_test_suite(odpt_dma_suite);
