#!/usr/bin/env python3
"""Real programs: x87/SSE/AVX state per domain and per thread, SIMD faults,
user-level threads (fpstress, threads)."""
import os

from harness import BUILD, boot, check, finish, lines_matching

APPS = os.path.join(BUILD, "apps")


def manifest(name, text):
    path = os.path.join(BUILD, name)
    with open(path, "w") as f:
        f.write(text)
    return path


FP_MANIFEST = manifest("fp.manifest", """\
fpstress 0 regs 30
fpstress 0 regs 30
fpstress 0 threads 4 20
fpstress 1 mf
fpstress 1 xm
fpstress 1 regs 10
""")

for label, cpu, save in (("fxsave", None, "fxsave"), ("xsave", "max", "xsave")):
    code, out = boot(smp=2, modules=[os.path.join(APPS, "fpstress"), FP_MANIFEST],
                     cpu=cpu, timeout=400)
    name = "programs.fp_%s." % label
    check(name + "exit_status_0", code == 0, "exit code %s" % code, out)
    check(name + "save_mode", lines_matching(out, r"^core 0: fpu: %s, " % save), "", out)
    check(name + "no_wrong", not lines_matching(out, r"fpstress: .*WRONG"), "", out)
    regs = lines_matching(out, r"^core (\d): fpstress: regs: intact, (\d+) rounds, "
                               r"(\d+) upcalls, avx (\d)$")
    check(name + "three_domains_intact", len(regs) == 3,
          "%d of 3 regs lines" % len(regs), out)
    check(name + "domains_were_preempted", regs and all(int(m.group(3)) > 0 for m in regs),
          str([m.group(0) for m in regs]), out)
    if label == "xsave":
        check(name + "avx_upper_halves_checked", regs and all(m.group(4) == "1" for m in regs),
              "", out)
    thr = lines_matching(out, r"^core 0: fpstress: threads: intact, 4 threads, 20 rounds, "
                              r"(\d+) switches, sum ok")
    check(name + "threads_intact", thr and int(thr[0].group(1)) > 0,
          thr[0].group(0) if thr else "no threads line", out)
    check(name + "mf_kills_domain",
          lines_matching(out, r"^core 1: domain \d+ \(fpstress\) killed: exception #MF"), "", out)
    check(name + "mf_reports_fp_state",
          lines_matching(out, r"^core 1: domain \d+ \(fpstress\): floating-point state at "
                              r"the fault: mxcsr=0x[0-9a-f]+ fsw=0x[0-9a-f]+$"), "", out)
    # QEMU's TCG raises no SIMD exceptions: then the sticky ZE flag must be set.
    check(name + "xm_kills_domain_or_emulator_says_why",
          lines_matching(out, r"^core 1: domain \d+ \(fpstress\) killed: exception #XM") or
          lines_matching(out, r"^core 1: fpstress: xm: this CPU raised no #XM .*ZE set"),
          "", out)
    check(name + "same_core_survives", lines_matching(out, r"^core 1: fpstress: regs: intact"),
          "", out)
    check(name + "no_panic", "PANIC" not in out, "", out)

TH_MANIFEST = manifest("threads.manifest", """\
threads 0 64
spin 0 busy 400
threads 1 fault
threads 1 overflow
threads 1 64
""")
code, out = boot(smp=2, modules=[os.path.join(APPS, "threads"), os.path.join(APPS, "spin"),
                                 TH_MANIFEST], timeout=400)
check("programs.threads.exit_status_0", code == 0, "exit code %s" % code, out)
for core in (0, 1):
    n = "programs.threads.core%d." % core
    for part in ("buffer", "mutex", "sleep", "channel"):
        check(n + part, lines_matching(out, r"^core %d: threads: %s ok" % (core, part)),
              "", out)
    check(n + "all_ok_64", "core %d: threads: all ok with 64 threads" % core in out, "", out)
mutex = lines_matching(out, r"^core 0: threads: mutex ok: counter (\d+) of (\d+), \d+ thread "
                           r"switches, (\d+) upcalls")
check("programs.threads.mutex_count_64x300", mutex and mutex[0].group(1) == "19200", "", out)
check("programs.threads.mutex_preempted_inside", mutex and int(mutex[0].group(3)) > 0,
      mutex[0].group(0) if mutex else "no mutex line", out)
check("programs.threads.no_wrong", not lines_matching(out, r"threads: .*WRONG"), "", out)
check("programs.threads.other_domain_same_core",
      lines_matching(out, r"^core 0: spin: spin busy: state intact"), "", out)
