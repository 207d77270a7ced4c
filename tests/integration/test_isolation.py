#!/usr/bin/env python3
"""Isolation: a hostile domain harms only itself.

One boot per attack (4 cores): the attacker (apps/isoattack) on core 1, an
echo service on core 3, and a witness on core 2 that, after the attack,
spawns a hello on every core and an echo client on core 0.  Each attack
checks: the attacker is killed or refused with the named error, every
core's hello and the cross-core echo complete, no core panics, the guest
exits 0.
"""
import os
import re

from harness import BUILD, boot, check, finish, lines_matching

APPS = os.path.join(BUILD, "apps")
WORK = os.path.join(BUILD, "isolation")
CORES = 4
PROGRAMS = ("monitor", "isoattack", "hello", "echo", "client", "monattack")


def run_attack(name, attack_args, witness_ticks=100, timeout=300, echo_clients=1,
               attacker="isoattack", extra=""):
    """Boot the attack's manifest; return (exit code, serial text)."""
    os.makedirs(WORK, exist_ok=True)
    manifest = os.path.join(WORK, "%s.manifest" % name)
    with open(manifest, "w") as f:
        f.write("monitor all\n"
                "echo 3 echo %d\n"
                "%s 1 %s\n"
                "isoattack 2 rights=spawn check %d %s\n%s"
                % (echo_clients, attacker, attack_args, witness_ticks, name, extra))
    mods = [os.path.join(APPS, p) for p in PROGRAMS] + [manifest]
    return boot(smp=CORES, modules=mods, timeout=timeout)


def check_rest_alive(tag, name, code, out):
    """After the attack: hello on every core, echo across cores, exit 0."""
    check(tag + ".exit_status_0", code == 0, "exit code %s" % code, out)
    for c in range(CORES):
        check("%s.hello_core%d_after" % (tag, c),
              "core %d: hello: arg 1: after=%s" % (c, name) in out, "", out)
    check(tag + ".echo_across_cores_after",
          lines_matching(out, r"^core 0: client: echo ok: 20 round trips with core 3$"), "", out)
    check(tag + ".no_panic", "PANIC" not in out, "", out)


def killed(out, how):
    return lines_matching(out, r"^core 1: domain \d+ \(isoattack\) killed: %s" % how)


# Flags + syscall: NT/AC/DF/ID set across syscalls and interrupts.  Before
# the syscall flag mask cleared NT this reset the machine.
code, out = run_attack("flags", "flags")
tag = "isolation.flags"
check(tag + ".answered_right",
      lines_matching(out, r"^core 1: isoattack: flags: \d+ syscalls with NT AC DF ID set "
                          r"answered right, flags kept$"), "", out)
check(tag + ".no_wrong", "WRONG" not in out, "", out)
check_rest_alive(tag, "flags", code, out)

# TF across a syscall: the single-step trap is the domain's.
code, out = run_attack("tf", "tf")
tag = "isolation.tf"
check(tag + ".attacker_killed_db", killed(out, r"exception #DB"), "", out)
check_rest_alive(tag, "tf", code, out)

# Non-canonical upcall entry, kernel-half upcall stack: refused on the way out.
for name, args, rip in (("resume", "resume", "0x800000000000"),
                        ("resume-rsp", "resume-rsp", "0x401000")):
    code, out = run_attack(name, args)
    tag = "isolation." + name
    check(tag + ".attacker_killed_bad_return",
          killed(out, r"return to a non-user address rip=%s " % rip), "", out)
    check_rest_alive(tag, name, code, out)

# Mapping the first 64 KiB (and the last user page) is refused with ERR_RANGE.
code, out = run_attack("map0", "map0")
tag = "isolation.map0"
for va in ("0x0", "0x1000", "0xf000", "0x7ffffffff000"):
    check("%s.refused_%s" % (tag, va),
          "core 1: isoattack: map0: map at %s: value out of range" % va in out, "", out)
check(tag + ".64k_maps", "core 1: isoattack: map0: map at 0x10000: mapped" in out, "", out)
check(tag + ".survived", "core 1: isoattack: map0 survived" in out, "", out)
check_rest_alive(tag, "map0", code, out)

# Kernel IPC needs the kipc right (pingpong's manifest line has it).
code, out = run_attack("kipc", "kipc")
tag = "isolation.kipc"
for c in range(CORES):
    check("%s.core%d_refused" % (tag, c),
          "core 1: isoattack: kipc: to core %d domain 1: permission denied" % c in out, "", out)
