// SPDX-License-Identifier: GPL-2.0
/*
 * odp_race_file: the thread's file case. The mapping is a shared mapping
 * of a shmem file (what memfd_create() gives), and the invalidations that
 * registration cannot exclude are real ones: a hole punched in the file
 * (fallocate(FALLOC_FL_PUNCH_HOLE)) and the file cut short (truncate).
 * Both unmap through the file's reverse map (i_mmap), without mmap_lock,
 * then drop the pages from the page cache. S3 and S5 run with them in
 * place of the synthetic invalidation, on every strategy, 100 times each:
 *
 *	F1  S3 with a punched hole: B misses the start of the hole over A;
 *	    a madvise over B starts; the hole's end cancels B's count
 *	F2  S3 with a truncation (the file cut at page 2)
 *	F3  S5 with a punched hole nesting with a madvise
 *	F4  S5 with a truncation nesting with a madvise
 *	F5  the synthetic invalidation of a file mapping excludes what a
 *	    file's reverse-map walk excludes: the registration of a first
 *	    notifier and the split of a VMA wait for its end
 *
 * Jerome's claim in the thread: for file-backed memory "the fault goes
 * through the page cache", which is synchronized with the invalidation,
 * so the file case is fine. What the cases show: seed still sees an end
 * without a start (the registration race is the same), but no stale
 * entry on any strategy. A fault that commits in the middle (seed) takes
 * the page the page cache holds, and the second invalidation a file can
 * get in the middle of the first is a madvise or munmap (fallocate and
 * truncate hold the inode's lock, so they never nest with each other),
 * which zaps the page table and leaves the page in the page cache: the
 * device keeps the file's page, which is the page the CPU finds on its
 * next access. A page the file drops is dropped after the zap's end, and
 * the truncation unmaps any page the fault put back in the page table
 * again (truncate_inode_folio()), with a notifier round of its own.
 */
#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/uaccess.h>
#include <asm/tlb.h>

#include "lib/odpt_util.h"
#include "lib/odpt_hca.h"
#include "race/task.h"
#include "lib/case_checks.h"
#include "lib/inv_scripts.h"
#include "race/masks.h"

/* F1: S3 with a punched hole in place of the synthetic invalidation */
static const struct odpt_actor_spec f1_actors[] = ODPT_S3_ACTORS(ODPT_OP_PUNCH_HOLE, 0, 4);
static const struct odpt_step f1_steps[] = ODPT_S3_STEPS(ODPT_OP_PUNCH_HOLE, true);

static const struct odpt_actor_spec f2_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_TRUNCATE, 0, 2, 6 },
	{ "T2", ODPT_OP_REGISTER, 1, 0, 2, RW },
	{ "T3", ODPT_OP_MADVISE, 0, 0, 2 },
	{ "T4", ODPT_OP_FAULT, 1, 0, 2, RW },
	{ "T5", ODPT_OP_FAULT_RETRY, 1, 0, 2, RW },
	{ "T6", ODPT_OP_FAULT, 0, 2, 2, RW },
	{}
};

/*
 * F2: the file is cut at page 2, over A's second half. B, over pages 0-1
 * (A's first half), is registered in the middle and misses nothing it
 * overlaps, but a madvise over B starts and the truncation's end walks
 * A only: seed's accounting stays right here. A fault of B between the
 * madvise's start and end is refused or waits; the pages past the end of
 * the file are gone for the CPU and the device alike (-EFAULT).
 */
