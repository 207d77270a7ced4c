; dispatch.asm: the dispatcher's upcall entry and its resume (include/sys/domain.h).
;
; libos_upcall_entry: where the CPU driver upcalls a preempted domain, on
; the upcall stack, with rdi = the dispatcher page and `disabled` set.  It
; calls libos_dispatch(disp), which decides what runs and ends in
; libos_disp_resume.
;
; libos_disp_resume: restores the registers saved in the dispatcher page,
; clears `disabled` and jumps to the saved rip.  From its first instruction
; to its last it lies inside [crit_lo, crit_hi): a preemption in there is
; resumed in place, so clearing `disabled` before the final jump is safe.
; The page is below 2 GiB, so every access is absolute and no register is
; needed to reach it: all of them can be restored.

%include "sys_domain.inc"

bits 64
section .text

global libos_upcall_entry, libos_disp_resume, libos_disp_resume_end
extern libos_dispatch

libos_upcall_entry:
	xor ebp, ebp
	and rsp, -16
	call libos_dispatch     ; rdi: the dispatcher page; does not return
	ud2

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
