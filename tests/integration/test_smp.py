#!/usr/bin/env python3
"""SMP: one CPU driver per core, topology, per-node pools, fault isolation."""
import os
import resource
import struct

from harness import BUILD, boot, check, finish, lines_matching

UP = r"^core (\d+): up apic=(\d+) pkg=(\d+) core=(\d+) thread=(\d+) node=(\d+) " \
     r"pool=0x([0-9a-f]+)-0x([0-9a-f]+) \((\d+) MiB, (?:node (\d+)|several nodes)\) " \
     r"timer=(\d+) Hz$"


def up_lines(out):
    """{core: dict of its own `up` line}; a core printing twice is kept as a list."""
    cores = {}
    for m in lines_matching(out, UP):
        f = dict(zip(("apic", "pkg", "core", "thread", "node"), map(int, m.groups()[1:6])))
        f["pool"] = (int(m.group(7), 16), int(m.group(8), 16))
        f["pool_node"] = int(m.group(10)) if m.group(10) is not None else None
        cores.setdefault(int(m.group(1)), []).append(f)
    return cores


def check_cores_up(tag, code, out, n):
    check("smp.%s.exit_status_0" % tag, code == 0, "exit code %s" % code, out)
    cores = up_lines(out)
    check("smp.%s.every_core_prints_once" % tag,
          sorted(cores) == list(range(n)) and all(len(v) == 1 for v in cores.values()),
          "cores that printed: %s" % sorted(cores), out)
    check("smp.%s.all_up" % tag,
          lines_matching(out, r"^core 0: all %d cores up in \d+ ms$" % n), "", out)
    apics = [v[0]["apic"] for _, v in sorted(cores.items())]
    check("smp.%s.distinct_apic_ids" % tag, len(set(apics)) == len(apics), str(apics), out)
    pools = sorted(v[0]["pool"] for v in cores.values())
    disjoint = all(a[1] < b[0] for a, b in zip(pools, pools[1:]))
    check("smp.%s.pools_disjoint" % tag, disjoint, str(pools), out)
    return {k: v[0] for k, v in cores.items()}


def mem_ranges(out):
    return [(int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)) for m in
            lines_matching(out, r"^core 0: topo: mem node=(\d+) 0x([0-9a-f]+)-0x([0-9a-f]+)$")]


def check_pools_named(tag, out, cores):
    """Every AP names its pool's node, and the pool lies in that node's memory."""
    mem = mem_ranges(out)
    for i, c in sorted(cores.items()):
        lo, hi = c["pool"]
        if i == 0:
            continue
        inside = c["pool_node"] is not None and any(
            node == c["pool_node"] and base <= lo and hi <= last for node, base, last in mem)
        check("smp.%s.core%d_pool_node_named" % (tag, i), inside,
              "pool %#x-%#x said node %s, node ranges %s" % (lo, hi, c["pool_node"], mem), out)


def borrowed(out):
    """{core: (own node, lending node)} from the boot core's sentences."""
    return {int(m.group(1)): (int(m.group(2)), int(m.group(4))) for m in lines_matching(
        out, r"^core 0: core (\d+): node (\d+) has (no memory|too little free memory); "
             r"its pool comes from node (\d+) \(distance \d+\)$")}


for n in (1, 2, 4, 8, 16):
    code, out = boot(smp=n, timeout=240)
    check_cores_up("smp%d" % n, code, out, n)

# Two packages of two cores: package ids from CPUID leaf 0xB, not guessed.
code, out = boot(smp="4,sockets=2,cores=2,threads=1", timeout=240)
cores = check_cores_up("s2c2t1", code, out, 4)
check("smp.s2c2t1.packages",
      [(c["pkg"], c["core"], c["thread"]) for _, c in sorted(cores.items())] ==
      [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 0)], str(cores), out)

# Two packages x two cores x two threads.
code, out = boot(smp="8,sockets=2,cores=2,threads=2", timeout=240)
cores = check_cores_up("s2c2t2", code, out, 8)
want = [(p, c, t) for p in range(2) for c in range(2) for t in range(2)]
check("smp.s2c2t2.packages_cores_threads",
      [(c["pkg"], c["core"], c["thread"]) for _, c in sorted(cores.items())] == want,
      str(cores), out)

