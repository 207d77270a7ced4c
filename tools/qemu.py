#!/usr/bin/env python3
"""Boot the multikernel in QEMU and return the guest's exit code.

Usage: qemu.py [--smp N] [--mem M] [--topo DESC] [--cmdline S] [--timeout S]
               [--iso] [--gdb] [--log FILE] [--module FILE]... [--manifest F] [--input]
               [--cpu MODEL] [-- extra QEMU args]

The CPU model (default CPU_MODEL below) offers SMEP, SMAP and UMIP, which
the kernel switches on when CPUID shows them; TCG emulates all three.

The guest ends a run by writing EXIT_BASE + code to the isa-debug-exit port
(0xf4); QEMU then exits with ((EXIT_BASE + code) << 1) | 1 and this script
exits with `code` (EXIT_BASE keeps guest codes apart from QEMU's own error
status 1):
0 success, 1 a self-test failed, 2 a core panicked with panic=exit.
Other outcomes get their own codes:
  124  the watchdog timeout expired (QEMU was killed)
  125  the guest reset or powered off without an exit code (triple fault...)
  126  QEMU itself failed to start or was killed by a signal
Serial output (COM1) goes to stdout, and to --log FILE if given.

QEMU runs in its own process group; Ctrl-C, SIGTERM and the timeout kill
the whole group, so no QEMU process outlives this script.

Also importable: tests use build_command() and run() directly.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
EXIT_BASE = 0x10  # cpudriver/include/kernel/platform.h
EXIT_TIMEOUT = 124
EXIT_NO_CODE = 125
EXIT_QEMU_FAILED = 126
CPU_MODEL = os.environ.get("QEMU_CPU", "qemu64,+smep,+smap,+umip")
# Guest RAM lives in a memfd (4 KiB host pages) unless QEMU_RAM=anon (QEMU's
# own anonymous RAM).  For anonymous RAM QEMU asks for transparent huge
# pages, and on our hosts (virtual machines themselves) the first write to
# each fresh 2 MiB page costs 10-40 ms: 256 first writes took 4.3 s against
# 0.6 ms with 4 KiB pages.  A 255-core boot spent 3.4 of its 5.4 s of kernel
# time there (the boot core writes into each AP's pool once), 12 ms with
# the memfd (docs/06-smp.md, "Boot time").
RAM_BACKEND = os.environ.get("QEMU_RAM", "memfd")


def ram_args(mem):
    """QEMU arguments that back the guest's RAM (-m mem) as RAM_BACKEND says."""
    if RAM_BACKEND == "anon":
        return []
    return ["-object", "memory-backend-memfd,id=ram0,size=%s" % mem,
            "-machine", "memory-backend=ram0"]


def topo_args(topo, mem):
    """QEMU -smp/-numa arguments for an hwloc synthetic description."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import topo as topo_tool  # tools/topo.py
    return topo_tool.qemu_args(topo, mem)


# The console: output on stdout; with input, stdin goes to the guest's UART
# too and Ctrl-C is a byte for the guest, not a signal to QEMU.
SERIAL_OUT = ["-serial", "stdio"]
SERIAL_INPUT = ["-chardev", "stdio,id=con0,signal=off", "-serial", "chardev:con0"]


def build_command(smp="4", mem="512M", topo="", cmdline="", iso=False, gdb=False,
                  modules=None, extra=None, cpu=None, serial_input=False):
    cmd = ["qemu-system-x86_64", "-machine", "q35", "-accel", "tcg,thread=multi",
           "-cpu", cpu or CPU_MODEL,
           "-m", str(mem), "-display", "none"] + (SERIAL_INPUT if serial_input else SERIAL_OUT) + [
           "-monitor", "none", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if topo:  # NUMA nodes get one memory backend each: the same kind
        cmd += [a.replace("memory-backend-ram,", "memory-backend-memfd,")
                if RAM_BACKEND != "anon" else a for a in topo_args(topo, mem)]
    else:
        cmd += ["-smp", str(smp)]
    if iso:
        cmd += ["-cdrom", os.path.join(BUILD, "multikernel.iso"), "-boot", "d"]
    else:
        cmd += ["-kernel", os.path.join(BUILD, "kernel.bin")]
        if cmdline:
            cmd += ["-append", cmdline]
        if modules:
            cmd += ["-initrd", ",".join(modules)]
    if gdb:
        cmd += ["-s", "-S"]
    cmd += list(extra or [])
    if not any(a.startswith("memory-backend") or a == "-numa" for a in cmd):
        cmd += ram_args(mem)  # (NUMA set-ups above or in extra bring their own)
    return cmd


def map_status(rc):
    if rc is None:
        return EXIT_TIMEOUT
    if rc < 0:
        return EXIT_QEMU_FAILED
    if rc & 1 and (rc >> 1) >= EXIT_BASE:
        return (rc >> 1) - EXIT_BASE
    return EXIT_NO_CODE if rc == 0 else EXIT_QEMU_FAILED


def load_share():
    """The share of a CPU a process gets now: ncpu / max(1-minute load, ncpu)
    (the rule of tools/run-tests.py)."""
    ncpu = os.cpu_count() or 1
    try:
        return ncpu / max(os.getloadavg()[0], ncpu)
    except OSError:
        return 1.0


class Watchdog:
    """A timeout in seconds of wall-clock time, or with scaled=True of
    load-scaled time: every wall-clock second counts as load_share() seconds
    (the load sampled once a second), so a guest on a host far busier than
    it has CPUs is stopped for hanging, not for the host's load."""

    def __init__(self, timeout, scaled=False):
        self.left = timeout or 0
        self.endless = not timeout
        self.scaled = scaled
        self.last = time.monotonic()
        self.share, self.sampled = load_share() if scaled else 1.0, self.last

    def expired(self):
        if self.endless:
            return False
        now = time.monotonic()
        if self.scaled and now - self.sampled >= 1:
            self.share, self.sampled = load_share(), now
        self.left -= (now - self.last) * self.share
        self.last = now
        return self.left <= 0


