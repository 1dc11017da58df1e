// SPDX-License-Identifier: GPL-2.0
/*
 * odp_smp_stress: every CPU at once, on one address space and one fake
 * HCA user context, for every strategy and fault mode. Built only for SMP
 * kernels (x86_64 under QEMU): on one CPU, the scripted suites already
 * order every thread.
 *
 * One thread per online CPU, bound to it, each running a fixed number of
 * iterations (odp_kunit.stress_iters, default 2000) of operations picked by a per-thread pseudo-random sequence
 * (the same for every run): device faults (prefetch), device reads and
 * writes through two MRs that overlap, CPU writes, MADV_DONTNEED, a page
 * unmapped and mapped again in place, and an MR of its own registered
 * and deregistered over the shared pages. Nothing is asserted while they
 * run but the statuses, which must be among those the fake HCA documents
 * for a racing access; every bound is an iteration count, never a time.
 * Once every thread is done, the table of each MR must agree with the
 * CPU's page table (no stale entry), and a device read of each MR must
 * return what the CPU reads. Under --kcsan, KCSAN must report nothing.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/prandom.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lib/odpt_util.h"
#include "module_params.h"
#include "lib/odpt_hca.h"
#include "lib/report_check.h"

#define ODPT_SS_PAGES		16
#define ODPT_SS_MR_PAGES	8
#define ODPT_SS_MAX_LEN		(3 * PAGE_SIZE)

enum odpt_ss_op {
	ODPT_SS_PREFETCH,
	ODPT_SS_DEV_READ,
	ODPT_SS_DEV_WRITE,
	ODPT_SS_CPU_WRITE,
	ODPT_SS_MADVISE,
	ODPT_SS_REMAP,
	ODPT_SS_REG_DEREG,
	ODPT_SS_NR_OPS,
};

struct odpt_ss {
	struct fake_hca_dev *dev;
	struct fake_hca_uctx *uctx;
	struct fake_hca_mr *mr[2];
	struct mm_struct *mm;
	unsigned long base;
	int iters;
	atomic_t bad_status;
	atomic_t bad_remap;
	atomic_t cpu_misses;
	atomic_long_t ops;
};

struct odpt_ss_thread {
	struct odpt_ss *ss;
	struct task_struct *task;
	struct completion done;
	struct rnd_state rnd;
	u8 buf[ODPT_SS_MAX_LEN];
};

/* What a device access may end with while others unmap and deregister. */
static bool odpt_ss_status_ok(enum fake_hca_status st)
{
	return st == FAKE_HCA_WC_SUCCESS || st == FAKE_HCA_WC_PAGE_FAULT_ERR ||
	       st == FAKE_HCA_WC_RETRY_EXC_ERR;
}

static void odpt_ss_step(struct odpt_ss_thread *t)
{
	struct odpt_ss *ss = t->ss;
	u32 r = prandom_u32_state(&t->rnd);
	unsigned int which = r & 1;
	unsigned long page = (r >> 1) % ODPT_SS_MR_PAGES;
	size_t len = (((r >> 5) % 3) + 1) * PAGE_SIZE;
	unsigned long mr_start = ss->base + which * (ODPT_SS_MR_PAGES / 2) * PAGE_SIZE;
	unsigned long addr = mr_start + page * PAGE_SIZE;
	u32 key = fake_hca_mr_lkey(ss->mr[which]);
	enum fake_hca_status st = FAKE_HCA_WC_SUCCESS;
	struct fake_hca_mr *mr;
	unsigned long got;

	len = min_t(size_t, len, mr_start + ODPT_SS_MR_PAGES * PAGE_SIZE - addr);
	switch ((r >> 8) % ODPT_SS_NR_OPS) {
	case ODPT_SS_PREFETCH:
		st = fake_hca_prefetch(ss->dev, key, addr, len, ODP_ACCESS_ALL);
		break;
	case ODPT_SS_DEV_READ:
		st = fake_hca_read(ss->dev, key, addr, t->buf, len);
		break;
	case ODPT_SS_DEV_WRITE:
		memset(t->buf, r >> 24, len);
		st = fake_hca_write(ss->dev, key, addr, t->buf, len);
		break;
	case ODPT_SS_CPU_WRITE:
		/* -EFAULT only while another thread has the page unmapped */
		if (put_user((u8)(r >> 16), (u8 __user *)addr))
			atomic_inc(&ss->cpu_misses);
		break;
	case ODPT_SS_MADVISE:
		do_madvise(ss->mm, addr, len, MADV_DONTNEED);
		break;
	case ODPT_SS_REMAP:
		vm_munmap(addr, PAGE_SIZE);
		got = vm_mmap(NULL, addr, PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED, 0);
		if (got != addr)
			atomic_inc(&ss->bad_remap);
		break;
	case ODPT_SS_REG_DEREG:
		mr = fake_hca_reg_mr(ss->uctx, addr, len, ODP_ACCESS_ALL);
		if (IS_ERR(mr)) {
			/* -EFAULT: a page of the range unmapped by another thread */
			if (PTR_ERR(mr) != -EFAULT)
				atomic_inc(&ss->bad_status);
			break;
		}
		st = fake_hca_prefetch(ss->dev, fake_hca_mr_lkey(mr), addr, len,
				       ODP_ACCESS_ALL);
		fake_hca_dereg_mr(mr);
		break;
	}
	if (!odpt_ss_status_ok(st))
		atomic_inc(&ss->bad_status);
	atomic_long_inc(&ss->ops);
}

