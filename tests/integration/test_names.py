#!/usr/bin/env python3
"""The replicated name registry: concurrent registrations, cores that stop
in the middle of an agreement round (which runs along the monitors' tree,
include/monitor/nametree.h), a core that rejoins while a round is in
flight, forged round messages.

Scenarios (apps/namerace, manifests tests/manifests/name*.manifest):
  race N     one name registered at once from two cores, many times, the
             ordered core pairs in turn (4 and 8 cores, and 4 cores with
             names=central): exactly one of the two is granted, and the
             lookups from every core name the same service
  hook vote  the party core 3 stops when the PREPARE reaches it: the round
             completes among the live cores (granted, found everywhere);
             at 8 cores the party that stops is an inner node of the tree
             between the coordinator and most cores (its kids are adopted)
  hook prepared / commit
             the coordinator stops after its PREPAREs / after COMMIT to half
             its parties: the round aborts everywhere (reservations and the
             half-committed name dropped with the core), and another core
             registers the name afterwards
  rejoin     core 2 is stopped; core 1 registers a name whose decision it
             holds until core 2 is back, and restarts core 2 at once: the
             round is in flight during the rejoin and the restarted
             replica holds the name (its state transfer predates it)
  stopped undeclared
             8 cores: core 5 stops cores 2 and 3 (ring neighbours: liveness
             takes four dead_ms to declare them, past a round's deadline)
             and registers a name at once: the round waits for liveness
             instead of timing out, then completes among the live cores;
             the answer comes within the monitor's bound
  forge      round messages from a monitor that is not on the round's tree
             path, for no round, or malformed are refused and logged;
             a domain may neither send a round message nor use a test hook
             without the stop right
"""
import os
import re

from harness import (BUILD, ROOT, boot, check, check_clean_end, check_monitors_never_fail, finish,
                     has, lines_matching)

MANIFESTS = os.path.join(ROOT, "tests", "manifests")


def run(smp, manifest, reps=0, cmdline=""):
    text = open(os.path.join(MANIFESTS, manifest)).read().replace("@REPS@", str(reps))
    path = os.path.join(BUILD, "test-names-" + manifest)
    with open(path, "w") as f:
        f.write(text)
    mods = [os.path.join(BUILD, "apps", a) for a in ("monitor", "namerace")] + [path]
    return boot(smp=smp, modules=mods, timeout=600, cmdline=cmdline)


def common(tag, code, out):
    check_clean_end(tag, code, out)
    check_monitors_never_fail(tag, out)


def race_test(n, reps, cmdline="", tag=None):
    tag = tag or "names.race%d" % n
    code, out = run(n, "namerace.manifest", reps, cmdline)
    common(tag, code, out)
    check("%s.done" % tag, has(out, r"^core 0: namerace: race done: %d reps$" % reps), "", out)
    bad = []
    for r in range(reps):
        name = "race%d" % r
        granted = lines_matching(out, r"^core (\d+): namerace: reg %s: granted \(domain (\d+)\)$"
                                 % name)
        refused = lines_matching(out, r"^core (\d+): namerace: reg %s: refused: .*$" % name)
        if len(granted) != 1 or len(refused) != 1:
            bad.append("%s: %d granted, %d refused" % (name, len(granted), len(refused)))
            continue
        core, dom = int(granted[0].group(1)), int(granted[0].group(2))
        for c in range(n):
            if not has(out, r"^core %d: namerace: look %s: core %d domain %d$" % (c, name, core, dom)):
                bad.append("%s: core %d's lookup differs from core %d domain %d" % (name, c, core, dom))
    check("%s.exactly_one_granted_all_agree" % tag, not bad, "; ".join(bad[:5]), out)
    retried = len(lines_matching(out, r"^core \d+: monitor: register 'race\d+' .* attempt [2-9]\)$"))
    print("%s: %d reps, %d registrations retried after a conflict" % (tag, reps, retried))
    return out


