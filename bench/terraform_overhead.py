#!/usr/bin/env python3
"""kit's overhead around terraform, the time init skipping saves, and what provider plugins cost.

Runs in temp copies of the example repository (kit.yaml, stacks/, components/terraform/) and of the
integration-test fixture (an S3-backed `slow` component on a local moto_server), with HOME set to a
temp directory holding `.terraformrc`. Every measured command runs N times, interleaved with the
command it is compared to, so that drift on this shared 2-core machine hits both alike.
Exits 1 when a target is missed, 2 when a command fails. Stdlib only. See bench/README.md.
"""
import argparse, json, os, re, select, shlex, shutil, signal, statistics, subprocess, sys, tempfile, threading, time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(REPO, "Tests/KitIntegrationTests/Fixtures/cases")
IGNORE = shutil.ignore_patterns(".terraform", "*.planfile", "*.terraform.tfvars.json", "backend.tf.json",
                                "providers_override.tf.json", "terraform_override.tf.json")
AWS_ENV = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
TIMEOUT = 600


class CommandFailed(Exception):
    """A command exited non-zero (or timed out); carries its output for the report."""


def run(argv, cwd, env, log):
    """Runs argv with stdout+stderr to the log file; returns wall seconds. Raises CommandFailed."""
    # No `timeout=` on subprocess: with a timeout Python polls for exit with sleeps that grow to 50 ms,
    # which rounds every measurement up to 16/32/64/114 ms. A watchdog timer kills a hung command instead,
    # and the wait itself is a blocking waitpid.
    with open(log, "wb") as out:
        start = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        timed_out = []
        watchdog = threading.Timer(TIMEOUT, lambda: (timed_out.append(True), p.kill()))
        watchdog.start()
        status = p.wait()
        elapsed = time.perf_counter() - start
        watchdog.cancel()
        if timed_out:
            status = "timeout"
    if status != 0:
        with open(log, "rb") as f:
            tail = f.read().decode(errors="replace")[-3000:]
        raise CommandFailed(f"'{' '.join(argv)}' in {cwd} exited {status}:\n{tail}")
    return elapsed


def capture(argv, cwd, env):
    """Runs argv and returns its stdout; raises CommandFailed with stderr when it fails."""
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode != 0:
        raise CommandFailed(f"'{' '.join(argv)}' in {cwd} exited {p.returncode}:\n{p.stderr[-3000:]}")
    return p.stdout


class Sequence:
    """What `kit terraform … --dry-run` says kit will do: terraform's cwd, env, and the runs."""

    def __init__(self, text, base):
        # The dry run is a shell script: `# kit:` comments, `cd <dir>`, `export K=V …`, then one command a
        # line (with `  # purpose` after non-main steps). Paths after the cd are relative to that directory.
        self.text, self.cwd, self.env, self.runs = text, base, {}, []
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            if line.startswith("cd "):
                self.cwd = os.path.normpath(os.path.join(base, shlex.split(line[3:])[0]))
            elif line.startswith("export "):
                for pair in shlex.split(line[7:]):
                    k, v = pair.split("=", 1)
                    if v == "***":
                        raise CommandFailed(f"dry-run masks '{k}'; cannot replicate kit's environment")
                    is_path = k.endswith("_DIR") and not os.path.isabs(v)
                    self.env[k] = os.path.normpath(os.path.join(self.cwd, v)) if is_path else v
            else:
                head, _, purpose = line.partition("  # ")
                words = shlex.split(head)
                self.runs.append((purpose or "main", words[1:]))

    def args(self, purpose):
        """The terraform arguments of the first step with this purpose, or None."""
        return next((a for p, a in self.runs if p == purpose), None)


def dry_run(kit, cwd, env, component, stack, extra=()):
    out = capture([kit, "terraform", "plan", component, "-s", stack, "--dry-run", *extra], cwd, env)
    return Sequence(out, cwd)


def ms(seconds):
    return seconds * 1000.0


def stats(values):
    return {"median_ms": ms(statistics.median(values)), "mean_ms": ms(statistics.fmean(values)),
            "min_ms": ms(min(values)), "runs": len(values)}


