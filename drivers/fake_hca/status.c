// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: completion statuses, by name.
 */
#include <linux/export.h>
#include <linux/array_size.h>

#include "fake_hca_priv.h"

static const char * const fake_hca_status_names[] = {
	[FAKE_HCA_WC_SUCCESS] = "success",
	[FAKE_HCA_WC_LOC_LEN_ERR] = "local length error",
	[FAKE_HCA_WC_LOC_PROT_ERR] = "local protection error",
	[FAKE_HCA_WC_INV_REQ_ERR] = "invalid request",
	[FAKE_HCA_WC_PAGE_FAULT_ERR] = "unresolved page fault",
	[FAKE_HCA_WC_RETRY_EXC_ERR] = "fault retries exceeded",
	[FAKE_HCA_WC_MR_DYING_ERR] = "MR being destroyed",
	[FAKE_HCA_WC_MM_GONE_ERR] = "address space gone",
	[FAKE_HCA_WC_FATAL_ERR] = "fatal error",
};

/**
 * fake_hca_status_name() - a completion status as text
 * @status: the status
 *
 * Return: a constant string, "unknown" for a value out of range.
 */
const char *fake_hca_status_name(enum fake_hca_status status)
{
	if ((unsigned int)status >= ARRAY_SIZE(fake_hca_status_names))
		return "unknown";
	return fake_hca_status_names[status];
}
EXPORT_SYMBOL_GPL(fake_hca_status_name);
