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

from harness import BUILD, boot, check, finish, lines_matching

APPS = os.path.join(BUILD, "apps")
WORK = os.path.join(BUILD, "isolation")
CORES = 4
PROGRAMS = ("monitor", "isoattack", "hello", "echo", "client")


def run_attack(name, attack_args, witness_ticks=100, timeout=300, echo_clients=1):
    """Boot the attack's manifest; return (exit code, serial text)."""
    os.makedirs(WORK, exist_ok=True)
    manifest = os.path.join(WORK, "%s.manifest" % name)
    with open(manifest, "w") as f:
        f.write("monitor all\n"
                "echo 3 echo %d\n"
                "isoattack 1 %s\n"
                "isoattack 2 rights=spawn check %d %s\n" % (echo_clients, attack_args, witness_ticks, name))
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

finish()
