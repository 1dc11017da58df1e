// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core, strategy "seed": the v1 patch as posted.
 *
 * Each umem counts the invalidations running over it (notifiers_count)
 * and the ones that ended (notifiers_seq). A fault samples the sequence
 * and commits only if, under the umem's mutex, the count is zero and the
 * sequence unchanged.
 *
 * Kept on purpose: the registration race. A umem inserted into an
 * already-watched context while an invalidation runs misses that
 * invalidation's start but sees its end. The end then finds a zero count,
 * which the patch clamps with a warning ("end without start"); and until
 * that end, the umem's count is zero, so a fault may commit a page the
 * running invalidation is about to free. Nothing here tries to fix it.
 */
#include <linux/kcsan-checks.h>
#include <linux/printk.h>

#include "strategy.h"

/* The per-umem accounting's completion (struct odp_seed_umem); ctx_counter's too. */
void odp_seed_umem_init(struct odp_umem *umem)
{
	init_completion(&umem->seed.notifier_completion);
}

void odp_seed_start_account(struct odp_umem *umem)
{
	mutex_lock(&umem->umem_mutex);
	/* the count is only ever touched under the mutex: KCSAN checks it */
	ASSERT_EXCLUSIVE_ACCESS(umem->seed.notifiers_count);
	if (++umem->seed.notifiers_count == 1)
		reinit_completion(&umem->seed.notifier_completion);
	mutex_unlock(&umem->umem_mutex);
}

void odp_seed_end_account(struct odp_umem *umem)
{
	mutex_lock(&umem->umem_mutex);
	/*
	 * Written under the mutex only, read without it by
	 * odp_seed_read_begin(): one writer at a time (KCSAN checks it), and
	 * marked accesses on both sides, so that the lockless read is of a
	 * whole value. A plain unsigned long does what v1's atomic_t did.
	 */
	ASSERT_EXCLUSIVE_WRITER(umem->seed.notifiers_seq);
	ASSERT_EXCLUSIVE_ACCESS(umem->seed.notifiers_count);
	/* A fault that sampled before this end must see the new sequence. */
	WRITE_ONCE(umem->seed.notifiers_seq, umem->seed.notifiers_seq + 1);
	/* The sequence is visible before the count drops: pairs with odp_seed_retry(). */
	smp_wmb();
	if (umem->seed.notifiers_count > 0) {
		WRITE_ONCE(umem->seed.notifiers_count, umem->seed.notifiers_count - 1);
	} else {
		/* the v1 workaround for a umem registered mid-invalidation */
		pr_warn("odp: got notifier end call without a previous start call\n");
		atomic64_inc(&umem->ctx->end_without_start);
	}
	if (!umem->seed.notifiers_count)
		complete_all(&umem->seed.notifier_completion);
	mutex_unlock(&umem->umem_mutex);
}

bool odp_seed_retry(struct odp_umem *umem, unsigned long seq)
{
	lockdep_assert_held(&umem->umem_mutex);
	if (READ_ONCE(umem->seed.notifiers_count))
		return true;
	/* count before sequence: pairs with the smp_wmb() of the end */
	smp_rmb();
	return READ_ONCE(umem->seed.notifiers_seq) != seq;
}

static unsigned long odp_seed_read_begin(struct odp_umem *umem)
{
	unsigned long seq = READ_ONCE(umem->seed.notifiers_seq);

	/* count before sequence: pairs with the smp_wmb() of the end */
	smp_rmb();
	return seq;
}

/* mm release: counted as a start that never ends, as the v1 patch did. */
static void odp_seed_release(struct odp_umem *umem)
{
	odp_seed_start_account(umem);
	complete_all(&umem->seed.notifier_completion);
}

/*
 * Registration, release and "different pages" as the v1 patch did them
 * (strategy_seed_v1.c). The v1 patch predates non-blockable
 * invalidations: seed walks a range of the OOM reaper like any other
 * (odp_walk_start() and odp_walk_end() for every range), takes ctx->rwsem
 * and the umem mutexes, and so may sleep inside the reaper's non-blocking
 * section ("BUG: scheduling in a non-blocking section"). Kept:
 * kunit/tests/odp_race_nonblock_kunit.c shows it.
 */
const struct odp_strategy_ops odp_strategy_seed = {
	.name = "seed",
	.umem_init = odp_seed_umem_init,
	.add = odp_seed_v1_add,
	.remove = odp_seed_v1_remove,
	.walk_start = odp_walk_start,
	.walk_end = odp_walk_end,
	.different = odp_seed_v1_different,
	.inv_start = odp_seed_start_account,
	.inv_end = odp_seed_end_account,
	.release = odp_seed_release,
	.read_begin = odp_seed_read_begin,
	.read_retry = odp_seed_retry,
};
