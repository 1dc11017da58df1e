// SPDX-License-Identifier: GPL-2.0
/*
 * The allocation-failure harness (lib/fail_nth.h).
 *
 * By default failslab and fail_page_alloc leave alone every allocation
 * that may sleep, and fail_page_alloc every order-0 page: most of what
 * the core allocates. For the length of a test the harness turns those
 * filters off, and the reports off (the failures are on purpose), through
 * the knobs Documentation/fault-injection/fault-injection.rst describes:
 * debugfs files whose value debugfs_create_bool() and debugfs_create_u32()
 * keep at the file's i_private, which is what writing the file sets. The
 * old values come back when the test ends.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/sched.h>

#include "fail_nth.h"

#define ODPT_FI_MAX	512
/* tries of one n that succeeds although its allocation failed (see below) */
#define ODPT_FI_TRIES	3

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS

enum odpt_fi_type { ODPT_FI_BOOL, ODPT_FI_U32, ODPT_FI_UL };

struct odpt_fi_knob {
	const char *dir;
	const char *file;
	enum odpt_fi_type type;
	unsigned long value;
};

static const struct odpt_fi_knob odpt_fi_knobs[] = {
	{ "failslab", "ignore-gfp-wait", ODPT_FI_BOOL, 0 },
	{ "failslab", "verbose", ODPT_FI_UL, 0 },
	{ "fail_page_alloc", "ignore-gfp-wait", ODPT_FI_BOOL, 0 },
	{ "fail_page_alloc", "ignore-gfp-highmem", ODPT_FI_BOOL, 0 },
	{ "fail_page_alloc", "min-order", ODPT_FI_U32, 0 },
	{ "fail_page_alloc", "verbose", ODPT_FI_UL, 0 },
};

struct odpt_fi_saved {
	void *at[ARRAY_SIZE(odpt_fi_knobs)];
	unsigned long old[ARRAY_SIZE(odpt_fi_knobs)];
};

static void *odpt_fi_knob_data(const struct odpt_fi_knob *k)
{
	struct dentry *dir, *file;
	void *data = NULL;

	dir = debugfs_lookup(k->dir, NULL);
	if (IS_ERR_OR_NULL(dir))
		return NULL;
	file = debugfs_lookup(k->file, dir);
	if (!IS_ERR_OR_NULL(file)) {
		data = d_inode(file)->i_private;
		dput(file);
	}
	dput(dir);
	return data;
}

static unsigned long odpt_fi_knob_set(const struct odpt_fi_knob *k, void *at,
				      unsigned long value)
{
	unsigned long old;

	switch (k->type) {
	case ODPT_FI_BOOL:
		old = READ_ONCE(*(bool *)at);
		WRITE_ONCE(*(bool *)at, value);
		break;
	case ODPT_FI_U32:
		old = READ_ONCE(*(u32 *)at);
		WRITE_ONCE(*(u32 *)at, value);
		break;
	default:
		old = READ_ONCE(*(unsigned long *)at);
		WRITE_ONCE(*(unsigned long *)at, value);
		break;
	}
	return old;
}

static void odpt_fi_restore(void *data)
{
	struct odpt_fi_saved *s = data;
	int i;

	current->fail_nth = 0;
	for (i = 0; i < ARRAY_SIZE(odpt_fi_knobs); i++)
		if (s->at[i])
			odpt_fi_knob_set(&odpt_fi_knobs[i], s->at[i], s->old[i]);
}

/**
 * odpt_fi_begin() - let the n-th allocation of any kind fail, for this test
 * @test: the test; skipped when the kernel has no fault injection
 */
void odpt_fi_begin(struct kunit *test)
{
	struct odpt_fi_saved *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < ARRAY_SIZE(odpt_fi_knobs); i++) {
		s->at[i] = odpt_fi_knob_data(&odpt_fi_knobs[i]);
		KUNIT_ASSERT_NOT_NULL_MSG(test, s->at[i], "no fault-injection knob %s/%s",
					  odpt_fi_knobs[i].dir, odpt_fi_knobs[i].file);
	}
	for (i = 0; i < ARRAY_SIZE(odpt_fi_knobs); i++)
		s->old[i] = odpt_fi_knob_set(&odpt_fi_knobs[i], s->at[i],
					     odpt_fi_knobs[i].value);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, odpt_fi_restore, s), 0);
}

