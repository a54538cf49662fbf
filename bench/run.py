#!/usr/bin/env python3
"""Stack-resolution benchmark driver for kit (python3 stdlib only; builds nothing).

For each size (W1, W2, or a scale factor) it generates a synthetic stack repo with
bench/gen_stacks.py (or reuses bench-out/<size> with --reuse) and, with cwd = that repo,
measures median and min wall time and peak RSS over N runs of:
  floor               kit debug parse-floor  (parse every manifest once with libyaml)
  list stacks         kit list stacks                      (stdout -> /dev/null)
  describe stacks     kit describe stacks --format json    (stdout -> /dev/null)
  describe component  kit describe component <c> -s <s>   (a real pair from the generated data)
One extra untimed run per command with KIT_STATS=1 captures kit's `kit-stats:` stderr line.
Then it prints the targets with PASS/FAIL. Exit status: 0 when every target that could be
checked passes, 1 when a target is missed (0 with --report-only), 2 when a kit command failed.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
GENERATOR = os.path.join(BENCH_DIR, "gen_stacks.py")
DEFAULT_RUNS = {"W2": 3}

# Targets (issue 7; see bench/README.md): W1 ratios to the parse floor measured in the same run,
# W2/W1 linearity, and W2 `describe stacks` peak memory.
LIST_VS_FLOOR_MAX = 3.0
DESCRIBE_STACKS_VS_FLOOR_MAX = 30.0
DESCRIBE_COMPONENT_VS_FLOOR_MAX = 3.0
W2_OVER_W1_MAX = 12.0
W2_DESCRIBE_STACKS_PEAK_MB_MAX = 300.0

# Used only when `kit debug parse-floor` is missing: parse every manifest once with libyaml
# through PyYAML's C event parser. Slower than a native loop; its rows are marked with '*'.
FLOOR_STAND_IN = r"""
import os, sys
import yaml
n = b = 0
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith(('.yaml', '.yml')):
            data = open(os.path.join(d, f), 'rb').read()
            for _ in yaml.parse(data, Loader=yaml.CSafeLoader):
                pass
            n += 1
            b += len(data)
