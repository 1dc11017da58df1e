// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: the count of live objects, so that a test can show an error
 * path leaves nothing behind: each allocation of a context, a umem (with
 * its tables) or a tracked range counts one, each free takes it back.
 */
#include <linux/export.h>

#include "odp_internal.h"

atomic_long_t odp_live[ODP_LIVE_NR];

/**
 * odp_live_objects() - how many objects of the core are allocated now
 * @live: filled with the count of each kind
 *
 * A snapshot over every context of the system: compare two of them
 * around an operation while nothing else registers or invalidates.
 */
void odp_live_objects(struct odp_live *live)
{
	live->contexts = atomic_long_read(&odp_live[ODP_LIVE_CONTEXT]);
	live->umems = atomic_long_read(&odp_live[ODP_LIVE_UMEM]);
	live->ranges = atomic_long_read(&odp_live[ODP_LIVE_RANGE]);
}
EXPORT_SYMBOL_GPL(odp_live_objects);
