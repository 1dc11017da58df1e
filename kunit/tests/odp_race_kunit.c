// SPDX-License-Identifier: GPL-2.0
/*
 * The thread's races, S1 to S7, what else it discusses (S8-S13), a
 * registration racing with the process's exit (S14), one waiting for
 * the synthetic invalidation, as for a real one (S15), and two behaviours
 * of the v1 patch: its release deadlock (S16), its "different pages"
 * path (S17), its release deadlock through the notifier's SRCU (S18) and
 * its registration's read lock (S19), a deregistration against a walk
 * that holds its umem (S20) and against an invalidation about to clear
 * its device entries (S21), a commit queued behind an invalidation on the
 * umem's mutex, ordered by a gate (S22), scripted step by step and run against every
 * backend: the core's strategies and upstream, the kernel's IB ODP. Each
 * case executes its script odp_kunit.repeat times (100 by default) and
 * requires the same outcome and the same trace every time.
 *
 * The mapping has 8 pages. A is umem slot 0 over pages 0-3, B is slot 1
 * over pages 2-5: they overlap on pages 2 and 3.
 */
#include "lib/inv_scripts.h"
#include "lib/odpt_hca.h"
#include "race/masks.h"
#include "lib/case_checks.h"

/*
 * S1, Shachar's first table: madvise(DONTNEED) starts an invalidation
 * over A and stops inside it; B, overlapping A, is registered; the
 * invalidation ends. The seed strategy sees B's end without its start.
 */
static const struct odpt_actor_spec s1_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{}
};

static const struct odpt_step s1_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_INV_START_RETURN),	/* madvise: notifier_start */
	ODPT_RUN(2),				/* register_mr(B) */
	ODPT_RUN(1),				/* notifier_end */
	ODPT_RESULT(1, 0),
	ODPT_RESULT(2, 0),
	ODPT_UNDERFLOW_ON(SEED, 1),
	ODPT_UNDERFLOW_ON(NOT_SEED, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S2, Jerome's table: an invalidation of A starts (madvise(DONTNEED),
 * under the read lock, so faults run beside it); B, overlapping A, is
 * registered and faulted; the invalidation then zaps and ends. Seed
 * commits the two pages being zapped: two stale entries. The others
 * retry (ctx_counter) or wait (range_track, interval; upstream, B
 * inserted during the invalidation waits in mmu_interval_read_begin()
 * with no point of ours before), then map the new pages. (A racing munmap is no race in 6.12: the VMA is detached before
 * the notifier runs, so the fault finds no VMA and fails with -EFAULT.)
 */
static const struct odpt_actor_spec s2_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T3", ODPT_OP_FAULT, 1, 2, 4, RW },
	{ "T4", ODPT_OP_FAULT_RETRY, 1, 2, 4, RW },
	{ "T5", ODPT_OP_DEV_READ, 1, 2, 2 },
	{}
};

static const struct odpt_step s2_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_INV_START_RETURN),	/* range_start(A) */
	ODPT_RUN(2),				/* odp_add_new_region(B) */
	ODPT_RUN_ON(NO_WAIT, 3),		/* odp_page_fault(B) */
	ODPT_RESULT_ON(SEED, 3, 4),
	ODPT_RESULT_ON(CTX, 3, -EAGAIN),
	ODPT_UNTIL_ON(WAITS, 3, ODP_SP_FAULT_WAIT),
	ODPT_BLOCKS_ON(UPSTREAM, 3),		/* in mmu_interval_read_begin() */
	ODPT_STALE_ON(ODPT_ALL, 0),		/* A's pages are in flight */
	ODPT_RUN(1),				/* zap, range_end(A) */
	ODPT_RESULT(1, 0),
	ODPT_RUN_ON(WAITS, 3),
	ODPT_FINISHES_ON(UPSTREAM, 3),
	ODPT_RESULT_ON(WAITS | UPSTREAM, 3, 4),
	ODPT_RUN_ON(CTX, 4),
	ODPT_RESULT_ON(CTX, 4, 4),
	ODPT_STALE_ON(SEED, 2),
	ODPT_STALE_ON(NOT_SEED, 0),
	ODPT_MAPPED_ON(ODPT_ALL, 1, 4),
	ODPT_UNDERFLOW_ON(SEED, 1),
	ODPT_UNDERFLOW_ON(NOT_SEED, 0),
	ODPT_RUN(5),				/* the device reads B's pages 2-3 */
	ODPT_RESULT_ON(SEED, 5, -EIO),		/* old data: not what the CPU sees */
	ODPT_RESULT_ON(NOT_SEED, 5, FAKE_HCA_WC_SUCCESS),
	ODPT_END
};

