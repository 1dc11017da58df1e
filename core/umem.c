// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: registration and release of a umem, and its accessors.
 *
 * Registering a umem pins nothing: it allocates the (empty) page table of
 * the umem, makes sure the context's notifier watches the mm, and inserts
 * the umem in the context's tree. From then on, every invalidation that
 * overlaps the umem reaches the driver.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <odp/sync_point.h>

#include "odp_internal.h"
#include "strategy.h"

/*
 * The thread's "child process" check: only the owner's threads may use
 * the context. A kernel thread that adopted the owner's mm with
 * kthread_use_mm() acts for the owner (as the scenario actors do) and is
 * let through; a forked child has another mm and is not.
 */
static bool odp_caller_is_owner(struct odp_context *ctx)
{
	struct pid *pid;
	bool ret;

	if (current->mm != ctx->mm)
		return false;
	if (current->flags & PF_KTHREAD)
		return true;
	pid = get_task_pid(current->group_leader, PIDTYPE_PID);
	ret = pid == ctx->tgid;
	put_pid(pid);
	return ret;
}

static void odp_umem_free(struct odp_umem *umem)
{
	kvfree(umem->page_access);
	kvfree(umem->dma);
	kvfree(umem->pages);
	kfree(umem);
	odp_live_put(ODP_LIVE_UMEM);
}

static struct odp_umem *odp_umem_alloc(struct odp_context *ctx, u64 addr, u64 len,
				       unsigned int access, void *priv)
{
	struct odp_umem *umem;

	umem = kzalloc(sizeof(*umem), GFP_KERNEL);
	if (!umem)
		return NULL;
	odp_live_get(ODP_LIVE_UMEM);
	umem->ctx = ctx;
	umem->addr = addr;
	umem->len = len;
	umem->start = round_down(addr, PAGE_SIZE);
	umem->end = round_up(addr + len, PAGE_SIZE);
	umem->it_start = umem->start;
	umem->it_last = umem->end - 1;
	umem->access = access;
	umem->priv = priv;
	umem->npages = (umem->end - umem->start) >> PAGE_SHIFT;
	mutex_init(&umem->umem_mutex);
	odp_reclaim_prime_mutex(&umem->umem_mutex);
	if (ctx->sops->umem_init)
		ctx->sops->umem_init(umem);
	RB_CLEAR_NODE(&umem->rb);

	umem->pages = kvcalloc(umem->npages, sizeof(*umem->pages), GFP_KERNEL);
	umem->dma = kvcalloc(umem->npages, sizeof(*umem->dma), GFP_KERNEL);
	umem->page_access = kvcalloc(umem->npages, sizeof(*umem->page_access), GFP_KERNEL);
	if (!umem->pages || !umem->dma || !umem->page_access) {
		odp_umem_free(umem);
		return NULL;
	}
	return umem;
}

/* The context's notifier watches the mm while it has users (umems). */
static int odp_context_get_user(struct odp_context *ctx)
{
	int ret = 0;

	mutex_lock(&ctx->reg_mutex);
	if (!ctx->users) {
		/* first, so that it runs after the context's notifier (nonblock.c) */
		if (ctx->sops->nb_start)
			ret = mmu_notifier_register(&ctx->nb_mn, ctx->mm);
		if (!ret) {
			ret = mmu_notifier_register(&ctx->mn, ctx->mm);
			if (ret && ctx->sops->nb_start)
				mmu_notifier_unregister(&ctx->nb_mn, ctx->mm);
		}
		if (!ret)
			WRITE_ONCE(ctx->mn_registered, true);
	}
	if (!ret)
		ctx->users++;
	mutex_unlock(&ctx->reg_mutex);
	return ret;
}

static void odp_context_put_user(struct odp_context *ctx)
{
	mutex_lock(&ctx->reg_mutex);
	if (!--ctx->users) {
		odp_sync_point(ODP_SP_RELEASE_BEFORE_UNREGISTER, ctx, 0, 0);
		mmu_notifier_unregister(&ctx->mn, ctx->mm);
		if (ctx->sops->nb_start)
			mmu_notifier_unregister(&ctx->nb_mn, ctx->mm);
		WRITE_ONCE(ctx->mn_registered, false);
		if (ctx->sops->reset)
			ctx->sops->reset(ctx);
	}
	mutex_unlock(&ctx->reg_mutex);
}

/**
 * odp_umem_add() - the default registration: account a umem and insert it
 * @umem: a new umem, not yet visible to anyone
 *
 * The context gains a user (the first registers its notifier), the
 * strategy's umem_register runs, and the umem goes into the tree under
 * ctx->rwsem held for write, between the two registration sync points.
 * The strategies' add hook (strategy.h); seed registers as v1 did.
 *
 * Return: 0, or the error of the step that failed, which is undone.
 */
