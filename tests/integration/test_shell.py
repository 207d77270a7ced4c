#!/usr/bin/env python3
"""The shell on the serial console (apps/shell, docs/14-shell.md), driven through
QEMU's serial stdio: commands, spawning and killing, refusals, line editing,
history, completion, and 4 KiB of random bytes typed at the prompt.

A second boot (console.*): the console's input claimed by a shell on core
1 passes to a standby shell on core 2 once core 1 stops (kernel/coninput.h);
while core 1 runs, the standby's claims are refused (the attack: a domain
with the console right taking the input of another core's running domain)."""
import random
import re
import time

from harness import check, finish, qemu
from shell_session import BOL, PROMPT, Shell, shell_manifest

# make shell's manifest, and a domain holding a right the shell lacks
sh = Shell(manifest_text=shell_manifest() + "hello 1 rights=bcast stay=900000\n")
ok = sh.wait_for(r"^mk> ", 0, 300)
check("shell.prompt", ok is not None, "no prompt", sh.out)
check("shell.input_routed_to_core0",
      re.search(r"^core 0: console input goes to domain \d+ \(shell\)", sh.out, re.M), "", sh.out)

out = sh.cmd("help\r") or ""
check("shell.help_lists_every_command",
      all(re.search(r"^  %s " % c, out, re.M) for c in
          ("help", "cores", "ps", "spawn", "kill", "names", "channels", "mem", "bench",
           "trace", "stop", "restart", "sleep", "poweroff")), out, sh.out)

out = sh.cmd("cores\r") or ""
check("shell.cores", len(re.findall(r"^core \d: up, \d+ domains, load [\d.]+%, \d+ of \d+ "
                                     r"frames free, node 0 package 0 core \d thread 0$",
                                     out, re.M)) == 4, out, sh.out)

# spawn a hello on core 2: its output, ps lists it, then no longer once it ended
out = sh.cmd("spawn hello 2 stay=20000\r") or ""
m = re.search(r"^spawned hello on core 2 as 2:(\d+)$", out, re.M)
check("shell.spawn_hello_on_core2", m, out, sh.out)
hid = m.group(1) if m else "?"
check("shell.hello_output",
      sh.wait_for(BOL + r"core 2: hello: hello from core 2 \(program hello, domain %s" % hid),
      "", sh.out)
out = sh.cmd("ps 2\r") or ""
check("shell.ps_lists_hello", re.search(r"^2:%s\s+hello\s" % hid, out, re.M), out, sh.out)
check("shell.hello_exited",
      sh.wait_for(BOL + r"core 2: domain %s \(hello\) exited with code 0" % hid), "", sh.out)
time.sleep(1)
out = sh.cmd("ps 2\r") or ""
check("shell.ps_no_longer_lists_hello",
      out and re.search(r"^2:1\s+monitor", out, re.M) and
      not re.search(r"^2:%s\s" % hid, out, re.M), out, sh.out)

# kill a spinning domain
out = sh.cmd("spawn spin 3 busy 1000000000\r") or ""
m = re.search(r"^spawned spin on core 3 as 3:(\d+)$", out, re.M)
check("shell.spawn_spin", m, out, sh.out)
sid = m.group(1) if m else "?"
out = sh.cmd("ps 3\r") or ""
check("shell.ps_lists_spin", re.search(r"^3:%s\s+spin\s" % sid, out, re.M), out, sh.out)
out = sh.cmd("kill 3:%s\r" % sid) or ""
check("shell.kill_spin", re.search(r"^killed 3:%s$" % sid, out, re.M), out, sh.out)
check("shell.spin_ended",
      sh.wait_for(BOL + r"core 3: domain %s \(spin\) killed on request" % sid), "", sh.out)
time.sleep(1)
out = sh.cmd("ps 3\r") or ""
check("shell.ps_no_longer_lists_spin", out and not re.search(r"^3:%s\s" % sid, out, re.M),
      out, sh.out)

