/*
 * thread_impl.h: what libos/thread.c, thread_sync.c, thread_stack.c, span.c
 * and dispatch.c share about threads (private to libos; the interface is
 * libos/thread.h and libos/span.h).
 *
 * A domain has one dispatcher per core it runs on (the home, plus one
 * instance per core it spans: libos/span.h); each has a *slot* number
 * (the home's is 0) and its own run queue.  Per-core state lives in the
 * dispatcher page, which every core maps at the same address but to its
 * own frame (struct disp_local); everything else (threads, queues, the
 * heap) is shared memory.
 *
 * Invariants, all changed only with this core's dispatcher disabled AND
 * thread_lock held (the lock orders cores, `disabled` keeps the upcall off
 * this core while the lock is held):
 *   - each dispatcher runs at most one thread (its disp_local.cur), which
 *     is TH_RUNNING; cur is 0 while the dispatcher idles;
 *   - a TH_RUNNABLE thread is on runq[its slot] and nowhere else;
 *   - a TH_BLOCKED thread is on exactly one mutex or condition queue, or
 *     waits in join; TH_SLEEPING / TH_NOTIFY threads are found by scanning
 *     the list of all threads;
 *   - a thread's regs and fp hold its state whenever it is not running.
 */
#ifndef LIBOS_THREAD_IMPL_H
#define LIBOS_THREAD_IMPL_H

#include <libos/thread.h>
#include <sys/domain.h>

enum thread_state { TH_RUNNING, TH_RUNNABLE, TH_BLOCKED, TH_SLEEPING, TH_NOTIFY,
		    TH_EXITED };

#define THREAD_SLOTS_MAX 64             /* dispatchers: the home + 63 cores */

struct thread {
	struct user_regs regs;          /* saved general registers */
	uint8_t *fp;                    /* saved x87/SSE/AVX, 64-byte aligned */
	void *mem;                      /* malloc'd block: this struct and fp */
	unsigned stack_slot;            /* thread_stack.c */
	uint64_t stack_pa[THREAD_STACK_PAGES];
	uint32_t id;
	uint32_t slot;                  /* the dispatcher it runs on */
	enum thread_state state;
	int (*fn)(void *arg);
	void *arg;
	int ret;
	struct thread *next;            /* link in the one queue it is on */
	struct thread *all_next;        /* every live thread */
	struct thread *joiner;          /* blocked in thread_join on us */
	bool join_claimed;
	uint64_t deadline;              /* TSC, TH_SLEEPING / TH_NOTIFY; 0: none */
	err_t wait_result;
};

/* Per-core dispatcher state, in the dispatcher page (offsets: dispatch.asm). */
#define DISP_LOCAL_OFF 0x800
struct disp_local {
	struct thread *cur;             /* +0: running thread, 0 when idle */
	uint8_t *fp_cur;                /* +8: where the upcall saves FP state */
	uint64_t stack_top;             /* +16: the scheduler's stack */
	uint32_t slot;                  /* +24 */
	uint32_t core;
};

static inline struct disp_local *disp_local(void)
{
	return (struct disp_local *)(DOMAIN_DISPATCHER_VA + DISP_LOCAL_OFF);
}

static inline struct thread *thread_me(void)
{
	return disp_local()->cur;
}

/* x87/SSE/AVX save mode and area size (from the start info). */
extern uint32_t libos_fp_xsave, libos_fp_size;

/* Slots: which core each dispatcher runs on; how many there are. */
extern uint32_t thread_slot_core[THREAD_SLOTS_MAX];
extern uint32_t thread_nslots;
/* The domain spans cores: SYS_MAP is refused, stacks come from the pool. */
extern bool thread_spanning;

/* Disable this core's dispatcher (nesting) and take thread_lock. */
bool thread_lock_acquire(void);
void thread_lock_release(bool was_disabled);
/* The same for a call that may block: aborts if already disabled. */
void thread_enter(void);

void thread_queue_push(struct thread_queue *q, struct thread *t);
struct thread *thread_queue_pop(struct thread_queue *q);
/* t -> TH_RUNNABLE at the tail of its slot's run queue (notifies that core). */
void thread_make_runnable(struct thread *t);
/*
 * The caller (locked and disabled, its state already set) gives up the
 * core; returns when it runs again, unlocked and enabled.
 */
void thread_block_current(void);
/* From the upcall: the running thread was preempted; run the next one. */
__attribute__((noreturn)) void thread_preempted(const struct user_regs *saved);
/* Set up the main thread (libos_dispatch_init, home only). */
void thread_init(void);
/* A guarded stack for t (ERR_FULL: no slot, ERR_NOMEM); *top 16-aligned. */
err_t thread_stack_alloc(struct thread *t, uint64_t *top);
void thread_stack_free(struct thread *t);
/* Map `n` stacks now, to be handed out after the domain spans (span.c). */
err_t thread_stack_reserve(unsigned n);

/* dispatch.c: this core's dispatcher: upcall entry, stack, slot. */
void libos_disp_setup(uint64_t stack_top, uint32_t slot);

void libos_thread_switch(struct user_regs *regs, uint8_t *fp);
__attribute__((noreturn)) void libos_thread_run_next(void);
__attribute__((noreturn)) void libos_thread_idle_start(uint64_t stack_top);
__attribute__((noreturn)) void libos_disp_resume_fp(const uint8_t *fp);
void libos_fp_save(uint8_t *fp);

/* Create a thread in thread slot `slot` (thread.c; span.c starts instances with it). */
err_t thread_create_slot(uint32_t slot, struct thread **out, int (*fn)(void *arg), void *arg);

#endif
