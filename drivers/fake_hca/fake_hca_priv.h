/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake HCA: objects shared by the driver's files.
 */
#ifndef _FAKE_HCA_PRIV_H
#define _FAKE_HCA_PRIV_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/xarray.h>
#include <fake_hca/fake_hca.h>

struct dentry;
struct ib_device;
struct ib_umem_odp;
struct page;
struct workqueue_struct;
struct fake_hca_mr;

/*
 * What an MR's pages are on-demand paged with: the project's ODP core
 * (core_backend.c) or the kernel's IB ODP, umem_odp.c (ib_odp.c). The DMA
 * engine, the fault path, the table and debugfs reach the backend only
 * through these; each is called with a reference on the MR.
 * @reg: register the MR's range; fills mr->umem or mr->iodp
 * @dereg: stop device access and release the range (no access in flight)
 * @fault_once: one resolution of a device page fault on [addr, addr +
 *	len): pages mapped into the table, or -errno (-EAGAIN: lost a race,
 *	sample again)
 * @lock, @trylock, @unlock: the umem's mutex, which the table's writers hold
 * @held_page: with @lock held, the page the backend holds for @va, or NULL
 * @dying: the backend refuses faults because the MR is going away
 */
struct fake_hca_backend {
	int (*reg)(struct fake_hca_mr *mr);
	void (*dereg)(struct fake_hca_mr *mr);
	int (*fault_once)(struct fake_hca_mr *mr, u64 addr, u64 len,
			  unsigned int access);
	void (*lock)(struct fake_hca_mr *mr);
	bool (*trylock)(struct fake_hca_mr *mr);
	void (*unlock)(struct fake_hca_mr *mr);
	struct page *(*held_page)(struct fake_hca_mr *mr, u64 va);
	bool (*dying)(struct fake_hca_mr *mr);
};

extern const struct fake_hca_backend fake_hca_core_backend;
extern const struct fake_hca_backend fake_hca_ib_backend;

/* Live counters; struct fake_hca_counters is their snapshot. */
struct fake_hca_cnt {
	atomic64_t faults;
	atomic64_t pages_mapped;
	atomic64_t invalidations;
	atomic64_t entries_cleared;
	atomic64_t retries;
	atomic64_t errors;
};

struct fake_hca_dev {
	int id;
	struct xarray mrs;		/* key -> struct fake_hca_mr */
	u32 next_key;
	u32 max_mrs;			/* keys 1..max_mrs, under lock */
	struct mutex lock;		/* MR and uctx lists, key allocation */
	struct list_head uctxs;
	struct workqueue_struct *fault_wq;
	struct dentry *dir;
	struct fake_hca_cnt cnt;
	struct ib_device *ibdev;	/* the upstream backend's IB device */
};

struct fake_hca_uctx {
	struct fake_hca_dev *dev;
	const struct fake_hca_backend *be;
	enum odp_strategy strategy;	/* or FAKE_HCA_BACKEND_UPSTREAM */
	struct mm_struct *mm;		/* the process's, grabbed */
	struct odp_context *odp;	/* core backend only */
	enum fake_hca_fault_mode fault_mode;
	bool no_backoff;
	struct list_head dev_node;	/* in dev->uctxs, under dev->lock */
	struct list_head mrs;		/* under dev->lock */
};

/*
 * One translation entry per page of the umem: the struct page pointer
 * with the FAKE_HCA_ACCESS_* bits in its low bits, 0 when invalid.
 * Written only by the ODP hooks, read by the DMA engine, both with the
 * umem's mutex held.
 */
#define FAKE_HCA_TE_ACCESS_MASK	((unsigned long)FAKE_HCA_ACCESS_ALL)

struct fake_hca_mr {
	struct fake_hca_dev *dev;
	struct fake_hca_uctx *uctx;
	struct odp_umem *umem;		/* core backend */
	struct ib_umem_odp *iodp;	/* upstream backend */
	u32 key;
	u64 iova;			/* first byte the MR covers */
	u64 length;
	u64 start;			/* page-aligned start of the table */
	unsigned int access;
	unsigned long npages;
	unsigned long *table;
	bool dying;
	bool revoked;			/* upstream: the table is gone, under umem_mutex */
	refcount_t users;		/* accesses in flight + 1 */
	struct completion idle;		/* users fell to zero */
	struct list_head uctx_node;	/* in uctx->mrs, under dev->lock */
	struct fake_hca_cnt cnt;
};

#define fake_hca_count(mr, field, n)					\
	do {								\
		atomic64_add((n), &(mr)->cnt.field);			\
		atomic64_add((n), &(mr)->dev->cnt.field);		\
	} while (0)

/* table.c */
/* live.c: objects allocated now, by kind */
enum fake_hca_live_kind {
	FAKE_HCA_LIVE_DEV,
	FAKE_HCA_LIVE_UCTX,
	FAKE_HCA_LIVE_MR,
	FAKE_HCA_LIVE_NR,
};

extern atomic_long_t fake_hca_live[FAKE_HCA_LIVE_NR];

static inline void fake_hca_live_get(enum fake_hca_live_kind kind)
{
	atomic_long_inc(&fake_hca_live[kind]);
}

static inline void fake_hca_live_put(enum fake_hca_live_kind kind)
{
	atomic_long_dec(&fake_hca_live[kind]);
}

extern const struct odp_driver_ops fake_hca_odp_ops;
unsigned long *fake_hca_table_alloc(unsigned long npages);
void fake_hca_table_free(unsigned long *table);
bool fake_hca_table_clamp(struct fake_hca_mr *mr, u64 *start, u64 *end);
void fake_hca_table_clear(struct fake_hca_mr *mr, u64 start, u64 end);
void fake_hca_table_set(struct fake_hca_mr *mr, u64 va, struct page *page,
			unsigned int access);

static inline struct page *fake_hca_te_page(unsigned long te)
{
	return (struct page *)(te & ~FAKE_HCA_TE_ACCESS_MASK);
}

static inline bool fake_hca_te_allows(unsigned long te, unsigned int access)
{
	return te && (te & access) == access;
}

static inline unsigned long fake_hca_te_index(struct fake_hca_mr *mr, u64 va)
{
	return (va - mr->start) >> PAGE_SHIFT;
}

/* mr.c */
struct fake_hca_mr *fake_hca_mr_get(struct fake_hca_dev *dev, u32 key);
void fake_hca_mr_put(struct fake_hca_mr *mr);

/* fault.c */
enum fake_hca_status fake_hca_fault(struct fake_hca_mr *mr, u64 addr,
				    u64 len, unsigned int access);

/* ib_device.c: the device's IB face, for the upstream backend */
#ifdef CONFIG_ODP_FAKE_HCA_UPSTREAM
int fake_hca_ibdev_create(struct fake_hca_dev *dev);
void fake_hca_ibdev_destroy(struct fake_hca_dev *dev);
#else
static inline int fake_hca_ibdev_create(struct fake_hca_dev *dev)
{
	return 0;
}

static inline void fake_hca_ibdev_destroy(struct fake_hca_dev *dev)
{
}
#endif

/* backend.c */
const struct fake_hca_backend *fake_hca_backend_of(unsigned int backend);

/* counters.c */
void fake_hca_cnt_read(const struct fake_hca_cnt *cnt,
		       struct fake_hca_counters *out);

/* debugfs.c */
void fake_hca_debugfs_add(struct fake_hca_dev *dev);
void fake_hca_debugfs_remove(struct fake_hca_dev *dev);

#endif /* _FAKE_HCA_PRIV_H */