# Two NUMA nodes with memory split between them: each pool lies in its node.
numa = ["-object", "memory-backend-ram,id=m0,size=256M",
        "-object", "memory-backend-ram,id=m1,size=256M",
        "-numa", "node,nodeid=0,cpus=0-1,memdev=m0",
        "-numa", "node,nodeid=1,cpus=2-3,memdev=m1",
        "-numa", "dist,src=0,dst=1,val=21"]
code, out = boot(smp=4, extra=numa, timeout=240)
cores = check_cores_up("numa2", code, out, 4)
mem = [(int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16))
       for m in lines_matching(out, r"^core 0: topo: mem node=(\d+) 0x([0-9a-f]+)-0x([0-9a-f]+)$")]
check("smp.numa2.two_nodes_with_memory", sorted({m[0] for m in mem}) == [0, 1], str(mem), out)
check("smp.numa2.distance", lines_matching(out, r"^core 0: topo: dist 0: 10 21$"), "", out)
check_pools_named("numa2", out, cores)
check("smp.numa2.core_nodes", [c["node"] for _, c in sorted(cores.items())] == [0, 0, 1, 1],
      str(cores), out)
for i, c in sorted(cores.items()):
    lo, hi = c["pool"]
    inside = any(node == c["node"] and base <= lo and hi <= last for node, base, last in mem)
    check("smp.numa2.core%d_pool_in_node%d" % (i, c["node"]), inside,
          "pool %#x-%#x, node ranges %s" % (lo, hi, mem), out)


# A second node with cores but no memory (legal in ACPI): its cores take their
# pools from node 0, the nearest node with memory, and the boot core says so.
memless = ["-object", "memory-backend-ram,id=m0,size=512M",
           "-numa", "node,nodeid=0,cpus=0-1,memdev=m0",
           "-numa", "node,nodeid=1,cpus=2-3",
           "-numa", "dist,src=0,dst=1,val=21"]
code, out = boot(smp=4, extra=memless, timeout=240)
cores = check_cores_up("memless_node", code, out, 4)
check("smp.memless_node.core_nodes", [c["node"] for _, c in sorted(cores.items())] == [0, 0, 1, 1],
      str(cores), out)
check("smp.memless_node.borrowing_said", borrowed(out) == {2: (1, 0), 3: (1, 0)},
      str(borrowed(out)), out)
check_pools_named("memless_node", out, cores)
check("smp.memless_node.pools_from_node0",
      all(c["pool_node"] == 0 for c in cores.values()), str(cores), out)

# A small boot node (72 MiB: the boot core's 64 MiB pool leaves little): the
# cores of node 0 that do not fit take pools from node 1; all 16 come up.
small = ["-object", "memory-backend-ram,id=m0,size=72M",
         "-object", "memory-backend-ram,id=m1,size=440M",
         "-numa", "node,nodeid=0,cpus=0-7,memdev=m0",
         "-numa", "node,nodeid=1,cpus=8-15,memdev=m1",
         "-numa", "dist,src=0,dst=1,val=21"]
code, out = boot(smp=16, extra=small, timeout=240)
cores = check_cores_up("small_boot_node", code, out, 16)
lent = borrowed(out)
check("smp.small_boot_node.some_borrow", len(lent) >= 1 and
      all(own == 0 and src == 1 and cores[i]["pool_node"] == 1 for i, (own, src) in lent.items()),
      str(lent), out)
check("smp.small_boot_node.others_at_home",
      all(c["pool_node"] == c["node"] for i, c in cores.items() if i and i not in lent),
      str(cores), out)
check_pools_named("small_boot_node", out, cores)

# An SRAT whose memory ranges overlap is refused with a sentence naming the
# table and both ranges; one node, every core up.
overlap_srat = os.path.join(BUILD, "srat-overlap.bin")
with open(overlap_srat, "wb") as f:
    f.write(struct.pack("<IQ", 1, 0))
    for dom, base, length in ((0, 0, 0x10000000), (1, 0x8000000, 0x10000000)):
        f.write(bytes([1, 40]) + struct.pack("<IHIIIIIIQ", dom, 0, base & 0xffffffff, base >> 32,
                                             length & 0xffffffff, length >> 32, 0, 1, 0))