# refusals: one line each, and the shell goes on
shell_id = re.search(r"console input goes to domain (\d+)", sh.out)
bcast_spin = re.search(r"'hello' runs on core 1 as domain (\d+)", sh.out)
refusals = [
    ("kill 1:%s" % (bcast_spin.group(1) if bcast_spin else "2"), r"^kill: 1:\d+ refused"),
    ("kill 0:1", r"^kill: 0:1 refused"),
    ("kill 1:1", r"^kill: 1:1 refused"),
    ("kill 0:%s" % (shell_id.group(1) if shell_id else "2"), r"^kill: 0:\d+ is this shell"),
    ("kill 2:999", r"^kill: no domain 2:999$"),
    ("kill 9:1", r"^kill: core 9 out of range \(0-3\)$"),
    ("kill banana", r"^kill: want CORE:ID"),
    ("spawn nosuch 1", r"^spawn: no program 'nosuch'"),
    ("spawn monitor 1", r"^spawn: no program 'monitor'"),
    ("spawn hello 7", r"^spawn: core 7 out of range \(0-3\)$"),
    ("spawn hello 2-1", r"^spawn: bad core list"),
    ("spawn hello", r"^spawn: usage"),
    ("stop 17", r"^stop: core 17 out of range"),
    ("restart 1", r"^restart: core 1: resource busy: core 1 is not down"),
    ("restart 17", r"^restart: core 17 out of range"),
    ("restart 0", r"^restart: core 0: resource busy: core 0 is this monitor.s own core, which runs"),
    ("restart", r"^restart: usage: restart CORE"),
    ("trace bogus", r"^trace: usage"),
    ("sleep", r"^sleep: usage: sleep MS \(at most 600000\)$"),
    ("sleep soon", r"^sleep: usage: sleep MS"),
    ("sleep 600001", r"^sleep: usage: sleep MS"),
    ("sleep 5 5", r"^sleep: usage: sleep MS"),
    ("frobnicate now", r"^frobnicate: unknown command \(try help\)$"),
]
for line, want in refusals:
    out = sh.cmd(line + "\r") or ""
    lines = [l for l in out.splitlines()[1:] if l and not l.startswith("core ")]
    check("shell.refused.%s" % re.sub(r"\W+", "_", line).strip("_"),
          len(lines) == 1 and re.search(want, lines[0]), repr(out), sh.out)

# line editing: left arrow and insert, backspace, Ctrl-C, history, completion
out = sh.cmd("hlp\x1b[D\x1b[De\r") or ""          # h|lp -> insert e -> help
check("shell.edit.left_and_insert", re.search(r"^  cores ", out, re.M), repr(out), sh.out)
out = sh.cmd("memx\x7f\r") or ""                    # backspace
check("shell.edit.backspace", "all cores:" in out, repr(out), sh.out)
out = sh.cmd("names\x1bOD\x1bOC\x01\x05\r") or ""   # SS3 arrows, home, end: unchanged
check("shell.edit.moves_keep_line", "no names registered" in out, repr(out), sh.out)
out = sh.cmd("garbage here\x03") or ""
check("shell.edit.ctrl_c_abandons_line", "unknown command" not in out, repr(out), sh.out)
out = sh.cmd("\x1b[A\x1b[A\r") or ""                # two back: "memx<bs>" -> mem? no: names, mem
check("shell.history.up", "all cores:" in out, repr(out), sh.out)
out = sh.cmd("\x1b[A\x1b[A\x1b[B\r") or ""          # up, up, down: the newest again (mem)
check("shell.history.down", "all cores:" in out, repr(out), sh.out)
out = sh.cmd("he\t\r") or ""
check("shell.complete.command", re.search(r"^  cores ", out, re.M), repr(out), sh.out)
out = sh.cmd("spawn hel\t2\r") or ""
check("shell.complete.program", re.search(r"^spawned hello on core 2", out, re.M),
      repr(out), sh.out)
long_line = "x" * 3000 + "\r"
out = sh.cmd(long_line) or ""
check("shell.long_line_cut_and_refused", re.search(r"^x{160}: unknown command", out, re.M),
      repr(out[-300:]), sh.out)

# Typed while the shell does not read (sleep): 3000 bytes and Enter overflow
# the CPU driver's 1 KiB input buffer; the rest waits in the UART and in QEMU
# (flow control, cpudriver/coninput.c) and the line editor gets all of it,
# the Enter too.  With the bytes past a full buffer dropped (as before the
# flow control) the line never ends: no answer.
start = len(sh.out)
sh.send("sleep 3000\r")
check("shell.sleep_started",
      sh.wait_for(BOL + r"sleep: 3000 ms without reading the console$", start, 90), "", sh.out)
sh.send("y" * 3000 + "\r")
m = sh.wait_for(BOL + r"y{160}: unknown command", start, 120)
check("shell.typed_while_asleep_kept_whole", m, repr(sh.out[start:][-300:]), sh.out)
check("shell.sleep_ended_first", m and "sleep: done" in sh.out[start:m.start()], "", sh.out)
if m:
    sh.wait_for(PROMPT, m.end(), 30)

# stop core 3, restart it once its watchers agree it is down; it is up again
out = sh.cmd("stop 3\r") or ""
check("shell.stop_core3", re.search(r"^stopped core 3$", out, re.M), repr(out), sh.out)
restarted = None
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    out = sh.cmd("restart 3\r") or ""
    if re.search(r"^restarted core 3$", out, re.M):
        restarted = out
        break
    if not re.search(r"^restart: core 3: resource busy: core 3 is not down", out, re.M):
        break
    time.sleep(0.5)
check("shell.restart_core3", restarted, repr(out), sh.out)
sh.wait_for(BOL + r"core 3: monitor: up on core 3", 0, 60)
out = sh.cmd("cores\r") or ""
check("shell.core3_up_after_restart", re.search(r"^core 3: up, ", out, re.M), repr(out), sh.out)

