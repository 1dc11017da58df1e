// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: its face as an IB device, for the upstream backend. Each fake
 * HCA owns one struct ib_device from IB core, which IB core's on-demand
 * paging (drivers/infiniband/core/umem_odp.c) takes for its umems. It has
 * no DMA device, so ib_uses_virt_dma() holds and ib_dma_map_page() gives
 * the page's kernel address as its DMA address: the DMA engine reads and
 * writes the process's bytes through what IB core mapped.
 *
 * It is not registered with IB core: umem_odp.c asks nothing of a
 * registered device (no port, no client, no sysfs or netlink), and
 * registering would need the query and port ops that nothing here uses.
 */
#include <rdma/ib_verbs.h>

#include "fake_hca_priv.h"

int fake_hca_ibdev_create(struct fake_hca_dev *dev)
{
	struct ib_device *ibdev;

	ibdev = _ib_alloc_device(sizeof(*ibdev));
	if (!ibdev)
		return -ENOMEM;
	snprintf(ibdev->name, IB_DEVICE_NAME_MAX, "fake_hca%d", dev->id);
	ibdev->attrs.kernel_cap_flags |= IBK_ON_DEMAND_PAGING;
	ibdev->attrs.odp_caps.general_caps = IB_ODP_SUPPORT;
	ibdev->attrs.odp_caps.per_transport_caps.rc_odp_caps =
		IB_ODP_SUPPORT_READ | IB_ODP_SUPPORT_WRITE |
		IB_ODP_SUPPORT_ATOMIC;
	dev->ibdev = ibdev;
	return 0;
}

void fake_hca_ibdev_destroy(struct fake_hca_dev *dev)
{
	if (dev->ibdev)
		ib_dealloc_device(dev->ibdev);
	dev->ibdev = NULL;
}
