; boot.asm: Multiboot v1 entry of the boot core, 32-bit protected mode to
; long mode, then into the higher-half C entry cpu_boot_main(magic, info).
;
; QEMU's -kernel only loads Multiboot v1 from a 32-bit container, so the
; header uses the a.out kludge (flag bit 16): the loader copies the flat
; binary to 1 MiB, zeroes the BSS and jumps to _start32 with
; EAX = 0x2BADB002 and EBX = physical address of the Multiboot info.
; We move both into EDI/ESI at once: nothing below touches those registers,
; and they are the first two SysV arguments of the C entry.
;
; Boot page tables map physical 0-1 GiB three times with 2 MiB pages:
; identity (to survive the switch to paging), at KERNEL_VBASE (the kernel
; image) and at PHYS_MAP_BASE (the direct map). The C code replaces them with
; the core's own tables as soon as it can.

%define KERNEL_VBASE    0xffffffff80000000
%define MB_MAGIC        0x1BADB002
%define MB_FLAGS        0x00010003      ; page-align modules, memory map, a.out kludge
%define PTE_P           1
%define PTE_W           2
%define PTE_PS          0x80

extern _load_start_phys, _load_end_phys, _bss_end_phys
extern cpu_boot_main
global _start32, boot_pml4, boot_gdt_ptr64

section .multiboot
align 4
mb_header:
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)
	dd mb_header            ; header_addr
	dd _load_start_phys     ; load_addr
	dd _load_end_phys       ; load_end_addr
	dd _bss_end_phys        ; bss_end_addr
	dd _start32             ; entry_addr

section .boot.text
bits 32
_start32:
	cli
	cld
	mov edi, eax
	mov esi, ebx
	mov esp, boot_stack32_top

	call check_long_mode
	call build_boot_tables

	mov eax, cr4
	or eax, (1 << 5)                ; PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax

	mov eax, 0x80000001
	cpuid                           ; clobbers EBX: ask before reading EFER
	mov ebp, (1 << 8)               ; LME
	test edx, (1 << 20)             ; NX available?
	jz .no_nx
	or ebp, (1 << 11)               ; NXE
.no_nx:
	mov ecx, 0xC0000080             ; EFER
	rdmsr
	or eax, ebp
	wrmsr

	mov eax, cr0
	or eax, 0x80010001              ; PG | WP | PE
	mov cr0, eax

	lgdt [boot_gdt_ptr]
	jmp 0x08:long_mode_low

; Stop with a message on the serial port if this CPU cannot run 64-bit code.
check_long_mode:
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .fail
	mov eax, 0x80000001
	cpuid
	test edx, (1 << 29)
	jz .fail
	ret
.fail:
	mov esi, no_lm_msg
.print:
	lodsb
	test al, al
	jz .stop
	mov dx, 0x3f8
	out dx, al
	jmp .print
.stop:
	cli
	hlt
	jmp .stop

build_boot_tables:
	; PD: 512 x 2 MiB = physical 0-1 GiB
	mov ecx, 0
.fill:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_P | PTE_W | PTE_PS
	mov [boot_pd + ecx * 8], eax
	mov dword [boot_pd + ecx * 8 + 4], 0
	inc ecx
	cmp ecx, 512
	jne .fill
	mov eax, boot_pd
	or eax, PTE_P | PTE_W
	mov [boot_pdpt_low], eax         ; 0 -> 0-1 GiB
	mov [boot_pdpt_high + 510 * 8], eax ; -2 GiB -> 0-1 GiB
	mov eax, boot_pdpt_low
	or eax, PTE_P | PTE_W
	mov [boot_pml4], eax             ; identity
	mov [boot_pml4 + 256 * 8], eax   ; direct map at PHYS_MAP_BASE
	mov eax, boot_pdpt_high
	or eax, PTE_P | PTE_W
	mov [boot_pml4 + 511 * 8], eax   ; kernel image
	ret

bits 64
long_mode_low:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rax, higher_half
	jmp rax

section .text
higher_half:
	mov rsp, boot_stack_top
	xor rbp, rbp
	; edi = multiboot magic, esi = multiboot info (physical), zero-extended
	mov edi, edi
	mov esi, esi
	call cpu_boot_main
.hang:
	cli
	hlt
	jmp .hang

section .boot.data
align 16
boot_gdt:
	dq 0
	dq 0x00209a0000000000           ; 0x08: 64-bit code, ring 0
	dq 0x0000920000000000           ; 0x10: data, ring 0
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt
no_lm_msg:
	db "boot: this CPU has no long mode; stopping", 13, 10, 0

; Page tables and the 32-bit stack live at low addresses (below 2 MiB), in
; the boot section, reserved here as zero-filled data so the flat binary
; carries them; 20 KiB is a price worth paying for not depending on the BSS
; layout before paging is on.
align 4096
boot_pml4:      times 4096 db 0
boot_pdpt_low:  times 4096 db 0
boot_pdpt_high: times 4096 db 0
boot_pd:        times 4096 db 0
	times 1024 db 0
boot_stack32_top:

section .bss
align 16
boot_stack:     resb 16384
boot_stack_top:
