; traps.asm: one entry stub per vector, all funnelling into trap_common,
; which saves the general registers as a struct trap_frame (arch/trap.h)
; and calls trap_dispatch(frame).  Traps from ring 3 swap GS so the kernel
; always finds its struct cpu at %gs:0.

%include "trapframe.inc"

extern trap_dispatch
global trap_stub_table, trap_return

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
	test qword [rsp + 18*8], 3      ; frame.cs: from user?
	jz .kernel
	swapgs
.kernel:
	cld
	mov rdi, rsp
	call trap_dispatch
; trap_return: restore a trap frame at rsp and return to it.
trap_return:
	test qword [rsp + 18*8], 3
	jz .kernel_ret
	swapgs
.kernel_ret:
	POP_GPRS
	add rsp, 16                     ; vector, error
	iretq

section .rodata
align 8
trap_stub_table:
%assign v 0
%rep 256
	dq stub_ %+ v
%assign v v+1
%endrep
