/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interleaving engine: actors, scripts and the stale-entry oracle.
 *
 * A scenario has an mm (its "process": one per case, emptied between
 * executions, or a new one when the script ends it), a fresh mapping in
 * it, a fake HCA with a user context in it (an ODP context of the strategy under test underneath),
 * a few MR slots and up to ODPT_MAX_ACTORS actors. An actor is a kernel thread
 * that uses the scenario's mm and performs one operation (register,
 * fault, munmap, madvise, a synthetic invalidation, the last mmput, ...).
 * A script is a table of steps that reads like the thread's
 * "Thread 1 | Thread 2" tables:
 *
 *	ODPT_UNTIL(T1, ODP_SP_INV_START_DONE),	T1 runs until the point
 *	ODPT_RUN(T2),				T2 runs to completion
 *	ODPT_RUN(T1),				T1 resumes to completion
 *	ODPT_EXPECT_STALE(1),			the oracle finds one stale entry
 *
 * Every wait of the engine is bounded: an actor that neither reaches its
 * point nor finishes in time fails the case, naming the actor, the point
 * it was sent to and the last point it passed, and its stack is printed.
 */
#ifndef _ODPT_RACE_H
#define _ODPT_RACE_H

#include <linux/completion.h>
#include <linux/mm_types.h>
#include <linux/mmu_notifier.h>
#include <linux/semaphore.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <kunit/test.h>

#include <fake_hca/fake_hca.h>
#include <odp/odp.h>
#include <odp/sync_point.h>

#include "crew.h"
#include "task.h"

#define ODPT_MAX_ACTORS		12
#define ODPT_MAX_UMEMS		8
#define ODPT_MAX_TRACE		256
#define ODPT_MAX_PAGES		64

/*
 * Engine-level stop points, numbered after the core's and the fake HCA's:
 * ODPT_SP_BETWEEN between the start and the end of ODPT_OP_INVALIDATE,
 * ODPT_OP_INV_NONBLOCK and Shachar's two code paths; ODPT_SP_LOCKED once
 * ODPT_OP_HOLD_UMEM or a code path took its lock.
 */
#define ODPT_SP_BETWEEN		FAKE_HCA_SP_END
#define ODPT_SP_LOCKED		(FAKE_HCA_SP_END + 1)
#define ODPT_NR_POINTS		(FAKE_HCA_SP_END + 2)

