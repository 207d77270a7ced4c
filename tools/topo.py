#!/usr/bin/env python3
"""The machine shapes of the tests: hwloc synthetic descriptions -> QEMU
arguments, and the topology block the OS must print for them.

Usage:
  topo.py qemu-args DESC [--mem M]   print the QEMU -smp/-numa arguments
  topo.py expect DESC [--mem M] [--compact]
                                     print the expected `topo:` block (the
                                     compact form: what the kernel prints
                                     above 16 cores or with topo=compact)

DESC is an hwloc synthetic description (see hwloc's lstopo(1), "synthetic
topologies"), levels from the top down:
  "package:2 core:2 pu:2"            2 sockets x 2 cores x 2 threads
  "core:4 pu:1"                      one package (no package level)
  "numa:2 package:2 core:2 pu:1"     2 NUMA nodes of 2 packages each
  "package:1 numa:2 core:4 pu:1"     2 NUMA nodes inside the one package
  "package:2 core:4 pu:1 numa=2"     shorthand: split the machine into 2
                                     nodes of consecutive cpus; rewritten
                                     into a `numa:N` level before hwloc
                                     reads it (N must divide the packages,
                                     or be a multiple of them dividing the
                                     cores of each package)
Cache levels (l1d/l2/l3 ...) may appear in DESC; QEMU 7.2 cannot be told
about them, so they are only useful to say the default explicitly.
Memory (--mem, as QEMU's -m: 512M, 1G) is split evenly between the nodes in
MiB, the last node taking the remainder.

Everything about the machine's shape comes from hwloc's own reading of the
description (`lstopo --input DESC --of xml -`, parsed with xml.etree): the
packages, cores, threads, NUMA nodes and caches of each PU.  What hwloc
cannot know comes from QEMU's documented behaviour and is computed here:
  - APIC ids: QEMU packs [package | core | thread] with ceil(log2 n)-bit
    fields (the same rule as include/topology/cpuid.h);
  - the SRAT memory ranges QEMU's firmware tables give each node (node 0
    starts with 0-640K, then 1M upward, each node's RAM consecutive,
    skipping the PCI hole below 4G);
  - node distances: this tool passes REMOTE_DIST for every pair of
    different nodes (-numa dist), deliberately not the OS's no-SLIT default
    of 20, so a test sees that the SLIT was read.
Cache domains: hwloc's synthetic topologies have no caches unless DESC names
them; the OS's rule when CPUID does not describe a level (QEMU's default CPU
describes none) is L1 and L2 per core, L3 per package.  expected_block()
applies that same rule to hwloc's cores and packages, and uses hwloc's cache
objects instead where DESC has them (docs/02-topology.md).

Python API (stdlib only; needs `lstopo` from Debian's hwloc package):
  qemu_args(desc, mem="512M") -> list of str
  expected_block(desc, mem="512M") -> list of str (lines, no newline)
  machine(desc) -> Machine (the parsed hwloc view; see the class)
  parse_size(text) -> int bytes
"""
import argparse
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

REMOTE_DIST = 21
LOCAL_DIST = 10
MIB = 1 << 20
LOWMEM_SPLIT = 0xB0000000      # q35: RAM below 4G ends here if it is larger
LOWMEM_SPLIT_BIG = 0x80000000  # ... or here when RAM >= 0xB0000000 (QEMU pc_q35.c)

CACHE_TYPES = {"L1Cache": 0, "L2Cache": 1, "L3Cache": 2}
KNOWN_LEVELS = ("package", "pack", "socket", "core", "pu", "numa", "node",
                "numanode", "l1", "l1d", "l1i", "l2", "l2d", "l3", "l3d",
                "l1cache", "l2cache", "l3cache", "l1icache", "machine")


def parse_size(text):
    """QEMU-style size: 512M, 1G, 1024K, or bytes; returns bytes."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(i?B)?\s*", str(text), re.I)
    if not m:
        raise ValueError("bad memory size %r" % text)
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2).upper()]


def _levels(desc):
    """[(name, count)] of the description's `name:count` tokens."""
    out = []
    for tok in desc.split():
        m = re.fullmatch(r"([A-Za-z0-9]+):(\d+)(\(.*\))?", tok)
        if not m:
            raise ValueError("bad level %r in %r" % (tok, desc))
        name = m.group(1).lower()
        if name not in KNOWN_LEVELS:
            raise ValueError("level %r is not supported (package, core, pu, numa, caches)"
                             % name)
        out.append((name, int(m.group(2)), tok))
    return out


