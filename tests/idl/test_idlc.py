#!/usr/bin/env python3
"""Host tests of the interface compiler tools/idl/idlc.py.

Every interface in if/ compiles; each malformed file below is refused with
exit status 1 and exactly one line `<file>:<line>:<column>: error: <sentence>`
naming the place of the fault, never a Python traceback.  Prints one
`TEST idlc.<case> PASS|FAIL` line per case (tools/run-tests.py counts them).
"""
import glob
import os
import subprocess
import sys
import tempfile

IDLC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "idl", "idlc.py")
GOOD_HEAD = 'interface t "test";\nside a, b;\n'

# (case, text, line, column, words the sentence must contain)
BAD = [
    ("empty_file", "", 1, 1, "no interface"),
    ("no_sides", 'interface t "test";\nstruct s { u32 x; }\nmessage M : s from a;\n', 1, 11, "no sides"),
    ("no_messages", GOOD_HEAD + "struct s { u32 x; }\n", 1, 11, "no messages"),
    ("bad_char", GOOD_HEAD + "struct s { u32 x@; }\n", 3, 17, "unexpected character"),
    ("control_byte", GOOD_HEAD + "struct s { u32 x;\x01 }\n", 3, 18, "byte 0x01"),
    ("unknown_decl", GOOD_HEAD + "strct s { u32 x; }\n", 3, 1, "expected a declaration"),
    ("unknown_type", GOOD_HEAD + "struct s { u31 x; }\nmessage M : s from a;\n", 3, 12, "unknown field type 'u31'"),
    ("missing_semicolon", GOOD_HEAD + "struct s { u32 x }\nmessage M : s from a;\n", 3, 18, "expected ';'"),
    ("unclosed_struct", GOOD_HEAD + "struct s { u32 x;\n", 4, 1, "not closed"),
    ("string_without_size", GOOD_HEAD + "struct s { string n; }\nmessage M : s from a;\n", 3, 19, "needs a size"),
    ("unknown_constraint", GOOD_HEAD + "struct s { u32 x : small; }\nmessage M : s from a;\n", 3, 20, "unknown constraint 'small'"),
    ("core_on_string", GOOD_HEAD + "struct s { string n[8] : core; }\nmessage M : s from a;\n", 3, 26, "applies to an integer"),
    ("unbounded_count", GOOD_HEAD + "struct s { u32 n; u64 pa[4] : pages n; }\nmessage M : s from a;\n", 3, 37, "no upper bound"),
    ("count_after_array", GOOD_HEAD + "struct s { u64 pa[4] : pages n; u32 n : max 4; }\nmessage M : s from a;\n", 3, 30, "no field 'n' before"),
    ("strings_without_length", GOOD_HEAD + "struct s { u32 c : max 2; strings a[8] : count c; }\nmessage M : s from a;\n", 3, 35, "needs both"),
    ("tail_not_last", GOOD_HEAD + "struct s { u32 l : msglen; bytes p[8] : tail; u32 x; }\nmessage M : s from a;\n", 3, 41, "last field"),
    ("tail_without_msglen", GOOD_HEAD + "struct s { u32 l; bytes p[8] : tail; }\nmessage M : s from a;\n", 3, 25, "msglen"),
    ("if_ok_without_err", GOOD_HEAD + "struct s { u64 va : page if_ok; }\nmessage M : s from a;\n", 3, 26, "needs a header with an err"),
    ("unknown_struct", GOOD_HEAD + "message M : nope from a;\n", 3, 13, "unknown struct 'nope'"),
    ("unknown_side", GOOD_HEAD + "struct s { u32 x; }\nmessage M : s from c;\n", 4, 20, "unknown side 'c'"),
    ("missing_from", GOOD_HEAD + "struct s { u32 x; }\nmessage M : s;\n", 4, 14, "expected 'from'"),
    ("duplicate_message", GOOD_HEAD + "message M from a;\nmessage M from b;\n", 4, 9, "declared twice"),
    ("duplicate_number", GOOD_HEAD + "message M = 3 from a;\nmessage N = 3 from b;\n", 4, 9, "already used by 'M'"),
    ("number_zero", GOOD_HEAD + "message M = 0 from a;\n", 3, 13, "not in 1..32767"),
    ("number_too_big", GOOD_HEAD + "message M = 40000 from a;\n", 3, 13, "not in 1..32767"),
    ("duplicate_field", GOOD_HEAD + "struct s { u32 x; u32 x; }\nmessage M : s from a;\n", 3, 23, "declared twice"),
    ("message_rule_unknown_field", GOOD_HEAD + "struct s { u32 x; }\nmessage M : s from a { y : max 3; }\n", 4, 24, "no field 'y'"),
    ("unknown_lowercase_constant", GOOD_HEAD + "struct s { u32 x : max lots; }\nmessage M : s from a;\n", 3, 24, "unknown constant 'lots'"),
    ("noun_not_quoted", "interface t test;\nside a;\nmessage M from a;\n", 1, 13, "in quotes"),
    ("two_interfaces", GOOD_HEAD + 'interface u "u";\nmessage M from a;\n', 3, 1, "one interface"),
    ("truncated", GOOD_HEAD + "message M : ", 3, 13, "the end of the file"),
]

failures = 0


def report(name, ok, why=""):
    global failures
    print(f"TEST idlc.{name} {'PASS' if ok else 'FAIL: ' + why}")
    failures += not ok


def run(path, outdir):
    return subprocess.run([sys.executable, IDLC, path, "--header", os.path.join(outdir, "x.h"),
                           "--codec", os.path.join(outdir, "x.c"), "--fuzz",
                           os.path.join(outdir, "x_fuzz.c")],
                          capture_output=True, text=True, timeout=60)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(glob.glob("if/*.if"))
        report("interfaces_found", len(files) >= 3, "fewer than 3 files in if/")
        for f in files:
            r = run(f, tmp)
            name = "compiles." + os.path.basename(f)[:-3]
            report(name, r.returncode == 0 and not r.stderr and
                   os.path.getsize(os.path.join(tmp, "x.c")) > 0, r.stderr.strip())
        for name, text, line, col, words in BAD:
            path = os.path.join(tmp, name + ".if")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            for out in ("x.h", "x.c", "x_fuzz.c"):
                if os.path.exists(os.path.join(tmp, out)):
                    os.unlink(os.path.join(tmp, out))
            r = run(path, tmp)
            err = r.stderr.strip()
            want = f"{path}:{line}:{col}: error: "
            ok = (r.returncode == 1 and "Traceback" not in r.stderr and
                  len(err.splitlines()) == 1 and err.startswith(want) and words in err and
                  not os.path.exists(os.path.join(tmp, "x.c")))
            report("refuses." + name, ok,
                   f"status {r.returncode}, wanted '{want}...{words}', got: {err!r}")
        r = run(os.path.join(tmp, "missing.if"), tmp)
        report("refuses.missing_file", r.returncode == 1 and "Traceback" not in r.stderr and
               "cannot read" in r.stderr, r.stderr.strip())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
