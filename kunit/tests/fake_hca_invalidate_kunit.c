// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA under invalidations: after munmap, MADV_DONTNEED, mremap, a
 * read-only mapping or the end of the address space, the device never
 * reaches a page the CPU no longer maps there, for every strategy and
 * both fault modes.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lib/odpt_hca.h"
#include "race/syscall.h"
#include "lib/report_check.h"

KUNIT_ARRAY_PARAM(odpt_inv, odpt_hca_params, odpt_hca_param_desc);

#define ODPT_INV_PAGES	4
#define ODPT_INV_LEN	(ODPT_INV_PAGES * PAGE_SIZE)

struct odpt_inv {
	struct fake_hca_dev *dev;
	struct fake_hca_uctx *uctx;
	struct fake_hca_mr *mr;
	unsigned long addr;
	u32 key;
	u8 *buf;
	u8 *expect;
};

static void odpt_inv_setup(struct kunit *test, struct odpt_inv *t,
			   unsigned long prot, unsigned int access)
{
	t->addr = odpt_hca_mmap(test, ODPT_INV_PAGES, prot);
	t->dev = odpt_hca_dev(test);
	t->uctx = odpt_hca_uctx(test, t->dev, test->param_value);
	t->buf = kunit_kzalloc(test, ODPT_INV_LEN, GFP_KERNEL);
	t->expect = kunit_kzalloc(test, ODPT_INV_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->buf);
	KUNIT_ASSERT_NOT_NULL(test, t->expect);
	if (prot & PROT_WRITE)
		odpt_hca_fill(test, t->addr, ODPT_INV_LEN, 1);
	t->mr = odpt_hca_reg(test, t->uctx, t->addr, ODPT_INV_LEN, access);
	t->key = fake_hca_mr_lkey(t->mr);
}

static void odpt_inv_munmap_remap(struct kunit *test)
{
	struct fake_hca_counters c;
	struct odpt_inv t;
	unsigned long addr;

	odpt_inv_setup(test, &t, PROT_READ | PROT_WRITE, FAKE_HCA_ACCESS_ALL);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf,
				      ODPT_INV_LEN));

	KUNIT_ASSERT_EQ(test, 0, vm_munmap(t.addr, ODPT_INV_LEN));
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(t.mr), 0UL);
	fake_hca_mr_counters(t.mr, &c);
	KUNIT_EXPECT_GE(test, c.invalidations, 1ULL);
	KUNIT_EXPECT_EQ(test, c.entries_cleared, (u64)ODPT_INV_PAGES);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_PAGE_FAULT_ERR,
			fake_hca_read(t.dev, t.key, t.addr, t.buf, 1));

	addr = vm_mmap(NULL, t.addr, ODPT_INV_LEN, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED, 0);
	KUNIT_ASSERT_EQ(test, addr, t.addr);
	odpt_hca_fill(test, t.addr, ODPT_INV_LEN, 200);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf,
				      ODPT_INV_LEN));
	odpt_pattern(t.expect, ODPT_INV_LEN, 200);
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_INV_LEN);
	odpt_hca_oracle(test, t.mr, t.addr, ODPT_INV_LEN);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_inv_dontneed(struct kunit *test)
{
	struct odpt_inv t;

	odpt_inv_setup(test, &t, PROT_READ | PROT_WRITE, FAKE_HCA_ACCESS_ALL);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf,
				      ODPT_INV_LEN));
	odpt_pattern(t.expect, ODPT_INV_LEN, 1);
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_INV_LEN);

	KUNIT_ASSERT_EQ(test, 0, do_madvise(current->mm, t.addr, ODPT_INV_LEN,
					    MADV_DONTNEED));
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(t.mr), 0UL);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf,
				      ODPT_INV_LEN));
	memset(t.expect, 0, ODPT_INV_LEN);
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_INV_LEN);
	odpt_hca_oracle(test, t.mr, t.addr, ODPT_INV_LEN);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_inv_mremap(struct kunit *test)
{
	unsigned long to;
	struct odpt_inv t;
	long ret;

	odpt_inv_setup(test, &t, PROT_READ | PROT_WRITE, FAKE_HCA_ACCESS_ALL);
	to = odpt_hca_mmap(test, ODPT_INV_PAGES, PROT_READ);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf,
				      ODPT_INV_LEN));

	ret = odpt_sys_mremap(t.addr, ODPT_INV_LEN, ODPT_INV_LEN,
			      MREMAP_MAYMOVE | MREMAP_FIXED, to);
	KUNIT_ASSERT_EQ(test, ret, (long)to);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(t.mr), 0UL);

	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_PAGE_FAULT_ERR,
			fake_hca_read(t.dev, t.key, t.addr, t.buf,
				      ODPT_INV_LEN));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_PAGE_FAULT_ERR,
			fake_hca_read(t.dev, t.key, t.addr + ODPT_INV_LEN - 1,
				      t.buf, 1));
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(t.mr), 0UL);

	/* The data moved with the mapping. */
	KUNIT_ASSERT_EQ(test, 0UL, copy_from_user(t.buf, (void __user *)to,
						  ODPT_INV_LEN));
	odpt_pattern(t.expect, ODPT_INV_LEN, 1);
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_INV_LEN);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_inv_read_only(struct kunit *test)
{
	struct fake_hca_counters c;
	struct odpt_inv t;

	odpt_inv_setup(test, &t, PROT_READ, FAKE_HCA_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_PAGE_FAULT_ERR,
			fake_hca_write(t.dev, t.key, t.addr + 5, t.buf, 10));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_PAGE_FAULT_ERR,
			fake_hca_atomic_fadd(t.dev, t.key, t.addr, 1, NULL));
	fake_hca_mr_counters(t.mr, &c);
	KUNIT_EXPECT_EQ(test, c.pages_mapped, 0ULL);
	KUNIT_EXPECT_EQ(test, c.errors, 2ULL);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(t.mr), 0UL);

	memset(t.buf, 0xff, ODPT_INV_LEN);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf,
				      ODPT_INV_LEN));
	KUNIT_EXPECT_MEMEQ(test, t.buf, t.expect, ODPT_INV_LEN);
	KUNIT_EXPECT_FALSE(test, fake_hca_mr_entry(t.mr, t.addr).access &
				 FAKE_HCA_ACCESS_WRITE);

	/* Still no write, and the read entries stay read only. */
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_PAGE_FAULT_ERR,
			fake_hca_write(t.dev, t.key, t.addr, t.buf, 1));
	KUNIT_EXPECT_FALSE(test, fake_hca_mr_entry(t.mr, t.addr).access &
				 FAKE_HCA_ACCESS_WRITE);
	odpt_hca_oracle(test, t.mr, t.addr, ODPT_INV_LEN);
	odpt_hca_uctx_destroy(test, t.uctx);
}