static const struct odpt_step f2_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_INV_START_RETURN),	/* the truncation's zap starts */
	ODPT_RUN(2),				/* register B */
	ODPT_UNTIL(3, ODP_SP_INV_START_RETURN),	/* madvise over B starts */
	ODPT_RUN(1),				/* zap, end, pages dropped, again */
	ODPT_RESULT(1, 0),
	ODPT_RUN_ON(NO_WAIT, 4),
	ODPT_RESULT_ON(NO_WAIT, 4, -EAGAIN),
	ODPT_UNTIL_ON(WAITS, 4, ODP_SP_FAULT_WAIT),
	ODPT_BLOCKS_ON(UPSTREAM, 4),		/* mmu_interval_read_begin() */
	ODPT_RUN(3),
	ODPT_RUN_ON(WAITS, 4),
	ODPT_FINISHES_ON(UPSTREAM, 4),
	ODPT_RESULT_ON(WAITS | UPSTREAM, 4, 2),
	ODPT_RUN_ON(NO_WAIT, 5),
	ODPT_RESULT_ON(NO_WAIT, 5, 2),
	ODPT_RUN(6),				/* past the end of the file */
	ODPT_RESULT(6, -EFAULT),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_MAPPED_ON(ODPT_ALL, 1, 2),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/* F3: S5 with a punched hole, then a madvise */
static const struct odpt_actor_spec f3_actors[] =
	ODPT_S5_ACTORS(ODPT_OP_PUNCH_HOLE, 0, 4, ODPT_OP_MADVISE, 2, 4, 4);
static const struct odpt_step f3_steps[] =
	ODPT_S5_STEPS(ODPT_OP_PUNCH_HOLE, ODPT_OP_MADVISE, 4, ODP_SP_FAULT_LOOKED_UP);

/* F4: S5 with the file cut at page 2, then a madvise; faults of A's first half */
static const struct odpt_actor_spec f4_actors[] =
	ODPT_S5_ACTORS(ODPT_OP_TRUNCATE, 2, 6, ODPT_OP_MADVISE, 0, 4, 2);
static const struct odpt_step f4_steps[] =
	ODPT_S5_STEPS(ODPT_OP_TRUNCATE, ODPT_OP_MADVISE, 2, ODP_SP_FAULT_LOOKED_UP);

/*
 * F5: a synthetic invalidation of the file mapping holds the file's
 * i_mmap_rwsem, as the reverse-map walk of a migration or reclaim does.
 * The first registration in the process's mm (mm_take_all_locks(): every
 * file's i_mmap_rwsem for writing) waits for its end, and so does a
 * munmap that splits the VMA (vma_prepare(): i_mmap_lock_write()).
 */
static const struct odpt_actor_spec f5_actors[] = {
	{ "T0", ODPT_OP_INVALIDATE, 0, 0, 4 },
	{ "T1", ODPT_OP_REGISTER, 0, 0, 4, RW },
	{ "T2", ODPT_OP_INVALIDATE, 0, 0, 4 },
	{ "T3", ODPT_OP_MUNMAP, 0, 6, 2 },
	{}
};

