// SPDX-License-Identifier: GPL-2.0
/*
 * Actors: kernel threads that share a scenario's mm and each perform one
 * operation, stopping at the sync point the script sends them to.
 *
 * The fake HCA's fault worker can be an actor too (ODPT_OP_FAULT_WORKER):
 * the scenario's user context then queues every device fault to it. The
 * engine creates no thread for it; whichever workqueue thread takes an
 * event ("hca: fault worker took event") becomes the actor and waits
 * there until the script sends it on, like an actor waiting for its
 * first go. The event is its operation: it finishes when the event is
 * resolved ("hca: fault worker resolved event"), and the script may send
 * it on again for the next event.
 */
#include <linux/debug_locks.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/tlb.h>

#include "syscall.h"
#include "actor.h"
/* unmap_page_range(): the OOM reaper's zap, which no header outside mm/ declares */
#include "mm/internal.h"

#define ODPT_FAULT_ATTEMPTS	16

/* Is @obj the sync-point object of one of the scenario's MRs? */
static bool odpt_mr_of_scenario(struct odpt_scenario *sc, const void *obj)
{
	int j;

	for (j = 0; j < ODPT_MAX_UMEMS; j++) {
		struct fake_hca_mr *mr = READ_ONCE(sc->mr[j]);

		if (mr && fake_hca_mr_sync_obj(mr) == obj)
			return true;
	}
	return false;
}

static struct odpt_actor *odpt_actor_of_current(struct odpt_scenario *sc,
						int point, const void *obj)
{
	int i;

	for (i = 0; i < sc->nactors; i++)
		if (sc->actors[i].task == current)
			return &sc->actors[i];
	/*
	 * The device's workqueue serves every scenario of the case: an
	 * event of an MR an earlier, fenced-off scenario left behind is not
	 * this scenario's worker.
	 */
	if (point != FAKE_HCA_SP_FAULT_HANDLING || !odpt_mr_of_scenario(sc, obj))
		return NULL;
	/* a workqueue thread takes a fault event: it is the worker now */
	for (i = 0; i < sc->nactors; i++) {
		if (sc->actors[i].spec->op == ODPT_OP_FAULT_WORKER) {
			WRITE_ONCE(sc->actors[i].task, current);
			return &sc->actors[i];
		}
	}
	return NULL;
}

static bool odpt_is_worker(const struct odpt_actor *a)
{
	return a->spec->op == ODPT_OP_FAULT_WORKER;
}

/**
 * odpt_op_invalidates() - does the operation invalidate the mapping?
 * @op: an actor's operation
 *
 * Return: true for the operations that run MMU-notifier invalidations of
 * the scenario's mapping or tear it down.
 */
bool odpt_op_invalidates(enum odpt_op op)
{
	switch (op) {
	case ODPT_OP_MUNMAP:
	case ODPT_OP_MADVISE:
	case ODPT_OP_MREMAP:
	case ODPT_OP_INVALIDATE:
	case ODPT_OP_MMPUT:
	case ODPT_OP_INV_THEN_LOCK:
	case ODPT_OP_LOCK_THEN_INV:
	case ODPT_OP_INV_NONBLOCK:
	case ODPT_OP_PUNCH_HOLE:
	case ODPT_OP_TRUNCATE:
	case ODPT_OP_MIGRATE:
		return true;
	default:
		return false;
	}
}

/*
 * The wake-up points: a thread of the core or of the fake HCA that had to
 * wait reaches one right after its wait returned. Without them, the actor
 * woken by another one's step runs on to its next point inside that step;
 * with them, it stops there at once, and the explorer can send the waker
 * on first. The level of odp_kunit.explore_wakeups each needs: 1 a
 * release's and a deregistration's; 2 (the default) the fault worker's
 * access's too, which adds 60% to the worker's set (E5). 0: not a
 * wake-up point.
 */
static int odpt_point_wakeup(int point)
{
	switch (point) {
	case ODP_SP_RELEASE_WOKEN:
	case FAKE_HCA_SP_DEREG_WOKEN:
		return 1;
	case FAKE_HCA_SP_FAULT_WOKEN:
		return 2;
	default:
		return 0;
	}
}

/*
 * The points the explorer does not stop at, because each one's window is
 * already another point's: nothing an actor can do at END_ENTER (after
 * the zap, before the end's walk) differs from what it can do at the
 * per-umem END_BEFORE that follows, or, for a registration, at
 * START_RETURN; RELEASE_ENTER is reached by the mm's teardown, after
 * which every registration and fault fails the same way, or by seed's
 * unregister, whose window RELEASE_BEFORE_UNREGISTER opens. Scripts can
 * still stop there.
 */
