/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The leak check of a suite's cases: the objects the core and the fake
 * HCA count as live are as many when a case has ended, its resources
 * released, as when it began.
 */
#ifndef _ODPT_LEAK_CHECK_H
#define _ODPT_LEAK_CHECK_H

#include <kunit/test.h>

int odpt_leak_check_init(struct kunit *test);

#endif /* _ODPT_LEAK_CHECK_H */
