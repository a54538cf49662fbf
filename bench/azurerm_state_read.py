#!/usr/bin/env python3
"""Time of one `!terraform.state` read on azurerm through the Azure plugin, against asking terraform.

    python3 bench/azurerm_state_read.py [--kit .build/debug/kit] [--runs 7]

In a scratch copy of Tests/KitIntegrationTests/Fixtures/cases: starts tools/azure-blob-fake, deploys
`slow` in the local stack `azure-seed` (real terraform), uploads its state document as slow's azurerm
state blob with azure-storage-blob, then runs `KIT_STATS=1 kit terraform plan relay` --runs times for
  state   relay's `!terraform.state slow label` on azurerm: the Azure plugin's Shared Key GET;
  output  the same value through `!terraform.output slow azure-seed label`: terraform `output -json`
          in slow's working directory (what kit falls back to when no plugin can read a backend;
          here with the local backend, so it is a lower bound: no network round trip to Azure).
and prints kit's `references_ms` (resolving relay's references) for each: min / median / max.
"""
import argparse
import base64
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCOUNT = "kitstate"
KEY = base64.b64encode(b"kit-bench-account-key-not-a-secret").decode()

FALLBACK_STACK = """name: azure-fallback
import:
  - _local
vars:
  stage: azure-fallback
components:
  terraform:
    relay:
      vars:
        upstream: !terraform.output slow azure-seed label
"""


def kit(binary, repo, args, env):
    done = subprocess.run([binary] + args, cwd=repo, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"kit {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kit", default=os.path.join(ROOT, ".build/debug/kit"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="kit-bench-azurerm-")
    server = None
    try:
        repo = os.path.join(scratch, "repo")
        shutil.copytree(os.path.join(ROOT, "Tests/KitIntegrationTests/Fixtures/cases"), repo,
                        ignore=shutil.ignore_patterns(".kit", ".terraform*", "*.tfstate*"))
        server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tools/azure-blob-fake/fake_blob_service.py"),
                                   "--port", "0", "--account", ACCOUNT, "--key", KEY],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        origin = server.stdout.readline().strip().removeprefix("listening on ")
        endpoint = f"{origin}/{ACCOUNT}"
        stack = os.path.join(repo, "stacks/azure-state.yaml")
        with open(stack) as f:
            text = f.read().replace("@AZURE_BLOB_ENDPOINT@", endpoint)
        with open(stack, "w") as f:
            f.write(text)
        with open(os.path.join(repo, "stacks/azure-fallback.yaml"), "w") as f:
            f.write(FALLBACK_STACK)

        env = dict(os.environ, HOME=os.path.join(scratch, "home"), CHECKPOINT_DISABLE="1", NO_COLOR="1",
                   ARM_ACCESS_KEY=KEY, KIT_STATS="1")
        os.makedirs(env["HOME"])
        kit(args.kit, repo, ["terraform", "deploy", "slow", "-s", "azure-seed"], env)
        state = os.path.join(repo, ".kit/state/azure-seed/slow/workspaces/azure-seed/terraform.tfstate")

        from azure.storage.blob import BlobServiceClient
        service = BlobServiceClient(account_url=endpoint, credential={"account_name": ACCOUNT, "account_key": KEY})
        service.create_container("tfstate")
        with open(state, "rb") as f:
            service.get_blob_client("tfstate", "estate/slow.terraform.tfstateenv:azure-state").upload_blob(f.read())

        for label, stack_name, reads in [("state ", "azure-state", "state_reads=1 output_reads=0"),
                                         ("output", "azure-fallback", "state_reads=0 output_reads=1")]:
            times = []
            for _ in range(args.runs):
                out = kit(args.kit, repo, ["terraform", "plan", "relay", "-s", stack_name], env).stderr
                if reads not in out:
                    sys.exit(f"{label}: expected '{reads}' in:\n{out}")
                times.append(float(re.search(r"references_ms=([0-9.]+)", out).group(1)))
            print(f"{label}  references_ms  min {min(times):7.1f}  median {statistics.median(times):7.1f}  max {max(times):7.1f}  ({args.runs} runs)")
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
