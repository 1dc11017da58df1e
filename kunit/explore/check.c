// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's invariants, checked after every step:
 *  - no kernel warning, BUG or lockdep report appeared (taint flags and
 *    debug_locks);
 *  - no invalidation end came without its start (the context's count);
 *  - the oracle: no umem and no MR table holds a page other than the one
 *    the CPU maps, outside ranges an unfinished invalidating actor covers;
 *  - every actor that finished returned what its operation allows: a
 *    fault its page count, -EAGAIN or -EFAULT; a device access a status,
 *    never -EIO (other data than the CPU's); the others 0.
 * An actor blocked with nobody able to move is found by the search.
 */
#include <linux/debug_locks.h>
#include <linux/panic.h>
#include <linux/stdarg.h>

#include "explore.h"

/**
 * odpt_ex_fail() - record what a check found in the schedule
 * @run: the schedule
 * @kind: what was found
 * @actor: the actor it concerns, -1 for none
 * @value: the count or result found
 * @fmt: what, in words
 */
void odpt_ex_fail(struct odpt_ex_run *run, enum odpt_ex_kind kind, int actor,
		  long value, const char *fmt, ...)
{
	struct odpt_ex_finding *f = &run->finding[kind];
	va_list args;

	if (run->found & BIT(kind))
		return;
	run->found |= BIT(kind);
	run->failed = true;
	/* a deadlock ends its schedule only: the way out (a kill) ends it cleanly */
	run->fatal |= kind > ODPT_EX_DEADLOCK;
	f->step = run->nsteps;
	f->preemptions = run->preemptions;
	f->stale = run->stale;
	f->actor = actor;
	f->value = value;
	va_start(args, fmt);
	vsnprintf(f->what, sizeof(f->what), fmt, args);
	va_end(args);
}

static bool odpt_ex_result_allowed(const struct odpt_scenario *sc,
				   const struct odpt_actor_spec *s, long r)
{
	/*
	 * Upstream: ib_umem_odp_map_dma_and_lock() fails with -EINVAL once
	 * the mm has no user left (mmget_not_zero()), where the core says
	 * -EFAULT.
	 */
	bool gone = r == -EFAULT ||
		    (sc->strategy == FAKE_HCA_BACKEND_UPSTREAM && r == -EINVAL);

	/* an MR slot not (yet, or any more) registered: nothing was done */
	if (r == -ENOENT || (s->op == ODPT_OP_REGISTER && r == -EBUSY))
		return true;
	switch (s->op) {
	case ODPT_OP_FAULT:
		return r == odpt_spec_pages(s) || r == -EAGAIN || gone;
	case ODPT_OP_FAULT_RETRY:
		/* -EAGAIN: every attempt lost to an invalidation still running */
		return r == odpt_spec_pages(s) || gone || r == -EAGAIN;
	case ODPT_OP_PREFETCH:
	case ODPT_OP_DEV_READ:
	case ODPT_OP_DEV_WRITE:
		return r == FAKE_HCA_WC_SUCCESS || r == FAKE_HCA_WC_PAGE_FAULT_ERR ||
		       r == FAKE_HCA_WC_MR_DYING_ERR || r == FAKE_HCA_WC_MM_GONE_ERR ||
		       r == FAKE_HCA_WC_RETRY_EXC_ERR;
	case ODPT_OP_REGISTER:
		/* the process may be exiting (an mmput actor) */
		return !r || r == -EFAULT;
	case ODPT_OP_INV_NONBLOCK:
		/* a notifier refused the reaper's range */
		return !r || r == -EAGAIN;
	case ODPT_OP_GATE:
		/* a lock of the core's context, on a backend that has none */
		return !r || (r == -EOPNOTSUPP && !sc->ctx);
	default:
		return !r;
	}
}

/* Actors that finished in the step just taken. */
static void odpt_ex_check_results(struct odpt_ex_run *run, const u8 *before)
{
	struct odpt_scenario *sc = run->sc;
	int i;

	for (i = 0; i < sc->nactors; i++) {
		const struct odpt_actor_spec *s = &sc->script->actors[i];
		int k, n = odpt_actor_nresults(sc, i);

		if (run->state[i] != ODPT_AS_DONE || before[i] == ODPT_AS_DONE)
			continue;
		/* every operation of its sequence */
		for (k = 0; k < n && s; k++, s = s->then) {
			long r = odpt_actor_result_nth(sc, i, k);

			if (r == -EIO && (s->op == ODPT_OP_DEV_READ || s->op == ODPT_OP_DEV_WRITE))
				odpt_ex_fail(run, ODPT_EX_DATA, i, r,
					     "%s: the device %s other data than the CPU sees",
					     odpt_actor_name(sc, i), s->op == ODPT_OP_DEV_READ ?
					     "read" : "wrote");
			else if (!odpt_ex_result_allowed(sc, s, r))
				odpt_ex_fail(run, ODPT_EX_RESULT, i, r, "%s returned %ld (operation %d)",
					     odpt_actor_name(sc, i), r, k + 1);
		}
	}
}

/**
 * odpt_ex_check() - check the invariants after a step
 * @run: the schedule; its last step is checked
 *
 * Return: false if the schedule cannot go on (what was found is in @run).
 */
bool odpt_ex_check(struct odpt_ex_run *run)
{
	struct odpt_scenario *sc = run->sc;
	const u8 *before = run->nsteps > 1 ? run->steps[run->nsteps - 2].state : NULL;
	u8 none[ODPT_MAX_ACTORS] = {};
	struct odp_stats stats;
	int stale;

	/* -EBUSY: a stopped actor holds mmap_lock for writing; check later */
	stale = odpt_oracle_stale(sc, false);
	run->stale = stale;
	if (stale > 0)
		odpt_ex_fail(run, ODPT_EX_STALE, -1, stale,
			     "the oracle finds %d stale entries", stale);
	if ((get_taint() & ~run->taint) || (run->debug_locks && !debug_locks))
		odpt_ex_fail(run, ODPT_EX_KERNEL, -1, 0,
			     "the kernel reported a problem (warning, BUG or lockdep): see the log");
	odpt_ex_check_results(run, before ? before : none);
	odpt_scenario_stats(sc, &stats);
	if (stats.end_without_start)
		odpt_ex_fail(run, ODPT_EX_UNDERFLOW, -1, stats.end_without_start,
			     "%llu invalidation ends without a start",
			     stats.end_without_start);
	return !run->fatal;
}
