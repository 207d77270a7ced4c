#!/usr/bin/env python3
"""Boot foundation: banner, memory map, pool, page tables, clean exit."""
import re

from harness import boot, check, finish, lines_matching


def check_boot(tag, code, out):
    check("boot.%s.exit_status_0" % tag, code == 0, "exit code %s" % code, out)
    check("boot.%s.banner" % tag, "multikernel: CPU driver on the boot core" in out,
          "no banner", out)
    usable = lines_matching(out, r"^core 0: mmap 0x([0-9a-f]+)-0x([0-9a-f]+) usable$")
    check("boot.%s.memory_map" % tag, len(usable) >= 2, "usable regions: %d" % len(usable), out)
    total = lines_matching(out, r"^core 0: memory: (\d+) MiB usable")
    check("boot.%s.memory_total" % tag, total and 500 <= int(total[0].group(1)) <= 512,
          "512M machine should report ~511 MiB usable", out)
    check("boot.%s.own_page_tables" % tag,
          lines_matching(out, r"^core 0: page tables at 0x[0-9a-f]+: direct map"), "", out)
    check("boot.%s.complete" % tag, "core 0: boot complete" in out, "", out)


code, out = boot(smp=1)
check_boot("smp1", code, out)

code, out = boot(cmdline="test=memory")
check("boot.selftest_memory.exit_status_0", code == 0, "exit code %s" % code, out)
tests = lines_matching(out, r"^TEST (kernel\.\S+) (PASS|FAIL)")
check("boot.selftest_memory.ran", len(tests) >= 8, "only %d kernel tests" % len(tests), out)
for m in tests:
    check("boot.selftest_memory.%s" % m.group(1), m.group(2) == "PASS", "kernel says FAIL", out)

code, out = boot(cmdline="test=no-such-test")
check("boot.unknown_selftest_reported",
      "unknown self-test 'no-such-test', booting normally" in out and code == 0,
      "exit %s" % code, out)

# Bad options are said, one line each, and take their defaults; a command
# line longer than the kernel keeps is cut at a word, said, and boots.
code, out = boot(cmdline="gate_ms=-1 frobnicate=1 topo=bogus cores=999 " + "x=" + "y" * 600)
check_boot("bad_options", code, out)
for name, line in [
        ("not_a_number", "boot option 'gate_ms=-1': not a number; using gate_ms=300000"),
        ("unknown", "boot option 'frobnicate=1': unknown, ignored"),
        ("not_a_choice", "boot option 'topo=bogus': want topo=full|compact; ignored"),
        ("out_of_range", "boot option 'cores=999': more than 256; using cores=0"),
        ("cut", "command line: ")]:
    check("boot.bad_options.said_%s" % name, lines_matching(out, r"^core 0: " + re.escape(line)),
          "no line '%s'" % line, out)
check("boot.bad_options.cut_at_a_word",
      lines_matching(out, r"^core 0: command line: \d+ bytes, more than 511: cut after its last "
                          r"whole word") and "yyyy" not in out, "", out)

code, out = boot(iso=True, timeout=180)
check_boot("iso", code, out)
finish()
