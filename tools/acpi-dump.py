#!/usr/bin/env python3
"""Capture the ACPI tables QEMU's firmware builds, as a test fixture.

Usage:
  acpi-dump.py [--out FILE] [--timeout S] -- QEMU-ARGS...
      Boot qemu-system-x86_64 with SeaBIOS, no disk and the given machine
      arguments (e.g. -machine q35 -smp 4 -m 512M), stopped; let the firmware
      run until an RSDP appears in 0xE0000-0xFFFFF, then follow the pointers
      (RSDP -> RSDT/XSDT -> every table) and write a fixture.
  acpi-dump.py --to-bin FIXTURE OUT
      Convert a text fixture to the binary chunk format read by the fuzz
      target tests/fuzz/fuzz_acpi.c (seed corpus).

Fixture format (text, one item per line; '#' starts a comment line):
  chunk 0xADDR LEN        a chunk of physical memory starting at ADDR
  <hex bytes>             the chunk's bytes, 32 per line, until LEN are given
The chunks are: the BIOS data area word at 0x40E (EBDA segment), the 36-byte
RSDP where it was found, the RSDT and/or XSDT, and every table they list.
Everything else of physical memory was not captured; test readers treat the
legacy scan windows (below 1 MiB) as zeros and fail every other address.

Binary chunk format (fuzz seeds): repeated records of
  u64 little-endian address, u16 little-endian length, LEN bytes.

Memory is read with QMP's pmemsave; stdlib only.  The caller should wrap the
run in `flock /tmp/qemu.lock`; QEMU is always killed before exit.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

SCAN_LO, SCAN_HI = 0xE0000, 0x100000


class Qmp:
    """Minimal QMP client over a unix socket."""

    def __init__(self, path, deadline):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise RuntimeError("QMP socket never appeared")
                time.sleep(0.05)
        self.sock.settimeout(30)
        self.buf = b""
        self._reply()                       # greeting
        self.cmd("qmp_capabilities")

    def _reply(self):
        while True:
            while b"\n" not in self.buf:
                data = self.sock.recv(65536)
                if not data:
                    raise RuntimeError("QMP connection closed")
                self.buf += data
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            if "event" in msg:
                continue
            return msg

    def cmd(self, name, **args):
        self.sock.sendall(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        msg = self._reply()
        if "error" in msg:
            raise RuntimeError("QMP %s: %s" % (name, msg["error"]))
        return msg.get("return")


class Guest:
    def __init__(self, qmp, tmpdir):
        self.qmp = qmp
        self.tmp = os.path.join(tmpdir, "mem.bin")

    def read(self, addr, size):
        self.qmp.cmd("pmemsave", val=addr, size=size, filename=self.tmp)
        with open(self.tmp, "rb") as f:
            data = f.read()
        if len(data) != size:
            raise RuntimeError("short read at 0x%x" % addr)
        return data


def checksum_ok(data):
    return sum(data) & 0xFF == 0


def find_rsdp(area, base):
    for off in range(0, len(area) - 20, 16):
        if area[off:off + 8] == b"RSD PTR " and checksum_ok(area[off:off + 20]):
            return base + off
    return None


def collect(guest, deadline):
    """Return the list of (addr, bytes) chunks of the firmware's tables."""
    while True:
        area = guest.read(SCAN_LO, SCAN_HI - SCAN_LO)
        rsdp = find_rsdp(area, SCAN_LO)
        if rsdp is not None:
            break
        if time.monotonic() > deadline:
            raise RuntimeError("no RSDP found before the timeout")
        time.sleep(0.5)
    time.sleep(0.5)                         # let the firmware finish writing
    chunks = [(0x40E, guest.read(0x40E, 2))]
    rsdp_bytes = guest.read(rsdp, 36)
    rev = rsdp_bytes[15]
    chunks.append((rsdp, rsdp_bytes if rev >= 2 else rsdp_bytes[:20]))
    roots = [(struct.unpack_from("<I", rsdp_bytes, 16)[0], 4)]
    if rev >= 2:
        roots.append((struct.unpack_from("<Q", rsdp_bytes, 24)[0], 8))
    seen = set()
    for root, width in roots:
        if root == 0 or root in seen:
            continue
        table = read_table(guest, root)
        seen.add(root)
        chunks.append((root, table))
        for off in range(36, len(table) - width + 1, width):
            addr = int.from_bytes(table[off:off + width], "little")
            if addr and addr not in seen:
                seen.add(addr)
                chunks.append((addr, read_table(guest, addr)))
    return sorted(chunks)


def read_table(guest, addr):
    hdr = guest.read(addr, 36)
    length = struct.unpack_from("<I", hdr, 4)[0]
    if length < 36 or length > 1 << 20:
        raise RuntimeError("table at 0x%x has length %d" % (addr, length))
    return guest.read(addr, length)


def write_fixture(out, chunks, qemu_args):
    out.write("# ACPI fixture captured by tools/acpi-dump.py\n")
    out.write("# qemu-system-x86_64 %s\n" % " ".join(qemu_args))
    for addr, data in chunks:
        sig = data[:4].decode("ascii", "replace") if len(data) >= 36 else ""
        if data[:8] == b"RSD PTR ":
            sig = "RSDP"
        out.write("chunk 0x%x %d%s\n" % (addr, len(data), ("  # " + sig) if sig else ""))
        for i in range(0, len(data), 32):
            out.write(data[i:i + 32].hex() + "\n")


def read_fixture(path):
    chunks = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("chunk "):
                _, addr, length = line.split()
                chunks.append([int(addr, 16), int(length), bytearray()])
            else:
                chunks[-1][2] += bytes.fromhex(line)
    for addr, length, data in chunks:
        if len(data) != length:
            raise ValueError("%s: chunk 0x%x has %d bytes, header says %d"
                             % (path, addr, len(data), length))
    return [(a, bytes(d)) for a, _, d in chunks]


def to_bin(src, dst):
    with open(dst, "wb") as out:
        for addr, data in read_fixture(src):
            for i in range(0, len(data), 0xFFFF):
                part = data[i:i + 0xFFFF]
                out.write(struct.pack("<QH", addr + i, len(part)) + part)


def capture(qemu_args, out_path, timeout):
    tmpdir = tempfile.mkdtemp(prefix="acpi-dump.")
    sock = os.path.join(tmpdir, "qmp.sock")
    argv = ["qemu-system-x86_64", "-display", "none", "-nodefaults",
            "-serial", "null", "-no-reboot", "-S",
            "-qmp", "unix:%s,server=on,wait=off" % sock] + qemu_args
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        qmp = Qmp(sock, deadline)
        qmp.cmd("cont")
        chunks = collect(Guest(qmp, tmpdir), deadline)
    finally:
        proc.kill()
        proc.wait()
        for name in os.listdir(tmpdir):
            os.unlink(os.path.join(tmpdir, name))
        os.rmdir(tmpdir)
    if out_path:
        with open(out_path, "w") as out:
            write_fixture(out, chunks, qemu_args)
    else:
        write_fixture(sys.stdout, chunks, qemu_args)


def main(argv):
    if argv[:1] == ["--to-bin"] and len(argv) == 3:
        to_bin(argv[1], argv[2])
        return 0
    out, timeout = None, 60
    while argv and argv[0] != "--":
        if argv[0] == "--out":
            out, argv = argv[1], argv[2:]
        elif argv[0] == "--timeout":
            timeout, argv = float(argv[1]), argv[2:]
        else:
            sys.stderr.write(__doc__)
            return 2
    capture(argv[1:], out, timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