/*
 * S3, Shachar's second case: B misses the start of an invalidation over
 * A; an invalidation over B (madvise) starts; A's end cancels B's count;
 * B faults and commits pages that are about to be zapped. The script is
 * lib/inv_scripts.h's, with the synthetic invalidation.
 */
static const struct odpt_actor_spec s3_actors[] = ODPT_S3_ACTORS(ODPT_OP_INVALIDATE, 0, 4);
static const struct odpt_step s3_steps[] = ODPT_S3_STEPS(ODPT_OP_INVALIDATE, false);

/*
 * S4: a fault samples its sequence and looks up pages; a whole
 * invalidation runs; the fault's commit is refused, its retry maps the
 * new pages (upstream: ib_umem_odp_map_dma_and_lock() finds
 * mmu_interval_read_retry() true and samples again by itself).
 */
static const struct odpt_actor_spec s4_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T3", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{}
};

static const struct odpt_step s4_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_FAULT_LOOKED_UP),
	ODPT_RUN(2),
	ODPT_UNTIL_ON(UPSTREAM, 1, ODP_SP_FAULT_SAMPLED),	/* refused: samples again */
	ODPT_MAPPED_ON(UPSTREAM, 0, 0),
	ODPT_RUN(1),
	ODPT_RESULT_ON(NOT_UPSTREAM, 1, -EAGAIN),
	ODPT_RESULT_ON(UPSTREAM, 1, 4),
	ODPT_MAPPED_ON(NOT_UPSTREAM, 0, 0),
	ODPT_RUN(3),
	ODPT_RESULT(3, 4),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 4),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S5: two overlapping invalidations nest; a fault between the two ends is
 * refused (or waits) until both have ended (lib/inv_scripts.h, two
 * synthetic invalidations).
 */
static const struct odpt_actor_spec s5_actors[] =
	ODPT_S5_ACTORS(ODPT_OP_INVALIDATE, 0, 4, ODPT_OP_INVALIDATE, 2, 4, 4);
static const struct odpt_step s5_steps[] =
	ODPT_S5_STEPS(ODPT_OP_INVALIDATE, ODPT_OP_INVALIDATE, 4, ODP_SP_FAULT_LOOKED_UP);

/*
 * S6: the last user of the mm goes away while a fault and an
 * invalidation are in flight. The fault holds the address space (as GUP
 * and hmm_range_fault callers must), so the teardown waits for it: the
 * scenario's mmput returns with the umem still alive, the fault's commit
 * is refused (the invalidation runs), and its own mmput then tears the
 * address space down: the notifier's release kills the umem and clears
 * every entry, and the teardown then waits for the invalidation, which
 * holds the reverse map's lock as a real one does, to end. The end is
 * harmless; later faults fail.
 *
 * Upstream the fault is refused inside ib_umem_odp_map_dma_and_lock(),
 * which samples again and waits for T2's end in mmu_interval_read_begin();
 * it then maps the pages (it holds the mm) and drops the last reference
 * with mmput_async(): the teardown runs on a workqueue, unmaps the range
 * through the interval notifier, and the script waits for it. IB core's
 * umem does not die with the mm; a later fault fails in mmget_not_zero().
 */
static const struct odpt_actor_spec s6_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T2", ODPT_OP_INVALIDATE, 0, 0, 4 },
	{ "T3", ODPT_OP_MMPUT },
	{ "T4", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{}
};

static const struct odpt_step s6_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_FAULT_LOOKED_UP),
	ODPT_UNTIL(2, ODPT_SP_BETWEEN),
	ODPT_RUN(3),				/* not the last user yet */
	ODPT_DYING(0, 0),
	ODPT_BLOCKS_ON(ODPT_ALL, 1),		/* refused; exit_mmap waits for T2 */
	ODPT_DYING_ON(NOT_UPSTREAM, 0, 1),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 0),
	ODPT_RUN(2),
	ODPT_FINISHES_ON(ODPT_ALL, 1),
	ODPT_RESULT_ON(NOT_UPSTREAM, 1, -EAGAIN),
	ODPT_RESULT_ON(UPSTREAM, 1, 4),		/* then mmput_async(): the last user */
	ODPT_MM_TORN_DOWN,
	ODPT_RUN(4),
	ODPT_RESULT_ON(NOT_UPSTREAM, 4, -EFAULT),
	ODPT_RESULT_ON(UPSTREAM, 4, -EINVAL),	/* mmget_not_zero() fails */
	ODPT_MAPPED_ON(ODPT_ALL, 0, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S7: a umem is deregistered between an invalidation's start and end; the
 * end finds nothing to account and does no harm: a new umem over the
 * same pages faults normally. The interval notifier's removal waits for
 * the end (interval, upstream); the other strategies take the umem out of
 * the tree at once.
 */
static const struct odpt_actor_spec s7_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_INVALIDATE, 0, 0, 4 },
	{ "T2", ODPT_OP_DEREGISTER, 0 },
	{ "T3", ODPT_OP_REGISTER, 1, 0, 4, RW },
	{ "T4", ODPT_OP_FAULT_RETRY, 1, 0, 4, RW },
	{ "T5", ODPT_OP_PREFETCH, 1, 0, 4, RW },
	{ "T6", ODPT_OP_DEV_WRITE, 1, 0, 4 },
	{}
};

