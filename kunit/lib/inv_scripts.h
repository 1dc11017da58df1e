/* SPDX-License-Identifier: GPL-2.0 */
/*
 * S3 and S5 with any invalidating actor: one script each, parameterized
 * by its invalidations, with every step and expectation written here once.
 * odp_race runs them with the synthetic invalidation, odp_race_file with a
 * hole punched in a memfd or its truncation, odp_race_migrate with a page
 * migration. Each suite instantiates them as static tables:
 *
 *	static const struct odpt_actor_spec s3_actors[] =
 *		ODPT_S3_ACTORS(ODPT_OP_INVALIDATE, 0, 4);
 *	static const struct odpt_step s3_steps[] =
 *		ODPT_S3_STEPS(ODPT_OP_INVALIDATE, false);
 */
#ifndef _ODPT_INV_SCRIPTS_H
#define _ODPT_INV_SCRIPTS_H

#include "race/masks.h"

/*
 * Where an invalidating actor of operation @op stands once its start is
 * done and its end is to come: the synthetic invalidation between its
 * start and end, a real one (madvise, a punched hole, a truncation, a
 * migration) once its start returned.
 */
#define ODPT_INV_STARTED(op)						\
	((op) == ODPT_OP_INVALIDATE ? ODPT_SP_BETWEEN : ODP_SP_INV_START_RETURN)

/*
 * S3, Shachar's second case, with T1 = @op over pages [@page, @page +
 * @npages) of A (pages 0-3). B registers while T1 runs and misses its
 * start; an invalidation of B (a madvise) starts; T1's end cancels B's
 * count on seed, whose fault then commits pages that are about to be
 * zapped.
 */
#define ODPT_S3_ACTORS(op, page, npages) {				\
	REG_A,								\
	{ "T1", (op), 0, (page), (npages) },				\
	{ "T2", ODPT_OP_REGISTER, 1, 2, 4, RW },			\
	{ "T3", ODPT_OP_MADVISE, 0, 4, 2 },				\
	{ "T4", ODPT_OP_FAULT, 1, 4, 2, RW },				\
	{ "T5", ODPT_OP_FAULT_RETRY, 1, 4, 2, RW },			\
	{}								\
}

/*
 * S3's steps for T1 = @op. On anonymous memory seed's early commit leaves
 * two stale entries; on a memfd (@shmem) the page cache keeps the pages the
 * madvise zaps, and nothing goes stale.
 */
#define ODPT_S3_STEPS(op, shmem) {					\
	ODPT_RUN(0),							\
	ODPT_UNTIL(1, ODPT_INV_STARTED(op)),	/* T1 starts */		\
	ODPT_RUN(2),				/* register B: misses it */ \
	ODPT_UNTIL(3, ODP_SP_INV_START_RETURN),	/* madvise over B starts */ \
	ODPT_RUN(1),				/* T1's end cancels B's count */ \
	ODPT_RESULT(1, 0),						\
	ODPT_RUN_ON(NO_WAIT, 4),		/* B faults */		\
	ODPT_RESULT_ON(SEED, 4, 2),					\
	ODPT_RESULT_ON(CTX, 4, -EAGAIN),				\
	ODPT_UNTIL_ON(WAITS, 4, ODP_SP_FAULT_WAIT),			\
	ODPT_BLOCKS_ON(UPSTREAM, 4),		/* mmu_interval_read_begin() */ \
	ODPT_RUN(3),				/* zap, end */		\
	ODPT_RESULT(3, 0),						\
	ODPT_RUN_ON(WAITS, 4),						\
	ODPT_FINISHES_ON(UPSTREAM, 4),					\
	ODPT_RESULT_ON(WAITS | UPSTREAM, 4, 2),				\
	ODPT_RUN_ON(CTX, 5),						\
	ODPT_RESULT_ON(CTX, 5, 2),					\
	ODPT_UNDERFLOW_ON(SEED, 1),					\
	ODPT_UNDERFLOW_ON(NOT_SEED, 0),					\
	ODPT_STALE_ON(SEED, (shmem) ? 0 : 2),				\
	ODPT_STALE_ON(NOT_SEED, 0),					\
	ODPT_MAPPED_ON(ODPT_ALL, 1, 2),					\
	ODPT_END							\
}

/*
 * S5: T1 = @op1 over [@page1, @page1 + @npages1) and T2 = @op2 over
 * [@page2, @page2 + @npages2) nest over A; faults of @n pages from page 0.
 */
#define ODPT_S5_ACTORS(op1, page1, npages1, op2, page2, npages2, n) {	\
	REG_A,								\
	{ "T1", (op1), 0, (page1), (npages1) },				\
	{ "T2", (op2), 0, (page2), (npages2) },				\
	{ "T3", ODPT_OP_FAULT, 0, 0, (n), RW },				\
	{ "T4", ODPT_OP_FAULT, 0, 0, (n), RW },				\
	{ "T5", ODPT_OP_FAULT_RETRY, 0, 0, (n), RW },			\
	{}								\
}

/*
 * S5's steps: a fault between the two ends is refused (seed, ctx_counter)
 * or waits (range_track, interval; upstream in mmu_interval_read_begin(),
 * where no point of ours is) until both have ended, and then maps
 * its @n pages. A fault that does not wait stops at @fault_stop before the
 * first end: ODP_SP_FAULT_LOOKED_UP, or ODP_SP_FAULT_SAMPLED when a page
 * under migration keeps its lookup from returning.
 */
#define ODPT_S5_STEPS(op1, op2, n, fault_stop) {			\
	ODPT_RUN(0),							\
	ODPT_UNTIL(1, ODPT_INV_STARTED(op1)),				\
	ODPT_UNTIL(2, ODPT_INV_STARTED(op2)),	/* they nest */		\
	ODPT_UNTIL_ON(NO_WAIT, 3, (fault_stop)),			\
	ODPT_UNTIL_ON(WAITS, 3, ODP_SP_FAULT_WAIT),			\
	ODPT_BLOCKS_ON(UPSTREAM, 3),		/* mmu_interval_read_begin() */ \
	ODPT_RUN(1),				/* first end */		\
	ODPT_RESULT(1, 0),						\
	ODPT_RUN_ON(NO_WAIT, 3),		/* commit between the ends */ \
	ODPT_RESULT_ON(NO_WAIT, 3, -EAGAIN),				\
	ODPT_RUN_ON(NO_WAIT, 4),					\
	ODPT_RESULT_ON(NO_WAIT, 4, -EAGAIN),				\
	ODPT_MAPPED_ON(ODPT_ALL, 0, 0),					\
	ODPT_RUN(2),				/* second end */	\
	ODPT_RESULT(2, 0),						\
	ODPT_RUN_ON(WAITS, 3),						\
	ODPT_FINISHES_ON(UPSTREAM, 3),					\
	ODPT_RESULT_ON(WAITS | UPSTREAM, 3, (n)),			\
	ODPT_RUN_ON(NO_WAIT, 5),					\
	ODPT_RESULT_ON(NO_WAIT, 5, (n)),				\
	ODPT_MAPPED_ON(ODPT_ALL, 0, (n)),				\
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),					\
	ODPT_STALE_ON(ODPT_ALL, 0),					\
	ODPT_END							\
}

#endif /* _ODPT_INV_SCRIPTS_H */