int odp_umem_add(struct odp_umem *umem)
{
	struct odp_context *ctx = umem->ctx;
	const struct odp_strategy_ops *sops = ctx->sops;
	int ret;

	ret = odp_context_get_user(ctx);
	if (ret)
		return ret;

	if (sops->umem_register) {
		ret = sops->umem_register(umem);
		if (ret) {
			odp_context_put_user(ctx);
			return ret;
		}
	}

	odp_sync_point(ODP_SP_REG_BEFORE_INSERT, umem, umem->start, umem->end);
	down_write(&ctx->rwsem);
	odp_umem_tree_insert(umem, &ctx->tree);
	WRITE_ONCE(ctx->count, ctx->count + 1);
	if (sops->insert_umem)
		sops->insert_umem(umem);
	up_write(&ctx->rwsem);
	odp_sync_point(ODP_SP_REG_AFTER_INSERT, umem, umem->start, umem->end);
	return 0;
}

/**
 * odp_umem_remove() - the default release: take a umem out of its context
 * @umem: a dying umem, cleared and unregistered from the strategy
 *
 * Out of the tree under ctx->rwsem held for write, then no walk holds it,
 * then the context loses a user (the last unregisters its notifier). The
 * strategies' remove hook (strategy.h); seed releases as v1 did.
 */
void odp_umem_remove(struct odp_umem *umem)
{
	struct odp_context *ctx = umem->ctx;
	const struct odp_strategy_ops *sops = ctx->sops;

	/*
	 * A umem is touched only while walking the tree under the rwsem held
	 * for read (or holding a walker reference taken there): once it is
	 * out of the tree under the write lock and the walkers are gone, no
	 * callback holds it, even one whose end will never find it again.
	 */
	down_write(&ctx->rwsem);
	odp_umem_tree_remove(umem, &ctx->tree);
	WRITE_ONCE(ctx->count, ctx->count - 1);
	if (sops->remove_umem)
		sops->remove_umem(umem);
	up_write(&ctx->rwsem);
	/* a walk may still hold it for a sync point reached past the lock */
	odp_umem_wait_walkers(umem);

	odp_context_put_user(ctx);
}

/**
 * odp_umem_get() - register a range of the caller's memory for ODP
 * @ctx: the caller's context
 * @addr: user virtual address, need not be page aligned
 * @len: length in bytes, not 0
 * @access: ODP_ACCESS_READ and/or ODP_ACCESS_WRITE: what the device may do
 * @priv: for the driver, see odp_umem_priv()
 *
 * The umem covers the pages of [@addr, @addr + @len): [round_down(@addr),
 * round_up(@addr + @len)). Nothing is pinned or mapped; the first umem of
 * the context registers the context's MMU notifier. Takes mmap_lock: must
 * not be called with it held, nor from a driver hook.
 *
 * Return: the umem, or ERR_PTR(-EINVAL) for @len 0 or bad @access,
 * ERR_PTR(-EOVERFLOW) when the range wraps, ERR_PTR(-EPERM) when the
 * caller's thread group or mm is not the context's owner, ERR_PTR(-EFAULT)
 * when the mm is exiting, ERR_PTR(-ENOMEM), or the notifier's error. The
 * seed strategy, as the v1 patch, answers a notifier that could not be
 * registered with ERR_PTR(-EBUSY), and ERR_PTR(-EINTR) when the caller is
 * killed while it waits for the context's lock (strategy_seed_v1.c).
 */