static const struct odpt_step s7_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODPT_SP_BETWEEN),
	ODPT_RUN_ON(NOT_ITREE, 2),		/* out of the tree at once */
	ODPT_BLOCKS_ON(ITREE, 2),		/* removal waits for the end */
	ODPT_RUN(1),
	ODPT_FINISHES_ON(ITREE, 2),
	ODPT_RUN(3),
	ODPT_RUN(4),
	ODPT_RESULT(4, 4),
	ODPT_RUN(5),				/* prefetch: already mapped */
	ODPT_RESULT(5, FAKE_HCA_WC_SUCCESS),
	ODPT_RUN(6),				/* the device writes, CPU agrees */
	ODPT_RESULT(6, FAKE_HCA_WC_SUCCESS),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S8, Shachar's lock/notify_start table: with a start callback that
 * blocks for a slot of a fixed pool, two code paths that were fine apart
 * deadlock. Code 1 is notify_start(); lock(); unlock(); notify_end(), code
 * 2 is lock(); notify_start(); notify_end(); unlock(). Not a property of
 * the ODP strategies: the pool is a notifier of its own on the mm.
 */
static const struct odpt_actor_spec s8_actors[] = {
	{ "T1", ODPT_OP_INV_THEN_LOCK, 0, 0, 4 },
	{ "T2", ODPT_OP_LOCK_THEN_INV, 0, 4, 4 },
	{}
};

static const struct odpt_step s8_steps[] = {
	ODPT_UNTIL(0, ODPT_SP_BETWEEN),		/* notify_start(): slot taken */
	ODPT_UNTIL(1, ODPT_SP_LOCKED),		/* lock() */
	ODPT_BLOCKS_ON(ODPT_ALL, 1),		/* notify_start(): waits for the slot */
	ODPT_BLOCKS_ON(ODPT_ALL, 0),		/* lock(): waits: deadlock */
	ODPT_OPEN_POOL,				/* the test's way out */
	ODPT_FINISHES_ON(ODPT_ALL, 1),
	ODPT_FINISHES_ON(ODPT_ALL, 0),
	ODPT_RESULT(0, 0),
	ODPT_RESULT(1, 0),
	ODPT_END
};

/*
 * S9: a registered range moves away under a mapped MR (mremap(2)): the
 * moved pages' entries are cleared, the rest stay, and a fault on the old
 * address fails cleanly. Same on every strategy.
 */
static const struct odpt_actor_spec s9_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MREMAP, 0, 0, 2, 0, 6 },	/* pages 0-1 to 6-7 */
	{ "T3", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{ "T4", ODPT_OP_DEV_READ, 0, 2, 2 },
	{}
};

static const struct odpt_step s9_steps[] = {
	ODPT_RUN(0),
	ODPT_RUN(1),
	ODPT_RESULT(1, 4),
	ODPT_RUN(2),
	ODPT_RESULT(2, 0),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 2),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_RUN(3),
	ODPT_RESULT(3, -EFAULT),
	ODPT_RUN(4),				/* the pages that stayed */
	ODPT_RESULT(4, FAKE_HCA_WC_SUCCESS),
	ODPT_END
};

/*
 * S10: S4 with the device in the loop. A device read misses and queues a
 * fault event; the driver's fault worker takes it, samples and looks up
 * the pages; a whole madvise(DONTNEED) runs; the worker's commit is
 * refused, it samples again and maps the new pages, and the read resumes
 * with the data the CPU sees. Same on every strategy.
 */
static const struct odpt_actor_spec s10_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_DEV_READ, 0, 0, 4 },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "W", ODPT_OP_FAULT_WORKER },
	{}
};

static const struct odpt_step s10_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, FAKE_HCA_SP_FAULT_QUEUED),	/* the read misses */
	ODPT_UNTIL(3, ODP_SP_FAULT_LOOKED_UP),	/* the worker looks up */
	ODPT_RUN(2),				/* madvise, start to end */
	ODPT_RESULT(2, 0),
	ODPT_UNTIL(3, ODP_SP_FAULT_LOOKED_UP),	/* refused: it looks up again */
	ODPT_MAPPED_ON(ODPT_ALL, 0, 0),
	ODPT_RUN(3),				/* commits, resolves the event */
	ODPT_MAPPED_ON(ODPT_ALL, 0, 4),
	ODPT_RUN(1),				/* the read resumes */
	ODPT_RESULT(1, FAKE_HCA_WC_SUCCESS),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S11: Jerome's table (S2) with the device in the loop. An invalidation
 * of A starts; B, overlapping A, is registered; a device read of B
 * misses and the fault worker serves it. Seed commits the pages being
 * zapped and the device then reads data the CPU no longer sees. The
 * others refuse the commit (ctx_counter, retried after the end) or wait
 * for the end (range_track, interval), and the read sees the CPU's data.
 */
