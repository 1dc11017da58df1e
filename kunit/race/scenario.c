// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: one execution of a script in a process (mm) of its own or
 * shared with the other executions of its case, with a fake HCA whose
 * user context uses the strategy under test, from setup to teardown.
 */
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "module_params.h"
#include "actor.h"
#include "task.h"

/**
 * odpt_repeat_count() - how many times each scenario case runs its script
 *
 * Return: the odp_kunit.repeat parameter, at least 1.
 */
int odpt_repeat_count(void)
{
	return max(odpt_params.repeat, 1);
}

static bool odpt_applies(const struct odpt_scenario *sc,
			 const struct odpt_step *st)
{
	return !st->strategies || (st->strategies & BIT(sc->strategy));
}

#define odpt_fail(sc, fmt, ...) do {					\
	KUNIT_FAIL((sc)->test, "%s on %s: " fmt, (sc)->script->name,	\
		   fake_hca_backend_name((sc)->strategy), ##__VA_ARGS__);	\
	(sc)->failed = true;						\
} while (0)

/*
 * Asleep is not yet blocked: a sleep that ends by itself (an SRCU grace
 * period of the mm's release, say) would let the actor go on later, by
 * itself, at a time no script step chose. Wait until nothing moves by
 * itself, then the actor must still be waiting.
 */
static void odpt_expect_blocked(struct odpt_scenario *sc, struct odpt_actor *a)
{
	u8 state[ODPT_MAX_ACTORS];

	if (odpt_settle(sc, state))
		odpt_fail(sc, "%s: the actors keep moving", a->spec->name);
	else if (state[a - sc->actors] == ODPT_AS_DONE)
		odpt_fail(sc, "%s finished but should wait", a->spec->name);
	else if (state[a - sc->actors] != ODPT_AS_BLOCKED)
		odpt_fail(sc, "%s stopped but should wait", a->spec->name);
}

/* Send an actor on (start or resume) and wait until it stops or finishes. */
static void odpt_step_go(struct odpt_scenario *sc, const struct odpt_step *st)
{
	struct odpt_actor *a = &sc->actors[st->actor];

	if (READ_ONCE(a->finished)) {
		if (a->spec->op != ODPT_OP_FAULT_WORKER) {
			odpt_fail(sc, "step for %s, which has already finished",
				  a->spec->name);
			return;
		}
		/* the worker is sent on for its next event */
		WRITE_ONCE(a->finished, false);
		reinit_completion(&a->done);
	}
	reinit_completion(&a->stopped);
	a->started = true;
	if (st->kind == ODPT_STEP_UNTIL || st->kind == ODPT_STEP_BLOCKS_UNTIL) {
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
	case ODPT_STEP_BLOCKS_UNTIL:
		/*
		 * The actor must wait for something a stopped actor holds: it
		 * must be asleep, not finished. A later FINISHES (or STOPS)
		 * step shows it was a wait, not a hang.
		 */
		if (!a->task)
			odpt_fail(sc, "%s has no thread yet", a->spec->name);
		else if (completion_done(&a->stopped))
			odpt_fail(sc, "%s stopped at \"%s\" but should wait",
				  a->spec->name, odpt_point_name(st->point));
		else if (!odpt_task_sleeps(a->task, &a->done))
			odpt_fail(sc, "%s %s but should wait", a->spec->name,
				  completion_done(&a->done) ? "finished" :
				  "keeps running");
		else
			odpt_expect_blocked(sc, a);
		return;
	default:
		return;
	}
}

static void odpt_expect_stale(struct odpt_scenario *sc, long expected,
			      const char *when, bool report)
{
	long got = odpt_oracle_stale(sc, report);

	if (got == expected)
		return;
	if (!report && got > 0)
		odpt_oracle_stale(sc, true);
	odpt_fail(sc, "oracle%s: %ld stale entries, expected %ld", when, got,
		  expected);
}

/*
 * The oracle runs at the end of every execution too. Unless the script
 * says otherwise (its last oracle step that applies), no entry may be
 * stale by then.
 */
