/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake HCA: a host channel adapter stand-in whose translation table lives
 * in kernel memory and whose DMA engine faults through the ODP core.
 *
 * A device (struct fake_hca_dev) holds memory regions (struct fake_hca_mr)
 * keyed by an lkey/rkey in a per-device xarray. An MR belongs to a user
 * context (struct fake_hca_uctx), which is bound to the process that
 * created it through an ODP context. Each MR has one translation entry per
 * page; the DMA engine (fake_hca_read(), fake_hca_write(),
 * fake_hca_atomic_fadd()) reaches user memory only through those entries.
 * A missing entry, or one without the needed permission, is a device page
 * fault, resolved through the ODP core either on the caller's thread or
 * by the device's fault worker. Every access ends with a status, like a
 * work completion.
 */
#ifndef _FAKE_HCA_FAKE_HCA_H
#define _FAKE_HCA_FAKE_HCA_H

#include <linux/types.h>
#include <odp/odp.h>
#include <odp/sync_point.h>

struct cpumask;
struct ib_umem_odp;
struct page;
struct fake_hca_dev;
struct fake_hca_uctx;
struct fake_hca_mr;

/* MR access rights, for registration, prefetch and faults. */
#define FAKE_HCA_ACCESS_READ	ODP_ACCESS_READ
#define FAKE_HCA_ACCESS_WRITE	ODP_ACCESS_WRITE
#define FAKE_HCA_ACCESS_ALL	ODP_ACCESS_ALL

/* MRs a device holds at most unless told fewer: keys 1 to this one */
#define FAKE_HCA_MAX_MRS	0xffffff

/* How many times a fault is retried after the core returned -EAGAIN. */
#define FAKE_HCA_MAX_RETRIES	16

/**
 * enum fake_hca_status - how a device access completed
 * @FAKE_HCA_WC_SUCCESS: done
 * @FAKE_HCA_WC_LOC_LEN_ERR: length zero, or the range wraps around
 * @FAKE_HCA_WC_LOC_PROT_ERR: unknown key, range outside the MR, or an
 *	access the MR was not registered for
 * @FAKE_HCA_WC_INV_REQ_ERR: malformed request (misaligned atomic, bad
 *	prefetch flags)
 * @FAKE_HCA_WC_PAGE_FAULT_ERR: the page fault could not be resolved: no
 *	CPU mapping, or the CPU mapping does not allow the access
 * @FAKE_HCA_WC_RETRY_EXC_ERR: the fault lost the race to invalidations
 *	%FAKE_HCA_MAX_RETRIES times in a row
 * @FAKE_HCA_WC_MR_DYING_ERR: the MR is being destroyed
 * @FAKE_HCA_WC_MM_GONE_ERR: the process's address space is gone
 * @FAKE_HCA_WC_FATAL_ERR: anything else (out of memory, ...)
 * @FAKE_HCA_WC_NR: number of statuses
 */
enum fake_hca_status {
	FAKE_HCA_WC_SUCCESS,
	FAKE_HCA_WC_LOC_LEN_ERR,
	FAKE_HCA_WC_LOC_PROT_ERR,
	FAKE_HCA_WC_INV_REQ_ERR,
	FAKE_HCA_WC_PAGE_FAULT_ERR,
	FAKE_HCA_WC_RETRY_EXC_ERR,
	FAKE_HCA_WC_MR_DYING_ERR,
	FAKE_HCA_WC_MM_GONE_ERR,
	FAKE_HCA_WC_FATAL_ERR,
	FAKE_HCA_WC_NR,
};

