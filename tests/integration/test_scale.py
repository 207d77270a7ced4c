#!/usr/bin/env python3
"""Many cores: 255 vCPUs (QEMU's TCG ceiling) on this small host, monitors and a
domain on every core (the figures are make bench-scale's)."""
import os
import sys

from harness import BUILD, boot, check, events, finish, lines_matching

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools"))
import topo  # noqa: E402  tools/topo.py

APPS = os.path.join(BUILD, "apps")
manifest = os.path.join(BUILD, "scale.manifest")
with open(manifest, "w") as f:
    f.write("monitor all\nhello all scale\n")
n = 255
code, out = boot(smp=n, mem="512M", modules=[os.path.join(APPS, "monitor"),
                                             os.path.join(APPS, "hello"), manifest],
                 timeout=900)
check("scale.exit_status_0", code == 0, "exit code %s" % code, out)
check("scale.all_up", lines_matching(out, r"^core 0: all %d cores up in \d+ ms$" % n), "", out)
# Above 16 cores the boot core prints the compact topology block (a few
# lines, not one per core: each serial byte costs the boot) and the
# broadcast tree's summary; expanded, the block lists every core.
block = [m.group(1) for m in lines_matching(out, r"^core 0: (topo: .*)$")]
cpus = [l for l in topo.expand_block(block) if l.startswith("topo: cpu ")]
check("scale.topology_compact", len(block) < 16 and len(cpus) == n,
      "%d block lines, %d cpus once expanded" % (len(block), len(cpus)), out)
check("scale.bcast_summary", len(lines_matching(out, r"^core 0: bcast: ")) == 3, "", out)
monitors = {int(m.group(1)) for m in lines_matching(out, r"^core (\d+): monitor: up on core \1:")}
check("scale.monitor_on_every_core", monitors == set(range(n)), "%d monitors" % len(monitors), out)
# The kernel's tagged exit event, not the program's prose: a hello that ran
# to exit code 0 on every core, core 0 included (its monitor has a link to
# every other core: its kernel's notification table must hold those and its
# domains' channels too).
hellos = {e["core"] for e in events(out, "domain.exit", program="hello", code=0)}
check("scale.hello_from_every_core", hellos == set(range(n)),
      "%d hellos exited 0; missing %s" % (len(hellos), sorted(set(range(n)) - hellos)[:10]), out)
check("scale.every_service_started", "cannot start" not in out,
      "; ".join(l for l in out.splitlines() if "cannot start" in l)[:300], out)
check("scale.nothing_declared_down", not events(out, "core.down"), "", out)
check("scale.all_domains_finished", "core 0: all domains finished" in out, "", out)
finish()
