"""What a local AWS API holds of stack acme-local-use1, read with boto3 alone (never kit or terraform).

    python3 tools/aws-seed/facts.py http://127.0.0.1:4566

Prints one JSON object (sorted keys) that Tests/KitIntegrationTests/AWSSeedTests.swift asserts on: an
inventory of what exists (to check that destroy removed it) and, per claim of the seeds, the values as
deployed — flow logs, log retention, RDS settings and the replica, the master secret's rotation,
DynamoDB point-in-time recovery, the backup vault/plan/selection, launch template metadata options,
the dashboard and alarms, security group rules, the runner bucket's hardening, permissions boundaries,
and the Step Functions definition (every leaf by its path) with the pipe that feeds it. AWS credentials: AWS_ACCESS_KEY_ID etc.
"""
import json
import sys

import boto3

ENDPOINT = sys.argv[1]
PREFIX = "acme-local-use1"
REQUIRED_TAGS = ["Environment", "Owner", "CostCenter"]


def client(name):  # type: ignore[no-untyped-def]
    return boto3.client(name, endpoint_url=ENDPOINT, region_name="us-east-1")


def flatten(value, path=""):  # type: ignore[no-untyped-def]
    """{"/A/B/0": scalar}: every leaf of a JSON document by its path; strings as they are, others as JSON."""
    if isinstance(value, dict):
        return {k: v for key in value for k, v in flatten(value[key], f"{path}/{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in flatten(item, f"{path}/{i}").items()}
    return {path: value if isinstance(value, str) else json.dumps(value)}


def kv(items, key="Key", value="Value"):  # type: ignore[no-untyped-def]
    return {t[key]: t[value] for t in items or []}


s3, ddb, iam, lam, apigw, ec2 = (client(n) for n in ("s3", "dynamodb", "iam", "lambda", "apigatewayv2", "ec2"))
rds, sm, ecs, logs, kms, cw = (client(n) for n in ("rds", "secretsmanager", "ecs", "logs", "kms", "cloudwatch"))
backup, sns, sfn, pipes = (client(n) for n in ("backup", "sns", "stepfunctions", "pipes"))

untagged: list[str] = []


def judge(what: str, tags: dict) -> None:
    if any(not tags.get(k) for k in REQUIRED_TAGS):
        untagged.append(what)


f: dict = {"buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"]),
           "tables": sorted(ddb.list_tables()["TableNames"])}

# IAM roles and their permissions boundary.
roles = [r for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(("acme-", "guardrail-"))]
f["roles"] = sorted(r["RoleName"] for r in roles)
f["roleBoundaries"] = {}
for r in roles:
    full = iam.get_role(RoleName=r["RoleName"])["Role"]
    f["roleBoundaries"][r["RoleName"]] = full.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn", "")
    judge("iam role " + r["RoleName"], kv(full.get("Tags")))

# ChatOps: lambda, API stage throttling.
fns = lam.list_functions()["Functions"]
f["functions"] = sorted(fn["FunctionName"] for fn in fns)
f["lambdaEnvironment"], f["lambdaRole"] = {}, ""
for fn in fns:
    conf = lam.get_function(FunctionName=fn["FunctionName"])
    f["lambdaEnvironment"] = conf["Configuration"].get("Environment", {}).get("Variables", {})
    f["lambdaRole"] = conf["Configuration"]["Role"]
    judge("lambda " + fn["FunctionName"], conf.get("Tags", {}))
apis = apigw.get_apis()["Items"]
f["apis"] = sorted(a["Name"] for a in apis)
f["stageThrottling"] = {}
for a in apis:
    judge("api " + a["Name"], a.get("Tags", {}))
    for st in apigw.get_stages(ApiId=a["ApiId"])["Items"]:
        rs = st.get("DefaultRouteSettings", {})
        f["stageThrottling"] = {"rate": float(rs.get("ThrottlingRateLimit", -1)), "burst": float(rs.get("ThrottlingBurstLimit", -1))}

# DynamoDB: the run requests table's stream and point-in-time recovery.
f["streamViewType"], f["pointInTimeRecovery"] = "", {}
for t in f["tables"]:
    d = ddb.describe_table(TableName=t)["Table"]
    if t.startswith(PREFIX):
        stream = d.get("StreamSpecification", {})
        f["streamViewType"] = stream.get("StreamViewType", "") if stream.get("StreamEnabled") else ""
        backups = ddb.describe_continuous_backups(TableName=t)["ContinuousBackupsDescription"]
        f["pointInTimeRecovery"][t] = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus", "")
        judge("dynamodb " + t, kv(ddb.list_tags_of_resource(ResourceArn=d["TableArn"]).get("Tags")))