code, out = boot(smp=4, extra=["-acpitable", "sig=SRAT,rev=3,oem_id=OVLAP,data=" + overlap_srat],
                 timeout=240)
check_cores_up("srat_overlap", code, out, 4)
check("smp.srat_overlap.reported",
      lines_matching(out, r"^core 0: ACPI: SRAT: memory ranges 0x0-0xfffffff \(domain 0\) and "
                          r"0x8000000-0x17ffffff \(domain 1\) overlap"), "", out)
check("smp.srat_overlap.one_node",
      lines_matching(out, r"^core 0: topo: cores=4 packages=1 nodes=1$"), "", out)

# A faulting core and a panicking core stop alone; the others keep ticking.
code, out = boot(smp=4, cmdline="test=smp-fault", timeout=240)
check("smp.fault.exit_status_0", code == 0, "exit code %s" % code, out)
check("smp.fault.core1_report",
      lines_matching(out, r"^PANIC core 1: exception #PF page fault \(vector 14\) .*cr2=0x10 "),
      "", out)
check("smp.fault.core2_report", "PANIC core 2: smp-fault: deliberate panic" in out, "", out)
for m in lines_matching(out, r"^TEST (smp\.fault\.\S+) (PASS|FAIL)$"):
    check("smp.kernel.%s" % m.group(1), m.group(2) == "PASS", "kernel says FAIL", out)
check("smp.fault.kernel_checks_ran",
      len(lines_matching(out, r"^TEST smp\.fault\.\S+ (PASS|FAIL)$")) == 5, "", out)

# Idle cores halt: 16 vCPUs idling for 4 s must cost far less host CPU than
# 16 (or the host's 2) spinning cores would.  A behaviour check with a wide
# margin, not a speed target: spinning costs >= 2 host-CPU-seconds per second.
t0 = resource.getrusage(resource.RUSAGE_CHILDREN)
code, out = boot(smp=16, cmdline="idle_ms=4000", timeout=240)
t1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (t1.ru_utime - t0.ru_utime) + (t1.ru_stime - t0.ru_stime)
check("smp.idle.exit_status_0", code == 0, "exit code %s" % code, out)
check("smp.idle.cores_halt", cpu < 4.0,
      "QEMU used %.1f s of host CPU for a 4 s idle period of 16 cores" % cpu, out)
print("smp.idle: QEMU used %.2f host-CPU seconds for boot + 4 s idle of 16 cores" % cpu)

# A malformed ACPI table (an SRAT whose first entry has length 0, added by
# QEMU's -acpitable) is reported by name and field; boot falls back to one
# node and every core still comes up.
bad_srat = os.path.join(BUILD, "srat-entry-length-0.bin")
with open(bad_srat, "wb") as f:
    f.write(struct.pack("<IQ", 1, 0) + bytes([0, 0]) + bytes(14))
code, out = boot(smp=4, extra=["-acpitable", "sig=SRAT,rev=3,oem_id=BADTB,data=" + bad_srat],
                 timeout=240)
check_cores_up("bad_srat", code, out, 4)
check("smp.bad_srat.reported",
      lines_matching(out, r"^core 0: ACPI: SRAT: entry at offset 0x[0-9a-f]+ has length 0"),
      "", out)
check("smp.bad_srat.one_node", lines_matching(out, r"^core 0: topo: cores=4 packages=1 nodes=1$"),
      "", out)

# A core that never answers INIT-SIPI-SIPI (deaf_core=2: no start-up IPI) is
# reported, parked and left out; the others start in parallel and run.
code, out = boot(smp=4, cmdline="deaf_core=2", timeout=240)
check("smp.deaf_core.exit_status_0", code == 0, "exit code %s" % code, out)
check("smp.deaf_core.reported", lines_matching(
    out, r"^core 0: core 2 \(apic 2\): did not answer INIT-SIPI-SIPI within \d+ ms; "
         r"parked and left out$"), "", out)
check("smp.deaf_core.others_up", sorted(up_lines(out)) == [0, 1, 3], str(sorted(up_lines(out))), out)
check("smp.deaf_core.count", lines_matching(out, r"^core 0: 3 of 4 cores up in \d+ ms$"), "", out)

# cores=N limits the cores started.
code, out = boot(smp=4, cmdline="cores=2", timeout=240)
check_cores_up("cores_limit", code, out, 2)
finish()