static void odpt_final_oracle(struct odpt_scenario *sc)
{
	const struct odpt_step *st;
	long expected = 0;

	for (st = sc->script->steps; st->kind != ODPT_STEP_END; st++)
		if (st->kind == ODPT_STEP_EXPECT_STALE && odpt_applies(sc, st))
			expected = st->value;
	odpt_expect_stale(sc, expected, " at the end", false);
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
	case ODPT_STEP_BLOCKS_UNTIL:
		odpt_step_go(sc, st);
		return;
	case ODPT_STEP_STOPS:
		/* woken by the step before: it stopped where it was sent, or finished */
		if (READ_ONCE(a->finished) || completion_done(&a->stopped))
			return;
		if (!odpt_actor_wait(a, &a->stopped) && !READ_ONCE(a->finished))
			odpt_fail(sc, "%s is still blocked after \"%s\"",
				  a->spec->name, a->last_point < 0 ? "its start" :
				  odpt_point_name(a->last_point));
		return;
	case ODPT_STEP_KILL:
		/* the actor lets SIGKILL in (actor.c); the wake-up is the kill's */
		if (!READ_ONCE(a->finished))
			odpt_actor_kill(sc, st->actor);
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
		odpt_expect_stale(sc, st->value, "", sc->report);
		return;
	case ODPT_STEP_EXPECT_MAPPED:
		got = sc->mr[st->actor] ? odpt_mr_mapped(sc, st->actor) : -1;
		if (got != st->value && got != -EDEADLK)
			odpt_fail(sc, "umem %d holds %ld pages, expected %ld",
				  st->actor, got, st->value);
		return;
	case ODPT_STEP_EXPECT_UNDERFLOW:
		odpt_scenario_stats(sc, &stats);
		if (stats.end_without_start != st->value)
			odpt_fail(sc, "%llu ends without a start, expected %ld",
				  stats.end_without_start, st->value);
		return;
	case ODPT_STEP_EXPECT_DYING:
		got = -1;
		if (sc->mr[st->actor]) {
			/* the backend takes the mutex: first see that it is free */
			if (!odpt_check_lock(sc, st->actor))
				return;
			fake_hca_mr_unlock(sc->mr[st->actor]);
			got = fake_hca_mr_backend_dying(sc->mr[st->actor]);
		}
		if (got != st->value)
			odpt_fail(sc, "umem %d dying is %ld, expected %ld",
				  st->actor, got, st->value);
		return;
	case ODPT_STEP_OPEN_POOL:
		odpt_pool_open(sc);
		return;
	case ODPT_STEP_MM_TORN_DOWN:
		/* set up by mmput_async() only; flush_work() warns on a bare one */
		if (READ_ONCE(sc->mm->async_put_work.func))
			flush_work(&sc->mm->async_put_work);
		return;
	case ODPT_STEP_END:
		return;
	}
}

/* Whether the operations of @s (its sequence too) include @op. */
static bool odpt_spec_has(const struct odpt_actor_spec *s, enum odpt_op op)
{
	for (; s; s = s->then)
		if (s->op == op)
			return true;
	return false;
}

/* Whether one of the script's actors performs @op. */
static bool odpt_script_has(const struct odpt_script *script, enum odpt_op op)
{
	const struct odpt_actor_spec *s;

	for (s = script->actors; s->op != ODPT_OP_NONE; s++)
		if (odpt_spec_has(s, op))
			return true;
	return false;
}

/**
 * odpt_case_begin() - prepare the executions of @script in one case
 * @c: the case, filled in
 * @test: the KUnit test
 * @script: the script
 * @strategy: the contexts' strategy
 *
 * Installs the engine's sync-point handler, creates the fake HCA the
 * executions share and, unless the script ends its process, the mm they
 * share. On UML a new mm is a new
 * host process, and creating one costs more than the rest of an
 * execution; each execution maps its range at the start and unmaps it at
 * the end, so the next one starts from the same empty process. A script
 * whose actor drops the last reference (ODPT_OP_MMPUT) gets a new mm for
 * each execution.
 *
 * Return: 0, -ENOMEM, the device's error, or -EBUSY if another handler is
 * installed.
 */
