#!/bin/sh
# tools/tidy-cached.sh FILE FLAGS OUTDIR CACHEDIR: one clang-tidy run for
# make check (tools/tools.mk), skipped when an identical input was clean.
#
# FLAGS is a file of compiler flags, one per line (read back with $(cat),
# split, never unquoted, so -DELF_SAMPLE="..." keeps its quotes).  The
# findings go to OUTDIR/<FILE with / as _>.txt, clang-tidy's stderr to .err;
# exit 1 if clang-tidy failed or found anything.
#
# The cache key is a hash of everything the result depends on: clang-tidy's
# version, .clang-tidy, the flags, and the file preprocessed with those
# flags (so every header it includes, as included).  Only a clean result
# (no finding, exit 0) is kept, as an empty file CACHEDIR/<key>: a file
# with findings is checked again every time.  A file that does not
# preprocess gets no key and is always checked; so does every file when
# CACHEDIR is empty.
set -u
file=$1 flags=$2 outdir=$3 cache=$4
out=$outdir/$(echo "$file" | tr / _)
key=
if [ -n "$cache" ] && pre=$(clang -E $(cat "$flags") "$file" 2>/dev/null); then
	key=$( { clang-tidy --version; cat .clang-tidy "$flags"; echo "$file"; \
		 printf '%s\n' "$pre"; } | sha256sum | cut -c1-40)
fi
if [ -n "$key" ] && [ -e "$cache/$key" ]; then
	: >"$out.txt"
	: >"$out.err"
	exit 0
fi
if clang-tidy --quiet --config-file=.clang-tidy "$file" -- $(cat "$flags") \
		>"$out.txt" 2>"$out.err"; then
	if [ -n "$key" ] && [ ! -s "$out.txt" ]; then
		mkdir -p "$cache" && : >"$cache/$key"
	fi
	exit 0
fi
exit 1