static bool odpt_point_explored(const struct odpt_scenario *sc, int point)
{
	if (odpt_point_wakeup(point))
		return sc->wakeups >= odpt_point_wakeup(point);
	return point != ODP_SP_INV_END_ENTER && point != ODP_SP_RELEASE_ENTER;
}

/*
 * Called in the thread that reached a point; stops it if it was sent
 * there, or at every explored point in explore mode.
 *
 * Actors run SCHED_FIFO at one priority and the thread that drives them
 * (KUnit's) does not: on one CPU without preemption, the actor sent on
 * runs alone until it sleeps, and an actor it woke runs only after that,
 * to its own next point. So a blocked actor that another one's step wakes
 * never runs inside that step, and the same steps give the same trace.
 * The fault worker's workqueue thread gets the same priority while it
 * holds an event.
 */
static void odpt_actor_reached(struct odpt_scenario *sc, int point, const void *obj)
{
	struct odpt_actor *a = odpt_actor_of_current(sc, point, obj);

	if (!a)
		return;
	/*
	 * On SMP the worker takes an event on its own CPU, maybe before the
	 * access that queued it reported it: the report comes first, so that
	 * a trace has one order. Bounded, should a thread that is no actor
	 * have queued the event.
	 */
	if (odpt_is_worker(a) && point == FAKE_HCA_SP_FAULT_HANDLING)
		wait_event_timeout(sc->settle_wq, atomic_read(&sc->ev_queued) >
				   atomic_read(&sc->ev_taken), ODPT_WAIT_BOUND);
	WRITE_ONCE(a->last_point, point);
	odpt_trace_add(sc, a - sc->actors, point, 0);
	if (odpt_op_invalidates(READ_ONCE(a->cur)->op))
		atomic_inc(&sc->inv_gen);
	if (point == FAKE_HCA_SP_FAULT_QUEUED) {
		atomic_inc(&sc->ev_queued);
		wake_up(&sc->settle_wq);
	}
	if (odpt_is_worker(a) && point == FAKE_HCA_SP_FAULT_HANDLING) {
		if (num_online_cpus() > 1 && raw_smp_processor_id() == odpt_actor_cpu())
			WRITE_ONCE(sc->worker_cpu_shared, true);
		sched_set_fifo_low(current);
		WRITE_ONCE(a->wstate, ODPT_WS_BUSY);
		/*
		 * Busy before the event leaves the queue: a settle that sees
		 * it taken must not find the worker idle; pairs with the
		 * smp_rmb() in odpt_actor_state().
		 */
		smp_mb__before_atomic();
		atomic_inc(&sc->ev_taken);
		wake_up(&sc->settle_wq);
		/* the fault worker takes an event only when the script says so */
		if (!sc->explore)
			wait_for_completion(&a->go);
	}
	if ((sc->explore && odpt_point_explored(sc, point)) ||
	    (a->stop_point == point && ++a->seen >= a->stop_nth)) {
		a->stop_point = -1;
		a->parked_at = point;
		WRITE_ONCE(a->at_stop, true);
		complete(&a->stopped);
		wait_for_completion(&a->go);
		WRITE_ONCE(a->at_stop, false);
	}
	if (odpt_is_worker(a) && point == FAKE_HCA_SP_FAULT_HANDLED) {
		sched_set_normal(current, 0);
		/*
		 * Not idle yet: the access it serves sleeps until the worker's
		 * complete(), after this returns. On SMP a settle on another
		 * CPU would find the access blocked in between.
		 */
		WRITE_ONCE(a->wstate, ODPT_WS_LEAVING);
		WRITE_ONCE(a->finished, true);
		complete_all(&a->done);
	}
}

static void odpt_sync_reached(struct odp_sync_handler *h,
			      unsigned int sp, const void *obj,
			      u64 start, u64 end)
{
	struct odpt_scenario *sc = READ_ONCE(h->data);

	if (sc)
		odpt_actor_reached(sc, sp, obj);
}

/**
 * odpt_sync_session_begin() - install the engine's sync-point handler
 * @h: the handler, kept installed for a whole case: installing flips a
 *	static key and removing waits for an SRCU grace period, both too
 *	slow to do for each of a case's executions
 *
 * Return: 0, or -EBUSY if another handler is installed.
 */