check("programs.threads.faulting_thread_kills_domain",
      lines_matching(out, r"^core 1: domain \d+ \(threads\) killed: exception #PF .*cr2=0x0 "),
      "", out)
check("programs.threads.stack_overrun_faults_in_guard", any(
    0x4000000000 <= int(m.group(1), 16) < 0x4004000000 for m in lines_matching(
        out, r"^core 1: domain \d+ \(threads\) killed: exception #PF .*cr2=0x([0-9a-f]+) ")),
    "", out)
check("programs.threads.refusals", "core 0: threads: refusals ok" in out, "", out)
check("programs.threads.fault_started", "core 1: threads: fault: 4 threads started" in out,
      "", out)
check("programs.threads.no_panic", "PANIC" not in out, "", out)

# One domain spanning 1, 2, 4 and 8 cores multiplies matrices of double.
SPAN = [os.path.join(APPS, "monitor"), os.path.join(APPS, "parmul")]
code, out = boot(smp=8, modules=SPAN + [manifest("parmul.manifest",
                                                 "monitor all\nparmul 0 span=all sweep 96\n")],
                 timeout=600)
check("programs.span.exit_status_0", code == 0, "exit code %s" % code, out)
for n in (1, 2, 4, 8):
    check("programs.span.result_ok_on_%d_cores" % n,
          lines_matching(out, r"^core 0: parmul: cores %d: result ok, \d+ cycles" % n), "", out)
check("programs.span.sweep_ok", "core 0: parmul: sweep ok" in out, "", out)
check("programs.span.thread_moves_between_cores",
      lines_matching(out, r"^core 0: parmul: move ok: a thread moved from core 0 to core 7"),
      "", out)
inst = lines_matching(out, r"^core (\d): domain \d+ \(parmul\): instance of core 0's domain")
check("programs.span.seven_instances", sorted(int(m.group(1)) for m in inst) ==
      list(range(1, 8)), str([m.group(0) for m in inst]), out)
ended = lines_matching(out, r"^core (\d): domain \d+ \(parmul\) ended: its home domain ended")
check("programs.span.instances_end_with_home", len(ended) == 7, "%d of 7" % len(ended), out)
released = lines_matching(out, r"^core 0: monitor: span: domain \d+'s instance on core \d ended")
check("programs.span.frames_released_after_every_core", len(released) == 7,
      "%d of 7" % len(released), out)
check("programs.span.no_wrong", not lines_matching(out, r"parmul: .*WRONG"), "", out)
check("programs.span.no_panic", "PANIC" not in out, "", out)

# Refusals: own core, no such core, twice, a core not spanned, a core the
# domain has no right to span (span=0-2), map once spanning, a stopped core
# (from libos and straight to the monitor).
code, out = boot(smp=4, modules=SPAN + [manifest("parmulbad.manifest",
                                                 "monitor all\nparmul 0 rights=stop span=0-2 bad\n")],
                 timeout=400)
check("programs.span_bad.exit_status_0", code == 0, "exit code %s" % code, out)
bad = lines_matching(out, r"^core 0: parmul: bad: (.*) (ok|WRONG) \(got")
check("programs.span_bad.all_refusals_named", len(bad) == 13 and
      all(m.group(2) == "ok" for m in bad), str([m.group(0) for m in bad]), out)
check("programs.span_bad.bad_ok", "core 0: parmul: bad ok" in out, "", out)
check("programs.span_bad.no_span_right_named",
      lines_matching(out, r"^core 0: monitor: refused a message from domain \d+: MON_SPAN_REQ: "
                          r"domain \d+ may not span core 3 \(not in its span= cores\)"), "", out)

# A thread on another core faults: the domain ends on both cores, the
# frames go back only after, and the rest of the system runs on.
code, out = boot(smp=2, modules=SPAN + [os.path.join(APPS, "hello"), manifest(
    "parmulfault.manifest", "monitor all\nparmul 0 span=0-1 fault\nhello 1 after\n")], timeout=400)
check("programs.span_fault.exit_status_0", code == 0, "exit code %s" % code, out)
check("programs.span_fault.instance_killed",
      lines_matching(out, r"^core 1: domain \d+ \(parmul\) killed: exception #PF .*cr2=0x0 "),
      "", out)
check("programs.span_fault.home_ended_too",
      "core 0: domain 2 (parmul) ended: an instance on another core died" in out, "", out)