struct odp_umem *odp_umem_get(struct odp_context *ctx, u64 addr, u64 len,
			      unsigned int access, void *priv)
{
	const struct odp_strategy_ops *sops = ctx->sops;
	struct odp_umem *umem;
	u64 last;
	int ret;

	if (!len || !access || (access & ~ODP_ACCESS_ALL))
		return ERR_PTR(-EINVAL);
	if (check_add_overflow(addr, len, &last) ||
	    round_up(last, PAGE_SIZE) < last)
		return ERR_PTR(-EOVERFLOW);
	if (!odp_caller_is_owner(ctx))
		return ERR_PTR(-EPERM);
	if (!mmget_not_zero(ctx->mm))
		return ERR_PTR(-EFAULT);

	umem = odp_umem_alloc(ctx, addr, len, access, priv);
	if (!umem) {
		ret = -ENOMEM;
		goto out_mmput;
	}

	ret = (sops->add ?: odp_umem_add)(umem);
	if (ret)
		goto out_free;
	mmput(ctx->mm);
	return umem;

out_free:
	odp_umem_free(umem);
out_mmput:
	mmput(ctx->mm);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(odp_umem_get);

/**
 * odp_umem_release() - unregister and free a umem
 * @umem: the umem, from odp_umem_get()
 *
 * Clears every entry (without calling the driver's invalidate_range hook:
 * the driver stops using the umem before releasing it), marks the umem
 * dying so that a racing fault fails, removes it from the context, waits
 * until no invalidation is still working on it, and frees it. The last
 * umem of a context unregisters the context's notifier. @umem is freed:
 * the pointer is dead when this returns. Takes mmap_lock (through the
 * notifier); may sleep.
 */
void odp_umem_release(struct odp_umem *umem)
{
	struct odp_context *ctx = umem->ctx;
	const struct odp_strategy_ops *sops = ctx->sops;

	mutex_lock(&umem->umem_mutex);
	umem->dying = true;
	odp_umem_unmap_locked(umem, umem->start, umem->end);
	mutex_unlock(&umem->umem_mutex);

	/* interval: returns once no invalidation of the umem is in flight */
	if (sops->umem_unregister)
		sops->umem_unregister(umem);

	(sops->remove ?: odp_umem_remove)(umem);
	odp_umem_free(umem);
}
EXPORT_SYMBOL_GPL(odp_umem_release);

/**
 * odp_umem_start() - first byte of the umem's first page
 * @umem: the umem
 *
 * Return: round_down(addr, PAGE_SIZE).
 */
u64 odp_umem_start(struct odp_umem *umem)
{
	return umem->start;
}
EXPORT_SYMBOL_GPL(odp_umem_start);

/**
 * odp_umem_end() - end (exclusive) of the umem's last page
 * @umem: the umem
 *
 * Return: round_up(addr + len, PAGE_SIZE).
 */
u64 odp_umem_end(struct odp_umem *umem)
{
	return umem->end;
}
EXPORT_SYMBOL_GPL(odp_umem_end);

/**
 * odp_umem_addr() - the address given at registration
 * @umem: the umem
 *
 * Return: @addr of odp_umem_get(), not rounded.
 */
u64 odp_umem_addr(struct odp_umem *umem)
{
	return umem->addr;
}
EXPORT_SYMBOL_GPL(odp_umem_addr);

/**
 * odp_umem_length() - the length given at registration
 * @umem: the umem
 *
 * Return: @len of odp_umem_get(), not rounded.
 */
u64 odp_umem_length(struct odp_umem *umem)
{
	return umem->len;
}
EXPORT_SYMBOL_GPL(odp_umem_length);

/**
 * odp_umem_access() - the access rights given at registration
 * @umem: the umem
 *
 * Return: ODP_ACCESS_* bits.
 */
unsigned int odp_umem_access(struct odp_umem *umem)
{
	return umem->access;
}
EXPORT_SYMBOL_GPL(odp_umem_access);

/**
 * odp_umem_priv() - the driver's pointer given at registration
 * @umem: the umem
 *
 * Return: @priv of odp_umem_get().
 */
void *odp_umem_priv(struct odp_umem *umem)
{
	return umem->priv;
}
EXPORT_SYMBOL_GPL(odp_umem_priv);

/**
 * odp_umem_context() - the context the umem belongs to
 * @umem: the umem
 *
 * Return: the context.
 */
struct odp_context *odp_umem_context(struct odp_umem *umem)
{
	return umem->ctx;
}
EXPORT_SYMBOL_GPL(odp_umem_context);

/**
 * odp_umem_dying() - is the umem's mm gone (or the umem being released)
 * @umem: the umem
 *
 * Return: true once the mm's release callback ran or odp_umem_release()
 * started: faults then fail with -EFAULT.
 */
bool odp_umem_dying(struct odp_umem *umem)
{
	bool dying;

	mutex_lock(&umem->umem_mutex);
	dying = umem->dying;
	mutex_unlock(&umem->umem_mutex);
	return dying;
}
EXPORT_SYMBOL_GPL(odp_umem_dying);

/**
 * odp_umem_lock() - take the umem's mutex
 * @umem: the umem
 *
 * The mutex the driver hooks run under; hold it around odp_umem_page().
 * Must not be held while calling any other odp_umem_* function.
 */
void odp_umem_lock(struct odp_umem *umem)
{
	mutex_lock(&umem->umem_mutex);
}
EXPORT_SYMBOL_GPL(odp_umem_lock);

/**
 * odp_umem_trylock() - odp_umem_lock(), unless another thread holds it
 * @umem: the umem
 *
 * Return: true if the mutex was taken.
 */
bool odp_umem_trylock(struct odp_umem *umem)
{
	return mutex_trylock(&umem->umem_mutex);
}
EXPORT_SYMBOL_GPL(odp_umem_trylock);

/**
 * odp_umem_unlock() - release the umem's mutex
 * @umem: the umem
 */
void odp_umem_unlock(struct odp_umem *umem)
{
	mutex_unlock(&umem->umem_mutex);
}
EXPORT_SYMBOL_GPL(odp_umem_unlock);

/**
 * odp_umem_page() - the page committed at an address
 * @umem: the umem, with its mutex held (odp_umem_lock() or in a hook)
 * @addr: a user address inside the umem
 * @access: if not NULL, set to the ODP_ACCESS_* bits the page was
 *	committed for (0 when there is no page)
 *
 * Return: the page, or NULL when none is committed or @addr is outside
 * the umem. The core holds no reference on it: it stays valid only until
 * the umem's mutex is dropped.
 */
struct page *odp_umem_page(struct odp_umem *umem, u64 addr,
			   unsigned int *access)
{
	unsigned long idx;

	lockdep_assert_held(&umem->umem_mutex);
	if (access)
		*access = 0;
	if (addr < umem->start || addr >= umem->end)
		return NULL;
	idx = (addr - umem->start) >> PAGE_SHIFT;
	if (access && umem->pages[idx])
		*access = umem->page_access[idx];
	return umem->pages[idx];
}
EXPORT_SYMBOL_GPL(odp_umem_page);
