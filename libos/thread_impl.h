/*
 * thread_impl.h: what libos/thread.c, thread_sync.c and dispatch.c share
 * about threads (private to libos; the interface is libos/thread.h).
 *
 * Invariants, all changed only with the dispatcher disabled:
 *   - exactly one thread is TH_RUNNING (thread_cur) while user code runs;
 *   - a TH_RUNNABLE thread is on the run queue and nowhere else;
 *   - a TH_BLOCKED thread is on exactly one mutex, condition or join wait
 *     (or none for join), TH_SLEEPING / TH_NOTIFY waits are found by
 *     scanning the list of all threads;
 *   - a thread's regs and fp hold its state whenever it is not running.
 */
#ifndef LIBOS_THREAD_IMPL_H
#define LIBOS_THREAD_IMPL_H

#include <libos/thread.h>
#include <sys/domain.h>

enum thread_state { TH_RUNNING, TH_RUNNABLE, TH_BLOCKED, TH_SLEEPING, TH_NOTIFY,
		    TH_EXITED };

struct thread {
	struct user_regs regs;          /* saved general registers */
	uint8_t *fp;                    /* saved x87/SSE/AVX, 64-byte aligned */
	void *mem;                      /* malloc'd block: this struct and fp */
	unsigned stack_slot;            /* thread_stack.c */
	uint64_t stack_pa[THREAD_STACK_PAGES];
	uint32_t id;
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

extern struct thread *thread_cur;

/* x87/SSE/AVX save mode and area size (from the start info). */
extern uint32_t libos_fp_xsave, libos_fp_size;
/* Where the upcall entry saves the running thread's x87/SSE/AVX state. */
extern uint8_t *libos_fp_cur;

/* A guarded stack for t (ERR_FULL: no slot, ERR_NOMEM); *top 16-aligned. */
err_t thread_stack_alloc(struct thread *t, uint64_t *top);
void thread_stack_free(struct thread *t);

void thread_queue_push(struct thread_queue *q, struct thread *t);
struct thread *thread_queue_pop(struct thread_queue *q);
/* t -> TH_RUNNABLE at the tail of the run queue. */
void thread_make_runnable(struct thread *t);
/* The caller (disabled, state already set) gives up the core. */
void thread_block_current(void);
/* From the upcall: the running thread was preempted; run the next one. */
__attribute__((noreturn)) void thread_preempted(const struct user_regs *saved);
/* Set up the main thread (libos_dispatch_init). */
void thread_init(void);

void libos_thread_switch(struct user_regs *regs, uint8_t *fp);
__attribute__((noreturn)) void libos_thread_run_next(void);
__attribute__((noreturn)) void libos_disp_resume_fp(const uint8_t *fp);
void libos_fp_save(uint8_t *fp);

#endif