check("programs.span_fault.frames_released",
      lines_matching(out, r"^core 0: monitor: span: domain 2's instance on core 1 ended"), "", out)
check("programs.span_fault.hello_runs", "core 1: hello: arg 1: after" in out, "", out)
check("programs.span_fault.no_panic", "PANIC" not in out, "", out)

# Map, unmap and protect by messages on 4 cores, in each of the three ways
# the monitors reach the other cores (homes on cores 2, 3, 2); then a touch
# after the unmap (homes on core 0), and a write after a protect read-only
# (homes on core 1), from each core of the span in turn (one domain per core
# probed).  Eleven spanning domains: their homes are spread over the cores,
# as one core's pool does not hold eleven heap reserves.
SPANVM = [os.path.join(APPS, "monitor"), os.path.join(APPS, "spanvm")]
MODES = ("tree", "unicast", "seq")
code, out = boot(smp=4, modules=SPANVM + [manifest("spanvm.manifest", "monitor all\n" +
                 "".join("spanvm %d span=all check 4 %s\n" % (h, m)
                         for h, m in zip((2, 3, 2), MODES)) +
                 "".join("spanvm 0 span=all probe 4 %d\n" % k for k in range(1, 5)) +
                 "".join("spanvm 1 span=all wprobe 4 %d unicast\n" % k for k in range(1, 5)))],
                 timeout=900)
check("programs.spanvm.exit_status_0", code == 0, "exit code %s" % code, out)
checks = lines_matching(out, r"^core [23]: spanvm: check: (.*) (ok|WRONG) \(got")
check("programs.spanvm.check_all", len(checks) == 3 * 30 and
      all(m.group(2) == "ok" for m in checks), str([m.group(0) for m in checks
                                                   if m.group(2) != "ok"]), out)
for what in ("unmap of 3 pages, the third not mapped", "protect with W and X",
             "protect 2 pages read-only", "unmap of 2 pages", "free after the unmap",
             "protect, bad rights to the monitor",
             "protect writable pages executable (W for X in one change)",
             "protect executable pages writable (X for W in one change)",
             "protect read-only pages executable"):
    check("programs.spanvm.%s" % what.replace(" ", "_").replace(",", ""),
          len([m for m in checks if m.group(1) == what]) == 3, what, out)
check("programs.spanvm.refusal_changes_nothing",
      out.count("spanvm: check: every core reads both pages after the refusals ok") == 3,
      "", out)
check("programs.spanvm.writes_seen_on_every_core",
      out.count("spanvm: check: every core's write seen by the others (4 cores)") == 3,
      "", out)
check("programs.spanvm.check_ok", out.count("spanvm: check ok") == 3, "", out)
faults = lines_matching(out, r"^core (\d): domain \d+ \(spanvm\) killed: exception #PF .*"
                             r"cr2=0x5000000000 ")
check("programs.spanvm.access_after_unmap_faults_on_every_core",
      sorted(int(m.group(1)) for m in faults) == [0, 1, 2, 3],
      str([m.group(0) for m in faults]), out)
wfaults = lines_matching(out, r"^core (\d): domain \d+ \(spanvm\) killed: exception #PF .*"
                              r"err=0x7 .*cr2=0x5000001000 ")
check("programs.spanvm.write_after_protect_faults_on_every_core",
      sorted(int(m.group(1)) for m in wfaults) == [0, 1, 2, 3],
      str([m.group(0) for m in wfaults]), out)
check("programs.spanvm.reads_after_protect_on_every_core",
      out.count("spanvm: check: every core reads both pages after protect read-only ok") == 3 + 4,
      "", out)
check("programs.spanvm.no_wrong", not lines_matching(out, r"spanvm: .*WRONG"), "", out)
check("programs.spanvm.no_panic", "PANIC" not in out, "", out)

# The lazy path (the default; probe above ran it too: the cores whose
# instance idled at the unmap took it before running the toucher).  A write
# after protect read-only faults on every core; with a thread of the domain
# spinning on every other core through the unmap (so each core must answer
# by message), a touch afterwards faults on every core; 80 protects while
# the other cores idle fill their queues (64 changes), the full-queue path
# takes over and every core still reads and writes as the last protect
# says; the queues are kernel memory a domain cannot reach.
code, out = boot(smp=4, modules=SPANVM + [manifest("spanvmlazy.manifest", "monitor all\n" +
                 "".join("spanvm 1 span=all wprobe 4 %d lazy\n" % k for k in range(1, 5)) +
                 "".join("spanvm %d span=all bprobe 4 %d\n" % hk
                         for hk in ((2, 2), (2, 3), (2, 4), (3, 4))) +
                 "spanvm 3 span=all lazyfull 4\nspanvm 0 span=all hostile 4\n"
                 "spanvm 2 span=all notify 2\n")],
                 timeout=900)