check(tag + ".refusal_logged",
      lines_matching(out, r"^core 1: domain \d+ \(isoattack\): SYS_IPC_SEND refused "
                          r"\(permission denied\): no kipc right"), "", out)
check_rest_alive(tag, "kipc", code, out)

# Shared code: the attacker (core 1) and the witness (core 2) are both
# isoattack, so they map the same frames of its code (docs/07-libos.md).
# Unmapping a code page is refused, and a write into the function the
# witness runs after its wait kills the attacker (#PF, write to a present
# page from ring 3: err=0x7) and leaves the witness's code whole: it spawns
# every hello.
code, out = run_attack("code", "code")
tag = "isolation.code"
check(tag + ".unmap_refused",
      "core 1: isoattack: code: unmap and drop refused; writing into spawn_hellos" in out, "", out)
check(tag + ".attacker_killed_pf", killed(out, r"exception #PF .*err=0x7 "), "", out)
check(tag + ".no_wrong", "WRONG" not in out, "", out)
check(tag + ".witness_code_intact",
      "core 2: isoattack: check: hello spawned on %d of %d cores, client spawned" % (CORES, CORES)
      in out, "", out)
check_rest_alive(tag, "code", code, out)

# Memory hogs: frames, and page tables built for the domain's mappings,
# both refused at the domain's frame quota with ERR_QUOTA and a log line.
for name, what in (("frames", r"frames: \d+ frames, then quota exceeded"),
                   ("ptables", r"ptables: \d+ mappings 1 GiB apart, then quota exceeded")):
    code, out = run_attack(name, name)
    tag = "isolation." + name
    check(tag + ".refused_err_quota", lines_matching(out, r"^core 1: isoattack: " + what + "$"),
          "", out)
    check(tag + ".refusal_logged",
          lines_matching(out, r"^core 1: domain \d+ \(isoattack\): SYS_\w+ refused \(quota "
                              r"exceeded\): frame quota 4096 reached"), "", out)
    check(tag + ".survived", "core 1: isoattack: %s survived" % name in out, "", out)
    check_rest_alive(tag, name, code, out)

# Print flood on core 1 while the witness runs (no delay): the flood waits
# for its own core's console ring, so hello (core 1 too) and the echo
# complete, and not one of the flood's lines is lost or split.
FLOOD = 1000
code, out = run_attack("print", "print %d" % FLOOD, witness_ticks=1, timeout=600)
tag = "isolation.print"
lines = lines_matching(out, r"^core 1: isoattack: (p+)$")
check(tag + ".every_line_printed_whole",
      len(lines) == FLOOD and all(len(m.group(1)) == len(lines[0].group(1)) for m in lines),
      "%d of %d flood lines intact" % (len(lines), FLOOD), out)
check(tag + ".flood_finished",
      "core 1: isoattack: print: %d of %d floods printed" % (FLOOD, FLOOD) in out, "", out)
check_rest_alive(tag, "print", code, out)