int odpt_sync_session_begin(struct odp_sync_handler *h)
{
	h->reached = odpt_sync_reached;
	h->data = NULL;
	return odp_sync_install(h);
}

/**
 * odpt_sync_session_end() - remove the handler
 * @h: the handler of odpt_sync_session_begin()
 */
void odpt_sync_session_end(struct odp_sync_handler *h)
{
	odp_sync_uninstall(h);
}

static unsigned long odpt_addr(struct odpt_scenario *sc, int page)
{
	return sc->base + (unsigned long)page * PAGE_SIZE;
}


/*
 * What a reverse-map walk holds while it invalidates (migration, reclaim's
 * try_to_unmap(), truncation): not mmap_lock, but the reverse map's lock,
 * for reading. An anonymous mapping's is its anon_vma's lock (made here
 * if no fault made it yet, as a fault would); a file mapping's (.shmem
 * scripts) is the file's i_mmap_rwsem. mm_take_all_locks(), which the
 * first registration of a notifier in an mm runs (6.12 mm/mmu_notifier.c,
 * __mmu_notifier_register()), takes both for writing, and so does a split
 * of a file VMA (__split_vma() through vma_prepare(): i_mmap_lock_write()):
 * as with every real invalidation, neither overlaps this one, while
 * faults, madvise and later registrations go on beside it.
 */
struct odpt_rmap {
	struct anon_vma *anon_vma;
	struct file *file;
};

static struct odpt_rmap odpt_rmap_lock(struct mm_struct *mm, unsigned long addr)
{
	struct odpt_rmap r = {};
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma && vma->vm_file) {
		r.file = get_file(vma->vm_file);
	} else if (vma && vma_is_anonymous(vma) && !anon_vma_prepare(vma)) {
		r.anon_vma = vma->anon_vma;
		get_anon_vma(r.anon_vma);
	}
	mmap_read_unlock(mm);
	if (r.anon_vma)
		anon_vma_lock_read(r.anon_vma);
	if (r.file)
		i_mmap_lock_read(r.file->f_mapping);
	return r;
}

static void odpt_rmap_unlock(struct odpt_rmap r)
{
	if (r.anon_vma) {
		anon_vma_unlock_read(r.anon_vma);
		put_anon_vma(r.anon_vma);
	}
	if (r.file) {
		i_mmap_unlock_read(r.file->f_mapping);
		fput(r.file);
	}
}

static long odpt_invalidate(struct odpt_scenario *sc, unsigned long start,
			    unsigned long end)
{
	struct odpt_rmap rmap = odpt_rmap_lock(sc->mm, start);
	struct mmu_notifier_range range;

	/*
	 * Without mmap_lock, like an invalidation from the reverse-map side
	 * (truncation, migration): it overlaps faults, madvise and munmap,
	 * but not the registration of a first notifier (odpt_rmap_lock()).
	 */
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, sc->mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	odpt_actor_reached(sc, ODPT_SP_BETWEEN, NULL);
	mmu_notifier_invalidate_range_end(&range);
	odpt_rmap_unlock(rmap);
	return 0;
}

/* The reaper's zap of [@start, @end): the anonymous and private pages only. */
static void odpt_reap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	VMA_ITERATOR(vmi, mm, start);
	struct vm_area_struct *vma;
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	for_each_vma_range(vmi, vma, end) {
		if (vma->vm_flags & (VM_HUGETLB | VM_PFNMAP))
			continue;
		if (vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED))
			unmap_page_range(&tlb, vma, max(start, vma->vm_start),
					 min(end, vma->vm_end), NULL);
	}
	tlb_finish_mmu(&tlb);
}

/*
 * The OOM reaper's invalidation (__oom_reap_task_mm() in 6.12): under the
 * mmap read lock, a non-blockable start; when a notifier refuses it the
 * kernel has already called every end and the reaper leaves the range
 * alone, else it zaps the pages and ends. This one stops between the
 * start and the zap, and returns the start's answer: 0, or -EAGAIN when
 * it was refused. It does not mark the mm unstable (MMF_UNSTABLE): the
 * scenario's process lives on.
 */
static long odpt_invalidate_nonblock(struct odpt_scenario *sc, unsigned long start,
				     unsigned long end)
{
	struct mmu_notifier_range range;
	int ret;

	mmap_read_lock(sc->mm);
	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, sc->mm, start, end);
	ret = mmu_notifier_invalidate_range_start_nonblock(&range);
	odpt_actor_reached(sc, ODPT_SP_BETWEEN, NULL);
	if (!ret) {
		odpt_reap(sc->mm, start, end);
		mmu_notifier_invalidate_range_end(&range);
	}
	mmap_read_unlock(sc->mm);
	return ret;
}

