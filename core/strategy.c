// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: the table of synchronization strategies, by enum value and by
 * name.
 */
#include <linux/export.h>

#include "strategy.h"

static const struct odp_strategy_ops *const odp_strategies[ODP_STRATEGY_NR] = {
	[ODP_STRATEGY_SEED] = &odp_strategy_seed,
	[ODP_STRATEGY_CTX_COUNTER] = &odp_strategy_ctx_counter,
	[ODP_STRATEGY_RANGE_TRACK] = &odp_strategy_range_track,
	[ODP_STRATEGY_INTERVAL] = &odp_strategy_interval,
};

/* The ops of @strategy, or NULL for a value out of range. */
const struct odp_strategy_ops *odp_strategy_lookup(enum odp_strategy strategy)
{
	if ((unsigned int)strategy >= ODP_STRATEGY_NR)
		return NULL;
	return odp_strategies[strategy];
}

/**
 * odp_strategy_name() - printable name of a strategy
 * @strategy: the strategy
 *
 * Return: "seed", "ctx_counter", "range_track", "interval", or "?" for a
 * value out of range.
 */
const char *odp_strategy_name(enum odp_strategy strategy)
{
	const struct odp_strategy_ops *sops = odp_strategy_lookup(strategy);

	return sops ? sops->name : "?";
}
EXPORT_SYMBOL_GPL(odp_strategy_name);
