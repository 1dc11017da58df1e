// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA under concurrency: device readers in their own kthreads
 * against a CPU thread that keeps zapping and rewriting the memory, and
 * against the MR being deregistered under them. Bounded by iteration
 * counts, never by time; what the run must show is the absence of
 * errors other than the expected ones, a clean lockdep log, and a table
 * that agrees with the CPU at the end.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "lib/odpt_hca.h"
#include "lib/odpt_util.h"
#include "lib/report_check.h"

#define ODPT_ST_PAGES	4
#define ODPT_ST_LEN	(ODPT_ST_PAGES * PAGE_SIZE)
#define ODPT_ST_READERS	2
#define ODPT_ST_ITERS	25
#define ODPT_ST_MAX_READS	1000000

KUNIT_ARRAY_PARAM(odpt_st, odpt_hca_params, odpt_hca_param_desc);

struct odpt_st_reader {
	struct fake_hca_dev *dev;
	u32 key;
	unsigned long addr;
	bool until_gone;		/* stop at the first LOC_PROT_ERR */
	bool *stop;			/* or when the zapper is done */
	unsigned int reads;
	unsigned int count[FAKE_HCA_WC_NR];
	struct completion started;
	struct completion done;
	u8 buf[ODPT_ST_LEN];
};

static int odpt_st_read_loop(void *data)
{
	struct odpt_st_reader *r = data;
	enum fake_hca_status st;
	int i;

	for (i = 0; i < ODPT_ST_MAX_READS; i++) {
		st = fake_hca_read(r->dev, r->key, r->addr + (i % 3) * 100,
				   r->buf, ODPT_ST_LEN - 300);
		r->count[st]++;
		if (i == 0)
			complete(&r->started);
		r->reads++;
		if (r->until_gone && st == FAKE_HCA_WC_LOC_PROT_ERR)
			break;
		if (r->stop && READ_ONCE(*r->stop))
			break;
		/*
		 * One CPU, no preemption: give the CPU away so that the
		 * threads interleave. Nothing relies on the order.
		 */
		usleep_range(5, 20);
	}
	complete(&r->done);
	return 0;
}

static struct odpt_st_reader *odpt_st_start(struct kunit *test,
					    struct fake_hca_dev *dev,
					    struct fake_hca_mr *mr,
					    unsigned long addr, bool until_gone,
					    bool *stop)
{
	struct odpt_st_reader *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->dev = dev;
	r->key = fake_hca_mr_lkey(mr);
	r->addr = addr;
	r->until_gone = until_gone;
	r->stop = stop;
	init_completion(&r->started);
	init_completion(&r->done);
	t = kthread_run(odpt_st_read_loop, r, "odpt_st_reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	return r;
}

static void odpt_st_zap_vs_read(struct kunit *test)
{
	struct odpt_st_reader *r[ODPT_ST_READERS];
	struct fake_hca_uctx *uctx;
	struct fake_hca_dev *dev;
	struct fake_hca_mr *mr;
	struct fake_hca_counters c;
	unsigned long addr;
	bool *stop;
	u8 *expect;
	int i;

	expect = kunit_kzalloc(test, ODPT_ST_LEN, GFP_KERNEL);
	stop = kunit_kzalloc(test, sizeof(*stop), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, expect);
	KUNIT_ASSERT_NOT_NULL(test, stop);
	addr = odpt_hca_mmap(test, ODPT_ST_PAGES, PROT_READ | PROT_WRITE);
	dev = odpt_hca_dev(test);
	uctx = odpt_hca_uctx(test, dev, test->param_value);
	mr = odpt_hca_reg(test, uctx, addr, ODPT_ST_LEN, FAKE_HCA_ACCESS_ALL);
	for (i = 0; i < ODPT_ST_READERS; i++)
		r[i] = odpt_st_start(test, dev, mr, addr, false, stop);

	for (i = 0; i < ODPT_ST_ITERS; i++) {
		KUNIT_EXPECT_EQ(test, 0,
				do_madvise(current->mm, addr + (i % 2) * PAGE_SIZE,
					   2 * PAGE_SIZE, MADV_DONTNEED));
		odpt_hca_fill(test, addr, ODPT_ST_LEN, i);
		usleep_range(5, 20);
	}
	WRITE_ONCE(*stop, true);

	for (i = 0; i < ODPT_ST_READERS; i++) {
		KUNIT_ASSERT_TRUE_MSG(test,
				      wait_for_completion_timeout(&r[i]->done,
								  ODPT_GUARD),
				      "reader %d never finished", i);
		/* Only success, or a fault that lost every retry. */
		KUNIT_EXPECT_EQ(test, r[i]->count[FAKE_HCA_WC_SUCCESS] +
				r[i]->count[FAKE_HCA_WC_RETRY_EXC_ERR],
				r[i]->reads);
	}
	fake_hca_mr_counters(mr, &c);
	kunit_info(test, "reads %u+%u faults %llu retries %llu invalidations %llu retry-exceeded %u+%u\n",
		   r[0]->reads, r[1]->reads, c.faults, c.retries,
		   c.invalidations, r[0]->count[FAKE_HCA_WC_RETRY_EXC_ERR],
		   r[1]->count[FAKE_HCA_WC_RETRY_EXC_ERR]);

	/* Quiet again: the table agrees with the CPU and so does the data. */
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_read(dev, fake_hca_mr_lkey(mr), addr,
				      r[0]->buf, ODPT_ST_LEN));
	odpt_pattern(expect, ODPT_ST_LEN, ODPT_ST_ITERS - 1);
	KUNIT_EXPECT_MEMEQ(test, r[0]->buf, expect, ODPT_ST_LEN);
	odpt_hca_oracle(test, mr, addr, ODPT_ST_LEN);
	odpt_hca_uctx_destroy(test, uctx);
}

