/*
 * chanreg.h: which channel areas a core's kernel created, for whom.
 *
 * SYS_CHAN_CREATE takes a channel area from the calling core's pool for a
 * domain that talks to core `peer`; the monitors then hand the area's
 * physical address to the peer core's monitor, whose SYS_CHAN_MAP maps it
 * into the other party.  The kernel trusts its monitor's word only this far:
 * SYS_CHAN_MAP maps an area only if the core it comes from registered it
 * here, with the same size and with the mapping core as its peer.  So no
 * monitor can map kernel memory, a pool frame in use, or an area meant for
 * another core into a domain.
 *
 * Each core's registry lives in its own memory (published through
 * core_status); only its owner writes it (add, remove), any core reads it.
 * An entry is written, then its `valid` word is release-stored; readers
 * acquire `valid` before reading the rest.
 */
#ifndef KERNEL_CHANREG_H
#define KERNEL_CHANREG_H
#include <stdbool.h>
#include <stdint.h>
#include <lib/err.h>

#define CHANREG_ENTRIES 340

/* Allocate and publish the calling core's registry. */
void chanreg_init(void);
/* Record an area of the calling core's pool meant for core peer; ERR_FULL. */
err_t chanreg_add(uint64_t pa, uint64_t pages, unsigned peer);
/* Forget the area starting at pa (it is being freed); no-op if unknown. */
void chanreg_remove(uint64_t pa);
/* Did core `owner` register [pa, pages) for the calling core? */
bool chanreg_handed_to_me(unsigned owner, uint64_t pa, uint64_t pages);

#endif