static const struct odpt_actor_spec s11_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T3", ODPT_OP_DEV_READ, 1, 2, 4 },
	{ "W", ODPT_OP_FAULT_WORKER },
	{}
};

static const struct odpt_step s11_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_INV_START_RETURN),	/* range_start(A) */
	ODPT_RUN(2),				/* register B */
	ODPT_UNTIL(3, FAKE_HCA_SP_FAULT_QUEUED),	/* the read of B misses */
	ODPT_UNTIL_ON(NO_WAIT, 4, ODP_SP_FAULT_LOOKED_UP),
	ODPT_UNTIL_ON(WAITS, 4, ODP_SP_FAULT_WAIT),
	/* upstream: it would wait in mmu_interval_read_begin(), no point there */
	ODPT_UNTIL_ON(UPSTREAM, 4, FAKE_HCA_SP_FAULT_HANDLING),
	ODPT_RUN_ON(SEED, 4),			/* commits pages being zapped */
	ODPT_RUN(1),				/* zap, range_end(A) */
	ODPT_RESULT(1, 0),
	ODPT_RUN_ON(NOT_SEED, 4),		/* retries or waited: new pages */
	ODPT_RUN(3),				/* the read resumes */
	ODPT_RESULT_ON(SEED, 3, -EIO),		/* old data: not what the CPU sees */
	ODPT_RESULT_ON(NOT_SEED, 3, FAKE_HCA_WC_SUCCESS),
	ODPT_STALE_ON(SEED, 2),
	ODPT_STALE_ON(NOT_SEED, 0),
	ODPT_UNDERFLOW_ON(SEED, 1),
	ODPT_UNDERFLOW_ON(NOT_SEED, 0),
	ODPT_MAPPED_ON(ODPT_ALL, 1, 4),
	ODPT_END
};

/*
 * S12: an MR is deregistered while the fault worker holds one of its
 * events. The deregistration waits for the access in flight; the worker
 * finds the MR dying and gives up; the access completes with
 * MR_DYING_ERR and the deregistration then finishes. Same on every
 * strategy.
 */
static const struct odpt_actor_spec s12_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_DEV_READ, 0, 0, 4 },
	{ "T2", ODPT_OP_DEREGISTER, 0 },
	{ "W", ODPT_OP_FAULT_WORKER },
	{}
};

static const struct odpt_step s12_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, FAKE_HCA_SP_FAULT_QUEUED),	/* the read misses */
	ODPT_UNTIL(3, FAKE_HCA_SP_FAULT_HANDLING), /* the worker takes it */
	ODPT_BLOCKS_ON(ODPT_ALL, 2),		/* dereg waits for the read */
	ODPT_RUN(3),				/* the MR is dying: no fault */
	ODPT_RUN(1),
	ODPT_RESULT(1, FAKE_HCA_WC_MR_DYING_ERR),
	ODPT_FINISHES_ON(ODPT_ALL, 2),
	ODPT_RESULT(2, 0),
	ODPT_END
};

/*
 * S13, found by the explorer (odp_explore E1, S1's actors, on seed) and
 * pasted from its report: B's registration blocks on the tree walk of
 * madvise's start, which holds the context's rwsem over A; B is inserted
 * once the walk drops it, after A was accounted and before the start
 * returns. B missed the start; its end is an end without a start. No
 * script had this interleaving: S1 registers B after the start returned.
 * The steps are those of seed's walk; the explorer shows every schedule
 * of these actors clean on the other strategies.
 */
static const struct odpt_step s13_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_INV_START_ACCOUNTED),
	ODPT_UNTIL(2, ODP_SP_REG_BEFORE_INSERT),
	ODPT_BLOCKS_UNTIL(2, ODP_SP_REG_AFTER_INSERT),
	ODPT_UNTIL(1, ODP_SP_INV_START_DONE),
	ODPT_STOPS(2),
	ODPT_UNTIL(1, ODP_SP_INV_START_RETURN),
	ODPT_UNTIL(1, ODP_SP_INV_END_BEFORE),
	ODPT_UNTIL(1, ODP_SP_INV_END_BEFORE),
	ODPT_UNTIL(1, ODP_SP_INV_END_DONE),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 1),
	ODPT_RUN(1),
	ODPT_RUN(2),
	ODPT_RESULT(1, 0),
	ODPT_RESULT(2, 0),
	ODPT_END
};

