// SPDX-License-Identifier: GPL-2.0
/*
 * Gates: actors that hold one lock.
 *
 * Some sections run under a lock with no sync point inside: the tree
 * update of a registration or a release (the context's rwsem held for
 * write), the user count (reg_mutex), a umem's commit (umem_mutex), the
 * mm's own sections (mmap_lock), a migration's page lock. No schedule of
 * the explorer stops a thread inside them, so a path that finds such a
 * lock busy (the OOM reaper's trylocks in core/nonblock.c, a fault's
 * commit that must wait) never runs in a schedule. A gate makes the lock
 * busy: it takes it, stops at ODPT_SP_LOCKED holding it, and releases
 * it when sent on. Scripts order it like any actor, and the explorer
 * schedules it like any actor, so both "the lock is held while the path
 * runs" and "it is not" are explored.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "race.h"

static long odpt_gate_context(struct odpt_scenario *sc, enum odpt_gate g)
{
	bool write = g == ODPT_GATE_TREE_WRITE;

	/* upstream: no context of the core, nothing to hold */
	if (!sc->ctx)
		return -EOPNOTSUPP;
	if (g == ODPT_GATE_REG) {
		odp_context_reg_lock(sc->ctx);
		odp_sync_point(ODPT_SP_LOCKED, sc->ctx, 0, 0);
		odp_context_reg_unlock(sc->ctx);
		return 0;
	}
	odp_context_tree_lock(sc->ctx, write);
	odp_sync_point(ODPT_SP_LOCKED, sc->ctx, 0, 0);
	odp_context_tree_unlock(sc->ctx, write);
	return 0;
}

/**
 * odpt_gate_hold() - an ODPT_OP_GATE or ODPT_OP_HOLD_UMEM actor's operation
 * @sc: the scenario
 * @s: the actor's spec: @arg names the lock (enum odpt_gate), @slot the
 *	MR of a umem gate, @page the page of a page gate
 * @g: the lock
 *
 * Return: 0 once the lock was held and released; -EOPNOTSUPP for a lock
 * the backend does not have, -EINVAL for an unknown gate or a page out of
 * the mapping.
 */
long odpt_gate_hold(struct odpt_scenario *sc, const struct odpt_actor_spec *s,
		    enum odpt_gate g)
{
	struct folio *folio;

	switch (g) {
	case ODPT_GATE_TREE_READ:
	case ODPT_GATE_TREE_WRITE:
	case ODPT_GATE_REG:
		return odpt_gate_context(sc, g);
	case ODPT_GATE_UMEM:
		/* the device's DMA engine holds it so while it copies */
		fake_hca_mr_lock(sc->mr[s->slot]);
		odp_sync_point(ODPT_SP_LOCKED, sc->mr[s->slot], 0, 0);
		fake_hca_mr_unlock(sc->mr[s->slot]);
		return 0;
	case ODPT_GATE_MMAP_READ:
		mmap_read_lock(sc->mm);
		odp_sync_point(ODPT_SP_LOCKED, sc->mm, 0, 0);
		mmap_read_unlock(sc->mm);
		return 0;
	case ODPT_GATE_MMAP_WRITE:
		mmap_write_lock(sc->mm);
		odp_sync_point(ODPT_SP_LOCKED, sc->mm, 0, 0);
		mmap_write_unlock(sc->mm);
		return 0;
	case ODPT_GATE_PAGE:
		if (s->page < 0 || s->page >= sc->script->npages || !sc->pinned[s->page])
			return -EINVAL;
		/* the scenario's reference keeps the folio while it is locked */
		folio = page_folio(sc->pinned[s->page]);
		folio_lock(folio);
		odp_sync_point(ODPT_SP_LOCKED, folio, 0, 0);
		folio_unlock(folio);
		return 0;
	}
	return -EINVAL;
}
