; trampoline.asm: an AP's way from the SIPI (16-bit real mode at TRAMP_BASE)
; to long mode, then into its CPU driver's C entry.  Every AP runs this same
; copy at the same time: an AP finds its own parameters in the per-APIC table
; by its initial APIC id (CPUID leaf 1), so the boot core starts them all at
; once.  The code is assembled into the kernel image and copied to TRAMP_BASE
; by the boot core; addresses are computed relative to that copy (REL below).
; The layout of the shared block and the table is in arch/trampoline.h.

%define TRAMP_BASE       0x8000
%define TRAMP_SHARED     (TRAMP_BASE + 0x1000)
%define TRAMP_STARTED    (TRAMP_BASE + 0x1100)
%define TRAMP_TABLE      (TRAMP_BASE + 0x2000)
%define TP_CR3           0
%define TP_EFER          4
%define TP_ENTRY         8
%define TA_STACK         0
%define TA_CPU           8
%define TA_SHIFT         4                  ; 16 bytes per APIC id
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
	mov eax, 1
	cpuid
	shr ebx, 24                             ; initial APIC id, 0..255
	mov esi, ebx                            ; kept in esi until long mode
	mov eax, cr4
	or eax, (1 << 5) | (1 << 7)             ; PAE, PGE
	mov cr4, eax
	mov eax, [TRAMP_SHARED + TP_CR3]
	mov cr3, eax
	mov ecx, 0xC0000080                     ; EFER
	rdmsr
	or eax, [TRAMP_SHARED + TP_EFER]
	wrmsr
	mov eax, cr0
	or eax, 0x80010000                      ; PG | WP
	mov cr0, eax
	jmp 0x18:REL(long64)

bits 64
long64:
	mov esi, esi                            ; upper half is undefined after the switch
	mov rdx, rsi
	shl rdx, TA_SHIFT
	mov rsp, [TRAMP_TABLE + rdx + TA_STACK]
	mov rdi, [TRAMP_TABLE + rdx + TA_CPU]
	mov rax, [TRAMP_SHARED + TP_ENTRY]
	mov byte [TRAMP_STARTED + rsi], 1       ; own entry read: the boot core may reuse it
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
