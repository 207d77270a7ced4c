; trampoline.asm: an AP's way from the SIPI (16-bit real mode at TRAMP_BASE)
; to long mode in its own page tables, then into its CPU driver's C entry.
; The code is assembled into the kernel image and copied to TRAMP_BASE by the
; boot core; addresses are computed relative to that copy (REL below).
; The parameter block layout is in arch/trampoline.h.

%define TRAMP_BASE       0x8000
%define TRAMP_PARAMS     (TRAMP_BASE + 0xf00)
%define TP_CR3           0
%define TP_EFER          4
%define TP_STACK         8
%define TP_CPU           16
%define TP_ENTRY         24
%define TP_STARTED       32
%define REL(x)           (TRAMP_BASE + ((x) - trampoline_start))

global trampoline_start, trampoline_end

section .trampoline
bits 16
trampoline_start:
	cli
	cld
	xor ax, ax
	mov ds, ax
	lgdt [REL(tgdt_ptr)]
	mov eax, cr0
	or eax, 1
	mov cr0, eax
	jmp dword 0x08:REL(protected32)

bits 32
protected32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr4
	or eax, (1 << 5) | (1 << 7)             ; PAE, PGE
	mov cr4, eax
	mov eax, [TRAMP_PARAMS + TP_CR3]
	mov cr3, eax
	mov ecx, 0xC0000080                     ; EFER
	rdmsr
	or eax, [TRAMP_PARAMS + TP_EFER]
	wrmsr
	mov eax, cr0
	or eax, 0x80010000                      ; PG | WP
	mov cr0, eax
	jmp 0x18:REL(long64)

bits 64
long64:
	mov rsp, [TRAMP_PARAMS + TP_STACK]
	mov rdi, [TRAMP_PARAMS + TP_CPU]
	mov rax, [TRAMP_PARAMS + TP_ENTRY]
	mov dword [TRAMP_PARAMS + TP_STARTED], 1 ; block read: the boot core may reuse it
	xor rbp, rbp
	push 0                                  ; fake return address, keeps ABI alignment
	jmp rax

align 8
tgdt:
	dq 0
	dq 0x00cf9a000000ffff                   ; 0x08: 32-bit code
	dq 0x00cf92000000ffff                   ; 0x10: data
	dq 0x00209a0000000000                   ; 0x18: 64-bit code
tgdt_end:
tgdt_ptr:
	dw tgdt_end - tgdt - 1
	dd REL(tgdt)
trampoline_end:
