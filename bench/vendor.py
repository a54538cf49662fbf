#!/usr/bin/env python3
"""Benchmark `kit vendor pull` of a 20-component vendor.yaml from local git repositories.

Builds 20 git repositories (each a small terraform module: 6 files, two tags v1 and v2, a `modules/`
subfolder and files that `excluded_paths` drops), a consumer repository with kit.yaml and a
vendor.yaml whose 20 sources use `git::file://…//module?ref={{ .Version }}` with included/excluded
globs, then times:

  cold pull     kit vendor pull     (empty targets: 20 fetches, 20 copies)
  warm pull     kit vendor pull     (nothing changed: must copy nothing, and report 20 unchanged)
  verify        kit vendor verify

Targets (this 2-core machine): cold pull < 5 s (median); the warm pull copies nothing (every target's
mtime unchanged, every line 'unchanged'). Exits 1 when a target is missed, 2 when a kit command fails.

Usage: bench/vendor.py [--kit PATH] [--runs N] [--components N] [--workdir DIR]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GIT_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com"}


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, stdout=subprocess.DEVNULL)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def make_library(path, i):
    os.makedirs(path)
    git(path, "init", "-q", "-b", "main")
    mod = os.path.join(path, "modules", f"c{i:02d}")
    for name in ["main.tf", "variables.tf", "outputs.tf", "versions.tf"]:
        write(os.path.join(mod, name), f"# component {i} {name}\n" + "locals { x = 1 }\n" * 40)
    write(os.path.join(mod, "README.md"), f"# c{i:02d}\n")
    write(os.path.join(mod, "examples", "complete", "main.tf"), "# excluded\n")
    write(os.path.join(mod, "modules", "sub", "main.tf"), f"# submodule of {i}\n")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "v1")
    git(path, "tag", "v1")
    write(os.path.join(mod, "main.tf"), f"# component {i} v2\n")
    git(path, "commit", "-q", "-am", "v2")
    git(path, "tag", "v2")


def make_consumer(path, libs):
    os.makedirs(os.path.join(path, "stacks"))
    write(os.path.join(path, "kit.yaml"), "base_path: \".\"\ncomponents:\n  terraform:\n    base_path: components/terraform\n"
          "stacks:\n  base_path: stacks\n  included_paths: [\"**/*\"]\n  name_pattern: \"{stage}\"\n")
    sources = ""
    for i, lib in enumerate(libs):
        sources += (f"    - component: c{i:02d}\n"
                    f"      source: \"git::file://{lib}//modules/{{{{ .Component }}}}?ref={{{{ .Version }}}}\"\n"
                    f"      version: v1\n"
                    f"      targets: [\"components/terraform/{{{{ .Component }}}}\"]\n"
                    f"      included_paths: [\"**/*.tf\", \"**/*.md\"]\n"
                    f"      excluded_paths: [\"examples/**\"]\n"
                    f"      tags: [bench]\n")
    write(os.path.join(path, "vendor.yaml"), "apiVersion: atmos/v1\nkind: AtmosVendorConfig\nmetadata:\n  name: bench\n"
          "spec:\n  sources:\n" + sources)


def timed(kit, cwd, *args):
    start = time.monotonic()
    p = subprocess.run([kit, *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    ms = (time.monotonic() - start) * 1000
    if p.returncode != 0:
        print(f"kit {' '.join(args)} failed ({p.returncode}):\n{p.stderr}", file=sys.stderr)
        sys.exit(2)
    return ms, p.stdout


def mtimes(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            st = os.lstat(os.path.join(d, f))
            out[os.path.join(d, f)] = (st.st_mtime_ns, st.st_ino)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kit", default=os.path.join(ROOT, ".build", "release", "kit"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--components", type=int, default=20)
    ap.add_argument("--workdir")
    a = ap.parse_args()
    if not os.path.exists(a.kit):
        print(f"no kit at {a.kit} — build it (swift build -c release) or pass --kit", file=sys.stderr)
        return 2
    work = a.workdir or tempfile.mkdtemp(prefix="kit-vendor-bench-")
    libs = []
    for i in range(a.components):
        p = os.path.join(work, "libs", f"lib{i:02d}")
        make_library(p, i)
        libs.append(p)
    cold, warm, verify = [], [], []
    copied_on_warm = 0
    for r in range(a.runs):
        consumer = os.path.join(work, f"consumer{r}")
        make_consumer(consumer, libs)
        ms, out = timed(a.kit, consumer, "vendor", "pull")
        cold.append(ms)
        pulled = sum(1 for l in out.splitlines() if ": pulled" in l)
        if pulled != a.components:
            print(f"cold pull pulled {pulled} of {a.components} targets", file=sys.stderr)
            return 2
        before = mtimes(os.path.join(consumer, "components"))
        ms, out = timed(a.kit, consumer, "vendor", "pull")
        warm.append(ms)
        after = mtimes(os.path.join(consumer, "components"))
        unchanged = sum(1 for l in out.splitlines() if l.endswith(")") and ": unchanged" in l)
        copied_on_warm += (a.components - unchanged) + sum(1 for k in after if before.get(k) != after[k])
        ms, _ = timed(a.kit, consumer, "vendor", "verify")
        verify.append(ms)
    files = sum(len(v) for v in [mtimes(os.path.join(work, "consumer0", "components"))])
    print(f"kit vendor pull, {a.components} components from local git repositories ({files} files vendored), {a.runs} runs")
    print(f"{'row':<12} {'median ms':>10} {'min ms':>8} {'max ms':>8}  target")
    rows = [("cold pull", cold, "< 5000 ms"), ("warm pull", warm, "copies nothing"), ("verify", verify, "-")]
    for name, xs, target in rows:
        print(f"{name:<12} {statistics.median(xs):>10.0f} {min(xs):>8.0f} {max(xs):>8.0f}  {target}")
    print(f"files or targets copied by warm pulls: {copied_on_warm}")
    missed = []
    if statistics.median(cold) >= 5000:
        missed.append(f"cold pull median {statistics.median(cold):.0f} ms >= 5000 ms")
    if copied_on_warm:
        missed.append(f"warm pulls copied {copied_on_warm} files/targets (expected 0)")
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)
    for m in missed:
        print("MISSED: " + m)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
