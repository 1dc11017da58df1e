/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ODP core: the context and umem structures shared by the core's files.
 * Not part of the public interface (include/odp/odp.h).
 *
 * Locking, outermost first:
 *	ctx->reg_mutex		serializes notifier (un)registration
 *	mmap_lock		taken by mmu_notifier_register() and held by the
 *				mm around most invalidations
 *	ctx->rwsem		tree, count; read in the notifier callbacks
 *	umem->umem_mutex	entries, per-umem counters, driver hooks
 *	ctx->lock		spinlock: ctx_counter's and range_track's state
 * Nothing allocates with reclaim under rwsem or umem_mutex: reclaim can
 * run invalidations, which take both.
 */
#ifndef _ODP_INTERNAL_H
#define _ODP_INTERNAL_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include <odp/odp.h>

struct odp_strategy_ops;

/*
 * Each strategy's own state, in structs of its own that only its file
 * touches (strategy_*.c); its ctx_init and umem_init hooks set them up.
 */

/* ctx_counter (strategy_ctx_counter.c), under ctx->lock */
struct odp_cc_ctx {
	unsigned int count;
	unsigned long seq;
	struct list_head ctx_mode;
};

struct odp_cc_umem {
	bool ctx_mode;
	struct list_head node;
};

/* range_track (strategy_range_track.c), under ctx->lock */
struct odp_rt_ctx {
	struct list_head ranges;
	unsigned long seq;
	unsigned int untracked;
	wait_queue_head_t wq;
};

/* interval (strategy_interval.c) */
struct odp_iv_ctx {
	/* invalidations between the plain notifier's start and end */
	atomic_t running;
};

struct odp_iv_umem {
	struct mmu_interval_notifier imn;
	bool inserted;
};

/* seed's per-umem accounting, the v1 patch's, which ctx_counter shares (strategy_seed.c) */
struct odp_seed_umem {
	int notifiers_count;
	unsigned long notifiers_seq;
	struct completion notifier_completion;
};

struct odp_context {
	struct mm_struct *mm;
	struct pid *tgid;
	const struct odp_driver_ops *ops;
	const struct odp_strategy_ops *sops;
	enum odp_strategy strategy;
	void *priv;

	struct mutex reg_mutex;
	struct rw_semaphore rwsem;
	struct rb_root_cached tree;
	unsigned int count;
	/* umems registered or being registered, under reg_mutex */
	unsigned int users;
	struct mmu_notifier mn;
	bool mn_registered;
	/* refuses non-blockable ranges the strategy cannot revoke (nonblock.c) */
	struct mmu_notifier nb_mn;

	atomic64_t end_without_start;
	atomic64_t different_pages;
	atomic64_t retries;
	atomic64_t invalidations;
	atomic64_t pages_mapped;
	atomic64_t pages_unmapped;
	atomic64_t nb_refused;

	/* ctx_counter's and range_track's state */
	spinlock_t lock;
	struct odp_cc_ctx cc;
	struct odp_rt_ctx rt;
	struct odp_iv_ctx iv;
};

struct odp_umem {
	struct odp_context *ctx;
	u64 addr;
	u64 len;
	u64 start;
	u64 end;
	unsigned int access;
	void *priv;

	struct rb_node rb;
	u64 it_start;
	u64 it_last;
	u64 subtree_last;

	struct mutex umem_mutex;
	unsigned long npages;
	struct page **pages;
	u64 *dma;
	u8 *page_access;
	bool dying;
	/* notifier walks that still hold the umem past the tree lock */
	atomic_t walkers;

	/* seed and ctx_counter */
	struct odp_seed_umem seed;
	/* ctx_counter, under ctx->lock */
	struct odp_cc_umem cc;
	/* interval */
	struct odp_iv_umem iv;
};

/* live.c: objects allocated now, by kind */
enum odp_live_kind {
	ODP_LIVE_CONTEXT,
	ODP_LIVE_UMEM,
	ODP_LIVE_RANGE,
	ODP_LIVE_NR,
};

extern atomic_long_t odp_live[ODP_LIVE_NR];

static inline void odp_live_get(enum odp_live_kind kind)
{
	atomic_long_inc(&odp_live[kind]);
}

static inline void odp_live_put(enum odp_live_kind kind)
{
	atomic_long_dec(&odp_live[kind]);
}

/* umem_tree.c */
void odp_umem_tree_insert(struct odp_umem *umem, struct rb_root_cached *root);
void odp_umem_tree_remove(struct odp_umem *umem, struct rb_root_cached *root);
struct odp_umem *odp_umem_tree_iter_first(struct rb_root_cached *root, u64 start, u64 last);
struct odp_umem *odp_umem_tree_iter_next(struct odp_umem *umem, u64 start, u64 last);

/*
 * Every umem of @ctx overlapping [@s, @e) (exclusive end, @e > @s): the
 * tree stores inclusive last addresses, hence @e - 1.
 */
#define odp_for_each_umem_in_range(ctx, s, e, umem)				\
	for ((umem) = odp_umem_tree_iter_first(&(ctx)->tree, (s), (e) - 1);	\
	     (umem);								\
	     (umem) = odp_umem_tree_iter_next((umem), (s), (e) - 1))

/* notifier.c */
extern const struct mmu_notifier_ops odp_notifier_ops;
/* nonblock.c */
extern const struct mmu_notifier_ops odp_nb_notifier_ops;
void odp_umem_invalidate_locked(struct odp_umem *umem, u64 start, u64 end);
void odp_umem_wait_walkers(struct odp_umem *umem);

/* unmap.c */
void odp_umem_unmap_locked(struct odp_umem *umem, u64 start, u64 end);

#endif /* _ODP_INTERNAL_H */
