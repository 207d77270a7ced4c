#!/usr/bin/env python3
"""The ping-pong benchmark's waits are bounded (apps/pingpong/wait.h): a side
whose peer dies, is killed, loses its core or goes silent in the middle of a
phase reports it in one line naming the phase and ends, and its core idles.

The attack: pingpong's test deaths (apps/pingpong/die.h), spawned from the
shell (tests/integration/shell_session.py) on 4 cores, one pair at a time,
the server on core 1 and the client on core 2 (core 3 for the last):
  raw       the client exits in the middle of a raw word block;
  ring      the client hangs in the middle of a raw ring block; while it
            hangs the server's core is mostly idle (it naps between bursts
            of polls); then the shell kills the client;
  silent    the client hangs in a raw word block and nobody kills it: the
            server gives up after its stall_ms (3 s here);
  server    the server exits at the start of a raw word block, and (ring2)
            hangs in the middle of a raw ring block until the shell kills
            it: the client reports it;
  full      the client stops taking the echoes of its URPC round trips until
            the server's send is refused (ERR_FULL), then hangs, and the
            shell stops its core.
Each line must come within a generous bound (a liveness check, not a speed
target).  "The core idles": the shell's `cores` gives each core's load
since the last question (its CPU driver's halted time, monitor/query.c);
asked twice 2 s apart, the server's core must show less than half its time
busy (a spinning core shows ~100 %: checked first with apps/spin as the
control, so the measure is known to see spinning)."""
import re
import time

from harness import check, finish
from shell_session import BOL, Shell, shell_manifest

BOUND = 120     # seconds: any of the lines below, on a loaded host
sh = Shell(manifest_text=shell_manifest())
check("ppstall.prompt", sh.wait_for(r"^mk> ", 0, 300) is not None, "no prompt", sh.out)


def spawn(core, args):
    """Spawn pingpong on core with args; its domain id, or None."""
    out = sh.cmd("spawn pingpong %d %s\r" % (core, args)) or ""
    m = re.search(r"^spawned pingpong on core %d as %d:(\d+)$" % (core, core), out, re.M)
    return m.group(1) if m else None


loads = []


def load(core, what):
    """The core's busy share over the next 2 s, in per cent (cores, twice)."""
    sh.cmd("cores\r")
    time.sleep(2)
    out = sh.cmd("cores\r") or ""
    m = re.search(r"^core %d: up, \d+ domains, load ([\d.]+)%%," % core, out, re.M)
    loads.append("%s %s%%" % (what, m.group(1) if m else "?"))
    return float(m.group(1)) if m else None


def ended(core, dom, start, how=r"exited with code \d+"):
    return sh.wait_for(BOL + r"core %d: domain %s \(pingpong\) %s" % (core, dom, how), start,
                       BOUND)


def line(core, text, start):
    return sh.wait_for(BOL + r"core %d: pingpong: %s$" % (core, text), start, BOUND)


# The control: a spinning domain's core is busy by this measure.
out = sh.cmd("spawn spin 3 busy for=6000\r") or ""
busy = load(3, "spin")
check("ppstall.control_spinning_core_busy", busy is not None and busy > 50,
      "core 3 load %s%% with spin busy on it" % busy, sh.out)

# raw: the client exits after 100 raw word trips of its first block.
start = len(sh.out)
srv = spawn(1, "serve name=raw")
cli = spawn(2, "client name=raw die=raw")
check("ppstall.raw.spawned", srv and cli, "", sh.out)
check("ppstall.raw.client_stops",
      line(2, r"client raw: test: stops during the raw word block after 100 trips "
              r"\(die=raw how=exit\)", start), "", sh.out)
check("ppstall.raw.server_reports",
      line(1, r"serve raw: client gone during the raw word block after 100 trips", start),
      "", sh.out)
check("ppstall.raw.server_ends", ended(1, srv, start, "exited with code 1"), "", sh.out)
idle = load(1, "raw:after")
check("ppstall.raw.core_idles", idle is not None and idle < 50, "core 1 load %s%%" % idle,
      sh.out)

# ring: the client hangs after 100 of a 200-trip raw ring block; the server
# naps meanwhile; the shell kills the client.
start = len(sh.out)
srv = spawn(1, "serve name=ring")
cli = spawn(2, "client name=ring die=ring how=hang")
check("ppstall.ring.client_stops",
      line(2, r"client ring: test: stops during the raw ring block after 100 trips "
              r"\(die=ring how=hang\)", start), "", sh.out)
waiting = load(1, "ring:waiting")
check("ppstall.ring.waiting_server_mostly_idle", waiting is not None and waiting < 50,
      "core 1 load %s%% while its server waits for a hung client" % waiting, sh.out)
