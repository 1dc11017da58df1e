// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: counters. Devices and MRs keep the same set; an event on an
 * MR counts on the MR and on its device.
 */
#include "fake_hca_priv.h"

void fake_hca_cnt_read(const struct fake_hca_cnt *cnt,
		       struct fake_hca_counters *out)
{
	out->faults = atomic64_read(&cnt->faults);
	out->pages_mapped = atomic64_read(&cnt->pages_mapped);
	out->invalidations = atomic64_read(&cnt->invalidations);
	out->entries_cleared = atomic64_read(&cnt->entries_cleared);
	out->retries = atomic64_read(&cnt->retries);
	out->errors = atomic64_read(&cnt->errors);
}
