#!/usr/bin/env python3
"""Kernel exceptions are reported with vector, error code, RIP and CR2; a
machine too small to boot says why and ends the run at once."""
from harness import boot, check, finish, lines_matching, symbol

CASES = [
    # test name, vector, mnemonic, symbol of the faulting instruction
    ("pagefault", 14, "#PF", "selftest_pf_rip"),
    ("divide", 0, "#DE", "selftest_de_rip"),
    ("invalid-opcode", 6, "#UD", "selftest_ud_rip"),
]

for name, vector, mnemonic, sym in CASES:
    code, out = boot(cmdline="test=%s panic=exit" % name)
    tag = "faults.%s" % name
    check(tag + ".exit_status_panic", code == 2, "exit code %s, expected 2" % code, out)
    rep = lines_matching(out, r"^PANIC core 0: exception (\S+) .*\(vector (\d+)\) "
                              r"err=0x([0-9a-f]+) rip=0x([0-9a-f]+) cr2=0x([0-9a-f]+)")
    if not check(tag + ".reported", len(rep) == 1, "no single exception report", out):
        continue
    r = rep[0]
    check(tag + ".vector", int(r.group(2)) == vector and r.group(1) == mnemonic,
          "got %s vector %s" % (r.group(1), r.group(2)), out)
    check(tag + ".rip", int(r.group(4), 16) == symbol(sym),
          "rip %s, %s is at %#x" % (r.group(4), sym, symbol(sym)), out)
    if name == "pagefault":
        check(tag + ".cr2", int(r.group(5), 16) == 0xdead0000, "cr2 " + r.group(5), out)
        check(tag + ".error_code_read_not_present", int(r.group(3), 16) == 0,
              "err " + r.group(3), out)
# A kernel stack overflow runs into the guard page below it; the #PF cannot
# be pushed, so the CPU raises #DF, which has its own IST stack and reports.
code, out = boot(cmdline="test=kstack-overflow panic=exit")
tag = "faults.kstack_overflow"
check(tag + ".exit_status_panic", code == 2, "exit code %s, expected 2 (125: triple fault)" % code,
      out)
rep = lines_matching(out, r"^PANIC core 0: exception #DF double fault \(vector 8\) .*"
                          r"cr2=0x([0-9a-f]+)")
check(tag + ".double_fault_reported", len(rep) == 1, "no #DF report", out)
check(tag + ".fault_in_guard_page",
      rep and 0xfffffe8000000000 <= int(rep[0].group(1), 16) < 0xfffffe8000200000,
      "cr2 outside the kernel stack region", out)

# Too little RAM for the boot core's pool: the boot core panics before it
# starts any other core, so no core is left running and the run ends with
# EXIT_PANIC at once (without panic=exit), not at the watchdog.
code, out = boot(smp=2, mem="6M", timeout=60)
tag = "faults.too_little_ram"
check(tag + ".exit_status_panic", code == 2, "exit code %s, expected 2 (124: hung)" % code, out)
check(tag + ".says_why", len(lines_matching(out, r"^PANIC core 0: no \d+ MiB of free RAM")) == 1,
      "no PANIC line naming the missing RAM", out)
finish()
