// SPDX-License-Identifier: GPL-2.0
/*
 * Traces: what each actor did, in order, to compare executions of one
 * script and to print when a case fails.
 */
#include <linux/jhash.h>
#include <linux/string.h>

#include "race.h"

/**
 * odpt_trace_add() - record one event of an actor
 * @sc: the scenario
 * @actor: actor index
 * @point: sync point, -1 for "started", -2 for "finished"
 * @value: result, for "finished"
 */
void odpt_trace_add(struct odpt_scenario *sc, int actor, int point, long value)
{
	spin_lock(&sc->trace_lock);
	if (sc->ntrace < ODPT_MAX_TRACE) {
		sc->trace[sc->ntrace].actor = actor;
		sc->trace[sc->ntrace].point = point;
		sc->trace[sc->ntrace].value = value;
	}
	sc->ntrace++;
	spin_unlock(&sc->trace_lock);
}

/**
 * odpt_point_name() - printable name of a sync point or engine event
 * @point: a sync point, ODPT_SP_*, -1 (starts) or -2 (finishes)
 *
 * Return: a static string.
 */
const char *odpt_point_name(int point)
{
	if (point == -1)
		return "starts";
	if (point == -2)
		return "finishes";
	if (point == ODPT_SP_BETWEEN)
		return "between start and end";
	if (point == ODPT_SP_LOCKED)
		return "lock taken";
	if (point >= ODP_SP_NR)
		return fake_hca_sync_point_name(point);
	return odp_sync_point_name(point);
}

/**
 * odpt_trace_format() - the trace as one line per event
 * @sc: the scenario
 * @buf: output
 * @len: size of @buf
 */
void odpt_trace_format(struct odpt_scenario *sc, char *buf, size_t len)
{
	size_t off = 0;
	int i, n;

	buf[0] = '\0';
	n = min(sc->ntrace, ODPT_MAX_TRACE);
	for (i = 0; i < n && off < len; i++) {
		const struct odpt_trace_entry *e = &sc->trace[i];

		off += scnprintf(buf + off, len - off, "%s: %s",
				 odpt_actor_name(sc, e->actor),
				 odpt_point_name(e->point));
		if (e->point == -2)
			off += scnprintf(buf + off, len - off, " (%ld)", e->value);
		off += scnprintf(buf + off, len - off, "\n");
	}
	if (sc->ntrace > ODPT_MAX_TRACE)
		scnprintf(buf + off, len - off, "... %d more\n",
			  sc->ntrace - ODPT_MAX_TRACE);
}

static const char * const odpt_step_names[] = {
	[ODPT_STEP_END] = "end",
	[ODPT_STEP_UNTIL] = "runs until",
	[ODPT_STEP_RUN] = "runs to completion",
	[ODPT_STEP_BLOCKS] = "runs and must wait",
	[ODPT_STEP_FINISHES] = "finishes",
	[ODPT_STEP_EXPECT_RESULT] = "expect result",
	[ODPT_STEP_EXPECT_STALE] = "expect stale entries",
	[ODPT_STEP_EXPECT_MAPPED] = "expect pages held by MR",
	[ODPT_STEP_EXPECT_UNDERFLOW] = "expect ends without start",
	[ODPT_STEP_EXPECT_DYING] = "expect dying, MR",
	[ODPT_STEP_OPEN_POOL] = "the pool opens",
	[ODPT_STEP_BLOCKS_UNTIL] = "must wait, then stops at",
	[ODPT_STEP_STOPS] = "woken, stops where sent",
	[ODPT_STEP_KILL] = "is killed",
	[ODPT_STEP_MM_TORN_DOWN] = "the mm's deferred teardown ends",
};

/* The steps of the script that apply to the scenario's strategy. */
static void odpt_script_print(struct odpt_scenario *sc)
{
	const struct odpt_step *st;
	int i = 0;

	kunit_info(sc->test, "%s on %s: script\n", sc->script->name,
		   fake_hca_backend_name(sc->strategy));
	for (st = sc->script->steps; st->kind != ODPT_STEP_END; st++, i++) {
		const char *who = "";

		if (st->strategies && !(st->strategies & BIT(sc->strategy)))
			continue;
		switch (st->kind) {
		case ODPT_STEP_UNTIL:
		case ODPT_STEP_BLOCKS_UNTIL:
			kunit_info(sc->test, "  %-3d %s %s \"%s\"\n", i,
				   odpt_actor_name(sc, st->actor),
				   odpt_step_names[st->kind],
				   odpt_point_name(st->point));
			continue;
		case ODPT_STEP_RUN:
		case ODPT_STEP_BLOCKS:
		case ODPT_STEP_FINISHES:
		case ODPT_STEP_STOPS:
		case ODPT_STEP_KILL:
		case ODPT_STEP_EXPECT_RESULT:
			who = odpt_actor_name(sc, st->actor);
			break;
		default:
			break;
		}
		kunit_info(sc->test, "  %-3d %s %s %ld\n", i, who,
			   odpt_step_names[st->kind], st->value);
	}
}

