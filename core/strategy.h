/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ODP core: the internal ops table of a synchronization strategy, the
 * one place where the four designs of the thread differ.
 *
 * Every hook is optional. Context hooks run around the tree walk of a
 * notifier callback (ctx_inv_start before it, ctx_inv_end after it);
 * umem hooks run per overlapping umem inside the walk, with ctx->rwsem
 * held for read and without umem_mutex.
 */
#ifndef _ODP_STRATEGY_H
#define _ODP_STRATEGY_H

#include "odp_internal.h"

struct odp_strategy_ops {
	const char *name;
	/* the strategy handles the per-umem start itself (interval) */
	bool own_invalidate;
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
	/* knows nothing of non-blockable ranges: walks and sleeps (seed) */
	bool nb_unaware;
	/* registration, release and "different pages" as v1 did them (seed_v1.c) */
	bool v1;
	/* fault: sample; the answer of retry() is only good under umem_mutex */
	unsigned long (*read_begin)(struct odp_umem *umem);
	bool (*read_retry)(struct odp_umem *umem, unsigned long seq);
};

extern const struct odp_strategy_ops odp_strategy_seed;
extern const struct odp_strategy_ops odp_strategy_ctx_counter;
extern const struct odp_strategy_ops odp_strategy_range_track;
extern const struct odp_strategy_ops odp_strategy_interval;

const struct odp_strategy_ops *odp_strategy_lookup(enum odp_strategy strategy);

/* strategy_seed.c: the v1 per-umem accounting, shared with ctx_counter */
void odp_seed_start_account(struct odp_umem *umem);
void odp_seed_end_account(struct odp_umem *umem);
bool odp_seed_retry(struct odp_umem *umem, unsigned long seq);

/* seed_v1.c */
int odp_seed_v1_add(struct odp_umem *umem);
void odp_seed_v1_remove(struct odp_umem *umem);
void odp_seed_v1_different(struct odp_umem *umem, u64 fault_start, unsigned long idx);

/* nonblock.c */
int odp_nb_revoke(struct odp_context *ctx, const struct mmu_notifier_range *range);

#endif /* _ODP_STRATEGY_H */
