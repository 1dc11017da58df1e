// SPDX-License-Identifier: GPL-2.0
/*
 * Fake HCA: debugfs. /sys/kernel/debug/fake_hca/<N>/ holds, per device,
 * "counters" and "mrs": every MR with its counters and the valid entries
 * of its translation table (iova, pfn, permissions). The "fake_hca" root
 * lives while a device does.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>

#include "fake_hca_priv.h"

static DEFINE_MUTEX(fake_hca_debugfs_lock);
static struct dentry *fake_hca_debugfs_root;
static unsigned int fake_hca_debugfs_users;

static void fake_hca_debugfs_show_cnt(struct seq_file *s, const char *indent,
				      const struct fake_hca_cnt *cnt)
{
	struct fake_hca_counters c;

	fake_hca_cnt_read(cnt, &c);
	seq_printf(s, "%sfaults %llu\n", indent, c.faults);
	seq_printf(s, "%spages_mapped %llu\n", indent, c.pages_mapped);
	seq_printf(s, "%sinvalidations %llu\n", indent, c.invalidations);
	seq_printf(s, "%sentries_cleared %llu\n", indent, c.entries_cleared);
	seq_printf(s, "%sretries %llu\n", indent, c.retries);
	seq_printf(s, "%serrors %llu\n", indent, c.errors);
}

static int fake_hca_counters_show(struct seq_file *s, void *unused)
{
	struct fake_hca_dev *dev = s->private;

	fake_hca_debugfs_show_cnt(s, "", &dev->cnt);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fake_hca_counters);

static void fake_hca_debugfs_show_mr(struct seq_file *s,
				     struct fake_hca_mr *mr)
{
	unsigned long i, te;

	seq_printf(s, "mr key 0x%x iova 0x%llx length %llu access %c%c\n",
		   mr->key, mr->iova, mr->length,
		   mr->access & FAKE_HCA_ACCESS_READ ? 'r' : '-',
		   mr->access & FAKE_HCA_ACCESS_WRITE ? 'w' : '-');
	fake_hca_debugfs_show_cnt(s, "  ", &mr->cnt);
	fake_hca_mr_lock(mr);
	for (i = 0; i < mr->npages; i++) {
		te = mr->table[i];
		if (!te)
			continue;
		seq_printf(s, "  0x%llx pfn 0x%lx %c%c\n",
			   mr->start + ((u64)i << PAGE_SHIFT),
			   page_to_pfn(fake_hca_te_page(te)),
			   te & FAKE_HCA_ACCESS_READ ? 'r' : '-',
			   te & FAKE_HCA_ACCESS_WRITE ? 'w' : '-');
	}
	fake_hca_mr_unlock(mr);
}

static int fake_hca_mrs_show(struct seq_file *s, void *unused)
{
	struct fake_hca_dev *dev = s->private;
	struct fake_hca_mr *mr;
	unsigned long key;

	/* dev->lock keeps every MR in the xarray from being released. */
	mutex_lock(&dev->lock);
	xa_for_each(&dev->mrs, key, mr)
		fake_hca_debugfs_show_mr(s, mr);
	mutex_unlock(&dev->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fake_hca_mrs);

void fake_hca_debugfs_add(struct fake_hca_dev *dev)
{
	char name[16];

	mutex_lock(&fake_hca_debugfs_lock);
	if (!fake_hca_debugfs_users++)
		fake_hca_debugfs_root = debugfs_create_dir("fake_hca", NULL);
	snprintf(name, sizeof(name), "%d", dev->id);
	dev->dir = debugfs_create_dir(name, fake_hca_debugfs_root);
	mutex_unlock(&fake_hca_debugfs_lock);
	debugfs_create_file("counters", 0400, dev->dir, dev,
			    &fake_hca_counters_fops);
	debugfs_create_file("mrs", 0400, dev->dir, dev, &fake_hca_mrs_fops);
}

void fake_hca_debugfs_remove(struct fake_hca_dev *dev)
{
	debugfs_remove_recursive(dev->dir);
	mutex_lock(&fake_hca_debugfs_lock);
	if (!--fake_hca_debugfs_users) {
		debugfs_remove(fake_hca_debugfs_root);
		fake_hca_debugfs_root = NULL;
	}
	mutex_unlock(&fake_hca_debugfs_lock);
}
