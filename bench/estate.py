#!/usr/bin/env python3
"""Estate benchmark: kit's time per component beyond terraform's own in `deploy --all`, wall time at
concurrency 1 vs 2, and how long 100 `!terraform.state` references to 10 components take to resolve.

Generates a repository in a temp directory: one stack `bench-estate` with 50 components of one root
module (terraform_data only, local backend): 10 sources, then 40 components each reading two earlier
components through `!terraform.state` (dependency waves), plus `consumer`, whose vars hold 100
references to the 10 sources. Runs with HOME in the temp directory (`.terraformrc` without checkpoint).

How the figures are made:
- terraform's own time is what kit itself measures around every terraform child it runs (wall time
  between spawn and exit, added up; printed with KIT_STATS=1 as `terraform_ms`). kit's time per
  component = (wall time of the kit command − terraform_ms) / components, at concurrency 1, on a warm
  run (state and init already in place, so init is skipped as in daily use).
- references: `kit terraform plan consumer -s bench-estate` with KIT_STATS=1 prints
  `references_ms` (evaluation of every reference in the component, state files read once each).

Targets (exit 1 when one is missed): kit per component ≤ 20 ms; 100 references ≤ 100 ms.
Stdlib only.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

MODULE = """
variable "name" { type = string }
variable "inputs" {
  type    = map(string)
  default = {}
}
resource "terraform_data" "this" {
  input = { name = var.name, inputs = var.inputs }
}
output "value" { value = "${var.name}-value" }
output "detail" { value = { name = var.name, size = length(var.inputs) } }
"""


def generate(root, sources=10, chained=40, references=100):
    os.makedirs(f"{root}/components/terraform/node")
    with open(f"{root}/components/terraform/node/main.tf", "w") as f:
        f.write(MODULE)
    with open(f"{root}/kit.yaml", "w") as f:
        f.write("base_path: .\ncomponents:\n  terraform:\n    base_path: components/terraform\n    deploy_run_init: true\n"
                "    auto_generate_backend_file: true\nstacks:\n  base_path: stacks\n  included_paths: ['**/*']\n")
    lines = ["name: bench-estate", "terraform:", "  backend_type: local", "components:", "  terraform:"]
    names = [f"s{i}" for i in range(sources)]
    for n in names:
        lines += [f"    {n}:", "      metadata: {component: node}", f"      vars: {{name: {n}}}"]
    for i in range(chained):
        n = f"c{i:02d}"
        earlier = names[max(0, len(names) - 10):]
        a, b = earlier[i % len(earlier)], earlier[(i * 7 + 3) % len(earlier)]
        lines += [f"    {n}:", "      metadata: {component: node}", "      vars:", f"        name: {n}", "        inputs:",
                  f"          a: !terraform.state {a} value", f"          b: !terraform.state {b} .value"]
        names.append(n)
    lines += ["    consumer:", "      metadata: {component: node}", "      vars:", "        name: consumer", "        inputs:"]
    for r in range(references):
        s = f"s{r % sources}"
        expr = "value" if r % 2 == 0 else ".detail.name"
        lines.append(f"          r{r:03d}: !terraform.state {s} {expr}")
    os.makedirs(f"{root}/stacks")
    with open(f"{root}/stacks/bench-estate.yaml", "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(names) + 1


def run(kit, args, cwd, env):
    start = time.perf_counter()
    p = subprocess.run([kit] + args, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"estate bench: 'kit {' '.join(args)}' exited {p.returncode}:\n{p.stderr[-3000:]}")
    return elapsed, p.stderr


def stat(stderr, key):
    m = re.search(rf"\b{key}=([0-9.]+)", stderr)
    if not m:
        sys.exit(f"estate bench: no '{key}=' in kit's stats:\n{stderr[-2000:]}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kit", required=True)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="kit-estate-bench-")
    try:
        root = f"{tmp}/repo"
        count = generate(root)
        home = f"{tmp}/home"
        os.makedirs(home)
        with open(f"{home}/.terraformrc", "w") as f:
            f.write("disable_checkpoint = true\n")
        env = {"PATH": os.environ["PATH"], "HOME": home, "CHECKPOINT_DISABLE": "1", "NO_COLOR": "1", "KIT_STATS": "1"}
        if os.environ.get("KIT_TEST_TERRAFORM"):
            env["KIT_COMPONENTS_TERRAFORM_COMMAND"] = os.environ["KIT_TEST_TERRAFORM"]

        cold, err = run(args.kit, ["terraform", "deploy", "--all", "-s", "bench-estate"], root, env)
        print(f"cold deploy --all ({count} components, init included, concurrency 1): {cold:.2f} s")

        overheads, walls1, walls2 = [], [], []
        for _ in range(args.runs):
            wall, err = run(args.kit, ["terraform", "deploy", "--all", "-s", "bench-estate", "--max-concurrency", "1"], root, env)
            tf = stat(err, "terraform_ms") / 1000
            overheads.append((wall - tf) / count * 1000)
            walls1.append(wall)
            wall2, _ = run(args.kit, ["terraform", "deploy", "--all", "-s", "bench-estate", "--max-concurrency", "2"], root, env)
            walls2.append(wall2)
        refs = []
        for _ in range(max(5, args.runs)):
            _, err = run(args.kit, ["terraform", "plan", "consumer", "-s", "bench-estate"], root, env)
            refs.append(stat(err, "references_ms"))
            reads = stat(err, "state_reads")

        per = statistics.median(overheads)
        ref_ms = statistics.median(refs)
        print(f"warm deploy --all, concurrency 1: {statistics.median(walls1):.2f} s wall; kit's own time per component {per:.1f} ms (target ≤ 20 ms)")
        print(f"warm deploy --all, concurrency 2: {statistics.median(walls2):.2f} s wall ({statistics.median(walls1) / statistics.median(walls2):.2f}× faster)")
        print(f"100 !terraform.state references to 10 components: {ref_ms:.1f} ms, {int(reads)} state reads (target ≤ 100 ms)")
        missed = [m for m, bad in [("per-component overhead", per > 20), ("reference resolution", ref_ms > 100)] if bad]
        if missed:
            print("MISSED: " + ", ".join(missed))
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