static void odpt_st_dereg_vs_read(struct kunit *test)
{
	struct odpt_st_reader *r[ODPT_ST_READERS];
	struct fake_hca_uctx *uctx;
	struct fake_hca_dev *dev;
	struct fake_hca_mr *mr;
	unsigned long addr;
	int i, s;

	addr = odpt_hca_mmap(test, ODPT_ST_PAGES, PROT_READ | PROT_WRITE);
	odpt_hca_fill(test, addr, ODPT_ST_LEN, 3);
	dev = odpt_hca_dev(test);
	uctx = odpt_hca_uctx(test, dev, test->param_value);
	mr = odpt_hca_reg(test, uctx, addr, ODPT_ST_LEN, FAKE_HCA_ACCESS_ALL);
	for (i = 0; i < ODPT_ST_READERS; i++)
		r[i] = odpt_st_start(test, dev, mr, addr, true, NULL);
	for (i = 0; i < ODPT_ST_READERS; i++)
		KUNIT_ASSERT_TRUE(test,
				  wait_for_completion_timeout(&r[i]->started,
							      ODPT_GUARD));
	/* Zap once so that faults are in flight when the MR goes. */
	KUNIT_EXPECT_EQ(test, 0, do_madvise(current->mm, addr, ODPT_ST_LEN,
					    MADV_DONTNEED));
	fake_hca_dereg_mr(mr);

	for (i = 0; i < ODPT_ST_READERS; i++) {
		KUNIT_ASSERT_TRUE_MSG(test,
				      wait_for_completion_timeout(&r[i]->done,
								  ODPT_GUARD),
				      "reader %d never saw the key go", i);
		KUNIT_EXPECT_EQ(test, r[i]->count[FAKE_HCA_WC_LOC_PROT_ERR], 1U);
		for (s = 0; s < FAKE_HCA_WC_NR; s++)
			if (s != FAKE_HCA_WC_SUCCESS &&
			    s != FAKE_HCA_WC_LOC_PROT_ERR &&
			    s != FAKE_HCA_WC_MR_DYING_ERR)
				KUNIT_EXPECT_EQ_MSG(test, r[i]->count[s], 0U,
						    "%s", fake_hca_status_name(s));
	}
	odpt_hca_uctx_destroy(test, uctx);
}

static struct kunit_case odpt_st_cases[] = {
	KUNIT_CASE_PARAM(odpt_st_zap_vs_read, odpt_st_gen_params),
	KUNIT_CASE_PARAM(odpt_st_dereg_vs_read, odpt_st_gen_params),
	{}
};

static struct kunit_suite odpt_st_suite = {
	.name = "fake_hca_stress",
	.test_cases = odpt_st_cases,
	.init = odpt_report_check_init,
};
kunit_test_suite(odpt_st_suite);
