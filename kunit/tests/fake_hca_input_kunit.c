// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA, bad input: every malformed request completes with its own
 * error status and leaves the counters of what did not happen alone.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>

#include "lib/odpt_hca.h"
#include "lib/case_checks.h"

#define ODPT_IN_LEN	(2 * PAGE_SIZE)

struct odpt_in {
	struct fake_hca_dev *dev;
	struct fake_hca_uctx *uctx;
	struct fake_hca_mr *mr;
	unsigned long addr;
	u32 key;
	u8 buf[64];
};

static void odpt_in_setup(struct kunit *test, struct odpt_in *t,
			  unsigned int access)
{
	t->addr = odpt_hca_mmap(test, 2, PROT_READ | PROT_WRITE);
	t->dev = odpt_hca_dev(test);
	t->uctx = odpt_hca_uctx(test, t->dev, NULL);
	t->mr = odpt_hca_reg(test, t->uctx, t->addr, ODPT_IN_LEN, access);
	t->key = fake_hca_mr_lkey(t->mr);
}

/* Only the error counters moved, by @errors on the device and @mr_errors. */
static void odpt_in_expect_untouched(struct kunit *test, struct odpt_in *t,
				     u64 errors, u64 mr_errors)
{
	struct fake_hca_counters c;

	fake_hca_dev_counters(t->dev, &c);
	KUNIT_EXPECT_EQ(test, c.faults, 0ULL);
	KUNIT_EXPECT_EQ(test, c.pages_mapped, 0ULL);
	KUNIT_EXPECT_EQ(test, c.retries, 0ULL);
	KUNIT_EXPECT_EQ(test, c.errors, errors);
	fake_hca_mr_counters(t->mr, &c);
	KUNIT_EXPECT_EQ(test, c.faults, 0ULL);
	KUNIT_EXPECT_EQ(test, c.pages_mapped, 0ULL);
	KUNIT_EXPECT_EQ(test, c.errors, mr_errors);
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(t->mr), 0UL);
}

static void odpt_in_bad_key(struct kunit *test)
{
	struct odpt_in t;

	odpt_in_setup(test, &t, FAKE_HCA_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_read(t.dev, t.key + 1, t.addr, t.buf, 8));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_write(t.dev, 0, t.addr, t.buf, 8));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_atomic_fadd(t.dev, ~0U, t.addr, 1, NULL));
	odpt_in_expect_untouched(test, &t, 3, 0);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_in_bad_length(struct kunit *test)
{
	struct odpt_in t;

	odpt_in_setup(test, &t, FAKE_HCA_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_LEN_ERR,
			fake_hca_read(t.dev, t.key, t.addr, t.buf, 0));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_LEN_ERR,
			fake_hca_write(t.dev, t.key, t.addr, t.buf, 0));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_LEN_ERR,
			fake_hca_prefetch(t.dev, t.key, t.addr, 0,
					  FAKE_HCA_ACCESS_READ));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_LEN_ERR,
			fake_hca_read(t.dev, t.key, U64_MAX - 3, t.buf, 8));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_LEN_ERR,
			fake_hca_read(t.dev, t.key, t.addr, t.buf, SIZE_MAX));
	odpt_in_expect_untouched(test, &t, 5, 0);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_in_bad_request(struct kunit *test)
{
	struct odpt_in t;
	int i;

	odpt_in_setup(test, &t, FAKE_HCA_ACCESS_ALL);
	for (i = 1; i < 8; i++)
		KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_INV_REQ_ERR,
				fake_hca_atomic_fadd(t.dev, t.key, t.addr + i,
						     1, NULL));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_INV_REQ_ERR,
			fake_hca_prefetch(t.dev, t.key, t.addr, 8, 0));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_INV_REQ_ERR,
			fake_hca_prefetch(t.dev, t.key, t.addr, 8, 0x10));
	odpt_in_expect_untouched(test, &t, 9, 0);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_in_mr_access(struct kunit *test)
{
	struct odpt_in t;

	odpt_in_setup(test, &t, FAKE_HCA_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_write(t.dev, t.key, t.addr, t.buf, 8));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_atomic_fadd(t.dev, t.key, t.addr, 1, NULL));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_prefetch(t.dev, t.key, t.addr, 8,
					  FAKE_HCA_ACCESS_WRITE));
	odpt_in_expect_untouched(test, &t, 3, 3);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf, 8));
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_in_reg_mr(struct kunit *test)
{
	struct odpt_in t;

	odpt_in_setup(test, &t, FAKE_HCA_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			PTR_ERR(fake_hca_reg_mr(t.uctx, t.addr, 0,
						FAKE_HCA_ACCESS_ALL)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			PTR_ERR(fake_hca_reg_mr(t.uctx, t.addr, PAGE_SIZE, 0)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			PTR_ERR(fake_hca_reg_mr(t.uctx, U64_MAX - 10, 100,
						FAKE_HCA_ACCESS_ALL)));
	odpt_in_expect_untouched(test, &t, 0, 0);
	odpt_hca_uctx_destroy(test, t.uctx);
}

/*
 * A device full of MRs refuses the next with -EBUSY, and the refused
 * registration leaves nothing behind: its umem (and the notifier it
 * registered) is gone, the MR that holds the key still works, and once
 * it is deregistered its key serves again.
 */
static void odpt_in_mr_limit(struct kunit *test)
{
	struct fake_hca_mr *mr;
	struct odp_live before, after;
	struct odpt_in t;

	t.addr = odpt_hca_mmap(test, 2, PROT_READ | PROT_WRITE);
	t.dev = odpt_hca_dev(test);
	KUNIT_EXPECT_EQ(test, fake_hca_dev_set_max_mrs(t.dev, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_hca_dev_set_max_mrs(t.dev, FAKE_HCA_MAX_MRS + 1), -EINVAL);
	KUNIT_ASSERT_EQ(test, fake_hca_dev_set_max_mrs(t.dev, 1), 0);
	t.uctx = odpt_hca_uctx(test, t.dev, NULL);
	t.mr = odpt_hca_reg(test, t.uctx, t.addr, PAGE_SIZE, FAKE_HCA_ACCESS_ALL);
	t.key = fake_hca_mr_lkey(t.mr);
	KUNIT_EXPECT_EQ(test, fake_hca_dev_set_max_mrs(t.dev, 2), -EBUSY);

	odp_live_objects(&before);
	mr = fake_hca_reg_mr(t.uctx, t.addr + PAGE_SIZE, PAGE_SIZE, FAKE_HCA_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(mr), -EBUSY);
	odp_live_objects(&after);
	KUNIT_EXPECT_EQ_MSG(test, after.umems, before.umems, "the refused MR's umem is left");
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf, 8));

	fake_hca_dereg_mr(t.mr);
	mr = fake_hca_reg_mr(t.uctx, t.addr + PAGE_SIZE, PAGE_SIZE, FAKE_HCA_ACCESS_ALL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mr));
	KUNIT_EXPECT_EQ(test, fake_hca_mr_lkey(mr), t.key);
	fake_hca_dereg_mr(mr);
	odpt_hca_uctx_destroy(test, t.uctx);
}

