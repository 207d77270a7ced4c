#!/usr/bin/env python3
"""tcg-budget.py: what one round trip costs QEMU's TCG, URPC against the raw word.

Usage: tcg-budget.py [--smp 2] [--iters 2000] [--perf-iters N] [--keep DIR]
                     [--json FILE]
       tcg-budget.py --user [--rounds 3] [--user-trips 20000]

Boots `make bench`'s ping-pong (apps/pingpong, tools/manifests/bench.manifest)
with QEMU's own logs on, filtered (-dfilter) to the four loops that make a
round trip: the client's bare_block (URPC: urpc_send + urpc_recv) and
raw_block (the raw word), the server's bare_echo and raw_echo.  Each is a
function of its own in apps/pingpong (noinline), so its address range
(from `nm`) selects exactly its translated blocks (TBs); a TB of another
program at the same virtual address (every app is linked at 0x400000) is
told apart by its guest bytes, which must equal pingpong's.

Run 1, chained as `make bench` runs: `-d in_asm,out_asm,op_opt`.  For every
TB: its guest instructions and memory accesses (qemu_ld/qemu_st ops), the
host instructions TCG generated for it (the TB's body, without the slow
paths of its soft-TLB misses and without the exits not taken), the helper
calls it makes, and how it ends: `goto_tb` (a direct jump, patched once
to the next TB: chained), `goto_ptr` after a call of lookup_tb_ptr (an
indirect jump: `ret`, `call *`, `jmp *`; a hash lookup in C every time)
or `exit_tb` alone (back to QEMU's cpu_exec loop).

Run 2, the same boot with `-d exec,nochain`: every TB execution is logged
(chaining off, so none is skipped), which gives how often each TB runs
and which follows which.  A trip's count is the number of times the
client loop's TB holding its first `rdtsc` ran; a TB that runs more than
1.5 times per trip is a poll (waiting, not work: reported as polls per
trip, and on the path only the TB the poll leaves the loop from); TBs of
the same guest code count together (the copies of an unrolled poll,
apps/pingpong/wait.h), and a TB that only runs between two polls (the
unrolled poll's countdown) is one too.

Per round trip (client's hop + server's hop), for the raw word and for
URPC: TBs, guest instructions, guest memory accesses, host instructions,
helper calls by name, TB ends by kind.  The host-instruction figure is
what the emulator executes for our code; multiplied by the host's cycles
per instruction it is the emulator's part of the round trip.

With --perf-iters N (needs linux-perf): a third boot with N round trips
per kind and `perf record -e cpu-clock` on QEMU (this VM has no hardware
counters), its samples split into: each loop's TBs (poll TBs apart from
the rest), other translated code, QEMU's helpers and loop by symbol, the
host kernel.  The TBs' host addresses come from that boot's own out_asm
log, so samples in generated code are attributed to the guest code that
was translated there.

With --user: no boot; build/bench/bench_host (`make bench-host`'s program:
the same URPC library and raw line on two Linux threads) runs natively
and under qemu-user's TCG (Debian's qemu-user, `qemu-x86_64`: the same
translator, no guest OS) in alternation, `rounds` times each, and the
URPC / raw-line round-trip ratio of each run is printed: the same
binary's ratio with and without the emulator.

A measurement; it asserts nothing.  Needs a build (`make`; for --user
`make build/bench/bench_host`).
"""
import argparse
import bisect
import collections
import json
import os
import statistics
import re
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402
import bench  # noqa: E402

PINGPONG = os.path.join(qemu.BUILD, "apps", "pingpong")
MONITOR = os.path.join(qemu.BUILD, "apps", "monitor")
# the loops of one round trip: (kind, side, function)
LOOPS = [("raw", "client", "raw_block"), ("raw", "server", "raw_echo"),
         ("urpc", "client", "bare_block"), ("urpc", "server", "bare_echo")]
KINDS = ("raw", "urpc")

GUEST = re.compile(r"^0x([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(.*)$")
HOST = re.compile(r"^0x([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(.*)$")
TRACE = re.compile(r"^Trace (\d+): 0x([0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/")
OUT = re.compile(r"^OUT: \[size=(\d+)\]")


def die(msg):
    sys.exit("tcg-budget.py: " + msg)


