/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report check of a suite's cases: a WARNING:, BUG:, lockdep, KASAN,
 * UBSAN or hung-task report logged while a case runs fails that case,
 * unless the case said it expects one ("odp-expect-splat: begin <why>" ...
 * "odp-expect-splat: end", the launcher's markers).
 */
#ifndef _ODPT_REPORT_CHECK_H
#define _ODPT_REPORT_CHECK_H

#include <kunit/test.h>

/* the buffer odpt_report_find() fills: a record's text, prefix included */
#define ODPT_REPORT_LINE	2048

u64 odpt_report_seq(void);
bool odpt_report_find(u64 seq, char *line, u64 *lost);
int odpt_report_check_init(struct kunit *test);

#endif /* _ODPT_REPORT_CHECK_H */
