#!/usr/bin/env python3
"""Run atmos's own CLI test suite (tests/test-cases/*.yaml) against kit and classify every case.

    python3 tools/atmos-suite/run.py --atmos-src /tmp/atmos-src --kit /tmp/kit-suite-bin/kit \
        [--case GLOB] [--json out.json] [--keep]

--atmos-src is a work tree of atmos (at least tests/ and examples/ and the root files; see README.md).
Each case runs in a fresh copy of that tree (made a git repository, as atmos's suite runs inside its
own checkout), in the case's workdir, with the case's environment plus the parts of atmos's harness
environment that matter (ATMOS_CLI_CONFIG_PATH = workdir when it holds atmos.yaml, a clean HOME, ...).

Classes (see README.md): match, differs-exit0, differs-error, unsupported-command, skipped.
Disabled cases (enabled: false) are counted apart and never run.
"""

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from suite_cases import load_cases  # noqa: E402
from suite_compare import (  # noqa: E402
    compare_stdout, check_patterns, check_valid, check_files, strip_ansi, sanitize, check_translated_order,
)
from suite_map import map_args, skip_reason, unsupported_signal, refusal_is_the_point, DATA_COMMANDS  # noqa: E402

# Top-level entries of atmos's tree a case can reach (fixtures, examples, the root atmos.yaml and
# .atmos.d); Go sources and docs are left out of the per-case copy to keep it fast.
COPY_ENTRIES_SKIP = {"pkg", "internal", "cmd", "docs", "website", "errors", ".github", "pacts",
                     "specs", "agent-skills", ".claude", ".claude-plugin", ".cursor", ".specify",
                     "demo", "gists", "magefiles", "aqua", "actions", "scripts", ".devcontainer"}


def prepare_base(src, dst):
    """One copy of atmos's tree, made a git repository; every case gets a `cp -a` of it."""
    os.makedirs(dst)
    for entry in os.listdir(src):
        if entry in COPY_ENTRIES_SKIP:
            continue
        s, d = os.path.join(src, entry), os.path.join(dst, entry)
        if os.path.islink(s):
            os.symlink(os.readlink(s), d)
        elif os.path.isdir(s):
            shutil.copytree(s, d, symlinks=True)
        else:
            shutil.copy2(s, d)
    # atmos's suite runs inside atmos's git checkout: make the copy a repository too.
    subprocess.run(["git", "init", "-q", dst], check=True)
    subprocess.run(["git", "-C", dst, "add", "-A"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["git", "-C", dst, "-c", "user.name=suite", "-c", "user.email=suite@localhost",
                    "commit", "-q", "-m", "atmos tree"], check=True, stdout=subprocess.DEVNULL)


def scope_of(workdir_rel):
    """The fixture or example folder holding a workdir (relative to the tree root), or None."""
    parts = [p for p in workdir_rel.split("/") if p and p != "."]
    if parts[:3] == ["tests", "fixtures", "scenarios"] and len(parts) >= 4:
        return "/".join(parts[:4])
    if parts[:1] == ["examples"] and len(parts) >= 2:
        return "/".join(parts[:2])
    if parts[:2] == ["tests", "test-cases"] and len(parts) >= 3:
        return "/".join(parts[:3])
    return None


def copy_tree(base, dst, scope):
    """Hard links to the base tree (fast), with the case's own fixture folder copied for real so that
    what kit writes there never reaches the base. Writes elsewhere are caught by base_is_clean."""
    subprocess.run(["cp", "-al", base, dst], check=True)
    if scope and os.path.isdir(os.path.join(base, scope)):
        shutil.rmtree(os.path.join(dst, scope))
        subprocess.run(["cp", "-a", os.path.join(base, scope), os.path.join(dst, scope)], check=True)


def base_is_clean(base):
    p = subprocess.run(["git", "-C", base, "status", "--porcelain", "--untracked-files=all"],
                       capture_output=True, text=True)
    return p.stdout.strip() == "", p.stdout.strip()[:2000]


def case_env(case, workdir_abs, home, kit_args):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "GO_TEST": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "ATMOS_GIT_ROOT_BASEPATH": "false",
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        # atmos's harness standardises on OpenTofu (cli_test.go, runCLICommandTest); the snapshots
        # carry command: tofu. A case may set it back to terraform in its own env.
        "ATMOS_COMPONENTS_TERRAFORM_COMMAND": "tofu",
    }
    env["CHECKPOINT_DISABLE"] = "1"
    for k in ("TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR"):
        if os.path.exists(os.environ.get(k, "")):
            env[k] = os.environ[k]
    uses_chdir = any(a in ("--chdir", "-C") or a.startswith("--chdir=") for a in case["args"])
    if not uses_chdir and os.path.exists(os.path.join(workdir_abs, "atmos.yaml")):
        env["ATMOS_CLI_CONFIG_PATH"] = workdir_abs
    for k, v in (case.get("env") or {}).items():
        env[str(k)] = "" if v is None else str(v)
    return env


