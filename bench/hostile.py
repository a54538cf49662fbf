#!/usr/bin/env python3
"""Pathological stack inputs: each case must end in <= 2 s and <= 512 MB (docs/hostile-input.md).

Generates every case in a temporary repository (nothing large is committed), runs the given kit
under /usr/bin/time -v with a wall-clock timeout and an address-space cap, and prints one line per
case: wall time, peak RSS, exit status and the first line of stderr. Exits 1 when a case exceeds a
budget or dies from a signal; an ordinary error exit (1) is the expected outcome.
"""
import argparse, os, re, resource, shutil, subprocess, sys, tempfile, time

TIME_BUDGET = 2.0
RSS_BUDGET_MB = 512

VPC = "components:\n  terraform:\n    vpc:\n      vars:\n        name: vpc\n"


def repo(root, stack_text, kit_yaml=None, extra=None):
    os.makedirs(f"{root}/stacks/orgs/acme", exist_ok=True)
    os.makedirs(f"{root}/stacks/catalog", exist_ok=True)
    os.makedirs(f"{root}/components/terraform/vpc", exist_ok=True)
    open(f"{root}/components/terraform/vpc/main.tf", "w").write('variable "name" {}\n')
    open(f"{root}/kit.yaml", "w").write(kit_yaml or "stacks:\n  base_path: stacks\n  included_paths: ['orgs/**/*']\n")
    open(f"{root}/stacks/orgs/acme/dev.yaml", "w").write(stack_text)
    if extra:
        extra(root)


def alias_chain(n):
    lines = ["components:", "  terraform:", "    vpc:", "      vars:", "        a0: &a0 [x]"]
    lines += [f"        a{i}: &a{i} [*a{i-1}]" for i in range(1, n)]
    return "\n".join(lines) + "\n"