/*
 * The file side of a shmem script: a hole punched in the file, or the
 * file cut short, as fallocate(2) and ftruncate(2) do on a memfd. Both
 * take the inode's lock, unmap the range from every process through the
 * file's reverse map (i_mmap, not mmap_lock: the invalidation the thread
 * says registration cannot exclude) and drop the pages from the page
 * cache. They stop in the notifier's callbacks, at the sync points.
 */
static long odpt_file_op(struct odpt_scenario *sc, const struct odpt_actor_spec *s)
{
	loff_t off = odpt_spec_start(s);

	if (!sc->file)
		return -EINVAL;
	if (s->op == ODPT_OP_TRUNCATE)
		return vfs_truncate(&sc->file->f_path, off);
	return vfs_fallocate(sc->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off,
			     odpt_spec_len(s));
}

/*
 * The data check: what the device reads (or wrote) through its table must
 * be what the CPU reads at the same address. Returns the access's status
 * (FAKE_HCA_WC_*), or -EIO when device and CPU disagree.
 */
static long odpt_dev_access(struct odpt_scenario *sc, struct fake_hca_mr *mr,
			    unsigned long addr, unsigned long len, bool write)
{
	int gen = atomic_read(&sc->inv_gen);
	u8 *dev_buf, *cpu_buf;
	long ret;

	dev_buf = kmalloc(len, GFP_KERNEL);
	cpu_buf = kmalloc(len, GFP_KERNEL);
	if (!dev_buf || !cpu_buf) {
		ret = -ENOMEM;
		goto out;
	}
	if (write) {
		memset(dev_buf, 0xd5, len);
		ret = fake_hca_write(sc->dev, fake_hca_mr_lkey(mr), addr, dev_buf, len);
	} else {
		ret = fake_hca_read(sc->dev, fake_hca_mr_lkey(mr), addr, dev_buf, len);
	}
	if (ret != FAKE_HCA_WC_SUCCESS)
		goto out;
	/*
	 * An access that an invalidation overlapped may have read some
	 * pages before the invalidation and some after: in explore mode,
	 * where any interleaving happens, only an access that nothing
	 * invalidated during is held to the CPU's data. The oracle checks
	 * the table itself after every step.
	 */
	/*
	 * The CPU's side as the page table has it, not as a TLB entry the
	 * zap left: zap_page_range_single() (madvise) flushes the TLB in
	 * tlb_finish_mmu(), after the notifiers' end (6.12 mm/memory.c). On
	 * x86_64 an access made while an invalidation is stopped in its end
	 * callback read the old page on the CPU and the new one on the device.
	 * UML's uaccess walks the page table itself (arch/um/kernel/skas/
	 * uaccess.c), and its flush_tlb_mm() walks the VMAs, under mmap_lock.
	 */
	if (!IS_ENABLED(CONFIG_UML))
		flush_tlb_mm(sc->mm);
	if (copy_from_user(cpu_buf, (void __user *)addr, len))
		ret = -EFAULT;
	else if (memcmp(dev_buf, cpu_buf, len) &&
		 (!sc->explore || atomic_read(&sc->inv_gen) == gen))
		ret = -EIO;
out:
	kfree(dev_buf);
	kfree(cpu_buf);
	return ret;
}

/* Shachar's two code paths around one lock: start-then-lock, lock-then-start. */
static long odpt_lock_and_invalidate(struct odpt_scenario *sc, unsigned long start,
				     unsigned long end, bool lock_first)
{
	struct odpt_rmap rmap = odpt_rmap_lock(sc->mm, start);
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, sc->mm, start, end);
	if (lock_first) {
		down(&sc->lock);
		odpt_actor_reached(sc, ODPT_SP_LOCKED, NULL);
	}
	mmu_notifier_invalidate_range_start(&range);
	if (!lock_first) {
		odpt_actor_reached(sc, ODPT_SP_BETWEEN, NULL);
		down(&sc->lock);
		odpt_actor_reached(sc, ODPT_SP_LOCKED, NULL);
	}
	up(&sc->lock);
	mmu_notifier_invalidate_range_end(&range);
	odpt_rmap_unlock(rmap);
	return 0;
}

