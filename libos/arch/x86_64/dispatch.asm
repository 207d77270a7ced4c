; dispatch.asm: the dispatcher's upcall entry, its resume, and the switch
; a user-level thread makes when it gives up the core
; (include/sys/domain.h, include/libos/thread.h).
;
; libos_upcall_entry: where the CPU driver upcalls a preempted domain, on
; the upcall stack, with rdi = the dispatcher page and `disabled` set.  The
; general registers of the preempted thread are in the page; its x87/SSE/AVX
; registers are still live, so before any C runs (user C is built with SSE)
; they are saved into the running thread's area (disp_local.fp_cur), MXCSR is set
; to its default, and then libos_dispatch(disp) picks what runs next.
;
; libos_disp_resume_fp(area): loads the x87/SSE/AVX state of the thread
; about to run from `area` (still disabled: a preemption here resumes in
; place, and the CPU driver keeps the registers), then falls into
;
; libos_disp_resume: restores the registers saved in the dispatcher page,
; clears `disabled` and jumps to the saved rip.  From its first instruction
; to its last it lies inside [crit_lo, crit_hi): a preemption in there is
; resumed in place, so clearing `disabled` before the final jump is safe.
; The page is below 2 GiB, so every access is absolute and no register is
; needed to reach it: all of them can be restored.
;
; libos_thread_switch(regs, fp): called by a thread, with `disabled` set
; and the thread lock held,
; that blocks or yields.  Saves what the ABI makes the callee keep (rbx,
; rbp, r12-r15, rsp, the return address as rip, rflags; rax = 0) into regs
; and its x87/SSE/AVX state into fp, then runs libos_thread_run_next() on
; the upcall stack (never on the thread's own stack, which another pick may
; hand to someone).  The thread goes on, with `disabled` clear, when it is
; resumed like any other: through libos_disp_resume_fp.

%include "sys_domain.inc"

bits 64
section .text

global libos_upcall_entry, libos_disp_resume, libos_disp_resume_end
global libos_disp_resume_fp, libos_thread_switch, libos_fp_save, libos_fp_restore
extern libos_dispatch, libos_thread_run_next
extern libos_fp_xsave
global libos_thread_idle_start

; this core's struct disp_local (libos/thread_impl.h), in the dispatcher page
%define LOCAL_FP_CUR (DOMAIN_DISPATCHER_VA + DISP_LOCAL_OFF + 8)
%define LOCAL_STACK  (DOMAIN_DISPATCHER_VA + DISP_LOCAL_OFF + 16)

; libos_fp_save(area): x87/SSE/AVX registers -> area (rdi); clobbers rax, rdx.
libos_fp_save:
	cmp dword [rel libos_fp_xsave], 0
	je .fx
	mov eax, -1
	mov edx, -1
	xsave64 [rdi]
	ret
.fx:
	fxsave64 [rdi]
	ret

; libos_fp_restore(area): area (rdi) -> registers; clobbers rax, rdx.
libos_fp_restore:
	cmp dword [rel libos_fp_xsave], 0
	je .fx
	mov eax, -1
	mov edx, -1
	xrstor64 [rdi]
	ret
.fx:
	fxrstor64 [rdi]
	ret

libos_upcall_entry:
	mov rsi, rdi                    ; keep the dispatcher page
	mov rdi, [abs LOCAL_FP_CUR]
	and rsp, -16
	call libos_fp_save
	ldmxcsr [rel mxcsr_default]
	mov rdi, rsi
	xor ebp, ebp
	call libos_dispatch     ; rdi: the dispatcher page; does not return
	ud2

libos_thread_switch:
	mov qword [rdi + 0], 0          ; rax: nothing to return
	mov [rdi + 8], rbx
	mov [rdi + 48], rbp
	mov [rdi + 88], r12
	mov [rdi + 96], r13
	mov [rdi + 104], r14
	mov [rdi + 112], r15
	mov rax, [rsp]
	mov [rdi + UREGS_RIP], rax
	lea rax, [rsp + 8]
	mov [rdi + UREGS_RSP], rax
	pushfq
	pop rax
	mov [rdi + UREGS_RFLAGS], rax
	mov rdi, rsi
	call libos_fp_save
	mov rsp, [abs LOCAL_STACK]
	xor ebp, ebp
	call libos_thread_run_next      ; does not return
	ud2

; libos_thread_idle_start(stack_top): a new dispatcher (disabled, locked)
; starts scheduling on its own stack.
libos_thread_idle_start:
	mov rsp, rdi
	xor ebp, ebp
	call libos_thread_run_next      ; does not return
	ud2

libos_disp_resume_fp:
	call libos_fp_restore
	; fall through

%define SAVE (DOMAIN_DISPATCHER_VA + DISP_SAVE)

libos_disp_resume:
	push qword [abs SAVE + UREGS_RFLAGS]
	popfq
	mov rax, [abs SAVE + 0]
	mov rbx, [abs SAVE + 8]
	mov rcx, [abs SAVE + 16]
	mov rdx, [abs SAVE + 24]
	mov rsi, [abs SAVE + 32]
	mov rbp, [abs SAVE + 48]
	mov r8,  [abs SAVE + 56]
	mov r9,  [abs SAVE + 64]
	mov r10, [abs SAVE + 72]
	mov r11, [abs SAVE + 80]
	mov r12, [abs SAVE + 88]
	mov r13, [abs SAVE + 96]
	mov r14, [abs SAVE + 104]
	mov r15, [abs SAVE + 112]
	mov rsp, [abs SAVE + UREGS_RSP]
	mov rdi, [abs SAVE + UREGS_RDI]
	mov dword [abs DOMAIN_DISPATCHER_VA + DISP_DISABLED], 0
	jmp [abs SAVE + UREGS_RIP]
libos_disp_resume_end:

section .rodata
align 4
mxcsr_default:
	dd 0x1f80
