#!/usr/bin/env python3
"""Run every test of the project and print one summary line.

Usage: run-tests.py [--timeout S] COMMAND...   (each COMMAND is one argv string)

Each command is one test program: a host unit-test binary or an integration
script.  It prints lines `TEST <name> PASS` or `TEST <name> FAIL[: why]`; the
runner counts them.  A program that exits non-zero, is killed by a signal or
times out without having printed a FAIL line counts as one extra failure, so
a crash can never pass silently.  A program that prints no TEST line at all
and exits 0 also fails: a test that tests nothing is a bug.

Every program's whole output is kept in LOG_DIR/<program>.log (build/test-logs
by default, or $TEST_LOG_DIR), so a failure's serial output can be read after
the run; the tail of a failing program's output is also printed.

Time limit (--timeout S, per program): S seconds of *load-scaled* time.
The shared host may be far busier than it has cores (load 100 on 2 cores),
and a program then gets a small share of a CPU: every wall-clock second
counts as ncpu / max(load, ncpu) seconds (the 1-minute load average,
sampled every second), so a program is stopped for hanging, not for the
host's load.  On an idle host that is wall-clock time.  The limit holds
whether or not the program prints anything.

The last line is `N passed, N failed`; the exit status is 1 if N failed > 0.
"""
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

LINE = re.compile(r"^TEST (\S+) (PASS|FAIL)\b(.*)$")
LOG_DIR = os.environ.get("TEST_LOG_DIR", os.path.join("build", "test-logs"))


def log_path(argv):
    """Where the whole output of the program argv goes."""
    name = os.path.basename(argv[-1] if argv[0].endswith(("python3", "bash", "sh")) else argv[0])
    return os.path.join(LOG_DIR, re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".log")


def load_share():
    """The share of a CPU a program gets now: ncpu / max(1-minute load, ncpu)."""
    ncpu = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 1.0
    return ncpu / max(load, ncpu)


def read_lines(stream, lines):
    """Thread: every line of stream into the queue lines, then None."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_one(cmd, timeout):
    """Run one test program; return (passed, failed, failed_names)."""
    argv = shlex.split(cmd)
    start = last = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace", start_new_session=True)
    passed = failed = 0
    names = []
    tail = []
    timed_out = False
    used = 0.0  # load-scaled seconds
    lines = queue.Queue()
    threading.Thread(target=read_lines, args=(proc.stdout, lines), daemon=True).start()
    os.makedirs(LOG_DIR, exist_ok=True)
    log = open(log_path(argv), "w")
    try:
        while True:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                line = ""
            now = time.monotonic()
            used += (now - last) * load_share()
            last = now
            if line is None:
                break
            if used > timeout:
                timed_out = True
                break
            if not line:
                continue
            log.write(line)
            line = line.rstrip("\n")
            tail = (tail + [line])[-40:]
            m = LINE.match(line)
            if m:
                print(line, flush=True)
                if m.group(2) == "PASS":
                    passed += 1
                else:
                    failed += 1
                    names.append(m.group(1))
        if not timed_out:
            proc.wait()
    finally:
        log.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    rc = proc.returncode
    bad = timed_out or rc != 0 or (passed + failed == 0)
    if bad and failed == 0:
        why = "timed out after %d s of load-scaled time (%d s wall)" % (
            timeout, time.monotonic() - start) if timed_out else \
              "exit status %s" % rc if rc != 0 else "printed no TEST line"
        print("TEST %s FAIL: %s" % (os.path.basename(argv[0]), why), flush=True)
        failed += 1
        names.append(cmd)
    if bad or failed:
        print("---- last output of %s (all of it: %s) ----" % (cmd, log_path(argv)))
        print("\n".join(tail))
        print("----")
    return passed, failed, names


def main():
    args = sys.argv[1:]
    timeout = 600
    if args[:1] == ["--timeout"]:
        timeout = int(args[1])
        args = args[2:]
    total_pass = total_fail = 0
    failures = []
    for cmd in args:
        p, f, names = run_one(cmd, timeout)
        total_pass += p
        total_fail += f
        failures += names
    if failures:
        print("failed: " + ", ".join(failures))
    print("%d passed, %d failed" % (total_pass, total_fail))
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main())