int odpt_case_begin(struct odpt_case *c, struct kunit *test,
		    const struct odpt_script *script, enum odp_strategy strategy)
{
	int ret;

	/* the thread that drives the actors runs where they run */
	set_cpus_allowed_ptr(current, cpumask_of(odpt_actor_cpu()));
	memset(c, 0, sizeof(*c));
	odpt_crew_init(&c->crew, odpt_actor_cpu());
	c->test = test;
	c->script = script;
	c->strategy = strategy;
	c->dev = fake_hca_dev_create();
	if (IS_ERR(c->dev)) {
		ret = PTR_ERR(c->dev);
		c->dev = NULL;
		return ret;
	}
	ret = odpt_worker_cpus_set(c->dev);
	if (ret)
		goto out_dev;
	if (!odpt_script_has(script, ODPT_OP_MMPUT) && !script->fresh_mm) {
		c->mm = odpt_new_mm();
		if (!c->mm) {
			ret = -ENOMEM;
			goto out_dev;
		}
	}
	ret = odpt_sync_session_begin(&c->h);
	if (!ret)
		return 0;
	if (c->mm) {
		mmput(c->mm);
		c->mm = NULL;
	}
out_dev:
	fake_hca_dev_destroy(c->dev);
	c->dev = NULL;
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	return ret;
}

/**
 * odpt_case_end() - remove the handler, the shared mm and the device
 * @c: the case of odpt_case_begin()
 *
 * The handler is removed in any case: a stuck actor was fenced off
 * (odpt_actors_stop()), and no thread waits inside the handler any more,
 * so the next case installs its own.
 *
 * Return: false if an actor is stuck: the mm and the device then stay,
 * and so must @c, for the actor may still use them.
 */
bool odpt_case_end(struct odpt_case *c)
{
	/* the free ones: a stuck actor's thread stays lent */
	odpt_crew_end(&c->crew);
	odpt_sync_session_end(&c->h);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	if (c->stuck)
		return false;
	if (c->mm)
		mmput(c->mm);
	fake_hca_dev_destroy(c->dev);
	return true;
}

/*
 * A process (the case's mm, or a new one) with an anonymous mapping (or
 * a shared one of a shmem file), every page written.
 */
static int odpt_scenario_setup(struct odpt_scenario *sc)
{
	const struct odpt_script *script = sc->script;
	struct mm_struct *mm = sc->mm;
	unsigned long len = (unsigned long)script->npages * PAGE_SIZE;
	struct fake_hca_uctx_attr attr = {
		.strategy = sc->strategy,
		.fault_mode = odpt_script_has(script, ODPT_OP_FAULT_WORKER) ?
			      FAKE_HCA_FAULT_WORKER : FAKE_HCA_FAULT_INLINE,
		.no_backoff = sc->no_backoff,
	};
	long n, i;

	if (mm) {
		mmget(mm);
		sc->case_mm = true;
	} else {
		mm = odpt_new_mm();
		if (!mm)
			return -ENOMEM;
	}
	sc->mm = mm;
	kthread_use_mm(mm);

	if (script->shmem) {
		/* what memfd_create() makes: an unlinked shmem file */
		sc->file = shmem_file_setup("odpt-memfd", len, VM_NORESERVE);
		if (IS_ERR(sc->file)) {
			int ret = PTR_ERR(sc->file);

			sc->file = NULL;
			return ret;
		}
		sc->base = vm_mmap(sc->file, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	} else {
		sc->base = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
				   MAP_ANONYMOUS | MAP_PRIVATE, 0);
	}
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
	n = odpt_mm_points_register(sc);
	if (n)
		return n;
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
		if (odpt_spec_has(sc->actors[i].spec, ODPT_OP_MMPUT) &&
		    READ_ONCE(sc->actors[i].finished))
			return true;
	return false;
}

/*
 * What the teardown asks of the code under test: the notifiers, the MRs,
 * the user context, the pages, the mapping. A bounded call runs it
 * (odpt_call_bounded()), in a worker that uses the scenario's mm.
 */
static void odpt_scenario_release(void *data)
{
	struct odpt_scenario *sc = data;
	int i;

	odpt_pool_unregister(sc);
	odpt_mm_points_unregister(sc);
	for (i = 0; i < ODPT_MAX_UMEMS; i++)
		if (sc->mr[i])
			fake_hca_dereg_mr(sc->mr[i]);
	if (sc->uctx)
		fake_hca_uctx_destroy(sc->uctx);
	for (i = 0; i < ODPT_MAX_PAGES; i++)
		if (sc->pinned[i])
			put_page(sc->pinned[i]);
	/* the next execution of the case starts from an empty mm */
	if (sc->case_mm && sc->base && !IS_ERR_VALUE(sc->base))
		vm_munmap(sc->base, (size_t)sc->script->npages * PAGE_SIZE);
	if (sc->file)
		fput(sc->file);
}

