// SPDX-License-Identifier: GPL-2.0
/*
 * The mm's own stops, for the upstream backend. The core's notifier
 * reports where an invalidation stands once every umem is done
 * (ODP_SP_INV_START_RETURN: the mm zaps next) and where its end stands;
 * IB core's umems have interval notifiers only, each its own callback,
 * with no end. A plain mmu_notifier of the harness on the same mm gives
 * the same places: in 6.12 __mmu_notifier_invalidate_range_start() runs
 * every interval callback (mn_itree_invalidate()) before the hlist's
 * starts, and __mmu_notifier_invalidate_range_end() ends the intervals
 * (mn_itree_inv_end(), which wakes the faults waiting in
 * mmu_interval_read_begin()) before the hlist's ends. So its start is
 * "every umem done, zap next", and its end comes after the umems' end:
 * it reports ODP_SP_INV_END_DONE; upstream has no point before the end,
 * which is per mm, not per umem.
 *
 * Only blockable ranges stop: a callback of a non-blockable one must not
 * sleep (mm/mmu_notifier.c), and a stop sleeps.
 */
#include <linux/mmu_notifier.h>
#include <linux/slab.h>

#include "race.h"

struct odpt_mm_points {
	struct mmu_notifier mn;
};

static int odpt_mm_points_start(struct mmu_notifier *mn,
				const struct mmu_notifier_range *range)
{
	if (mmu_notifier_range_blockable(range))
		odp_sync_point(ODP_SP_INV_START_RETURN, mn, range->start,
			       range->end);
	return 0;
}

static void odpt_mm_points_end(struct mmu_notifier *mn,
			       const struct mmu_notifier_range *range)
{
	if (mmu_notifier_range_blockable(range))
		odp_sync_point(ODP_SP_INV_END_DONE, mn, range->start,
			       range->end);
}

static const struct mmu_notifier_ops odpt_mm_points_ops = {
	.invalidate_range_start = odpt_mm_points_start,
	.invalidate_range_end = odpt_mm_points_end,
};

/**
 * odpt_mm_points_register() - report the mm's stops of an upstream scenario
 * @sc: the scenario; nothing is done unless its backend is upstream
 *
 * Return: 0 or a negative errno.
 */
int odpt_mm_points_register(struct odpt_scenario *sc)
{
	struct odpt_mm_points *p;
	int ret;

	if (sc->strategy != FAKE_HCA_BACKEND_UPSTREAM)
		return 0;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->mn.ops = &odpt_mm_points_ops;
	ret = mmu_notifier_register(&p->mn, sc->mm);
	if (ret) {
		kfree(p);
		return ret;
	}
	sc->mm_points = p;
	return 0;
}

/**
 * odpt_mm_points_unregister() - take the notifier off the mm, free it
 * @sc: the scenario
 */
void odpt_mm_points_unregister(struct odpt_scenario *sc)
{
	if (!sc->mm_points)
		return;
	mmu_notifier_unregister(&sc->mm_points->mn, sc->mm);
	kfree(sc->mm_points);
	sc->mm_points = NULL;
}
