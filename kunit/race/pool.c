// SPDX-License-Identifier: GPL-2.0
/*
 * A fixed pool of invalidation slots taken in invalidate_range_start and
 * given back in invalidate_range_end, blocking when empty: the tracking
 * design (a pool of range structures) that Shachar answered in the thread
 * with a lock/notify_start table showing how it deadlocks. The scenario
 * that replays his table registers this notifier on its mm; nothing in
 * the core uses it.
 *
 * The pool can be opened: a start then goes on without a slot. That is
 * only the test's way out of the deadlock it demonstrates.
 */
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "race.h"

struct odpt_pool {
	struct mmu_notifier mn;
	spinlock_t lock;
	wait_queue_head_t wq;
	const struct mmu_notifier_range *holder;
	bool open;
};

static bool odpt_pool_take(struct odpt_pool *p,
			   const struct mmu_notifier_range *range)
{
	bool done;

	spin_lock(&p->lock);
	done = p->open || !p->holder;
	if (!p->holder && !p->open)
		p->holder = range;
	spin_unlock(&p->lock);
	return done;
}

static int odpt_pool_start(struct mmu_notifier *mn,
			   const struct mmu_notifier_range *range)
{
	struct odpt_pool *p = container_of(mn, struct odpt_pool, mn);

	if (!mmu_notifier_range_blockable(range))
		return -EAGAIN;
	wait_event(p->wq, odpt_pool_take(p, range));
	return 0;
}

static void odpt_pool_end(struct mmu_notifier *mn,
			  const struct mmu_notifier_range *range)
{
	struct odpt_pool *p = container_of(mn, struct odpt_pool, mn);

	spin_lock(&p->lock);
	if (p->holder == range)
		p->holder = NULL;
	spin_unlock(&p->lock);
	wake_up_all(&p->wq);
}

static const struct mmu_notifier_ops odpt_pool_ops = {
	.invalidate_range_start = odpt_pool_start,
	.invalidate_range_end = odpt_pool_end,
};

/**
 * odpt_pool_register() - watch the scenario's mm with a one-slot pool
 * @sc: the scenario; the caller uses its mm
 *
 * Return: 0 or a negative errno.
 */
int odpt_pool_register(struct odpt_scenario *sc)
{
	struct odpt_pool *p = kzalloc(sizeof(*p), GFP_KERNEL);
	int ret;

	if (!p)
		return -ENOMEM;
	spin_lock_init(&p->lock);
	init_waitqueue_head(&p->wq);
	p->mn.ops = &odpt_pool_ops;
	ret = mmu_notifier_register(&p->mn, sc->mm);
	if (ret) {
		kfree(p);
		return ret;
	}
	sc->pool = p;
	return 0;
}

/**
 * odpt_pool_open() - let every start through, slot or not
 * @sc: the scenario
 */
void odpt_pool_open(struct odpt_scenario *sc)
{
	struct odpt_pool *p = sc->pool;

	if (!p)
		return;
	spin_lock(&p->lock);
	p->open = true;
	spin_unlock(&p->lock);
	wake_up_all(&p->wq);
}

/**
 * odpt_pool_unregister() - open the pool, take it off the mm, free it
 * @sc: the scenario
 */
void odpt_pool_unregister(struct odpt_scenario *sc)
{
	if (!sc->pool)
		return;
	odpt_pool_open(sc);
	mmu_notifier_unregister(&sc->pool->mn, sc->mm);
	kfree(sc->pool);
	sc->pool = NULL;
}
