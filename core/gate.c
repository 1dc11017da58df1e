// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: the context's locks, held from outside.
 *
 * Registration and release update the context's tree under ctx->rwsem
 * held for write, and count users under ctx->reg_mutex, with no sync
 * point inside; the OOM reaper's revocation (nonblock.c) asks for the
 * rwsem with a trylock. A window that has no point can still be reached
 * by holding its lock from another thread while the path under test
 * runs: the test's gate (an actor of the race engine) takes one of these
 * locks, stops while holding it, and releases it when sent on. Nothing
 * in the core calls these.
 */
#include <linux/export.h>

#include "odp_internal.h"

/**
 * odp_context_tree_lock() - take the context's tree lock
 * @ctx: the context
 * @write: for writing (as registration and release take it) or for
 *	reading (as an invalidation's walk takes it)
 *
 * For tests that hold the lock as a gate; may sleep. Release with
 * odp_context_tree_unlock() and the same @write.
 */
void odp_context_tree_lock(struct odp_context *ctx, bool write)
{
	if (write)
		down_write(&ctx->rwsem);
	else
		down_read(&ctx->rwsem);
}
EXPORT_SYMBOL_GPL(odp_context_tree_lock);

/**
 * odp_context_tree_unlock() - release the lock of odp_context_tree_lock()
 * @ctx: the context
 * @write: as it was taken
 */
void odp_context_tree_unlock(struct odp_context *ctx, bool write)
{
	if (write)
		up_write(&ctx->rwsem);
	else
		up_read(&ctx->rwsem);
}
EXPORT_SYMBOL_GPL(odp_context_tree_unlock);

/**
 * odp_context_reg_lock() - take the mutex that orders registrations and
 *	the release of the last umem
 * @ctx: the context
 *
 * For tests that hold the lock as a gate; may sleep.
 */
void odp_context_reg_lock(struct odp_context *ctx)
{
	mutex_lock(&ctx->reg_mutex);
}
EXPORT_SYMBOL_GPL(odp_context_reg_lock);

/**
 * odp_context_reg_unlock() - release the mutex of odp_context_reg_lock()
 * @ctx: the context
 */
void odp_context_reg_unlock(struct odp_context *ctx)
{
	mutex_unlock(&ctx->reg_mutex);
}
EXPORT_SYMBOL_GPL(odp_context_reg_unlock);
