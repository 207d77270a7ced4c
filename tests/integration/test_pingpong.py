#!/usr/bin/env python3
"""The ping-pong benchmark, short version: shape of the output, every pair reported."""
import os
import re

from harness import BUILD, ROOT, boot, check, finish, lines_matching

APPS = os.path.join(BUILD, "apps")
def cross_pairs(results):
    return [m for m in results if m.group(2) != m.group(3)]


manifest = os.path.join(BUILD, "pingpong-short.manifest")
with open(manifest, "w") as f:
    f.write("monitor all\npingpong 0 rights=spawn,kipc coord iters=50 stream=500\n")
code, out = boot(smp=4, modules=[os.path.join(APPS, "monitor"), os.path.join(APPS, "pingpong"),
                                 manifest], timeout=600)
check("pingpong.exit_status_0", code == 0, "exit code %s" % code, out)
results = lines_matching(out, r"^core 0: pingpong: result pair=(\d+) src=(\d+) dst=(\d+) "
                              r"urpc_med=(\d+) urpc_p99=(\d+) urpc_min=(\d+) stream_msgs=(\d+) "
                              r"stream_cycles=(\d+) kipc_med=(\d+) kipc_p99=(\d+) kipc_min=(\d+) "
                              r"raw_med=(\d+) err=(-?\d+)$")
pairs = {(int(m.group(2)), int(m.group(3))) for m in results}
want = {(s, d) for s in range(4) for d in range(4) if s != d} | {(1, 1)}
check("pingpong.every_pair_reported", pairs == want, "missing %s" % sorted(want - pairs), out)
check("pingpong.no_pair_failed", all(m.group(13) == "0" for m in results), "", out)
check("pingpong.raw_limit_measured", all(int(m.group(12)) > 0 for m in cross_pairs(results)), "", out)
cross = cross_pairs(results)
check("pingpong.urpc_stats_ordered",
      all(0 < int(m.group(6)) <= int(m.group(4)) <= int(m.group(5)) for m in cross), "", out)
check("pingpong.stream_measured",
      all(int(m.group(7)) == 500 and int(m.group(8)) > 0 for m in cross), "", out)
check("pingpong.kernel_ipc_measured",
      all(0 < int(m.group(11)) <= int(m.group(9)) <= int(m.group(10)) for m in results), "", out)
check("pingpong.progress_lines",
      len(lines_matching(out, r"^core 0: pingpong: progress \d+/13 pair \d+->\d+$")) == 13, "", out)
rows = lines_matching(out, r"^core 0: pingpong: matrix +(\d+) +((?:\s+(?:\d+|-)){4})$")
check("pingpong.matrix_4x4", [int(m.group(1)) for m in rows] == [0, 1, 2, 3], "", out)
check("pingpong.done_line",
      lines_matching(out, r"^core 0: pingpong: done pairs=13 failed=0 tsc_hz=\d+$"), "", out)
finish()
