// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers of the odp_core_* suites.
 */
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/rt.h>
#include <linux/sched/signal.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/uaccess.h>

#include "odpt_util.h"

static void odpt_stub_invalidate(struct odp_umem *umem, u64 start, u64 end)
{
	struct odpt_rec *rec = odp_context_priv(odp_umem_context(umem));

	spin_lock(&rec->lock);
	if (rec->ninv < ODPT_MAX_CALLS)
		rec->inv[rec->ninv] = (struct odpt_call){ umem, start, end };
	rec->ninv++;
	spin_unlock(&rec->lock);
}

static void odpt_stub_map(struct odp_umem *umem, u64 start, u64 end, unsigned int access)
{
	struct odpt_rec *rec = odp_context_priv(odp_umem_context(umem));

	spin_lock(&rec->lock);
	if (rec->nmap < ODPT_MAX_CALLS)
		rec->map[rec->nmap] = (struct odpt_call){ umem, start, end };
	rec->nmap++;
	spin_unlock(&rec->lock);
}

const struct odp_driver_ops odpt_stub_ops = {
	.invalidate_range = odpt_stub_invalidate,
	.map = odpt_stub_map,
};

const enum odp_strategy odpt_strategies[ODP_STRATEGY_NR] = {
	ODP_STRATEGY_SEED, ODP_STRATEGY_CTX_COUNTER,
	ODP_STRATEGY_RANGE_TRACK, ODP_STRATEGY_INTERVAL,
};

static void odpt_strategy_desc(const enum odp_strategy *s, char *desc)
{
	strscpy(desc, odp_strategy_name(*s), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(odpt_strategy_array, odpt_strategies, odpt_strategy_desc);

const void *odpt_strategy_gen_params(const void *prev, char *desc)
{
	return odpt_strategy_array_gen_params(prev, desc);
}

/*
 * A context of the test's strategy parameter, owned by the test thread
 * (given an mm first if it has none), recording into *@recp.
 */
struct odp_context *odpt_ctx_create(struct kunit *test, struct odpt_rec **recp)
{
	const enum odp_strategy *s = test->param_value;
	struct odp_context *ctx;
	struct odpt_rec *rec;

	if (!current->mm)
		odpt_mmap(test, 1, PROT_READ | PROT_WRITE);
	rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	spin_lock_init(&rec->lock);
	*recp = rec;
	ctx = odp_context_create(&odpt_stub_ops, s ? *s : ODP_STRATEGY_DEFAULT, rec);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	return ctx;
}

void odpt_rec_reset(struct odpt_rec *rec)
{
	spin_lock(&rec->lock);
	rec->ninv = 0;
	rec->nmap = 0;
	spin_unlock(&rec->lock);
}

/* invalidate_range calls seen for @umem */
unsigned int odpt_rec_count(struct odpt_rec *rec, struct odp_umem *umem)
{
	unsigned int i, n = 0;

	spin_lock(&rec->lock);
	for (i = 0; i < min(rec->ninv, ODPT_MAX_CALLS); i++)
		n += rec->inv[i].umem == umem;
	spin_unlock(&rec->lock);
	return n;
}

bool odpt_rec_has(struct odpt_rec *rec, struct odp_umem *umem, u64 start, u64 end)
{
	unsigned int i;
	bool ret = false;

	spin_lock(&rec->lock);
	for (i = 0; i < min(rec->ninv, ODPT_MAX_CALLS); i++)
		if (rec->inv[i].umem == umem && rec->inv[i].start == start &&
		    rec->inv[i].end == end)
			ret = true;
	spin_unlock(&rec->lock);
	return ret;
}

/* A fault as a driver does it: sample, map, again on -EAGAIN (bounded). */
int odpt_fault(struct odp_umem *umem, u64 addr, u64 len, unsigned int access)
{
	int i, ret = -EAGAIN;

	for (i = 0; i < 100 && ret == -EAGAIN; i++) {
		unsigned long seq = odp_umem_read_begin(umem);

		ret = odp_umem_map_pages(umem, addr, len, access, seq);
	}
	return ret;
}

/* A synthetic invalidation of [@start, @end) of @mm, start then end. */
void odpt_invalidate(struct mm_struct *mm, u64 start, u64 end)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, start, end);
	mmap_read_lock(mm);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
	mmap_read_unlock(mm);
}

/* The page the CPU maps at @addr of the test's mm, with a reference. */
long odpt_cpu_page(unsigned long addr, struct page **page)
{
	long ret;

	mmap_read_lock(current->mm);
	ret = get_user_pages(addr, 1, 0, page);
	mmap_read_unlock(current->mm);
	return ret;
}

/* The page the umem stores at @addr, NULL if none. */
struct page *odpt_entry(struct odp_umem *umem, u64 addr)
{
	struct page *page;

	odp_umem_lock(umem);
	page = odp_umem_page(umem, addr, NULL);
	odp_umem_unlock(umem);
	return page;
}

/* @npages of anonymous memory in the test's mm; written once when writable. */
unsigned long odpt_mmap(struct kunit *test, unsigned long npages, unsigned long prot)
{
	unsigned long addr, i;

	addr = kunit_vm_mmap(test, NULL, 0, npages * PAGE_SIZE, prot,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, addr, 0UL);
	KUNIT_ASSERT_LT(test, addr, TASK_SIZE);
	for (i = 0; (prot & PROT_WRITE) && i < npages; i++) {
		char c = i;

		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(addr + i * PAGE_SIZE), &c, 1),
				0UL);
	}
	return addr;
}

static int odpt_thread_fn(void *data)
{
	struct odpt_thread *t = data;

	t->fn(t->data);
	complete(&t->done);
	return 0;
}

/*
 * Run @fn(@data) in a new kernel thread ("another process"). The thread
 * is held until odpt_thread_wait(), so that odpt_task_sleeps() may look
 * at it after it finished.
 */
bool odpt_run_thread(struct odpt_thread *t, int (*fn)(void *data), void *data,
		     const char *name)
{
	struct task_struct *task;

	t->fn = fn;
	t->data = data;
	init_completion(&t->done);
	task = kthread_create(odpt_thread_fn, t, "%s", name);
	if (IS_ERR(task))
		return false;
	t->task = get_task_struct(task);
	wake_up_process(task);
	return true;
}

/* Wait for the thread's function to return; the bound only guards against a hang. */
bool odpt_thread_wait(struct odpt_thread *t)
{
	bool done = wait_for_completion_timeout(&t->done, ODPT_GUARD);

	put_task_struct(t->task);
	return done;
}