static const struct odpt_step f5_steps[] = {
	ODPT_UNTIL(0, ODPT_SP_BETWEEN),		/* invalidation under way */
	ODPT_BLOCKS_ON(ODPT_ALL, 1),		/* the first notifier waits */
	ODPT_RUN(0),
	ODPT_FINISHES_ON(ODPT_ALL, 1),
	ODPT_RESULT(1, 0),
	ODPT_UNTIL(2, ODPT_SP_BETWEEN),		/* another one */
	ODPT_BLOCKS_ON(ODPT_ALL, 3),		/* the split waits */
	ODPT_RUN(2),
	ODPT_FINISHES_ON(ODPT_ALL, 3),
	ODPT_RESULT(3, 0),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

static const struct odpt_script odpt_file_scripts[] = {
	{ "F1", 8, f1_actors, f1_steps, .shmem = true },
	{ "F2", 8, f2_actors, f2_steps, .shmem = true },
	{ "F3", 8, f3_actors, f3_steps, .shmem = true },
	{ "F4", 8, f4_actors, f4_steps, .shmem = true },
	{ "F5", 8, f5_actors, f5_steps, .shmem = true, .fresh_mm = true },
};

static void odpt_file_repeat(struct kunit *test, int n)
{
	const enum odp_strategy *strategy = test->param_value;

	odpt_case_repeat(test, &odpt_file_scripts[n - 1], *strategy, odpt_repeat_count());
}

static void odpt_file_f1_punch_s3(struct kunit *test)
{
	odpt_file_repeat(test, 1);
}

static void odpt_file_f2_truncate_s3(struct kunit *test)
{
	odpt_file_repeat(test, 2);
}

static void odpt_file_f3_punch_s5(struct kunit *test)
{
	odpt_file_repeat(test, 3);
}

static void odpt_file_f4_truncate_s5(struct kunit *test)
{
	odpt_file_repeat(test, 4);
}

static void odpt_file_f5_rmap_excludes(struct kunit *test)
{
	odpt_file_repeat(test, 5);
}

/*
 * UML's flush_tlb_mm() (arch/um/kernel/tlb.c in 6.12) walks the mm's VMAs
 * with no lock held, which lockdep reports ("suspicious RCU usage") the
 * first time a path without mmap_lock flushes, as a hole punched in a file
 * does. The report comes once per boot: it is made to come here, marked
 * as expected, from a hole punched in a throwaway file of a throwaway
 * process, so that the cases run under the clean-log check.
 */
static int odpt_file_prime_fn(void *unused)
{
	struct mm_struct *mm = odpt_new_mm();
	struct mmu_gather tlb;
	struct file *file;
	unsigned long addr;

	if (!mm)
		return 0;
	kthread_use_mm(mm);
	/*
	 * A few mappings: the walk of a tree of one has nothing to report.
	 * Should one fail, the priming may miss; a case then fails on the
	 * report, which says why.
	 */
	addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (!IS_ERR_VALUE(addr))
		addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	file = shmem_file_setup("odpt-prime", PAGE_SIZE, VM_NORESERVE);
	if (!IS_ERR(file)) {
		addr = vm_mmap(file, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
		if (!IS_ERR_VALUE(addr) && !put_user(1, (char __user *)addr)) {
			/*
			 * With another zap of the mm in flight (as the
			 * cases' madvise), the hole's zap flushes the whole
			 * mm (tlb_finish_mmu(), mm_tlb_flush_nested()).
			 */
			tlb_gather_mmu(&tlb, mm);
			vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
				      PAGE_SIZE);
			tlb_finish_mmu(&tlb);
		}
		if (!IS_ERR_VALUE(addr))
			vm_munmap(addr, PAGE_SIZE);
		fput(file);
	}
	kthread_unuse_mm(mm);
	mmput(mm);
	return 0;
}

static int odpt_file_suite_init(struct kunit_suite *suite)
{
	struct odpt_thread t;

	if (!IS_ENABLED(CONFIG_UML))
		return 0;
	pr_info("odp-expect-splat: begin UML's flush_tlb_mm() walks the VMAs without mmap_lock\n");
	if (odpt_run_thread(&t, odpt_file_prime_fn, NULL, "odpt-file-prime"))
		odpt_thread_wait(&t);
	pr_info("odp-expect-splat: end\n");
	return 0;
}

static const struct kunit_attributes ODPT_FILE_SLOW = { .speed = KUNIT_SPEED_SLOW };

static struct kunit_case odpt_file_cases[] = {
	KUNIT_CASE_PARAM_ATTR(odpt_file_f1_punch_s3, odpt_backend_gen_params, ODPT_FILE_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_file_f2_truncate_s3, odpt_backend_gen_params, ODPT_FILE_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_file_f3_punch_s5, odpt_backend_gen_params, ODPT_FILE_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_file_f4_truncate_s5, odpt_backend_gen_params, ODPT_FILE_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_file_f5_rmap_excludes, odpt_backend_gen_params, ODPT_FILE_SLOW),
	{}
};

static struct kunit_suite odpt_file_suite = {
	.name = "odp_race_file",
	.suite_init = odpt_file_suite_init,
	.init = odpt_case_checks_init,
	.test_cases = odpt_file_cases,
};
kunit_test_suite(odpt_file_suite);
