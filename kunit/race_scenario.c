// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: one execution of a script in a fresh process (mm), with a
 * fake HCA whose user context uses the strategy under test, from setup to
 * teardown.
 */
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "race.h"

/*
 * Whether an actor that was just sent on is now asleep in an
 * uninterruptible wait (a lock, a completion, a wait queue) rather than
 * finished. The script thread gives the CPU away until the actor either
 * finished (it did not wait: false) or sleeps and is off the CPU (true).
 * The bound only guards against an actor that keeps running.
 */
static bool odpt_actor_sleeps(struct odpt_actor *a)
{
	unsigned long deadline = jiffies + 5 * HZ;

	while (time_before(jiffies, deadline)) {
		unsigned int state;

		/* a tick, or less if it finishes: the actor gets the CPU */
		if (wait_for_completion_timeout(&a->done, 1))
			return false;
		state = READ_ONCE(a->task->__state);
		if ((state & TASK_UNINTERRUPTIBLE) &&
		    wait_task_inactive(a->task, state))
			return !completion_done(&a->done);
	}
	return false;
}

static int odpt_repeat = 100;
module_param_named(repeat, odpt_repeat, int, 0644);
MODULE_PARM_DESC(repeat, "executions of each race scenario per case (default 100)");

/**
 * odpt_repeat_count() - how many times each scenario case runs its script
 *
 * Return: the odp_kunit.repeat parameter, at least 1.
 */
int odpt_repeat_count(void)
{
	return max(odpt_repeat, 1);
}

static bool odpt_applies(const struct odpt_scenario *sc,
			 const struct odpt_step *st)
{
	return !st->strategies || (st->strategies & BIT(sc->strategy));
}

#define odpt_fail(sc, fmt, ...) do {					\
	KUNIT_FAIL((sc)->test, "%s on %s: " fmt, (sc)->script->name,	\
		   odp_strategy_name((sc)->strategy), ##__VA_ARGS__);	\
	(sc)->failed = true;						\
} while (0)

/* Send an actor on (start or resume) and wait until it stops or finishes. */
static void odpt_step_go(struct odpt_scenario *sc, const struct odpt_step *st)
{
	struct odpt_actor *a = &sc->actors[st->actor];

	if (READ_ONCE(a->finished)) {
		odpt_fail(sc, "step for %s, which has already finished", a->spec->name);
		return;
	}
	reinit_completion(&a->stopped);
	a->started = true;
	if (st->kind == ODPT_STEP_UNTIL) {
		a->seen = 0;
		a->stop_nth = max(st->nth, 1);
		a->stop_point = st->point;
	} else {
		a->stop_point = -1;
	}
	complete(&a->go);

	switch (st->kind) {
	case ODPT_STEP_UNTIL:
		if (odpt_actor_wait(a, &a->stopped))
			return;
		if (READ_ONCE(a->finished))
			odpt_fail(sc, "%s finished (%ld) without reaching \"%s\"",
				  a->spec->name, a->result, odpt_point_name(st->point));
		else
			odpt_fail(sc, "%s did not reach \"%s\"; blocked after \"%s\"",
				  a->spec->name, odpt_point_name(st->point),
				  a->last_point < 0 ? "its start" :
				  odpt_point_name(a->last_point));
		return;
	case ODPT_STEP_RUN:
		if (!odpt_actor_wait(a, &a->done))
			odpt_fail(sc, "%s did not finish; blocked after \"%s\"",
				  a->spec->name, a->last_point < 0 ? "its start" :
				  odpt_point_name(a->last_point));
		return;
	case ODPT_STEP_BLOCKS:
		/*
		 * The actor must wait for something a stopped actor holds: it
		 * must be asleep, not finished. A later FINISHES step shows
		 * it was a wait, not a hang.
		 */
		if (!odpt_actor_sleeps(a))
			odpt_fail(sc, "%s %s but should wait", a->spec->name,
				  completion_done(&a->done) ? "finished" :
				  "keeps running");
		return;
	default:
		return;
	}
}