def alias_bomb(levels):
    lines = ["components:", "  terraform:", "    vpc:", "      vars:", "        l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"        l{i}: &l{i} [" + ", ".join([f"*l{i-1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def nesting(depth):
    return VPC + "        deep: " + "[" * depth + "]" * depth + "\n"


def long_import(n):
    return "import:\n  - " + "a" * n + "\n" + VPC


def component_read_chain(n):
    """c0 reads c1 through atmos.Component, c1 reads c2, ... (kit stops at 32 levels)."""
    lines = ["vars:", "  stage: dev", "components:", "  terraform:"]
    for i in range(n):
        value = f"'{{{{ (atmos.Component \"c{i + 1}\" .stack).vars.v }}}}'" if i < n - 1 else "end"
        lines += [f"    c{i}:", "      metadata:", "        component: vpc", "      vars:", f"        v: {value}"]
    return "\n".join(lines) + "\n"


TEMPLATES = "stacks:\n  base_path: stacks\n  included_paths: ['orgs/**/*']\ntemplates:\n  settings:\n    enabled: true\n"


def sparse(root):
    with open(f"{root}/stacks/catalog/big.yaml", "wb") as f:
        f.truncate(100 << 30)


def dev_zero(root):
    os.symlink("/dev/zero", f"{root}/stacks/catalog/zero.yaml")


def loop(root):
    os.symlink("..", f"{root}/stacks/orgs/x")


def to_root(root):
    os.symlink("/", f"{root}/stacks/orgs/root")


CASES = [
    # name, stack text, kit.yaml, extra set-up, command
    ("alias-chain-40k", alias_chain(40_000), None, None, ["describe", "component", "vpc", "-s", "orgs/acme/dev"]),
    ("alias-chain-40k-varfile", alias_chain(40_000), None, None, ["terraform", "generate", "varfile", "vpc", "-s", "orgs/acme/dev", "-f", "varfile.json"]),
    ("alias-bomb-8", alias_bomb(8), None, None, ["describe", "component", "vpc", "-s", "orgs/acme/dev"]),
    ("nesting-20k-list", nesting(20_000), None, None, ["list", "stacks"]),
    ("nesting-10k-describe", nesting(10_000), None, None, ["describe", "stacks"]),
    ("sparse-100g-import", "import: [catalog/big]\n" + VPC, None, sparse, ["list", "stacks"]),
    ("dev-zero-import", "import: [catalog/zero]\n" + VPC, None, dev_zero, ["list", "stacks"]),
    ("dev-zero-import-allowed", "import: [catalog/zero]\n" + VPC,
     "stacks:\n  base_path: stacks\n  included_paths: ['orgs/**/*']\n  allowed_external_paths: [/dev]\n", dev_zero, ["list", "stacks"]),
    ("nul-byte-line-13", "a: 1\n" * 12 + "b: x\0y\n" + VPC, None, None, ["list", "stacks"]),
    ("dir-link-loop", VPC, None, loop, ["list", "stacks"]),
    ("link-to-root", VPC, None, to_root, ["list", "stacks"]),
    ("stacks-base-usr", VPC, "stacks:\n  base_path: /usr\n  included_paths: ['**/*']\n", None, ["list", "stacks"]),
    ("import-path-1m", long_import(1_000_000), None, None, ["list", "stacks"]),
    ("component-read-chain-1k", component_read_chain(1000), TEMPLATES, None, ["describe", "component", "c0", "-s", "orgs/acme/dev"]),
    ("component-read-chain-1k-stacks", component_read_chain(1000), TEMPLATES, None, ["describe", "stacks"]),
]


def peak_kb(pid):
    """VmHWM (peak RSS) of the kit process below /usr/bin/time, or 0."""
    try:
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()
        for child in children:
            for line in open(f"/proc/{child}/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(kit, root, args, timeout, vm_limit_mb):
    def limit():
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (vm_limit_mb << 20, vm_limit_mb << 20))
    start = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-v", kit] + args, cwd=root, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, preexec_fn=limit)
    chunks, peak = [], 0
    import threading
    reader = threading.Thread(target=lambda: chunks.append(p.stderr.read()))
    reader.start()
    while p.poll() is None:
        peak = max(peak, peak_kb(p.pid))
        if time.monotonic() - start > timeout:
            os.killpg(p.pid, 9)
            p.wait()
            reader.join()
            return time.monotonic() - start, peak / 1024, "timeout", f"killed after {timeout:.0f} s (peak RSS sampled)"
        time.sleep(0.05)
    reader.join()
    wall = time.monotonic() - start
    stderr = b"".join(chunks).decode("utf-8", "replace")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    status = re.search(r"Command terminated by signal (\d+)", stderr)
    exit_code = re.search(r"Exit status: (\d+)", stderr)
    err = [l for l in stderr.splitlines() if l and not l.startswith("\t") and not l.startswith("Command")]
    first = (err[0] if err else "")[:160]
    code = f"signal {status.group(1)}" if status else f"exit {exit_code.group(1) if exit_code else p.returncode}"
    return wall, int(rss.group(1)) / 1024 if rss else None, code, first


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kit", required=True)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--vm-limit-mb", type=int, default=4096, help="address-space cap per run (protects the machine)")
    ap.add_argument("--only", default="", help="comma-separated case names")
    a = ap.parse_args()
    kit = os.path.abspath(a.kit)
    failed = False
    print(f"{'case':26} {'wall':>8} {'peak RSS':>10}  result")
    for name, text, kit_yaml, extra, args in CASES:
        if a.only and name not in a.only.split(","):
            continue
        root = tempfile.mkdtemp(prefix=f"kit-hostile-{name}-")
        try:
            repo(root, text, kit_yaml, extra)
            wall, rss, code, first = run(kit, root, args, a.timeout, a.vm_limit_mb)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        over = code == "timeout" or code.startswith("signal") or wall > TIME_BUDGET or (rss or 0) > RSS_BUDGET_MB
        failed |= over
        rss_text = f"{rss:.0f} MB" if rss is not None else "?"
        print(f"{name:26} {wall:7.2f}s {rss_text:>10}  {'OVER ' if over else ''}{code}: {first}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