static int odpt_ss_fn(void *data)
{
	struct odpt_ss_thread *t = data;
	int i;

	kthread_use_mm(t->ss->mm);
	for (i = 0; i < t->ss->iters; i++)
		odpt_ss_step(t);
	kthread_unuse_mm(t->ss->mm);
	complete(&t->done);
	return 0;
}

static void odpt_smp_stress(struct kunit *test)
{
	const struct odpt_hca_param *p = test->param_value;
	struct odpt_ss_thread *threads;
	struct odpt_ss *ss;
	unsigned int cpu, n = 0, i;
	u8 *cpu_buf, *dev_buf;
	size_t mr_len = ODPT_SS_MR_PAGES * PAGE_SIZE;
	u64 t0, ns;

	KUNIT_ASSERT_GE_MSG(test, num_online_cpus(), 2U, "the stress needs two CPUs or more");
	ss = kunit_kzalloc(test, sizeof(*ss), GFP_KERNEL);
	threads = kunit_kcalloc(test, num_online_cpus(), sizeof(*threads), GFP_KERNEL);
	cpu_buf = kunit_kzalloc(test, mr_len, GFP_KERNEL);
	dev_buf = kunit_kzalloc(test, mr_len, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, ss && threads && cpu_buf && dev_buf);

	ss->iters = max(odpt_params.stress_iters, 1);
	ss->base = odpt_hca_mmap(test, ODPT_SS_PAGES, PROT_READ | PROT_WRITE);
	ss->mm = current->mm;
	ss->dev = odpt_hca_dev(test);
	ss->uctx = odpt_hca_uctx(test, ss->dev, p);
	/* MR 0 over pages 0-7, MR 1 over pages 4-11: they share 4-7 */
	ss->mr[0] = odpt_hca_reg(test, ss->uctx, ss->base, mr_len, ODP_ACCESS_ALL);
	ss->mr[1] = odpt_hca_reg(test, ss->uctx, ss->base + mr_len / 2, mr_len,
				 ODP_ACCESS_ALL);

	for_each_online_cpu(cpu) {
		struct odpt_ss_thread *t = &threads[n];

		t->ss = ss;
		init_completion(&t->done);
		prandom_seed_state(&t->rnd, 0x0d9 + cpu);
		t->task = kthread_create_on_cpu(odpt_ss_fn, t, cpu, "odpt-stress/%u");
		if (IS_ERR(t->task)) {
			KUNIT_FAIL(test, "kthread_create_on_cpu: %ld", PTR_ERR(t->task));
			break;
		}
		n++;
	}
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		wake_up_process(threads[i].task);
	for (i = 0; i < n; i++)
		wait_for_completion(&threads[i].done);
	ns = max_t(u64, ktime_get_ns() - t0, 1);

	KUNIT_EXPECT_EQ(test, atomic_read(&ss->bad_status), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ss->bad_remap), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&ss->ops), (long)n * ss->iters);
	kunit_info(test, "%u CPUs, %ld operations in %llu ms (%llu a second), %d CPU writes to a page being remapped\n",
		   n, atomic_long_read(&ss->ops), div_u64(ns, NSEC_PER_MSEC),
		   div64_u64((u64)atomic_long_read(&ss->ops) * NSEC_PER_SEC, ns),
		   atomic_read(&ss->cpu_misses));

	/* quiet now: every entry the threads left must be the CPU's page */
	for (i = 0; i < 2; i++) {
		unsigned long start = ss->base + i * mr_len / 2;

		odpt_hca_oracle(test, ss->mr[i], start, mr_len);
		KUNIT_EXPECT_EQ(test, fake_hca_read(ss->dev, fake_hca_mr_lkey(ss->mr[i]), start,
						    dev_buf, mr_len), FAKE_HCA_WC_SUCCESS);
		KUNIT_EXPECT_EQ(test, copy_from_user(cpu_buf, (void __user *)start, mr_len), 0UL);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(cpu_buf, dev_buf, mr_len), 0,
				    "MR %u: the device reads other data than the CPU", i);
		odpt_hca_oracle(test, ss->mr[i], start, mr_len);
	}
}

KUNIT_ARRAY_PARAM(odpt_smp_stress, odpt_hca_params, odpt_hca_param_desc);

static const struct kunit_attributes ODPT_SS_SLOW = { .speed = KUNIT_SPEED_SLOW };

static struct kunit_case odpt_smp_stress_cases[] = {
	KUNIT_CASE_PARAM_ATTR(odpt_smp_stress, odpt_smp_stress_gen_params, ODPT_SS_SLOW),
	{}
};

static struct kunit_suite odpt_smp_stress_suite = {
	.name = "odp_smp_stress",
	.test_cases = odpt_smp_stress_cases,
	.init = odpt_report_check_init,
};
kunit_test_suite(odpt_smp_stress_suite);