def classify(case, atmos_exit, kit_exit, checks, unsupported):
    atmos_ok, kit_ok = atmos_exit == 0, kit_exit == 0
    if unsupported:
        return "unsupported-command"
    if atmos_ok and kit_ok:
        return "match" if all(c["ok"] for c in checks if c["counts"]) else "differs-exit0"
    if atmos_ok != kit_ok:
        return "differs-error"
    return "match"  # both fail: exit class agrees (atmos's stderr wording is not compared)


def run_case(case, args, results_dir):
    res = {
        "name": case["name"], "file": case["file"], "workdir": case["workdir"],
        "atmos_args": case["args"], "expected_exit": case["expect"].get("exit_code", 0),
    }
    reason = skip_reason(case)
    if reason:
        res.update(cls="skipped", reason=reason)
        return res
    kit_args, notes, unsupported_flag = map_args(case["args"])
    res["kit_args"], res["notes"] = kit_args, notes
    root = tempfile.mkdtemp(prefix="case-", dir=results_dir)
    tree = os.path.join(root, "atmos")
    home = os.path.join(root, "home")
    os.makedirs(home)
    workdir_rel = os.path.normpath(os.path.join("tests", case["workdir"] or "."))
    copy_tree(args.base, tree, scope_of(workdir_rel))
    workdir_abs = os.path.normpath(os.path.join(tree, workdir_rel))
    if not os.path.isdir(workdir_abs):
        res.update(cls="skipped", reason=f"workdir {case['workdir']} not in the atmos tree")
        shutil.rmtree(root, ignore_errors=True)
        return res
    env = case_env(case, workdir_abs, home, kit_args)
    started = time.time()
    if unsupported_flag:
        # A flag kit has no equivalent of that changes what atmos does: kit is still run as is, so its
        # own refusal is what is recorded.
        pass
    try:
        p = subprocess.run([args.kit] + kit_args, cwd=workdir_abs, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=args.timeout)
        kit_exit, out, err = p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        kit_exit, out, err = -9, (e.stdout or b"").decode("utf-8", "replace"), "TIMEOUT"
    res["seconds"] = round(time.time() - started, 2)
    out = sanitize(strip_ansi(out), tree)
    err = sanitize(strip_ansi(err), tree)
    res["kit_exit"] = kit_exit
    res["kit_stdout_head"] = out[:1500]
    res["kit_stderr_head"] = err[:1500]
    expect = case["expect"]
    atmos_exit = expect.get("exit_code", 0)
    unsupported = unsupported_signal(kit_exit, err)
    if refusal_is_the_point(case, unsupported):
        res["notes"].append(f"atmos refuses it too: kit's refusal ({unsupported['detail']}) counts as agreement")
        unsupported = None
    res["unsupported"] = unsupported
    checks = []
    family = case["args"][0] if case["args"] else ""
    if kit_exit == 0 and atmos_exit == 0:
        checks.append(compare_stdout(case, out, args.snapshots, data_command=family in DATA_COMMANDS))
        checks.extend(check_patterns("stdout", out, expect.get("stdout"), counts=True))
        checks.extend(check_valid(out, expect.get("valid")))
        checks.extend(check_files(workdir_abs, expect))
        checks.extend(check_translated_order(out, expect.get("stderr")))
    # atmos's stderr patterns are atmos's own wording: reported, never decisive.
    checks.extend(check_patterns("stderr", err, expect.get("stderr"), counts=False))
    res["checks"] = [c for c in checks if c]
    res["cls"] = classify(case, atmos_exit, kit_exit, [c for c in checks if c], unsupported)
    if res["cls"] != "match" and kit_exit != 0 and not shutil.which("tofu") and \
            re.search(r"\btofu\b", err) and env.get("ATMOS_COMPONENTS_TERRAFORM_COMMAND") == "tofu":
        res.update(cls="skipped", reason="needs tofu (atmos's suite sets ATMOS_COMPONENTS_TERRAFORM_COMMAND=tofu), "
                                         "not installed here; kit stopped on it")
    res["exact_exit_match"] = kit_exit == atmos_exit
    if res["cls"] == "match":
        res["evidence"] = evidence(res["checks"], atmos_exit)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        res["tree"] = tree
    return res


