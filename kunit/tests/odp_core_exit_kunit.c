// SPDX-License-Identifier: GPL-2.0
/*
 * odp_core_exit: the process goes away. A kthread builds a process of its
 * own (a fresh mm), registers and faults umems there, then drops the last
 * reference to the mm: the notifier's release must clear every entry,
 * tell the driver about the whole of each umem, and make faults fail.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>

#include "lib/odpt_util.h"
#include "race/task.h"
#include "lib/case_checks.h"

#define P	PAGE_SIZE

struct odpt_exit {
	enum odp_strategy strategy;
	struct odpt_rec *rec;
	int setup;
	int mapped[2];
	bool cleared[2];
	bool dying_before;
	bool dying[2];
	bool hook_whole[2];
	int fault_after[2];
	unsigned int count_after;
};

static int odpt_exit_fn(void *data)
{
	struct odpt_exit *x = data;
	struct odp_context *ctx;
	struct odp_umem *u[2] = {};
	struct mm_struct *mm;
	unsigned long a, i;

	x->setup = -ENOMEM;
	mm = odpt_new_mm();
	if (!mm)
		return 0;
	kthread_use_mm(mm);
	a = vm_mmap(NULL, 0, 4 * P, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	x->setup = -EFAULT;
	if (IS_ERR_VALUE(a))
		goto out_unuse;
	for (i = 0; i < 4; i++)
		if (copy_to_user((void __user *)(a + i * P), &i, 1))
			goto out_unuse;
	ctx = odp_context_create(&odpt_stub_ops, x->strategy, x->rec);
	if (IS_ERR(ctx))
		goto out_unuse;
	for (i = 0; i < 2; i++) {
		u[i] = odp_umem_get(ctx, a + 2 * i * P, 2 * P, ODP_ACCESS_ALL, NULL);
		if (IS_ERR(u[i])) {
			u[i] = NULL;
			goto out_release;
		}
		x->mapped[i] = odpt_fault(u[i], a + 2 * i * P, 2 * P, ODP_ACCESS_WRITE);
	}
	x->dying_before = odp_umem_dying(u[0]);
	odpt_rec_reset(x->rec);

	/* the process exits: its last mm user goes */
	kthread_unuse_mm(mm);
	mmput(mm);
	mm = NULL;

	for (i = 0; i < 2; i++) {
		u64 s = a + 2 * i * P;

		x->cleared[i] = !odpt_entry(u[i], s) && !odpt_entry(u[i], s + P);
		x->dying[i] = odp_umem_dying(u[i]);
		x->hook_whole[i] = odpt_rec_has(x->rec, u[i], s, s + 2 * P);
		x->fault_after[i] = odpt_fault(u[i], s, P, ODP_ACCESS_READ);
	}
	x->setup = 0;
out_release:
	for (i = 0; i < 2; i++)
		if (u[i])
			odp_umem_release(u[i]);
	x->count_after = odp_context_umem_count(ctx);
	odp_context_destroy(ctx);
out_unuse:
	if (mm) {
		kthread_unuse_mm(mm);
		mmput(mm);
	}
	return 0;
}

static void odpt_process_exit(struct kunit *test)
{
	const enum odp_strategy *s = test->param_value;
	struct odpt_exit *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	struct odpt_thread t;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, x);
	x->strategy = *s;
	x->rec = kunit_kzalloc(test, sizeof(*x->rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x->rec);
	spin_lock_init(&x->rec->lock);

	KUNIT_ASSERT_TRUE(test, odpt_run_thread(&t, odpt_exit_fn, x, "odpt_exit"));
	KUNIT_ASSERT_TRUE(test, odpt_thread_wait(&t));
	KUNIT_ASSERT_EQ(test, x->setup, 0);
	KUNIT_EXPECT_FALSE(test, x->dying_before);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, x->mapped[i], 2);
		KUNIT_EXPECT_TRUE(test, x->cleared[i]);
		KUNIT_EXPECT_TRUE(test, x->dying[i]);
		KUNIT_EXPECT_TRUE(test, x->hook_whole[i]);
		KUNIT_EXPECT_EQ(test, x->fault_after[i], -EFAULT);
	}
	KUNIT_EXPECT_EQ(test, x->count_after, 0U);
}

static struct kunit_case odpt_exit_cases[] = {
	KUNIT_CASE_PARAM(odpt_process_exit, odpt_strategy_gen_params),
	{}
};

static struct kunit_suite odpt_exit_suite = {
	.name = "odp_core_exit",
	.init = odpt_case_checks_init,
	.test_cases = odpt_exit_cases,
};
kunit_test_suite(odpt_exit_suite);
