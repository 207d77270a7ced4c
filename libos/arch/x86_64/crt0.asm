; crt0.asm: the entry point of every domain (include/sys/domain.h).
;
; The CPU driver enters here in ring 3 with rdi = DOMAIN_START_INFO and
; rsp = DOMAIN_STACK_TOP.  We clear the frame pointer (the end of every
; backtrace), align the stack to 16 bytes as the SysV ABI wants before a
; call, and call libos_start(info), which never returns.

bits 64
section .text

global _start
extern libos_start

_start:
	xor ebp, ebp
	and rsp, -16
	call libos_start        ; rdi is already the start info
.hang:
	ud2                     ; libos_start returned: fault, do not run on
	jmp .hang