/**
 * enum fake_hca_sync_point - where the fake HCA's threads can be stopped
 * @FAKE_HCA_SP_FAULT_QUEUED: the accessing thread queued a fault event for
 *	the fault worker (the worker may already be handling it)
 * @FAKE_HCA_SP_FAULT_HANDLING: the fault worker took an event, before it
 *	asks the core
 * @FAKE_HCA_SP_FAULT_HANDLED: the fault worker resolved the event (or gave
 *	up); the waiting access is not yet woken
 * @FAKE_HCA_SP_FAULT_LOCKED: upstream backend: ib_umem_odp_map_dma_and_lock()
 *	returned with umem_mutex held, the table is not written yet (the point
 *	before the commit); the thread stopped here holds umem_mutex
 * @FAKE_HCA_SP_FAULT_WOKEN: worker mode: the worker resolved the access's
 *	fault event and woke it (or had done so before the access waited),
 *	and the access goes on from here (a wake-up window)
 * @FAKE_HCA_SP_DEREG_WOKEN: a deregistration that had to wait for the
 *	accesses in flight was woken by the last one, before it releases
 *	the MR's umem (a wake-up window)
 * @FAKE_HCA_SP_END: the first number after the fake HCA's points
 *
 * The driver's own points, reached through odp_sync_point() and numbered
 * after the core's (enum odp_sync_point). Each names the MR's umem and the
 * faulting range. A thread stopped at one holds nothing of the core's.
 * The upstream backend's driver half also reaches core points with the
 * same meaning (drivers/fake_hca/ib_odp.c says which).
 */
enum fake_hca_sync_point {
	FAKE_HCA_SP_FAULT_QUEUED = ODP_SP_NR,
	FAKE_HCA_SP_FAULT_HANDLING,
	FAKE_HCA_SP_FAULT_HANDLED,
	FAKE_HCA_SP_FAULT_LOCKED,
	FAKE_HCA_SP_FAULT_WOKEN,
	FAKE_HCA_SP_DEREG_WOKEN,
	FAKE_HCA_SP_END,
};

const char *fake_hca_sync_point_name(unsigned int sp);

/*
 * The fake HCA's backends: the ODP core's strategies (enum odp_strategy),
 * and FAKE_HCA_BACKEND_UPSTREAM, the kernel's own IB on-demand paging
 * (drivers/infiniband/core/umem_odp.c) driven by the fake HCA's driver
 * half (CONFIG_ODP_FAKE_HCA_UPSTREAM). A user context picks one in
 * fake_hca_uctx_attr.strategy.
 */
#define FAKE_HCA_BACKEND_UPSTREAM	ODP_STRATEGY_NR
#define FAKE_HCA_NR_BACKENDS		(ODP_STRATEGY_NR + 1)

const char *fake_hca_backend_name(unsigned int backend);

/**
 * enum fake_hca_fault_mode - where device page faults are resolved
 * @FAKE_HCA_FAULT_INLINE: on the thread that issued the access
 * @FAKE_HCA_FAULT_WORKER: by the device's fault worker, as a real HCA's
 *	event queue would; the access waits for the result
 */
enum fake_hca_fault_mode {
	FAKE_HCA_FAULT_INLINE,
	FAKE_HCA_FAULT_WORKER,
};

/**
 * struct fake_hca_uctx_attr - how to create a user context
 * @strategy: the ODP core's synchronization strategy, or
 *	FAKE_HCA_BACKEND_UPSTREAM for the kernel's IB on-demand paging
 * @fault_mode: where the context's faults are resolved
 * @no_backoff: retry a lost fault at once instead of sleeping longer and
 *	longer between tries (for a test that schedules every thread itself,
 *	where waiting gives nothing to the invalidation it lost to)
 */
struct fake_hca_uctx_attr {
	enum odp_strategy strategy;
	enum fake_hca_fault_mode fault_mode;
	bool no_backoff;
};

/**
 * struct fake_hca_counters - what a device or an MR has seen
 * @faults: device page faults raised
 * @pages_mapped: translation entries written by the map hook
 * @invalidations: invalidate hook calls (one device TLB flush each)
 * @entries_cleared: valid translation entries cleared by invalidations
 * @retries: faults that the core answered with -EAGAIN
 * @errors: accesses that completed with an error status
 */
