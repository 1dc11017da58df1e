// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: the user context. It stands for a process that opened the
 * device: it is bound to the creating process through an ODP context,
 * and holds that process's MRs.
 */
#include <linux/export.h>
#include <linux/err.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "fake_hca_priv.h"

/**
 * fake_hca_uctx_create() - open a user context on a device
 * @dev: the device
 * @attr: strategy and fault mode; NULL for ODP_STRATEGY_DEFAULT and faults
 *	resolved on the caller's thread
 *
 * The context is bound to the calling process and its mm.
 *
 * Return: the context, or an ERR_PTR() on failure (-EINVAL without an mm).
 */
struct fake_hca_uctx *fake_hca_uctx_create(struct fake_hca_dev *dev,
					   const struct fake_hca_uctx_attr *attr)
{
	enum odp_strategy strategy = ODP_STRATEGY_DEFAULT;
	enum fake_hca_fault_mode mode = FAKE_HCA_FAULT_INLINE;
	const struct fake_hca_backend *be;
	bool no_backoff = false;
	struct fake_hca_uctx *uctx;
	struct odp_context *odp;

	if (attr) {
		strategy = attr->strategy;
		mode = attr->fault_mode;
		no_backoff = attr->no_backoff;
	}
	be = fake_hca_backend_of(strategy);
	if (!current->mm || !be ||
	    (mode != FAKE_HCA_FAULT_INLINE && mode != FAKE_HCA_FAULT_WORKER))
		return ERR_PTR(-EINVAL);

	uctx = kzalloc(sizeof(*uctx), GFP_KERNEL);
	if (!uctx)
		return ERR_PTR(-ENOMEM);
	fake_hca_live_get(FAKE_HCA_LIVE_UCTX);
	uctx->dev = dev;
	uctx->be = be;
	uctx->strategy = strategy;
	uctx->fault_mode = mode;
	uctx->no_backoff = no_backoff;
	INIT_LIST_HEAD(&uctx->mrs);

	/* upstream: IB core's umems need no context of ours */
	if (be == &fake_hca_core_backend) {
		odp = odp_context_create(&fake_hca_odp_ops, strategy, uctx);
		if (IS_ERR_OR_NULL(odp)) {
			kfree(uctx);
			fake_hca_live_put(FAKE_HCA_LIVE_UCTX);
			return odp ? ERR_CAST(odp) : ERR_PTR(-ENOMEM);
		}
		uctx->odp = odp;
	}
	uctx->mm = current->mm;
	mmgrab(uctx->mm);

	mutex_lock(&dev->lock);
	list_add_tail(&uctx->dev_node, &dev->uctxs);
	mutex_unlock(&dev->lock);
	return uctx;
}
EXPORT_SYMBOL_GPL(fake_hca_uctx_create);

/**
 * fake_hca_uctx_destroy() - close a user context
 * @uctx: the context
 *
 * Deregisters the MRs still registered through @uctx, then releases its
 * ODP context.
 */
void fake_hca_uctx_destroy(struct fake_hca_uctx *uctx)
{
	struct fake_hca_dev *dev = uctx->dev;
	struct fake_hca_mr *mr;

	for (;;) {
		mutex_lock(&dev->lock);
		mr = list_first_entry_or_null(&uctx->mrs, struct fake_hca_mr,
					      uctx_node);
		mutex_unlock(&dev->lock);
		if (!mr)
			break;
		fake_hca_dereg_mr(mr);
	}
	mutex_lock(&dev->lock);
	list_del(&uctx->dev_node);
	mutex_unlock(&dev->lock);
	if (uctx->odp)
		odp_context_destroy(uctx->odp);
	mmdrop(uctx->mm);
	kfree(uctx);
	fake_hca_live_put(FAKE_HCA_LIVE_UCTX);
}
EXPORT_SYMBOL_GPL(fake_hca_uctx_destroy);

/**
 * fake_hca_uctx_odp() - the ODP context under a user context
 * @uctx: the context
 *
 * Return: the ODP context, for its statistics and strategy; NULL on the
 * upstream backend, which has none.
 */
struct odp_context *fake_hca_uctx_odp(struct fake_hca_uctx *uctx)
{
	return uctx->odp;
}
EXPORT_SYMBOL_GPL(fake_hca_uctx_odp);
