// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: the DMA engine. Reads, writes and atomics reach user memory
 * only through the MR's translation table: for each page, the entry's
 * page is mapped with kmap_local_page() while the umem's mutex is held,
 * so an invalidation (which clears entries under the same mutex) can
 * never be overtaken. A missing entry, or one without the permission the
 * access needs, ends the run of pages and raises a device page fault
 * (fault.c); the access then resumes where it stopped.
 */
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "fake_hca_priv.h"

/* Pages one fault asks the core for, ahead of the faulting page. */
#define FAKE_HCA_FAULT_MAX_PAGES	512
/* Pages moved per hold of the umem's mutex. */
#define FAKE_HCA_RUN_MAX_PAGES		64

enum fake_hca_op {
	FAKE_HCA_OP_PREFETCH,
	FAKE_HCA_OP_READ,
	FAKE_HCA_OP_WRITE,
	FAKE_HCA_OP_FADD,
};

struct fake_hca_req {
	enum fake_hca_op op;
	unsigned int access;
	u64 iova;
	u64 len;
	void *buf;		/* read: destination; write: source */
	u64 add;		/* fetch-and-add operand */
	u64 orig;		/* fetch-and-add result */
};

/* Move @n bytes at @off of @page, whose entry the caller holds valid. */
static void fake_hca_dma_page(struct fake_hca_req *req, struct page *page,
			      unsigned int off, size_t n, size_t done)
{
	void *kaddr;

	if (req->op == FAKE_HCA_OP_PREFETCH)
		return;
	kaddr = kmap_local_page(page);
	switch (req->op) {
	case FAKE_HCA_OP_READ:
		memcpy(req->buf + done, kaddr + off, n);
		break;
	case FAKE_HCA_OP_WRITE:
		memcpy(kaddr + off, req->buf + done, n);
		break;
	case FAKE_HCA_OP_FADD:
		req->orig = atomic64_fetch_add(req->add, kaddr + off);
		break;
	default:
		break;
	}
	kunmap_local(kaddr);
	/*
	 * The entry is valid under the umem's mutex, so no invalidation
	 * can take the page away while it is marked dirty.
	 */
	if (req->op != FAKE_HCA_OP_READ && !PageDirty(page))
		set_page_dirty(page);
}

/*
 * Walk [iova, iova + len) through the table, in runs of valid entries of
 * at most FAKE_HCA_RUN_MAX_PAGES pages per umem mutex hold (so that an
 * invalidation never waits long for the device), faulting between runs.
 */
static enum fake_hca_status fake_hca_dma_walk(struct fake_hca_mr *mr,
					      struct fake_hca_req *req)
{
	u64 end = req->iova + req->len, table_end, va = req->iova;
	enum fake_hca_status status;
	unsigned int run;
	unsigned long te;
	int stalls = 0;
	bool miss;
	u64 fstart;
	size_t n;

	table_end = mr->start + ((u64)mr->npages << PAGE_SHIFT);
	for (;;) {
		u64 from = va;

		miss = false;
		fake_hca_mr_lock(mr);
		for (run = 0; va < end && run < FAKE_HCA_RUN_MAX_PAGES; run++) {
			te = READ_ONCE(mr->table[fake_hca_te_index(mr, va)]);
			if (!fake_hca_te_allows(te, req->access)) {
				miss = true;
				break;
			}
			n = min_t(u64, PAGE_SIZE - offset_in_page(va), end - va);
			fake_hca_dma_page(req, fake_hca_te_page(te),
					  offset_in_page(va), n, va - req->iova);
			va += n;
		}
		fake_hca_mr_unlock(mr);
		if (va >= end)
			return FAKE_HCA_WC_SUCCESS;
		if (!miss) {
			cond_resched();
			continue;
		}

		/* Faulted in, then invalidated before use, too many times. */
		stalls = va == from ? stalls + 1 : 0;
		if (stalls > FAKE_HCA_MAX_RETRIES)
			return FAKE_HCA_WC_RETRY_EXC_ERR;

		fstart = va & PAGE_MASK;
		status = fake_hca_fault(mr, fstart,
					min3(ALIGN(end, PAGE_SIZE), table_end,
					     fstart + FAKE_HCA_FAULT_MAX_PAGES *
						      PAGE_SIZE) - fstart,
					req->access);
		if (status != FAKE_HCA_WC_SUCCESS)
			return status;
	}
}

static enum fake_hca_status fake_hca_dma(struct fake_hca_dev *dev, u32 key,
					 struct fake_hca_req *req)
{
	enum fake_hca_status status;
	struct fake_hca_mr *mr;
	u64 end;

