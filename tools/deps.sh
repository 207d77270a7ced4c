#!/bin/sh
# deps.sh: make sure the Debian packages the build and tests need are there.
#
# Usage: tools/deps.sh [build|test|bench|trace]
# As root, missing packages are installed with apt-get (after one
# `apt-get update`).  As anyone else, the exact apt-get line is printed and
# the script fails, so `make` stops before doing anything half-way.
set -e
profile=${1:-build}

# package:command-or-file that proves it is installed
need="qemu-system-x86:/usr/bin/qemu-system-x86_64 nasm:/usr/bin/nasm \
gcc:/usr/bin/gcc make:/usr/bin/make binutils:/usr/bin/objcopy \
hwloc:/usr/bin/lstopo-no-graphics python3:/usr/bin/python3 \
grub-pc-bin:/usr/lib/grub/i386-pc/multiboot.mod grub-common:/usr/bin/grub-mkrescue \
xorriso:/usr/bin/xorriso mtools:/usr/bin/mformat"
case $profile in
test|bench)
	need="$need clang:/usr/bin/clang libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a \
libck-dev:/usr/include/ck_ring.h libhwloc-dev:/usr/include/hwloc.h spin:/usr/bin/spin \
clang-tidy:/usr/bin/clang-tidy cppcheck:/usr/bin/cppcheck"
	;;
esac
case $profile in
trace) need="$need python3-matplotlib:/usr/lib/python3/dist-packages/matplotlib/__init__.py" ;;
esac
case $profile in
bench) need="$need python3-matplotlib:/usr/lib/python3/dist-packages/matplotlib/__init__.py \
linux-image-amd64:/usr/share/bug/linux-image-amd64/presubj busybox-static:/usr/share/doc/busybox-static/copyright \
linux-perf:/usr/bin/perf qemu-user:/usr/bin/qemu-x86_64" ;;
esac

missing=""
for item in $need; do
	pkg=${item%%:*}
	path=${item#*:}
	[ -e "$path" ] || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root:  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