def run(cmd, timeout=120, echo=True, log=None, stop_on=None, stdin=subprocess.DEVNULL,
        scaled=False):
    """Run QEMU; return (exit code as documented above, output text).

    timeout: seconds (0: none), of wall-clock time, or with scaled=True of
    load-scaled time (Watchdog above: the integration tests' boots).
    stop_on: optional function(text_so_far) -> bool; when it returns True the
    run is ended early (QEMU killed) and the code is that of a timeout-free
    stop, 0.  Used by tests that only wait for a line.
    """
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=stdin, start_new_session=True)
    out = bytearray()
    code = None
    watchdog = Watchdog(timeout, scaled)
    logf = open(log, "wb") if log else None
    os.set_blocking(proc.stdout.fileno(), False)
    try:
        while True:
            chunk = proc.stdout.read(65536)
            if chunk:
                out += chunk
                if echo:
                    sys.stdout.buffer.write(chunk)
                    sys.stdout.flush()
                if logf:
                    logf.write(chunk)
                if stop_on and stop_on(out.decode(errors="replace")):
                    code = 0
                    break
            elif proc.poll() is not None:
                rest = proc.stdout.read() or b""
                out += rest
                if echo:
                    sys.stdout.buffer.write(rest)
                code = map_status(proc.returncode)
                break
            else:
                time.sleep(0.02)
            if watchdog.expired():
                code = EXIT_TIMEOUT
                if echo:
                    print("\nqemu.py: watchdog: no exit after %ss, killing QEMU" % timeout,
                          file=sys.stderr)
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if logf:
            logf.close()
    return code, out.decode(errors="replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smp", default="4")
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--topo", default="")
    ap.add_argument("--cmdline", default="")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--iso", action="store_true")
    ap.add_argument("--gdb", action="store_true")
    ap.add_argument("--log")
    ap.add_argument("--module", action="append", default=[])
    ap.add_argument("--manifest", help="boot manifest (a module whose name ends in .manifest)")
    ap.add_argument("--cpu", default=CPU_MODEL, help="QEMU CPU model (default %(default)s)")
    ap.add_argument("--input", action="store_true",
                    help="this terminal types on the guest's console (make shell)")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    if a.manifest:
        if not a.manifest.endswith(".manifest") or not os.path.isfile(a.manifest):
            print("qemu.py: --manifest %s: need an existing file named *.manifest" % a.manifest,
                  file=sys.stderr)
            return EXIT_QEMU_FAILED
        a.module.append(a.manifest)
    for m in a.module:
        if not os.path.isfile(m) or "," in m:
            print("qemu.py: module %s: no such file (or a ',' in its path)" % m, file=sys.stderr)
            return EXIT_QEMU_FAILED
    cmd = build_command(a.smp, a.mem, a.topo, a.cmdline, a.iso, a.gdb, a.module, a.extra,
                        a.cpu, serial_input=a.input)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_TIMEOUT))
    try:
        code, _ = run(cmd, timeout=a.timeout, log=a.log, stdin=None if a.input else subprocess.DEVNULL)
    except KeyboardInterrupt:
        code = 130
    except FileNotFoundError as e:
        print("qemu.py: %s" % e, file=sys.stderr)
        code = EXIT_QEMU_FAILED
    print("qemu.py: guest exit code %d" % code, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