static long odpt_actor_op(struct odpt_actor *a, const struct odpt_actor_spec *s)
{
	struct odpt_scenario *sc = a->sc;
	unsigned long addr = sc->base + odpt_spec_start(s);
	unsigned long len = odpt_spec_len(s);
	struct fake_hca_mr *mr;
	long ret = 0;
	int i;

	/* an explored order may reach an MR slot before or after its MR lives */
	switch (s->op) {
	case ODPT_OP_REGISTER:
		if (sc->mr[s->slot])
			return -EBUSY;
		break;
	case ODPT_OP_DEREGISTER:
	case ODPT_OP_PREFETCH:
	case ODPT_OP_DEV_READ:
	case ODPT_OP_DEV_WRITE:
	case ODPT_OP_FAULT:
	case ODPT_OP_FAULT_RETRY:
	case ODPT_OP_HOLD_UMEM:
		if (!sc->mr[s->slot])
			return -ENOENT;
		break;
	case ODPT_OP_GATE:
		if (s->arg == ODPT_GATE_UMEM && !sc->mr[s->slot])
			return -ENOENT;
		break;
	default:
		break;
	}

	switch (s->op) {
	case ODPT_OP_REGISTER:
		mr = fake_hca_reg_mr(sc->uctx, addr, len, s->access);
		if (IS_ERR(mr))
			return PTR_ERR(mr);
		sc->mr[s->slot] = mr;
		return 0;
	case ODPT_OP_DEREGISTER:
		mr = sc->mr[s->slot];
		sc->mr[s->slot] = NULL;
		fake_hca_dereg_mr(mr);
		return 0;
	case ODPT_OP_PREFETCH:
		return fake_hca_prefetch(sc->dev, fake_hca_mr_lkey(sc->mr[s->slot]),
					 addr, len, s->access);
	case ODPT_OP_DEV_READ:
	case ODPT_OP_DEV_WRITE:
		return odpt_dev_access(sc, sc->mr[s->slot], addr, len,
				       s->op == ODPT_OP_DEV_WRITE);
	case ODPT_OP_FAULT:
		return fake_hca_mr_fault_once(sc->mr[s->slot], addr, len, s->access);
	case ODPT_OP_FAULT_RETRY:
		for (i = 0; i < ODPT_FAULT_ATTEMPTS; i++) {
			ret = fake_hca_mr_fault_once(sc->mr[s->slot], addr, len,
						     s->access);
			if (ret != -EAGAIN)
				break;
		}
		return ret;
	case ODPT_OP_MUNMAP:
		return odpt_sys_munmap(addr, len);
	case ODPT_OP_MADVISE:
		return do_madvise(sc->mm, addr, len, MADV_DONTNEED);
	case ODPT_OP_MREMAP:
		ret = odpt_sys_mremap(addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
				      odpt_addr(sc, s->arg));
		return IS_ERR_VALUE(ret) ? ret : 0;
	case ODPT_OP_INVALIDATE:
		return odpt_invalidate(sc, addr, addr + len);
	case ODPT_OP_MMPUT:
		mmput(sc->mm);
		return 0;
	case ODPT_OP_INV_THEN_LOCK:
	case ODPT_OP_LOCK_THEN_INV:
		return odpt_lock_and_invalidate(sc, addr, addr + len,
						s->op == ODPT_OP_LOCK_THEN_INV);
	case ODPT_OP_INV_NONBLOCK:
		return odpt_invalidate_nonblock(sc, addr, addr + len);
	case ODPT_OP_HOLD_UMEM:
		return odpt_gate_hold(sc, s, ODPT_GATE_UMEM);
	case ODPT_OP_GATE:
		return odpt_gate_hold(sc, s, s->arg);
	case ODPT_OP_PUNCH_HOLE:
	case ODPT_OP_TRUNCATE:
		return odpt_file_op(sc, s);
	case ODPT_OP_MIGRATE:
		return odpt_migrate(sc, addr, len);
	case ODPT_OP_NONE:
	case ODPT_OP_FAULT_WORKER:	/* no thread: see the top of the file */
		break;
	}
	return -EINVAL;
}

/*
 * An actor's job, on a thread of the case's crew (crew.c): real-time, on
 * the actors' CPU, SIGKILL let in (a script's way out of a deadlock: a
 * killable wait gives up, ODPT_KILL_ON).
 */
