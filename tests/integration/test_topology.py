#!/usr/bin/env python3
"""Topology: the block the boot core prints equals hwloc's reading of the
machine QEMU was given (docs/02-topology.md, tools/topo.py).

Contract with the CPU driver: at boot, core 0 prints every line of
topo_print() as `core 0: topo: <line>`, and every core N prints
`core N: up apic=A pkg=P core=C thread=T node=D ...` (further fields after
node= are allowed).  For each machine the test compares the block line for
line with tools/topo.py's expected_block(), and each core's `up` line with
that core's `topo: cpu` line.  Above 16 cores, or with the boot option
topo=compact, runs of evenly numbered cpus print as one `topo: cpus I-J`
line (tools/topo.py compact_block); the last machine checks that form, and
that tools/topo.py expands it back to the full block.
"""
import os
import re
import sys

from harness import boot, check, finish, lines_matching

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools"))
import topo  # noqa: E402  tools/topo.py

MEM = "512M"
MACHINES = [
    ("s2c2t1", "package:2 core:2 pu:1", ""),
    ("s2c2t2", "package:2 core:2 pu:2", ""),
    ("numa2", "package:2 core:2 pu:1 numa=2", ""),
    ("compact", "package:2 core:4 pu:1 numa=2", "topo=compact"),
]
UP = r"^core (\d+): up apic=(\d+) pkg=(\d+) core=(\d+) thread=(\d+) node=(\d+)(?: .*)?$"
CPU = r"^topo: cpu (\d+) apic=(\d+) pkg=(\d+) core=(\d+) thread=(\d+) node=(\d+) "


def printed_block(out):
    """The lines core 0 printed after `core 0: ` that start with `topo: `."""
    return [m.group(1) for m in lines_matching(out, r"^core 0: (topo: .*)$")]


def first_difference(got, want):
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return "line %d: got %r, want %r" % (i, g, w)
    return "got %d lines, want %d" % (len(got), len(want))


for tag, desc, cmdline in MACHINES:
    name = "topology.%s" % tag
    want = topo.expected_block(desc, MEM)
    printed_want = topo.compact_block(want) if cmdline == "topo=compact" else want
    code, out = boot(topo=desc, mem=MEM, cmdline=cmdline, timeout=300)
    check(name + ".exit_status_0", code == 0, "exit code %s" % code, out)
    got = printed_block(out)
    check(name + ".block_matches_hwloc", got == printed_want,
          first_difference(got, printed_want) if got != printed_want else "", out)
    if cmdline == "topo=compact":
        check(name + ".runs_printed", any(l.startswith("topo: cpus ") for l in got), "", out)
        check(name + ".expands_to_full_block", topo.expand_block(got) == want,
              first_difference(topo.expand_block(got), want), out)
    expect_cpu = {}
    for line in want:
        m = re.match(CPU, line)
        if m:
            expect_cpu[int(m.group(1))] = tuple(map(int, m.groups()[1:]))
    ups = {}
    for m in lines_matching(out, UP):
        ups.setdefault(int(m.group(1)), []).append(tuple(map(int, m.groups()[1:])))
    check(name + ".every_core_up_once",
          sorted(ups) == sorted(expect_cpu) and all(len(v) == 1 for v in ups.values()),
          "cores that printed up: %s, expected %s" % (sorted(ups), sorted(expect_cpu)), out)
    wrong = [c for c in expect_cpu if c in ups and ups[c][0] != expect_cpu[c]]
    check(name + ".up_lines_match_model", not wrong and ups,
          "; ".join("core %d says %s, model %s" % (c, ups[c][0], expect_cpu[c])
                    for c in wrong), out)
finish()