static void odpt_in_dereg(struct kunit *test)
{
	struct fake_hca_counters c;
	struct odpt_in t;

	odpt_in_setup(test, &t, FAKE_HCA_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(t.dev, t.key, t.addr, t.buf, 8));
	fake_hca_dereg_mr(t.mr);
	/* a key that was valid: every kind of access, and a new MR's key differs */
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_read(t.dev, t.key, t.addr, t.buf, 8));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_write(t.dev, t.key, t.addr, t.buf, 8));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_atomic_fadd(t.dev, t.key, t.addr, 1, NULL));
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_prefetch(t.dev, t.key, t.addr, 8, FAKE_HCA_ACCESS_READ));
	fake_hca_dev_counters(t.dev, &c);
	KUNIT_EXPECT_EQ(test, c.errors, 4ULL);
	t.mr = odpt_hca_reg(test, t.uctx, t.addr, ODPT_IN_LEN, FAKE_HCA_ACCESS_ALL);
	KUNIT_EXPECT_NE(test, fake_hca_mr_lkey(t.mr), t.key);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_LOC_PROT_ERR,
			fake_hca_read(t.dev, t.key, t.addr, t.buf, 8));
	odpt_hca_uctx_destroy(test, t.uctx);
}

/*
 * A prefetch over a hole in the mapping fails with PAGE_FAULT_ERR and
 * maps nothing of the range (the fault commits only whole lookups); the
 * pages before the hole can then be prefetched alone. The suite's leak
 * check sees nothing left behind.
 */
static void odpt_in_prefetch_hole(struct kunit *test)
{
	unsigned long addr = odpt_hca_mmap(test, 4, PROT_READ | PROT_WRITE);
	struct fake_hca_dev *dev = odpt_hca_dev(test);
	struct fake_hca_uctx *uctx = odpt_hca_uctx(test, dev, NULL);
	struct fake_hca_mr *mr = odpt_hca_reg(test, uctx, addr, 4 * PAGE_SIZE,
					      FAKE_HCA_ACCESS_ALL);
	u32 key = fake_hca_mr_lkey(mr);

	KUNIT_ASSERT_EQ(test, vm_munmap(addr + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_PAGE_FAULT_ERR,
			fake_hca_prefetch(dev, key, addr, 4 * PAGE_SIZE, FAKE_HCA_ACCESS_WRITE));
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr), 0UL);
	KUNIT_EXPECT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_prefetch(dev, key, addr, 2 * PAGE_SIZE, FAKE_HCA_ACCESS_WRITE));
	KUNIT_EXPECT_EQ(test, fake_hca_mr_valid_entries(mr), 2UL);
	odpt_hca_oracle(test, mr, addr, 2 * PAGE_SIZE);
	odpt_hca_uctx_destroy(test, uctx);
}

static void odpt_in_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, fake_hca_status_name(FAKE_HCA_WC_SUCCESS),
			   "success");
	KUNIT_EXPECT_STREQ(test, fake_hca_status_name(FAKE_HCA_WC_NR),
			   "unknown");
	KUNIT_EXPECT_EQ(test, fake_hca_table_bytes_per_page(), sizeof(long));
}

static struct kunit_case odpt_in_cases[] = {
	KUNIT_CASE(odpt_in_bad_key),
	KUNIT_CASE(odpt_in_bad_length),
	KUNIT_CASE(odpt_in_bad_request),
	KUNIT_CASE(odpt_in_mr_access),
	KUNIT_CASE(odpt_in_reg_mr),
	KUNIT_CASE(odpt_in_mr_limit),
	KUNIT_CASE(odpt_in_dereg),
	KUNIT_CASE(odpt_in_prefetch_hole),
	KUNIT_CASE(odpt_in_names),
	{}
};

static struct kunit_suite odpt_in_suite = {
	.name = "fake_hca_input",
	.init = odpt_case_checks_init,
	.test_cases = odpt_in_cases,
};
kunit_test_suite(odpt_in_suite);