static void odpt_actor_fn(void *data)
{
	struct odpt_actor *a = data;
	struct odpt_scenario *sc = a->sc;
	const struct odpt_actor_spec *s;
	int idx = a - sc->actors;

	wait_for_completion(&a->go);
	if (READ_ONCE(a->cancelled)) {
		WRITE_ONCE(a->finished, true);
		complete_all(&a->done);
		return;
	}
	kthread_use_mm(sc->mm);
	for (s = a->spec; s && a->nresults < ODPT_MAX_SEQ; s = s->then) {
		WRITE_ONCE(a->cur, s);
		odpt_trace_add(sc, idx, -1, 0);
		a->result = odpt_actor_op(a, s);
		a->results[a->nresults++] = a->result;
		/* killed: the operation is over, the next one starts afresh */
		if (signal_pending(current))
			flush_signals(current);
		odpt_trace_add(sc, idx, -2, a->result);
	}
	kthread_unuse_mm(sc->mm);
	WRITE_ONCE(a->finished, true);
	complete_all(&a->done);
	wait_for_completion(&a->reap);
}

/**
 * odpt_actor_send_on() - send a stopped or new actor on, as the explorer does
 * @sc: the scenario, in explore mode
 * @i: the actor's index
 *
 * The actor runs to its next point (in explore mode every explored point
 * stops it), until it blocks, or to its end; odpt_settle() says which.
 */
void odpt_actor_send_on(struct odpt_scenario *sc, int i)
{
	struct odpt_actor *a = &sc->actors[i];

	a->started = true;
	WRITE_ONCE(a->at_stop, false);
	complete(&a->go);
}

/**
 * odpt_actor_parked_at() - where a stopped actor waits
 * @sc: the scenario
 * @i: the actor's index
 *
 * Return: the sync point it last stopped at; meaningful while odpt_settle()
 * calls it ODPT_AS_PARKED.
 */
int odpt_actor_parked_at(const struct odpt_scenario *sc, int i)
{
	return sc->actors[i].parked_at;
}

/**
 * odpt_actor_result() - what an actor's last operation returned
 * @sc: the scenario
 * @i: the actor's index
 *
 * Return: the result; meaningful once the actor finished.
 */
long odpt_actor_result(const struct odpt_scenario *sc, int i)
{
	return sc->actors[i].result;
}

/**
 * odpt_actor_nresults() - how many operations of its sequence an actor finished
 * @sc: the scenario
 * @i: the actor's index
 *
 * Return: 0 to ODPT_MAX_SEQ.
 */
int odpt_actor_nresults(const struct odpt_scenario *sc, int i)
{
	return sc->actors[i].nresults;
}

/**
 * odpt_actor_result_nth() - what one operation of an actor's sequence returned
 * @sc: the scenario
 * @i: the actor's index
 * @k: the operation, 0 to odpt_actor_nresults() - 1
 *
 * Return: its result.
 */
long odpt_actor_result_nth(const struct odpt_scenario *sc, int i, int k)
{
	return sc->actors[i].results[k];
}

/**
 * odpt_actor_show_blocked() - print where a blocked actor is, and its stack
 * @sc: the scenario
 * @i: the actor's index
 */
void odpt_actor_show_blocked(const struct odpt_scenario *sc, int i)
{
	const struct odpt_actor *a = &sc->actors[i];

	kunit_info(sc->test, "%s: blocked after \"%s\"\n", a->spec->name,
		   a->last_point < 0 ? "its start" : odpt_point_name(a->last_point));
	if (a->task)
		sched_show_task(a->task);
}

/**
 * odpt_actor_kill() - SIGKILL to an actor's thread
 * @sc: the scenario
 * @i: the actor's index
 *
 * The actor lets SIGKILL in (odpt_actor_fn()): a killable wait gives up,
 * the way out of a deadlock. Nothing happens to an actor with no thread.
 */
void odpt_actor_kill(const struct odpt_scenario *sc, int i)
{
	const struct odpt_actor *a = &sc->actors[i];

	if (a->task)
		send_sig(SIGKILL, a->task, 1);
}

/**
 * odpt_inflight_covers() - does an invalidation in flight cover an address?
 * @sc: the scenario
 * @addr: an address of the scenario's mapping
 *
 * An invalidation may have started and not ended while an invalidating
 * actor that was sent on has not finished (stopped or blocked anywhere on
 * its way). An mmput covers the whole mapping; an mremap its source and
 * its destination; a truncation everything from its start on.
 *
 * Return: true if one covers @addr.
 */
