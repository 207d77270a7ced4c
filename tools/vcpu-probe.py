#!/usr/bin/env python3
"""vcpu-probe.py: what every vCPU is doing, once a period, while make bench's guest runs.

    python3 tools/vcpu-probe.py --out DIR [--smp 8] [--iters 2000] [--stream 20000]
                                [--build build] [--period 1]

Boots the ping-pong benchmark's guest (the manifest of `make bench`) with a
QEMU monitor socket and, every PERIOD seconds until QEMU exits, asks it for
every vCPU's registers ("info registers -a"); writes DIR/serial.log (the
guest's output), DIR/samples.txt (one line per sample: seconds since start,
then per vCPU "cpu:state", state being H (halted), K.function (ring 0) or
U.function (ring 3; the function looked up in the pingpong and monitor
ELFs, "pingpong-symbol/monitor-symbol" since both link at the same
addresses), and the serial log's length at that moment, so a stretch of the
log can be matched with the samples taken meanwhile.  A diagnostic for
stalls (a monitor that does not answer, a vCPU that never runs): it
measures nothing and asserts nothing.  Each sample stops every vCPU for the
monitor command, so timings of a probed run are not benchmark figures.
"""
import argparse
import bisect
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def symbols(path):
    out = subprocess.run(["nm", "-n", path], capture_output=True, text=True).stdout
    rows = []
    for line in out.split("\n"):
        p = line.split()
        if len(p) == 3 and p[1] in "tTwW":
            rows.append((int(p[0], 16), p[2]))
    return [a for a, _ in rows], [n for _, n in rows]


def lookup(table, addr):
    addrs, names = table
    i = bisect.bisect_right(addrs, addr) - 1
    return names[i] if i >= 0 else "?"


class Hmp:
    def __init__(self, path):
        for _ in range(50):
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        self.s.settimeout(5)
        self.cmd("")

    def cmd(self, c):
        self.s.sendall((c + "\n").encode())
        buf, t0 = b"", time.time()
        while time.time() - t0 < 5:
            try:
                buf += self.s.recv(65536)
            except socket.timeout:
                break
            if buf.rstrip().endswith(b"(qemu)") and len(buf) > len(c) + 10:
                break
        return buf.decode(errors="replace")


def states(text, tabs):
    out = []
    for part in re.split(r"\nCPU#", text):
        n = re.match(r"(\d+)", part)
        rip = re.search(r"RIP=([0-9a-f]+).*?HLT=(\d)", part, re.S)
        cs = re.search(r"\nCS =([0-9a-f]+)", part)
        if not (n and rip and cs):
            continue
        a = int(rip.group(1), 16)
        if rip.group(2) == "1":
            st = "H"
        elif int(cs.group(1), 16) & 3 == 0:
            st = "K." + lookup(tabs["kernel"], a)
        else:
            st = "U.%s/%s" % (lookup(tabs["pingpong"], a), lookup(tabs["monitor"], a))
        out.append("%s:%s" % (n.group(1), st))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--smp", default="8")
    ap.add_argument("--iters", default="2000")
    ap.add_argument("--stream", default="20000")
    ap.add_argument("--build", default=qemu.BUILD)
    ap.add_argument("--period", type=float, default=1.0)
    ap.add_argument("--timeout", type=float, default=1800)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(ROOT, "tools", "manifests", "bench.manifest")) as f:
        man = f.read().replace("@ITERS@", a.iters).replace("@STREAM@", a.stream)
    manifest = os.path.join(a.out, "bench.manifest")
    with open(manifest, "w") as f:
        f.write(man.replace("@PAIRS@", "all"))
    apps = os.path.join(a.build, "apps")
    tabs = {"kernel": symbols(os.path.join(a.build, "kernel.elf")),
            "pingpong": symbols(os.path.join(apps, "pingpong")),
            "monitor": symbols(os.path.join(apps, "monitor"))}
    qemu.BUILD = a.build
    cmd = qemu.build_command(smp=a.smp, modules=[os.path.join(apps, "monitor"),
                                                 os.path.join(apps, "pingpong"), manifest])
    sock = os.path.join(a.out, "hmp.sock")
    if os.path.exists(sock):
        os.unlink(sock)
    cmd[cmd.index("-monitor") + 1] = "unix:%s,server,nowait" % sock
    log_path = os.path.join(a.out, "serial.log")
    with open(log_path, "wb") as log, open(os.path.join(a.out, "samples.txt"), "w") as samples:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        try:
            hmp = Hmp(sock)
            t0 = time.time()
            while proc.poll() is None and time.time() - t0 < a.timeout:
                at = time.time() - t0
                row = states(hmp.cmd("info registers -a"), tabs)
                samples.write("%.1f %s log=%d\n" % (at, " ".join(row),
                                                   os.path.getsize(log_path)))
                samples.flush()
                time.sleep(a.period)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    print("wrote %s and %s" % (log_path, os.path.join(a.out, "samples.txt")))


if __name__ == "__main__":
    main()