static void odpt_scenario_teardown(struct odpt_scenario *sc)
{
	/* only the case's shared mm has a range to unmap */
	struct mm_struct *release_mm = NULL;

	if (sc->case_mm)
		release_mm = sc->mm;
	odpt_pool_open(sc);
	odpt_actors_stop(sc);
	if (READ_ONCE(sc->worker_cpu_shared))
		odpt_fail(sc, "the fault worker ran on the actors' CPU %u", odpt_actor_cpu());
	if (!sc->hung &&
	    !odpt_call_bounded(sc->test, "the scenario's teardown (deregistration, unmapping)",
			       odpt_scenario_release, sc, release_mm)) {
		sc->failed = true;
		sc->hung = true;
	}
	if (sc->hung)
		/* a stuck thread may still use all of it, and the case's mm and device */
		container_of(sc->handler, struct odpt_case, h)->stuck = true;
	if (sc->mm) {
		kthread_unuse_mm(sc->mm);
		if (!sc->hung && !odpt_mm_released(sc))
			mmput(sc->mm);
	}
}

/**
 * odpt_scenario_create() - set up one execution of the case's script
 * @c: the case, from odpt_case_begin(); @c->run is the execution's index
 *
 * Return: the scenario, with its actors waiting for their first go, or
 * NULL without memory. When the setup failed, the case has failed and
 * @sc->failed is set; odpt_scenario_destroy() it all the same.
 */
struct odpt_scenario *odpt_scenario_create(struct odpt_case *c)
{
	struct odpt_scenario_mem *mem;
	struct odpt_scenario *sc;
	int ret;

	/* sc first: kfree(sc) frees the actors too */
	mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return NULL;
	sc = &mem->sc;
	sc->actors = mem->actors;
	sc->test = c->test;
	sc->script = c->script;
	sc->strategy = c->strategy;
	sc->handler = &c->h;
	sc->crew = &c->crew;
	sc->mm = c->mm;
	sc->dev = c->dev;
	sc->report = c->run == 0;
	sc->no_backoff = c->explore;
	sc->wakeups = c->wakeups;
	spin_lock_init(&sc->trace_lock);
	sema_init(&sc->lock, 1);
	init_waitqueue_head(&sc->settle_wq);

	ret = odpt_scenario_setup(sc);
	if (ret)
		odpt_fail(sc, "setup failed: %d", ret);
	return sc;
}

/**
 * odpt_scenario_steps() - run script steps until the end or a failure
 * @sc: the scenario
 * @steps: the steps, terminated by ODPT_END
 *
 * Return: true if every step that applies to the strategy held.
 */
bool odpt_scenario_steps(struct odpt_scenario *sc, const struct odpt_step *steps)
{
	const struct odpt_step *st;

	for (st = steps; st->kind != ODPT_STEP_END && !sc->failed; st++)
		if (odpt_applies(sc, st))
			odpt_step(sc, st);
	return !sc->failed;
}

/**
 * odpt_scenario_destroy() - let every actor finish, tear the execution down
 * @sc: the scenario, from odpt_scenario_create()
 *
 * Return: false if an actor is stuck: the scenario is then left behind,
 * with everything it may touch.
 */
bool odpt_scenario_destroy(struct odpt_scenario *sc)
{
	bool hung;

	odpt_scenario_teardown(sc);
	hung = sc->hung;
	if (!hung)
		kfree(sc);
	return !hung;
}

/**
 * odpt_scenario_run() - execute a script once against a strategy
 * @c: the case, from odpt_case_begin(); @c->run is the execution's index
 * @trace_buf: receives the formatted trace
 * @len: size of @trace_buf
 * @print: print the script, the trace and the thread table even if the
 *	execution passes (they are always printed when it fails)
 *
 * Return: 0 if every step held, -EINVAL otherwise (the case has failed and
 * the trace was printed).
 */
int odpt_scenario_run(struct odpt_case *c, char *trace_buf, size_t len, bool print)
{
	struct odpt_scenario *sc;
	bool failed;

	sc = odpt_scenario_create(c);
	if (!sc)
		return -ENOMEM;
	if (!sc->failed && odpt_scenario_steps(sc, sc->script->steps))
		odpt_final_oracle(sc);
	odpt_scenario_teardown(sc);
	if (trace_buf)
		odpt_trace_format(sc, trace_buf, len);
	failed = sc->failed;
	if (failed || print)
		odpt_trace_print(sc);
	if (!sc->hung)
		kfree(sc);
	return failed ? -EINVAL : 0;
}

