/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every case of a suite is checked for once it has ended: no kernel
 * report it did not expect (lib/report_check.h), no object left live
 * (lib/leak_check.h).
 */
#ifndef _ODPT_CASE_CHECKS_H
#define _ODPT_CASE_CHECKS_H

#include <kunit/test.h>

int odpt_case_checks_init(struct kunit *test);

#endif /* _ODPT_CASE_CHECKS_H */