/**
 * enum odpt_op - what an actor does
 * @ODPT_OP_NONE: ends an actor table
 * @ODPT_OP_REGISTER: registers an ODP MR in slot @slot over the range
 * @ODPT_OP_DEREGISTER: deregisters the MR of slot @slot
 * @ODPT_OP_FAULT: one fault attempt on the MR (fake_hca_mr_fault_once()): on
 *	the core, sample, look up,
 *	commit; its result is the pages mapped or the core's error (-EAGAIN)
 * @ODPT_OP_FAULT_RETRY: fault attempts until one is not -EAGAIN, at most 16
 * @ODPT_OP_MUNMAP: munmap(2) of the range, as a process calls it: the zap
 *	under the read lock, after the VMA was detached
 * @ODPT_OP_MADVISE: madvise(MADV_DONTNEED) of the range
 * @ODPT_OP_MREMAP: mremap(2) of the range to page @arg
 * @ODPT_OP_INVALIDATE: a synthetic invalidation of the range: no mmap_lock
 *	but, as a reverse-map walk does, the anon_vma's lock, which
 *	mmu_notifier_register() takes too (so no first registration of a
 *	notifier overlaps it, as none overlaps a real invalidation); stops
 *	between start and end at ODPT_SP_BETWEEN
 * @ODPT_OP_MMPUT: drops the scenario's mm_users reference on the mm; a
 *	script with one gets a new mm for every execution
 * @ODPT_OP_DEV_READ: the DMA engine reads the MR's range, then compares it
 *	with what the CPU sees: -EIO if they differ
 * @ODPT_OP_DEV_WRITE: the DMA engine writes the MR's range, then compares
 *	it with what the CPU sees: -EIO if they differ
 * @ODPT_OP_PREFETCH: fake_hca_prefetch() of the MR's range for @access
 * @ODPT_OP_INV_THEN_LOCK: Shachar's code 1: notify_start(), lock(),
 *	unlock(), notify_end() (S8)
 * @ODPT_OP_LOCK_THEN_INV: Shachar's code 2: lock(), notify_start(),
 *	notify_end(), unlock() (S8)
 * @ODPT_OP_FAULT_WORKER: the device's fault worker: the user context then
 *	queues every device fault to it; no thread of its own, the workqueue
 *	thread that takes an event becomes the actor and waits at
 *	FAKE_HCA_SP_FAULT_HANDLING until sent on; it finishes at
 *	FAKE_HCA_SP_FAULT_HANDLED and can be sent on again for the next event
 * @ODPT_OP_INV_NONBLOCK: the OOM reaper's invalidation: under the mmap read
 *	lock, a non-blockable start, a stop at ODPT_SP_BETWEEN, the reaper's
 *	zap and the end; -EAGAIN when a notifier refused the range, and then
 *	it neither zaps nor ends
 * @ODPT_OP_HOLD_UMEM: holds umem[@slot]'s mutex, as the device's DMA does,
 *	stopped at ODPT_SP_LOCKED
 * @ODPT_OP_PUNCH_HOLE: shmem scripts: fallocate(PUNCH_HOLE) over the range,
 *	through the file's reverse map without mmap_lock
 * @ODPT_OP_TRUNCATE: shmem scripts: the file cut short at the range's start
 * @ODPT_OP_MIGRATE: moves the range's pages to new pages with
 *	migrate_pages(), as compaction does (the reverse map's lock and the
 *	page's lock, no mmap_lock); trades the scenario's references on the
 *	old pages for the new ones (migrate.c)
 * @ODPT_OP_GATE: a gate: takes the lock @arg names (enum odpt_gate), stops
 *	at ODPT_SP_LOCKED holding it, and releases it when sent on; a
 *	window that has no sync point inside is reached by holding its lock
 *	while the path under test runs (gate.c)
 */
enum odpt_op {
	ODPT_OP_NONE,
	ODPT_OP_REGISTER,
	ODPT_OP_DEREGISTER,
	ODPT_OP_FAULT,
	ODPT_OP_FAULT_RETRY,
	ODPT_OP_MUNMAP,
	ODPT_OP_MADVISE,
	ODPT_OP_MREMAP,
	ODPT_OP_INVALIDATE,
	ODPT_OP_MMPUT,
	ODPT_OP_DEV_READ,
	ODPT_OP_DEV_WRITE,
	ODPT_OP_PREFETCH,
	ODPT_OP_INV_THEN_LOCK,
	ODPT_OP_LOCK_THEN_INV,
	ODPT_OP_FAULT_WORKER,
	ODPT_OP_INV_NONBLOCK,
	ODPT_OP_HOLD_UMEM,
	ODPT_OP_PUNCH_HOLE,
	ODPT_OP_TRUNCATE,
	ODPT_OP_MIGRATE,
	ODPT_OP_GATE,
};

/**
 * enum odpt_gate - the lock an ODPT_OP_GATE actor holds
 * @ODPT_GATE_TREE_READ: the context's tree lock (ctx->rwsem) for reading,
 *	as an invalidation's walk holds it
 * @ODPT_GATE_TREE_WRITE: the context's tree lock for writing, as a
 *	registration or a release holds it
 * @ODPT_GATE_REG: the context's reg_mutex (registrations, the release of
 *	the last umem)
 * @ODPT_GATE_UMEM: the mutex of the umem under MR slot @slot
 *	(the same as ODPT_OP_HOLD_UMEM)
 * @ODPT_GATE_MMAP_READ: the mm's mmap_lock for reading
 * @ODPT_GATE_MMAP_WRITE: the mm's mmap_lock for writing
 * @ODPT_GATE_PAGE: the lock of the mapping's page @page (its folio's)
 *
 * The upstream backend has no context of the core: a tree or reg gate
 * returns -EOPNOTSUPP there at once, holding nothing.
 */
