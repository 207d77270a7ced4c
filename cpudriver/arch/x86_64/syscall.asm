; syscall.asm: the ring-3 entry points of a CPU driver.
;
; syscall_entry   LSTAR target.  Builds a struct trap_frame (arch/trap.h) on
;                 the current domain's kernel stack (%gs:8), exactly as an
;                 interrupt from ring 3 would, with vector = VEC_SYSCALL, and
;                 calls syscall_dispatch(frame).  Returns with iretq through
;                 trap_return: slower than sysret but never exposed to the
;                 non-canonical-RCX sysret problem, and one exit path for all.
; context_switch  context_switch(uint64_t *save_rsp, uint64_t new_rsp): save
;                 the callee-saved registers on this stack, switch stacks,
;                 restore and return on the other one.
; domain_enter    where a new domain's first switch returns to: its kernel
;                 stack top holds the user entry frame, trap_return takes it.
; kstack_call_on  kstack_call_on(top, fn): continue on the stack ending at
;                 top by calling fn, which never returns (kernel/kstack.h).

%define VEC_SYSCALL 0x100
%define USER_CS     0x23
%define USER_DS     0x1b

%include "trapframe.inc"

extern syscall_dispatch, trap_return
global syscall_entry, context_switch, domain_enter, kstack_call_on

section .text
syscall_entry:
	swapgs
	mov [gs:16], rsp                ; user rsp (struct cpu.user_rsp)
	mov rsp, [gs:8]                 ; this domain's kernel stack top
	push USER_DS                    ; ss
	push qword [gs:16]              ; rsp
	push r11                        ; rflags
	push USER_CS                    ; cs
	push rcx                        ; rip
	push 0                          ; error
	push VEC_SYSCALL                ; vector
	PUSH_GPRS
	cld
	mov rdi, rsp
	call syscall_dispatch
	jmp trap_return

context_switch:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

domain_enter:
	jmp trap_return

kstack_call_on:
	mov rsp, rdi
	xor ebp, ebp
	call rsi
	ud2
