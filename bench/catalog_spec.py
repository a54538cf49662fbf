"""Static shape of the synthetic component catalog used by gen_stacks.py.

Each group has an abstract group base (`<group>/base`, file `catalog/<group>/_base.yaml`)
inheriting the shared abstract `common/base` (`catalog/_common.yaml`).
Each component `<name>` lives in `catalog/<group>/<name>.yaml`; when `defaults` is true it
also has an abstract `<name>/defaults` in `catalog/<group>/<name>/defaults.yaml`, giving the
chain  <name> -> <name>/defaults -> <group>/base -> common/base  (otherwise
<name> -> <group>/base -> common/base).
`folder` is the terraform root module under components/terraform (metadata.component).
Components in the `apps` group are abstract mid-level templates whose `apps/base` has no
common root; tenant teams define the real services that inherit them (team service ->
service-x [-> service-x/defaults] -> apps/base).
"""

# group -> list of (name, folder, has_defaults)
CATALOG = {
    "network": [
        ("vpc", "vpc", True),
        ("subnets", "subnets", True),
        ("nat-gateway", "nat-gateway", False),
        ("vpc-endpoints", "vpc-endpoints", False),
        ("dns-zone", "dns/zone", True),
        ("tgw-attachment", "tgw/attachment", False),
        ("vpc-flow-logs", "vpc-flow-logs", False),
    ],
    "security": [
        ("kms-key", "kms-key", True),
        ("iam-roles", "iam/roles", True),
        ("secrets-store", "secrets-store", False),
        ("waf", "waf", False),
        ("guardduty", "guardduty", False),
        ("securityhub", "securityhub", False),
        ("config-rules", "config-rules", False),
    ],
    "monitoring": [
        ("cloudwatch-alarms", "cloudwatch/alarms", True),
        ("log-groups", "cloudwatch/log-groups", False),
        ("dashboards", "cloudwatch/dashboards", False),
        ("sns-alerts", "sns-topic", False),
        ("datadog-integration", "datadog/integration", True),
        ("synthetics", "datadog/synthetics", False),
    ],
    "compute": [
        ("eks-cluster", "eks/cluster", True),
        ("eks-nodegroup", "eks/nodegroup", True),
        ("ecs-cluster", "ecs/cluster", False),
        ("lambda-layer", "lambda-layer", False),
        ("bastion", "bastion", False),
    ],
    "data": [
        ("rds-postgres", "rds/postgres", True),
        ("aurora-mysql", "rds/aurora", True),
        ("dynamodb-table", "dynamodb", False),
        ("elasticache-redis", "elasticache", False),
        ("opensearch", "opensearch", False),
        ("s3-datalake", "s3-bucket", False),
    ],
    "edge": [
        ("alb", "alb", True),
        ("cloudfront", "cloudfront", False),
        ("api-gateway", "api-gateway", False),
        ("acm-certs", "acm", False),
        ("route53-records", "dns/records", False),
    ],
    "storage": [
        ("efs", "efs", False),
        ("backup-vault", "backup", False),
        ("s3-artifacts", "s3-bucket", False),
    ],
    "apps": [
        ("service-api", "ecs-service", True),
        ("service-worker", "ecs-service", True),
        ("service-web", "ecs-service", False),
        ("cron-jobs", "ecs-scheduled-task", False),
        ("queue-consumer", "ecs-service", False),
    ],
    "ci": [
        ("github-oidc", "iam/github-oidc", False),
        ("ecr-repos", "ecr", False),
    ],
}

# What each stage's _defaults.yaml imports from the catalog. A trailing "/*" is a glob import
# of the whole group (all of its files, including `_base.yaml`).
STAGE_CATALOG_IMPORTS = {
    "dev": [
        "catalog/network/*",
        "catalog/security/kms-key",
        "catalog/security/iam-roles",
        "catalog/security/secrets-store",
        "catalog/monitoring/log-groups",
        "catalog/compute/eks-cluster",
        "catalog/compute/eks-nodegroup",
        "catalog/apps/service-api",
        "catalog/apps/service-worker",
        "catalog/apps/service-web",
    ],
    "staging": [
        "catalog/network/*",
        "catalog/security/kms-key",
        "catalog/security/iam-roles",
        "catalog/security/secrets-store",
        "catalog/monitoring/*",
        "catalog/compute/eks-cluster",
        "catalog/compute/eks-nodegroup",
        "catalog/apps/service-api",
        "catalog/apps/service-worker",
        "catalog/apps/service-web",
    ],
    "prod": [
        "catalog/network/*",
        "catalog/security/*",
        "catalog/monitoring/*",
        "catalog/compute/eks-cluster",
        "catalog/compute/eks-nodegroup",
        "catalog/data/rds-postgres",
        "catalog/apps/service-api",
        "catalog/apps/service-worker",
        "catalog/apps/service-web",
    ],
}

ORG_NAMES = ["acme", "globex", "initech", "umbrella", "hooli",
             "stark", "wayne", "wonka", "tyrell", "cyberdyne"]
TENANTS = ["plat", "core", "data", "apps", "edge"]
STAGES = ["dev", "staging", "prod"]
REGIONS = [  # (region, environment short code)
    ("us-east-1", "ue1"), ("us-east-2", "ue2"), ("us-west-2", "uw2"), ("eu-west-1", "ew1"),
    ("eu-central-1", "ec1"), ("ap-southeast-1", "as1"), ("ap-northeast-1", "an1"),
    ("sa-east-1", "se1"),
]
TEAMS = ["payments", "search", "checkout", "identity", "notify", "billing", "reports",
         "gateway", "ingest"]
TEAM_KINDS = ["service-api", "service-worker", "service-web"]
