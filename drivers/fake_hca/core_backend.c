// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: the backend of the project's ODP core. An MR is a umem of its
 * user context's ODP context; a fault samples the umem's sequence and
 * asks the core to look the pages up and commit them, and the core calls
 * the table's ->map and ->invalidate_range hooks (table.c) with the
 * umem's mutex held.
 */
#include "fake_hca_priv.h"

static int fake_hca_core_reg(struct fake_hca_mr *mr)
{
	struct odp_umem *umem;

	umem = odp_umem_get(mr->uctx->odp, mr->iova, mr->length, mr->access,
			    mr);
	if (IS_ERR_OR_NULL(umem))
		return umem ? PTR_ERR(umem) : -ENOMEM;
	mr->umem = umem;
	return 0;
}

static void fake_hca_core_dereg(struct fake_hca_mr *mr)
{
	odp_umem_release(mr->umem);
}

static int fake_hca_core_fault_once(struct fake_hca_mr *mr, u64 addr,
				    u64 len, unsigned int access)
{
	unsigned long seq = odp_umem_read_begin(mr->umem);

	return odp_umem_map_pages(mr->umem, addr, len, access, seq);
}

static void fake_hca_core_lock(struct fake_hca_mr *mr)
{
	odp_umem_lock(mr->umem);
}

static bool fake_hca_core_trylock(struct fake_hca_mr *mr)
{
	return odp_umem_trylock(mr->umem);
}

static void fake_hca_core_unlock(struct fake_hca_mr *mr)
{
	odp_umem_unlock(mr->umem);
}

static struct page *fake_hca_core_held_page(struct fake_hca_mr *mr, u64 va)
{
	return odp_umem_page(mr->umem, va, NULL);
}

static bool fake_hca_core_dying(struct fake_hca_mr *mr)
{
	return odp_umem_dying(mr->umem);
}

const struct fake_hca_backend fake_hca_core_backend = {
	.reg = fake_hca_core_reg,
	.dereg = fake_hca_core_dereg,
	.fault_once = fake_hca_core_fault_once,
	.lock = fake_hca_core_lock,
	.trylock = fake_hca_core_trylock,
	.unlock = fake_hca_core_unlock,
	.held_page = fake_hca_core_held_page,
	.dying = fake_hca_core_dying,
};