def difference(times, plus, minus):
    """sum(plus) - sum(minus) of the named series: of the medians, of the means, and the median of the
    per-round differences (paired: drift between rounds cancels)."""
    def of(f):
        return ms(sum(f(times[n]) for n in plus) - sum(f(times[n]) for n in minus))
    rounds = [sum(times[n][i] for n in plus) - sum(times[n][i] for n in minus) for i in range(len(times[plus[0]]))]
    return {"median_ms": of(statistics.median), "mean_ms": of(statistics.fmean),
            "paired_median_ms": ms(statistics.median(rounds))}


def base_environment(root):
    """The inherited environment without KIT_*/TF_* settings, with a private HOME and no update check."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIT_", "TF_"))}
    home = os.path.join(root, "home")
    os.makedirs(home, exist_ok=True)
    with open(os.path.join(home, ".terraformrc"), "w") as f:
        f.write("disable_checkpoint = true\n")
    tools = os.path.join(REPO, ".tools/bin")
    if os.path.isdir(tools):
        env["PATH"] = tools + os.pathsep + env.get("PATH", "")
    env.update({"HOME": home, "CHECKPOINT_DISABLE": "1", "TMPDIR": root, "NO_COLOR": "1"})
    return env


def copy_example(dest):
    os.makedirs(os.path.join(dest, "components"))
    shutil.copy(os.path.join(REPO, "kit.yaml"), dest)
    shutil.copytree(os.path.join(REPO, "stacks"), os.path.join(dest, "stacks"), ignore=IGNORE)
    shutil.copytree(os.path.join(REPO, "components/terraform"), os.path.join(dest, "components/terraform"), ignore=IGNORE)


def copy_fixture(dest, endpoint):
    """kit.yaml, the S3 stack (with its _s3 import) and the terraform_data-only `slow` component."""
    os.makedirs(os.path.join(dest, "stacks"))
    shutil.copy(os.path.join(FIXTURE, "kit.yaml"), dest)
    for name in ("_s3.yaml", "s3-dynamodb.yaml"):
        with open(os.path.join(FIXTURE, "stacks", name)) as f:
            text = f.read().replace("@MOTO_ENDPOINT@", endpoint)
        with open(os.path.join(dest, "stacks", name), "w") as f:
            f.write(text)
    shutil.copytree(os.path.join(FIXTURE, "components/terraform/slow"), os.path.join(dest, "components/terraform/slow"))


def start_moto(root):
    """scripts/moto on a free port; returns (process, endpoint). Its log goes to <root>/moto.log."""
    log = open(os.path.join(root, "moto.log"), "wb")
    p = subprocess.Popen([os.path.join(REPO, "scripts/moto")], stdout=subprocess.PIPE, stderr=log,
                         stdin=subprocess.DEVNULL, text=True)
    ready, _, _ = select.select([p.stdout], [], [], 60)
    line = p.stdout.readline().strip() if ready else ""
    if not line.startswith("http://"):
        stop(p)
        raise CommandFailed(f"scripts/moto did not print its endpoint within 60 s (see {log.name})")
    return p, line


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def dynamodb(endpoint, action, request):
    """One DynamoDB API call to moto, which routes by the credential scope and does not check the signature."""
    auth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0"
    headers = {"X-Amz-Target": "DynamoDB_20120810." + action, "Content-Type": "application/x-amz-json-1.0",
               "Authorization": auth}
    req = urllib.request.Request(endpoint + "/", data=json.dumps(request).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def create_bucket_and_table(endpoint):
    """The state bucket `kit-tfstate` and lock table `kit-tflock` (what the integration tests create)."""
    urllib.request.urlopen(urllib.request.Request(endpoint + "/kit-tfstate", method="PUT"), timeout=30).read()
    dynamodb(endpoint, "CreateTable", {"TableName": "kit-tflock", "BillingMode": "PAY_PER_REQUEST",
                                       "KeySchema": [{"AttributeName": "LockID", "KeyType": "HASH"}],
                                       "AttributeDefinitions": [{"AttributeName": "LockID", "AttributeType": "S"}]})


class StaleLocks:
    """Runs a command; when terraform fails on a lock already in the DynamoDB table, deletes the lock
    entries and runs it once more. On a loaded machine the AWS SDK can resend a lock PutItem that moto
    already applied, and terraform then fails on its own lock; `cleared` counts how often that happened."""

    def __init__(self, endpoint):
        self.endpoint, self.cleared = endpoint, 0

    def run(self, argv, cwd, env, log):
        try:
            return run(argv, cwd, env, log)
        except CommandFailed as e:
            if "Error acquiring the state lock" not in str(e):
                raise
        for item in dynamodb(self.endpoint, "Scan", {"TableName": "kit-tflock"}).get("Items", []):
            if "Info" in item:
                dynamodb(self.endpoint, "DeleteItem", {"TableName": "kit-tflock", "Key": {"LockID": item["LockID"]}})
                self.cleared += 1
        return run(argv, cwd, env, log)


def interleave(runs, commands, log, runner=run):
    """Runs each (name, argv, cwd, env) in turn, `runs` rounds; returns name -> [seconds]."""
    times = {name: [] for name, *_ in commands}
    for _ in range(runs):
        for name, argv, cwd, env in commands:
            times[name].append(runner(argv, cwd, env, log))
    return times


def expect_no_init(seq, what):
    if seq.args("initialize") is not None:
        raise CommandFailed(f"{what}: kit still plans to run init after a successful init (fingerprint not reused):\n{seq.text}")


def bench_overhead(kit, tf, root, env, runs):
    """Part 1 (kit vs terraform on the same prepared directory) and part 2 (init vs skipped init)."""
    repo = os.path.join(root, "example")
    copy_example(repo)
    log = os.path.join(root, "run.log")
    plan = [kit, "terraform", "plan", "app", "-s", "demo-dev"]
    first = dry_run(kit, repo, env, "app", "demo-dev")
    first_s = run(plan, repo, env, log)
    seq = dry_run(kit, repo, env, "app", "demo-dev")
    expect_no_init(seq, "example app/demo-dev")
    tf_env = dict(env, **seq.env)
    # kit skips `workspace select` when no init runs and the data directory already has the workspace
    # selected; the first run's dry-run (which inits) still shows the step, measured alone for reference.
    ws, main = seq.args("workspace") or first.args("workspace"), seq.args("main")
    if ws is None or main is None:
        raise CommandFailed(f"dry-run shows no workspace or main step:\n{seq.text}")
    kit_selects_workspace = seq.args("workspace") is not None
    t = interleave(runs, [("kit", plan, repo, env), ("terraform", [tf, *main], seq.cwd, tf_env),
                          ("workspace", [tf, *ws], seq.cwd, tf_env),
                          ("dry-run", plan + ["--dry-run"], repo, env)], log)
    run(plan + ["--init"], repo, env, log)
    expect_no_init(dry_run(kit, repo, env, "app", "demo-dev"), "after 'plan --init'")
    i = interleave(runs, [("init", plan + ["--init"], repo, env), ("skip", plan, repo, env)], log)
    return {
        "first_plan_ms": ms(first_s), "first_runs_init": first.args("initialize") is not None,
        "main_args": main, "workspace_args": ws, "kit_selects_workspace": kit_selects_workspace,
        "env": seq.env, "cwd": os.path.relpath(seq.cwd, repo),
        "kit": stats(t["kit"]), "terraform": stats(t["terraform"]), "workspace": stats(t["workspace"]),
        "dry_run": stats(t["dry-run"]),
        "overhead": difference(t, ["kit"], ["terraform"]),
        "overhead_excl_workspace": difference(t, ["kit"], ["terraform", "workspace"]),
        "remainder": difference(t, ["kit"], ["terraform", "workspace", "dry-run"]),
        "plan_with_init": stats(i["init"]), "plan_skipping_init": stats(i["skip"]),
        "init_saved": difference(i, ["init"], ["skip"]),
    }


def bench_plugins(kit, tf, root, env, runs):
    """Part 3: `kit terraform plan` on an S3 stack with plugins (in-process, isolated) and without."""
    moto, endpoint = start_moto(root)
    try:
        create_bucket_and_table(endpoint)
        env = dict(env, **AWS_ENV)
        with_env, iso_env, no_env = env, dict(env, KIT_PLUGIN_ISOLATED="1"), dict(env, KIT_NO_PLUGINS="1")
        # Plugins adapt the backend (so the init fingerprints differ): each mode gets its own copy.
        plug, bare = os.path.join(root, "s3-plugins"), os.path.join(root, "s3-no-plugins")
        copy_fixture(plug, endpoint)
        copy_fixture(bare, endpoint)
        log = os.path.join(root, "run.log")
        plan = [kit, "terraform", "plan", "slow", "-s", "s3-dynamodb"]
        locks = StaleLocks(endpoint)
        locks.run(plan, plug, with_env, log)
        locks.run(plan, bare, no_env, log)
        seqs = {"plugins": dry_run(kit, plug, with_env, "slow", "s3-dynamodb"),
                "isolated": dry_run(kit, plug, iso_env, "slow", "s3-dynamodb"),
                "none": dry_run(kit, bare, no_env, "slow", "s3-dynamodb")}
        for name, seq in seqs.items():
            expect_no_init(seq, f"s3 stack ({name})")
        shows = seqs["plugins"].args("showPlan") is not None
        bare_seq = seqs["none"]
        planfile = bare_seq.args("main")[bare_seq.args("main").index("-out") + 1]
        show = [tf, "show", "-json", planfile]
        t = interleave(runs, [("plugins", plan, plug, with_env), ("none", plan, bare, no_env),
                              ("isolated", plan, plug, iso_env),
                              ("show", show, bare_seq.cwd, dict(env, **bare_seq.env))], log, locks.run)
        return {"endpoint": endpoint, "plan_runs_show_json": shows, "stale_locks_cleared": locks.cleared,
                "with_plugins": stats(t["plugins"]), "no_plugins": stats(t["none"]),
                "isolated": stats(t["isolated"]), "show_json": stats(t["show"]),
                "plugins_cost": difference(t, ["plugins"], ["none"]),
                "isolated_cost": difference(t, ["isolated"], ["none"])}
    finally:
        stop(moto)


UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}


def plugin_bench(kit, cwd, env, iterations):
    """Part 4: `kit plugin bench` output verbatim, and its rows parsed (ms) for the targets. A short
    untimed run first puts the plugin files in the page cache, as for any kit run but the very first."""
    capture([kit, "plugin", "bench", "--max-isolated-call-us", "1000000000", "--iterations", "5"], cwd, env)
    out = capture([kit, "plugin", "bench", "--max-isolated-call-us", "1000000000", "--iterations", str(iterations)], cwd, env)
    rows = []
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 3 and cells[1] in ("in-process", "isolated"):
            values = []
            for cell in cells[2:4]:
                m = re.fullmatch(r"([\d.]+)\s*(ns|µs|us|ms|s)", cell)
                values.append(float(m.group(1)) * UNITS[m.group(2)] if m else None)
            rows.append({"plugin": cells[0], "mode": cells[1], "first_load_ms": values[0], "load_ms": values[1]})
    return out, rows


def verdict(ok):
    return "PASS" if ok else "FAIL"


def met(label, value, limit):
    """A target row's verdict: `<=` in its label means the limit itself passes, otherwise below it."""
    return value is not None and (value <= limit if "<=" in label else value < limit)


