"""The shell on the serial console, driven through QEMU's serial stdio, for
the tests that type at it (test_shell.py, test_ppstall.py).

Shell(smp, timeout, manifest_text): QEMU booted with the shell's modules
and a manifest (by default tools/manifests/shell.manifest); stdin and
stdout are pipes (no pty).  wait_for(pattern, start, timeout) finds a line
in the output from `start` on; cmd(keys) types a command and returns the
text up to the next prompt; close() ends QEMU.  BOL: the start of a line
other cores print, which may follow the prompt on its line."""
import os
import re
import subprocess
import time

from harness import BUILD, ROOT, qemu

APPS = os.path.join(BUILD, "apps")
PROMPT = re.compile(r"\nmk> ")
# Lines other cores print may follow the prompt on its line (the prompt has no newline).
BOL = r"(?:^|mk> )"


def shell_manifest():
    """The text of `make shell`'s manifest."""
    return open(os.path.join(ROOT, "tools", "manifests", "shell.manifest")).read()


class Shell:
    """QEMU with the shell manifest; stdin and stdout are pipes (no pty)."""

    def __init__(self, smp=4, timeout=900, manifest_text=None):
        mods = [os.path.join(APPS, m) for m in ("monitor", "shell", "hello", "spin", "pingpong",
                                                 "echo")]
        # the manifest: make shell's unless given; a file per process (tests run in parallel)
        manifest = os.path.join(BUILD, "shell-test-%d.manifest" % os.getpid())
        with open(manifest, "w") as f:
            f.write(manifest_text or shell_manifest())
        mods.append(manifest)
        cmd = qemu.build_command(smp=smp, modules=mods, serial_input=True, cmdline="trace=off")
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.out = ""
        self.deadline = time.monotonic() + timeout   # the watchdog of the whole run

    def _read(self):
        chunk = self.p.stdout.read(65536)
        if chunk:
            self.out += chunk.decode(errors="replace").replace("\r", "")
            return True
        return False

    def wait_for(self, pattern, start=0, timeout=90):
        """First match of pattern in the output from `start` on, or None."""
        rx = re.compile(pattern, re.M) if isinstance(pattern, str) else pattern
        end = min(time.monotonic() + timeout, self.deadline)
        while True:
            m = rx.search(self.out, start)
            if m:
                return m
            if time.monotonic() > end or self.p.poll() is not None and not self._read():
                return None
            if not self._read():
                time.sleep(0.05)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        try:
            self.p.stdin.write(data)
            self.p.stdin.flush()
        except BrokenPipeError:
            pass

    def cmd(self, keys, timeout=90):
        """Type keys (ending in Enter); the text up to the next prompt, or None."""
        start = len(self.out)
        self.send(keys)
        m = self.wait_for(PROMPT, start, timeout)
        return self.out[start:m.start() + 1] if m else None

    def close(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, 9)
        self.p.wait()
        return self.p.returncode