static void odpt_step(struct odpt_scenario *sc, const struct odpt_step *st)
{
	struct odpt_actor *a = &sc->actors[st->actor];
	struct odp_stats stats;
	long got;

	switch (st->kind) {
	case ODPT_STEP_UNTIL:
	case ODPT_STEP_RUN:
	case ODPT_STEP_BLOCKS:
		odpt_step_go(sc, st);
		return;
	case ODPT_STEP_FINISHES:
		if (!odpt_actor_wait(a, &a->done))
			odpt_fail(sc, "%s is still blocked after \"%s\"",
				  a->spec->name, a->last_point < 0 ? "its start" :
				  odpt_point_name(a->last_point));
		return;
	case ODPT_STEP_EXPECT_RESULT:
		if (!READ_ONCE(a->finished))
			odpt_fail(sc, "%s has not finished", a->spec->name);
		else if (a->result != st->value)
			odpt_fail(sc, "%s returned %ld, expected %ld",
				  a->spec->name, a->result, st->value);
		return;
	case ODPT_STEP_EXPECT_STALE:
		got = odpt_oracle_stale(sc);
		if (got != st->value)
			odpt_fail(sc, "oracle: %ld stale entries, expected %ld",
				  got, st->value);
		return;
	case ODPT_STEP_EXPECT_MAPPED:
		got = sc->umem[st->actor] ? odpt_umem_mapped(sc->umem[st->actor]) : -1;
		if (got != st->value)
			odpt_fail(sc, "umem %d holds %ld pages, expected %ld",
				  st->actor, got, st->value);
		return;
	case ODPT_STEP_EXPECT_UNDERFLOW:
		odp_context_stats(sc->ctx, &stats);
		if (stats.end_without_start != st->value)
			odpt_fail(sc, "%llu ends without a start, expected %ld",
				  stats.end_without_start, st->value);
		return;
	case ODPT_STEP_EXPECT_DYING:
		got = sc->umem[st->actor] ? odp_umem_dying(sc->umem[st->actor]) : -1;
		if (got != st->value)
			odpt_fail(sc, "umem %d dying is %ld, expected %ld",
				  st->actor, got, st->value);
		return;
	case ODPT_STEP_OPEN_POOL:
		odpt_pool_open(sc);
		return;
	case ODPT_STEP_END:
		return;
	}
}

/* A fresh process: mm, an anonymous mapping with every page written. */
static int odpt_scenario_setup(struct odpt_scenario *sc)
{
	const struct odpt_script *script = sc->script;
	unsigned long len = (unsigned long)script->npages * PAGE_SIZE;
	struct fake_hca_uctx_attr attr = {
		.strategy = sc->strategy,
		.fault_mode = FAKE_HCA_FAULT_INLINE,
	};
	long n, i;

	sc->mm = mm_alloc();
	if (!sc->mm)
		return -ENOMEM;
	sc->mm->task_size = TASK_SIZE;
	arch_pick_mmap_layout(sc->mm, &current->signal->rlim[RLIMIT_STACK]);
	kthread_use_mm(sc->mm);

	sc->base = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
			   MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(sc->base))
		return (int)sc->base;
	if (script->npages > ODPT_MAX_PAGES)
		return -E2BIG;
	for (i = 0; i < script->npages; i++)
		if (put_user((char)i, (char __user *)(sc->base + i * PAGE_SIZE)))
			return -EFAULT;
	/*
	 * Hold every page, so that a stale entry of a racing fault (the bug
	 * the seed strategy keeps) never points at a page that was freed and
	 * reused: the oracle reports it, nothing else goes wrong.
	 */
	mmap_read_lock(sc->mm);
	n = get_user_pages(sc->base, script->npages, FOLL_WRITE, sc->pinned);
	mmap_read_unlock(sc->mm);
	if (n != script->npages)
		return n < 0 ? n : -EFAULT;

	if (script->pool) {
		int ret = odpt_pool_register(sc);

		if (ret)
			return ret;
	}
	sc->dev = fake_hca_dev_create();
	if (IS_ERR(sc->dev)) {
		int ret = PTR_ERR(sc->dev);

		sc->dev = NULL;
		return ret;
	}
	sc->uctx = fake_hca_uctx_create(sc->dev, &attr);
	if (IS_ERR(sc->uctx)) {
		int ret = PTR_ERR(sc->uctx);

		sc->uctx = NULL;
		return ret;
	}
	sc->ctx = fake_hca_uctx_odp(sc->uctx);
	for (n = 0; script->actors[n].op != ODPT_OP_NONE; n++) {
		if (n == ODPT_MAX_ACTORS)
			return -E2BIG;
		sc->actors[n].spec = &script->actors[n];
	}
	sc->nactors = n;
	return odpt_actors_start(sc);
}

