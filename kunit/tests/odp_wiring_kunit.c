// SPDX-License-Identifier: GPL-2.0
/*
 * Wiring: the launcher's overlay put our components into the kernel build,
 * and a KUnit test gets a user address space of its own to work in.
 */
#include <kunit/test.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>

#include "lib/report_check.h"

static void odp_wiring_kconfig(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, IS_ENABLED(CONFIG_ODP_CORE));
	KUNIT_EXPECT_TRUE(test, IS_ENABLED(CONFIG_ODP_FAKE_HCA));
	KUNIT_EXPECT_TRUE(test, IS_ENABLED(CONFIG_MMU_NOTIFIER));
	KUNIT_EXPECT_TRUE(test, IS_ENABLED(CONFIG_HMM_MIRROR));
}

static void odp_wiring_user_mm(struct kunit *test)
{
	const size_t len = 2 * PAGE_SIZE;
	char out[16] = "odp-wiring-test";
	char in[16] = {};
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, len, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0UL, "kunit_vm_mmap failed");
	KUNIT_ASSERT_NOT_NULL(test, current->mm);

	/* Write across the page boundary, read it back. */
	addr += PAGE_SIZE - sizeof(out) / 2;
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, out, sizeof(out)), 0UL);
	KUNIT_ASSERT_EQ(test, copy_from_user(in, (void __user *)addr, sizeof(in)), 0UL);
	KUNIT_EXPECT_MEMEQ(test, in, out, sizeof(out));
}

static struct kunit_case odp_wiring_cases[] = {
	KUNIT_CASE(odp_wiring_kconfig),
	KUNIT_CASE(odp_wiring_user_mm),
	{}
};

static struct kunit_suite odp_wiring_suite = {
	.name = "odp_wiring",
	.test_cases = odp_wiring_cases,
	.init = odpt_report_check_init,
};
kunit_test_suite(odp_wiring_suite);

MODULE_DESCRIPTION("ODP test kernel: build and user-mm wiring");
MODULE_LICENSE("GPL");