check("programs.spanvm_lazy.exit_status_0", code == 0, "exit code %s" % code, out)
wfaults = lines_matching(out, r"^core (\d): domain \d+ \(spanvm\) killed: exception #PF .*"
                              r"err=0x7 .*cr2=0x5000001000 ")
check("programs.spanvm_lazy.write_after_protect_faults_on_every_core",
      sorted(int(m.group(1)) for m in wfaults) == [0, 1, 2, 3],
      str([m.group(0) for m in wfaults]), out)
check("programs.spanvm_lazy.busy_unmap_answered",
      out.count("spanvm: bprobe: unmap with the domain running on 3 other cores: success") == 4,
      "", out)
bfaults = lines_matching(out, r"^core (\d): domain \d+ \(spanvm\) killed: exception #PF .*"
                              r"err=0x[46] .*cr2=0x5000000000 ")
check("programs.spanvm_lazy.access_after_busy_unmap_faults_on_every_core",
      sorted(int(m.group(1)) for m in bfaults) == [0, 1, 2, 3],
      str([m.group(0) for m in bfaults]), out)
check("programs.spanvm_lazy.ran_throughout_then_faulted",
      len(lines_matching(out, r"spanvm: bprobe: core \d touches 0x5000000000 after the unmap "
                              r"\(it ran throughout\)")) == 4, "", out)
check("programs.spanvm_lazy.queue_full_falls_back",
      lines_matching(out, r"monitor: vm: a core's queue is full: domain \d+'s protect"), "", out)
check("programs.spanvm_lazy.after_full_queue_ok", "spanvm: lazyfull ok" in out and
      "spanvm: check: every core reads both pages after the writes after 80 protects ok" in out,
      "", out)
check("programs.spanvm_lazy.hostile_refused", "spanvm: hostile ok" in out and
      lines_matching(out, r"spanvm: check: of the \d+ frames allocated around the spans the "
                          r"domain mapped \d+ \(its own\), \d+ refused, 0 holding a span list "
                          r"or queue ok"), "", out)
# The scan is only worth something if it covered the lists and queues: the
# home's kernel names where each export went, and those made after the
# first span (which makes the domain's heap and stacks) must lie inside it.
scan = lines_matching(out, r"^core 0: spanvm: hostile: domain (\d+) scanned frames "
                           r"(0x[0-9a-f]+)\.\.(0x[0-9a-f]+)$")
exports = scan and [(int(m.group(1), 16), int(m.group(2))) for m in lines_matching(
    out, r"^core 0: domain %s \(spanvm\): tables exported for core \d+: list and queue at "
         r"(0x[0-9a-f]+), (\d+) pages" % scan[0].group(1))]
check("programs.spanvm_lazy.hostile_scan_covers_lists_and_queues",
      scan and len(exports) == 3 and all(
          int(scan[0].group(2), 16) <= pa and pa + (n - 1) * 4096 <= int(scan[0].group(3), 16)
          for pa, n in exports[1:]),
      "scan %s, exports %s" % (scan and scan[0].group(0), exports), out)
check("programs.spanvm_lazy.notify_only_inside_the_span", "core 2: spanvm: notify ok" in out and
      lines_matching(out, r"^core 2: domain \d+ \(spanvm\): SYS_NOTIFY refused \(.*\): core 0: "
                          r"no right to notify cores"), "", out)
check("programs.spanvm_lazy.no_wrong", not lines_matching(out, r"spanvm: .*WRONG"), "", out)
check("programs.spanvm_lazy.no_panic", "PANIC" not in out, "", out)

# A core stops while a lazy unmap is queued for it (its instance idled):
# 80 protects after (its queue fills: the full-queue path meets the dead
# core), a map and an unmap all complete; the domain ends normally.
code, out = boot(smp=4, modules=SPANVM + [manifest("spanvmlstop.manifest",
                                                   "monitor all\nspanvm 0 rights=stop span=all lstop 4 3\n")],
                 timeout=600)
check("programs.spanvm_lazy_stop.exit_status_0", code == 0, "exit code %s" % code, out)
check("programs.spanvm_lazy_stop.stopped_with_change_queued",
      "core 0: spanvm: lstop: core 2 stopped with the unmap queued for it (success)" in out, "", out)
