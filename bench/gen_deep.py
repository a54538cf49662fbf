#!/usr/bin/env python3
"""Deep-inheritance repository for issue 23 (bench/deep.py): shaped like a large atmos estate.

909 manifests, 200 stacks (5 orgs x 2 tenants x 4 stages x 5 regions), 45 components per stack, each a
three-level `metadata.inherits` chain (common/base -> <group>/base -> <name>/defaults -> <name>) with
two mixins, per-stack overrides of inherited lists and maps, about 6 KB of merged configuration per
instance. Deterministic (no randomness): the same arguments give the same bytes.
Usage: gen_deep.py <out dir>
"""
import os, sys

ORGS = [f"org{i}" for i in range(5)]
TENANTS = ["core", "apps"]
STAGES = ["dev", "staging", "prod", "sandbox"]
REGIONS = {"us-east-1": "use1", "us-west-2": "usw2", "eu-west-1": "euw1", "eu-central-1": "euc1", "ap-south-1": "aps1"}
GROUPS = ["network", "compute", "data", "security", "observability", "messaging", "storage", "identity", "edge"]
PER_GROUP = 5  # 45 components
TEAMS_PER_TENANT = 14


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)


def block(indent, mapping):
    """A YAML block for a dict of str -> scalar | list[str] | dict[str, scalar]."""
    pad = " " * indent
    out = []
    for k, v in mapping.items():
        if isinstance(v, list):
            out.append(f"{pad}{k}:")
            out.extend(f"{pad}  - {x}" for x in v)
        elif isinstance(v, dict):
            out.append(f"{pad}{k}:")
            out.extend(f"{pad}  {a}: {b}" for a, b in v.items())
        else:
            out.append(f"{pad}{k}: {v}")
    return "\n".join(out) + "\n"


def components():
    return [(g, f"{g}-{i}") for g in GROUPS for i in range(PER_GROUP)]


