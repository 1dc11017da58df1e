/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Short names for the backend masks of script steps (the core's strategies
 * and upstream), shared by the files that write scripts. A mask that names
 * no backend (NOT_SEED, ...) includes upstream.
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
/* the kernel's IB ODP, through the fake HCA's driver half */
#define UPSTREAM	ODPT_ONLY(FAKE_HCA_BACKEND_UPSTREAM)
#define NOT_UPSTREAM	ODPT_NOT(FAKE_HCA_BACKEND_UPSTREAM)
/* an mmu_interval_notifier per umem: the core's interval, and upstream */
#define ITREE		(INTERVAL | UPSTREAM)
#define NOT_ITREE	(GENMASK(FAKE_HCA_NR_BACKENDS - 1, 0) & ~ITREE)

#define RW		ODP_ACCESS_ALL
#define REG_A		{ "T0", ODPT_OP_REGISTER, 0, 0, 4, RW }

#endif /* _ODPT_RACE_MASKS_H */