/*
 * S14: a registration races with the process's exit. A fault holds the
 * address space (S6), so the scenario's mmput is not the last one: B is
 * still registered. The fault's own mmput then tears the address space
 * down, and a registration after that fails with -EFAULT, as does a fault
 * of B; nothing is left behind (the suite's leak check). Upstream the
 * teardown runs on a workqueue (mmput_async()) and the script waits for
 * it; IB core's umems do not die with the mm, and B's fault fails in
 * mmget_not_zero() with -EINVAL.
 */
static const struct odpt_actor_spec s14_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MMPUT },
	{ "T3", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T4", ODPT_OP_REGISTER, 2, 4, 2, RW },
	{ "T5", ODPT_OP_FAULT_RETRY, 1, 2, 2, RW },
	{}
};

static const struct odpt_step s14_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_FAULT_LOOKED_UP),	/* the fault holds the mm */
	ODPT_RUN(2),				/* not the last user */
	ODPT_RUN(3),				/* B: registered */
	ODPT_RESULT(3, 0),
	ODPT_DYING(1, 0),
	ODPT_RUN(1),				/* commits, then the last mmput */
	ODPT_RESULT(1, 4),
	ODPT_MM_TORN_DOWN,			/* upstream: mmput_async() */
	ODPT_DYING_ON(NOT_UPSTREAM, 0, 1),
	ODPT_DYING_ON(NOT_UPSTREAM, 1, 1),
	ODPT_RUN(4),				/* after the exit */
	ODPT_RESULT(4, -EFAULT),
	ODPT_RUN(5),
	ODPT_RESULT_ON(NOT_UPSTREAM, 5, -EFAULT),
	ODPT_RESULT_ON(UPSTREAM, 5, -EINVAL),	/* mmget_not_zero() fails */
	ODPT_MAPPED_ON(ODPT_ALL, 0, 0),
	ODPT_MAPPED_ON(ODPT_ALL, 1, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S15: the synthetic invalidation is as honest as a real one. It holds
 * the reverse map's lock (an anon_vma's), which mmu_notifier_register()
 * takes for every mapping of the mm: the registration of a context's
 * first umem, and with it of the context's notifier, waits for the
 * invalidation to end, and then misses nothing: no end without a start,
 * no stale entry, on every backend. Upstream, the first interval notifier
 * of the mm's life (each execution has its own mm) registers the mm's
 * interval tree, through mmu_notifier_register(): the same wait.
 */
static const struct odpt_actor_spec s15_actors[] = {
	{ "T0", ODPT_OP_INVALIDATE, 0, 0, 4 },
	REG_A,
	{ "T2", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{}
};

static const struct odpt_step s15_steps[] = {
	ODPT_UNTIL(0, ODPT_SP_BETWEEN),		/* no umem sees this start */
	ODPT_BLOCKS_ON(ODPT_ALL, 1),		/* the first registration waits */
	ODPT_RUN(0),				/* end */
	ODPT_FINISHES_ON(ODPT_ALL, 1),
	ODPT_RESULT(1, 0),
	ODPT_RUN(2),
	ODPT_RESULT(2, 4),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S16: the v1 patch's release deadlock. The last umem's release
 * downgrades the rwsem to a read lock and unregisters the notifier under
 * it; mmu_notifier_unregister() calls the notifier's release callback,
 * which takes the rwsem for reading again. A registration that queued for
 * the write lock in between blocks that second read, and waits itself for
 * the first one: nobody moves. The way out is to kill the registration
 * (its wait is killable); the release then finishes. The other strategies
 * unregister under reg_mutex, outside the rwsem: the registration waits
 * for the release, then registers the notifier again. Upstream, each
 * umem has its own interval notifier and shares no lock with another's
 * registration: it goes through. Nothing leaks (the suite's leak check,
 * kmemleak with --debug).
 */
static const struct odpt_actor_spec s16_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_DEREGISTER, 0 },
	{ "T2", ODPT_OP_REGISTER, 1, 4, 2, RW },
	{}
};