/*
 * The last user of the mm goes away: a fresh mm, used by this test's
 * kthread, holds the MR's memory; mmput() of its last user tears the
 * address space down under the device.
 */
static void odpt_inv_mm_release(struct kunit *test)
{
	const struct odpt_hca_param *p = test->param_value;
	struct fake_hca_uctx_attr attr = {
		.strategy = p->strategy,
		.fault_mode = p->fault_mode,
	};
	struct fake_hca_counters c;
	struct fake_hca_uctx *uctx;
	struct fake_hca_dev *dev;
	struct fake_hca_mr *mr;
	struct mm_struct *mm;
	unsigned long addr;
	u8 *buf;
	u32 key;

	KUNIT_ASSERT_NULL(test, current->mm);
	buf = kunit_kzalloc(test, ODPT_INV_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	dev = odpt_hca_dev(test);

	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->task_size = TASK_SIZE;
	arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
	kthread_use_mm(mm);

	addr = vm_mmap(NULL, 0, ODPT_INV_LEN, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	uctx = fake_hca_uctx_create(dev, &attr);
	if (IS_ERR_VALUE(addr) || IS_ERR(uctx)) {
		kthread_unuse_mm(mm);
		mmput(mm);
		if (!IS_ERR(uctx))
			fake_hca_uctx_destroy(uctx);
		KUNIT_FAIL(test, "vm_mmap %ld or uctx %d failed", (long)addr,
			   PTR_ERR_OR_ZERO(uctx));
		return;
	}
	mr = fake_hca_reg_mr(uctx, addr, ODPT_INV_LEN, FAKE_HCA_ACCESS_ALL);
	if (!IS_ERR(mr)) {
		key = fake_hca_mr_lkey(mr);
		odpt_pattern(buf, ODPT_INV_LEN, 3);
		KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
				fake_hca_write(dev, key, addr, buf,
					       ODPT_INV_LEN));
		KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr),
				(unsigned long)ODPT_INV_PAGES);
	}
	kthread_unuse_mm(mm);
	mmput(mm);	/* the last mm_users reference */

	if (IS_ERR(mr)) {
		fake_hca_uctx_destroy(uctx);
		KUNIT_FAIL(test, "reg_mr: %ld", PTR_ERR(mr));
		return;
	}
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr), 0UL);
	fake_hca_mr_counters(mr, &c);
	KUNIT_EXPECT_EQ(test, c.entries_cleared, (u64)ODPT_INV_PAGES);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_MM_GONE_ERR,
			fake_hca_read(dev, key, addr, buf, ODPT_INV_LEN));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_MM_GONE_ERR,
			fake_hca_prefetch(dev, key, addr, PAGE_SIZE,
					  FAKE_HCA_ACCESS_READ));
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr), 0UL);
	fake_hca_uctx_destroy(uctx);
}

static struct kunit_case odpt_inv_cases[] = {
	KUNIT_CASE_PARAM(odpt_inv_munmap_remap, odpt_inv_gen_params),
	KUNIT_CASE_PARAM(odpt_inv_dontneed, odpt_inv_gen_params),
	KUNIT_CASE_PARAM(odpt_inv_mremap, odpt_inv_gen_params),
	KUNIT_CASE_PARAM(odpt_inv_read_only, odpt_inv_gen_params),
	KUNIT_CASE_PARAM(odpt_inv_mm_release, odpt_inv_gen_params),
	{}
};

static struct kunit_suite odpt_inv_suite = {
	.name = "fake_hca_invalidate",
	.test_cases = odpt_inv_cases,
	.init = odpt_report_check_init,
};
kunit_test_suite(odpt_inv_suite);
