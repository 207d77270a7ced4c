#!/usr/bin/env python3
"""User space: ring-3 domains, syscalls, the boot manifest, fault isolation."""
import os
import re

from harness import BUILD, ROOT, boot, check, events, finish, lines_matching

APPS = os.path.join(BUILD, "apps")
MANIFESTS = os.path.join(ROOT, "tests", "manifests")


def modules(*names, manifest):
    return [os.path.join(APPS, n) for n in names] + [os.path.join(MANIFESTS, manifest)]


# A hello pinned to each of 4 cores prints from the right core.
code, out = boot(smp=4, modules=modules("monitor", "hello", manifest="hello4.manifest"),
                 timeout=240)
check("user.hello4.exit_status_0", code == 0, "exit code %s" % code, out)
for c in range(4):
    check("user.hello4.core%d_prints_from_core%d" % (c, c),
          lines_matching(out, r"^core %d: hello: hello from core %d \(program hello, "
                              r"domain \d+, argc 1\)$" % (c, c)), "", out)
    check("user.hello4.core%d_heap" % c, "core %d: hello: heap ok" % c in out, "", out)
check("user.hello4.all_finished", "core 0: all domains finished" in out, "", out)

# Hostile domains and faults on core 1; good domains on core 1 and 2 finish.
code, out = boot(smp=4, modules=modules("monitor", "hello", "hostile", "spin",
                                        manifest="faults.manifest"), timeout=240)
check("user.faults.exit_status_0", code == 0, "exit code %s" % code, out)
passed = lines_matching(out, r"^core 1: hostile: all (\d+) checks passed$")
check("user.faults.bad_pointer_syscalls_refused", len(passed) == 5,
      "%d of 5 hostile domains passed all checks" % len(passed), out)
check("user.faults.no_wrong_answers", not lines_matching(out, r"hostile: .* WRONG"), "", out)
hostile = [int(e["id"]) for e in events(out, "spawn", core=1, program="hostile")]
killed = {int(m.group(1)): m for m in lines_matching(
    out, r"^core 1: domain (\d+) \(hostile\) killed: exception (#\w+) [^(]*\(vector (\d+)\) "
         r"err=0x[0-9a-f]+ rip=0x([0-9a-f]+) cr2=0x([0-9a-f]+)")}
kinds = sorted(m.group(2) for m in killed.values())
check("user.faults.four_kills_reported", kinds == ["#DE", "#GP", "#PF", "#PF"], str(kinds), out)
for m in killed.values():
    rip = int(m.group(4), 16)
    check("user.faults.rip_in_user_image_%s_%s" % (m.group(2)[1:], m.group(1)),
          0x400000 <= rip < 0x40000000, "rip %#x" % rip, out)
check("user.faults.null_cr2", any(m.group(2) == "#PF" and int(m.group(5), 16) < 0x1000
                                  for m in killed.values()), "", out)
check("user.faults.stack_overrun_below_stack",
      any(m.group(2) == "#PF" and 0x7ffeff000000 <= int(m.group(5), 16) < 0x7fff00000000
          for m in killed.values()), "", out)
check("user.faults.event_not_forgeable",
      not events(out, program="forged") and
      "core 1: hostile: EV domain.exit id=999 program=forged code=0" in out, "", out)
kill_events = events(out, "domain.kill", core=1, program="hostile")
check("user.faults.kill_events", sorted(int(e["id"]) for e in kill_events) == sorted(killed),
      "kill events %s, kill lines %s" % ([e["id"] for e in kill_events], sorted(killed)), out)
check("user.faults.exit_codes_nonzero",
      all(int(e["code"]) < 0 for e in events(out, "domain.exit", core=1, program="hostile")
          if int(e["id"]) in killed), "", out)
# The monitors' calls (SYS_CORE_FENCE with real, forged and out-of-range
# cores and generations, SYS_CORE_GENERATION, SYS_CORE_STOP): refused with
# ERR_PERM (the hostile checks above), each logged by the kernel, and no
# core stopped.
check("user.faults.monitor_calls_refused_and_logged",
      lines_matching(out, r"^core 1: domain \d+ \(hostile\): a monitor's system call refused "
                          r"\(permission denied\): number 54 \(args 0x2 0x7\) from a domain "
                          r"that is no monitor"), "", out)
check("user.faults.no_core_fenced", "fencing core" not in out and not events(out, "core.fenced"),
      "", out)
check("user.faults.no_wx_alias", "core 1: hostile: wxalias: no writable alias of code" in out,
      "", out)
check("user.faults.good_app_same_core_finishes",
      lines_matching(out, r"^core 1: spin: spin yield: done"), "", out)
up = lines_matching(out, r"^core 1: spin: spin busy: state intact across (\d+) dispatcher upcalls$")
check("user.faults.preempted_domain_upcalled_intact", up and int(up[0].group(1)) > 0,
      "busy spin: %s" % (up[0].group(0) if up else "no result line"), out)
check("user.faults.hello_after_faults", "core 1: hello: arg 1: after=faults" in out, "", out)
check("user.faults.other_core_untouched", "core 2: hello: arg 1: untouched" in out, "", out)
check("user.faults.no_kernel_panic", "PANIC" not in out, "", out)

# A manifest with broken lines: each is named with its line number, the rest boots.
notelf = os.path.join(BUILD, "notelf")
with open(notelf, "w") as f:
    f.write("this is not an ELF file\n")
code, out = boot(smp=4, modules=[os.path.join(APPS, "monitor"), os.path.join(APPS, "hello"),
                                 notelf, os.path.join(MANIFESTS, "broken.manifest")],
                 timeout=240)
check("user.broken.exit_status_0", code == 0, "exit code %s" % code, out)
check("user.broken.line4_unknown_program",
      lines_matching(out, r"manifest line 4: .*helo"), "", out)
check("user.broken.line5_core_out_of_range",
      lines_matching(out, r"manifest line 5: core 7 out of range"), "", out)
check("user.broken.line6_bad_cores", lines_matching(out, r"manifest line 6: "), "", out)
check("user.broken.line8_not_elf",
      lines_matching(out, r"^core 2: .*notelf.*ELF|manifest line 8: cannot start 'notelf'"),
      "", out)
check("user.broken.good_lines_run",
      "core 0: hello: arg 1: first" in out and "core 3: hello: arg 1: last" in out, "", out)

# Without a monitor module the CPU drivers start the manifest themselves.
code, out = boot(smp=2, modules=[os.path.join(APPS, "hello"),
                                 os.path.join(MANIFESTS, "hello4.manifest")], timeout=240)
check("user.no_monitor.exit_status_0", code == 0, "exit code %s" % code, out)
check("user.no_monitor.reports_out_of_range_cores",
      lines_matching(out, r"manifest line \d+: core [23] out of range"), "", out)
check("user.no_monitor.hello_runs", "core 1: hello: arg 1: pinned" in out, "", out)
finish()
