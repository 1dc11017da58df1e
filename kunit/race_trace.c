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
	spin_lock(&sc->lock);
	if (sc->ntrace < ODPT_MAX_TRACE) {
		sc->trace[sc->ntrace].actor = actor;
		sc->trace[sc->ntrace].point = point;
		sc->trace[sc->ntrace].value = value;
	}
	sc->ntrace++;
	spin_unlock(&sc->lock);
}

static const char *odpt_point_name(int point)
{
	if (point == -1)
		return "starts";
	if (point == -2)
		return "finishes";
	if (point == ODPT_SP_BETWEEN)
		return "between start and end";
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

/**
 * odpt_trace_print() - print the script and the trace to the KTAP log
 * @sc: the scenario
 */
void odpt_trace_print(struct odpt_scenario *sc)
{
	int i, n = min(sc->ntrace, ODPT_MAX_TRACE);

	kunit_info(sc->test, "%s on %s: actual trace\n", sc->script->name,
		   odp_strategy_name(sc->strategy));
	for (i = 0; i < n; i++) {
		const struct odpt_trace_entry *e = &sc->trace[i];

		kunit_info(sc->test, "  %-3d %s: %s (%ld)\n", i,
			   sc->actors[e->actor].spec->name,
			   odpt_point_name(e->point), e->value);
	}
}
