// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: the count of live objects (devices, user contexts, MRs with
 * their tables), so that a test can show an error path leaves nothing
 * behind.
 */
#include <linux/export.h>

#include "fake_hca_priv.h"

atomic_long_t fake_hca_live[FAKE_HCA_LIVE_NR];

/**
 * fake_hca_live_objects() - how many objects of the fake HCA exist now
 * @live: filled with the count of each kind, over every device
 */
void fake_hca_live_objects(struct fake_hca_live *live)
{
	live->devs = atomic_long_read(&fake_hca_live[FAKE_HCA_LIVE_DEV]);
	live->uctxs = atomic_long_read(&fake_hca_live[FAKE_HCA_LIVE_UCTX]);
	live->mrs = atomic_long_read(&fake_hca_live[FAKE_HCA_LIVE_MR]);
}
EXPORT_SYMBOL_GPL(fake_hca_live_objects);
