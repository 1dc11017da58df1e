// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: the device. Each one has its own key space, its own fault
 * worker (an ordered workqueue standing in for the HCA's page-fault event
 * queue), its own counters and its own debugfs folder. Any number of
 * devices may exist at once.
 */
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "fake_hca_priv.h"

static DEFINE_IDA(fake_hca_ida);

/**
 * fake_hca_dev_create() - create a fake HCA
 *
 * Return: the device, or an ERR_PTR() on failure.
 */
struct fake_hca_dev *fake_hca_dev_create(void)
{
	struct fake_hca_dev *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	fake_hca_live_get(FAKE_HCA_LIVE_DEV);

	ret = ida_alloc(&fake_hca_ida, GFP_KERNEL);
	if (ret < 0)
		goto err_free;
	dev->id = ret;

	xa_init_flags(&dev->mrs, XA_FLAGS_ALLOC1);
	dev->max_mrs = FAKE_HCA_MAX_MRS;
	mutex_init(&dev->lock);
	INIT_LIST_HEAD(&dev->uctxs);

	dev->fault_wq = alloc_ordered_workqueue("fake_hca%d_fault", 0, dev->id);
	if (!dev->fault_wq) {
		ret = -ENOMEM;
		goto err_ida;
	}
	ret = fake_hca_ibdev_create(dev);
	if (ret)
		goto err_wq;
	fake_hca_debugfs_add(dev);
	return dev;

err_wq:
	destroy_workqueue(dev->fault_wq);
err_ida:
	ida_free(&fake_hca_ida, dev->id);
err_free:
	kfree(dev);
	fake_hca_live_put(FAKE_HCA_LIVE_DEV);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(fake_hca_dev_create);

/**
 * fake_hca_dev_destroy() - destroy a fake HCA
 * @dev: the device
 *
 * Destroys the user contexts still open on @dev, and with them their MRs.
 * No access to @dev may be in flight or start.
 */
void fake_hca_dev_destroy(struct fake_hca_dev *dev)
{
	struct fake_hca_uctx *uctx;

	if (!dev)
		return;
	fake_hca_debugfs_remove(dev);
	for (;;) {
		mutex_lock(&dev->lock);
		uctx = list_first_entry_or_null(&dev->uctxs,
						struct fake_hca_uctx, dev_node);
		mutex_unlock(&dev->lock);
		if (!uctx)
			break;
		fake_hca_uctx_destroy(uctx);
	}
	fake_hca_ibdev_destroy(dev);
	destroy_workqueue(dev->fault_wq);
	xa_destroy(&dev->mrs);
	mutex_destroy(&dev->lock);
	ida_free(&fake_hca_ida, dev->id);
	kfree(dev);
	fake_hca_live_put(FAKE_HCA_LIVE_DEV);
}
EXPORT_SYMBOL_GPL(fake_hca_dev_destroy);

/**
 * fake_hca_dev_set_fault_cpus() - choose the CPUs that handle page faults
 * @dev: the device
 * @cpus: the CPUs the fault worker may run on, and no others
 *
 * As an interrupt steered to some CPUs would be: a test that keeps its
 * own threads on one CPU can have the device's faults handled beside
 * them, at the same instant. Call it with no fault in flight.
 *
 * Return: 0, -EINVAL if @cpus holds no online CPU, or -ENOMEM.
 */
int fake_hca_dev_set_fault_cpus(struct fake_hca_dev *dev, const struct cpumask *cpus)
{
	struct workqueue_attrs *attrs;
	int ret;

	if (!cpumask_intersects(cpus, cpu_online_mask))
		return -EINVAL;
	attrs = alloc_workqueue_attrs();
	if (!attrs)
		return -ENOMEM;
	cpumask_copy(attrs->cpumask, cpus);
	ret = apply_workqueue_attrs(dev->fault_wq, attrs);
	free_workqueue_attrs(attrs);
	return ret;
}
EXPORT_SYMBOL_GPL(fake_hca_dev_set_fault_cpus);

/**
 * fake_hca_dev_set_max_mrs() - limit the MRs a device holds at once
 * @dev: the device, with no MR registered
 * @max_mrs: MRs at most, 1 to FAKE_HCA_MAX_MRS
 *
 * As an HCA's max_mr attribute: a registration beyond it fails with
 * -EBUSY (fake_hca_reg_mr()), so that its error path can be reached.
 *
 * Return: 0, -EINVAL if @max_mrs is out of range, or -EBUSY if an MR is
 * registered.
 */
int fake_hca_dev_set_max_mrs(struct fake_hca_dev *dev, u32 max_mrs)
{
	int ret = 0;

	if (!max_mrs || max_mrs > FAKE_HCA_MAX_MRS)
		return -EINVAL;
	mutex_lock(&dev->lock);
	if (!xa_empty(&dev->mrs))
		ret = -EBUSY;
	else
		dev->max_mrs = max_mrs;
	mutex_unlock(&dev->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(fake_hca_dev_set_max_mrs);

/**
 * fake_hca_dev_counters() - read a device's counters
 * @dev: the device
 * @out: where to store them
 *
 * The device counts every access and fault on any of its MRs, and errors
 * of accesses that never found an MR.
 */
void fake_hca_dev_counters(struct fake_hca_dev *dev,
			   struct fake_hca_counters *out)
{
	fake_hca_cnt_read(&dev->cnt, out);
}
EXPORT_SYMBOL_GPL(fake_hca_dev_counters);

/**
 * fake_hca_dev_id() - a device's number
 * @dev: the device
 *
 * Return: the number naming the device's debugfs folder, fake_hca/<id>.
 */
int fake_hca_dev_id(struct fake_hca_dev *dev)
{
	return dev->id;
}
EXPORT_SYMBOL_GPL(fake_hca_dev_id);
