#!/usr/bin/env python3
"""Benchmark `kit describe affected` on the large stack shape with one catalog file changed.

For each size (W1: ~850 manifests, ~9,400 instances; W2: 10x), generates the repository with
bench/gen_stacks.py, commits it, changes one catalog default imported by many stacks
(`stacks/catalog/network/vpc.yaml`: one var of `vpc`), commits again, then times

  kit describe affected --base HEAD~1 --head HEAD              (both refs from git objects)
  kit describe affected --base HEAD~1                          (head = the work tree)
  kit describe affected --base HEAD~1 --format matrix          (every pair resolved: the graph is needed)

Targets (medians, this 2-core machine): W1 json <= 1000 ms for both json rows; W2/W1 <= 12 for each
row (W2 has 10x the stacks: linear). Exits 1 when a target is missed, 2 when a kit command fails.

Usage: bench/affected.py [--kit PATH] [--runs N] [--sizes W1,W2] [--workdir DIR]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CHANGED = "stacks/catalog/network/vpc.yaml"
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, **GIT_ENV})


def make_repo(size, out):
    subprocess.run([sys.executable, os.path.join(HERE, "gen_stacks.py"), "--size", size, "--out", out],
                   check=True, stdout=subprocess.DEVNULL)
    git(out, "init", "-q", "-b", "main")
    git(out, "add", "-A")
    git(out, "commit", "-q", "-m", "base")
    path = os.path.join(out, CHANGED)
    with open(path) as f:
        text = f.read()
    old = "        multi_az: false\n"
    assert old in text, f"{CHANGED} changed shape; update bench/affected.py"
    with open(path, "w") as f:
        f.write(text.replace(old, "        multi_az: true\n", 1))
    git(out, "commit", "-q", "-am", "vpc: multi_az")
    with open(os.path.join(out, "bench-meta.json")) as f:
        return json.load(f)


def timed(kit, repo, args, runs):
    cmd = [kit, *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIT_", "ATMOS_"))}
    first = subprocess.run(cmd, cwd=repo, env={**env, "KIT_STATS": "1"}, capture_output=True, text=True)
    if first.returncode != 0:
        print(f"FAILED: {' '.join(args)}\n{first.stderr}", file=sys.stderr)
        sys.exit(2)
    out = first.stdout
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - t0) * 1000)
        if r.returncode != 0:
            sys.exit(2)
    stats = [l for l in first.stderr.splitlines() if "kit-stats" in l]
    return statistics.median(samples), min(samples), out, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kit", default=None)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="W1,W2")
    ap.add_argument("--workdir", default=None)
    a = ap.parse_args()
    kit = os.path.abspath(a.kit) if a.kit else next((p for p in (os.path.join(ROOT, ".build", c, "kit") for c in ("release", "debug")) if os.path.exists(p)), None)
    if not kit:
        sys.exit("no kit binary: build it (bench/run does, in release mode) or pass --kit")
    work = a.workdir or tempfile.mkdtemp(prefix="kit-affected-bench-")
    rows = {
        "json, both refs from git": ["describe", "affected", "--base", "HEAD~1", "--head", "HEAD"],
        "json, head = work tree": ["describe", "affected", "--base", "HEAD~1"],
        "matrix (all pairs resolved)": ["describe", "affected", "--base", "HEAD~1", "--format", "matrix"],
    }
    results = {}
    print(f"kit: {kit}")
    for size in a.sizes.split(","):
        repo = os.path.join(work, size)
        if os.path.exists(repo):
            shutil.rmtree(repo)
        meta = make_repo(size, repo)
        print(f"\n== {size}: {meta.get('manifests')} manifests, {meta.get('stack_files')} stack files, "
              f"{meta.get('component_instances')} instances; changed {CHANGED}")
        print(f"{'command':<32} | median ms |   min ms | entries")
        for label, args in rows.items():
            med, mn, out, stats = timed(kit, repo, args, a.runs if size == "W1" else max(1, a.runs // 2))
            doc = json.loads(out)
            n = len(doc["include"]) if isinstance(doc, dict) else len(doc)
            results[(size, label)] = med
            print(f"{label:<32} | {med:9.0f} | {mn:8.0f} | {n}")
            for s in stats:
                print(f"    {s}")
    failed = False
    print("\ntargets (medians):")
    for label in list(rows)[:2]:
        if ("W1", label) in results:
            ok = results[("W1", label)] <= 1000
            failed |= not ok
            print(f"  W1 {label:<30} <= 1000 ms   {results[('W1', label)]:6.0f} ms  {'PASS' if ok else 'FAIL'}")
    for label in rows:
        if ("W1", label) in results and ("W2", label) in results:
            ratio = results[("W2", label)] / results[("W1", label)]
            ok = ratio <= 12
            failed |= not ok
            print(f"  W2/W1 {label:<27} <= 12        {ratio:6.1f}x    {'PASS' if ok else 'FAIL'}")
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