/* Names that fit a column of the thread table. */
static const char * const odpt_short_names[ODPT_NR_POINTS] = {
	[ODP_SP_FAULT_WAIT] = "fault: waits",
	[ODP_SP_FAULT_SAMPLED] = "fault: sampled",
	[ODP_SP_FAULT_LOOKED_UP] = "fault: looked up",
	[ODP_SP_INV_START_ENTER] = "start: entered",
	[ODP_SP_INV_START_ACCOUNTED] = "start: accounted",
	[ODP_SP_INV_START_DONE] = "start: hook done",
	[ODP_SP_INV_START_RETURN] = "start: returns",
	[ODP_SP_INV_END_ENTER] = "end: entered",
	[ODP_SP_INV_END_BEFORE] = "end: before",
	[ODP_SP_INV_END_DONE] = "end: accounted",
	[ODP_SP_REG_BEFORE_INSERT] = "reg: before insert",
	[ODP_SP_REG_DOWNGRADED] = "reg: downgraded",
	[ODP_SP_REG_AFTER_INSERT] = "reg: inserted",
	[ODP_SP_RELEASE_BEFORE_UNREGISTER] = "rel: before unreg",
	[ODP_SP_RELEASE_ENTER] = "release: entered",
	[ODP_SP_RELEASE_WOKEN] = "rel: woken",
	[FAKE_HCA_SP_FAULT_QUEUED] = "hca: queued",
	[FAKE_HCA_SP_FAULT_HANDLING] = "hca: took event",
	[FAKE_HCA_SP_FAULT_HANDLED] = "hca: resolved",
	[FAKE_HCA_SP_FAULT_WOKEN] = "hca: access woken",
	[FAKE_HCA_SP_DEREG_WOKEN] = "hca: dereg woken",
	[ODPT_SP_BETWEEN] = "between start/end",
	[ODPT_SP_LOCKED] = "lock taken",
};

static const char * const odpt_point_cnames[ODPT_NR_POINTS] = {
	[ODP_SP_FAULT_WAIT] = "ODP_SP_FAULT_WAIT",
	[ODP_SP_FAULT_SAMPLED] = "ODP_SP_FAULT_SAMPLED",
	[ODP_SP_FAULT_LOOKED_UP] = "ODP_SP_FAULT_LOOKED_UP",
	[ODP_SP_INV_START_ENTER] = "ODP_SP_INV_START_ENTER",
	[ODP_SP_INV_START_ACCOUNTED] = "ODP_SP_INV_START_ACCOUNTED",
	[ODP_SP_INV_START_DONE] = "ODP_SP_INV_START_DONE",
	[ODP_SP_INV_START_RETURN] = "ODP_SP_INV_START_RETURN",
	[ODP_SP_INV_END_ENTER] = "ODP_SP_INV_END_ENTER",
	[ODP_SP_INV_END_BEFORE] = "ODP_SP_INV_END_BEFORE",
	[ODP_SP_INV_END_DONE] = "ODP_SP_INV_END_DONE",
	[ODP_SP_REG_BEFORE_INSERT] = "ODP_SP_REG_BEFORE_INSERT",
	[ODP_SP_REG_DOWNGRADED] = "ODP_SP_REG_DOWNGRADED",
	[ODP_SP_REG_AFTER_INSERT] = "ODP_SP_REG_AFTER_INSERT",
	[ODP_SP_RELEASE_BEFORE_UNREGISTER] = "ODP_SP_RELEASE_BEFORE_UNREGISTER",
	[ODP_SP_RELEASE_ENTER] = "ODP_SP_RELEASE_ENTER",
	[ODP_SP_RELEASE_WOKEN] = "ODP_SP_RELEASE_WOKEN",
	[FAKE_HCA_SP_FAULT_QUEUED] = "FAKE_HCA_SP_FAULT_QUEUED",
	[FAKE_HCA_SP_FAULT_HANDLING] = "FAKE_HCA_SP_FAULT_HANDLING",
	[FAKE_HCA_SP_FAULT_HANDLED] = "FAKE_HCA_SP_FAULT_HANDLED",
	[FAKE_HCA_SP_FAULT_WOKEN] = "FAKE_HCA_SP_FAULT_WOKEN",
	[FAKE_HCA_SP_DEREG_WOKEN] = "FAKE_HCA_SP_DEREG_WOKEN",
	[ODPT_SP_BETWEEN] = "ODPT_SP_BETWEEN",
	[ODPT_SP_LOCKED] = "ODPT_SP_LOCKED",
};

/**
 * odpt_point_cname() - a sync point's name in C, for a script to paste
 * @point: a sync point or ODPT_SP_*
 *
 * Return: the enumerator's name, a static string.
 */
const char *odpt_point_cname(int point)
{
	if (point < 0 || point >= ODPT_NR_POINTS || !odpt_point_cnames[point])
		return "?";
	return odpt_point_cnames[point];
}

