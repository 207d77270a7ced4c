"""Shared helpers of the integration tests: boot QEMU, check serial output.

Every check prints one `TEST <name> PASS|FAIL: detail` line (the protocol
tools/run-tests.py counts); finish() exits non-zero if any check failed.
QEMU always runs with a watchdog timeout (tools/qemu.py kills it), and tests
never assert on time.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402  tools/qemu.py

BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
_failed = 0


def boot(cmdline="", smp=1, mem="512M", topo="", iso=False, timeout=120,
         modules=None, extra=None, stop_on=None, cpu=None):
    """Boot the kernel; return (exit code per tools/qemu.py, serial text).
    timeout: the watchdog, in seconds of load-scaled time (tools/qemu.py
    Watchdog: on a busy host a second counts as ncpu/load seconds).
    cpu: a QEMU CPU model instead of tools/qemu.py's default."""
    cmd = qemu.build_command(smp=smp, mem=mem, topo=topo, cmdline=cmdline, iso=iso,
                             modules=modules, extra=extra, cpu=cpu)
    code, out = qemu.run(cmd, timeout=timeout, echo=False, stop_on=stop_on, scaled=True)
    return code, out.replace("\r", "")


def check(name, ok, detail="", output=None):
    """Record one check; on failure show the detail and the tail of the output."""
    global _failed
    if ok:
        print("TEST %s PASS" % name, flush=True)
        return True
    _failed += 1
    print("TEST %s FAIL: %s" % (name, detail), flush=True)
    if output is not None:
        print("---- serial output (last 60 lines) ----")
        print("\n".join(output.splitlines()[-60:]))
        print("----", flush=True)
    return False


def lines_matching(text, pattern):
    return [m for m in (re.search(pattern, l) for l in text.splitlines()) if m]


EVENT = re.compile(r"^EV core=(\d+) (\S+)((?: \S+=\S*)*)$")


def has(text, pattern):
    """Whether any line of text matches pattern (re.search)."""
    return bool(lines_matching(text, pattern))


def check_clean_end(tag, code, out):
    """The run ended by itself (exit 0) and no app printed a WRONG line."""
    check("%s.exit_status_0" % tag, code == 0, "exit code %s" % code, out)
    wrong = [l for l in out.splitlines() if "WRONG" in l]
    check("%s.no_app_complaint" % tag, not wrong, "; ".join(wrong[:5]), out)


def check_no_panic(tag, out):
    check("%s.no_panic" % tag, "PANIC" not in out, "", out)


def check_monitors_never_fail(tag, out):
    """No kernel panicked and no monitor (domain 1 of its core) ended."""
    dead = lines_matching(out, r"^(PANIC core \d+|core \d+: domain 1 \(monitor\)).*")
    check("%s.monitors_never_fail" % tag, not dead, "; ".join(m.group(0) for m in dead[:5]), out)


def events(text, name=None, /, **want):
    """The tagged event lines (cpudriver/include/kernel/event.h) in text, as
    dicts {"core": int, "event": str, key: str ...}, in order; only those
    named `name` whose keys equal `want` (compared as strings) if given.

        events(out, "domain.exit", program="hello", code=0)
    """
    out = []
    for line in text.splitlines():
        m = EVENT.match(line)
        if not m:
            continue
        ev = {}
        for kv in m.group(3).split():
            k, _, v = kv.partition("=")
            ev[k] = v
        ev.update(core=int(m.group(1)), event=m.group(2))
        if name is not None and ev["event"] != name:
            continue
        if all(str(ev.get(k)) == str(v) for k, v in want.items()):
            out.append(ev)
    return out


def has_event(text, name, /, **want):
    """True if text has at least one event `name` with these key values."""
    return bool(events(text, name, **want))


def symbol(name):
    """Address of a kernel symbol, read from build/kernel.elf with nm."""
    out = subprocess.run(["nm", os.path.join(BUILD, "kernel.elf")], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    raise KeyError(name)


def finish():
    sys.exit(1 if _failed else 0)
