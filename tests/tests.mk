# Host unit tests of shared pure code that has no subsystem fragment of its own.
HOST_TESTS += $(BUILD)/host/test_fmt
$(BUILD)/host/test_fmt: tests/unit/test_fmt.c libos/fmt.c include/lib/fmt.h tests/unit/test.h
	$(host-link)

# Static checks (make check) are part of make test too.
HOST_TESTS += tests/static-check.sh
