/*
 * services.h: starting the boot manifest's services on each core.
 *
 * The manifest is a boot module whose name ends in ".manifest" (make run
 * MANIFEST=path; docs/04-manifest.md).  It and the program modules are
 * boot-time facts, read-only for everyone, so every CPU driver parses the
 * manifest itself and starts the lines that name its own core, each from
 * the program's module into its own memory: no core touches another's
 * state.  Core 0 alone reports the bad lines (with their line numbers) and
 * the lines naming cores that are not up; the rest still start.
 *
 * Without a manifest module nothing is started.  With one, core 0 ends the
 * run (exit status 0) once every core that is up has started its services
 * and all their domains have ended: `core 0: all domains finished`.
 */
#ifndef KERNEL_SERVICES_H
#define KERNEL_SERVICES_H
#include <stdbool.h>
#include <kernel/boot.h>

/*
 * Start this core's services: its monitor if there is a `monitor` module
 * (which then starts the manifest's services through the monitors), else
 * the manifest's lines for this core directly.  True if anything will run.
 */
bool services_start(void);

/* The boot module of a program name, or NULL. */
const struct boot_module *services_find_module(const char *program);

/* Core 0's monitor: every manifest service has been started. */
void services_manifest_done(void);

/* Every core's idle hook: the lowest live core ends the run when every live core's domains are done. */
void services_check_finished(void);

/* SYS_MODULE_NAME: boot module index's program name to user buf. */
int64_t services_module_name(uint64_t index, uint64_t ubuf);

#endif
