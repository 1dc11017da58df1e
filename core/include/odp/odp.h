/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ODP core: on-demand paging of user memory regions, public interface.
 *
 * A context (struct odp_context) belongs to one process: the thread group
 * and mm that created it. It holds the interval tree of that process's
 * ODP umems and one MMU notifier, registered with the first umem and
 * removed with the last. A umem (struct odp_umem) is a page-aligned range
 * of the process's address space that a device may access; registering it
 * pins nothing. A driver resolves a device page fault with
 *
 *	seq = odp_umem_read_begin(umem);
 *	ret = odp_umem_map_pages(umem, addr, len, access, seq);
 *
 * which looks up the CPU pages and commits them, and calls the driver's
 * ->map() hook, only if no invalidation of the umem started since
 * odp_umem_read_begin(); otherwise it returns -EAGAIN and the driver
 * tries again. Invalidations call the driver's ->invalidate_range() hook
 * for the part of the range that overlaps each umem. Both hooks run with
 * the umem's mutex held, so a driver's table never sees a commit and an
 * invalidation interleave.
 *
 * How a fault and an invalidation synchronize is a per-context strategy
 * (enum odp_strategy), to replay the design discussion that the project
 * reproduces: see core/strategy_*.c.
 */
#ifndef _ODP_ODP_H
#define _ODP_ODP_H

#include <linux/types.h>

struct mutex;
struct odp_context;
struct odp_umem;
struct page;

/* Device access rights, for registration and for faults. */
#define ODP_ACCESS_READ		0x1
#define ODP_ACCESS_WRITE	0x2
#define ODP_ACCESS_ALL		(ODP_ACCESS_READ | ODP_ACCESS_WRITE)

/**
 * enum odp_strategy - how faults synchronize with invalidations
 * @ODP_STRATEGY_SEED: the v1 patch as posted: per-umem count and sequence,
 *	an end without a start clamped at zero with a warning. Keeps the
 *	registration race on purpose.
 * @ODP_STRATEGY_CTX_COUNTER: a per-context count of running invalidations
 *	that a new umem relies on until it falls to zero.
 * @ODP_STRATEGY_RANGE_TRACK: the context tracks the active invalidation
 *	ranges; a fault waits for its range to become valid.
 * @ODP_STRATEGY_INTERVAL: one mmu_interval_notifier per umem.
 * @ODP_STRATEGY_NR: number of strategies.
 */
enum odp_strategy {
	ODP_STRATEGY_SEED,
	ODP_STRATEGY_CTX_COUNTER,
	ODP_STRATEGY_RANGE_TRACK,
	ODP_STRATEGY_INTERVAL,
	ODP_STRATEGY_NR,
};

#define ODP_STRATEGY_DEFAULT	ODP_STRATEGY_INTERVAL

/**
 * struct odp_driver_ops - what a driver plugs into a context
 * @invalidate_range: stop device access to [@start, @end) of @umem; the
 *	range is page aligned and lies inside the umem. Called with the
 *	umem's mutex held, from MMU-notifier context: must not sleep (a
 *	non-blockable invalidation, the OOM reaper's, calls it too), allocate
 *	with reclaim or take mmap_lock.
 * @map: pages [@start, @end) of @umem were committed for @access; read
 *	them with odp_umem_page(). Called with the umem's mutex held, only
 *	when no invalidation raced with the fault.
 */
struct odp_driver_ops {
	void (*invalidate_range)(struct odp_umem *umem, u64 start, u64 end);
	void (*map)(struct odp_umem *umem, u64 start, u64 end,
		    unsigned int access);
};

/**
 * struct odp_stats - what a context has seen, for tests and debugfs
 * @end_without_start: invalidation ends that found no matching start (the
 *	seed strategy's clamped underflow)
 * @different_pages: commits that found another page already stored
 * @retries: faults that returned -EAGAIN
 * @invalidations: umem invalidations delivered to the driver
 * @pages_mapped: pages committed
 * @pages_unmapped: pages cleared
 * @nb_refused: non-blockable invalidations (the OOM reaper's) refused,
 *	because the strategy could not revoke the range without sleeping
 */
struct odp_stats {
	u64 end_without_start;
	u64 different_pages;
	u64 retries;
	u64 invalidations;
	u64 pages_mapped;
	u64 pages_unmapped;
	u64 nb_refused;
};

/**
 * struct odp_live - objects of the core allocated now (odp_live_objects())
 * @contexts: contexts
 * @umems: umems, each with its page tables
 * @ranges: invalidations tracked by range_track contexts
 */
struct odp_live {
	long contexts;
	long umems;
	long ranges;
};

void odp_live_objects(struct odp_live *live);
void odp_reclaim_prime_mutex(struct mutex *lock);
void odp_seed_v1_lockdep_watch(bool watch);

const char *odp_strategy_name(enum odp_strategy strategy);

struct odp_context *odp_context_create(const struct odp_driver_ops *ops,
				       enum odp_strategy strategy, void *priv);
void odp_context_destroy(struct odp_context *ctx);
void *odp_context_priv(struct odp_context *ctx);
enum odp_strategy odp_context_strategy(struct odp_context *ctx);
struct mm_struct *odp_context_mm(struct odp_context *ctx);
void odp_context_stats(struct odp_context *ctx, struct odp_stats *stats);
bool odp_context_notifier_registered(struct odp_context *ctx);
unsigned int odp_context_umem_count(struct odp_context *ctx);

/* gate.c: the context's locks held by a test (a gate) */
void odp_context_tree_lock(struct odp_context *ctx, bool write);
void odp_context_tree_unlock(struct odp_context *ctx, bool write);
void odp_context_reg_lock(struct odp_context *ctx);
void odp_context_reg_unlock(struct odp_context *ctx);

struct odp_umem *odp_umem_get(struct odp_context *ctx, u64 addr, u64 len,
			      unsigned int access, void *priv);
void odp_umem_release(struct odp_umem *umem);

u64 odp_umem_start(struct odp_umem *umem);
u64 odp_umem_end(struct odp_umem *umem);
u64 odp_umem_addr(struct odp_umem *umem);
u64 odp_umem_length(struct odp_umem *umem);
unsigned int odp_umem_access(struct odp_umem *umem);
void *odp_umem_priv(struct odp_umem *umem);
struct odp_context *odp_umem_context(struct odp_umem *umem);
bool odp_umem_dying(struct odp_umem *umem);

unsigned long odp_umem_read_begin(struct odp_umem *umem);
int odp_umem_map_pages(struct odp_umem *umem, u64 addr, u64 len,
		       unsigned int access, unsigned long seq);
void odp_umem_unmap_pages(struct odp_umem *umem, u64 start, u64 end);

void odp_umem_lock(struct odp_umem *umem);
bool odp_umem_trylock(struct odp_umem *umem);
void odp_umem_unlock(struct odp_umem *umem);
struct page *odp_umem_page(struct odp_umem *umem, u64 addr,
			   unsigned int *access);

#endif /* _ODP_ODP_H */
