/*
 * elf: validation and load planning for ELF64 executables.
 *
 * Boot modules (apps, monitors) arrive as untrusted bytes.  elf_plan() reads
 * such an image and either refuses it, with an err_t and one sentence naming
 * the offending field, or returns a load plan: the list of PT_LOAD segments
 * (virtual address, memory size, file offset, file size, permissions) and
 * the entry point.  It changes nothing but *out and why, so a loader calls it
 * first and only then maps frames and copies bytes, with no further checks:
 * an image is either refused whole or loaded whole, never half-way.
 *
 * Pure and freestanding: no allocation, no global state, callable on any
 * core from the CPU driver, a monitor or a host test.  The image needs no
 * particular alignment (every field is read byte by byte, little-endian).
 *
 * What is accepted (everything else is refused):
 *  - ELF header: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT (both places),
 *    OS ABI System V or GNU with ABI version 0, e_type ET_EXEC (static,
 *    non-PIE: link apps with -static -no-pie), e_machine EM_X86_64,
 *    e_flags 0, e_ehsize 64, e_phentsize 56, 1 <= e_phnum <= ELF_MAX_PHDRS,
 *    and the program header table inside the image without overflow.
 *    Section headers are never read (e_shoff and friends are not trusted,
 *    not even looked at): nothing a loader needs lives there.
 *  - PT_LOAD: p_offset + p_filesz inside the image, p_filesz <= p_memsz,
 *    p_vaddr + p_memsz without overflow and inside [lim->user_lo,
 *    lim->user_hi), p_align 0, 1 or a power of two with
 *    p_vaddr % p_align == p_offset % p_align, p_flags only R/W/X and never
 *    W together with X (W^X: a page that is both writable and executable
 *    turns any memory bug into code injection; our linker scripts never
 *    need one).  No two PT_LOAD segments may share a page (they would need
 *    two permissions for one page, and the loader maps whole pages).
 *    At most ELF_MAX_SEGMENTS of them, with a non-zero total, and the sum of
 *    their page-rounded sizes at most lim->max_bytes.  A PT_LOAD with
 *    p_memsz 0 is checked like the others but left out of the plan.
 *  - e_entry inside the file-backed part of an executable PT_LOAD.
 *  - PT_INTERP and PT_DYNAMIC are refused (no dynamic linking);
 *    PT_GNU_STACK, PT_NOTE, PT_TLS and unknown types are tolerated and
 *    ignored.
 *
 * Needs lib/fmt.c for the sentences.
 */
#ifndef LIB_ELF_H
#define LIB_ELF_H

#include <lib/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ELF constants the validator uses, named once. */
#define ELF_MAG0        0x7f
#define ELF_MAG1        'E'
#define ELF_MAG2        'L'
#define ELF_MAG3        'F'
#define ELF_EI_CLASS    4
#define ELF_EI_DATA     5
#define ELF_EI_VERSION  6
#define ELF_EI_OSABI    7
#define ELF_EI_ABIVERSION 8
#define ELF_EI_NIDENT   16
#define ELF_CLASS64     2
#define ELF_DATA2LSB    1
#define ELF_EV_CURRENT  1
#define ELF_OSABI_SYSV  0
#define ELF_OSABI_GNU   3
#define ELF_ET_EXEC     2
#define ELF_ET_DYN      3
#define ELF_EM_X86_64   62
#define ELF_EHDR_SIZE   64      /* sizeof(Elf64_Ehdr) */
#define ELF_PHDR_SIZE   56      /* sizeof(Elf64_Phdr) */

#define ELF_PT_NULL     0
#define ELF_PT_LOAD     1
#define ELF_PT_DYNAMIC  2
#define ELF_PT_INTERP   3
#define ELF_PT_NOTE     4
#define ELF_PT_TLS      7
#define ELF_PT_GNU_STACK 0x6474e551u

#define ELF_PF_X        0x1u
#define ELF_PF_W        0x2u
#define ELF_PF_R        0x4u

/* Byte offsets of the fields inside Elf64_Ehdr and Elf64_Phdr. */
#define ELF_E_TYPE      16
#define ELF_E_MACHINE   18
#define ELF_E_VERSION   20
#define ELF_E_ENTRY     24
#define ELF_E_PHOFF     32
#define ELF_E_FLAGS     48
#define ELF_E_EHSIZE    52
#define ELF_E_PHENTSIZE 54
#define ELF_E_PHNUM     56
#define ELF_P_TYPE      0
#define ELF_P_FLAGS     4
#define ELF_P_OFFSET    8
#define ELF_P_VADDR     16
#define ELF_P_FILESZ    32
#define ELF_P_MEMSZ     40
#define ELF_P_ALIGN     48

#define ELF_PAGE_SIZE   4096u
#define ELF_MAX_PHDRS   64      /* program headers of any type */
#define ELF_MAX_SEGMENTS 16     /* PT_LOAD segments */

/* What the caller allows.  user_lo and user_hi must be page-aligned. */
struct elf_limits {
	uint64_t user_lo;       /* lowest address a segment may occupy */
	uint64_t user_hi;       /* one past the highest */
	uint64_t max_bytes;     /* bound on the sum of page-rounded memsz */
};

/* One segment to load: map pages covering [vaddr, vaddr + memsz) with
 * `flags`, copy filesz bytes from image + offset to vaddr, zero the rest. */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint32_t flags;         /* ELF_PF_R | ELF_PF_W | ELF_PF_X */
};

struct elf_plan {
	uint64_t entry;
	uint64_t lo, hi;        /* page-rounded span of all segments */
	uint64_t pages;         /* pages the segments need in total */
	unsigned nseg;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Validate `image` (len bytes) against `lim` and fill *out with its load
 * plan.  Returns ERR_OK, or on refusal:
 *   ERR_INVAL        bad arguments (NULL image or out, unaligned limits)
 *   ERR_TRUNC        image shorter than a header or a segment needs
 *   ERR_BADMAGIC     not an ELF file
 *   ERR_UNSUPPORTED  valid ELF, but not one we run (32-bit, big-endian,
 *                    other machine, PIE/shared object, dynamic linking)
 *   ERR_RANGE        a field out of bounds, overflow, overlap, bad entry
 *   ERR_PERM         a segment both writable and executable
 *   ERR_TOOBIG       too many headers or segments, or too many bytes
 * and writes a sentence such as
 *   "ELF: program header 2: p_filesz 0x5000 > p_memsz 0x1000"
 * into why (always NUL-terminated when whylen > 0; why may be NULL).
 * On refusal out->nseg is 0 and nothing else in *out is meaningful.
 */
err_t elf_plan(const void *image, size_t len, const struct elf_limits *lim,
	       struct elf_plan *out, char *why, size_t whylen);

#endif