enum odpt_gate {
	ODPT_GATE_TREE_READ,
	ODPT_GATE_TREE_WRITE,
	ODPT_GATE_REG,
	ODPT_GATE_UMEM,
	ODPT_GATE_MMAP_READ,
	ODPT_GATE_MMAP_WRITE,
	ODPT_GATE_PAGE,
};

/**
 * struct odpt_actor_spec - what an actor does
 * @name: shown in traces ("T1")
 * @op: the operation
 * @slot: umem slot for register, deregister and fault
 * @page: first page, as an index into the scenario's mapping
 * @npages: number of pages
 * @access: ODP_ACCESS_* for register and fault
 * @arg: op specific (mremap: destination page index)
 * @after: bit mask of actors (ODPT_AFTER()) that must have finished before
 *	this one may start; the explorer never schedules it earlier, and a
 *	script must not either
 * @off: bytes from the start of @page where the range starts (a range
 *	that does not start on a page boundary)
 * @len: the range's length in bytes; 0: @npages pages
 * @then: the actor's next operation, done once this one returned (a
 *	short sequence, at most ODPT_MAX_SEQ operations); its @name and
 *	@after are not used
 */
struct odpt_actor_spec {
	const char *name;
	enum odpt_op op;
	int slot;
	int page;
	int npages;
	unsigned int access;
	int arg;
	unsigned int after;
	unsigned int off;
	unsigned long len;
	const struct odpt_actor_spec *then;
};

#define ODPT_AFTER(a)		BIT(a)
#define ODPT_MAX_SEQ		4

/* Start of the operation's range, from the mapping's first byte. */
static inline unsigned long odpt_spec_start(const struct odpt_actor_spec *s)
{
	return (unsigned long)s->page * PAGE_SIZE + s->off;
}

/* Length of the operation's range in bytes. */
static inline unsigned long odpt_spec_len(const struct odpt_actor_spec *s)
{
	return s->len ? s->len : (unsigned long)s->npages * PAGE_SIZE;
}

/* Pages the operation's range touches. */
static inline unsigned long odpt_spec_pages(const struct odpt_actor_spec *s)
{
	unsigned long start = odpt_spec_start(s);

	return (round_up(start + odpt_spec_len(s), PAGE_SIZE) -
		round_down(start, PAGE_SIZE)) >> PAGE_SHIFT;
}

enum odpt_step_kind {
	ODPT_STEP_END,
	ODPT_STEP_UNTIL,	/* start or resume actor until it stops at point */
	ODPT_STEP_RUN,		/* start or resume actor until it finishes */
	ODPT_STEP_BLOCKS,	/* start or resume actor; it must not finish */
	ODPT_STEP_FINISHES,	/* a blocked actor finishes now */
	ODPT_STEP_EXPECT_RESULT,
	ODPT_STEP_EXPECT_STALE,	/* run the oracle: this many stale entries */
	ODPT_STEP_EXPECT_MAPPED, /* umem[slot] holds this many pages */
	ODPT_STEP_EXPECT_UNDERFLOW, /* context saw this many ends w/o start */
	ODPT_STEP_EXPECT_DYING,	/* umem[slot] dying (1) or not (0) */
	ODPT_STEP_OPEN_POOL,	/* the slot pool lets every start through */
	ODPT_STEP_BLOCKS_UNTIL,	/* like BLOCKS; once woken, it stops at point */
	ODPT_STEP_STOPS,	/* a woken actor stopped at its point, or finished */
	ODPT_STEP_KILL,		/* SIGKILL to a blocked actor: its killable wait gives up */
	ODPT_STEP_MM_TORN_DOWN,	/* a deferred teardown of the mm (mmput_async()) is over */
};

