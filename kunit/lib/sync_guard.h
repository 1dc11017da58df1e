/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sync-point handler installed for the rest of a test, removed by KUnit
 * however the test ends (sync_guard.c).
 */
#ifndef _ODPT_SYNC_GUARD_H
#define _ODPT_SYNC_GUARD_H

#include <kunit/test.h>
#include <odp/sync_point.h>

int odpt_sync_guard(struct kunit *test, struct odp_sync_handler *h,
		    void (*let_go)(struct odp_sync_handler *h));

#endif /* _ODPT_SYNC_GUARD_H */
