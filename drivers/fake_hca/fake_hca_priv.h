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
struct workqueue_struct;

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
	struct mutex lock;		/* MR and uctx lists, key allocation */
	struct list_head uctxs;
	struct workqueue_struct *fault_wq;
	struct dentry *dir;
	struct fake_hca_cnt cnt;
};

struct fake_hca_uctx {
	struct fake_hca_dev *dev;
	struct odp_context *odp;
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
	struct odp_umem *umem;
	u32 key;
	u64 iova;			/* first byte the MR covers */
	u64 length;
	u64 start;			/* page-aligned start of the table */
	unsigned int access;
	unsigned long npages;
	unsigned long *table;
	bool dying;
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

/* counters.c */
void fake_hca_cnt_read(const struct fake_hca_cnt *cnt,
		       struct fake_hca_counters *out);

/* debugfs.c */
void fake_hca_debugfs_add(struct fake_hca_dev *dev);
void fake_hca_debugfs_remove(struct fake_hca_dev *dev);

#endif /* _FAKE_HCA_PRIV_H */