struct fake_hca_counters {
	u64 faults;
	u64 pages_mapped;
	u64 invalidations;
	u64 entries_cleared;
	u64 retries;
	u64 errors;
};

/**
 * struct fake_hca_tentry - one translation entry, as read by tests
 * @page: the page, or NULL when the entry is invalid
 * @access: FAKE_HCA_ACCESS_* bits the entry allows
 */
struct fake_hca_tentry {
	struct page *page;
	unsigned int access;
};

/**
 * struct fake_hca_live - objects of the fake HCA that exist now
 * @devs: devices
 * @uctxs: user contexts
 * @mrs: MRs, each with its translation table
 */
struct fake_hca_live {
	long devs;
	long uctxs;
	long mrs;
};

void fake_hca_live_objects(struct fake_hca_live *live);

struct fake_hca_dev *fake_hca_dev_create(void);
void fake_hca_dev_destroy(struct fake_hca_dev *dev);
int fake_hca_dev_set_fault_cpus(struct fake_hca_dev *dev, const struct cpumask *cpus);
int fake_hca_dev_set_max_mrs(struct fake_hca_dev *dev, u32 max_mrs);
int fake_hca_dev_id(struct fake_hca_dev *dev);
void fake_hca_dev_counters(struct fake_hca_dev *dev,
			   struct fake_hca_counters *out);

struct fake_hca_uctx *fake_hca_uctx_create(struct fake_hca_dev *dev,
					   const struct fake_hca_uctx_attr *attr);
void fake_hca_uctx_destroy(struct fake_hca_uctx *uctx);
struct odp_context *fake_hca_uctx_odp(struct fake_hca_uctx *uctx);

struct fake_hca_mr *fake_hca_reg_mr(struct fake_hca_uctx *uctx, u64 addr,
				    u64 len, unsigned int access);
void fake_hca_dereg_mr(struct fake_hca_mr *mr);
u32 fake_hca_mr_lkey(struct fake_hca_mr *mr);
u32 fake_hca_mr_rkey(struct fake_hca_mr *mr);
const void *fake_hca_mr_sync_obj(struct fake_hca_mr *mr);
void fake_hca_mr_counters(struct fake_hca_mr *mr,
			  struct fake_hca_counters *out);
struct fake_hca_tentry fake_hca_mr_entry(struct fake_hca_mr *mr, u64 iova);
unsigned long fake_hca_mr_valid_entries(struct fake_hca_mr *mr);
u64 fake_hca_mr_start(struct fake_hca_mr *mr);
u64 fake_hca_mr_end(struct fake_hca_mr *mr);
int fake_hca_mr_fault_once(struct fake_hca_mr *mr, u64 addr, u64 len,
			   unsigned int access);
void fake_hca_mr_lock(struct fake_hca_mr *mr);
bool fake_hca_mr_trylock(struct fake_hca_mr *mr);
void fake_hca_mr_unlock(struct fake_hca_mr *mr);
struct page *fake_hca_mr_held_page(struct fake_hca_mr *mr, u64 iova);
bool fake_hca_mr_backend_dying(struct fake_hca_mr *mr);
struct ib_umem_odp *fake_hca_mr_ib_umem(struct fake_hca_mr *mr);

enum fake_hca_status fake_hca_read(struct fake_hca_dev *dev, u32 key,
				   u64 iova, void *buf, size_t len);
enum fake_hca_status fake_hca_write(struct fake_hca_dev *dev, u32 key,
				    u64 iova, const void *buf, size_t len);
enum fake_hca_status fake_hca_atomic_fadd(struct fake_hca_dev *dev, u32 key,
					  u64 iova, u64 add, u64 *orig);
enum fake_hca_status fake_hca_prefetch(struct fake_hca_dev *dev, u32 key,
				       u64 iova, size_t len,
				       unsigned int access);

const char *fake_hca_status_name(enum fake_hca_status status);

/* Bytes of translation table per mapped page. */
size_t fake_hca_table_bytes_per_page(void);

#endif /* _FAKE_HCA_FAKE_HCA_H */