print(f"parsed {n} files, {b} bytes")
"""


class Result:
    """Timings of one command at one size."""

    def __init__(self, key, label, argv):
        self.key = key
        self.label = label
        self.argv = argv
        self.walls = []       # seconds
        self.rss_kb = []      # ru_maxrss per run (KiB on Linux)
        self.stats_lines = []
        self.output_line = ""
        self.error = None     # failure message (command failed)
        self.note = None      # e.g. stand-in used

    @property
    def ok(self):
        return self.error is None and bool(self.walls)

    def median_ms(self):
        return statistics.median(self.walls) * 1000

    def min_ms(self):
        return min(self.walls) * 1000

    def peak_mb(self):
        return max(self.rss_kb) / 1024


def run_once(argv, cwd, env, timeout, keep_stdout=False):
    """Run argv once; return (exit code, wall seconds, max RSS KiB, stdout text, stderr text).

    The child is reaped with os.wait4 so the RSS figure belongs to this run alone.
    """
    with tempfile.TemporaryFile() as err, \
            (tempfile.TemporaryFile() if keep_stdout else open(os.devnull, "wb")) as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        stdout = ""
        if keep_stdout:
            out.seek(0)
            stdout = out.read(1 << 20).decode(errors="replace")
    if proc.returncode < 0:
        stderr += f"\n(killed by signal {-proc.returncode}{' - timeout' if wall >= timeout else ''})"
    return proc.returncode, wall, usage.ru_maxrss, stdout, stderr


def measure(result, cwd, runs, timeout):
    """Fill `result`: one KIT_STATS=1 warm-up run (untimed), then `runs` timed runs."""
    env = dict(os.environ, KIT_STATS="1")
    # only the floor's stdout is wanted (`parsed N files, B bytes`); describe output can be huge
    code, _, _, stdout, stderr = run_once(result.argv, cwd, env, timeout, keep_stdout=result.key == "floor")
    result.stats_lines = [line for line in stderr.splitlines() if line.startswith("kit-stats:")]
    result.output_line = stdout.splitlines()[0] if stdout.strip() else ""
    if code != 0:
        result.error = f"exit {code}: " + (stderr.strip().splitlines() or ["(no stderr)"])[-1]
        return
    env = {k: v for k, v in os.environ.items() if k != "KIT_STATS"}
    for _ in range(runs):
        code, wall, rss, _, stderr = run_once(result.argv, cwd, env, timeout)
        if code != 0:
            result.error = f"exit {code}: " + (stderr.strip().splitlines() or ["(no stderr)"])[-1]
            return
        result.walls.append(wall)
        result.rss_kb.append(rss)


def prepare_repo(size, args):
    """Return (repo dir, is temporary, generation seconds or None)."""
    persistent = os.path.join(args.out_root, size)
    if args.reuse and os.path.isfile(os.path.join(persistent, "bench-meta.json")):
        print(f"reusing {persistent}")
        return persistent, False, None
    target = persistent if (args.keep or args.reuse) else tempfile.mkdtemp(prefix=f"kit-bench-{size}-")
    cmd = [sys.executable, GENERATOR, "--size", size, "--out", target, "--seed", str(args.seed)]
    if args.plain:
        cmd.append("--plain")
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"error: generator failed for '{size}': {proc.stderr.strip()}")
    print(proc.stdout.strip())
    return target, not (args.keep or args.reuse), elapsed


def floor_result(kit, cwd, runs, timeout):
    result = Result("floor", "floor: kit debug parse-floor", [kit, "debug", "parse-floor"])
    measure(result, cwd, runs, timeout)
    if result.ok:
        return result
    missing = result.error
    stand_in = Result("floor", "floor*: PyYAML+libyaml stand-in",
                      [sys.executable, "-c", FLOOR_STAND_IN, "stacks"])
    stand_in.note = f"'kit debug parse-floor' failed ({missing}); * = stand-in floor, not kit"
    measure(stand_in, cwd, runs, timeout)
    return stand_in


def bench_size(size, kit, args, keep_repo=False):
    """Measures one size. keep_repo: leave a temporary repository for the caller (`linearity`) to remove."""
    runs = args.runs or DEFAULT_RUNS.get(size, 5)
    repo, temporary, gen_seconds = prepare_repo(size, args)
    with open(os.path.join(repo, "bench-meta.json")) as fh:
        meta = json.load(fh)
    sample = meta["sample"]
    try:
        results = [floor_result(kit, repo, runs, args.timeout)]
        for key, label, argv in [
            ("list", "kit list stacks", [kit, "list", "stacks"]),
            ("describe_stacks", "kit describe stacks --format json",
             [kit, "describe", "stacks", "--format", "json"]),
            ("describe_component", f"kit describe component {sample['component']} -s {sample['stack']}",
             [kit, "describe", "component", sample["component"], "-s", sample["stack"]]),
        ]:
            result = Result(key, label, argv)
            measure(result, repo, runs, args.timeout)
            results.append(result)
    finally:
        if temporary and not keep_repo:
            shutil.rmtree(repo, ignore_errors=True)
    return {"size": size, "runs": runs, "meta": meta, "repo": None if temporary else repo,
            "path": repo, "temporary": temporary, "gen_seconds": gen_seconds, "results": results}


def linearity(w1, w2, runs, timeout):
    """W2/W1 per command, measured in alternating rounds (a W1 run, then a W2 run of the same command), so
    that load drift on this shared machine hits both sizes alike; the ratio is the median of the rounds'
    ratios. {key: ratio}; a key is missing when a run failed (the sizes' own tables report why)."""
    env = {k: v for k, v in os.environ.items() if k != "KIT_STATS"}
    ratios = {}
    for a, b in zip(w1["results"], w2["results"]):
        if not (a.ok and b.ok):
            continue
        rounds = []
        for _ in range(runs):
            code1, wall1, _, _, _ = run_once(a.argv, w1["path"], env, timeout)
            code2, wall2, _, _, _ = run_once(b.argv, w2["path"], env, timeout)
            if code1 != 0 or code2 != 0:
                break
            rounds.append(wall2 / wall1)
        else:
            ratios[a.key] = statistics.median(rounds)
    return ratios


def print_size(report):
    meta = report["meta"]
    gen = f", generated in {report['gen_seconds']:.1f} s" if report["gen_seconds"] is not None else ""
    print(f"\n== {report['size']}: {meta['manifests']} manifests, {meta['stack_files']} stack files, "
          f"{meta['component_instances']} component instances, {meta['manifest_bytes'] / 1e6:.2f} MB{gen}; "
          f"{report['runs']} runs each")
    results = report["results"]
    floor = results[0]
    width = max(len(r.label) for r in results)
    print(f"{'command':<{width}} | {'median ms':>9} | {'min ms':>8} | {'peak MB':>7} | {'x floor':>7}")
    print(f"{'-' * width}-+-{'-' * 9}-+-{'-' * 8}-+-{'-' * 7}-+-{'-' * 7}")
    for r in results:
        if not r.ok:
            print(f"{r.label:<{width}} | FAILED: {r.error}")
            continue
        ratio = f"{r.median_ms() / floor.median_ms():7.1f}" if floor.ok else "    n/a"
        print(f"{r.label:<{width}} | {r.median_ms():9.1f} | {r.min_ms():8.1f} | {r.peak_mb():7.1f} | {ratio}")
    for r in results:
        if r.note:
            print(f"note: {r.note}")
    if floor.output_line:
        print(f"floor output: {floor.output_line}")
    print("kit-stats (KIT_STATS=1 run):")
    for r in results:
        lines = r.stats_lines or ["(no kit-stats line on stderr)"]
        for line in lines:
            print(f"  {r.key:<18} {line}")


def verdict(ok):
    return "PASS" if ok else "FAIL"


def targets(reports):
    """[(description, measured text, PASS/FAIL/n/a)]."""
    by_size = {r["size"]: {x.key: x for x in r["results"]} for r in reports}
    rows = []
    w1 = by_size.get("W1")
    if w1:
        fl = w1["floor"]
        star = "*" if fl.note else ""
        for key, limit, desc in (("list", LIST_VS_FLOOR_MAX, "W1 list stacks"),
                                 ("describe_stacks", DESCRIBE_STACKS_VS_FLOOR_MAX, "W1 describe stacks"),
                                 ("describe_component", DESCRIBE_COMPONENT_VS_FLOOR_MAX, "W1 describe component")):
            r = w1[key]
            label = f"{desc} <= {limit:g}x floor{star}"
            if fl.ok and r.ok:
                x = r.median_ms() / fl.median_ms()
                rows.append((label, f"{x:.1f}x", verdict(x <= limit)))
            else:
                rows.append((label, "not measured", "FAIL"))
    else:
        rows.append(("W1 targets", "W1 not run", "n/a"))
    if w1 and "W2" in by_size:
        w2 = by_size["W2"]
        interleaved = next((r.get("linearity") for r in reports if r["size"] == "W2"), None) or {}
        for key in ("floor", "list", "describe_stacks", "describe_component"):
            a, b = w1[key], w2[key]
            if a.ok and b.ok and key in interleaved:
                x = interleaved[key]
                rows.append((f"W2/W1 {key} <= {W2_OVER_W1_MAX:g}", f"{x:.1f}x", verdict(x <= W2_OVER_W1_MAX)))
            else:
                rows.append((f"W2/W1 {key} <= {W2_OVER_W1_MAX:g}", "not measured", "FAIL"))
    else:
        rows.append(("W2/W1 linearity", "needs W1 and W2", "n/a"))
    if "W2" in by_size:
        ds = by_size["W2"]["describe_stacks"]
        label = f"W2 describe stacks peak RSS <= {W2_DESCRIBE_STACKS_PEAK_MB_MAX:g} MB"
        if ds.ok:
            rows.append((label, f"{ds.peak_mb():.0f} MB", verdict(ds.peak_mb() <= W2_DESCRIBE_STACKS_PEAK_MB_MAX)))
        else:
            rows.append((label, "not measured", "FAIL"))
    else:
        rows.append(("W2 describe stacks memory", "W2 not run", "n/a"))
    return rows


def to_json(reports, rows, kit):
    def res(r):
        d = {"command": r.label, "argv": r.argv[1:] if r.argv[0] == kit else ["<stand-in>"],
             "error": r.error, "note": r.note, "kit_stats": r.stats_lines, "runs_ms": [w * 1000 for w in r.walls]}
        if r.ok:
            d.update(median_ms=r.median_ms(), min_ms=r.min_ms(), peak_mb=r.peak_mb())
        return d
    return {"kit": kit, "host": {"cpus": os.cpu_count(), "loadavg_1m": os.getloadavg()[0],
                                 "python": platform.python_version()},
            "sizes": [{"size": r["size"], "runs": r["runs"], "meta": r["meta"],
                       "results": {x.key: res(x) for x in r["results"]}} for r in reports],
            "targets": [{"target": t, "measured": m, "verdict": v} for t, m, v in rows]}


def default_kit():
    for config in ("release", "debug"):
        path = os.path.join(REPO_ROOT, ".build", config, "kit")
        if os.path.exists(path):
            return path
    return os.path.join(REPO_ROOT, ".build", "release", "kit")


def main(argv=None):
    ap = argparse.ArgumentParser(description="kit stack-resolution benchmark (see bench/README.md)")
    ap.add_argument("--kit", default=None, help="kit binary (default .build/release/kit, else .build/debug/kit)")
    ap.add_argument("--sizes", default="W1,W2", help="comma-separated: W1, W2 or scale factors (default W1,W2)")
    ap.add_argument("--runs", type=int, default=None, help="timed runs per command (default 5; W2: 3)")
    ap.add_argument("--keep", action="store_true", help="generate into bench-out/<size> and keep it")
    ap.add_argument("--reuse", action="store_true", help="reuse bench-out/<size> if present (else generate there)")
    ap.add_argument("--out-root", default=os.path.join(REPO_ROOT, "bench-out"), help="where --keep/--reuse live")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--plain", action="store_true", help="generate without custom YAML tags (!env, !append)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per kit run before it is killed")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the figures as JSON to this file")
    ap.add_argument("--report-only", action="store_true",
                    help="exit 0 even when a target is missed (a failing kit command still exits 2)")
    args = ap.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        ap.error("--runs must be at least 1")
    kit = os.path.abspath(args.kit or default_kit())
    if not os.access(kit, os.X_OK):
        ap.error(f"kit binary '{kit}' not found or not executable (build it, or pass --kit)")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    build = "release" if "/release/" in kit else ("debug" if "/debug/" in kit else "unknown build")
    print(f"kit: {kit} ({build}); cpus={os.cpu_count()} load(1m)={os.getloadavg()[0]:.2f} "
          f"python={platform.python_version()}")
    if os.getloadavg()[0] > 0.5:
        print("warning: the machine is busy (load > 0.5); timings may be noisy")
    reports = []
    both = "W1" in sizes and "W2" in sizes
    try:
        for size in sizes:
            report = bench_size(size, kit, args, keep_repo=both)
            print_size(report)
            reports.append(report)
        if both:
            w1, w2 = (next(r for r in reports if r["size"] == s) for s in ("W1", "W2"))
            w2["linearity"] = linearity(w1, w2, args.runs or DEFAULT_RUNS["W2"], args.timeout)
            print("\nW2/W1, alternating runs (median of the rounds' ratios): " +
                  ", ".join(f"{k} {v:.1f}x" for k, v in sorted(w2["linearity"].items())))
    finally:
        for r in reports:
            if r.get("temporary"):
                shutil.rmtree(r["path"], ignore_errors=True)
    rows = targets(reports)
    print("\ntargets (medians):")
    width = max(len(t) for t, _, _ in rows)
    for t, measured, v in rows:
        print(f"  {t:<{width}}  {measured:>14}  {v}")
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(to_json(reports, rows, kit), fh, indent=2, sort_keys=True)
            fh.write("\n")
    failed = [f"{r['size']} {x.label}" for r in reports for x in r["results"] if x.error]
    if failed:
        print("\nfailed commands: " + "; ".join(failed))
        return 2
    missed = [t for t, _, v in rows if v == "FAIL"]
    if missed:
        print(f"\n{len(missed)} target(s) missed: " + "; ".join(missed))
        if not args.report_only:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