	if (!req->len || check_add_overflow(req->iova, req->len, &end)) {
		atomic64_inc(&dev->cnt.errors);
		return FAKE_HCA_WC_LOC_LEN_ERR;
	}
	if (req->op == FAKE_HCA_OP_FADD && !IS_ALIGNED(req->iova, sizeof(u64))) {
		atomic64_inc(&dev->cnt.errors);
		return FAKE_HCA_WC_INV_REQ_ERR;
	}
	mr = fake_hca_mr_get(dev, key);
	if (!mr) {
		atomic64_inc(&dev->cnt.errors);
		return FAKE_HCA_WC_LOC_PROT_ERR;
	}
	if (req->iova < mr->iova || end > mr->iova + mr->length ||
	    (mr->access & req->access) != req->access)
		status = FAKE_HCA_WC_LOC_PROT_ERR;
	else
		status = fake_hca_dma_walk(mr, req);
	if (status != FAKE_HCA_WC_SUCCESS)
		fake_hca_count(mr, errors, 1);
	fake_hca_mr_put(mr);
	return status;
}

/**
 * fake_hca_read() - the device reads from an MR
 * @dev: the device
 * @key: the MR's lkey or rkey
 * @iova: first byte to read
 * @buf: kernel buffer for @len bytes
 * @len: bytes to read, any alignment
 *
 * Return: %FAKE_HCA_WC_SUCCESS, or the error status the access ended with
 * (@buf then holds what was read before the error).
 */
enum fake_hca_status fake_hca_read(struct fake_hca_dev *dev, u32 key,
				   u64 iova, void *buf, size_t len)
{
	struct fake_hca_req req = {
		.op = FAKE_HCA_OP_READ,
		.access = FAKE_HCA_ACCESS_READ,
		.iova = iova,
		.len = len,
		.buf = buf,
	};

	return fake_hca_dma(dev, key, &req);
}
EXPORT_SYMBOL_GPL(fake_hca_read);

/**
 * fake_hca_write() - the device writes to an MR
 * @dev: the device
 * @key: the MR's lkey or rkey
 * @iova: first byte to write
 * @buf: kernel buffer of @len bytes
 * @len: bytes to write, any alignment
 *
 * The pages written are marked dirty.
 *
 * Return: %FAKE_HCA_WC_SUCCESS, or the error status the access ended with
 * (the bytes before the error may have been written).
 */
enum fake_hca_status fake_hca_write(struct fake_hca_dev *dev, u32 key,
				    u64 iova, const void *buf, size_t len)
{
	struct fake_hca_req req = {
		.op = FAKE_HCA_OP_WRITE,
		.access = FAKE_HCA_ACCESS_WRITE,
		.iova = iova,
		.len = len,
		.buf = (void *)buf,
	};

	return fake_hca_dma(dev, key, &req);
}
EXPORT_SYMBOL_GPL(fake_hca_write);

/**
 * fake_hca_atomic_fadd() - the device's 8-byte fetch-and-add
 * @dev: the device
 * @key: the MR's lkey or rkey; the MR must allow reads and writes
 * @iova: the 8-byte aligned operand
 * @add: what to add
 * @orig: where to store the operand's previous value (may be NULL)
 *
 * Atomic against the CPU and against other devices.
 *
 * Return: %FAKE_HCA_WC_SUCCESS, %FAKE_HCA_WC_INV_REQ_ERR if @iova is
 * misaligned, or the error status of the access.
 */
enum fake_hca_status fake_hca_atomic_fadd(struct fake_hca_dev *dev, u32 key,
					  u64 iova, u64 add, u64 *orig)
{
	struct fake_hca_req req = {
		.op = FAKE_HCA_OP_FADD,
		.access = FAKE_HCA_ACCESS_ALL,
		.iova = iova,
		.len = sizeof(u64),
		.add = add,
	};
	enum fake_hca_status status;

	status = fake_hca_dma(dev, key, &req);
	if (status == FAKE_HCA_WC_SUCCESS && orig)
		*orig = req.orig;
	return status;
}
EXPORT_SYMBOL_GPL(fake_hca_atomic_fadd);

/**
 * fake_hca_prefetch() - fault a range of an MR in ahead of use
 * @dev: the device
 * @key: the MR's lkey or rkey
 * @iova: first byte
 * @len: bytes, not zero
 * @access: FAKE_HCA_ACCESS_READ, or FAKE_HCA_ACCESS_WRITE (which implies
 *	read), as with ibv_advise_mr()
 *
 * Faults only the pages whose entries are missing or lack @access, in the
 * user context's fault mode; accesses nothing.
 *
 * Return: %FAKE_HCA_WC_SUCCESS or the error status of the fault.
 */
enum fake_hca_status fake_hca_prefetch(struct fake_hca_dev *dev, u32 key,
				       u64 iova, size_t len,
				       unsigned int access)
{
	struct fake_hca_req req = {
		.op = FAKE_HCA_OP_PREFETCH,
		.access = access,
		.iova = iova,
		.len = len,
	};

	if (access != FAKE_HCA_ACCESS_READ && access != FAKE_HCA_ACCESS_WRITE &&
	    access != FAKE_HCA_ACCESS_ALL) {
		atomic64_inc(&dev->cnt.errors);
		return FAKE_HCA_WC_INV_REQ_ERR;
	}
	return fake_hca_dma(dev, key, &req);
}
EXPORT_SYMBOL_GPL(fake_hca_prefetch);
