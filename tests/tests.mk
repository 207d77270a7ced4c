# Host unit tests of shared pure code that has no subsystem fragment of its own.
# Static checks (make check) are part of make test too.
HOST_TESTS += tests/static-check.sh