def hwloc_desc(desc):
    """Rewrites the `numa=N` shorthand into an hwloc `numa:N` level."""
    toks = desc.split()
    numa = [t for t in toks if re.fullmatch(r"numa=\d+", t)]
    if not numa:
        _levels(desc)
        return " ".join(toks)
    if len(numa) > 1:
        raise ValueError("more than one numa= in %r" % desc)
    n = int(numa[0].split("=")[1])
    rest = [t for t in toks if t != numa[0]]
    levels = _levels(" ".join(rest))
    if any(l[0] in ("numa", "node", "numanode") for l in levels):
        raise ValueError("both numa= and a numa level in %r" % desc)
    if n == 1:
        return " ".join(rest)
    pk = [i for i, l in enumerate(levels) if l[0] in ("package", "pack", "socket")]
    if pk:
        i = pk[0]
        pkgs = levels[i][1]
    else:                       # implicit single package
        i, pkgs = -1, 1
    if pkgs % n == 0:           # whole packages per node
        new = ["numa:%d" % n] + ["%s:%d" % (levels[i][0], pkgs // n)]
        new += [l[2] for l in levels[i + 1:]]
        return " ".join([l[2] for l in levels[:max(i, 0)]] + new)
    if n % pkgs == 0:           # nodes inside each package
        per = n // pkgs
        nxt = levels[i + 1] if i + 1 < len(levels) else None
        if nxt is None or nxt[1] % per:
            raise ValueError("numa=%d does not divide %r evenly" % (n, desc))
        new = [l[2] for l in levels[:i + 1]]
        new += ["numa:%d" % per, "%s:%d" % (nxt[0], nxt[1] // per)]
        new += [l[2] for l in levels[i + 2:]]
        return " ".join(new)
    raise ValueError("numa=%d does not divide %r evenly" % (n, desc))


def _bits(n):
    b = 0
    while (1 << b) < n:
        b += 1
    return b


def _bitmap(text):
    """hwloc bitmap string ("0x00000003" or "0x1,0x00000003") -> int."""
    v = 0
    for part in text.split(","):
        v = (v << 32) | int(part, 16)
    return v


class Pu:
    """One logical processor as hwloc sees it, with the OS's numbering."""

    def __init__(self, os_index):
        self.os_index = os_index
        self.package = 0      # dense index of its package (0 if none)
        self.core = 0         # index of its core inside the package
        self.thread = 0       # index inside its core
        self.node = 0         # os_index of its NUMA node
        self.core_key = None  # global core identity
        self.caches = [None, None, None]   # hwloc cache objects, if any
        self.apic = 0


class Machine:
    """hwloc's reading of a synthetic description.

    pus: Pu list in hwloc's logical order (package-major, which is also
    QEMU's cpu-index order and APIC-id order); packages, cores_per_package,
    threads_per_core: uniform counts (ValueError otherwise); nodes: sorted
    NUMA node os_indexes; node_cpus: {node: [cpu index...]}.
    """

    def __init__(self, desc):
        self.desc = desc
        self.hwloc_desc = hwloc_desc(desc)
        xml = subprocess.run(["lstopo", "--input", self.hwloc_desc, "--of", "xml", "-"],
                             capture_output=True, text=True)
        if xml.returncode != 0:
            raise ValueError("hwloc rejects %r: %s" % (self.hwloc_desc, xml.stderr.strip()))
        root = ET.fromstring(xml.stdout)
        self.pus = []
        self.nodes = []
        self._pkg_ids = {}
        self._walk(root.find("object"), {})
        self.pus.sort(key=lambda p: p.os_index)
        self._number()

    def _walk(self, obj, anc):
        t = obj.get("type")
        anc = dict(anc)
        if t == "NUMANode":
            self.nodes.append(int(obj.get("os_index")))
            return
        if t == "Package":
            anc["package"] = obj
        elif t == "Core":
            anc["core"] = obj
        elif t in CACHE_TYPES and obj.get("cache_type", "0") in ("0", "1"):
            anc.setdefault("caches", {})
            anc["caches"] = dict(anc["caches"])
            anc["caches"][CACHE_TYPES[t]] = obj
        elif t == "PU":
            pu = Pu(int(obj.get("os_index")))
            pu._anc = anc
            pu._nodeset = _bitmap(obj.get("nodeset"))
            self.pus.append(pu)
        for child in obj.findall("object"):
            self._walk(child, anc)

    def _number(self):
        pkg_order, core_order = {}, {}
        per_pkg_cores, per_core_threads = {}, {}
        for pu in self.pus:
            pkg = pu._anc.get("package")
            core = pu._anc.get("core")
            pkey = id(pkg) if pkg is not None else None
            ckey = id(core) if core is not None else ("pu", pu.os_index)
            pu.package = pkg_order.setdefault(pkey, len(pkg_order))
            cores = per_pkg_cores.setdefault(pu.package, {})
            pu.core = cores.setdefault(ckey, len(cores))
            threads = per_core_threads.setdefault(ckey, [])
            pu.thread = len(threads)
            threads.append(pu)
            pu.core_key = core_order.setdefault(ckey, len(core_order))
            pu.caches = [pu._anc.get("caches", {}).get(l) for l in range(3)]
            nodes = [n for n in self.nodes if pu._nodeset >> n & 1]
            if len(nodes) != 1:
                raise ValueError("PU %d is in nodes %r" % (pu.os_index, nodes))
            pu.node = nodes[0]
        self.packages = len(pkg_order)
        counts = {len(c) for c in per_pkg_cores.values()}
        tcounts = {len(t) for t in per_core_threads.values()}
        if len(counts) != 1 or len(tcounts) != 1:
            raise ValueError("%r is not uniform; QEMU -smp cannot express it" % self.desc)
        self.cores_per_package = counts.pop()
        self.threads_per_core = tcounts.pop()
        self.nodes.sort()
        if self.nodes != list(range(len(self.nodes))):
            raise ValueError("NUMA nodes %r are not 0..n-1" % self.nodes)
        self.node_cpus = {n: [] for n in self.nodes}
        tb, cb = _bits(self.threads_per_core), _bits(self.cores_per_package)
        for i, pu in enumerate(self.pus):
            self.node_cpus[pu.node].append(i)
            pu.apic = pu.package << (cb + tb) | pu.core << tb | pu.thread
            del pu._anc

    @property
    def ncpus(self):
        return len(self.pus)


def machine(desc):
    """hwloc's view of desc (a Machine)."""
    return Machine(desc)


def _ranges(cpus):
    """[0,1,2,5] -> ["0-2", "5"]"""
    out, start = [], None
    for i, c in enumerate(cpus):
        if start is None:
            start = c
        if i + 1 == len(cpus) or cpus[i + 1] != c + 1:
            out.append("%d-%d" % (start, c) if c != start else "%d" % c)
            start = None
    return out


def node_sizes(nnodes, mem):
    """Bytes of RAM per node: an even split in MiB, the remainder last."""
    total = parse_size(mem)
    if nnodes == 1:
        return [total]
    each = (total // nnodes) // MIB * MIB
    if each == 0:
        raise ValueError("%s is too little memory for %d nodes" % (mem, nnodes))
    return [each] * (nnodes - 1) + [total - each * (nnodes - 1)]


def qemu_args(desc, mem="512M"):
    """QEMU arguments (after -machine q35 -m MEM) for the machine desc."""
    m = machine(desc)
    args = ["-smp", "%d,sockets=%d,cores=%d,threads=%d" % (
        m.ncpus, m.packages, m.cores_per_package, m.threads_per_core)]
    if len(m.nodes) == 1:
        return args
    for n, size in zip(m.nodes, node_sizes(len(m.nodes), mem)):
        args += ["-object", "memory-backend-ram,id=m%d,size=%dM" % (n, size // MIB)]
    for n in m.nodes:
        if not m.node_cpus[n]:
            raise ValueError("node %d has no cpus" % n)
        cpus = ",".join("cpus=" + r for r in _ranges(m.node_cpus[n]))
        args += ["-numa", "node,nodeid=%d,%s,memdev=m%d" % (n, cpus, n)]
    for a in m.nodes:
        for b in m.nodes:
            if a < b:
                args += ["-numa", "dist,src=%d,dst=%d,val=%d" % (a, b, REMOTE_DIST)]
    return args


def srat_ranges(sizes, mem):
    """[(node, base, length)] as QEMU's build_srat() lays the nodes out."""
    total = parse_size(mem)
    below_4g = min(total, LOWMEM_SPLIT_BIG if total >= LOWMEM_SPLIT else LOWMEM_SPLIT)
    out = [(0, 0, 0xA0000)]
    next_base = 0x100000
    for node, size in enumerate(sizes):
        base, length = next_base, size - (0x100000 if node == 0 else 0)
        next_base = base + length
        if base <= below_4g < next_base:
            low = below_4g - base
            if low > 0:
                out.append((node, base, low))
            base, length = 1 << 32, next_base - below_4g
            next_base = base + length
        if length > 0:
            out.append((node, base, length))
    return out


def _dense(values):
    order = {}
    return [order.setdefault(v, len(order)) for v in values]


def expected_block(desc, mem="512M"):
    """The lines topo_print() renders for the machine desc (docs/02-topology.md)."""
    m = machine(desc)
    nn = len(m.nodes)
    keys = [[], [], []]
    for pu in m.pus:
        for lvl in range(3):
            obj = pu.caches[lvl]
            if obj is not None:
                keys[lvl].append(("hwloc", id(obj)))
            elif lvl < 2:
                keys[lvl].append(("core", pu.core_key))
            else:
                keys[lvl].append(("package", pu.package))
    dense = [_dense(k) for k in keys]
    lines = ["topo: cores=%d packages=%d nodes=%d" % (m.ncpus, m.packages, nn)]
    for i, pu in enumerate(m.pus):
        lines.append("topo: cpu %d apic=%d pkg=%d core=%d thread=%d node=%d l1=%d l2=%d l3=%d"
                     % (i, pu.apic, pu.package, pu.core, pu.thread, pu.node,
                        dense[0][i], dense[1][i], dense[2][i]))
    for n in m.nodes:
        lines.append("topo: node %d cores=%d" % (n, len(m.node_cpus[n])))
    if nn > 1:
        for node, base, length in srat_ranges(node_sizes(nn, mem), mem):
            lines.append("topo: mem node=%d 0x%x-0x%x" % (node, base, base + length - 1))
    for a in m.nodes:
        lines.append("topo: dist %d: %s" % (a, " ".join(
            str(LOCAL_DIST if a == b else REMOTE_DIST) for b in m.nodes)))
    lines.append("topo: end")
    return lines


CPU_LINE = re.compile(r"^topo: cpu (\d+) apic=(\d+) pkg=(\d+) core=(\d+) thread=(\d+) "
                      r"node=(\d+) l1=(\d+) l2=(\d+) l3=(\d+)$")
RUN_LINE = re.compile(r"^topo: cpus (\d+)-(\d+)((?: \w+=\d+(?:\+\d+)?){8})$")
FIELDS = ("apic", "pkg", "core", "thread", "node", "l1", "l2", "l3")
RUN_MIN = 3  # topology/topo_print.c: shorter runs keep their cpu lines


def _cpu_line(i, v):
    return "topo: cpu %d %s" % (i, " ".join("%s=%d" % kv for kv in zip(FIELDS, v)))


def compact_block(lines):
    """The compact form of a full block, as topo_print_compact() renders it:
    each greedy run of >= RUN_MIN consecutive cpus whose eight fields all
    grow by a fixed step (>= 0) becomes `topo: cpus I-J F=V[+S] ...`."""
    at = [k for k, line in enumerate(lines) if CPU_LINE.match(line)]
    if not at:
        return list(lines)
    cpus = [tuple(int(x) for x in CPU_LINE.match(lines[k]).groups()[1:]) for k in at]
    body, i = [], 0
    while i < len(cpus):
        n = 1
        if i + 1 < len(cpus) and all(b >= a for a, b in zip(cpus[i], cpus[i + 1])):
            step = [b - a for a, b in zip(cpus[i], cpus[i + 1])]
            n = 2
            while i + n < len(cpus) and all(
                    b - a == s for a, b, s in zip(cpus[i + n - 1], cpus[i + n], step)):
                n += 1
        if n >= RUN_MIN:
            body.append("topo: cpus %d-%d %s" % (i, i + n - 1, " ".join(
                "%s=%d%s" % (f, v, "+%d" % s if s else "")
                for f, v, s in zip(FIELDS, cpus[i], step))))
            i += n
        else:
            body.append(_cpu_line(i, cpus[i]))
            i += 1
    return list(lines[:at[0]]) + body + list(lines[at[-1] + 1:])


def expand_block(lines):
    """A block with `topo: cpus I-J` run lines turned back into cpu lines
    (full blocks pass unchanged); ValueError for a malformed run line."""
    out = []
    for line in lines:
        m = RUN_LINE.match(line)
        if not m:
            if line.startswith("topo: cpus "):
                raise ValueError("malformed run line %r" % line)
            out.append(line)
            continue
        first, last = int(m.group(1)), int(m.group(2))
        start, step = [], []
        for f, kv in zip(FIELDS, m.group(3).split()):
            k, v = kv.split("=")
            if k != f:
                raise ValueError("run line %r: field %s where %s belongs" % (line, k, f))
            v0, _, s = v.partition("+")
            start.append(int(v0))
            step.append(int(s or 0))
        for k in range(last - first + 1):
            out.append(_cpu_line(first + k, [a + k * s for a, s in zip(start, step)]))
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["qemu-args", "expect"])
    ap.add_argument("desc")
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--compact", action="store_true")
    a = ap.parse_args(argv)
    try:
        if a.command == "qemu-args":
            print(" ".join(qemu_args(a.desc, a.mem)))
        else:
            block = expected_block(a.desc, a.mem)
            print("\n".join(compact_block(block) if a.compact else block))
    except ValueError as e:
        print("topo.py: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