def hook_vote_test(smp=4, manifest="namehook-vote.manifest", coord=1, party=3, finders=(0, 2),
                   tag="names.hook_vote"):
    code, out = run(smp, manifest)
    common(tag, code, out)
    check("%s.party_stopped" % tag,
          has(out, r"^core %d: monitor: name round %d\.\d+ 'hv': test hook: core %d stops "
                   r"before voting$" % (party, coord, party)), "", out)
    check("%s.round_completed" % tag,
          has(out, r"^core %d: monitor: register 'hv' -> core %d domain \d+: ok " % (coord, coord))
          and has(out, r"^core %d: namerace: hook vote 'hv': ok$" % coord), "", out)
    for c in finders:
        check("%s.found_on_core%d" % (tag, c),
              has(out, r"^core %d: namerace: find 'hv': core %d domain \d+$" % (c, coord)), "", out)
    return out


def tree_parents(out):
    """Every core's tree parent, from the monitors' `up` lines."""
    return {int(m.group(1)): int(m.group(2)) for m in
            lines_matching(out, r"^core (\d+): monitor: up on core \d+: \d+ links, tree parent "
                                r"(-?\d+)$")}


def hook_vote_inner_test():
    """8 cores: the coordinator's tree parent stops instead of voting."""
    tag = "names.hook_vote8_inner"
    out = hook_vote_test(8, "namehook-vote8.manifest", 5, 1, (0, 2, 7), tag)
    parents = tree_parents(out)
    below = [c for c, p in parents.items() if p == 1]
    check("%s.party_is_inner_node" % tag, parents.get(5) == 1 and len(below) >= 2,
          "tree parents %s" % parents, out)


def rejoin_test():
    tag = "names.rejoin"
    code, out = run(4, "namehook-rejoin.manifest")
    common(tag, code, out)
    check("%s.restart_and_register_ok" % tag,
          has(out, r"^core 1: namerace: rejoin 'hj': restart ok, register ok$"), "", out)
    lines = out.splitlines()
    def first(pattern):
        for i, l in enumerate(lines):
            if re.match(pattern, l):
                return i
        return -1
    back = first(r"^core 1: monitor: core 2 restarted by core 1; watching it again$")
    state = first(r"^core 1: monitor: state transfer to core 2: \d+ of \d+ names sent$")
    decided = first(r"^core 1: monitor: register 'hj' -> core 1 domain \d+: ok ")
    # the round began before the restart request (one channel, in order) and
    # was decided after the rejoin's state transfer, which thus lacked 'hj':
    # core 2's replica can only have it from the round's COMMIT
    check("%s.round_in_flight_during_rejoin" % tag, 0 <= back < state < decided,
          "restart at line %d, state at %d, decision at %d" % (back, state, decided), out)
    for c in (0, 2, 3):
        check("%s.found_on_core%d" % (tag, c),
              has(out, r"^core %d: namerace: find 'hj': core 1 domain \d+$" % c), "", out)


def hook_abort_test(kind, name):
    tag = "names.hook_%s" % kind
    code, out = run(4, "namehook-%s.manifest" % kind)
    common(tag, code, out)
    check("%s.coordinator_stopped" % tag,
          has(out, r"^core 3: monitor: name round 3\.\d+ '%s': test hook: core 3 stops " % name),
          "", out)
    check("%s.never_granted_to_core3" % tag,
          not has(out, r"^core \d+: monitor: register '%s' -> core 3 .*: ok " % name), "", out)
    # Every live replica dropped what it held of the round with core 3.
    for c in (0, 1, 2):
        held = lines_matching(out, r"^core %d: monitor: core 3 is down: (\d+) reservations of its "
                                   r"name rounds dropped$" % c)
        names = lines_matching(out, r"^core %d: monitor: core 3 is down: its requests failed, "
                                    r"(\d+) names dropped" % c)
        n = (int(held[0].group(1)) if held else 0) + (int(names[0].group(1)) if names else 0)
        check("%s.core%d_dropped_the_round" % (tag, c), n == 1, "%d dropped" % n, out)
    if kind == "commit":
        check("%s.half_committed_name_dropped" % tag,
              has(out, r"^core 0: monitor: core 3 is down: its requests failed, 1 names dropped"),
              "", out)
    check("%s.registered_again" % tag,
          has(out, r"^core 1: namerace: after '%s': granted after \d+ tries$" % name), "", out)
    for c in (0, 2):
        check("%s.found_on_core%d" % (tag, c),
              has(out, r"^core %d: namerace: find '%s': core 1 domain \d+$" % (c, name)), "", out)


