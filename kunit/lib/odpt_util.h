/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers the suites share: a driver stub that records the hooks the core
 * calls, the strategy parameter, and small wrappers (a fault, a synthetic
 * invalidation, a user mapping, a thread of another process).
 */
#ifndef _ODPT_UTIL_H
#define _ODPT_UTIL_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/spinlock.h>

#include <odp/odp.h>

#define ODPT_MAX_CALLS	64

/* How long a suite waits for a thread that should finish: only a hang takes that long. */
#define ODPT_GUARD	(30 * HZ)

struct odpt_call {
	struct odp_umem *umem;
	u64 start;
	u64 end;
};

/* What the stub driver saw; the context's priv. */
struct odpt_rec {
	spinlock_t lock;
	unsigned int ninv;
	struct odpt_call inv[ODPT_MAX_CALLS];
	unsigned int nmap;
	struct odpt_call map[ODPT_MAX_CALLS];
};

extern const struct odp_driver_ops odpt_stub_ops;
extern const enum odp_strategy odpt_strategies[ODP_STRATEGY_NR];
const void *odpt_strategy_gen_params(const void *prev, char *desc);

struct odp_context *odpt_ctx_create(struct kunit *test, struct odpt_rec **recp);
void odpt_rec_reset(struct odpt_rec *rec);
unsigned int odpt_rec_count(struct odpt_rec *rec, struct odp_umem *umem);
bool odpt_rec_has(struct odpt_rec *rec, struct odp_umem *umem, u64 start, u64 end);
int odpt_fault(struct odp_umem *umem, u64 addr, u64 len, unsigned int access);
void odpt_invalidate(struct mm_struct *mm, u64 start, u64 end);
long odpt_cpu_page(unsigned long addr, struct page **page);
struct page *odpt_entry(struct odp_umem *umem, u64 addr);
unsigned long odpt_mmap(struct kunit *test, unsigned long npages, unsigned long prot);

struct odpt_thread {
	int (*fn)(void *data);
	void *data;
	struct task_struct *task;
	struct completion done;
};

bool odpt_run_thread(struct odpt_thread *t, int (*fn)(void *data), void *data,
		     const char *name);
bool odpt_thread_wait(struct odpt_thread *t);

#endif /* _ODPT_UTIL_H */
