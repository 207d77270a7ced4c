; traps.asm: one entry stub per vector, all funnelling into trap_common,
; which saves the general registers as a struct trap_frame (arch/trap.h)
; and calls trap_dispatch(frame); and trap_return, the one way back to
; ring 3 (interrupts, exceptions and system calls all leave through it).
;
; GS on entry.  A trap from ring 3 always swaps GS.  A trap from ring 0
; does not trust the saved CS alone: between trap_return's swapgs and its
; iretq the kernel runs with the user's GS, and a fault raised by that
; iretq (or an NMI in that window) arrives from ring 0 with the user's GS.
; So, like Linux's paranoid entry, a ring-0 entry reads MSR_GS_BASE: the
; kernel's base is a higher-half address (negative), a user's never is
; (ring 3 cannot write the GS base: no wrgsbase, no MSR access, and every
; GDT data descriptor has base 0).  If it is the user's, swapgs, and swap
; back before returning (r12, callee-saved, remembers).
;
; Leaving to ring 3 (trap_return_user), whatever the frame says:
;   - RIP and RSP must be user addresses (below USER_TOP, hence canonical),
;     or trap_bad_return ends the domain: iretq to a non-canonical RIP
;     faults in ring 0, and the frame can hold a user-chosen RIP/RSP
;     (syscall at the top of user space, a dispatcher's upcall entry);
;   - RFLAGS keeps only the arithmetic flags, TF, DF, NT, RF, AC and ID;
;     IF is set and IOPL is 0 (ring 3 never gets port access, never runs
;     with interrupts off);
;   - CS and SS are the user selectors.
; If the iretq faults anyway, trap_dispatch recognises trap_iret's address
; and makes it a fault of the domain (Linux's bad_iret idea).
;
; With SMAP on, entry from ring 3 clears RFLAGS.AC (clac): the user's AC
; must not reach the kernel, which never dereferences user addresses.

%include "trapframe.inc"

%define FRAME_VECTOR   (15*8)
%define FRAME_RIP      (17*8)
%define FRAME_CS       (18*8)
%define FRAME_RFLAGS   (19*8)
%define FRAME_RSP      (20*8)
%define FRAME_SS       (21*8)
%define MSR_GS_BASE    0xC0000101
%define USER_CS        0x23
%define USER_DS        0x1b
; CF PF AF ZF SF TF DF OF NT RF AC ID
%define RFLAGS_USER_KEEP 0x254dd5
%define RFLAGS_USER_SET  0x202             ; IF and the always-one bit 1

extern trap_dispatch, trap_bad_return, cpu_smap_enabled
global trap_stub_table, trap_return, trap_iret

section .text
%assign v 0
%rep 256
align 16
stub_ %+ v:
%if (v == 8) || (v >= 10 && v <= 14) || (v == 17) || (v == 21) || (v == 29) || (v == 30)
	; the CPU pushed an error code
%else
	push 0
%endif
	push v
	jmp trap_common
%assign v v+1
%endrep

trap_common:
	PUSH_GPRS
	cld
	xor r12d, r12d
	test qword [rsp + FRAME_CS], 3  ; from user?
	jz .kernel
	swapgs
	cmp byte [rel cpu_smap_enabled], 0
	je .go
	clac
	jmp .go
.kernel:
	mov ecx, MSR_GS_BASE
	rdmsr
	test edx, edx
	js .go                          ; GS already the kernel's
	swapgs
	mov r12d, 1
.go:
	mov rdi, rsp
	call trap_dispatch
; trap_return: restore a trap frame at rsp and return to it.
trap_return:
	test qword [rsp + FRAME_CS], 3
	jnz trap_return_user
	test r12d, r12d
	jz .kernel_ret
	swapgs                          ; back to the GS the trap came with
.kernel_ret:
	POP_GPRS
	add rsp, 16                     ; vector, error
	iretq

trap_return_user:
	mov rax, [rsp + FRAME_RIP]
	or rax, [rsp + FRAME_RSP]
	shr rax, 47                     ; both below USER_TOP = 1 << 47?
	jnz trap_return_bad
	mov rax, [rsp + FRAME_RFLAGS]
	and rax, RFLAGS_USER_KEEP
	or rax, RFLAGS_USER_SET
	mov [rsp + FRAME_RFLAGS], rax
	mov qword [rsp + FRAME_CS], USER_CS
	mov qword [rsp + FRAME_SS], USER_DS
	cli                             ; a handler may have enabled interrupts
	swapgs
	POP_GPRS
	add rsp, 16
trap_iret:
	iretq
trap_return_bad:
	mov rdi, rsp
	call trap_bad_return            ; ends the domain; does not return
	ud2

section .rodata
align 8
trap_stub_table:
%assign v 0
%rep 256
	dq stub_ %+ v
%assign v v+1
%endrep
