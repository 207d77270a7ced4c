#!/bin/sh
# make check (clang-tidy + cppcheck, tools/tools.mk) as one test of make test:
# prints the checker's summary line and TEST static.check PASS|FAIL.
log=${BUILD:-build}/check.log
mkdir -p "$(dirname "$log")"
if make -s --no-print-directory check >"$log" 2>&1; then r=PASS; else r=FAIL; fi
grep '^check:' "$log" | tail -1
[ "$r" = FAIL ] && tail -40 "$log"
echo "TEST static.check $r"
