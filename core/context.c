// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: the per-process context. It belongs to the thread group and
 * the mm that created it, holds the interval tree of that process's
 * umems, and owns the one MMU notifier that watches the mm while at least
 * one umem is registered.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "odp_internal.h"
#include "strategy.h"

/**
 * odp_context_create() - create the ODP context of the calling process
 * @ops: the driver's hooks; must outlive the context
 * @strategy: how faults synchronize with invalidations
 * @priv: for the driver, see odp_context_priv()
 *
 * The calling thread's thread group and mm become the context's owner:
 * only they may register umems. Registers no notifier yet.
 *
 * Return: the context, or ERR_PTR(-EINVAL) for a bad @ops or @strategy or
 * a caller without an mm, ERR_PTR(-ENOMEM).
 */
struct odp_context *odp_context_create(const struct odp_driver_ops *ops,
				       enum odp_strategy strategy, void *priv)
{
	const struct odp_strategy_ops *sops = odp_strategy_lookup(strategy);
	struct odp_context *ctx;

	if (!ops || !sops || !current->mm)
		return ERR_PTR(-EINVAL);

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	odp_live_get(ODP_LIVE_CONTEXT);

	ctx->ops = ops;
	ctx->sops = sops;
	ctx->strategy = strategy;
	ctx->priv = priv;
	ctx->tgid = get_task_pid(current->group_leader, PIDTYPE_PID);
	ctx->mm = current->mm;
	mmgrab(ctx->mm);

	mutex_init(&ctx->reg_mutex);
	init_rwsem(&ctx->rwsem);
	ctx->tree = RB_ROOT_CACHED;
	ctx->mn.ops = &odp_notifier_ops;
	ctx->nb_mn.ops = &odp_nb_notifier_ops;
	spin_lock_init(&ctx->lock);
	if (sops->ctx_init)
		sops->ctx_init(ctx);
	return ctx;
}
EXPORT_SYMBOL_GPL(odp_context_create);

/**
 * odp_context_destroy() - free a context
 * @ctx: the context, may be NULL or an error pointer
 *
 * Every umem of @ctx must have been released with odp_umem_release()
 * first (so the notifier is already unregistered): destroying a context
 * that still holds umems is the caller's bug and leaks them.
 */
void odp_context_destroy(struct odp_context *ctx)
{
	if (IS_ERR_OR_NULL(ctx))
		return;
	if (ctx->sops->reset)
		ctx->sops->reset(ctx);
	put_pid(ctx->tgid);
	mmdrop(ctx->mm);
	kfree(ctx);
	odp_live_put(ODP_LIVE_CONTEXT);
}
EXPORT_SYMBOL_GPL(odp_context_destroy);

/**
 * odp_context_priv() - the driver's pointer given at creation
 * @ctx: the context
 *
 * Return: @priv of odp_context_create().
 */
void *odp_context_priv(struct odp_context *ctx)
{
	return ctx->priv;
}
EXPORT_SYMBOL_GPL(odp_context_priv);

/**
 * odp_context_strategy() - the context's synchronization strategy
 * @ctx: the context
 *
 * Return: the strategy chosen at creation.
 */
enum odp_strategy odp_context_strategy(struct odp_context *ctx)
{
	return ctx->strategy;
}
EXPORT_SYMBOL_GPL(odp_context_strategy);

/**
 * odp_context_mm() - the mm the context watches
 * @ctx: the context
 *
 * Return: the owner's mm; the context holds a reference on the structure
 * (mmgrab), not on the address space.
 */
struct mm_struct *odp_context_mm(struct odp_context *ctx)
{
	return ctx->mm;
}
EXPORT_SYMBOL_GPL(odp_context_mm);

/**
 * odp_context_stats() - read the context's counters
 * @ctx: the context
 * @stats: filled with a snapshot (each field read atomically)
 */
void odp_context_stats(struct odp_context *ctx, struct odp_stats *stats)
{
	stats->end_without_start = atomic64_read(&ctx->end_without_start);
	stats->different_pages = atomic64_read(&ctx->different_pages);
	stats->retries = atomic64_read(&ctx->retries);
	stats->invalidations = atomic64_read(&ctx->invalidations);
	stats->pages_mapped = atomic64_read(&ctx->pages_mapped);
	stats->pages_unmapped = atomic64_read(&ctx->pages_unmapped);
	stats->nb_refused = atomic64_read(&ctx->nb_refused);
}
EXPORT_SYMBOL_GPL(odp_context_stats);

/**
 * odp_context_notifier_registered() - is the context's notifier on the mm
 * @ctx: the context
 *
 * Return: true from the registration of the first umem to the release of
 * the last one. Does not lock: a snapshot.
 */
bool odp_context_notifier_registered(struct odp_context *ctx)
{
	/* lockless: a test may ask while a release is stopped holding reg_mutex */
	return READ_ONCE(ctx->mn_registered);
}
EXPORT_SYMBOL_GPL(odp_context_notifier_registered);

/**
 * odp_context_umem_count() - number of umems registered in the context
 * @ctx: the context
 *
 * Return: the number of umems in the context's tree (a snapshot, not
 * locked).
 */
unsigned int odp_context_umem_count(struct odp_context *ctx)
{
	/* lockless, so that it never waits behind a stopped walk or writer */
	return READ_ONCE(ctx->count);
}
EXPORT_SYMBOL_GPL(odp_context_umem_count);