bool odpt_inflight_covers(const struct odpt_scenario *sc, unsigned long addr)
{
	int i;

	for (i = 0; i < sc->nactors; i++) {
		const struct odpt_actor *a = &sc->actors[i];
		const struct odpt_actor_spec *s = READ_ONCE(a->cur);
		unsigned long len = odpt_spec_len(s);
		unsigned long start = sc->base + odpt_spec_start(s);
		unsigned long dst = sc->base + (unsigned long)s->arg * PAGE_SIZE;

		if (!odpt_op_invalidates(s->op))
			continue;
		if (!a->at_stop && (!a->started || READ_ONCE(a->finished)))
			continue;
		if (s->op == ODPT_OP_MMPUT)
			return true;
		/* a truncation drops everything from its start on */
		if (s->op == ODPT_OP_TRUNCATE && addr >= start)
			return true;
		if (addr >= start && addr < start + len)
			return true;
		if (s->op == ODPT_OP_MREMAP && addr >= dst && addr < dst + len)
			return true;
	}
	return false;
}

/**
 * odpt_inflight_in_callback() - does an actor stand inside a notifier callback?
 * @sc: the scenario
 *
 * Once the mm has no users, such an actor is inside its teardown
 * (exit_mmap), which clears every entry.
 *
 * Return: true if an actor is stopped at a point inside a callback.
 */
bool odpt_inflight_in_callback(const struct odpt_scenario *sc)
{
	int i;

	for (i = 0; i < sc->nactors; i++) {
		const struct odpt_actor *a = &sc->actors[i];

		if (READ_ONCE(a->at_stop) && odpt_point_in_callback(a->parked_at))
			return true;
	}
	return false;
}

/**
 * odpt_actors_idle() - does no actor stand anywhere it may hold a lock?
 * @sc: the scenario
 *
 * Return: true if every actor that started has finished and none is
 * stopped at a point.
 */
bool odpt_actors_idle(const struct odpt_scenario *sc)
{
	int i;

	for (i = 0; i < sc->nactors; i++) {
		const struct odpt_actor *a = &sc->actors[i];

		if (READ_ONCE(a->at_stop))
			return false;
		if (a->task && a->started && !READ_ONCE(a->finished))
			return false;
	}
	return true;
}

/**
 * odpt_actor_wait() - wait, bounded, for an actor's completion
 * @a: the actor
 * @c: &a->stopped or &a->done
 *
 * Return: true if @c completed in time.
 */
bool odpt_actor_wait(struct odpt_actor *a, struct completion *c)
{
	return wait_for_completion_timeout(c, ODPT_WAIT_BOUND) != 0;
}

/**
 * odpt_actor_cpu() - the CPU every actor of a scenario runs on
 *
 * On an SMP kernel the actors, and the thread that drives them, share one
 * CPU, so that they are ordered as on UML's one CPU: the actor sent on
 * runs alone until it stops or sleeps, and an actor it wakes runs only
 * after that. The device's fault worker runs on the other CPUs
 * (odpt_worker_cpus_set()), as a device's interrupt handler steered there
 * would, while the script keeps it waiting at its points.
 *
 * Return: the first online CPU.
 */
unsigned int odpt_actor_cpu(void)
{
	return cpumask_first(cpu_online_mask);
}

/**
 * odpt_worker_cpus_set() - have a device's faults handled beside the actors
 * @dev: the case's device
 *
 * On SMP the fault worker runs on every CPU but odpt_actor_cpu(): at the
 * same instant as the actors, never in their place. A scenario whose
 * worker took an event on the actors' CPU fails (odpt_scenario_teardown()).
 * One CPU keeps the worker where it is.
 *
 * Return: 0 or the device's error.
 */
int odpt_worker_cpus_set(struct fake_hca_dev *dev)
{
	cpumask_var_t others;
	int ret;

	if (num_online_cpus() < 2)
		return 0;
	if (!zalloc_cpumask_var(&others, GFP_KERNEL))
		return -ENOMEM;
	cpumask_andnot(others, cpu_online_mask, cpumask_of(odpt_actor_cpu()));
	ret = fake_hca_dev_set_fault_cpus(dev, others);
	free_cpumask_var(others);
	return ret;
}

/**
 * odpt_actors_start() - give each actor a thread of the case's crew; point the handler at them
 * @sc: the scenario, with its actors' specs and handler filled in
 *
 * The threads wait for their first "go" before touching anything.
 *
 * Return: 0 or a negative errno.
 */
