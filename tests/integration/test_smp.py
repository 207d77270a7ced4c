#!/usr/bin/env python3
"""SMP: one CPU driver per core, topology, per-node pools, fault isolation (issue 3)."""
import os
import resource
import struct

from harness import BUILD, boot, check, finish, lines_matching

UP = r"^core (\d+): up apic=(\d+) pkg=(\d+) core=(\d+) thread=(\d+) node=(\d+) " \
     r"pool=0x([0-9a-f]+)-0x([0-9a-f]+) \((\d+) MiB\) timer=(\d+) Hz$"


def up_lines(out):
    """{core: dict of its own `up` line}; a core printing twice is kept as a list."""
    cores = {}
    for m in lines_matching(out, UP):
        f = dict(zip(("apic", "pkg", "core", "thread", "node"), map(int, m.groups()[1:6])))
        f["pool"] = (int(m.group(7), 16), int(m.group(8), 16))
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
check("smp.numa2.core_nodes", [c["node"] for _, c in sorted(cores.items())] == [0, 0, 1, 1],
      str(cores), out)
for i, c in sorted(cores.items()):
    lo, hi = c["pool"]
    inside = any(node == c["node"] and base <= lo and hi <= last for node, base, last in mem)
    check("smp.numa2.core%d_pool_in_node%d" % (i, c["node"]), inside,
          "pool %#x-%#x, node ranges %s" % (lo, hi, mem), out)

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

# cores=N limits the cores started.
code, out = boot(smp=4, cmdline="cores=2", timeout=240)
check_cores_up("cores_limit", code, out, 2)
finish()
