# make trace: a short ping-pong and soak on SMP cores with trace=on; every
# core's and domain's trace ring is dumped at the end (include/sys/trace.h)
# and tools/trace.py turns the log into build/trace/trace.json (Chrome
# trace events: Perfetto UI, chrome://tracing) and build/trace/trace.png.
TRACE_DIR      := $(BUILD)/trace
TRACE_MANIFEST := tools/manifests/trace.manifest
TRACE_MODULES   = $(BUILD)/apps/monitor $(BUILD)/apps/pingpong $(BUILD)/apps/soak

.PHONY: trace deps-trace
deps-trace:
	@tools/deps.sh trace

trace: deps-trace kernel $(BOOT_MODULES)
	@mkdir -p $(TRACE_DIR)
	$(PYTHON) tools/qemu.py --smp "$(SMP)" --mem "$(MEM)" --topo "$(TOPO)" \
		--cmdline "trace=on $(CMDLINE)" --timeout 600 --log $(TRACE_DIR)/trace.log \
		$(foreach m,$(TRACE_MODULES),--module $(m)) --manifest $(TRACE_MANIFEST) >/dev/null
	/usr/bin/python3 tools/trace.py $(TRACE_DIR)/trace.log \
		--json $(TRACE_DIR)/trace.json --png $(TRACE_DIR)/trace.png
	@echo "trace: $(TRACE_DIR)/trace.json (open in https://ui.perfetto.dev), $(TRACE_DIR)/trace.png"

# make bench-trace: the cost of a compiled-in but disabled tracer (A/B/C
# runs of the ping-pong, tools/bench-trace.py); builds the compiled-out
# variant in $(BUILD)/notrace first.
TRACE_AB_ROUNDS ?= 3
.PHONY: bench-trace
bench-trace: deps kernel
	$(MAKE) --no-print-directory BUILD=$(BUILD)/notrace \
		CC="$(CC) -DTRACE_COMPILED_OUT -DURPC_NO_TRACE" kernel
	$(PYTHON) tools/bench-trace.py --rounds $(TRACE_AB_ROUNDS) --smp "$(SMP)"