def report(ov, pl, bench_out, bench_rows, runs, iterations):
    def line(label, s):
        print(f"  {label:<72} | {s['median_ms']:9.1f} | {s['mean_ms']:9.1f} | {s['min_ms']:9.1f}")

    def diff(label, d):
        print(f"  {label:<72} | {d['median_ms']:9.1f} | {d['mean_ms']:9.1f} | {d['paired_median_ms']:9.1f}")

    header = f"  {'command (top) / difference (bottom)':<72} | {'median ms':>9} | {'mean ms':>9} | {'min/paired':>9}"
    print(f"\n== 1. kit terraform plan vs terraform plan on the same prepared directory ({runs} runs each, interleaved)")
    print(f"  example repo, 'app' in 'demo-dev' (local backend), init not needed; terraform cwd = {ov['cwd']}")
    print(f"  first plan (ran init: {'yes' if ov['first_runs_init'] else 'no'}): {ov['first_plan_ms']:.0f} ms")
    print("  direct env: " + " ".join(f"{k}={v}" for k, v in sorted(ov["env"].items())))
    print("  direct plan: terraform " + " ".join(ov["main_args"]))
    print("  workspace:   terraform " + " ".join(ov["workspace_args"]))
    print(header)
    line("kit terraform plan app -s demo-dev", ov["kit"])
    line("terraform plan, direct (same directory, environment, arguments)", ov["terraform"])
    line("terraform workspace select -or-create, direct (alone)", ov["workspace"])
    line("kit terraform plan app -s demo-dev --dry-run (kit alone, no terraform)", ov["dry_run"])
    diff("overhead = kit - terraform plan (incl. workspace select)", ov["overhead"])
    diff("overhead excl. workspace select = kit - plan - workspace", ov["overhead_excl_workspace"])
    diff("remainder = kit - plan - workspace - dry-run (running 2 processes)", ov["remainder"])
    if ov["kit_selects_workspace"]:
        print("  kit runs `terraform workspace select -or-create` before this plan: a second terraform process.")
    else:
        print("  kit skipped `workspace select` (no init ran and the data directory already had the workspace):")
        print("  the 'overhead' line is the one to read; the 'excl. workspace' lines subtract a step kit did not run.")
    print(f"\n== 2. init skipping ({runs} runs each, interleaved)")
    print(header)
    line("kit terraform plan app -s demo-dev --init (init runs)", ov["plan_with_init"])
    line("kit terraform plan app -s demo-dev (fingerprint unchanged: no init)", ov["plan_skipping_init"])
    diff("time a plan saves by skipping init", ov["init_saved"])
    print(f"\n== 3. plugins on 'slow' in 's3-dynamodb' (S3 backend on moto {pl['endpoint']}; {runs} runs each, interleaved)")
    print(header)
    line("kit terraform plan, plugins in-process", pl["with_plugins"])
    line("kit terraform plan, plugins isolated (KIT_PLUGIN_ISOLATED=1)", pl["isolated"])
    line("kit terraform plan, KIT_NO_PLUGINS=1", pl["no_plugins"])
    line("terraform show -json <planfile> (alone)", pl["show_json"])
    diff("plugins' cost in-process = with - without", pl["plugins_cost"])
    diff("plugins' cost isolated = isolated - without", pl["isolated_cost"])
    if pl["plan_runs_show_json"]:
        print("  with plugins, kit's plan runs `terraform show -json` and the review: the cost above includes the show row.")
    else:
        print("  the dry-run with plugins shows no `show -json` step for `plan`: kit plans, plugins adapt, no review runs;")
        print("  the show row is what a review adds (apply/destroy with plugins run plan, show -json, review, apply).")
    if pl["stale_locks_cleared"]:
        print(f"  {pl['stale_locks_cleared']} stale DynamoDB lock(s) cleared and the run repeated (moto under load)")
    print(f"\n== 4. kit plugin bench --iterations {iterations} (verbatim)")
    print(bench_out.rstrip())
    print("\n== targets (medians)")
    rows = [("kit plan overhead (kit plan - terraform plan) < 30 ms", ov["overhead"]["median_ms"], 30.0),
            # Issue 23's target, meant at load about 1 (the load is printed below).
            ("kit plan overhead <= 15 ms (issue 23, load ~1)", ov["overhead"]["median_ms"], 15.0)]
    if ov["kit_selects_workspace"]:
        rows.append(("kit plan overhead excl. workspace select < 30 ms", ov["overhead_excl_workspace"]["median_ms"], 30.0))
    for r in bench_rows:
        if r["mode"] == "in-process":
            rows.append((f"{r['plugin']} first load+handshake in-process < 5 ms", r["first_load_ms"], 5.0))
    show = pl["show_json"]["median_ms"]
    if show is not None:
        rows.append(("plugins' cost beyond show -json, in-process <= 60 ms", pl["plugins_cost"]["median_ms"] - show, 60.0))
        rows.append(("plugins' cost beyond show -json, isolated <= 60 ms", pl["isolated_cost"]["median_ms"] - show, 60.0))
    if not any(r["mode"] == "in-process" for r in bench_rows):
        print("  (no in-process rows parsed from `kit plugin bench`: load target not evaluated)")
    for label, value, limit in rows:
        shown = "n/a" if value is None else f"{value:.2f} ms"
        print(f"  {label:<56} {shown:>10}  {'UNKNOWN' if value is None else verdict(met(label, value, limit))}")
    for r in bench_rows:
        if r["mode"] == "isolated" and r["load_ms"] is not None:
            print(f"  {r['plugin'] + ' load+handshake isolated (no target)':<56} {r['load_ms']:7.2f} ms")
    print(f"  {'plugins added to kit terraform plan (no target)':<56} {pl['plugins_cost']['median_ms']:7.2f} ms"
          f"  (mean {pl['plugins_cost']['mean_ms']:.2f} ms)")
    return rows



