/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers for the fake HCA suites: a device and a user context per
 * test, parameterized over the backends (the core's strategies and the
 * kernel's IB ODP) and the fault modes, and
 * real user memory.
 */
#ifndef _ODPT_HCA_H
#define _ODPT_HCA_H

#include <kunit/test.h>
#include <fake_hca/fake_hca.h>

struct odpt_hca_param {
	enum odp_strategy strategy;
	enum fake_hca_fault_mode fault_mode;
};

extern const struct odpt_hca_param odpt_hca_params[2 * FAKE_HCA_NR_BACKENDS];
void odpt_hca_param_desc(const struct odpt_hca_param *p, char *desc);
/* The backends alone (enum odp_strategy values and upstream), as a parameter. */
const void *odpt_backend_gen_params(const void *prev, char *desc);

struct fake_hca_dev *odpt_hca_dev(struct kunit *test);
struct fake_hca_uctx *odpt_hca_uctx(struct kunit *test,
				    struct fake_hca_dev *dev,
				    const struct odpt_hca_param *p);
void odpt_hca_dev_destroy_now(struct kunit *test, struct fake_hca_dev *dev);
void odpt_hca_uctx_destroy(struct kunit *test, struct fake_hca_uctx *uctx);
struct fake_hca_mr *odpt_hca_reg(struct kunit *test,
				 struct fake_hca_uctx *uctx, u64 addr,
				 u64 len, unsigned int access);
unsigned long odpt_hca_mmap(struct kunit *test, unsigned long npages,
			    unsigned long prot);
void odpt_hca_fill(struct kunit *test, unsigned long addr, size_t len,
		   u8 seed);
void odpt_pattern(u8 *buf, size_t len, u8 seed);
void odpt_hca_oracle(struct kunit *test, struct fake_hca_mr *mr,
		     unsigned long addr, size_t len);

#endif /* _ODPT_HCA_H */
