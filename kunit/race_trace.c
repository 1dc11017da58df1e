// SPDX-License-Identifier: GPL-2.0
/*
 * Traces: what each actor did, in order, to compare executions of one
 * script and to print when a case fails.
 */
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
				 sc->actors[e->actor].spec->name,
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
};

/* The steps of the script that apply to the scenario's strategy. */
static void odpt_script_print(struct odpt_scenario *sc)
{
	const struct odpt_step *st;
	int i = 0;

	kunit_info(sc->test, "%s on %s: script\n", sc->script->name,
		   odp_strategy_name(sc->strategy));
	for (st = sc->script->steps; st->kind != ODPT_STEP_END; st++, i++) {
		const char *who = "";

		if (st->strategies && !(st->strategies & BIT(sc->strategy)))
			continue;
		switch (st->kind) {
		case ODPT_STEP_UNTIL:
			kunit_info(sc->test, "  %-3d %s %s \"%s\"\n", i,
				   sc->actors[st->actor].spec->name,
				   odpt_step_names[st->kind],
				   odpt_point_name(st->point));
			continue;
		case ODPT_STEP_RUN:
		case ODPT_STEP_BLOCKS:
		case ODPT_STEP_FINISHES:
		case ODPT_STEP_EXPECT_RESULT:
			who = sc->actors[st->actor].spec->name;
			break;
		default:
			break;
		}
		kunit_info(sc->test, "  %-3d %s %s %ld\n", i, who,
			   odpt_step_names[st->kind], st->value);
	}
}

/**
 * odpt_trace_print() - print the script and the trace to the KTAP log
 * @sc: the scenario
 */
void odpt_trace_print(struct odpt_scenario *sc)
{
	int i, n = min(sc->ntrace, ODPT_MAX_TRACE);

	odpt_script_print(sc);
	kunit_info(sc->test, "%s on %s: actual trace\n", sc->script->name,
		   odp_strategy_name(sc->strategy));
	for (i = 0; i < n; i++) {
		const struct odpt_trace_entry *e = &sc->trace[i];

		kunit_info(sc->test, "  %-3d %s: %s (%ld)\n", i,
			   sc->actors[e->actor].spec->name,
			   odpt_point_name(e->point), e->value);
	}
}