def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kit", default=os.path.join(REPO, ".build/release/kit"), help="kit binary (release)")
    ap.add_argument("--runs", type=int, default=9, help="timed runs per command (default 9)")
    ap.add_argument("--iterations", type=int, default=200, help="`kit plugin bench --iterations` (default 200)")
    ap.add_argument("--keep", action="store_true", help="keep the temp directory")
    ap.add_argument("--json", help="also write the figures as JSON (sorted keys) to this file")
    args = ap.parse_args(argv)
    kit = os.path.abspath(args.kit)
    if not os.access(kit, os.X_OK):
        print(f"terraform_overhead: no kit binary at '{kit}' — run bench/terraform-overhead (it builds one)", file=sys.stderr)
        return 1
    root = tempfile.mkdtemp(prefix="kit-tfbench-", dir="/tmp")
    env = base_environment(root)
    try:
        tf = shutil.which("terraform", path=env["PATH"])
        if tf is None:
            raise CommandFailed("'terraform' is not on PATH — run scripts/setup")
        tf_version = capture([tf, "version"], root, env).splitlines()[0]
        load = os.getloadavg()
        print(f"kit: {kit}\nterraform: {tf} ({tf_version}); cpus={os.cpu_count()} "
              f"load avg (1/5/15 min)={load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}; temp {root}")
        if load[0] > 0.5:
            print("warning: the machine is busy (load > 0.5); timings may be noisy — rerun when nobody is building")
        ov = bench_overhead(kit, tf, root, env, args.runs)
        pl = bench_plugins(kit, tf, root, env, args.runs)
        bench_out, bench_rows = plugin_bench(kit, os.path.join(root, "example"), env, args.iterations)
        targets = report(ov, pl, bench_out, bench_rows, args.runs, args.iterations)
        print(f"load avg after: {os.getloadavg()[0]:.2f}")
        if args.json:
            doc = {"kit": kit, "terraform": tf_version, "loadavg_1m": load[0], "runs": args.runs,
                   "overhead": ov, "plugins": pl, "plugin_bench": bench_rows,
                   "targets": [{"name": n, "value_ms": v, "limit_ms": l, "pass": None if v is None else met(n, v, l)}
                               for n, v, l in targets]}
            with open(args.json, "w") as f:
                json.dump(doc, f, indent=2, sort_keys=True)
                f.write("\n")
        missed = [n for n, v, l in targets if not met(n, v, l)]
        if missed:
            print(f"terraform_overhead: {len(missed)} target(s) missed: " + "; ".join(missed), file=sys.stderr)
            return 1
        return 0
    except CommandFailed as e:
        print(f"terraform_overhead: {e}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
