# make shell: boot the default machine to the shell's prompt `mk> `
# (apps/shell, docs/15-shell.md); this terminal types on the guest's serial
# console.  SMP=, TOPO=, MEM=, CMDLINE=, QEMUFLAGS= apply; trace rings are
# on (trace=off: `trace start` records).  Ctrl-D on an empty line or
# `poweroff` ends the run.
SHELL_MANIFEST := tools/manifests/shell.manifest

.PHONY: shell
shell: deps kernel $(BOOT_MODULES)
	$(PYTHON) tools/qemu.py --smp "$(SMP)" --mem "$(MEM)" --topo "$(TOPO)" \
		--cmdline "trace=off $(CMDLINE)" --timeout 0 --input \
		$(foreach m,$(BOOT_MODULES),--module $(m)) \
		--manifest $(SHELL_MANIFEST) -- $(QEMUFLAGS)
