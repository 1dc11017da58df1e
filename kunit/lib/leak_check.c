// SPDX-License-Identifier: GPL-2.0
/*
 * The leak check (lib/leak_check.h): a suite's .init takes a snapshot of the
 * live-object counts and adds a deferred action that compares them. KUnit
 * runs a case's deferred actions last-added first, so this one, added
 * before the case ran, runs after every resource of the case is gone.
 */
#include <fake_hca/fake_hca.h>
#include <odp/odp.h>

#include "leak_check.h"

struct odpt_leak_snap {
	struct kunit *test;
	struct odp_live core;
	struct fake_hca_live hca;
};

static void odpt_leak_snap(struct odpt_leak_snap *s)
{
	odp_live_objects(&s->core);
	if (IS_ENABLED(CONFIG_ODP_FAKE_HCA))
		fake_hca_live_objects(&s->hca);
}

static void odpt_leak_compare(void *data)
{
	struct odpt_leak_snap *before = data, now;
	struct kunit *test = before->test;

	odpt_leak_snap(&now);
	KUNIT_EXPECT_EQ_MSG(test, now.core.contexts, before->core.contexts, "contexts leaked");
	KUNIT_EXPECT_EQ_MSG(test, now.core.umems, before->core.umems, "umems leaked");
	KUNIT_EXPECT_EQ_MSG(test, now.core.ranges, before->core.ranges, "tracked ranges leaked");
	KUNIT_EXPECT_EQ_MSG(test, now.hca.devs, before->hca.devs, "devices leaked");
	KUNIT_EXPECT_EQ_MSG(test, now.hca.uctxs, before->hca.uctxs, "user contexts leaked");
	KUNIT_EXPECT_EQ_MSG(test, now.hca.mrs, before->hca.mrs, "MRs leaked");
}

/**
 * odpt_leak_check_init() - a suite's .init: check the case leaks nothing
 * @test: the case
 *
 * Return: 0, or -ENOMEM.
 */
int odpt_leak_check_init(struct kunit *test)
{
	struct odpt_leak_snap *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	s->test = test;
	odpt_leak_snap(s);
	return kunit_add_action_or_reset(test, odpt_leak_compare, s);
}
