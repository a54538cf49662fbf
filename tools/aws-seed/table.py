"""The demo's table: every component of a stack with the resources its state held and how long kit took.

    python3 tools/aws-seed/table.py count ENDPOINT BUCKET STACK > counts.json   # after the deploy
    python3 tools/aws-seed/table.py print STACK counts.json DEPLOY_LOG [DESTROY_LOG]

`count` reads every component's state object in BUCKET with boto3 from the local AWS API (not through
kit) and prints the managed resource instances per component as JSON. `print` prints the table:
RESOURCES from those counts, DEPLOY and DESTROY from the DURATION column of kit's summary table in the
captured stderr of `deploy --all` and `destroy --all`. It exits 1 when a deployed component had no
state object.
"""
import json
import sys


def count(endpoint: str, bucket: str, stack: str) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    counts: dict[str, int] = {}
    for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        # <folder>/<workspace>/terraform.tfstate; the workspace is the stack, or `<stack>-<component, / as ->`.
        parts = item["Key"].split("/")
        folder, workspace = parts[0], parts[-2]
        if workspace != stack and not workspace.startswith(stack + "-"):
            continue
        component = folder if workspace == stack else workspace.removeprefix(stack + "-")
        state = json.loads(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
        counts[component] = sum(len(r["instances"]) for r in state.get("resources", []) if r["mode"] == "managed")
    print(json.dumps(counts, sort_keys=True))


def durations(path: str, stack: str) -> dict[str, str]:
    """COMPONENT -> DURATION (or the result when it did not succeed) from kit's last summary table."""
    rows: dict[str, str] = {}
    in_table = False
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            fields = line.split()
            if fields[:2] == ["COMPONENT", "STACK"]:
                in_table, rows = True, {}
            elif in_table and len(fields) >= 4 and fields[1] == stack:
                rows[fields[0]] = fields[3] if fields[2] == "succeeded" else fields[2]
            else:
                in_table = False
    return rows


def table(stack: str, counts_file: str, deploy_log: str, destroy_log: str | None) -> int:
    with open(counts_file, encoding="utf-8") as f:
        counts = json.load(f)
    deployed = durations(deploy_log, stack)
    destroyed = durations(destroy_log, stack) if destroy_log else {}
    missing = []
    print(f"{'COMPONENT':<25} {'RESOURCES':>9}  {'DEPLOY':>8}  {'DESTROY':>8}")
    for name in deployed:
        n = counts.get(name.replace("/", "-"))
        if n is None:
            missing.append(name)
        print(f"{name:<25} {'?' if n is None else n:>9}  {deployed[name]:>8}  {destroyed.get(name, '-'):>8}")
    print(f"{f'{len(deployed)} components':<25} {sum(counts.values()):>9}")
    if missing:
        print(f"table: no state object for {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["count"] and len(sys.argv) == 5:
        count(*sys.argv[2:5])
    elif sys.argv[1:2] == ["print"] and len(sys.argv) in (5, 6):
        sys.exit(table(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) == 6 else None))
    else:
        sys.exit(__doc__)
