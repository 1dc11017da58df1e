// SPDX-License-Identifier: GPL-2.0
/*
 * odp_race_migrate: page migration, a real invalidation that takes no
 * mmap_lock (race/migrate.c), against every strategy, 100 times each:
 *
 *	M1  a page the device maps moves: every strategy clears the entry,
 *	    and the next fault maps the new page
 *	M2  S3 with a migration: B misses the start of the migration of a
 *	    page of A; a madvise over B starts; the migration's end cancels
 *	    B's count; B faults and commits the pages about to be zapped
 *	M3  S5 with a migration nesting with a madvise: a fault between the
 *	    two ends is refused or waits
 *	M4  M2 on a shmem file (a memfd): the file's page moves
 *
 * Migration excludes registration no better than the synthetic actor:
 * seed shows the registration race with it (M2, M4) as with any other
 * invalidation. On the file, as with a punched hole (odp_race_file), the
 * madvise leaves the page cache's pages, which the device keeps: no stale
 * entry there.
 */
#include "lib/odpt_util.h"
#include "lib/odpt_hca.h"
#include "lib/case_checks.h"
#include "lib/inv_scripts.h"
#include "race/masks.h"

static const struct odpt_actor_spec m1_actors[] = {
	REG_A,
	{ "T1", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{ "T2", ODPT_OP_MIGRATE, 0, 2, 1 },
	{ "T3", ODPT_OP_FAULT_RETRY, 0, 0, 4, RW },
	{}
};

static const struct odpt_step m1_steps[] = {
	ODPT_RUN(0),
	ODPT_RUN(1),
	ODPT_RESULT(1, 4),
	ODPT_UNTIL(2, ODP_SP_INV_START_RETURN),	/* page 2: entry cleared, CPU not yet */
	ODPT_MAPPED_ON(ODPT_ALL, 0, 3),
	ODPT_RUN(2),				/* moved */
	ODPT_RESULT(2, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_RUN(3),				/* maps the new page */
	ODPT_RESULT(3, 4),
	ODPT_MAPPED_ON(ODPT_ALL, 0, 4),
	ODPT_UNDERFLOW_ON(ODPT_ALL, 0),
	ODPT_STALE_ON(ODPT_ALL, 0),
	ODPT_END
};

/* M2: S3 with the migration of A's page 2 (M4: on a memfd) */
static const struct odpt_actor_spec m2_actors[] = ODPT_S3_ACTORS(ODPT_OP_MIGRATE, 2, 1);
static const struct odpt_step m2_steps[] = ODPT_S3_STEPS(ODPT_OP_MIGRATE, false);

/*
 * M3: S5 with the migration of page 2, then a madvise of A; a fault that
 * does not wait stops once sampled: its lookup would wait for the page
 * under migration.
 */
static const struct odpt_actor_spec m3_actors[] =
	ODPT_S5_ACTORS(ODPT_OP_MIGRATE, 2, 1, ODPT_OP_MADVISE, 0, 4, 4);
static const struct odpt_step m3_steps[] =
	ODPT_S5_STEPS(ODPT_OP_MIGRATE, ODPT_OP_MADVISE, 4, ODP_SP_FAULT_SAMPLED);

static const struct odpt_step m4_steps[] = ODPT_S3_STEPS(ODPT_OP_MIGRATE, true);

static const struct odpt_script odpt_migrate_scripts[] = {
	{ "M1", 8, m1_actors, m1_steps },
	{ "M2", 8, m2_actors, m2_steps },
	{ "M3", 8, m3_actors, m3_steps },
	{ "M4", 8, m2_actors, m4_steps, .shmem = true },
};

static void odpt_migrate_repeat(struct kunit *test, int n)
{
	const enum odp_strategy *strategy = test->param_value;

	odpt_case_repeat(test, &odpt_migrate_scripts[n - 1], *strategy, odpt_repeat_count());
}

static void odpt_migrate_m1_mapped_page(struct kunit *test)
{
	odpt_migrate_repeat(test, 1);
}

static void odpt_migrate_m2_s3(struct kunit *test)
{
	odpt_migrate_repeat(test, 2);
}

static void odpt_migrate_m3_s5(struct kunit *test)
{
	odpt_migrate_repeat(test, 3);
}

static void odpt_migrate_m4_s3_shmem(struct kunit *test)
{
	odpt_migrate_repeat(test, 4);
}

static const struct kunit_attributes ODPT_MIGRATE_SLOW = { .speed = KUNIT_SPEED_SLOW };

static struct kunit_case odpt_migrate_cases[] = {
	KUNIT_CASE_PARAM_ATTR(odpt_migrate_m1_mapped_page, odpt_backend_gen_params,
			      ODPT_MIGRATE_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_migrate_m2_s3, odpt_backend_gen_params, ODPT_MIGRATE_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_migrate_m3_s5, odpt_backend_gen_params, ODPT_MIGRATE_SLOW),
	KUNIT_CASE_PARAM_ATTR(odpt_migrate_m4_s3_shmem, odpt_backend_gen_params,
			      ODPT_MIGRATE_SLOW),
	{}
};

static struct kunit_suite odpt_migrate_suite = {
	.name = "odp_race_migrate",
	.init = odpt_case_checks_init,
	.test_cases = odpt_migrate_cases,
};
kunit_test_suite(odpt_migrate_suite);