int odpt_actors_start(struct odpt_scenario *sc)
{
	char name[TASK_COMM_LEN];
	int i, ret;

	for (i = 0; i < sc->nactors; i++) {
		struct odpt_actor *a = &sc->actors[i];

		a->sc = sc;
		a->cur = a->spec;
		a->stop_point = -1;
		a->last_point = -1;
		init_completion(&a->go);
		init_completion(&a->stopped);
		init_completion(&a->done);
		init_completion(&a->reap);
		if (odpt_is_worker(a)) {
			a->wstate = ODPT_WS_IDLE;
			continue;
		}
		snprintf(name, sizeof(name), "odpt-%s", a->spec->name);
		a->thread = odpt_crew_lend(sc->crew, odpt_actor_fn, a, name);
		if (IS_ERR(a->thread)) {
			ret = PTR_ERR(a->thread);
			a->thread = NULL;
			return ret;
		}
		a->task = a->thread->task;
	}
	WRITE_ONCE(sc->handler->data, sc);
	return 0;
}

/**
 * odpt_actors_show_unfinished() - name every actor still out, with its stack
 * @sc: the scenario
 * @then_kill: send each SIGKILL too
 *
 * Prints the locks every thread holds first (lockdep's list: who holds
 * what the actors wait for), then each actor that has not finished, with
 * the last point it reached and its stack.
 */
void odpt_actors_show_unfinished(struct odpt_scenario *sc, bool then_kill)
{
	int i;

	debug_show_all_locks();
	for (i = 0; i < sc->nactors; i++) {
		struct odpt_actor *a = &sc->actors[i];

		if (!a->task || odpt_is_worker(a) || READ_ONCE(a->finished))
			continue;
		kunit_err(sc->test, "%s: actor %s is still out (last point: %s)%s\n",
			  sc->script->name, a->spec->name,
			  a->last_point < 0 ? "none" : odpt_point_name(a->last_point),
			  then_kill ? ": SIGKILL" : "");
		sched_show_task(a->task);
		if (then_kill)
			send_sig(SIGKILL, a->task, 1);
	}
}

/**
 * odpt_actors_stop() - let every actor finish, then detach the handler
 * @sc: the scenario
 *
 * An actor still stopped is released. One that does not finish within
 * the bound fails the case, named with its stack, and every actor still
 * out is sent SIGKILL: one blocked in a killable wait (a deadlock's usual
 * way out) gives up, the others it held go on, and all are reaped.
 * One that does not finish even then is left behind (sc->hung), together
 * with everything it may touch, and fenced off: the handler's data no
 * longer names the scenario, so it stops at no point again, and the
 * handler can be removed (odpt_case_end()).
 */
void odpt_actors_stop(struct odpt_scenario *sc)
{
	bool killed = false;
	int i;

	/* from here on, actors stop nowhere */
	WRITE_ONCE(sc->explore, false);
	for (i = 0; i < sc->nactors; i++) {
		struct odpt_actor *a = &sc->actors[i];

		a->stop_point = -1;
		if (!a->task && !odpt_is_worker(a))
			continue;
		if (!a->started)
			WRITE_ONCE(a->cancelled, true);
		complete_all(&a->go);
	}
	/* the worker is waited for through the actors whose access it serves */
	for (i = 0; i < sc->nactors; i++) {
		struct odpt_actor *a = &sc->actors[i];

		if (!a->task || odpt_is_worker(a))
			continue;
		if (!odpt_actor_wait(a, &a->done)) {
			KUNIT_FAIL(sc->test, "%s: actor %s does not finish; last point: %s",
				   sc->script->name, a->spec->name,
				   a->last_point < 0 ? "none" :
				   odpt_point_name(a->last_point));
			sc->failed = true;
			/* every one still out: the one it waits for may be another */
			if (!killed)
				odpt_actors_show_unfinished(sc, true);
			killed = true;
			if (!odpt_actor_wait(a, &a->done)) {
				kunit_err(sc->test, "%s: actor %s is stuck even after SIGKILL: left behind, fenced off\n",
					  sc->script->name, a->spec->name);
				sc->hung = true;
				continue;
			}
			kunit_err(sc->test, "%s: actor %s finished once the actors still out were killed\n",
				  sc->script->name, a->spec->name);
		}
		complete(&a->reap);
		/*
		 * Returns once the actor's job has returned: woken, it
		 * still takes a->reap's lock on its way out of
		 * wait_for_completion(), and the scenario (with a) is freed
		 * after this.
		 */
		odpt_crew_give_back(sc->crew, a->thread);
		a->thread = NULL;
		a->task = NULL;
	}
	WRITE_ONCE(sc->handler->data, NULL);
}