static const struct odpt_step s16_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_RELEASE_BEFORE_UNREGISTER), /* seed: rwsem held for read */
	ODPT_BLOCKS_ON(NOT_UPSTREAM, 2),	/* the registration waits */
	ODPT_RUN_ON(UPSTREAM, 2),		/* upstream: no lock in common */
	ODPT_BLOCKS_ON(SEED, 1),		/* seed: the release callback, behind it */
	ODPT_RUN_ON(NOT_SEED, 1),
	ODPT_FINISHES_ON(NOT_SEED & NOT_UPSTREAM, 2),
	ODPT_RESULT_ON(NOT_SEED, 2, 0),
	ODPT_KILL_ON(SEED, 2),			/* seed: the way out */
	ODPT_FINISHES_ON(SEED, 2),
	ODPT_RESULT_ON(SEED, 2, -EINTR),
	ODPT_FINISHES_ON(SEED, 1),
	ODPT_RESULT(1, 0),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S17: v1's "different pages" path. After S2, seed's B holds two pages
 * the madvise zapped. A fault that starts at B's second page meets the
 * first of them: v1 removes the mapping at the fault's first page plus
 * the page's index in B, which is the page after it, and returns -EAGAIN;
 * every retry meets the same page again. The other strategies hold no
 * stale page: the fault maps its three pages.
 */
static const struct odpt_actor_spec s17_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },
	{ "T3", ODPT_OP_FAULT, 1, 2, 4, RW },
	{ "T4", ODPT_OP_FAULT_RETRY, 1, 2, 4, RW },
	{ "T5", ODPT_OP_FAULT_RETRY, 1, 3, 3, RW },
	{}
};

static const struct odpt_step s17_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_INV_START_RETURN),
	ODPT_RUN(2),
	ODPT_RUN_ON(NO_WAIT, 3),
	ODPT_UNTIL_ON(WAITS, 3, ODP_SP_FAULT_WAIT),
	ODPT_BLOCKS_ON(UPSTREAM, 3),
	ODPT_RUN(1),
	ODPT_RUN_ON(WAITS, 3),
	ODPT_FINISHES_ON(UPSTREAM, 3),
	ODPT_RUN_ON(CTX, 4),
	ODPT_STALE_ON(SEED, 2),			/* S2's outcome */
	ODPT_RUN(5),				/* from B's second page */
	ODPT_RESULT_ON(SEED, 5, -EAGAIN),	/* the wrong page removed, each time */
	ODPT_RESULT_ON(NOT_SEED, 5, 3),
	ODPT_MAPPED_ON(SEED, 1, 3),		/* B's third page went instead */
	ODPT_MAPPED_ON(NOT_SEED, 1, 4),
	ODPT_STALE_ON(SEED, 2),
	ODPT_STALE_ON(NOT_SEED, 0),
	ODPT_END
};

/*
 * S18: v1's release deadlocks a second way, through the notifier's SRCU.
 * A madvise enters the context's start callback and stops before it takes
 * the rwsem (mmap_lock and the SRCU read section held). The last umem's
 * release unregisters the notifier, which waits for that callback
 * (synchronize_srcu(); interval's mmu_interval_notifier_remove() waits
 * for the interval tree's invalidation); seed holds the rwsem for reading
 * while it waits. A registration then queues for the write lock (seed),
 * or for reg_mutex, held by the release (ctx_counter, range_track);
 * interval's and upstream's go through. When the callback goes on, seed's read lock
 * waits behind the queued writer, which waits for the release, which
 * waits for the callback: nobody moves until the registration is
 * killed. Elsewhere the callback takes the rwsem (no writer queues on
 * it), ends, and the release and the registration finish.
 */
static const struct odpt_actor_spec s18_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T2", ODPT_OP_DEREGISTER, 0 },
	{ "T3", ODPT_OP_REGISTER, 1, 4, 2, RW },
	{}
};

#define REG_MUTEX	(CTX | ODPT_ONLY(ODP_STRATEGY_RANGE_TRACK))

static const struct odpt_step s18_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODP_SP_INV_START_ENTER),	/* in the callback, no lock of ours */
	ODPT_BLOCKS_ON(ODPT_ALL, 2),		/* the release waits for it */
	ODPT_BLOCKS_ON(SEED, 3),		/* seed: the write lock */
	ODPT_BLOCKS_ON(REG_MUTEX, 3),		/* reg_mutex, held by the release */
	ODPT_RUN_ON(ITREE, 3),
	ODPT_BLOCKS_ON(SEED, 1),		/* seed: its read lock, behind the writer */
	ODPT_RUN_ON(NOT_SEED, 1),
	ODPT_FINISHES_ON(NOT_SEED, 2),
	ODPT_FINISHES_ON(REG_MUTEX, 3),
	ODPT_KILL_ON(SEED, 3),			/* seed: the way out */
	ODPT_FINISHES_ON(SEED, 3),
	ODPT_RESULT_ON(SEED, 3, -EINTR),
	ODPT_FINISHES_ON(SEED, 1),
	ODPT_FINISHES_ON(SEED, 2),
	ODPT_RESULT(1, 0),
	ODPT_RESULT(2, 0),
	ODPT_RESULT_ON(NOT_SEED, 3, 0),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S19: v1 registers the context's notifier under the downgraded read
 * lock. The first umem's registration stops there, A in the tree and the
 * notifier not registered yet; a second registration waits for the write
 * lock until the first one is done. The other strategies register the
 * notifier before the insert, under reg_mutex only: the second one goes
 * through while the first stands after its insert.
 */
