// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA fault racing an invalidation: a device read is stopped after
 * the core looked the CPU pages up and before it commits them; the test
 * zaps the range with MADV_DONTNEED and writes new data; the fault must
 * then lose its commit (-EAGAIN; upstream, ib_umem_odp_map_dma_and_lock()
 * samples again by itself), retry and read the new data, in either
 * fault mode and on every backend. Threads are ordered by sync points
 * and completions only; timeouts are failure guards.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <odp/sync_point.h>

#include "lib/odpt_hca.h"
#include "lib/case_checks.h"
#include "lib/sync_guard.h"

#define ODPT_RACE_LEN		(2 * PAGE_SIZE)
#define ODPT_RACE_GUARD		(10 * HZ)

KUNIT_ARRAY_PARAM(odpt_race, odpt_hca_params, odpt_hca_param_desc);

struct odpt_race {
	struct odp_sync_handler h;
	const void *umem;
	atomic_t armed;
	atomic_t queued;
	atomic_t handling;
	atomic_t sampled;
	struct completion reached;
	struct completion resume;
	struct completion done;
	struct fake_hca_dev *dev;
	u32 key;
	unsigned long addr;
	u8 *buf;
	enum fake_hca_status status;
};

static void odpt_race_reached(struct odp_sync_handler *h,
			      unsigned int sp, const void *obj,
			      u64 start, u64 end)
{
	struct odpt_race *r = h->data;

	if (obj != r->umem)
		return;
	if (sp == FAKE_HCA_SP_FAULT_QUEUED)
		atomic_inc(&r->queued);
	if (sp == FAKE_HCA_SP_FAULT_HANDLING)
		atomic_inc(&r->handling);
	if (sp == ODP_SP_FAULT_SAMPLED)
		atomic_inc(&r->sampled);
	if (sp == ODP_SP_FAULT_LOOKED_UP && atomic_xchg(&r->armed, 0)) {
		complete(&r->reached);
		wait_for_completion_timeout(&r->resume, ODPT_RACE_GUARD);
	}
}

/* however the case ends, the stopped fault goes on before the handler goes */
static void odpt_race_let_go(struct odp_sync_handler *h)
{
	struct odpt_race *r = h->data;

	complete(&r->resume);
}

static int odpt_race_reader(void *data)
{
	struct odpt_race *r = data;

	r->status = fake_hca_read(r->dev, r->key, r->addr, r->buf,
				  ODPT_RACE_LEN);
	complete(&r->done);
	return 0;
}

static void odpt_race_fault_vs_dontneed(struct kunit *test)
{
	const struct odpt_hca_param *p = test->param_value;
	struct fake_hca_counters c;
	struct task_struct *reader;
	struct fake_hca_uctx *uctx;
	struct fake_hca_mr *mr;
	struct odpt_race *r;
	u8 *expect;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	expect = kunit_kzalloc(test, ODPT_RACE_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, expect);
	r->buf = kunit_kzalloc(test, ODPT_RACE_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->buf);
	r->addr = odpt_hca_mmap(test, 2, PROT_READ | PROT_WRITE);
	r->dev = odpt_hca_dev(test);
	uctx = odpt_hca_uctx(test, r->dev, p);
	odpt_hca_fill(test, r->addr, ODPT_RACE_LEN, 1);
	mr = odpt_hca_reg(test, uctx, r->addr, ODPT_RACE_LEN,
			  FAKE_HCA_ACCESS_ALL);
	r->key = fake_hca_mr_lkey(mr);
	r->umem = fake_hca_mr_sync_obj(mr);
	init_completion(&r->reached);
	init_completion(&r->resume);
	init_completion(&r->done);
	atomic_set(&r->armed, 1);
	r->h.reached = odpt_race_reached;
	r->h.data = r;
	KUNIT_ASSERT_EQ(test, 0, odpt_sync_guard(test, &r->h, odpt_race_let_go));

	reader = kthread_run(odpt_race_reader, r, "odpt_race_reader");
	if (IS_ERR(reader)) {
		odp_sync_uninstall(&r->h);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(reader));
		return;
	}
	if (!wait_for_completion_timeout(&r->reached, ODPT_RACE_GUARD))
		KUNIT_FAIL(test, "the fault never reached FAULT_LOOKED_UP");

	/* The fault holds the old pages; zap them and write new data. */
	KUNIT_EXPECT_EQ(test, 0, do_madvise(current->mm, r->addr,
					    ODPT_RACE_LEN, MADV_DONTNEED));
	odpt_hca_fill(test, r->addr, ODPT_RACE_LEN, 100);
	complete(&r->resume);

	if (!wait_for_completion_timeout(&r->done, ODPT_RACE_GUARD))
		KUNIT_FAIL(test, "the device read never completed");
	odp_sync_uninstall(&r->h);
	if (!completion_done(&r->done))
		return;

	KUNIT_EXPECT_EQ(test, r->status, FAKE_HCA_WC_SUCCESS);
	odpt_pattern(expect, ODPT_RACE_LEN, 100);
	KUNIT_EXPECT_MEMEQ(test, r->buf, expect, ODPT_RACE_LEN);
	fake_hca_mr_counters(mr, &c);
	/* upstream retries inside ib_umem_odp_map_dma_and_lock(): it samples again */
	if (p->strategy == FAKE_HCA_BACKEND_UPSTREAM)
		KUNIT_EXPECT_GE(test, atomic_read(&r->sampled), 2);
	else
		KUNIT_EXPECT_GE(test, c.retries, 1ULL);
	KUNIT_EXPECT_EQ(test, c.errors, 0ULL);
	if (p->fault_mode == FAKE_HCA_FAULT_WORKER) {
		KUNIT_EXPECT_GE(test, atomic_read(&r->queued), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&r->queued),
				atomic_read(&r->handling));
	} else {
		KUNIT_EXPECT_EQ(test, atomic_read(&r->queued), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&r->handling), 0);
	}
	odpt_hca_uctx_destroy(test, uctx);
}

static struct kunit_case odpt_race_cases[] = {
	KUNIT_CASE_PARAM(odpt_race_fault_vs_dontneed, odpt_race_gen_params),
	{}
};

static struct kunit_suite odpt_race_suite = {
	.name = "fake_hca_race",
	.init = odpt_case_checks_init,
	.test_cases = odpt_race_cases,
};
kunit_test_suite(odpt_race_suite);