/**
 * struct odpt_step - one line of a script
 * @kind: what the line does
 * @actor: actor index for actor steps
 * @point: sync point for ODPT_STEP_UNTIL
 * @value: expected value or page index
 * @strategies: bit mask of the strategies the line applies to (0: all)
 * @nth: for ODPT_STEP_UNTIL, stop at the nth time the point is reached
 *	(1-based, 0 means the first)
 */
struct odpt_step {
	enum odpt_step_kind kind;
	int actor;
	int point;
	long value;
	unsigned int strategies;
	int nth;
};

#define ODPT_ALL		0
#define ODPT_ONLY(s)		BIT(s)
#define ODPT_NOT(s)		(GENMASK(FAKE_HCA_NR_BACKENDS - 1, 0) & ~BIT(s))

#define ODPT_UNTIL(a, p)	{ .kind = ODPT_STEP_UNTIL, .actor = (a), .point = (p) }
#define ODPT_UNTIL_ON(m, a, p)	{ .kind = ODPT_STEP_UNTIL, .actor = (a), .point = (p), \
				  .strategies = (m) }
/* until the @n-th time (1-based) actor @a reaches point @p from here */
#define ODPT_UNTIL_NTH(a, p, n)	{ .kind = ODPT_STEP_UNTIL, .actor = (a), .point = (p), .nth = (n) }
#define ODPT_UNTIL_NTH_ON(m, a, p, n) { .kind = ODPT_STEP_UNTIL, .actor = (a), .point = (p), \
				  .nth = (n), .strategies = (m) }
#define ODPT_RUN(a)		{ .kind = ODPT_STEP_RUN, .actor = (a) }
#define ODPT_RUN_ON(m, a)	{ .kind = ODPT_STEP_RUN, .actor = (a), .strategies = (m) }
#define ODPT_BLOCKS_ON(m, a)	{ .kind = ODPT_STEP_BLOCKS, .actor = (a), .strategies = (m) }
#define ODPT_FINISHES_ON(m, a)	{ .kind = ODPT_STEP_FINISHES, .actor = (a), .strategies = (m) }
/* @a runs and must wait; once something wakes it, it stops at @p */
#define ODPT_BLOCKS_UNTIL(a, p)	{ .kind = ODPT_STEP_BLOCKS_UNTIL, .actor = (a), .point = (p) }
/* the actor woken by the step before stopped where it was sent (or finished) */
#define ODPT_STOPS(a)		{ .kind = ODPT_STEP_STOPS, .actor = (a) }
#define ODPT_RESULT(a, v)	{ .kind = ODPT_STEP_EXPECT_RESULT, .actor = (a), .value = (v) }
#define ODPT_RESULT_ON(m, a, v)	{ .kind = ODPT_STEP_EXPECT_RESULT, .actor = (a), .value = (v), \
				  .strategies = (m) }
#define ODPT_STALE_ON(m, n)	{ .kind = ODPT_STEP_EXPECT_STALE, .value = (n), .strategies = (m) }
#define ODPT_MAPPED_ON(m, s, n)	{ .kind = ODPT_STEP_EXPECT_MAPPED, .actor = (s), .value = (n), \
				  .strategies = (m) }
#define ODPT_UNDERFLOW_ON(m, n)	{ .kind = ODPT_STEP_EXPECT_UNDERFLOW, .value = (n), \
				  .strategies = (m) }
#define ODPT_OPEN_POOL		{ .kind = ODPT_STEP_OPEN_POOL }
/* the way out of a deadlock: @a, blocked in a killable wait, is killed */
#define ODPT_KILL_ON(m, a)	{ .kind = ODPT_STEP_KILL, .actor = (a), .strategies = (m) }
#define ODPT_DYING(s, v)	{ .kind = ODPT_STEP_EXPECT_DYING, .actor = (s), .value = (v) }
#define ODPT_DYING_ON(m, s, v)	{ .kind = ODPT_STEP_EXPECT_DYING, .actor = (s), .value = (v), \
				  .strategies = (m) }
