#!/bin/sh
# urpc-insn-count.sh: instructions per operation of URPC's fast path, as
# the OS runs it (USER_CFLAGS of libos/libos.mk, lib/string.c's memcpy),
# counted by single-stepping tests/urpc/insn_count.c under gdb.
#
#   tools/urpc-insn-count.sh [tree]     (default: this tree)
#
# Prints, for the third (warm) call of each operation, the instructions
# executed and how many of them were in each function.  A measurement; it
# asserts nothing.  Needs gcc and gdb.
set -eu
tree=$(cd "${1:-$(dirname "$0")/..}" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
out=${TMPDIR:-/tmp}/urpc-insn-count.$$
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
gcc -std=gnu11 -O2 -g -fno-pie -no-pie -fno-omit-frame-pointer \
	-fno-tree-loop-distribute-patterns -fno-stack-protector \
	-ffreestanding -I"$tree/include" \
	-o "$out/ic" "$here/tests/urpc/insn_count.c" "$tree"/urpc/*.c \
	"$tree/lib/string.c"
cat >"$out/count.py" <<'PY'
import gdb
gdb.execute("set pagination off")
gdb.execute("set confirm off")
ops = ["ic_send", "ic_recv", "ic_recvw", "ic_peek", "ic_empty"]
for op in ops:
    gdb.Breakpoint(op)
gdb.execute("run", to_string=True)
hits = {op: 0 for op in ops}


def is_mem(text):
    """Does the instruction access memory (an operand in parentheses, or
    a push, pop, call or ret)?  Under TCG each such access is a soft-TLB
    lookup, several host instructions."""
    ins = text.split(":", 1)[-1].split()
    if not ins:
        return 0
    op = ins[0]
    if op.startswith(("lea", "nop")):
        return 0
    return int("(" in text or op.startswith(("push", "pop", "call", "ret")))


total = {}
while True:
    fr = gdb.selected_frame()
    op = fr.name()
    hits[op] += 1
    if hits[op] < 3:
        gdb.execute("continue", to_string=True)
        continue
    sp = int(gdb.parse_and_eval("$sp"))
    ret = int(gdb.parse_and_eval("*(unsigned long *)%d" % sp))
    n, per, mem = 0, {}, 0
    while int(gdb.parse_and_eval("$pc")) != ret:
        f = gdb.selected_frame().name() or "?"
        per[f] = per.get(f, 0) + 1
        n += 1
        mem += is_mem(gdb.execute("x/i $pc", to_string=True))
        gdb.execute("stepi", to_string=True)
    total[op] = (n, per, mem)
    if len(total) == len(ops):
        break
    gdb.execute("continue", to_string=True)
for op in ops:
    n, per, mem = total[op]
    parts = ", ".join("%s %d" % kv for kv in sorted(per.items(), key=lambda kv: -kv[1]))
    print("%-9s %4d instructions, %2d memory accesses: %s" % (op, n, mem, parts))
s, r, w, p, e = (total[o][0] for o in ops)
print("round trip (2 sends, 2 copied receives): %d; with blocking receives "
      "(urpc_recv, message there): %d; with receive in place: %d; "
      "one empty poll: %d" % (2 * s + 2 * r, 2 * s + 2 * w, 2 * s + 2 * p, e))
s, r, w, p, e = (total[o][2] for o in ops)
print("memory accesses: round trip %d; with blocking receives %d; in place "
      "%d; one empty poll %d" % (2 * s + 2 * r, 2 * s + 2 * w, 2 * s + 2 * p, e))
gdb.execute("kill")
PY
gdb -q -batch -x "$out/count.py" "$out/ic" 2>&1 | grep -E '^(ic_|round)'