def generate(root):
    write(root, "kit.yaml", """base_path: "."
components:
  terraform:
    base_path: components/terraform
stacks:
  base_path: stacks
  included_paths: ["orgs/**/*"]
  excluded_paths: ["**/_defaults.yaml"]
  name_pattern: "{tenant}-{environment}-{stage}"
""")
    for _, name in components():
        write(root, f"components/terraform/{name}/main.tf", 'variable "name" {\n  type    = string\n  default = ""\n}\n')
    # Level 0: common/base and the mixins.
    common = {"enabled": "true", "namespace": "acme", "label_order": ["namespace", "tenant", "environment", "stage", "name"],
              "tags": {f"common_tag_{i}": f"value-{i}" for i in range(6)},
              "logging": {"retention_days": 30, "format": "json", "level": "info", "sink": "cloudwatch"},
              "allowed_cidrs": [f"10.{i}.0.0/16" for i in range(5)]}
    write(root, "stacks/catalog/_common.yaml",
          "components:\n  terraform:\n    common/base:\n      metadata:\n        type: abstract\n      vars:\n" + block(8, common)
          + "      settings:\n" + block(8, {"owner": "platform", "tier": "standard", "review": {"required": "true", "approvers": 2}}))
    for mixin in ["logging", "monitoring"]:
        v = {f"{mixin}_{k}": f"{mixin}-default-{k}" for k in range(5)}
        v[f"{mixin}_targets"] = [f"{mixin}-target-{k}" for k in range(4)]
        write(root, f"stacks/catalog/mixins/{mixin}.yaml",
              f"components:\n  terraform:\n    mixin/{mixin}:\n      metadata:\n        type: abstract\n      vars:\n" + block(8, v))
    # Level 1: one base per group.
    for g in GROUPS:
        v = {f"{g}_setting_{k}": f"{g}-value-{k}" for k in range(8)}
        v["tags"] = {f"{g}_tag_{k}": f"{g}-{k}" for k in range(3)}
        v[f"{g}_features"] = [f"{g}-feature-{k}" for k in range(5)]
        write(root, f"stacks/catalog/{g}/_base.yaml",
              f"components:\n  terraform:\n    {g}/base:\n      metadata:\n        type: abstract\n        inherits: [common/base]\n      vars:\n" + block(8, v))
    # Levels 2 and 3: defaults (with the mixins) and the component.
    for g, name in components():
        d = {f"{name.replace('-', '_')}_default_{k}": f"default-{k}" for k in range(8)}
        d["tags"] = {f"component": name, "group": g}
        d["sizes"] = {"small": 1, "medium": 2, "large": 4, "xlarge": 8}
        write(root, f"stacks/catalog/{g}/{name}/defaults.yaml",
              f"components:\n  terraform:\n    {name}/defaults:\n      metadata:\n        type: abstract\n"
              f"        inherits: [{g}/base, mixin/logging, mixin/monitoring]\n      vars:\n" + block(8, d))
        c = {"name": name, f"{name.replace('-', '_')}_port": 8000 + len(name), "instance_count": 2,
             "subnets": [f"subnet-{name}-{k}" for k in range(6)]}
        write(root, f"stacks/catalog/{g}/{name}.yaml",
              f"import:\n  - catalog/{g}/{name}/defaults\ncomponents:\n  terraform:\n    {name}:\n      metadata:\n"
              f"        component: {name}\n        inherits: [{name}/defaults]\n      vars:\n" + block(8, c))
    for region, short in REGIONS.items():
        write(root, f"stacks/mixins/region/{region}.yaml", f"vars:\n  region: {region}\n  environment: {short}\n")
    for stage in STAGES:
        write(root, f"stacks/mixins/stage/{stage}.yaml", f"vars:\n  stage: {stage}\n")
    catalog_imports = ["catalog/_common", "catalog/mixins/*"] + [f"catalog/{g}/_base" for g in GROUPS] + \
        [f"catalog/{g}/{n}" for g, n in components()]
    for org in ORGS:
        write(root, f"stacks/orgs/{org}/_defaults.yaml",
              "terraform:\n  backend_type: s3\n  backend:\n    s3:\n      bucket: acme-" + org + "-tfstate\n      region: us-east-1\n"
              "vars:\n  namespace: " + org + "\n  tags:\n    org: " + org + "\n")
        for tenant in TENANTS:
            write(root, f"stacks/orgs/{org}/{tenant}/_defaults.yaml",
                  f"import:\n  - orgs/{org}/_defaults\nvars:\n  tenant: {org}{tenant}\n")
            for k in range(TEAMS_PER_TENANT):
                g, name = components()[(k * 3) % 45]
                write(root, f"stacks/teams/{org}/{tenant}/team-{k}.yaml",
                      f"components:\n  terraform:\n    {name}:\n      settings:\n        team_{k}:\n          owner: team-{k}\n"
                      f"          pager: team-{k}@example.com\n")
            for stage in STAGES:
                write(root, f"stacks/orgs/{org}/{tenant}/{stage}/_defaults.yaml",
                      "import:\n" + "".join(f"  - {i}\n" for i in [f"orgs/{org}/{tenant}/_defaults", f"mixins/stage/{stage}"]
                                            + catalog_imports + [f"teams/{org}/{tenant}/*"]))
                for region, short in REGIONS.items():
                    base = f"{org}/{tenant}/{stage}/{region}"
                    overrides = []
                    for g, name in components()[::4]:
                        overrides.append(f"    {name}:\n      vars:\n        allowed_cidrs:\n          - 172.16.{len(overrides)}.0/24\n"
                                         f"        tags:\n          stack_override: {short}-{stage}\n          common_tag_3: overridden\n"
                                         f"        logging:\n          level: debug\n")
                    write(root, f"stacks/overrides/{base}.yaml", "components:\n  terraform:\n" + "".join(overrides))
                    write(root, f"stacks/networks/{base}.yaml",
                          "components:\n  terraform:\n    network-0:\n      vars:\n        cidr: 10.20.0.0/16\n"
                          "        subnets:\n" + "".join(f"          - subnet-{short}-{k}\n" for k in range(4)))
                    write(root, f"stacks/orgs/{base}.yaml",
                          "import:\n" + "".join(f"  - {i}\n" for i in [f"orgs/{org}/{tenant}/{stage}/_defaults", f"mixins/region/{region}",
                                                                        f"overrides/{base}", f"networks/{base}"]))


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    generate(sys.argv[1])
    count = sum(len([f for f in fs if f.endswith(".yaml")]) for _, _, fs in os.walk(os.path.join(sys.argv[1], "stacks")))
    print(f"gen_deep: {count} manifests in {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