check("ppstall.ring.server_still_waits", not re.search(r"serve ring: client", sh.out[start:]),
      "", sh.out)
at = len(sh.out)
out = sh.cmd("kill 2:%s\r" % cli) or ""
check("ppstall.ring.client_killed", re.search(r"^killed 2:%s$" % cli, out, re.M), out, sh.out)
check("ppstall.ring.server_reports",
      line(1, r"serve ring: client gone during the raw ring block after 100 trips", at),
      "", sh.out)
check("ppstall.ring.server_ends", ended(1, srv, at, "exited with code 1"), "", sh.out)
idle = load(1, "ring:after")
check("ppstall.ring.core_idles", idle is not None and idle < 50, "core 1 load %s%%" % idle,
      sh.out)

# silent: a live client that stopped answering; the server's stall_ms runs out.
start = len(sh.out)
srv = spawn(1, "serve name=silent stall_ms=3000")
cli = spawn(2, "client name=silent die=raw how=hang")
check("ppstall.silent.server_gives_up",
      line(1, r"serve silent: client silent for \d+ ms during the raw word block after 100 "
              r"trips; giving up", start), "", sh.out)
m = re.search(r"client silent for (\d+) ms", sh.out[start:])
check("ppstall.silent.after_stall_ms", m and int(m.group(1)) >= 3000, "", sh.out)
check("ppstall.silent.server_ends", ended(1, srv, start, "exited with code 1"), "", sh.out)
sh.cmd("kill 2:%s\r" % cli)
check("ppstall.silent.client_killed", ended(2, cli, start, "killed on request"), "", sh.out)

# server: the server exits at its first raw word block; the client reports it.
start = len(sh.out)
srv = spawn(1, "serve name=srv die=raw")
cli = spawn(2, "client name=srv")
check("ppstall.server.stops",
      line(1, r"serve srv: test: stops during the raw word block after 0 trips "
              r"\(die=raw how=exit\)", start), "", sh.out)
check("ppstall.server.client_reports",
      line(2, r"client srv: server gone during the raw word block after 0 trips", start),
      "", sh.out)
check("ppstall.server.client_ends", ended(2, cli, start), "", sh.out)

# ring2: the server hangs after half of the client's first raw ring block
# (iters=100: 11 warm-up trips, the server makes 5); the shell kills it.
start = len(sh.out)
srv = spawn(1, "serve name=ring2 die=ring how=hang")
cli = spawn(2, "client name=ring2 iters=100 stream=0 kipc=0")
check("ppstall.ring2.server_stops",
      line(1, r"serve ring2: test: stops during the raw ring block after 5 trips "
              r"\(die=ring how=hang\)", start), "", sh.out)
waiting = load(2, "ring2:waiting")
check("ppstall.ring2.waiting_client_mostly_idle", waiting is not None and waiting < 50,
      "core 2 load %s%% while its client waits for a hung server" % waiting, sh.out)
at = len(sh.out)
sh.cmd("kill 1:%s\r" % srv)
check("ppstall.ring2.client_reports",
      line(2, r"client ring2: server gone during the raw ring block after 5 trips", at),
      "", sh.out)
check("ppstall.ring2.client_ends", ended(2, cli, at), "", sh.out)

# full: the server's echo refused (the client takes none), the client hangs,
# its core stops.
start = len(sh.out)
srv = spawn(1, "serve name=full")
cli = spawn(3, "client name=full die=full how=hang")
check("ppstall.full.client_stops",
      line(3, r"client full: test: stops during the URPC round trips after \d+ trips "
              r"\(die=full how=hang\)", start), "", sh.out)
waiting = load(1, "full:waiting")
check("ppstall.full.waiting_server_mostly_idle", waiting is not None and waiting < 50,
      "core 1 load %s%% while its server's send is refused" % waiting, sh.out)
at = len(sh.out)
sh.send("stop 3\r")
check("ppstall.full.server_reports",
      line(1, r"serve full: client gone during the URPC round trips \(a send refused: its "
              r"queue full\) after \d+ trips", at), "", sh.out)
check("ppstall.full.server_ends", ended(1, srv, at, "exited with code 1"), "", sh.out)
idle = load(1, "full:after")
check("ppstall.full.core_idles", idle is not None and idle < 50, "core 1 load %s%%" % idle,
      sh.out)

check("ppstall.no_panic", "PANIC" not in sh.out, "", sh.out)
print("ppstall: loads over 2 s: %s" % ", ".join(loads))
sh.close()
finish()
