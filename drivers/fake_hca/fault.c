// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: device page faults. An access that finds no translation
 * entry, or one without the permission it needs, stops and raises a
 * fault for a range; the fault is resolved through the user context's
 * backend: the ODP core (sample the umem's sequence, look up and commit
 * the CPU pages, which calls the ->map hook), retried while the core
 * reports a racing invalidation, or the kernel's IB ODP (ib_odp.c), which
 * retries inside ib_umem_odp_map_dma_and_lock(); then the access resumes
 * at the table.
 *
 * A user context resolves faults on the caller's thread, or queues them
 * to its device's fault worker, as a real HCA posts page-fault events to
 * an event queue that the driver serves. The driver's sync points
 * (enum fake_hca_sync_point) name the MR's umem and the faulting range.
 * FAKE_HCA_SP_FAULT_QUEUED is reached by the accessing thread once the
 * event is on the queue, so the worker may already be handling it;
 * FAKE_HCA_SP_FAULT_HANDLING by the worker before it asks the core, and
 * FAKE_HCA_SP_FAULT_HANDLED once it has the event's status, before it
 * wakes the access.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm_types.h>
#include <linux/workqueue.h>
#include <odp/sync_point.h>

#include "fake_hca_priv.h"

static const char * const fake_hca_sync_names[] = {
	[FAKE_HCA_SP_FAULT_QUEUED - ODP_SP_NR] = "hca: fault event queued",
	[FAKE_HCA_SP_FAULT_HANDLING - ODP_SP_NR] = "hca: fault worker took event",
	[FAKE_HCA_SP_FAULT_HANDLED - ODP_SP_NR] = "hca: fault worker resolved event",
	[FAKE_HCA_SP_FAULT_LOCKED - ODP_SP_NR] = "hca: fault mapped, umem_mutex held",
	[FAKE_HCA_SP_FAULT_WOKEN - ODP_SP_NR] = "hca: access woken by the worker",
	[FAKE_HCA_SP_DEREG_WOKEN - ODP_SP_NR] = "hca: dereg woken by the last access",
};

/**
 * fake_hca_sync_point_name() - printable name of one of the driver's sync points
 * @sp: an enum fake_hca_sync_point
 *
 * Return: a static string, "?" for a value out of the driver's range.
 */
const char *fake_hca_sync_point_name(unsigned int sp)
{
	if (sp < ODP_SP_NR || sp >= FAKE_HCA_SP_END)
		return "?";
	return fake_hca_sync_names[sp - ODP_SP_NR];
}
EXPORT_SYMBOL_GPL(fake_hca_sync_point_name);

struct fake_hca_fault_event {
	struct work_struct work;
	struct fake_hca_mr *mr;
	u64 addr;
	u64 len;
	unsigned int access;
	enum fake_hca_status status;
	struct completion done;
};

/* Why a fault that the core refused cannot be resolved. */
static enum fake_hca_status fake_hca_fault_error(struct fake_hca_mr *mr,
						 int ret)
{
	struct mm_struct *mm = mr->uctx->mm;

	if (ret == -EAGAIN)
		return FAKE_HCA_WC_RETRY_EXC_ERR;
	if (!mm || !atomic_read(&mm->mm_users))
		return FAKE_HCA_WC_MM_GONE_ERR;
	if (READ_ONCE(mr->dying) || mr->uctx->be->dying(mr))
		return FAKE_HCA_WC_MR_DYING_ERR;
	if (ret == -ENOMEM)
		return FAKE_HCA_WC_FATAL_ERR;
	return FAKE_HCA_WC_PAGE_FAULT_ERR;
}

/*
 * After a lost race, give the invalidation time to end before sampling
 * again: with some strategies the sample does not wait for it, and on a
 * kernel without preemption the invalidating thread may need this CPU.
 */
static void fake_hca_fault_backoff(struct fake_hca_mr *mr, int tries)
{
	if (tries < 2 || mr->uctx->no_backoff)
		cond_resched();
	else
		fsleep(min(10UL << tries, 2000UL));
}

static enum fake_hca_status fake_hca_fault_resolve(struct fake_hca_mr *mr,
						   u64 addr, u64 len,
						   unsigned int access)
{
	int tries, ret;

	if (READ_ONCE(mr->dying))
		return FAKE_HCA_WC_MR_DYING_ERR;
	for (tries = 0; tries <= FAKE_HCA_MAX_RETRIES; tries++) {
		ret = mr->uctx->be->fault_once(mr, addr, len, access);
		if (ret != -EAGAIN)
			break;
		fake_hca_count(mr, retries, 1);
		if (tries < FAKE_HCA_MAX_RETRIES)
			fake_hca_fault_backoff(mr, tries);
	}
	/* The backend returns the number of pages it mapped. */
	return ret < 0 ? fake_hca_fault_error(mr, ret) : FAKE_HCA_WC_SUCCESS;
}

static void fake_hca_fault_work(struct work_struct *work)
{
	struct fake_hca_fault_event *ev =
		container_of(work, struct fake_hca_fault_event, work);

	odp_sync_point(FAKE_HCA_SP_FAULT_HANDLING, fake_hca_mr_sync_obj(ev->mr), ev->addr,
		       ev->addr + ev->len);
	ev->status = fake_hca_fault_resolve(ev->mr, ev->addr, ev->len,
					    ev->access);
	odp_sync_point(FAKE_HCA_SP_FAULT_HANDLED, fake_hca_mr_sync_obj(ev->mr), ev->addr,
		       ev->addr + ev->len);
	complete(&ev->done);
}

static enum fake_hca_status fake_hca_fault_queue(struct fake_hca_mr *mr,
						 u64 addr, u64 len,
						 unsigned int access)
{
	struct fake_hca_fault_event ev = {
		.mr = mr,
		.addr = addr,
		.len = len,
		.access = access,
	};

	/*
	 * No teardown frees the queue under this wait: the access holds a
	 * reference on @mr, deregistration waits until every access ended
	 * (fake_hca_dereg_mr(), mr->idle), and the fault worker's workqueue
	 * goes only in fake_hca_dev_destroy(), after every MR of the device
	 * was deregistered. The event lives on this stack until its worker
	 * completed it.
	 */
	INIT_WORK_ONSTACK(&ev.work, fake_hca_fault_work);
	init_completion(&ev.done);
	queue_work(mr->dev->fault_wq, &ev.work);
	odp_sync_point(FAKE_HCA_SP_FAULT_QUEUED, fake_hca_mr_sync_obj(mr), addr,
		       addr + len);
	wait_for_completion(&ev.done);
	/*
	 * Reached whether or not the access had to sleep: on SMP the worker
	 * may have finished before the wait began, and a trace must not
	 * depend on that.
	 */
	odp_sync_point(FAKE_HCA_SP_FAULT_WOKEN, fake_hca_mr_sync_obj(mr), addr, addr + len);
	destroy_work_on_stack(&ev.work);
	return ev.status;
}

/*
 * Resolve a device page fault on [@addr, @addr + @len) of @mr, page
 * aligned and inside the MR's table, for @access. The caller holds a
 * reference on @mr and not the umem's mutex.
 */
enum fake_hca_status fake_hca_fault(struct fake_hca_mr *mr, u64 addr,
				    u64 len, unsigned int access)
{
	fake_hca_count(mr, faults, 1);
	if (mr->uctx->fault_mode == FAKE_HCA_FAULT_WORKER)
		return fake_hca_fault_queue(mr, addr, len, access);
	return fake_hca_fault_resolve(mr, addr, len, access);
}