# Ctrl-C interrupts a running command: bench runs the ping-pong until stopped
start = len(sh.out)
sh.send("bench\r")
m = sh.wait_for(r"bench: pingpong 0:(\d+) measures", start, 120)
check("shell.bench_started", m, "", sh.out)
time.sleep(0.2)   # interrupt early: on a quiet host the whole bench takes ~3 s
sh.send("\x03")
check("shell.bench_interrupted", sh.wait_for(r"^bench: interrupted$", start, 120), "", sh.out)
check("shell.bench_pingpong_killed",
      m and sh.wait_for(BOL + r"core 0: domain %s \(pingpong\) killed on request" % m.group(1),
                        start, 60), "", sh.out)
sh.wait_for(PROMPT, len(sh.out) - 8, 30)

# tracing from the shell: record a spawn, dump every core's rings
out = sh.cmd("trace start\r") or ""
check("shell.trace_start", "trace: recording" in out, repr(out), sh.out)
sh.cmd("spawn hello all\r")
time.sleep(3)
start = len(sh.out)
out = sh.cmd("trace dump\r") or ""
check("shell.trace_dump", "trace: dumping" in out, repr(out), sh.out)
dumped = sh.wait_for(r"TRACE E 3 0$", start, 120)
check("shell.trace_dump_every_core", dumped and all(
      re.search(r"TRACE B %d 0 kernel " % c, sh.out[start:]) for c in range(4)), "", sh.out)

# 4 KiB of random bytes (without Ctrl-D, the key that ends the shell on purpose)
rnd = random.Random(16)
junk = bytes(b for b in (rnd.getrandbits(8) for _ in range(4096 + 200)) if b != 4)[:4096]
sh.send(junk)
time.sleep(5)
sh.send("\x03\x03")                 # leave any half-typed line or escape sequence
time.sleep(5)
start = len(sh.out)
sh.send("help\r")
check("shell.random_bytes_then_help", sh.wait_for(r"^  poweroff ", start, 300),
      repr(sh.out[start:][-500:]), sh.out)
check("shell.no_panic", "PANIC" not in sh.out, "", sh.out)

start = len(sh.out)
sh.send("poweroff\r")
m = sh.wait_for(BOL + r"core 0: powered off by domain \d+ \(shell\)", start, 60)
check("shell.poweroff", m, "", sh.out)
deadline = time.monotonic() + 60
while sh.p.poll() is None and time.monotonic() < deadline:
    sh._read()
    time.sleep(0.1)
code = qemu.map_status(sh.p.returncode) if sh.p.returncode is not None else None
check("shell.poweroff_exit_status_0", code == 0, "exit %s" % code, sh.out)
sh.close()


def console_takeover():
    """Core 1's shell holds the console; a standby shell on core 2 (the
    console right, no other) tries to claim it every 100 ms once the name
    `ready` exists, and is refused while core 1 runs.  `stop 1` typed at
    core 1's shell stops its own core: the claim ended with that CPU
    driver, the standby takes the input over and answers what is typed.
    Before, the claim of a stopped core stayed for good: nobody could read
    the console again."""
    sh = Shell(manifest_text="monitor all\n"
                             "shell 1 rights=console,trace,kill,spawn,stop,kipc\n"
                             "shell 2 rights=console standby ready\n")
    ok = sh.wait_for(r"multikernel shell on core 1: ", 0, 180) and sh.wait_for(PROMPT, 0, 60)
    check("console.primary_prompt", ok, "no prompt", sh.out)
    check("console.claimed_by_core1",
          re.search(BOL + r"core 1: console input goes to domain \d+ \(shell\) on this core$",
                    sh.out, re.M), "", sh.out)
    out = sh.cmd("spawn echo 3 ready 1\r") or ""
    check("console.standby_released", re.search(r"^spawned echo on core 3", out, re.M),
          repr(out), sh.out)
    m = sh.wait_for(BOL + r"core 2: shell: standby on core 2: the console is held by a running "
                    r"domain \(resource busy\); waiting$", 0, 120)
    check("console.claim_of_a_running_core_refused", m, "", sh.out)
    out = sh.cmd("cores\r") or ""
    check("console.core1_still_reads", re.search(r"^core 1: up, ", out, re.M), repr(out), sh.out)
    check("console.no_takeover_while_core1_runs", "console.takeover" not in sh.out, "", sh.out)
    start = len(sh.out)
    sh.send("stop 1\r")
    m = sh.wait_for(BOL + r"EV core=2 console\.takeover from=1 generation=0$", start, 120)
    check("console.taken_over_from_stopped_core1", m, "", sh.out)
    m = m and sh.wait_for(r"multikernel shell on core 2: ", start, 60)
    check("console.standby_runs_as_the_shell", m, "", sh.out)
    if m:
        sh.wait_for(PROMPT, m.end(), 30)
    out = sh.cmd("cores\r") or ""
    check("console.core2_reads", re.search(r"^core 2: up, ", out, re.M), repr(out), sh.out)
    start = len(sh.out)
    sh.send("poweroff\r")
    m = sh.wait_for(BOL + r"core 2: powered off by domain \d+ \(shell\)", start, 60)
    check("console.poweroff_from_core2", m, "", sh.out)
    check("console.no_panic", "PANIC" not in sh.out, "", sh.out)
    sh.close()


console_takeover()
finish()