/*
 * Wait for the mm's teardown that the last mmput_async() sent to a
 * workqueue (upstream's fault drops its mm reference that way): its
 * invalidations are then over.
 */
#define ODPT_MM_TORN_DOWN	{ .kind = ODPT_STEP_MM_TORN_DOWN }
#define ODPT_END		{ .kind = ODPT_STEP_END }

/**
 * struct odpt_script - a scenario: its mapping, its actors, its steps
 * @name: shown in the log
 * @npages: pages of the scenario's anonymous mapping
 * @actors: the actors, terminated by one with .op == ODPT_OP_NONE
 * @steps: the steps, terminated by ODPT_END
 * @pool: watch the mm with a one-slot blocking pool notifier (race/pool.c)
 * @shmem: the mapping is a shared mapping of a shmem file (a memfd), not
 *	anonymous memory: the page cache, not the page table, says which
 *	page backs an address (race/oracle.c)
 * @fresh_mm: every execution gets an mm of its own, so that what only
 *	the first registration in an mm's life does happens in each (the
 *	first interval notifier sets the mm's has_itree for good, and only
 *	that one takes mm_take_all_locks())
 */
struct odpt_script {
	const char *name;
	int npages;
	const struct odpt_actor_spec *actors;
	const struct odpt_step *steps;
	bool pool;
	bool shmem;
	bool fresh_mm;
};

/**
 * struct odpt_case - what the executions of one script in one case share
 * @test: the KUnit test
 * @crew: the actors' threads, lent to each execution (crew.h): making
 *	and ending a thread per actor and execution cost more than half of
 *	an explored schedule
 * @script: the script
 * @strategy: the contexts' strategy
 * @h: the engine's sync-point handler, installed for the whole case:
 *	installing flips a static key and removing waits for an SRCU grace
 *	period, both too slow to do for each execution
 * @mm: the process the executions share (odpt_case_begin()), or NULL
 *	when each needs its own
 * @run: index of the execution under way; the first one reports each
 *	stale entry the oracle finds, later ones only on a mismatch
 * @explore: the executions are explored schedules: the fake HCA retries
 *	lost faults without sleeping in between
 * @dev: the fake HCA the executions share (its workqueue and debugfs
 *	folder are too slow to make for each); each has its own user context
 * @stuck: an execution left a stuck actor behind: the mm and the device
 *	stay when the case ends (odpt_case_end())
 * @wakeups: explore mode: the wake-up points actors stop at too (right
 *	after a wait of the core or the fake HCA returned, so that the
 *	waker can go on before the woken actor does): 0 none, 1 a release's
 *	and a deregistration's, 2 an access woken by the fault worker too
 */
struct odpt_case {
	struct kunit *test;
	struct odpt_crew crew;
	const struct odpt_script *script;
	enum odp_strategy strategy;
	struct odp_sync_handler h;
	struct mm_struct *mm;
	int run;
	bool explore;
	struct fake_hca_dev *dev;
	bool stuck;
	int wakeups;
};

struct odpt_trace_entry {
	int actor;
	int point;		/* sync point, or -1 start, -2 finish */
	long value;		/* result on finish */
};

struct odpt_scenario;
struct odpt_pool;
struct odpt_mm_points;
struct odpt_actor;