def evidence(checks, atmos_exit):
    """What a match rests on: the strongest decisive check that passed."""
    if atmos_exit != 0:
        return "both-fail"
    kinds = set()
    for c in checks:
        if not (c["counts"] and c["ok"]):
            continue
        if c["name"] == "stdout snapshot":
            kinds.add("snapshot-" + c.get("mode", "text"))
        elif c["name"].startswith("order"):
            kinds.add("order")
        elif c["name"].startswith("file"):
            kinds.add("files")
        else:
            kinds.add("regex")
    for k in ("snapshot-data", "snapshot-text", "files", "order", "regex"):
        if k in kinds:
            return k
    return "exit-only"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--atmos-src", required=True)
    ap.add_argument("--kit", required=True)
    ap.add_argument("--case", action="append", help="glob over case names (repeatable)")
    ap.add_argument("--json", help="write every result here")
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--work-dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None,
                    help="where the per-case trees go (default /dev/shm: a tmpfs makes the copies cheap)")
    ap.add_argument("--keep", action="store_true", help="keep each case's tree (for debugging)")
    args = ap.parse_args()
    args.atmos_src = os.path.abspath(args.atmos_src)
    args.kit = os.path.abspath(args.kit)
    args.snapshots = os.path.join(args.atmos_src, "tests", "snapshots")
    cases = load_cases(os.path.join(args.atmos_src, "tests"))
    if args.case:
        cases = [c for c in cases if any(fnmatch.fnmatch(c["name"], g) for g in args.case)]
    results_dir = tempfile.mkdtemp(prefix="atmos-suite-", dir=args.work_dir)
    args.base = os.path.join(results_dir, "base")
    prepare_base(args.atmos_src, args.base)
    results, disabled = [], []
    for case in cases:
        if not case.get("enabled"):
            disabled.append({"name": case["name"], "file": case["file"], "cls": "disabled"})
            continue
        r = run_case(case, args, results_dir)
        results.append(r)
        print(f"{r['cls']:20} {r['name']}", flush=True)
    clean, changes = base_is_clean(args.base)
    if not clean:
        print("WARNING: a case changed the shared base tree outside its fixture folder; later results "
              "may be affected:\n" + changes, file=sys.stderr)
    if not args.keep:
        shutil.rmtree(results_dir, ignore_errors=True)
    summary = {}
    for r in results:
        summary[r["cls"]] = summary.get(r["cls"], 0) + 1
    print()
    print(f"{'class':22}count")
    for k in ("match", "differs-exit0", "differs-error", "unsupported-command", "skipped"):
        print(f"{k:22}{summary.get(k, 0)}")
    print(f"{'(disabled in atmos)':22}{len(disabled)}")
    ran = sum(summary.get(k, 0) for k in ("match", "differs-exit0", "differs-error"))
    print(f"\nkit ran {ran} cases on commands it has: {summary.get('match', 0)} match.")
    ev = {}
    for r in results:
        if r["cls"] == "match":
            ev[r["evidence"]] = ev.get(r["evidence"], 0) + 1
    print("matches rest on: " + ", ".join(f"{k} {v}" for k, v in sorted(ev.items())))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"atmos_src": args.atmos_src, "kit": args.kit, "summary": summary, "match_evidence": ev,
                       "disabled": len(disabled), "base_clean": clean, "base_changes": changes,
                       "results": results, "disabled_cases": disabled},
                      f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