# The ECS runner's bucket: KMS at rest, versioning, lifecycle, public access block, TLS-only policy.
f["runnerBucket"] = {}
for b in f["buckets"]:
    if b.endswith("-artifacts"):
        enc = s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
        rule = s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]
        block = s3.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
        policy = json.loads(s3.get_bucket_policy(Bucket=b)["Policy"])
        f["runnerBucket"] = {"versioning": s3.get_bucket_versioning(Bucket=b).get("Status", ""),
                             "sse": enc["SSEAlgorithm"], "kms": enc.get("KMSMasterKeyID", ""),
                             "lifecycle": rule["Status"] + " noncurrent " + str(rule["NoncurrentVersionExpiration"]["NoncurrentDays"])
                             + " abort-multipart " + str(rule.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation", "")),
                             "publicAccessBlock": ",".join(k for k in sorted(block) if block[k]),
                             "policy": ",".join(sorted(s["Effect"] + " " + s.get("Sid", "") for s in policy["Statement"]))}
        judge("bucket " + b, kv(s3.get_bucket_tagging(Bucket=b).get("TagSet")))

# Launch templates: IMDSv2 and encrypted volumes.
lts = ec2.describe_launch_templates()["LaunchTemplates"]
f["launchTemplates"] = sorted(t["LaunchTemplateName"] for t in lts)
f["launchTemplateTokens"], f["launchTemplateData"] = {}, {}
for t in lts:
    data = ec2.describe_launch_template_versions(LaunchTemplateId=t["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    meta = data.get("MetadataOptions", {})
    f["launchTemplateTokens"][t["LaunchTemplateName"]] = meta.get("HttpTokens", "")
    f["launchTemplateData"][t["LaunchTemplateName"]] = {
        "tokens": meta.get("HttpTokens", ""), "endpoint": meta.get("HttpEndpoint", ""),
        "hopLimit": str(meta.get("HttpPutResponseHopLimit", "")),
        "volumesEncrypted": ",".join(str(m.get("Ebs", {}).get("Encrypted", "")) for m in data.get("BlockDeviceMappings", [])),
    }
    judge("launch template " + t["LaunchTemplateName"], kv(t.get("Tags")))

# VPC, subnets and flow logs.
vpcs = [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
f["vpcs"] = sorted(v["VpcId"] for v in vpcs)
for v in vpcs:
    judge("vpc " + v["VpcId"], kv(v.get("Tags")))
subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": f["vpcs"] or ["none"]}])["Subnets"]
# In availability-zone order: the vpc module creates them by count over the sorted zone names, and its
# private_subnet_ids output (what the enclave runner's state machine lists) keeps that order.
f["privateSubnets"] = [s["SubnetId"] for s in sorted((s for s in subnets if kv(s.get("Tags")).get("Tier") == "private"),
                                                     key=lambda s: (s["AvailabilityZone"], s["SubnetId"]))]
for s in subnets:
    judge("subnet " + s["SubnetId"], kv(s.get("Tags")))
f["flowLogs"] = sorted(({"resource": fl["ResourceId"], "traffic": fl["TrafficType"], "destinationType": fl["LogDestinationType"],
                         "destination": fl.get("LogDestination", ""), "role": fl.get("DeliverLogsPermissionArn", ""),
                         "status": fl["FlowLogStatus"]} for fl in ec2.describe_flow_logs()["FlowLogs"]), key=lambda x: x["resource"])

# Security groups and their rules ("in|out protocol from-to cidr").
groups = {g["GroupId"]: g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]}
f["securityGroups"] = sorted(n for n in groups.values() if n != "default")
f["securityGroupRules"] = {}
for r in ec2.describe_security_group_rules()["SecurityGroupRules"]:
    name = groups.get(r["GroupId"], r["GroupId"])
    if name.startswith(PREFIX):
        text = f"{'out' if r['IsEgress'] else 'in'} {r['IpProtocol']} {r['FromPort']}-{r['ToPort']} {r.get('CidrIpv4', r.get('ReferencedGroupInfo', {}).get('GroupId', ''))}"
        f["securityGroupRules"].setdefault(name, []).append(text)
for rules in f["securityGroupRules"].values():
    rules.sort()

# RDS: the primary and its replica, as deployed.
f["dbInstances"], f["rds"] = [], {}
for d in rds.describe_db_instances()["DBInstances"]:
    f["dbInstances"].append(d["DBInstanceIdentifier"])
    f["rds"][d["DBInstanceIdentifier"]] = {
        "engine": d["Engine"] + " " + d.get("EngineVersion", ""), "class": d["DBInstanceClass"],
        "storage": f"{d.get('StorageType', '')} {d['AllocatedStorage']}..{d.get('MaxAllocatedStorage', '')} GB",
        "encrypted": str(d.get("StorageEncrypted", False)), "kmsKey": "customer" if d.get("KmsKeyId", "").startswith("arn:aws:kms:") else d.get("KmsKeyId", ""),
        "public": str(d.get("PubliclyAccessible")), "multiAZ": str(d.get("MultiAZ")),
        "backup": f"{d['BackupRetentionPeriod']} days {d.get('PreferredBackupWindow', '')}",
        "maintenance": d.get("PreferredMaintenanceWindow", ""), "deletionProtection": str(d.get("DeletionProtection")),
        "performanceInsights": str(d.get("PerformanceInsightsEnabled")), "copyTagsToSnapshot": str(d.get("CopyTagsToSnapshot")),
        "securityGroups": ",".join(sorted(groups.get(g["VpcSecurityGroupId"], g["VpcSecurityGroupId"]) for g in d.get("VpcSecurityGroups", []))),
        "masterSecret": "managed" if d.get("MasterUserSecret", {}).get("SecretArn") else "none",
        "source": d.get("ReadReplicaSourceDBInstanceIdentifier", ""),
        "replicas": ",".join(d.get("ReadReplicaDBInstanceIdentifiers", [])),
        "backupTag": kv(d.get("TagList")).get("Backup", ""),
    }
    judge("db instance " + d["DBInstanceIdentifier"], kv(d.get("TagList")))
f["dbInstances"].sort()
f["dbiResourceIds"] = sorted(d["DbiResourceId"] for d in rds.describe_db_instances()["DBInstances"])

# Secrets and the rotation of RDS-managed ones.
secrets = [s for s in sm.list_secrets()["SecretList"] if not s.get("DeletedDate")]
f["secrets"] = sorted(s["Name"] for s in secrets)
f["rotation"] = {}
for s in secrets:
    d = sm.describe_secret(SecretId=s["ARN"])
    # A secret a service owns (RDS's managed master password) is that service's, like AWS-managed keys.
    if not d.get("OwningService"):
        judge("secret " + s["Name"], kv(s.get("Tags")))
    if d.get("OwningService") or d.get("RotationEnabled"):
        f["rotation"][s["Name"]] = {"enabled": str(d.get("RotationEnabled", False)), "owner": d.get("OwningService", ""),
                                    "days": str(d.get("RotationRules", {}).get("AutomaticallyAfterDays", "")),
                                    "description": d.get("Description", "")}

# ECS: active clusters and the task definition the state machine must start.
arns = ecs.list_clusters()["clusterArns"]
active = [c["clusterArn"] for c in (ecs.describe_clusters(clusters=arns)["clusters"] if arns else []) if c["status"] == "ACTIVE"]
f["clusters"] = sorted(a.split("/")[-1] for a in active)
f["clusterArns"] = sorted(active)
f["taskDefinitions"] = sorted(ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"])
for a in active:
    judge("ecs cluster " + a, kv(ecs.list_tags_for_resource(resourceArn=a).get("tags", []), "key", "value"))

# Log groups: retention.
f["logRetention"] = {}
for g in logs.describe_log_groups()["logGroups"]:
    f["logRetention"][g["logGroupName"]] = g.get("retentionInDays", 0)
    judge("log group " + g["logGroupName"], logs.list_tags_log_group(logGroupName=g["logGroupName"]).get("tags", {}))

# KMS: customer keys rotate and carry the tags (AWS-managed alias/aws/* keys are not the stack's).
aliases = kms.list_aliases()["Aliases"]
managed = {a.get("TargetKeyId") for a in aliases if a["AliasName"].startswith("alias/aws/")}
f["kmsKeysWithoutRotation"] = []
for k in kms.list_keys()["Keys"]:
    meta = kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
    if k["KeyId"] not in managed and meta.get("KeyState") == "Enabled":
        judge("kms key " + k["KeyId"], kv(kms.list_resource_tags(KeyId=k["KeyId"]).get("Tags", []), "TagKey", "TagValue"))
        if not kms.get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"]:
            f["kmsKeysWithoutRotation"].append(k["KeyId"])
key_aliases = {a.get("TargetKeyId"): a["AliasName"] for a in aliases}

# AWS Backup: vault (with its key), plan rules, the tag selection.
f["backupVaults"], f["backupPlans"], f["backupSelections"] = {}, {}, {}
for v in backup.list_backup_vaults()["BackupVaultList"]:
    key = v.get("EncryptionKeyArn", "")
    f["backupVaults"][v["BackupVaultName"]] = key_aliases.get(key.split("/")[-1], key)
for p in backup.list_backup_plans()["BackupPlansList"]:
    plan = backup.get_backup_plan(BackupPlanId=p["BackupPlanId"])["BackupPlan"]
    f["backupPlans"][plan["BackupPlanName"]] = sorted(
        f"{r['RuleName']} {r['ScheduleExpression']} -> {r['TargetBackupVaultName']} cold {r.get('Lifecycle', {}).get('MoveToColdStorageAfterDays', '-')}"
        f" delete {r.get('Lifecycle', {}).get('DeleteAfterDays', '-')}" for r in plan["Rules"])
    for s in backup.list_backup_selections(BackupPlanId=p["BackupPlanId"])["BackupSelectionsList"]:
        sel = backup.get_backup_selection(BackupPlanId=p["BackupPlanId"], SelectionId=s["SelectionId"])["BackupSelection"]
        conditions = [f"{c['ConditionKey']}={c['ConditionValue']}" for c in sel.get("Conditions", {}).get("StringEquals", [])]
        f["backupSelections"][sel["SelectionName"]] = {"plan": plan["BackupPlanName"], "role": sel["IamRoleArn"],
                                                       "resources": ",".join(sel.get("Resources", [])), "stringEquals": ",".join(sorted(conditions))}

# CloudWatch: dashboards (widget titles) and alarms, with the SNS topic they notify.
f["dashboards"], f["dashboardWidgets"] = [], {}
for d in cw.list_dashboards()["DashboardEntries"]:
    f["dashboards"].append(d["DashboardName"])
    body = json.loads(cw.get_dashboard(DashboardName=d["DashboardName"])["DashboardBody"])
    f["dashboardWidgets"][d["DashboardName"]] = [w["properties"]["title"] for w in body["widgets"]]
f["dashboards"].sort()
f["alarms"] = {}
for a in cw.describe_alarms()["MetricAlarms"]:
    f["alarms"][a["AlarmName"]] = {
        "metric": f"{a['Namespace']} {a['MetricName']} {a['Statistic']}", "comparison": f"{a['ComparisonOperator']} {int(a['Threshold']) if a['Threshold'] == int(a['Threshold']) else a['Threshold']}",
        "dimensions": ",".join(f"{d['Name']}={d['Value']}" for d in a.get("Dimensions", [])),
        "periods": f"{a['EvaluationPeriods']}x{a['Period']}s", "actions": ",".join(x.split(":")[-1] for x in a.get("AlarmActions", [])),
    }
f["topics"] = {}
for t in sns.list_topics()["Topics"]:
    attributes = sns.get_topic_attributes(TopicArn=t["TopicArn"])["Attributes"]
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=t["TopicArn"])["Subscriptions"]
    f["topics"][t["TopicArn"].split(":")[-1]] = {"kms": attributes.get("KmsMasterKeyId", ""),
                                                 "subscriptions": ",".join(sorted(s["Protocol"] + ":" + s["Endpoint"] for s in subscriptions))}

# Step Functions: the definition as deployed, and the pipe from the requests stream.
f["stateMachines"] = {}
for m in sfn.list_state_machines()["stateMachines"]:
    d = sfn.describe_state_machine(stateMachineArn=m["stateMachineArn"])
    f["stateMachines"][m["name"]] = {"role": d["roleArn"], "definition": flatten(json.loads(d["definition"]))}
f["pipes"] = {}
for p in pipes.list_pipes()["Pipes"]:
    d = pipes.describe_pipe(Name=p["Name"])
    stream = d.get("SourceParameters", {}).get("DynamoDBStreamParameters", {})
    f["pipes"][p["Name"]] = {"source": d["Source"].split("/stream/")[0], "target": d["Target"], "state": d.get("CurrentState", ""),
                             "filters": ",".join(x["Pattern"] for x in d.get("SourceParameters", {}).get("FilterCriteria", {}).get("Filters", [])),
                             "stream": f"{stream.get('StartingPosition', '')} batch {stream.get('BatchSize', '')} parallel {stream.get('ParallelizationFactor', '')}"}

f["untagged"] = untagged
print(json.dumps(f, sort_keys=True, default=str))