/**
 * struct odpt_scenario - one execution of a script
 * @test: the KUnit test
 * @script: the script
 * @strategy: the context's strategy
 * @mm: the scenario's mm: its own, or the case's (@case_mm)
 * @case_mm: @mm is shared by the case's executions, each of which maps
 *	its range at the start and unmaps it at the end
 * @base: start of its anonymous mapping
 * @dev: the fake HCA
 * @uctx: the device's user context for the scenario's process
 * @ctx: the ODP context under @uctx
 * @mr: MR slots
 * @nactors: number of actors
 * @actors: the actors; their state is the engine's own (actor.h): outside
 *	the actor, scenario and settle files, the odpt_actor_*() functions
 *	answer for them
 * @handler: the engine's sync-point handler, installed for the whole case
 * @crew: the case's actor threads
 * @trace_lock: protects @trace and @ntrace
 * @trace: what happened, in order
 * @ntrace: entries in @trace
 * @pinned: references the scenario holds on the mapping's pages, so that
 *	a stale entry (the bug) never points at a page that was reused; the
 *	migration actor trades those of the pages it moves for the new ones
 * @file: the shmem file of a @shmem script's mapping
 * @pool: the slot pool notifier, for scripts that ask for it
 * @mm_points: upstream backend: the notifier that reports the mm's stops
 *	(mm_points.c)
 * @lock: the one lock of Shachar's two code paths; a semaphore, which
 *	lockdep does not follow (with a mutex, lockdep itself reports the
 *	cycle, and then stays off for the rest of the boot)
 * @report: print each stale entry the oracle finds
 * @failed: a step failed; the trace is printed at the end
 * @hung: an actor could not be stopped; its resources are leaked on purpose
 * @worker_cpu_shared: the fault worker took an event on the actors' CPU
 * @explore: every actor stops at every sync point it reaches (the explorer
 *	sends them on one at a time); off, an actor stops only where a
 *	script step sent it
 * @wakeups: the wake-up points explore mode stops at (odpt_case)
 * @inv_gen: explore mode: bumped whenever an actor that invalidates (or
 *	tears down) the mapping moves; a device access that saw it change
 *	overlapped an invalidation, and may legitimately read old data
 * @ev_queued: fault events queued to the device's fault worker
 * @ev_taken: fault events the worker actor took
 * @no_backoff: the fake HCA retries lost faults without sleeping
 * @settle_wq: woken when the worker actor takes an event
 */
struct odpt_scenario {
	struct kunit *test;
	const struct odpt_script *script;
	enum odp_strategy strategy;
	struct mm_struct *mm;
	bool case_mm;
	unsigned long base;
	struct fake_hca_dev *dev;
	struct fake_hca_uctx *uctx;
	struct odp_context *ctx;
	struct fake_hca_mr *mr[ODPT_MAX_UMEMS];
	int nactors;
	struct odpt_actor *actors;
	struct odp_sync_handler *handler;
	struct odpt_crew *crew;
	spinlock_t trace_lock;
	struct odpt_trace_entry trace[ODPT_MAX_TRACE];
	int ntrace;
	struct page *pinned[ODPT_MAX_PAGES];
	struct file *file;
	struct odpt_pool *pool;
	struct odpt_mm_points *mm_points;
	struct semaphore lock;
	bool report;
	bool failed;
	bool hung;
	bool worker_cpu_shared;
	bool explore;
	int wakeups;
	atomic_t inv_gen;
	atomic_t ev_queued;
	atomic_t ev_taken;
	bool no_backoff;
	wait_queue_head_t settle_wq;
};

/* scenario.c */
#define ODPT_TRACE_BUF		16384

int odpt_case_begin(struct odpt_case *c, struct kunit *test,
		    const struct odpt_script *script, enum odp_strategy strategy);
bool odpt_case_end(struct odpt_case *c);
struct odpt_scenario *odpt_scenario_create(struct odpt_case *c);
bool odpt_scenario_steps(struct odpt_scenario *sc, const struct odpt_step *steps);
bool odpt_scenario_destroy(struct odpt_scenario *sc);
int odpt_scenario_run(struct odpt_case *c, char *trace_buf, size_t len, bool print);
int odpt_case_repeat(struct kunit *test, const struct odpt_script *script,
		     enum odp_strategy strategy, int n);
int odpt_repeat_count(void);

