#!/usr/bin/env python3
"""The monitors' memory: a share per monitor, per node, with free.

Three boots (apps/monattack):
 - reuse2: 2 cores and only 40 frames of monitors' memory (monmem=40): a
   domain on core 1 takes every frame until ERR_NOMEM and ends holding them;
   a domain on core 0 then gets exactly as many again (the ended domain's
   frames went back to the monitors owning them, across cores).
 - near4: 2 NUMA nodes (cores 0, 1 on node 0; 2, 3 on node 1): frames near
   core 2 asked from core 0 are served by a monitor of node 1; core 2 is
   stopped and the same request is served by core 3, the other owner of
   node 1's memory, with a log line naming the fallback; the first frames
   (core 2's) freed while core 2 is down stay with core 0's monitor, which
   hands them out first.
 - far4: the same machine with 64 frames of monitors' memory, all on node 0:
   a request near core 2 is served from node 0, the nearest node with
   memory, and the log line says so.
Each boot ends by itself (exit 0) once its domains ended.
"""
import os
import re

from harness import BUILD, boot, check, finish, lines_matching

APPS = os.path.join(BUILD, "apps")
WORK = os.path.join(BUILD, "memory")
NUMA2 = "package:2 core:2 pu:1 numa=2"


def run(name, smp, lines, cmdline="", topo=""):
    os.makedirs(WORK, exist_ok=True)
    manifest = os.path.join(WORK, "%s.manifest" % name)
    with open(manifest, "w") as f:
        f.write("monitor all\n" + lines)
    mods = [os.path.join(APPS, p) for p in ("monitor", "monattack")] + [manifest]
    return boot(smp=smp, topo=topo, cmdline=cmdline, modules=mods, timeout=300)


def common(tag, code, out):
    check(tag + ".exit_status_0", code == 0, "exit code %s" % code, out)
    check(tag + ".no_wrong", "WRONG" not in out, "", out)
    check(tag + ".no_panic", "PANIC" not in out, "", out)


def shares(out):
    """{core: (pages, free, node)} from the mem.share events."""
    return {int(m.group(1)): tuple(map(int, m.groups()[1:]))
            for m in lines_matching(out, r"^EV core=(\d+) mem\.share pages=(\d+) free=(\d+) "
                                         r"node=(\d+)$")}


def reuse_test():
    tag = "memory.reuse2"
    code, out = run("reuse2", 2, "monattack 1 memfill fill-a\nmonattack 0 memagain fill-a\n",
                    cmdline="monmem=40")
    common(tag, code, out)
    sh = shares(out)
    check(tag + ".a_share_per_core", sorted(sh) == [0, 1] and
          sum(p for p, _, _ in sh.values()) == 40, "%s" % sh, out)
    total = sum(f for _, f, _ in sh.values())
    fill = lines_matching(out, r"^core 1: monattack: memfill: (\d+) frames, then refused: "
                               r"out of memory$")
    check(tag + ".fill_takes_every_free_frame", fill and int(fill[0].group(1)) == total,
          "%s of %d" % (fill[0].group(1) if fill else "none", total), out)
    check(tag + ".frames_back_at_end",
          lines_matching(out, r"^core 1: monitor: memory: domain \d+ ended holding %d frames: "
                              r"they go back$" % total), "", out)
    again = lines_matching(out, r"^core 0: monattack: memagain: (\d+) frames after 'fill-a' "
                                r"ended, then refused: out of memory$")
    check(tag + ".all_handed_out_again", again and int(again[0].group(1)) == total,
          "%s of %d" % (again[0].group(1) if again else "none", total), out)
    check(tag + ".no_refused_return", not lines_matching(out, r"back from core \d+ refused"),
          "", out)


def near_test():
    tag = "memory.near4"
    code, out = run("near4", 4, "monattack 0 rights=stop memnear 2 2\n", topo=NUMA2)
    common(tag, code, out)
    sh = shares(out)
    check(tag + ".shares_on_both_nodes", {c: n for c, (_, _, n) in sh.items()} ==
          {0: 0, 1: 0, 2: 1, 3: 1}, "%s" % sh, out)
    check(tag + ".served_by_node1",
          lines_matching(out, r"^core 2: monitor: memory: 4 frames for core 0 from our share "
                              r"\(node 1\)$"), "", out)
    check(tag + ".first_request_ok",
          lines_matching(out, r"^core 0: monattack: memnear: core 2: frames "), "", out)
    check(tag + ".fallback_logged",
          lines_matching(out, r"^core 0: monitor: memory: (core 2 is down: its share of node 1 "
                              r"is not asked|4 frames near node 1 for domain \d+: asking core 3 "
                              r"of node 1 \(distance 10\))$"), "", out)
    check(tag + ".served_by_the_other_owner",
          lines_matching(out, r"^core 3: monitor: memory: 4 frames for core 0 from our share "
                              r"\(node 1\)$"), "", out)
    check(tag + ".request_after_stop_ok",
          lines_matching(out, r"^core 0: monattack: memnear: core 2 after the stop: frames "),
          "", out)
    check(tag + ".frames_of_a_down_owner_adopted",
          lines_matching(out, r"^core 0: monitor: memory: 4 frames of core 2's share kept here: "
                              r"core 2 is down$"), "", out)
    check(tag + ".adopted_frames_handed_out_first",
          lines_matching(out, r"^core 0: monattack: memnear: the first four freed while core 2 "
                              r"is down, then handed out again: the same$"), "", out)


def far_test():
    tag = "memory.far4"
    code, out = run("far4", 4, "monattack 0 memnear 2\n", cmdline="monmem=64", topo=NUMA2)
    common(tag, code, out)
    sh = shares(out)
    check(tag + ".node1_has_none", sh.get(2, (1,))[0] == 0 and sh.get(3, (1,))[0] == 0,
          "%s" % sh, out)
    m = lines_matching(out, r"^core 0: monitor: memory: 4 frames near node 1 for domain \d+: "
                            r"asking core (\d) of node 0 \(distance (\d+)\)$")
    check(tag + ".nearest_node_logged", m and int(m[0].group(2)) > 10,
          m[0].group(0) if m else "no line", out)
    check(tag + ".request_ok",
          lines_matching(out, r"^core 0: monattack: memnear: core 2: frames "), "", out)


reuse_test()
near_test()
far_test()
finish()
