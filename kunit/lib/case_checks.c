// SPDX-License-Identifier: GPL-2.0
/*
 * The checks every case gets from its suite's .init (lib/case_checks.h).
 */
#include "case_checks.h"
#include "leak_check.h"
#include "report_check.h"

/**
 * odpt_case_checks_init() - a suite's .init: the report and leak checks
 * @test: the case
 *
 * The report check's deferred action is added first, so that it runs
 * last: it reads the log of the case's whole teardown, the leak check's
 * included.
 *
 * Return: 0, or -ENOMEM.
 */
int odpt_case_checks_init(struct kunit *test)
{
	int ret = odpt_report_check_init(test);

	return ret ? ret : odpt_leak_check_init(test);
}