static void odpt_fi_arm(unsigned int n)
{
	WRITE_ONCE(current->fail_nth, n);
}

/* Disarm; true if the n-th allocation was reached (and failed). */
static bool odpt_fi_disarm(void)
{
	unsigned int left = READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, 0);
	return !left;
}

#else

void odpt_fi_begin(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION_DEBUG_FS, CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC");
}

static void odpt_fi_arm(unsigned int n)
{
}

static bool odpt_fi_disarm(void)
{
	return false;
}

#endif

/*
 * kmemleak's and KASAN's own allocations, made inside the operation's,
 * are failed in turn too, and they have fallbacks of their own (kmemleak's
 * object pool, a stack trace not saved): under them any operation may
 * succeed although its n-th allocation failed.
 */
static bool odpt_fi_debug_allocators(void)
{
	return IS_ENABLED(CONFIG_DEBUG_KMEMLEAK) || IS_ENABLED(CONFIG_KASAN);
}

/**
 * odpt_fail_each() - fail each allocation of an operation in turn
 * @test: the test, after odpt_fi_begin()
 * @op: the operation
 * @arg: passed to @op's callbacks
 * @res: filled with what was seen
 *
 * For n = 1, 2, ...: run @op with its n-th allocation failed. An attempt
 * that fails must return -ENOMEM (or @op->also), pass @op->check, and a
 * retry without injection must succeed (and is undone). An attempt that
 * succeeds although its n-th allocation failed must be allowed by
 * @op->fallback (or run under kmemleak or KASAN). The first attempt that
 * never reaches its n-th allocation ends the loop: @op makes n - 1
 * allocations.
 *
 * The allocator's own allocations are counted as well: a kmalloc() that
 * finds its CPU's slab empty allocates the pages of a new one, and when
 * that fails at the cache's preferred order it retries at the minimum
 * order (allocate_slab() in mm/slub.c), so the kmalloc() succeeds. Which
 * kmalloc() needs a new slab depends on the CPU the thread runs on and on
 * what ran there before: with several CPUs the n-th allocation is such a
 * page now and then. An attempt that succeeds although its n-th
 * allocation failed is therefore run again with the same n, up to
 * ODPT_FI_TRIES times: the slab filled by the first try serves the next,
 * while an operation that swallows its own failed allocation succeeds
 * every time.
 */
void odpt_fail_each(struct kunit *test, const struct odpt_fi_op *op, void *arg,
		    struct odpt_fi_result *res)
{
	unsigned int n;
	bool reached;
	int ret, tries;

	memset(res, 0, sizeof(*res));
	for (n = 1, tries = 0; n <= ODPT_FI_MAX; n++) {
		odpt_fi_arm(n);
		ret = op->run(test, arg);
		reached = odpt_fi_disarm();
		if (!ret) {
			if (op->undo)
				op->undo(test, arg);
			if (!reached)
				break;
			if (!op->fallback && !odpt_fi_debug_allocators() &&
			    ++tries < ODPT_FI_TRIES) {
				res->retried++;
				n--;	/* the same n again: see above */
				continue;
			}
			KUNIT_EXPECT_TRUE_MSG(test, op->fallback || odpt_fi_debug_allocators(),
					      "%s: succeeded although its allocation %u failed, %d times",
					      op->name, n, tries);
			tries = 0;
			res->fallbacks++;
			continue;
		}
		tries = 0;
		res->failed++;
		KUNIT_EXPECT_TRUE_MSG(test, reached, "%s: failed with %d, no allocation failed",
				      op->name, ret);
		KUNIT_EXPECT_TRUE_MSG(test, ret == -ENOMEM || (op->also && ret == op->also),
				      "%s: allocation %u failed, returned %d", op->name, n, ret);
		if (op->check)
			op->check(test, arg, ret);
		ret = op->run(test, arg);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s: the retry after allocation %u failed",
				    op->name, n);
		if (!ret && op->undo)
			op->undo(test, arg);
		if (test->status == KUNIT_FAILURE)
			break;
	}
	res->points = n - 1;
	KUNIT_EXPECT_LE_MSG(test, n, ODPT_FI_MAX, "%s: still allocating after %d", op->name,
			    ODPT_FI_MAX);
	kunit_info(test, "%s: %d allocations, %d failed cleanly, %d took a fallback, %d tried again\n",
		   op->name, res->points, res->failed, res->fallbacks, res->retried);
}