/* Print a formatted trace line by line: a KUnit message would cut it. */
static void odpt_print_lines(struct kunit *test, const char *what, const char *buf)
{
	const char *p = buf, *nl;

	kunit_info(test, "%s:\n", what);
	for (; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		kunit_info(test, "  %.*s\n", (int)(nl - p), p);
		if (!*nl)
			break;
	}
}

/* The first line where two formatted traces differ, printed. */
static void odpt_print_divergence(struct kunit *test, const char *a, const char *b)
{
	const char *a0 = a;
	int line = 1;

	while (*a && *a == *b) {
		line += *a == '\n';
		a++;
		b++;
	}
	while (a > a0 && a[-1] != '\n') {
		a--;
		b--;
	}
	kunit_info(test, "the paths part at trace line %d: \"%.*s\" in run 1, \"%.*s\" now\n",
		   line, (int)(strchrnul(a, '\n') - a), a, (int)(strchrnul(b, '\n') - b), b);
}

/**
 * odpt_case_repeat() - run a script @n times; every run must pass and
 *	leave the trace of the first
 * @test: the KUnit test
 * @script: the script
 * @strategy: the context's strategy
 * @n: executions
 *
 * A run that takes another path than the first fails the case, and both
 * traces are printed line by line. With odp_kunit.trace=1 the first
 * execution is printed even when it passes.
 *
 * Return: the executions that passed before the first failure (@n: all).
 */
int odpt_case_repeat(struct kunit *test, const struct odpt_script *script,
		     enum odp_strategy strategy, int n)
{
	const char *sname = fake_hca_backend_name(strategy);
	char *first, *trace;
	struct odpt_case *c;
	u64 t0, ns;
	int done;

	first = kunit_kzalloc(test, ODPT_TRACE_BUF, GFP_KERNEL);
	trace = kunit_kzalloc(test, ODPT_TRACE_BUF, GFP_KERNEL);
	if (!first || !trace) {
		KUNIT_FAIL(test, "no memory for the traces");
		return 0;
	}
	/* not a KUnit allocation: a stuck actor may outlive the test */
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c || odpt_case_begin(c, test, script, strategy)) {
		kfree(c);
		KUNIT_FAIL(test, "%s on %s: cannot prepare the case", script->name, sname);
		return 0;
	}
	t0 = ktime_get_ns();
	for (c->run = 0; c->run < n; c->run++) {
		bool print = !c->run && odpt_params.trace;

		if (odpt_scenario_run(c, c->run ? trace : first, ODPT_TRACE_BUF, print)) {
			kunit_info(test, "%s on %s: failed at run %d of %d\n",
				   script->name, sname, c->run + 1, n);
			break;
		}
		if (c->run && strcmp(first, trace)) {
			odpt_print_lines(test, "trace of run 1", first);
			odpt_print_lines(test, "trace of the run that differs", trace);
			odpt_print_divergence(test, first, trace);
			KUNIT_FAIL(test, "%s on %s: run %d took another path than run 1 (traces above)",
				   script->name, sname, c->run + 1);
			break;
		}
	}
	ns = ktime_get_ns() - t0;
	done = c->run;
	if (!odpt_case_end(c)) {
		/* the case stays: a stuck actor may still use it */
		kunit_err(test, "an actor is stuck: fenced off, its case left behind\n");
		return done;
	}
	kfree(c);
	if (done == n)
		kunit_info(test, "%s on %s: same outcome and trace in %d of %d runs, %llu runs/s\n",
			   script->name, sname, n, n,
			   div64_u64((u64)n * NSEC_PER_SEC, max_t(u64, ns, 1)));
	return done;
}

/**
 * odpt_scenario_stats() - the statistics of the scenario's ODP context
 * @sc: the scenario
 * @stats: where to store them; all zero on the upstream backend, which
 *	has no context of the core (IB core keeps no such counts)
 */
void odpt_scenario_stats(struct odpt_scenario *sc, struct odp_stats *stats)
{
	if (sc->ctx)
		odp_context_stats(sc->ctx, stats);
	else
		memset(stats, 0, sizeof(*stats));
}
