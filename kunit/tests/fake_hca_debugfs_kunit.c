// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA debugfs: a folder per device under "fake_hca" with its
 * counters and a dump of every MR's table, gone with the device. The
 * test mounts debugfs privately and reads the files as a user would.
 */
#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "lib/odpt_hca.h"
#include "lib/report_check.h"

#define ODPT_DBG_SIZE	8192

/* The private mount goes whatever assertion ends the case. */
KUNIT_DEFINE_ACTION_WRAPPER(odpt_dbg_unmount, kern_unmount, struct vfsmount *);

/*
 * Read a debugfs file, NUL-terminated, into a test allocation. debugfs
 * files have no read_iter, so the read goes through user memory, as a
 * user's would.
 */
static char *odpt_dbg_read(struct kunit *test, struct vfsmount *mnt,
			   unsigned long ubuf, const char *name)
{
	char *buf = kunit_kzalloc(test, ODPT_DBG_SIZE, GFP_KERNEL);
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	f = file_open_root_mnt(mnt, name, O_RDONLY, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(f), "open %s: %ld", name,
			       PTR_ERR(f));
	n = vfs_read(f, (char __user *)ubuf, ODPT_DBG_SIZE - 1, &pos);
	fput(f);
	KUNIT_ASSERT_GT(test, n, 0L);
	KUNIT_ASSERT_EQ(test, 0UL, copy_from_user(buf, (void __user *)ubuf, n));
	return buf;
}

static void odpt_dbg_files(struct kunit *test)
{
	struct file_system_type *fs;
	struct fake_hca_uctx *uctx;
	struct fake_hca_dev *dev;
	struct fake_hca_mr *mr;
	struct vfsmount *mnt;
	char name[64], line[80];
	unsigned long addr, ubuf;
	struct dentry *d;
	char *text;
	u8 buf[16];

	if (!IS_ENABLED(CONFIG_DEBUG_FS))
		kunit_skip(test, "no debugfs");
	addr = odpt_hca_mmap(test, 2, PROT_READ | PROT_WRITE);
	ubuf = odpt_hca_mmap(test, ODPT_DBG_SIZE / PAGE_SIZE,
			     PROT_READ | PROT_WRITE);
	dev = odpt_hca_dev(test);
	uctx = odpt_hca_uctx(test, dev, NULL);
	mr = odpt_hca_reg(test, uctx, addr, 2 * PAGE_SIZE,
			  FAKE_HCA_ACCESS_ALL);
	KUNIT_ASSERT_EQ(test, FAKE_HCA_WC_SUCCESS,
			fake_hca_write(dev, fake_hca_mr_lkey(mr),
				       addr + PAGE_SIZE, buf, sizeof(buf)));

	fs = get_fs_type("debugfs");
	KUNIT_ASSERT_NOT_NULL(test, fs);
	mnt = kern_mount(fs);
	put_filesystem(fs);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, odpt_dbg_unmount, mnt));

	snprintf(name, sizeof(name), "fake_hca/%d/counters",
		 fake_hca_dev_id(dev));
	text = odpt_dbg_read(test, mnt, ubuf, name);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "faults 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "errors 0\n"));

	snprintf(name, sizeof(name), "fake_hca/%d/mrs", fake_hca_dev_id(dev));
	text = odpt_dbg_read(test, mnt, ubuf, name);
	snprintf(line, sizeof(line), "mr key 0x%x iova 0x%lx length %lu access rw\n",
		 fake_hca_mr_lkey(mr), addr, 2 * PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(text, line), "%s", text);
	snprintf(line, sizeof(line), "  0x%lx pfn 0x%lx rw\n",
		 addr + PAGE_SIZE,
		 page_to_pfn(fake_hca_mr_entry(mr, addr + PAGE_SIZE).page));
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(text, line), "%s", text);
	snprintf(line, sizeof(line), "  0x%lx pfn", addr);
	KUNIT_EXPECT_NULL_MSG(test, strstr(text, line), "%s", text);
	kunit_release_action(test, odpt_dbg_unmount, mnt);

	/* The folder, and the root with the last device, go away. */
	odpt_hca_uctx_destroy(test, uctx);
	odpt_hca_dev_destroy_now(test, dev);
	d = debugfs_lookup("fake_hca", NULL);
	KUNIT_EXPECT_NULL(test, d);
	dput(d);
}

static struct kunit_case odpt_dbg_cases[] = {
	KUNIT_CASE(odpt_dbg_files),
	{}
};

static struct kunit_suite odpt_dbg_suite = {
	.name = "fake_hca_debugfs",
	.test_cases = odpt_dbg_cases,
	.init = odpt_report_check_init,
};
kunit_test_suite(odpt_dbg_suite);
