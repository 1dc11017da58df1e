// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: tell lockdep that an invalidation's locks are taken inside
 * reclaim. Direct reclaim unmaps pages, and the MMU notifiers it calls
 * take the context's rwsem (for reading) and a umem's mutex; a thread that
 * allocates with GFP_KERNEL while it holds either can then wait for
 * reclaim, which waits for that lock: a deadlock lockdep never sees unless
 * reclaim really ran into it. Taking each lock once inside
 * fs_reclaim_acquire() when it is set up records the dependency, so that
 * any allocation that may enter reclaim under the lock is reported on its
 * first run (the kernel's IB ODP annotates umem_mutex the same way since
 * 2025). The fake HCA's driver half does it for IB core's umem_mutex.
 */
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
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

/* The same for a rwsem an invalidation takes for reading. */
void odp_reclaim_prime_rwsem_read(struct rw_semaphore *sem)
{
	if (!IS_ENABLED(CONFIG_LOCKDEP))
		return;
	fs_reclaim_acquire(GFP_KERNEL);
	down_read(sem);
	up_read(sem);
	fs_reclaim_release(GFP_KERNEL);
}