# Notification floods while the witness runs: at other cores and at a page
# that is no channel (refused, each refusal logged until the log limit),
# then through a channel bound to echo (accepted, coalesced: echo still
# answers, and so does the witness's client on the same service).
N = 100000
code, out = run_attack("notify", "notify %d" % N, witness_ticks=1, timeout=600, echo_clients=2)
tag = "isolation.notify"
for c in (0, 2, 3):
    check("%s.core%d_refused" % (tag, c),
          "core 1: isoattack: notify: core %d: %d of %d refused (permission denied)"
          % (c, N // 100, N // 100) in out, "", out)
check(tag + ".non_channel_refused",
      "core 1: isoattack: notify: non-channel page: %d of %d refused (permission denied)"
      % (N // 100, N // 100) in out, "", out)
check(tag + ".channel_flood_accepted",
      "core 1: isoattack: notify: channel to core 3: 0 of %d refused (none)" % N in out, "", out)
check(tag + ".echo_after_flood", "core 1: isoattack: notify: echo after the flood: ok" in out,
      "", out)
refusals = lines_matching(out, r"^core 1: domain \d+ \(isoattack\): SYS_NOTIFY refused "
                               r"\(permission denied\): .* \[refusal (\d+)\]$")
check(tag + ".refusals_logged_and_limited",
      16 <= len(refusals) < 64 and int(refusals[0].group(1)) == 1,
      "%d refusal lines" % len(refusals), out)
check(tag + ".flood_finished", "core 1: isoattack: notify survived" in out, "", out)
check_rest_alive(tag, "notify", code, out)

# The system-call fuzzer on every core during a soak (make fuzz-sys is the
# long run): the soak loses and corrupts nothing, every fuzzer finishes or
# is killed for a fault of its own, nothing returns an undocumented value.
os.makedirs(WORK, exist_ok=True)
manifest = os.path.join(WORK, "fuzz-sys.manifest")
with open(manifest, "w") as f:
    f.write("monitor all\nsoak 0 rights=spawn coord msgs=3000\nsysfuzz all 15\n")
code, out = boot(smp=CORES, modules=[os.path.join(APPS, p) for p in ("monitor", "soak", "sysfuzz")]
                 + [manifest], timeout=600)
tag = "isolation.sysfuzz"
check(tag + ".exit_status_0", code == 0, "exit code %s" % code, out)
check(tag + ".no_panic", "PANIC" not in out, "", out)
tot = lines_matching(out, r"^core 0: soak: totals: sent=(\d+) received=(\d+) lost=(\d+) "
                          r"corrupted=(\d+) abandoned=(\d+) nodes=4/4")
check(tag + ".soak_lost_0_corrupted_0",
      len(tot) == 1 and tot[0].group(1) == tot[0].group(2) and tot[0].group(3) == "0"
      and tot[0].group(4) == "0", tot[0].group(0) if tot else "no totals line", out)
done = lines_matching(out, r"^core (\d): sysfuzz: done: (\d+) calls in \d+ s, \d+ refused, "
                           r"(\d+) wrong$")
killed_fuzzers = lines_matching(out, r"^core \d: domain \d+ \(sysfuzz\) killed: ")
check(tag + ".every_fuzzer_finished_or_killed", len(done) + len(killed_fuzzers) == CORES,
      "%d done, %d killed" % (len(done), len(killed_fuzzers)), out)
check(tag + ".nothing_wrong", all(m.group(3) == "0" for m in done) and "WRONG" not in out,
      "", out)
check(tag + ".calls_made", sum(int(m.group(2)) for m in done) > 0, "", out)

# The monitors' rights and quotas (apps/monattack on core 1, no rights).
MON = r"^core %d: monitor: "


def monattack_survived(tag, name, out):
    check(tag + ".survived", "core 1: monattack: %s survived" % name in out, "", out)
    check(tag + ".no_wrong", "WRONG" not in out, "", out)


# Stop a core without the right: refused, core 2 keeps running.
code, out = run_attack("stopcore", "stopcore 2", attacker="monattack")
tag = "isolation.stopcore"
check(tag + ".refused_err_perm",
      "core 1: monattack: stopcore: core 2: refused: permission denied (MON_STOP_CORE_REQ "
      "needs the right stop, which domain" in out, "", out)
check(tag + ".refusal_logged",
      lines_matching(out, MON % 1 + r"refused a message from domain \d+: MON_STOP_CORE_REQ "
                          r"needs the right stop, which domain \d+ lacks$"), "", out)
check(tag + ".core2_not_stopped", "core 2: stopped by a test command" not in out, "", out)
monattack_survived(tag, "stopcore", out)
check_rest_alive(tag, "stopcore", code, out)

# Bind flood against a service on core 3 that accepts everyone: the
# attacker's binds quota (32 + one per core) stops it, echo on the same
# core still binds.
code, out = run_attack("bindflood", "bindflood flood", witness_ticks=300, attacker="monattack",
                       extra="monattack 3 sink flood 1000\n")
tag = "isolation.bindflood"
check(tag + ".refused_err_quota",
      lines_matching(out, r"^core 1: monattack: bindflood: 36 binds to 'flood', then refused: "
                          r"quota exceeded"), "", out)
check(tag + ".refusal_logged",
      lines_matching(out, MON % 1 + r"refused a message from domain \d+: MON_BIND_REQ: domain "
                          r"\d+ reached its quota of 36 binds$"), "", out)
monattack_survived(tag, "bindflood", out)
check_rest_alive(tag, "bindflood", code, out)

# Monitor memory hog: refused at the domain's quota of 64 frames.
code, out = run_attack("memhog", "memhog", attacker="monattack")
tag = "isolation.memhog"
check(tag + ".refused_err_quota",
      lines_matching(out, r"^core 1: monattack: memhog: 64 frames, then refused: quota exceeded"),
      "", out)
check(tag + ".refusal_logged",
      lines_matching(out, MON % 1 + r"refused a message from domain \d+: MON_MEM_ALLOC_REQ: "
                          r"domain \d+ reached its quota of 64 frames of monitor memory$"),
      "", out)
monattack_survived(tag, "memhog", out)
check_rest_alive(tag, "memhog", code, out)

# Spawn bomb: every copy spawns itself until refused; children (4) and
# generations (2 below the manifest) bound it to 1 + 4 + 16 copies alive
# at once (the first started by the manifest), whatever the timing.
code, out = run_attack("bomb", "bomb", witness_ticks=300, attacker="monattack")
tag = "isolation.bomb"
copies = lines_matching(out, r"^core 1: monitor: started domain \d+ \(monattack\)")
alive = most = 0
for line in out.splitlines():
    if re.match(r"^core 1: monitor: started domain \d+ \(monattack\)", line):
        alive += 1
        most = max(most, alive)
    elif re.match(r"^core 1: domain \d+ \(monattack\) (exited|killed)", line):
        alive -= 1
check(tag + ".bounded_by_quotas", 1 < most <= 21,
      "%d copies, at most %d alive at once" % (len(copies), most), out)
check(tag + ".every_copy_ended", alive == 0, "%d still alive" % alive, out)
check(tag + ".children_quota",
      lines_matching(out, MON % 1 + r"refused a message from domain \d+: MON_SPAWN_REQ: domain "
                          r"\d+ reached its quota of 4 children$"), "", out)
check(tag + ".generation_quota",
      lines_matching(out, MON % 1 + r"refused a message from domain \d+: MON_SPAWN_REQ: domain "
                          r"\d+ is 2 spawns below the manifest \(quota: 2\)$"), "", out)
refused = lines_matching(out, r"^core 1: monattack: bomb: domain \d+: \d+ copies, then "
                              r"refused: (.*?) \(")
check(tag + ".every_copy_refused_err_quota",
      len(refused) == len(copies) and all(m.group(1) == "quota exceeded" for m in refused),
      "%d refusals for %d copies" % (len(refused), len(copies)), out)
check(tag + ".no_wrong", "WRONG" not in out, "", out)
check(tag + ".no_core_declared_dead", "stopped responding" not in out, "", out)
check_rest_alive(tag, "bomb", code, out)

# Name squatting: 4 names, then ERR_QUOTA (refused by its own monitor, which
# coordinates its registrations); when it ends every replica drops them.
code, out = run_attack("squat", "squat", attacker="monattack")
tag = "isolation.squat"
check(tag + ".refused_err_quota",
      "core 1: monattack: squat: 4 names, then refused: quota exceeded" in out, "", out)
check(tag + ".refusal_logged",
      lines_matching(out, MON % 1 + r"register 'squat-4': domain \d+ of core 1 reached its quota "
                          r"of 4 names$"), "", out)
for c in range(CORES):
    check(tag + ".names_dropped_at_end_core%d" % c,
          lines_matching(out, MON % c + r"domain \d+ of core 1 ended: 4 names dropped$"), "", out)
monattack_survived(tag, "squat", out)
check_rest_alive(tag, "squat", code, out)

# A memory send to a domain that does not exist fails, and the frames come
# back to the sender (it maps and writes them).
code, out = run_attack("memsend", "memsend 2", attacker="monattack")
tag = "isolation.memsend"
check(tag + ".send_failed",
      "core 1: monattack: memsend: to core 2 domain 0x7fffffff: peer core or domain is dead"
      in out, "", out)
check(tag + ".frames_given_back",
      lines_matching(out, MON % 1 + r"MON_MEM_SEND_REQ of domain \d+ failed \(peer core or "
                          r"domain is dead\): 2 frames given back$"), "", out)
check(tag + ".frames_ours_again", "core 1: monattack: memsend: both frames are ours again" in out,
      "", out)
monattack_survived(tag, "memsend", out)
check_rest_alive(tag, "memsend", code, out)

# Frees of frames it does not own, twice, mapped, mixed: each refused by its
# monitor with the frame named, nothing lost; the freed frame comes back
# cleared.
code, out = run_attack("memfree", "memfree", attacker="monattack")
tag = "isolation.memfree"
for what, err in (("a frame never ours", "permission denied"),
                  ("one frame twice in one request", "permission denied"),
                  ("a mapped frame", "resource busy"),
                  ("a double free", "permission denied"),
                  ("ours and not ours together", "permission denied")):
    short = re.sub(r"\W+", "_", what)
    check("%s.refused_%s" % (tag, short),
          lines_matching(out, r"^core 1: monattack: memfree: %s: %s \(MON_MEM_FREE_REQ: frame "
                              r"0x[0-9a-f]+: %s\)$" % (what, err, err)), "", out)
check(tag + ".refusals_logged",
      len(lines_matching(out, MON % 1 + r"refused a message from domain \d+: MON_MEM_FREE_REQ: "
                                 r"frame 0x[0-9a-f]+: (permission denied|resource busy)$")) == 5,
      "", out)
check(tag + ".freed_frame_back_cleared",
      lines_matching(out, r"^core 1: monattack: memfree: freed frame (0x[0-9a-f]+), next one out "
                          r"\1 \(the same\), first word 0$"), "", out)
monattack_survived(tag, "memfree", out)
check_rest_alive(tag, "memfree", code, out)

# A domain that never reads its monitor channel while its monitor has
# answers for it (monattack deaf, core 1): the monitor queues 256 answers,
# refuses the rest with one line per episode (two episodes), serves the
# other domain of core 1 meanwhile (monattack calls), and once the domain
# reads, every kept answer comes, in order.
DEAF = 400
code, out = run_attack("deaf", "deaf %d" % DEAF, witness_ticks=300, attacker="monattack",
                       extra="monattack 1 calls 30\n", timeout=600)
tag = "isolation.deaf"
lines = out.splitlines()
full = [i for i, line in enumerate(lines)
        if re.match(MON % 1 + r"domain \d+: 256 messages wait for room in its channel; refusing "
                    r"more until it reads$", line)]
check(tag + ".refusal_logged_once_per_episode", len(full) == 2, "%d lines" % len(full), out)
for ep in (1, 2):
    got = lines_matching(out, r"^core 1: monattack: deaf: episode %d: (\d+) answers, (\d+) in "
                              r"order, (\d+) refused$" % ep)
    check("%s.episode%d_queued_in_order_rest_refused" % (tag, ep),
          len(got) == 1 and got[0].group(1) == got[0].group(2)
          and 256 < int(got[0].group(1)) < DEAF and int(got[0].group(3)) > 0,
          got[0].group(0) if got else "no result line", out)
reading = [i for i, line in enumerate(lines) if line == "core 1: monattack: deaf: episode 1: reading"]
while_full = lines[full[0]:reading[0]] if full and reading else []
served = [line for line in while_full
          if re.match(r"^core 1: monattack: calls: \d+ of 30 answered \((success|no such entry)\)$", line)]
check(tag + ".other_domain_served_while_queue_full", served,
      "no call of core 1's other domain answered between the refusal and the reading", out)
check(tag + ".calls_survived", "core 1: monattack: calls survived" in out, "", out)
monattack_survived(tag, "deaf", out)
check_rest_alive(tag, "deaf", code, out)

# Unasked answers flood a domain's heap event queue while its call waits
# (monattack evflood): with the heap full every one is dropped, logged and
# counted, and the call is answered; with room they are queued.
code, out = run_attack("evflood", "evflood 20", attacker="monattack")
tag = "isolation.evflood"
check(tag + ".dropped_counted_with_full_heap",
      lines_matching(out, r"^core 1: monattack: evflood: 20 events with a full heap: 20 dropped, "
                     r"the call: answered \((success|no such entry)\)$"), "", out)
check(tag + ".each_drop_logged",
      len(lines_matching(out, r"^core 1: monattack: monclient: no memory to queue "
                              r"MON_LOOKUP_REPLY \(\d+ queued\): dropped, \d+ so far$")) == 20,
      "", out)
check(tag + ".queued_with_room",
      lines_matching(out, r"^core 1: monattack: evflood: 20 events with room: 20 dropped in all, "
                     r"the call: answered \((success|no such entry)\)$"), "", out)
monattack_survived(tag, "evflood", out)
check_rest_alive(tag, "evflood", code, out)

finish()
