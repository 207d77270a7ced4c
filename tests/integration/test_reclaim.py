#!/usr/bin/env python3
"""Reclamation: spawn, bind and exit a thousand times; nothing leaks.

apps/churn on core 0 (with the spawn right) runs cycles of an echo service
on one core and its client on another (2 spawns, 1 bind, 2 exits each);
every kernel prints `EV pool.free=N` when nothing but its monitor is left
and the value changed.  Checked on 4 cores:
  - within the long run, cores 1-3 (idle between cycles) have the same
    settled free count after the warm-up and at the end;
  - every core ends the long run (CHURN_CYCLES, default 300 in make test;
    CHURN_CYCLES=2000 for thousands) with the
    same free count as a run of only the warm-up cycles, so no cycle left
    anything behind (core 0, which runs churn, is idle only at the end).
"""
import os
import re

from harness import BUILD, boot, check, finish, lines_matching

APPS = os.path.join(BUILD, "apps")
CORES = 4
WARM = 20
CYCLES = int(os.environ.get("CHURN_CYCLES", "300"))


def run(tag, cycles):
    manifest = os.path.join(BUILD, "churn-%s.manifest" % tag)
    with open(manifest, "w") as f:
        f.write("monitor all\nchurn 0 rights=spawn %d %d\n" % (cycles, WARM))
    mods = [os.path.join(APPS, p) for p in ("monitor", "churn", "echo", "client")]
    code, out = boot(smp=CORES, modules=mods + [manifest], timeout=1800)
    name = "reclaim.%s" % tag
    check(name + ".exit_status_0", code == 0, "exit code %s" % code, out)
    check(name + ".all_cycles_done", "core 0: churn: %d cycles done" % cycles in out, "", out)
    check(name + ".no_wrong", "WRONG" not in out, "", out)
    check(name + ".no_panic", "PANIC" not in out, "", out)
    check(name + ".every_channel_freed",
          not lines_matching(out, r"monitor: channel 0x[0-9a-f]+: (frame \d+ not freed|no record)"),
          "", out)
    free, at_warm = {}, None
    for line in out.splitlines():
        m = re.match(r"^core (\d+): EV pool\.free=(\d+)$", line)
        if m:
            free[int(m.group(1))] = int(m.group(2))
        if "churn: warm-up done after" in line:
            at_warm = dict(free)
    return out, free, at_warm


_, short_end, _ = run("short", WARM)
out, long_end, at_warm = run("long", CYCLES)
for c in range(1, CORES):
    check("reclaim.long.core%d_free_after_warmup_equals_end" % c,
          at_warm is not None and at_warm.get(c) == long_end.get(c) is not None,
          "after warm-up %s, at the end %s" % (at_warm and at_warm.get(c), long_end.get(c)), out)
for c in range(CORES):
    check("reclaim.core%d_free_after_%d_cycles_equals_after_%d" % (c, CYCLES, WARM),
          c in short_end and long_end.get(c) == short_end[c],
          "%s after %d cycles, %s after %d" % (long_end.get(c), CYCLES, short_end.get(c), WARM),
          out)
print("reclaim: %d cycles (%d spawns, %d binds, %d exits); free frames at the end: %s"
      % (CYCLES, 2 * CYCLES, CYCLES, 2 * CYCLES,
         ", ".join("core %d %s" % (c, long_end.get(c)) for c in range(CORES))))
finish()