check("programs.spanvm_lazy_stop.nothing_hangs", "core 0: spanvm: lstop ok" in out and
      lines_matching(out, r"^core 0: domain \d+ \(spanvm\) exited with code 0"), "", out)
check("programs.spanvm_lazy_stop.dead_core_named",
      lines_matching(out, r"^core 0: monitor: vm: core 2 is down; domain \d+'s protect"), "", out)
check("programs.spanvm_lazy_stop.no_panic", "PANIC" not in out, "", out)

# One change at a time, against raw requests sent without waiting: a map
# whose core of the span stopped stays in flight until that core is
# declared down; meanwhile SYS_SPAN_LAZY, a second MON_VM_REQ and a span
# request are refused (ERR_BUSY, answered before the map); a change sent
# while a span is being created is refused too; then an unmap, and core 1
# faults on the page (the cores applied the changes in the home's order).
code, out = boot(smp=4, modules=SPANVM + [manifest(
    "spanvmorder.manifest", "monitor all\nspanvm 0 rights=stop span=all order 3\n")], timeout=400)
check("programs.span_order.exit_status_0", code == 0, "exit code %s" % code, out)
for what in ("SYS_SPAN_LAZY unmap while the map is in flight",
             "the unmap sent while the map was in flight",
             "the span request sent while the map was in flight",
             "the protect sent while the span was being created"):
    check("programs.span_order." + what.replace(" ", "_"),
          "spanvm: check: %s ok (got resource busy" % what in out, "", out)
check("programs.span_order.refused_while_in_flight",
      "spanvm: check: both refusals answered before the map ok" in out and
      "spanvm: check: refused before the span's answer ok" in out, "", out)
check("programs.span_order.refusals_named",
      lines_matching(out, r"^core 0: monitor: refused a message from domain \d+: MON_VM_REQ: unmap "
                          r"of 0x5000000000 \(1 pages\): another change of the domain's mappings "
                          r"is in flight") and
      lines_matching(out, r"^core 0: monitor: refused a message from domain \d+: MON_VM_REQ: "
                          r"protect of 0x5000000000 \(1 pages\): a span of the domain is being "
                          r"created"), "", out)
check("programs.span_order.order_ok", "core 0: spanvm: order ok" in out, "", out)
check("programs.span_order.unmapped_on_core_1",
      lines_matching(out, r"^core 1: domain \d+ \(spanvm\) killed: exception #PF .*"
                          r"cr2=0x5000000000 "), "", out)
check("programs.span_order.no_wrong", not lines_matching(out, r"spanvm: .*WRONG"), "", out)
check("programs.span_order.no_panic", "PANIC" not in out, "", out)

# A queued change an instance's kernel refuses: a page mapped at a
# per-core address before the span (the trace ring's, free with tracing
# off) is the home's alone; its lazy unmap is queued for the idle
# instance, whose kernel refuses it when the instance next runs (a thread
# is created there): that ends the instance, the home with it, and core 1
# runs its other domain on.  And a participant's notification wakes only
# its own participant: a domain outside the span, blocked in SYS_WAIT on
# the notified core, is never woken by 200 notifications.
code, out = boot(smp=2, modules=SPANVM + [os.path.join(APPS, "spin"), manifest(
    "spanvmrefused.manifest", "monitor all\nspanvm 0 span=0-1 refused\n"
    "spanvm 1 rights=spawn span=0-1 notifyonly\nspin 1 busy for=15000\n")], timeout=400)
check("programs.span_refused.exit_status_0", code == 0, "exit code %s" % code, out)
check("programs.span_refused.home_unmapped",
      "core 0: spanvm: check: unmap it (queued for the idle instance) ok" in out, "", out)
check("programs.span_refused.instance_kernel_refuses",
      lines_matching(out, r"^core 1: domain \d+ \(spanvm\): a change queued by core 0 was "
                          r"refused \(value out of range\)") and
      lines_matching(out, r"^core 1: domain \d+ \(spanvm\) ended: its tables could not follow "
                          r"its home's"), "", out)
check("programs.span_refused.domain_ended_everywhere",
      lines_matching(out, r"^core 0: monitor: domain \d+'s instance \d+ on core 1 ended on its "
                          r"own; ending the domain everywhere: success") and
      lines_matching(out, r"^core 0: domain \d+ \(spanvm\) ended: an instance on another core "
                          r"died"), "", out)
