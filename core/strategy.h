/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ODP core: the internal ops table of a synchronization strategy, the
 * one place where the four designs of the thread differ.
 *
 * Every hook is optional: generic code calls the strategy's hook or, where
 * there is none, the default (sops->x ?: odp_default_x), and never asks
 * which strategy it runs. Context hooks run around the tree walk of a
 * notifier callback (ctx_inv_start before it, ctx_inv_end after it);
 * umem hooks run per overlapping umem inside the walk, with ctx->rwsem
 * held for read and without umem_mutex.
 */
#ifndef _ODP_STRATEGY_H
#define _ODP_STRATEGY_H

#include "odp_internal.h"

struct odp_walk;

struct odp_strategy_ops {
	const char *name;
	/* a new context's and a new umem's own state (odp_internal.h), nothing else set up yet */
	void (*ctx_init)(struct odp_context *ctx);
	void (*umem_init)(struct odp_umem *umem);
	/*
	 * Registration: account the umem and insert it into the context
	 * (default odp_umem_add(): the context's notifier, umem_register,
	 * the tree under ctx->rwsem held for write). Undoes what it did if
	 * it fails.
	 */
	int (*add)(struct odp_umem *umem);
	/*
	 * Release, once the umem is dying, cleared and unregistered: take it
	 * out of the context and wait until no walk holds it (default
	 * odp_umem_remove()). It is freed after.
	 */
	void (*remove)(struct odp_umem *umem);
	/* registration, before the tree insert, no lock held */
	int (*umem_register)(struct odp_umem *umem);
	/* release, after the tree removal, no lock held; waits for work in flight */
	void (*umem_unregister)(struct odp_umem *umem);
	/* under ctx->rwsem held for write */
	void (*insert_umem)(struct odp_umem *umem);
	void (*remove_umem)(struct odp_umem *umem);
	/*
	 * The context's notifier was just unregistered (reg_mutex held): the
	 * ends of invalidations in flight will never come, forget them.
	 * Also called by odp_context_destroy().
	 */
	void (*reset)(struct odp_context *ctx);
	/*
	 * The per-umem part of invalidate_range_start (default: the tree
	 * walk, odp_walk_start(), for blockable ranges only). Return false to
	 * end the start there, without its return point.
	 */
	bool (*walk_start)(struct odp_context *ctx, const struct mmu_notifier_range *range);
	/* ... and of invalidate_range_end (default: odp_walk_end(), blockable only) */
	void (*walk_end)(struct odp_context *ctx, const struct mmu_notifier_range *range,
			 struct odp_walk *w);
	/* around the walk of invalidate_range_start and _end */
	void (*ctx_inv_start)(struct odp_context *ctx, const struct mmu_notifier_range *range);
	void (*ctx_inv_end)(struct odp_context *ctx, const struct mmu_notifier_range *range);
	/* per overlapping umem */
	void (*inv_start)(struct odp_umem *umem);
	void (*inv_end)(struct odp_umem *umem);
	/* mm release, per umem, before it is marked dying */
	void (*release)(struct odp_umem *umem);
	/*
	 * A range that is not blockable (nonblock.c), from the context's
	 * refusal notifier, after ctx_inv_start: revoke the device's access
	 * without sleeping and return 0, or return -EAGAIN to refuse the
	 * range. NULL: no refusal notifier is registered.
	 */
	int (*nb_start)(struct odp_context *ctx, const struct mmu_notifier_range *range);
	/* fault: sample; the answer of retry() is only good under umem_mutex */
	unsigned long (*read_begin)(struct odp_umem *umem);
	bool (*read_retry)(struct odp_umem *umem, unsigned long seq);
	/*
	 * Fault: find the CPU pages of @n pages from @addr, no ODP lock held
	 * (default odp_lookup_gup(), which holds a reference on each page
	 * until lookup_done). @scratch: lookup_scratch bytes per page of a
	 * chunk, allocated once per fault.
	 */
	int (*lookup)(struct odp_umem *umem, u64 addr, unsigned long n, bool write,
		      unsigned long seq, struct page **pages, void *scratch);
	size_t lookup_scratch;
	/* after the commit: drop what lookup holds (default: put the pages) */
	void (*lookup_done)(struct page **pages, unsigned long n);
	/*
	 * Fault: a stored page differs from the CPU's at @idx. Called once
	 * umem_mutex is dropped (@fault_start: the fault's first page). NULL:
	 * the stored page is removed at once, under the mutex.
	 */
	void (*different)(struct odp_umem *umem, u64 fault_start, unsigned long idx);
};

extern const struct odp_strategy_ops odp_strategy_seed;
extern const struct odp_strategy_ops odp_strategy_ctx_counter;
extern const struct odp_strategy_ops odp_strategy_range_track;
extern const struct odp_strategy_ops odp_strategy_interval;

const struct odp_strategy_ops *odp_strategy_lookup(enum odp_strategy strategy);

/* strategy_seed.c: the v1 per-umem accounting, shared with ctx_counter */
void odp_seed_umem_init(struct odp_umem *umem);
void odp_seed_start_account(struct odp_umem *umem);
void odp_seed_end_account(struct odp_umem *umem);
bool odp_seed_retry(struct odp_umem *umem, unsigned long seq);

/* strategy_seed_v1.c */
int odp_seed_v1_add(struct odp_umem *umem);
void odp_seed_v1_remove(struct odp_umem *umem);
void odp_seed_v1_different(struct odp_umem *umem, u64 fault_start, unsigned long idx);

/* umem.c: the default registration and release */
int odp_umem_add(struct odp_umem *umem);
void odp_umem_remove(struct odp_umem *umem);

/* notifier.c: the per-umem walks of a start and an end, any range */
bool odp_walk_start(struct odp_context *ctx, const struct mmu_notifier_range *range);
void odp_walk_end(struct odp_context *ctx, const struct mmu_notifier_range *range,
		  struct odp_walk *w);

/* fault.c: why a lookup failed */
int odp_fault_errno(struct mm_struct *mm, u64 start, u64 end, bool write);

/* nonblock.c */
int odp_nb_revoke(struct odp_context *ctx, const struct mmu_notifier_range *range);

#endif /* _ODP_STRATEGY_H */