/**
 * odpt_point_id() - a number for a sync point that does not depend on its value
 * @point: a sync point or ODPT_SP_*, or -1 for none
 *
 * The hash of the point's C name: what is hashed with it (the explorer's
 * schedules) hashes the same when the points are renumbered, as when a
 * driver declares points of its own.
 *
 * Return: the id; 0xff for -1.
 */
u32 odpt_point_id(int point)
{
	const char *name;

	if (point < 0)
		return 0xff;
	name = odpt_point_cname(point);
	return jhash(name, strlen(name), 0);
}

/**
 * odpt_point_short() - a sync point's name for a table column
 * @point: a sync point or ODPT_SP_*
 *
 * Return: a static string of at most ODPT_COL - 1 characters.
 */
const char *odpt_point_short(int point)
{
	if (point < 0 || point >= ODPT_NR_POINTS || !odpt_short_names[point])
		return "?";
	return odpt_short_names[point];
}

/**
 * odpt_table_row() - print one row of a thread table
 * @test: the KUnit test
 * @row: the row's number, or -1 for the header
 * @ncols: columns (actors)
 * @cells: @ncols strings, NULL for an empty cell
 *
 * One column per actor, like the thread's "Thread 1 | Thread 2" tables.
 */
void odpt_table_row(struct kunit *test, int row, int ncols, const char * const *cells)
{
	char line[ODPT_MAX_ACTORS * (ODPT_COL + 3) + 8];
	size_t off = 0;
	int i;

	if (row < 0)
		off += scnprintf(line, sizeof(line), "     ");
	else
		off += scnprintf(line, sizeof(line), "%-4d ", row);
	for (i = 0; i < ncols; i++)
		off += scnprintf(line + off, sizeof(line) - off, "| %-*.*s", ODPT_COL,
				 ODPT_COL, cells[i] ? cells[i] : "");
	kunit_info(test, "%s\n", line);
}

/* The trace as a thread table: one row per event, in its actor's column. */
static void odpt_trace_table(struct odpt_scenario *sc)
{
	const char *cells[ODPT_MAX_ACTORS] = {};
	char buf[ODPT_COL + 1];
	int i, n = min(sc->ntrace, ODPT_MAX_TRACE);

	for (i = 0; i < sc->nactors; i++)
		cells[i] = odpt_actor_name(sc, i);
	odpt_table_row(sc->test, -1, sc->nactors, cells);
	for (i = 0; i < n; i++) {
		const struct odpt_trace_entry *e = &sc->trace[i];

		memset(cells, 0, sizeof(cells));
		if (e->point == -2)
			snprintf(buf, sizeof(buf), "finishes (%ld)", e->value);
		else if (e->point == -1)
			strscpy(buf, "starts", sizeof(buf));
		else
			strscpy(buf, odpt_point_short(e->point), sizeof(buf));
		cells[e->actor] = buf;
		odpt_table_row(sc->test, i, sc->nactors, cells);
	}
}

/**
 * odpt_trace_print() - print the script, the trace and the thread table
 * @sc: the scenario
 *
 * Line by line, each line its own message: KUnit cuts long messages.
 */
void odpt_trace_print(struct odpt_scenario *sc)
{
	int i, n = min(sc->ntrace, ODPT_MAX_TRACE);

	odpt_script_print(sc);
	kunit_info(sc->test, "%s on %s: actual trace\n", sc->script->name,
		   fake_hca_backend_name(sc->strategy));
	for (i = 0; i < n; i++) {
		const struct odpt_trace_entry *e = &sc->trace[i];

		kunit_info(sc->test, "  %-3d %s: %s (%ld)\n", i,
			   odpt_actor_name(sc, e->actor),
			   odpt_point_name(e->point), e->value);
	}
	if (sc->ntrace > ODPT_MAX_TRACE)
		kunit_info(sc->test, "  ... %d more\n", sc->ntrace - ODPT_MAX_TRACE);
	kunit_info(sc->test, "%s on %s: thread table\n", sc->script->name,
		   fake_hca_backend_name(sc->strategy));
	odpt_trace_table(sc);
}

/**
 * odpt_point_in_callback() - is a sync point reached inside a notifier callback?
 * @point: the point
 *
 * Return: true for the invalidation and release points, reached inside a
 * callback of the mm's notifiers (for the hlist ones, an SRCU read
 * section).
 */
bool odpt_point_in_callback(int point)
{
	switch (point) {
	case ODP_SP_INV_START_ENTER:
	case ODP_SP_INV_START_ACCOUNTED:
	case ODP_SP_INV_START_DONE:
	case ODP_SP_INV_START_RETURN:
	case ODP_SP_INV_END_ENTER:
	case ODP_SP_INV_END_BEFORE:
	case ODP_SP_INV_END_DONE:
	case ODP_SP_RELEASE_ENTER:
		return true;
	default:
		return false;
	}
}