check("programs.span_refused.other_domain_runs_on", "core 1: spin: spin busy: done" in out,
      "", out)
check("programs.span_notify_only.notifications_accepted",
      "core 1: spanvm: notifyonly: 200 of 200 notifications of core 0 accepted ok" in out, "", out)
check("programs.span_notify_only.outsider_never_woken",
      lines_matching(out, r"^core 0: spanvm: waiter: woken 0 times in 10000 ms \(\d+ waits ran "
                          r"out\) ok"), "", out)
check("programs.span_refused.no_wrong", not lines_matching(out, r"spanvm: .*WRONG"), "", out)
check("programs.span_refused.no_panic", "PANIC" not in out, "", out)

# The home's core stops while the domain's threads run on the other two
# cores of its span: every monitor that learns core 1 is down ends the
# instances homed there (nobody else would; they must not keep mapping a
# dead core's frames).  A thread still running 60 s later says WRONG.  The
# spin domains on those cores run on to their end.
code, out = boot(smp=4, modules=SPANVM + [os.path.join(APPS, "spin"), manifest(
    "spanvmhomestop.manifest", "monitor all\nspanvm 1 rights=stop span=1-3 homestop 3\n"
    "spin 2 busy for=20000\nspin 3 busy for=20000\n")], timeout=400)
check("programs.span_home_stop.exit_status_0", code == 0, "exit code %s" % code, out)
check("programs.span_home_stop.home_core_stopped",
      "core 1: spanvm: homestop: stopping core 1, the home's own" in out, "", out)
ended = lines_matching(out, r"^core ([23]): domain \d+ \(spanvm\) ended: its home's core is down")
check("programs.span_home_stop.instances_ended_by_their_kernels",
      sorted(int(m.group(1)) for m in ended) == [2, 3], str([m.group(0) for m in ended]), out)
named = lines_matching(out, r"^core ([23]): monitor: span: core 1 is down: ended domain \d+, "
                            r"the instance of its domain \d+ \(success\)")
check("programs.span_home_stop.monitors_name_it",
      sorted(int(m.group(1)) for m in named) == [2, 3], str([m.group(0) for m in named]), out)
check("programs.span_home_stop.other_domains_run_on",
      "core 2: spin: spin busy: done" in out and "core 3: spin: spin busy: done" in out, "", out)
check("programs.span_home_stop.no_wrong", not lines_matching(out, r"spanvm: .*WRONG"), "", out)
check("programs.span_home_stop.no_panic", "PANIC" not in out, "", out)

# A core of the span stops before the unmap: it completes for the others.
# Sequential on 4 cores (the last core stops); along the tree on 8 cores,
# where core 1 stops, which passes the change on to cores 5, 6 and 7: its
# side is reached straight, so core 7 faults after the unmap.
code, out = boot(smp=4, modules=SPANVM + [manifest("spanvmstop.manifest",
                                                   "monitor all\nspanvm 0 rights=stop span=all stop 4 seq\n")],
                 timeout=400)
check("programs.spanvm_stop.exit_status_0", code == 0, "exit code %s" % code, out)
check("programs.spanvm_stop.unmap_completes",
      "core 0: spanvm: stop ok: the unmap returned success with core 3 stopped" in out, "", out)
check("programs.spanvm_stop.dead_core_named",
      lines_matching(out, r"^core 0: monitor: vm: core 3 is down; domain \d+'s unmap"), "", out)
check("programs.spanvm_stop.no_panic", "PANIC" not in out, "", out)

code, out = boot(smp=8, modules=SPANVM + [manifest("spanvmstop8.manifest",
                                                   "monitor all\nspanvm 0 rights=stop span=all stop 8 2 tree\n")],
                 timeout=600)
check("programs.spanvm_stop_tree.unmap_completes",
      "core 0: spanvm: stop ok: the unmap returned success with core 1 stopped" in out, "", out)
check("programs.spanvm_stop_tree.dead_core_named",
      lines_matching(out, r"^core 0: monitor: vm: core 1 is down; domain \d+'s unmap"), "", out)
check("programs.spanvm_stop_tree.gone_beyond_the_dead_core",
      lines_matching(out, r"^core 7: domain \d+ \(spanvm\) killed: exception #PF .*"
                          r"cr2=0x5000000000 "), "", out)
check("programs.spanvm_stop_tree.no_wrong", not lines_matching(out, r"spanvm: .*WRONG"), "", out)
check("programs.spanvm_stop_tree.no_panic", "PANIC" not in out, "", out)
finish()