static bool odpt_mm_released(struct odpt_scenario *sc)
{
	int i;

	for (i = 0; i < sc->nactors; i++)
		if (sc->actors[i].spec->op == ODPT_OP_MMPUT &&
		    READ_ONCE(sc->actors[i].finished))
			return true;
	return false;
}

static void odpt_scenario_teardown(struct odpt_scenario *sc)
{
	int i;

	odpt_pool_open(sc);
	odpt_actors_stop(sc);
	if (sc->hung)
		return;		/* a stuck actor may still use all of it */
	odpt_pool_unregister(sc);
	for (i = 0; i < ODPT_MAX_UMEMS; i++)
		if (sc->mr[i])
			fake_hca_dereg_mr(sc->mr[i]);
	if (sc->uctx)
		fake_hca_uctx_destroy(sc->uctx);
	if (sc->dev)
		fake_hca_dev_destroy(sc->dev);
	for (i = 0; i < ODPT_MAX_PAGES; i++)
		if (sc->pinned[i])
			put_page(sc->pinned[i]);
	if (sc->mm) {
		bool released = odpt_mm_released(sc);

		kthread_unuse_mm(sc->mm);
		if (!released)
			mmput(sc->mm);
	}
}

/**
 * odpt_scenario_run() - execute a script once against a strategy
 * @test: the KUnit test, failed with the reason on any mismatch
 * @script: the script
 * @strategy: the context's strategy
 * @h: the engine's handler, from odpt_sync_session_begin()
 * @trace_buf: receives the formatted trace
 * @len: size of @trace_buf
 *
 * Return: 0 if every step held, -EINVAL otherwise (the case has failed and
 * the trace was printed).
 */
int odpt_scenario_run(struct kunit *test, const struct odpt_script *script,
		      enum odp_strategy strategy, struct odp_sync_handler *h,
		      char *trace_buf, size_t len)
{
	struct odpt_scenario *sc;
	const struct odpt_step *st;
	int ret;

	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return -ENOMEM;
	sc->test = test;
	sc->script = script;
	sc->strategy = strategy;
	sc->handler = h;
	spin_lock_init(&sc->trace_lock);
	sema_init(&sc->lock, 1);

	ret = odpt_scenario_setup(sc);
	if (ret) {
		odpt_fail(sc, "setup failed: %d", ret);
	} else {
		for (st = script->steps; st->kind != ODPT_STEP_END; st++) {
			if (odpt_applies(sc, st))
				odpt_step(sc, st);
			if (sc->failed)
				break;
		}
	}
	odpt_scenario_teardown(sc);
	if (trace_buf)
		odpt_trace_format(sc, trace_buf, len);
	if (sc->failed)
		odpt_trace_print(sc);
	ret = sc->failed ? -EINVAL : 0;
	if (!sc->hung)
		kfree(sc);
	return ret;
}