static const struct odpt_actor_spec s19_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_REGISTER, 1, 4, 2, RW },
	{}
};

static const struct odpt_step s19_steps[] = {
	ODPT_UNTIL_ON(SEED, 0, ODP_SP_REG_DOWNGRADED),	/* seed: read lock held */
	ODPT_UNTIL_ON(NOT_SEED, 0, ODP_SP_REG_AFTER_INSERT),
	ODPT_BLOCKS_ON(SEED, 1),
	ODPT_RUN_ON(NOT_SEED, 1),
	ODPT_RUN(0),				/* seed: registers, then up_read() */
	ODPT_FINISHES_ON(SEED, 1),
	ODPT_RESULT(0, 0),
	ODPT_RESULT(1, 0),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S20: a deregistration while a walk still holds its umem. madvise's
 * start over A stops at its deferred START_DONE: the walk dropped the
 * context's rwsem but holds a walker reference on A until it reports the
 * point. A's deregistration must wait for it (interval: its notifier's
 * removal waits for the invalidation to end), or it frees A under the
 * walk. B keeps the context's notifier registered, so nothing else makes
 * the deregistration wait.
 */
static const struct odpt_actor_spec s20_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_REGISTER, 1, 6, 2, RW },		/* B, away from A */
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T3", ODPT_OP_DEREGISTER, 0 },
	{ "T4", ODPT_OP_FAULT_RETRY, 1, 6, 2, RW },
	{}
};

static const struct odpt_step s20_steps[] = {
	ODPT_RUN(0),
	ODPT_RUN(1),
	ODPT_UNTIL(2, ODP_SP_INV_START_DONE),	/* the walk holds A past the rwsem */
	ODPT_BLOCKS_ON(ODPT_ALL, 3),		/* A's deregistration waits for it */
	ODPT_RUN(2),				/* the walk lets A go; zap, end */
	ODPT_RESULT(2, 0),
	ODPT_FINISHES_ON(ODPT_ALL, 3),
	ODPT_RESULT(3, 0),
	ODPT_RUN(4),				/* B still works */
	ODPT_RESULT(4, 2),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S21: a deregistration against an invalidation that decided to clear the
 * MR's device entries and has not yet done so (stopped at its accounting
 * point). The deregistration must wait for it: upstream, its revoke takes
 * umem_mutex, which the invalidation holds, as mlx5's fix for
 * CVE-2025-21732 does (a revoke beside the invalidation's update had the
 * device update a revoked MR, which the fake HCA reports with a warning);
 * the core's release waits for the walk's rwsem or, interval, for the
 * interval notifier's invalidation to end.
 */
static const struct odpt_actor_spec s21_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T3", ODPT_OP_DEREGISTER, 0 },
	{}
};

static const struct odpt_step s21_steps[] = {
	ODPT_RUN(0),
	ODPT_RUN(1),				/* the device maps A */
	ODPT_RESULT(1, 4),
	ODPT_UNTIL(2, ODP_SP_INV_START_ACCOUNTED), /* decided, not cleared */
	ODPT_BLOCKS_ON(ODPT_ALL, 3),		/* the deregistration waits */
	ODPT_RUN(2),
	ODPT_RESULT(2, 0),
	ODPT_FINISHES_ON(ODPT_ALL, 3),
	ODPT_RESULT(3, 0),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/*
 * S22: a gate orders two waiters of the umem's mutex. The device holds
 * A's mutex (ODPT_OP_HOLD_UMEM, a gate); a fault has sampled and looked
 * up A; madvise's invalidation of A queues for the mutex first, the
 * fault's commit second. When the gate lets go the invalidation clears and
 * unmaps, then the commit must see that its sample is stale: the core
 * refuses it (-EAGAIN), upstream's map_dma_and_lock() checks
 * mmu_interval_read_retry() under umem_mutex and samples again. A check
 * made before taking the mutex would pass, and commit the zapped pages:
 * no sync point lies in that window, the gate makes it one.
 */
static const struct odpt_actor_spec s22_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_HOLD_UMEM, 0 },
	{ "T2", ODPT_OP_MADVISE, 0, 0, 4 },
	{ "T3", ODPT_OP_FAULT, 0, 0, 4, RW },
	{}
};

