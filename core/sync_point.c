// SPDX-License-Identifier: GPL-2.0
/*
 * Sync points: the dispatch from a marked place to the one installed test
 * handler. See include/odp/sync_point.h.
 */
#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/srcu.h>

#include <odp/sync_point.h>

struct static_key_false odp_sync_enabled = STATIC_KEY_FALSE_INIT;
EXPORT_SYMBOL_GPL(odp_sync_enabled);

static DEFINE_MUTEX(odp_sync_lock);
static struct odp_sync_handler __rcu *odp_sync_handler;
DEFINE_STATIC_SRCU(odp_sync_srcu);

static const char * const odp_sync_names[ODP_SP_NR] = {
	[ODP_SP_FAULT_WAIT] = "fault: waiting for an invalidation to end",
	[ODP_SP_FAULT_SAMPLED] = "fault: sequence sampled",
	[ODP_SP_FAULT_LOOKED_UP] = "fault: pages looked up, before commit",
	[ODP_SP_INV_START_ENTER] = "invalidate start: entered",
	[ODP_SP_INV_START_ACCOUNTED] = "invalidate start: accounted",
	[ODP_SP_INV_START_DONE] = "invalidate start: driver hook done",
	[ODP_SP_INV_START_RETURN] = "invalidate start: returning to mm",
	[ODP_SP_INV_END_ENTER] = "invalidate end: entered",
	[ODP_SP_INV_END_BEFORE] = "invalidate end: before accounting",
	[ODP_SP_INV_END_DONE] = "invalidate end: accounted",
	[ODP_SP_REG_BEFORE_INSERT] = "register: before tree insert",
	[ODP_SP_REG_DOWNGRADED] = "register: downgraded, notifier not registered",
	[ODP_SP_REG_AFTER_INSERT] = "register: after tree insert",
	[ODP_SP_RELEASE_BEFORE_UNREGISTER] = "release: before notifier unregister",
	[ODP_SP_RELEASE_ENTER] = "notifier release: entered",
	[ODP_SP_RELEASE_WOKEN] = "release: woken by the last walk",
};

/**
 * odp_sync_point_name() - printable name of one of the core's sync points
 * @sp: the sync point
 *
 * Return: a static string, "?" for a value out of range (a driver's point).
 */
const char *odp_sync_point_name(enum odp_sync_point sp)
{
	if ((unsigned int)sp >= ODP_SP_NR)
		return "?";
	return odp_sync_names[sp];
}
EXPORT_SYMBOL_GPL(odp_sync_point_name);

/**
 * __odp_sync_point() - slow path of odp_sync_point()
 * @sp: which point
 * @obj: the object it concerns
 * @start: start of the range it concerns
 * @end: end (exclusive) of the range it concerns
 *
 * Calls the installed handler, if any. SRCU keeps the handler alive while
 * it sleeps; odp_sync_uninstall() waits for every call to return.
 */
void __odp_sync_point(unsigned int sp, const void *obj, u64 start, u64 end)
{
	struct odp_sync_handler *h;
	int idx;

	idx = srcu_read_lock(&odp_sync_srcu);
	h = srcu_dereference(odp_sync_handler, &odp_sync_srcu);
	if (h)
		h->reached(h, sp, obj, start, end);
	srcu_read_unlock(&odp_sync_srcu, idx);
}
EXPORT_SYMBOL_GPL(__odp_sync_point);

/**
 * odp_sync_install() - install the handler that sees every sync point
 * @h: the handler
 *
 * Return: 0, or -EBUSY if another handler is installed.
 */
int odp_sync_install(struct odp_sync_handler *h)
{
	int ret = 0;

	mutex_lock(&odp_sync_lock);
	if (rcu_access_pointer(odp_sync_handler)) {
		ret = -EBUSY;
	} else {
		rcu_assign_pointer(odp_sync_handler, h);
		static_branch_enable(&odp_sync_enabled);
	}
	mutex_unlock(&odp_sync_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(odp_sync_install);

/**
 * odp_sync_uninstall() - remove the handler
 * @h: the handler installed by odp_sync_install()
 *
 * Returns once no thread is inside @h any more. The caller must have let
 * every stopped thread go first.
 */
void odp_sync_uninstall(struct odp_sync_handler *h)
{
	mutex_lock(&odp_sync_lock);
	if (rcu_access_pointer(odp_sync_handler) == h) {
		static_branch_disable(&odp_sync_enabled);
		rcu_assign_pointer(odp_sync_handler, NULL);
		synchronize_srcu(&odp_sync_srcu);
	}
	mutex_unlock(&odp_sync_lock);
}
EXPORT_SYMBOL_GPL(odp_sync_uninstall);
