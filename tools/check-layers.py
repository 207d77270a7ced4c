#!/usr/bin/env python3
"""check-layers: the folder rules of the source tree, checked by `make check`.

Each folder may include headers only from the include trees listed for it
in RULES (by the first path component of an #include <...>; "std" stands
for the compiler's freestanding headers <stdint.h> and friends, which have
no '/').  #include "x.h" must name a file in the same folder.  With
--kernel-srcs, every source linked into the CPU driver must also live in a
folder the kernel may link (KERNEL_FOLDERS).

Prints one line per violation, `file:line: <folder>/ may not include <x>`,
then `check-layers: N violation(s)`; exits 1 if there was any.

    tools/check-layers.py [--kernel-srcs a.c b.c ...]
"""
import os
import re
import sys

# include/<tree>/ a folder's code may use; std = <stdint.h> and co.
KERNEL_TREES = {"std", "kernel", "arch", "lib", "sys", "urpc", "topology"}
RULES = {
    "lib": {"std", "lib", "sys"},
    "urpc": {"std", "lib", "sys", "urpc"},
    "topology": {"std", "lib", "sys", "topology"},
    "cpudriver": KERNEL_TREES,
    "include/lib": {"std", "lib", "sys"},
    "include/urpc": {"std", "lib", "sys", "urpc"},
    "include/topology": {"std", "lib", "sys", "topology"},
    "include/sys": {"std", "lib", "sys"},
    "cpudriver/include": KERNEL_TREES,
    "cpudriver/arch": KERNEL_TREES,
}
KERNEL_FOLDERS = ("cpudriver/", "lib/", "urpc/", "topology/")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def rule_for(path):
    """The longest RULES key that is a folder prefix of path, or None."""
    best = None
    for folder in RULES:
        if path.startswith(folder + "/") and (best is None or len(folder) > len(best)):
            best = folder
    return best


def check_file(path, folder, out):
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, name = m.groups()
            if kind == '"':
                if not os.path.exists(os.path.join(os.path.dirname(path), name)):
                    out.append(f'{path}:{n}: #include "{name}" is not in the same folder')
                continue
            tree = name.split("/")[0] if "/" in name else "std"
            if tree not in RULES[folder]:
                out.append(f"{path}:{n}: {folder}/ may not include <{name}>")


def main(argv):
    out = []
    for folder in sorted(RULES):
        for root, _, files in os.walk(folder):
            for name in sorted(files):
                path = os.path.join(root, name)
                if name.endswith((".c", ".h")) and rule_for(path) == folder:
                    check_file(path, folder, out)
    if argv[:1] == ["--kernel-srcs"]:
        for src in argv[1:]:
            if not src.startswith(KERNEL_FOLDERS):
                out.append(f"{src}: the CPU driver links it, but it is outside "
                           + ", ".join(KERNEL_FOLDERS))
    for line in out:
        print(line)
    print(f"check-layers: {len(out)} violation(s)")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