static const struct odpt_step s22_steps[] = {
	ODPT_RUN(0),
	ODPT_UNTIL(1, ODPT_SP_LOCKED),		/* the gate holds A's mutex */
	ODPT_UNTIL(3, ODP_SP_FAULT_LOOKED_UP),	/* sampled, looked up */
	ODPT_BLOCKS_ON(ODPT_ALL, 2),		/* the invalidation queues first */
	ODPT_BLOCKS_ON(ODPT_ALL, 3),		/* the commit second */
	ODPT_RUN(1),				/* the gate lets go */
	ODPT_FINISHES_ON(ODPT_ALL, 2),
	ODPT_FINISHES_ON(ODPT_ALL, 3),
	ODPT_RESULT(2, 0),
	ODPT_RESULT_ON(NOT_UPSTREAM, 3, -EAGAIN),
	ODPT_RESULT_ON(UPSTREAM, 3, 4),		/* sampled again, new pages */
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

static const struct odpt_script odpt_scripts[] = {
	{ "S1", 8, s1_actors, s1_steps },
	{ "S2", 8, s2_actors, s2_steps },
	{ "S3", 8, s3_actors, s3_steps },
	{ "S4", 8, s4_actors, s4_steps },
	{ "S5", 8, s5_actors, s5_steps },
	{ "S6", 8, s6_actors, s6_steps },
	{ "S7", 8, s7_actors, s7_steps },
	{ "S8", 8, s8_actors, s8_steps, .pool = true },
	{ "S9", 8, s9_actors, s9_steps },
	{ "S10", 8, s10_actors, s10_steps },
	{ "S11", 8, s11_actors, s11_steps },
	{ "S12", 8, s12_actors, s12_steps },
	{ "S13", 8, s1_actors, s13_steps },
	{ "S14", 8, s14_actors, s14_steps },
	{ "S15", 8, s15_actors, s15_steps, .fresh_mm = true },
	{ "S16", 8, s16_actors, s16_steps },
	{ "S17", 8, s17_actors, s17_steps },
	{ "S18", 8, s18_actors, s18_steps },
	{ "S19", 8, s19_actors, s19_steps },
	{ "S20", 8, s20_actors, s20_steps },
	{ "S21", 8, s21_actors, s21_steps },
	{ "S22", 8, s22_actors, s22_steps },
};

/* Run the script odp_kunit.repeat times: same outcome, same trace. */
static void odpt_race_repeat(struct kunit *test, const struct odpt_script *script)
{
	const enum odp_strategy *strategy = test->param_value;

	odpt_case_repeat(test, script, *strategy, odpt_repeat_count());
}

#define ODPT_RACE_CASE(n)						\
static void odpt_race_s##n(struct kunit *test)				\
{									\
	odpt_race_repeat(test, &odpt_scripts[(n) - 1]);			\
}

ODPT_RACE_CASE(1)
ODPT_RACE_CASE(2)
ODPT_RACE_CASE(3)
ODPT_RACE_CASE(4)
ODPT_RACE_CASE(5)
ODPT_RACE_CASE(6)
ODPT_RACE_CASE(7)
ODPT_RACE_CASE(9)
ODPT_RACE_CASE(10)
ODPT_RACE_CASE(11)
ODPT_RACE_CASE(12)
ODPT_RACE_CASE(14)
ODPT_RACE_CASE(15)
ODPT_RACE_CASE(16)
ODPT_RACE_CASE(17)
ODPT_RACE_CASE(18)
ODPT_RACE_CASE(19)
ODPT_RACE_CASE(20)
ODPT_RACE_CASE(21)
ODPT_RACE_CASE(22)

/* S8 does not depend on the strategy: once, with the default. */
static void odpt_race_s8_pool_deadlock(struct kunit *test)
{
	static const enum odp_strategy strategy = ODP_STRATEGY_DEFAULT;

	test->param_value = (void *)&strategy;
	odpt_race_repeat(test, &odpt_scripts[7]);
}

/* S13 is seed's walk: once, on seed. */
static void odpt_race_s13_explored(struct kunit *test)
{
	static const enum odp_strategy strategy = ODP_STRATEGY_SEED;

	test->param_value = (void *)&strategy;
	odpt_race_repeat(test, &odpt_scripts[12]);
}

static const struct kunit_attributes ODPT_SLOW = { .speed = KUNIT_SPEED_SLOW };

static struct kunit_case odpt_race_cases[] = {
	KUNIT_CASE_PARAM_ATTR(odpt_race_s1, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s2, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s3, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s4, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s5, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s6, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s7, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_ATTR(odpt_race_s8_pool_deadlock, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s9, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s10, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s11, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s12, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_ATTR(odpt_race_s13_explored, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s14, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s15, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s16, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s17, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s18, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s19, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s20, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s21, odpt_backend_gen_params, ODPT_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_race_s22, odpt_backend_gen_params, ODPT_SLOW),
	{}
};

static struct kunit_suite odpt_race_suite = {
	.name = "odp_race",
	.init = odpt_case_checks_init,
	.test_cases = odpt_race_cases,
};
kunit_test_suite(odpt_race_suite);
