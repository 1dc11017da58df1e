// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: the backends a user context can pick, by number: the ODP
 * core's strategies, then the kernel's IB on-demand paging.
 */
#include <linux/export.h>

#include "fake_hca_priv.h"

/* The backend of number @backend, or NULL if it is not built in. */
const struct fake_hca_backend *fake_hca_backend_of(unsigned int backend)
{
	if (backend < ODP_STRATEGY_NR)
		return &fake_hca_core_backend;
	if (backend == FAKE_HCA_BACKEND_UPSTREAM &&
	    IS_ENABLED(CONFIG_ODP_FAKE_HCA_UPSTREAM))
		return &fake_hca_ib_backend;
	return NULL;
}

/**
 * fake_hca_backend_name() - printable name of a backend
 * @backend: an enum odp_strategy, or FAKE_HCA_BACKEND_UPSTREAM
 *
 * Return: the strategy's name, "upstream", or "?" out of range.
 */
const char *fake_hca_backend_name(unsigned int backend)
{
	if (backend == FAKE_HCA_BACKEND_UPSTREAM)
		return "upstream";
	return odp_strategy_name(backend);
}
EXPORT_SYMBOL_GPL(fake_hca_backend_name);
