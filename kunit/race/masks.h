/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Short names for the strategy masks of script steps, shared by the
 * files that write scripts.
 */
#ifndef _ODPT_RACE_MASKS_H
#define _ODPT_RACE_MASKS_H

#include "race.h"

#define SEED		ODPT_ONLY(ODP_STRATEGY_SEED)
#define NOT_SEED	ODPT_NOT(ODP_STRATEGY_SEED)
#define CTX		ODPT_ONLY(ODP_STRATEGY_CTX_COUNTER)
#define NOT_CTX		ODPT_NOT(ODP_STRATEGY_CTX_COUNTER)
#define WAITS		(ODPT_ONLY(ODP_STRATEGY_RANGE_TRACK) | \
			 ODPT_ONLY(ODP_STRATEGY_INTERVAL))
#define NO_WAIT		(SEED | CTX)
#define INTERVAL	ODPT_ONLY(ODP_STRATEGY_INTERVAL)
#define NOT_INTERVAL	ODPT_NOT(ODP_STRATEGY_INTERVAL)

#define RW		ODP_ACCESS_ALL
#define REG_A		{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW }

#endif /* _ODPT_RACE_MASKS_H */