/* actor.c */
bool odpt_op_invalidates(enum odpt_op op);
unsigned int odpt_actor_cpu(void);
int odpt_worker_cpus_set(struct fake_hca_dev *dev);
int odpt_actors_start(struct odpt_scenario *sc);
void odpt_actors_stop(struct odpt_scenario *sc);
int odpt_sync_session_begin(struct odp_sync_handler *h);
void odpt_sync_session_end(struct odp_sync_handler *h);

/* actor.c: the actors, seen from outside the engine */
void odpt_actor_send_on(struct odpt_scenario *sc, int i);
int odpt_actor_parked_at(const struct odpt_scenario *sc, int i);
long odpt_actor_result(const struct odpt_scenario *sc, int i);
int odpt_actor_nresults(const struct odpt_scenario *sc, int i);
long odpt_actor_result_nth(const struct odpt_scenario *sc, int i, int k);
void odpt_actor_show_blocked(const struct odpt_scenario *sc, int i);
void odpt_actors_show_unfinished(struct odpt_scenario *sc, bool then_kill);
void odpt_actor_kill(const struct odpt_scenario *sc, int i);
bool odpt_inflight_covers(const struct odpt_scenario *sc, unsigned long addr);
bool odpt_inflight_in_callback(const struct odpt_scenario *sc);
bool odpt_actors_idle(const struct odpt_scenario *sc);

/**
 * odpt_actor_name() - an actor's name, as traces show it
 * @sc: the scenario
 * @i: the actor's index
 *
 * Return: the name of the script's actor @i.
 */
static inline const char *odpt_actor_name(const struct odpt_scenario *sc, int i)
{
	return sc->script->actors[i].name;
}

/* gate.c */
long odpt_gate_hold(struct odpt_scenario *sc, const struct odpt_actor_spec *s,
		    enum odpt_gate g);

/* migrate.c */
long odpt_migrate(struct odpt_scenario *sc, unsigned long start, unsigned long len);

/* settle.c: what an actor is doing once nothing moves by itself */
enum odpt_actor_state {
	ODPT_AS_NEW,		/* waiting for its first go */
	ODPT_AS_PARKED,		/* stopped at a sync point */
	ODPT_AS_BLOCKED,	/* asleep, at no sync point, until another moves */
	ODPT_AS_DONE,		/* finished its operation */
	ODPT_AS_IDLE,		/* the fault worker, holding no event */
	ODPT_AS_MOVING,		/* still running: only after a timeout */
};

int odpt_settle(struct odpt_scenario *sc, u8 *state);
const char *odpt_state_name(int state);

/* oracle.c */
int odpt_oracle_stale(struct odpt_scenario *sc, bool report);
bool odpt_check_lock(struct odpt_scenario *sc, int slot);
int odpt_mr_mapped(struct odpt_scenario *sc, int slot);
void odpt_scenario_stats(struct odpt_scenario *sc, struct odp_stats *stats);

/* mm_points.c */
int odpt_mm_points_register(struct odpt_scenario *sc);
void odpt_mm_points_unregister(struct odpt_scenario *sc);

/* pool.c */
int odpt_pool_register(struct odpt_scenario *sc);
void odpt_pool_open(struct odpt_scenario *sc);
void odpt_pool_unregister(struct odpt_scenario *sc);

/* trace.c: traces, thread tables, the names and kinds of points */
void odpt_trace_add(struct odpt_scenario *sc, int actor, int point, long value);
void odpt_trace_format(struct odpt_scenario *sc, char *buf, size_t len);
void odpt_trace_print(struct odpt_scenario *sc);
const char *odpt_point_name(int point);
const char *odpt_point_short(int point);
const char *odpt_point_cname(int point);
u32 odpt_point_id(int point);
bool odpt_point_in_callback(int point);

/* width of a thread-table column */
#define ODPT_COL		20
void odpt_table_row(struct kunit *test, int row, int ncols, const char * const *cells);

#endif /* _ODPT_RACE_H */