def stopped_undeclared_test():
    tag = "names.stopped_undeclared"
    code, out = run(8, "namestop-two.manifest")
    common(tag, code, out)
    waited = lines_matching(out, r"^EV core=5 name\.liveness_wait coord=5 seq=\d+ peer=([23])$")
    for c in (2, 3):
        check("%s.core%d_declared_down" % (tag, c),
              has(out, r"^core \d+: monitor: core %d stopped responding: " % c), "", out)
    m = lines_matching(out, r"^core 5: namerace: stopreg 'hs': (.*) after (\d+) ms$")
    check("%s.granted" % tag, bool(m) and m[0].group(1) == "ok",
          m[0].group(0) if m else "no answer", out)
    # Liveness needs four dead_ms (7.2 s) from the stops to declare both,
    # the round's deadline is 5.8 s from its start: granted later than that,
    # the round must have waited for liveness past its deadline.  (Only a
    # round that started long after the stops, on a crowded host, is
    # decided before its deadline.)
    span_ms = 5000 + 100 * 8
    late = bool(m) and int(m[0].group(2)) > span_ms
    check("%s.waited_for_liveness_past_the_deadline" % tag, not late or waited,
          m[0].group(0) if m else "no answer", out)
    for c in (0, 7):
        check("%s.found_on_core%d" % (tag, c),
              has(out, r"^core %d: namerace: find 'hs': core 5 domain \d+$" % c), "", out)
    if m:
        print("%s: granted %s ms after the request" % (tag, m[0].group(2)))


def forge_test():
    tag = "names.forge"
    code, out = run(4, "namehook-forge.manifest")
    common(tag, code, out)
    ref = r"^core 2: monitor: refused MON_NAME_%s from core 1 for round %s: %s$"
    for what, pattern in (
            ("commit", ref % ("COMMIT", r"2\.\d+", "sent by a core that is not on the tree "
                                                  "path to the round's coordinator")),
            ("abort", ref % ("ABORT", r"2\.\d+", "sent by a core that is not on the tree "
                                                "path to the round's coordinator")),
            ("prepare", ref % ("PREPARE", r"1\.\d+", "the service core is not the coordinator")),
            ("vote", ref % ("VOTE", r"2\.\d+", "no such round here")),
            ("malformed", r"^core 2: monitor: refused a message on a link: MON_NAME_PREPARE: "
                          r"name empty$")):
        check("%s.refused_%s" % (tag, what), has(out, pattern), "", out)
    check("%s.forged_names_absent" % tag,
          not has(out, r"forged-(commit|prepare)'? ->|register 'forged"), "", out)
    for c in (0, 2, 3):
        check("%s.granted_found_on_core%d" % (tag, c),
              has(out, r"^core %d: namerace: find 'hf': core 1 domain \d+$" % c), "", out)
    check("%s.hook_needs_stop_right" % tag,
          has(out, r"^core 2: monitor: refused a message from domain \d+: MON_REGISTER_REQ: test "
                   r"hook 0x301 needs the right stop and a known hook$") and
          has(out, r"^core 2: namerace: hook vote 'hx': permission denied$"), "", out)
    check("%s.domain_cannot_send_round_messages" % tag,
          has(out, r"^core 3: monitor: refused a message from domain \d+: MON_NAME_COMMIT may "
                   r"only come from a monitor$") and
          has(out, r"^core 3: namerace: domainforge 'df': permission denied$"), "", out)


race_test(4, 12)
race_test(8, 24)
race_test(4, 12, "names=central", "names.race4_central")
hook_vote_test()
hook_vote_inner_test()
rejoin_test()
hook_abort_test("prepared", "hp")
hook_abort_test("commit", "hc")
stopped_undeclared_test()
forge_test()
finish()