def symbols(elf):
    """name -> (address, size) of the functions in elf (nm -S)."""
    out = subprocess.run(["nm", "-S", elf], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tT":
            syms[f[3]] = (int(f[0], 16), int(f[1], 16))
    return syms


def elf_reader(elf):
    """A function (address, length) -> bytes of elf's loaded image (PT_LOAD segments)."""
    data = open(elf, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        die("%s is not a 64-bit ELF file" % elf)
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    segs = []
    for i in range(phnum):
        p_type, _, p_off, p_vaddr, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            segs.append((p_vaddr, p_off, p_filesz))

    def read(addr, n):
        for vaddr, off, size in segs:
            if vaddr <= addr and addr + n <= vaddr + size:
                return data[off + addr - vaddr: off + addr - vaddr + n]
        return None
    return read


class TB:
    """One translated block as the log shows it."""

    def __init__(self, pc):
        self.pc = pc
        self.guest = []         # (address, bytes, text)
        self.ops = []           # op_opt lines: (guest insn index, op)
        self.host = []          # main body: (guest insn index, host insn text, address)
        self.tc = None          # host address of its first instruction
        self.end = None         # host address after its code
        self.call_targets = []  # host addresses its helper calls go to, in order

    def mem_ops(self, lo=0, hi=None):
        return sum(1 for i, o in self.ops if o.startswith(("qemu_ld", "qemu_st"))
                   and lo <= i and (hi is None or i <= hi))

    def helpers(self, lo=0, hi=None):
        names = []
        for i, o in self.ops:
            if i < lo or (hi is not None and i > hi):
                continue
            m = re.match(r"call (\w+),", o)
            if m and m.group(1) != "lookup_tb_ptr":
                names.append(m.group(1))
        return names

    def exits(self):
        """[(kind, target pc or None)]: goto_tb exits with the pc they go to,
        a goto_ptr exit (lookup_tb_ptr), and exit_tb alone (not after goto_tb)."""
        rip = self.pc
        res, prev = [], ""
        for _, o in self.ops:
            m = re.match(r"(mov|add)_i64 rip,(?:rip,)?\$0x([0-9a-f]+)", o)
            if m:
                v = int(m.group(2), 16)
                rip = v if m.group(1) == "mov" else (rip + v) & (2 ** 64 - 1)
            if o.startswith("goto_tb"):
                res.append(("chained", rip))
            elif o.startswith("goto_ptr"):
                res.append(("lookup", None))
            elif o.startswith("exit_tb") and not prev.startswith("goto_tb") \
                    and not prev.startswith("set_label"):
                res.append(("exit", None))
            prev = o
        return res

    def insn_at(self, host_addr):
        """The guest instruction (index) whose host code holds host_addr, or
        the last one for an address past the body (a slow path's stub)."""
        idx = len(self.guest) - 1
        for i, _, a in self.host:
            if a > host_addr:
                break
            idx = i
        return idx

    def host_insns(self, lo=0, hi=None):
        """Host instructions a pass through guest instructions lo..hi of the
        TB executes: its body less the exits' fall-backs to the epilogue
        (leaq + jmp, run only while unchained) and, where it has two goto_tb
        exits, the other's jump (about 4)."""
        last = len(self.guest) - 1
        hi = last if hi is None else hi
        sel = [t for i, t, _ in self.host if lo <= i <= hi]
        n = len(sel)
        if hi == last:
            tails = sum(1 for t in sel if t.startswith("leaq") and "(%rip), %rax" in t)
            gotos = sum(1 for k, _ in self.exits() if k == "chained")
            n -= 2 * tails + (4 if gotos >= 2 else 0)
        return n


def parse_log(path):
    """(list of TB, list of (cpu, tc, pc) executions) from a -d log.

    With several vCPUs translating at once a TB's IN, OP and OUT blocks
    need not follow each other (each block is written whole, but another
    vCPU's may come between), so an OP or OUT block is given to the latest
    IN block of the same page offset that has none yet (the offset is in
    the OP block's first insn marker and the OUT block's first guest addr
    line)."""
    tbs, execs = [], []
    blk, kind = None, None
    pending = {"op": [], "out": []}

    def close():
        if blk is None:
            return
        if kind == "in" and blk.pc is not None:
            tbs.append(blk)
            pending["op"].append(blk)
            pending["out"].append(blk)
        elif kind in ("op", "out") and blk.get("off") is not None:
            for i in range(len(pending[kind]) - 1, -1, -1):
                tb = pending[kind][i]
                if tb.pc & 0xfff == blk["off"] & 0xfff:
                    del pending[kind][i]
                    if kind == "op":
                        tb.ops = blk["ops"]
                    else:
                        tb.host, tb.tc, tb.end = blk["host"], blk["tc"], blk["end"]
                        tb.call_targets = [blk["data"].get(a) for a in blk["calls"]]
                    break

    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Trace "):
                m = TRACE.match(line)
                if m:
                    execs.append((int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)))
                continue
            if line.startswith("IN:"):
                close()
                blk, kind = TB(None), "in"
            elif line.startswith("OP after"):
                close()
                blk, kind = {"off": None, "ops": [], "insn": -1}, "op"
            elif OUT.match(line):
                close()
                blk, kind = {"off": None, "host": [], "tc": None, "end": None,
                             "part": "out", "insn": -1, "calls": [], "data": {}}, "out"
            elif line.startswith("----------------") or line.startswith("PROLOGUE"):
                close()
                blk, kind = None, None
            elif kind == "in":
                m = GUEST.match(line)
                if m:
                    addr = int(m.group(1), 16)
                    blk.guest.append((addr, bytes.fromhex(m.group(2).replace(" ", "")),
                                      m.group(3).strip()))
                    if blk.pc is None:
                        blk.pc = addr
            elif kind == "op":
                s = line.strip()
                m = re.match(r"---- ([0-9a-f]+) ", s)
                if m:
                    if blk["off"] is None:
                        blk["off"] = int(m.group(1), 16)
                    blk["insn"] += 1
                elif s:
                    blk["ops"].append((max(blk["insn"], 0), re.split(r"\s{2,}", s)[0]))
            elif kind == "out":
                m = re.match(r"\s+-- guest addr 0x([0-9a-f]+)", line)
                if m:
                    if blk["off"] is None:
                        blk["off"] = int(m.group(1), 16)
                    blk["insn"] += 1
                if line.startswith("  -- tb slow paths") or line.startswith("  data:"):
                    blk["part"] = "tail"
                m = re.match(r"^0x([0-9a-f]+):\s+\.quad\s+0x([0-9a-f]+)", line)
                if m:
                    blk["data"][int(m.group(1), 16)] = int(m.group(2), 16)
                m = HOST.match(line)
                if m:
                    addr = int(m.group(1), 16)
                    c = re.match(r"callq\s+\*(-?0x[0-9a-f]+)\(%rip\)", m.group(3).strip())
                    if c and blk["part"] == "out":
                        blk["calls"].append(addr + len(m.group(2).split()) + int(c.group(1), 16))
                    if blk["tc"] is None:
                        blk["tc"] = addr
                    blk["end"] = addr + len(m.group(2).split())
                    if blk["part"] == "out":
                        blk["host"].append((max(blk["insn"], 0), m.group(3).strip(), addr))
        close()
    return tbs, execs


class Loops:
    """pingpong's four loops: address ranges and the check of a TB's bytes."""

    def __init__(self, elf):
        syms = symbols(elf)
        self.read = elf_reader(elf)
        self.ranges = {}
        for kind, side, fn in LOOPS:
            if fn not in syms:
                die("%s has no function %s (build with this tree's apps/pingpong)" % (elf, fn))
            self.ranges[(kind, side)] = syms[fn]

    def dfilter(self):
        return ",".join("0x%x+0x%x" % r for r in self.ranges.values())

    def owner(self, tb):
        """(kind, side) whose function holds tb and whose bytes it has, or None."""
        for key, (a, n) in self.ranges.items():
            if a <= tb.pc < a + n:
                if all(self.read(addr, len(b)) == b for addr, b, _ in tb.guest):
                    return key
                return None
        return None

    def first_rdtsc(self, key):
        """Address of the first rdtsc in the loop's function (a trip's start)."""
        a, n = self.ranges[key]
        out = subprocess.run(["objdump", "-d", "--start-address=0x%x" % a,
                              "--stop-address=0x%x" % (a + n), PINGPONG],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            m = re.match(r"\s*([0-9a-f]+):\s.*\brdtsc\b", line)
            if m:
                return int(m.group(1), 16)
        die("%s %s: no rdtsc in its function (pingpong changed?)" % key)


def manifest(tmp, iters):
    """make bench's manifest with iters trips per kind, no stream, no kernel IPC."""
    man = bench.write_manifest(tmp, iters, 0, "all")
    with open(man) as f:
        text = f.read()
    with open(man, "w") as f:
        f.write(re.sub(r"(?m)^(pingpong\s.*\bcoord\b.*)$", r"\1 kipc=0", text))
    return man


def boot(iters, smp, flags, log, timeout=900, wrap=None):
    """One boot of the ping-pong with QEMU's -d flags (under wrap, a command
    prefix, if given); returns the guest's output."""
    with tempfile.TemporaryDirectory() as tmp:
        man = manifest(tmp, iters)
        cmd = qemu.build_command(smp=str(smp), mem="512M", modules=[MONITOR, PINGPONG, man],
                                 extra=flags + ["-D", log])
        code, text = qemu.run((wrap or []) + cmd, timeout=timeout, echo=False)
    if code != 0:
        die("the guest's run ended with status %d (log %s)" % (code, log))
    return text, cmd


def tb_table(tbs, loops):
    """(kind, side) -> {pc: TB} of pingpong's loop TBs (first translation of each pc)."""
    table = collections.defaultdict(dict)
    for tb in tbs:
        key = loops.owner(tb)
        if key and tb.pc not in table[key]:
            table[key][tb.pc] = tb
    return table


def path_counts(execs, tbs, loops):
    """Per (kind, side): executions of each TB pc, and of each transition
    (pc -> next pc on the same vCPU, both in the same loop)."""
    by_tc = {}
    for tb in tbs:
        key = loops.owner(tb)
        if key and tb.tc is not None:
            by_tc[tb.tc] = (key, tb.pc)
    runs = collections.defaultdict(collections.Counter)
    trans = collections.defaultdict(collections.Counter)
    last = {}
    for cpu, tc, _ in execs:
        kp = by_tc.get(tc)
        if kp is None:
            last.pop(cpu, None)
            continue
        key, pc = kp
        runs[key][pc] += 1
        prev = last.get(cpu)
        if prev and prev[0] == key:
            trans[key][(prev[1], pc)] += 1
        last[cpu] = kp
    return runs, trans


def budget(table, runs, trans, trips):
    """Per-trip figures of one loop: the work path and its polls."""
    res = {"tbs": 0.0, "guest_insns": 0.0, "guest_mem": 0.0, "host_insns": 0.0,
           "helpers": collections.Counter(), "ends": collections.Counter(),
           "polls": 0.0, "path": []}
    poll = poll_set(table, runs, trans, trips)
    res["polls"] = sum(runs[pc] for pc in poll) / trips if trips else 0
    for pc, n in sorted(runs.items()):
        tb = table.get(pc)
        if tb is None:
            continue
        f = n / trips
        if pc in poll:      # on the path only as the iteration that leaves the loop
            f = sum(c for (a, b), c in trans.items() if a == pc and b not in poll) / trips
        if f < 0.01:
            continue
        res["tbs"] += f
        res["guest_insns"] += f * len(tb.guest)
        res["guest_mem"] += f * tb.mem_ops()
        res["host_insns"] += f * tb.host_insns()
        for h in tb.helpers():
            res["helpers"][h] += f
        ex = tb.exits()
        # how it ends on the way it takes: by the transitions seen
        outs = [(b, c) for (a, b), c in trans.items() if a == pc]
        for b, c in outs:
            if pc in poll and b in poll:
                continue
            kinds = [k for k, t in ex if k == "chained" and t == b]
            kind = "chained" if kinds else ("lookup" if any(k == "lookup" for k, _ in ex)
                                            else "exit" if any(k == "exit" for k, _ in ex)
                                            else "chained")
            res["ends"][kind] += c / trips
        res["path"].append({"pc": "0x%x" % pc, "per_trip": round(f, 3),
                            "guest": len(tb.guest), "mem": tb.mem_ops(),
                            "host": tb.host_insns(), "helpers": tb.helpers(),
                            "poll": pc in poll,
                            "first": tb.guest[0][2] if tb.guest else "",
                            "last": tb.guest[-1][2] if tb.guest else ""})
    return res


# the store that hands the message to the peer: URPC's control word (offset
# 0x38 of a slot, include/urpc/urpc.h), the raw word itself (offset 0)
PUBLISH = {"urpc": re.compile(r"^mov\w*\s+%\w+, 0x38\(%\w+\)$"),
           "raw": re.compile(r"^mov\w*\s+%\w+, \(%\w+\)$")}


def critical(table, runs, trans, trips, kind, side):
    """The hop's critical path as [(TB, first insn, last insn)]: the client
    from its first rdtsc to its publishing store, then from its poll's exit
    to its second rdtsc; the server from its poll's exit to its publishing
    store.  The way is the most frequent transition out of each TB."""
    poll = poll_set(table, runs, trans, trips)

    def nxt(pc):
        outs = [(c, b) for (a, b), c in trans.items() if a == pc and b not in poll]
        return max(outs)[1] if outs else None

    def walk(pc, lo, stop, seg):
        for _ in range(64):
            tb = table.get(pc)
            if tb is None:
                return None
            for i in range(lo, len(tb.guest)):
                if stop(tb.guest[i][2]):
                    seg.append((tb, lo, i))
                    return seg
            seg.append((tb, lo, len(tb.guest) - 1))
            pc, lo = nxt(pc), 0
            if pc is None:
                return None
        return None

    def poll_exit():
        outs = [(c, a, b) for (a, b), c in trans.items() if a in poll and b not in poll]
        return max(outs)[1:] if outs else (None, None)

    seg = []
    publish = PUBLISH[kind]
    if side == "client":
        starts = [(n, pc) for pc, n in runs.items() if pc in table and
                  any(t == "rdtsc" for _, _, t in table[pc].guest)]
        if not starts:
            return None
        pc = max(starts)[1]
        tb = table[pc]
        lo = [i for i, g in enumerate(tb.guest) if g[2] == "rdtsc"][0]
        if walk(pc, lo, publish.match, seg) is None:
            return None
    p, after = poll_exit()
    if p is None:
        return None
    seg.append((table[p], 0, len(table[p].guest) - 1))
    stop = (lambda t: t == "rdtsc") if side == "client" else publish.match
    return walk(after, 0, stop, seg)


def poll_signature(tb):
    """A TB's guest code with its jump targets left out: the copies of an
    unrolled poll (apps/pingpong/wait.h: 8 loads, each its own TB) are alike."""
    return tuple(t.split()[0] if t.startswith("j") else t for _, _, t in tb.guest)


def poll_set(table, runs, trans, trips):
    """The loop's poll TBs: those that run more than 1.5 times per trip,
    counting alike TBs together (an unrolled poll's copies), and the TBs
    that only ever run between two of them (an unrolled poll's countdown)."""
    alike = collections.Counter()
    for pc, n in runs.items():
        if pc in table:
            alike[poll_signature(table[pc])] += n
    poll = {pc for pc, n in runs.items()
            if (alike[poll_signature(table[pc])] if pc in table else n) > 1.5 * trips}
    for pc in set(runs) - poll:
        ins = [a for (a, b) in trans if b == pc and a != pc]
        outs = [b for (a, b) in trans if a == pc and b != pc]
        if ins and outs and all(a in poll for a in ins) and all(b in poll for b in outs) \
                and pc in table and table[pc].mem_ops() == 0:
            poll.add(pc)
    return poll


def seg_cost(seg):
    c = {"tbs": 0, "guest_insns": 0, "guest_mem": 0, "host_insns": 0,
         "helpers": collections.Counter(), "ends": collections.Counter(), "insns": []}
    for tb, lo, hi in seg:
        c["tbs"] += 1
        c["guest_insns"] += hi - lo + 1
        c["guest_mem"] += tb.mem_ops(lo, hi)
        c["host_insns"] += tb.host_insns(lo, hi)
        for h in tb.helpers(lo, hi):
            c["helpers"][h] += 1
        if hi == len(tb.guest) - 1:
            kinds = {k for k, _ in tb.exits()}
            c["ends"]["lookup" if "lookup" in kinds else "chained" if "chained" in kinds
                      else "exit"] += 1
        c["insns"] += ["0x%x %s" % (a, t) for a, _, t in tb.guest[lo:hi + 1]]
    return c


def helper_addresses(tbs):
    """host address -> helper name, from TBs whose ops and code both list calls."""
    names = {}
    for tb in tbs:
        ops = [re.match(r"call (\w+),", o).group(1) for _, o in tb.ops
               if re.match(r"call (\w+),", o)]
        if len(ops) == len(tb.call_targets):
            for n, a in zip(ops, tb.call_targets):
                if a:
                    names[a] = n
    return names


def perf_samples(perf_data):
    """[(leaf ip, leaf sym, leaf dso, [caller ips])] from perf script's output
    (with call chains when the data has them)."""
    out = subprocess.run(["perf", "script", "-i", perf_data, "-F", "ip,sym,dso"],
                         capture_output=True, text=True).stdout
    samples, cur = [], None
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$", line)
        if not m:
            if cur:
                samples.append(cur)
            cur = None
            continue
        ip = int(m.group(1), 16)
        if cur is None:
            cur = (ip, m.group(2), m.group(3), [])
        else:
            cur[3].append(ip)
    if cur:
        samples.append(cur)
    return samples


def perf_split(perf_data, tbs, loops):
    """Samples of `perf record` on QEMU: (total, Counter by place, Counter by
    ((kind, side), pc) of the loops' TBs, Counter by ((kind, side), pc,
    guest insn index) of QEMU's samples whose call chain comes from that
    instruction of that TB: the helpers it called).  A place is a loop's
    TBs, other generated code, a QEMU function by its exported name, or for
    QEMU's unexported code the helper it is in (the nearest helper address
    at or below it that the TBs call, within 4 KiB; "qemu ?" otherwise)."""
    ranges = sorted((tb.tc, tb.end, loops.owner(tb), tb.pc, tb) for tb in tbs
                    if tb.tc is not None and loops.owner(tb))
    starts = [r[0] for r in ranges]
    helpers = helper_addresses(tbs)
    # with call chains perf prints QEMU's addresses as in its file: move the
    # helpers' run-time addresses there (the text mapping of the mmap event)
    ev = subprocess.run(["perf", "script", "-i", perf_data, "--show-mmap-events"],
                        capture_output=True, text=True).stdout
    m = re.search(r"\[0x([0-9a-f]+)\(0x[0-9a-f]+\) @ 0x([0-9a-f]+) [^\]]*\]: r-xp \S*qemu-system", ev)
    if m:
        shift = int(m.group(1), 16) - int(m.group(2), 16)
        helpers = {a - shift: n for a, n in helpers.items()}
    hstarts = sorted(helpers)
    split, per_tb, called = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0

    def tb_of(ip):
        i = bisect.bisect_right(starts, ip) - 1
        return ranges[i] if i >= 0 and ranges[i][0] <= ip < ranges[i][1] else None

    for ip, sym, dso, chain in perf_samples(perf_data):
        total += 1
        r = tb_of(ip)
        if r:
            per_tb[(r[2], r[3])] += 1
            split["TBs of %s %s" % r[2]] += 1
            continue
        if "qemu-system" in dso:
            for c in chain:
                rc = tb_of(c)
                if rc:
                    called[(rc[2], rc[3], rc[4].insn_at(c))] += 1
                    break
            j = bisect.bisect_right(hstarts, ip) - 1
            if sym != "[unknown]":
                split["qemu " + sym] += 1
            elif j >= 0 and ip - hstarts[j] < 4096:
                split["qemu helper_%s (unexported)" % helpers[hstarts[j]]] += 1
            else:
                split["qemu ? (unexported)"] += 1
        elif os.path.basename(dso).startswith("perf-") and dso.endswith(".map"):
            split["generated code of other TBs"] += 1
        elif "kernel" in dso:
            split["host kernel"] += 1
        else:
            split[os.path.basename(dso) + " " + sym] += 1
    return total, split, per_tb, called


BENCH_HOST = os.path.join(qemu.BUILD, "bench", "bench_host")
USER_MECHS = ("raw", "urpc-fence", "urpc")


def bench_host_run(prefix, trips):
    """One bench_host run (under prefix, a command list); mechanism -> median rtt ns."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "host.json")
        cmd = prefix + [BENCH_HOST, "-n", str(trips), "-m", "1000", "-r", "1", "-p", "8",
                        "-k", ",".join(USER_MECHS), "-o", out]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        if res.returncode != 0 or not os.path.exists(out):
            die("%s failed: %s" % (" ".join(cmd), res.stderr.strip()[-300:]))
        with open(out) as f:
            data = json.load(f)
    return {m: median_rtt(data, m) for m in USER_MECHS}


def median_rtt(data, mech):
    """The median round trip of mech in bench_host's JSON (-o)."""
    for r in data.get("results", []):
        if r.get("name") == mech:
            return r["rtt_median_ns"]["median"]
    die("no %s in bench_host's JSON" % mech)


def user_mode(a):
    """bench_host natively and under qemu-x86_64, alternating (module doc)."""
    if not os.path.exists(BENCH_HOST):
        die("%s not built (make %s)" % (BENCH_HOST, os.path.relpath(BENCH_HOST, ROOT)))
    emu = subprocess.run(["which", "qemu-x86_64"], capture_output=True, text=True).stdout.strip()
    if not emu:
        die("qemu-x86_64 not found (Debian package qemu-user: tools/deps.sh bench)")
    rows = []
    print("bench_host -n %d -p 8 -k %s, native and under %s, %d rounds alternating"
          % (a.user_trips, ",".join(USER_MECHS), emu, a.rounds))
    for i in range(a.rounds):
        for where, prefix in (("native", []), ("qemu-user", [emu])):
            load = os.getloadavg()[0]
            m = bench_host_run(prefix, a.user_trips)
            rows.append((where, m, load))
            print("  round %d %-9s (load %4.1f): %s" % (
                i + 1, where, load, ", ".join("%s %.0f ns (%.2fx)" % (
                    k, m[k], m[k] / m["raw"]) for k in USER_MECHS)), flush=True)
    for where in ("native", "qemu-user"):
        rs = [m for w, m, _ in rows if w == where]
        print("%-9s median of the runs' ratios: %s" % (where, ", ".join(
            "%s/raw %.2fx" % (k, statistics.median(m[k] / m["raw"] for m in rs))
            for k in USER_MECHS[1:])))
    if a.json:
        with open(a.json, "w") as f:
            json.dump([{"where": w, "rtt_ns": m, "load": l} for w, m, l in rows], f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--iters", type=int, default=2000,
                    help="round trips per kind and pair for the logged boots")
    ap.add_argument("--perf-iters", type=int, default=0,
                    help="round trips per kind and pair for a perf boot (0: none)")
    ap.add_argument("--keep", help="keep the logs in this directory")
    ap.add_argument("--json", help="write the figures as JSON to this file")
    ap.add_argument("--user", action="store_true",
                    help="bench_host natively and under qemu-user instead of a boot")
    ap.add_argument("--rounds", type=int, default=3, help="--user: alternating rounds")
    ap.add_argument("--user-trips", type=int, default=20000,
                    help="--user: round trips per mechanism and run")
    ap.add_argument("--reuse", action="store_true",
                    help="analyse the logs already in --keep's directory, boot nothing")
    a = ap.parse_args()
    if a.user:
        return user_mode(a)
    if not os.path.exists(PINGPONG):
        die("%s not built (make)" % PINGPONG)
    if a.smp < 2 or a.smp > 8:
        die("--smp %d: want 2 to 8 (one pair per ordered core pair)" % a.smp)
    loops = Loops(PINGPONG)
    work = a.keep or tempfile.mkdtemp(prefix="tcg-budget.")
    os.makedirs(work, exist_ok=True)
    filt = ["-dfilter", loops.dfilter()]

    log1 = os.path.join(work, "chained.log")
    print("run 1 (chained, -d in_asm,out_asm,op_opt) ...", flush=True)
    if a.reuse and a.keep:
        text1 = open(os.path.join(work, "guest.log")).read()
    else:
        text1, _ = boot(a.iters, a.smp, ["-d", "in_asm,out_asm,op_opt"] + filt, log1)
        with open(os.path.join(work, "guest.log"), "w") as f:
            f.write(text1)
    tbs1, _ = parse_log(log1)
    table = tb_table(tbs1, loops)

    log2 = os.path.join(work, "exec.log")
    print("run 2 (-d in_asm,out_asm,exec,nochain) ...", flush=True)
    if not (a.reuse and a.keep):
        boot(a.iters, a.smp, ["-d", "in_asm,out_asm,exec,nochain"] + filt, log2)
    tbs2, execs = parse_log(log2)
    runs, trans = path_counts(execs, tbs2, loops)

    return analyse(a, loops, table, runs, trans, text1, work)


def analyse(a, loops, table, runs, trans, text1, work):
    rows, _ = bench.parse(text1)
    cross = [r for r in rows if r["src"] != r["dst"] and not r["err"]]
    result = {"smp": a.smp, "iters": a.iters, "load": os.getloadavg()[0],
              "guest_cycles": {"raw": bench.med(r["raw_med"] for r in cross),
                               "urpc": bench.med(r["bare_med"] for r in cross)},
              "loops": {}}
    for kind in KINDS:
        cl = (kind, "client")
        rd = loops.first_rdtsc(cl)
        start = [pc for pc, tb in table[cl].items()
                 if any(addr == rd for addr, _, _ in tb.guest)]
        if not start:
            die("no TB of %s holds its rdtsc at 0x%x" % (cl, rd))
        trips = sum(runs[cl][pc] for pc in start)  # a loop entered at a TB of its own too
        for side in ("client", "server"):
            key = (kind, side)
            b = budget(table[key], runs[key], trans[key], trips)
            b["trips"] = trips
            seg = critical(table[key], runs[key], trans[key], trips, kind, side)
            b["critical"] = seg_cost(seg) if seg else None
            if seg:     # per TB: the share of its host instructions on the path
                poll = poll_set(table[key], runs[key], trans[key], trips)
                b["critical"]["share"] = [("0x%x" % tb.pc, tb.host_insns(lo, hi) /
                                           max(1, tb.host_insns()), tb.pc in poll, lo, hi)
                                          for tb, lo, hi in seg]
            result["loops"]["%s %s" % key] = b
    report(result)

    if a.perf_iters:
        data = os.path.join(work, "perf.data")
        log3 = os.path.join(work, "perf-tbs.log")
        print("run 3 (perf record -e cpu-clock, %d trips per kind and pair) ..." % a.perf_iters,
              flush=True)
        text3, _ = boot(a.perf_iters, a.smp, ["-d", "in_asm,out_asm,op_opt", "-dfilter",
                                              loops.dfilter()],
                        log3, timeout=1800,
                        wrap=["perf", "record", "-q", "-e", "cpu-clock", "-F", "10000",
                              "--call-graph", "dwarf,256", "-o", data, "--"])
        tbs3, _ = parse_log(log3)
        total, split, per_tb, called = perf_split(data, tbs3, loops)
        result["perf"] = {"samples": total, "split": dict(split),
                          "per_tb": {"%s %s 0x%x" % (k[0], k[1], pc): n
                                     for (k, pc), n in per_tb.items()}}
        rows3, hz = bench.parse(text3)
        result["perf"]["tsc_hz"] = hz
        result["perf"]["trips"] = (a.perf_iters + a.perf_iters // 10 + 1) * a.smp * (a.smp - 1)
        cross3 = [r for r in rows3 if r["src"] != r["dst"] and not r["err"]]
        result["perf"]["guest_cycles"] = {"raw": bench.med(r["raw_med"] for r in cross3),
                                          "urpc": bench.med(r["bare_med"] for r in cross3)}
        report_perf(result["perf"], per_tb, called, runs, result)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1, default=lambda o: dict(o))
    if not a.keep:
        subprocess.run(["rm", "-rf", work])


def print_totals(tot, cols, fmt):
    """Print each kind's totals and URPC's excess over the raw word; return the excess."""
    for kind in KINDS:
        print(fmt % ((kind + " total",) + tuple(tot[kind][c] for c in cols)))
    d = {c: tot["urpc"][c] - tot["raw"][c] for c in cols}
    print(fmt % (("urpc - raw",) + tuple(d[c] for c in cols)))
    return d


def report(r):
    print("\nper round trip under TCG (pingpong, -smp %d, %d trips per kind and pair; "
          "host load %.1f)" % (r["smp"], r["iters"], r["load"]))
    cols = ("tbs", "guest_insns", "guest_mem", "host_insns")
    print("%-14s %6s %6s %6s %7s %7s  %-30s %s" % ("loop", "TBs", "guest", "mem", "host",
                                                    "polls", "helpers", "TB ends"))
    tot = {k: collections.Counter() for k in KINDS}
    for name, b in r["loops"].items():
        kind = name.split()[0]
        for c in cols:
            tot[kind][c] += b[c]
        for h, n in b["helpers"].items():
            tot[kind]["helper " + h] += n
        for e, n in b["ends"].items():
            tot[kind]["end " + e] += n
        print("%-14s %6.1f %6.1f %6.1f %7.1f %7.1f  %-30s %s" % (
            name, b["tbs"], b["guest_insns"], b["guest_mem"], b["host_insns"], b["polls"],
            ", ".join("%s %.2f" % hn for hn in sorted(b["helpers"].items())) or "-",
            ", ".join("%s %.2f" % en for en in sorted(b["ends"].items()))))
    d = print_totals(tot, cols, "%-14s %6.1f %6.1f %6.1f %7.1f")
    g = r["guest_cycles"]
    if g["raw"] and g["urpc"]:
        print("guest TSC cycles in the same boot (median over pairs): raw %d, URPC %d, "
              "difference %d" % (g["raw"], g["urpc"], g["urpc"] - g["raw"]))
        if d["host_insns"] > 0:
            print("difference / extra host instructions: %.2f cycles per host instruction"
                  % ((g["urpc"] - g["raw"]) / d["host_insns"]))
    r["totals"] = {k: dict(v) for k, v in tot.items()}
    print("\ncritical path (client: rdtsc to its publishing store and poll exit to rdtsc; "
          "server: poll exit to its publishing store)")
    print("%-14s %6s %6s %6s %7s  %-30s %s" % ("loop", "TBs", "guest", "mem", "host",
                                              "helpers", "TB ends"))
    ctot = {k: collections.Counter() for k in KINDS}
    for name, b in r["loops"].items():
        c = b.get("critical")
        if not c:
            print("%-14s (not found)" % name)
            continue
        kind = name.split()[0]
        for col in cols:
            ctot[kind][col] += c[col]
        print("%-14s %6d %6d %6d %7d  %-30s %s" % (
            name, c["tbs"], c["guest_insns"], c["guest_mem"], c["host_insns"],
            ", ".join("%s %d" % hn for hn in sorted(c["helpers"].items())) or "-",
            ", ".join("%s %d" % en for en in sorted(c["ends"].items()))))
    cd = print_totals(ctot, cols, "%-14s %6d %6d %6d %7d")
    if g["raw"] and g["urpc"] and cd["host_insns"] > 0:
        print("guest cycle difference / extra host instructions on the critical path: %.2f"
              % ((g["urpc"] - g["raw"]) / cd["host_insns"]))
    r["critical_totals"] = {k: dict(v) for k, v in ctot.items()}


def report_perf(p, per_tb, called, runs, r):
    """perf's split, and per loop the host time per trip in its TBs: polling
    (the poll TBs of run 2) and working (the others)."""
    us = 100.0      # each cpu-clock sample at -F 10000 stands for 100 us of a thread
    print("\nperf record -e cpu-clock -F 10000 on QEMU, whole boot: %d samples "
          "(%.2f s of host CPU)" % (p["samples"], p["samples"] * us / 1e6))
    for name, n in sorted(p["split"].items(), key=lambda x: -x[1])[:20]:
        print("  %6.2f%%  %s" % (100.0 * n / p["samples"], name))
    trips, hz = p["trips"], p["tsc_hz"]
    g = p["guest_cycles"]
    print("per trip (%d trips per kind): host ns in each loop's generated code" % trips)
    print("%-14s %8s %8s" % ("loop", "polling", "working"))
    p["per_trip_ns"] = {}
    for kind in KINDS:
        for side in ("client", "server"):
            key = (kind, side)
            t = r["loops"]["%s %s" % key]["trips"]
            poll = {pc for pc, n in runs[key].items() if n > 1.5 * t}
            ps = sum(n for (k, pc), n in per_tb.items() if k == key and pc in poll)
            ws = sum(n for (k, pc), n in per_tb.items() if k == key and pc not in poll)
            pn, wn = ps * us * 1000 / trips, ws * us * 1000 / trips
            p["per_trip_ns"]["%s %s" % key] = {"polling": pn, "working": wn}
            print("%-14s %8.1f %8.1f" % ("%s %s" % key, pn, wn))
    print("critical path, measured (ns per trip): in generated code (its TBs' samples "
          "times their share of host instructions on the path; the poll TB left out: its "
          "time is waiting), in helpers called from its instructions (perf's call chains), "
          "and in helpers called from the whole loop")
    print("%-14s %8s %8s %8s" % ("loop", "code", "helpers", "all helpers"))
    ctot = collections.Counter()
    for name, b in r["loops"].items():
        c = b.get("critical")
        if not c:
            continue
        key = tuple(name.split())
        ns = hns = 0.0
        for pc, share, is_poll, lo, hi in c["share"]:
            pc = int(pc, 16)
            if not is_poll:
                ns += per_tb.get((key, pc), 0) * us * 1000 / trips * share
            hns += sum(n for (k, tpc, i), n in called.items()
                       if k == key and tpc == pc and lo <= i <= hi) * us * 1000 / trips
        p["per_trip_ns"][name]["critical"] = ns
        p["per_trip_ns"][name]["critical_helpers"] = hns
        helpers_all = sum(n for (k, _, _), n in called.items() if k == key) * us * 1000 / trips
        p["per_trip_ns"][name]["helpers"] = helpers_all
        ctot[key[0]] += ns
        ctot[key[0] + " helpers"] += hns
        print("%-14s %8.1f %8.1f %8.1f" % (name, ns, hns, helpers_all))
    for k in KINDS:
        print("%-14s %8.1f %8.1f" % (k + " total", ctot[k], ctot[k + " helpers"]))
    print("%-14s %8.1f %8.1f" % ("urpc - raw", ctot["urpc"] - ctot["raw"],
                                 ctot["urpc helpers"] - ctot["raw helpers"]))
    p["critical_ns"] = dict(ctot)
    if hz:
        print("guest round trip in that boot (median over pairs): raw %d cycles = %.0f ns, "
              "URPC %d = %.0f ns (TSC %.2f GHz)" % (g["raw"], g["raw"] * 1e9 / hz, g["urpc"],
                                                   g["urpc"] * 1e9 / hz, hz / 1e9))


if __name__ == "__main__":
    main()
