// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: tell lockdep that an invalidation's mutexes are taken inside
 * reclaim. Direct reclaim unmaps pages, and the MMU notifiers it calls
 * take a umem's mutex; a thread that allocates with GFP_KERNEL while it
 * holds it can then wait for reclaim, which waits for that mutex: a
 * deadlock lockdep never sees unless reclaim really ran into it. Taking the
 * mutex once inside fs_reclaim_acquire() when it is set up records the
 * dependency, so that any allocation that may enter reclaim under it is
 * reported on its first run (the kernel's IB ODP annotates umem_mutex the
 * same way since 2025). The fake HCA's driver half does it for IB core's
 * umem_mutex.
 *
 * The context's rwsem, which the walks take for reading, is not primed:
 * seed keeps v1's registration, which holds it across
 * mmu_notifier_register()'s mmap_lock, and lockdep then reports that
 * chain (mmap_lock -> fs_reclaim -> rwsem) at seed's first registration
 * that it watches (odp_seed_lockdep), which ends lockdep for the boot.
 */
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>

#include "odp_internal.h"

/**
 * odp_reclaim_prime_mutex() - record that reclaim may take a mutex
 * @lock: a mutex that an invalidation takes, just initialized
 *
 * Nothing without CONFIG_LOCKDEP.
 */
void odp_reclaim_prime_mutex(struct mutex *lock)
{
	if (!IS_ENABLED(CONFIG_LOCKDEP))
		return;
	fs_reclaim_acquire(GFP_KERNEL);
	mutex_lock(lock);
	mutex_unlock(lock);
	fs_reclaim_release(GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(odp_reclaim_prime_mutex);
