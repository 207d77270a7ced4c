#!/usr/bin/env python3
"""Run the libFuzzer targets built by tests/fuzz.mk (docs/05-fuzzing.md).

    fuzz.py run     --build DIR --seconds S TARGET...   (make fuzz)
    fuzz.py regress --build DIR --seconds S TARGET...   (make test)

Both run DIR/fuzz_<t> over tests/fuzz/corpus/<t>/ (the checked-in seeds,
never written to) and then fuzz for S seconds.  `run` keeps what it finds
in DIR/corpus/<t>/ (read back next time), prints one summary line per
target and exits 1 if any target crashed.  `regress` starts from the seeds
alone, in a scratch directory, and prints `TEST fuzz.<t> PASS|FAIL` per
target for tools/run-tests.py.  A crash, a leak, a timeout, a sanitizer
report or a missing or empty seed corpus is a failure.  Crash inputs land in
DIR/artifacts/<t>/; the log of each run in DIR/logs/<t>.<mode>.log.

Extra libFuzzer flags for a target, one per line (`-max_len=70000`,
`-dict=tests/fuzz/<t>.dict`), may be put in tests/fuzz/<t>.options.

Reproduce a crash with `DIR/fuzz_<t> DIR/artifacts/<t>/crash-...`.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SEEDS = "tests/fuzz/corpus"
STAT = re.compile(r"^stat::(\w+):\s*(\d+)", re.M)
COV = re.compile(r"cov: (\d+) ft: (\d+) corp: (\d+)")


def options(target):
    """Extra libFuzzer flags from tests/fuzz/<target>.options, if any."""
    path = os.path.join("tests/fuzz", target + ".options")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def run_target(build, target, seconds, keep):
    """Fuzz one target; return a dict of results."""
    binary = os.path.join(build, "fuzz_" + target)
    seeds = os.path.join(SEEDS, target)
    artifacts = os.path.join(build, "artifacts", target) + "/"
    logdir = os.path.join(build, "logs")
    res = {"target": target, "ok": False, "why": "", "runs": 0, "execs": 0,
           "cov": 0, "ft": 0, "corp": 0, "new": 0, "seconds": 0.0,
           "seeds": 0}
    if not os.access(binary, os.X_OK):
        res["why"] = "no binary " + binary
        return res
    if not os.path.isdir(seeds) or not os.listdir(seeds):
        res["why"] = "no seed corpus in " + seeds
        return res
    res["seeds"] = len(os.listdir(seeds))
    os.makedirs(artifacts, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)
    if keep:
        found = os.path.join(build, "corpus", target)
        os.makedirs(found, exist_ok=True)
    else:
        found = tempfile.mkdtemp(prefix="fuzz-%s-" % target, dir=build)
    before = len(os.listdir(found))
    log = os.path.join(logdir, "%s.%s.log" % (target, "run" if keep else "regress"))
    argv = [binary, "-max_total_time=%d" % seconds, "-timeout=10",
            "-rss_limit_mb=2048", "-print_final_stats=1",
            "-artifact_prefix=" + artifacts, found, seeds]
    argv[1:1] = options(target)
    start = time.monotonic()
    with open(log, "w") as out:
        try:
            rc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT,
                                timeout=seconds + 120).returncode
        except subprocess.TimeoutExpired:
            rc = None
    res["seconds"] = time.monotonic() - start
    with open(log, errors="replace") as f:
        text = f.read()
    stats = dict((k, int(v)) for k, v in STAT.findall(text))
    res["runs"] = stats.get("number_of_executed_units", 0)
    res["execs"] = stats.get("average_exec_per_sec", 0)
    cov = COV.findall(text)
    if cov:
        res["cov"], res["ft"], res["corp"] = (int(x) for x in cov[-1])
    res["new"] = len(os.listdir(found)) - before
    if not keep:
        shutil.rmtree(found, ignore_errors=True)
    crash = re.search(r"^(==\d+==ERROR: .*|SUMMARY: .*|.*runtime error: .*|"
                      r"==\d+== ERROR: libFuzzer: .*)$", text, re.M)
    if rc is None:
        res["why"] = "libFuzzer hung past its time limit (log %s)" % log
    elif rc != 0 or crash:
        res["why"] = "%s (exit %d, log %s)" % (
            crash.group(1).strip() if crash else "crashed", rc, log)
    elif res["runs"] == 0:
        res["why"] = "executed nothing (log %s)" % log
    else:
        res["ok"] = True
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["run", "regress"])
    ap.add_argument("--build", default="build/fuzz")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("targets", nargs="*")
    a = ap.parse_intermixed_args()
    if not a.targets:
        print("TEST fuzz FAIL: no fuzz targets")
        return 1
    results = []
    for t in a.targets:
        r = run_target(a.build, t, a.seconds, a.mode == "run")
        results.append(r)
        if a.mode == "regress":
            line = "TEST fuzz.%s %s" % (t, "PASS" if r["ok"] else "FAIL: " + r["why"])
            print(line, flush=True)
        else:
            print("fuzz %-10s %s" % (t, "ok" if r["ok"] else "CRASH: " + r["why"]),
                  flush=True)
    if a.mode == "run":
        print("%-10s %8s %10s %8s %7s %7s %6s %6s %s" % (
            "target", "seconds", "runs", "exec/s", "cov", "ft", "corpus", "new",
            "crashes"))
        for r in results:
            print("%-10s %8.0f %10d %8d %7d %7d %6d %6d %s" % (
                r["target"], r["seconds"], r["runs"], r["execs"], r["cov"],
                r["ft"], r["corp"], r["new"], "0" if r["ok"] else "1: " + r["why"]))
    bad = [r["target"] for r in results if not r["ok"]]
    if bad and a.mode == "run":
        print("fuzz: crashes in " + ", ".join(bad) +
              "; inputs in %s/artifacts/<target>/" % a.build)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
