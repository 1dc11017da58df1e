// SPDX-License-Identifier: GPL-2.0
/*
 * Test helpers for the fake HCA suites. Every object a test creates is
 * also handed to KUnit, so that a failed assertion still tears it down;
 * a test that ends normally tears its user contexts down itself, while
 * its process's mm is still alive.
 */
#include <kunit/resource.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/uaccess.h>

#include "odpt_hca.h"

const struct odpt_hca_param odpt_hca_params[2 * FAKE_HCA_NR_BACKENDS] = {
	{ ODP_STRATEGY_SEED, FAKE_HCA_FAULT_INLINE },
	{ ODP_STRATEGY_CTX_COUNTER, FAKE_HCA_FAULT_INLINE },
	{ ODP_STRATEGY_RANGE_TRACK, FAKE_HCA_FAULT_INLINE },
	{ ODP_STRATEGY_INTERVAL, FAKE_HCA_FAULT_INLINE },
	{ FAKE_HCA_BACKEND_UPSTREAM, FAKE_HCA_FAULT_INLINE },
	{ ODP_STRATEGY_SEED, FAKE_HCA_FAULT_WORKER },
	{ ODP_STRATEGY_CTX_COUNTER, FAKE_HCA_FAULT_WORKER },
	{ ODP_STRATEGY_RANGE_TRACK, FAKE_HCA_FAULT_WORKER },
	{ ODP_STRATEGY_INTERVAL, FAKE_HCA_FAULT_WORKER },
	{ FAKE_HCA_BACKEND_UPSTREAM, FAKE_HCA_FAULT_WORKER },
};

void odpt_hca_param_desc(const struct odpt_hca_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s",
		 fake_hca_backend_name(p->strategy),
		 p->fault_mode == FAKE_HCA_FAULT_WORKER ? "worker" : "inline");
}

static const enum odp_strategy odpt_backends[FAKE_HCA_NR_BACKENDS] = {
	ODP_STRATEGY_SEED, ODP_STRATEGY_CTX_COUNTER,
	ODP_STRATEGY_RANGE_TRACK, ODP_STRATEGY_INTERVAL,
	FAKE_HCA_BACKEND_UPSTREAM,
};

static void odpt_backend_desc(const enum odp_strategy *s, char *desc)
{
	strscpy(desc, fake_hca_backend_name(*s), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(odpt_backend_array, odpt_backends, odpt_backend_desc);

const void *odpt_backend_gen_params(const void *prev, char *desc)
{
	return odpt_backend_array_gen_params(prev, desc);
}

KUNIT_DEFINE_ACTION_WRAPPER(odpt_hca_dev_destroy, fake_hca_dev_destroy,
			    struct fake_hca_dev *);
KUNIT_DEFINE_ACTION_WRAPPER(odpt_hca_uctx_put, fake_hca_uctx_destroy,
			    struct fake_hca_uctx *);

struct fake_hca_dev *odpt_hca_dev(struct kunit *test)
{
	struct fake_hca_dev *dev = fake_hca_dev_create();

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
				odpt_hca_dev_destroy, dev));
	return dev;
}

struct fake_hca_uctx *odpt_hca_uctx(struct kunit *test,
				    struct fake_hca_dev *dev,
				    const struct odpt_hca_param *p)
{
	struct fake_hca_uctx_attr attr = {
		.strategy = p ? p->strategy : ODP_STRATEGY_DEFAULT,
		.fault_mode = p ? p->fault_mode : FAKE_HCA_FAULT_INLINE,
	};
	struct fake_hca_uctx *uctx = fake_hca_uctx_create(dev, &attr);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, uctx);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
				odpt_hca_uctx_put, uctx));
	return uctx;
}

/* Destroy a device now, with its contexts. */
void odpt_hca_dev_destroy_now(struct kunit *test, struct fake_hca_dev *dev)
{
	kunit_release_action(test, odpt_hca_dev_destroy, dev);
}

/* Destroy a user context now, with its MRs. */
void odpt_hca_uctx_destroy(struct kunit *test, struct fake_hca_uctx *uctx)
{
	kunit_release_action(test, odpt_hca_uctx_put, uctx);
}

struct fake_hca_mr *odpt_hca_reg(struct kunit *test,
				 struct fake_hca_uctx *uctx, u64 addr,
				 u64 len, unsigned int access)
{
	struct fake_hca_mr *mr = fake_hca_reg_mr(uctx, addr, len, access);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mr);
	return mr;
}

unsigned long odpt_hca_mmap(struct kunit *test, unsigned long npages,
			    unsigned long prot)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, npages * PAGE_SIZE, prot,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0UL, "kunit_vm_mmap failed");
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	return addr;
}

void odpt_pattern(u8 *buf, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = seed + i * 7 + (i >> 12);
}

/* The CPU writes a pattern into user memory. */
void odpt_hca_fill(struct kunit *test, unsigned long addr, size_t len,
		   u8 seed)
{
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	odpt_pattern(buf, len, seed);
	KUNIT_ASSERT_EQ(test, 0UL,
			copy_to_user((void __user *)addr, buf, len));
	kunit_kfree(test, buf);
}

/*
 * The oracle: every valid entry of @mr over [@addr, @addr + @len) holds
 * the page the CPU maps at that address now. Single-threaded use only:
 * nothing may invalidate the range meanwhile.
 */
void odpt_hca_oracle(struct kunit *test, struct fake_hca_mr *mr,
		     unsigned long addr, size_t len)
{
	struct mm_struct *mm = current->mm;
	struct fake_hca_tentry e;
	unsigned long va;
	struct page *page;
	long got;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	for (va = addr & PAGE_MASK; va < addr + len; va += PAGE_SIZE) {
		e = fake_hca_mr_entry(mr, va);
		if (!e.page)
			continue;
		mmap_read_lock(mm);
		got = get_user_pages_remote(mm, va, 1, 0, &page, NULL);
		mmap_read_unlock(mm);
		KUNIT_EXPECT_EQ_MSG(test, got, 1L, "CPU has no page at 0x%lx",
				    va);
		if (got != 1)
			continue;
		KUNIT_EXPECT_PTR_EQ_MSG(test, e.page, page,
					"stale entry at 0x%lx", va);
		put_page(page);
	}
}
