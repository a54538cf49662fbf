"""RDS: a DbiResourceId per instance; a replica with its own identity; Performance Insights (boto3, moto_local)."""
import re
import unittest

from .server import api


class RDSTests(unittest.TestCase):
    def setUp(self) -> None:
        self.rds = api().client("rds")

    def create(self, name: str, **extra: object) -> dict:
        return self.rds.create_db_instance(DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="postgres",
                                           AllocatedStorage=20, MasterUsername="admin_user", **extra)["DBInstance"]

    def test_every_instance_has_its_own_resource_id_of_the_aws_shape(self) -> None:
        ids = [self.create(f"unique-{n}", MasterUserPassword="password123")["DbiResourceId"] for n in range(3)]
        self.assertEqual(len(set(ids)), 3, ids)
        for dbi in ids:
            self.assertRegex(dbi, r"^db-[A-Z0-9]{26}$")
        found = self.rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [ids[1]]}])["DBInstances"]
        self.assertEqual([d["DBInstanceIdentifier"] for d in found], ["unique-1"])

    def test_a_replica_resolves_by_its_own_id_and_leaves_the_primary_secret_alone(self) -> None:
        primary = self.create("primary", ManageMasterUserPassword=True, Tags=[{"Key": "Role", "Value": "primary"}])
        secret_arn = primary["MasterUserSecret"]["SecretArn"]
        replica = self.rds.create_db_instance_read_replica(DBInstanceIdentifier="replica", SourceDBInstanceIdentifier="primary",
                                                           Tags=[{"Key": "Role", "Value": "replica"}])["DBInstance"]
        self.assertNotEqual(replica["DbiResourceId"], primary["DbiResourceId"])
        self.assertNotIn("MasterUserSecret", replica)
        for ident, role in [(primary["DbiResourceId"], "primary"), (replica["DbiResourceId"], "replica")]:
            found = self.rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [ident]}])["DBInstances"]
            self.assertEqual(len(found), 1)
            tags = self.rds.list_tags_for_resource(ResourceName=found[0]["DBInstanceArn"])["TagList"]
            self.assertEqual({t["Key"]: t["Value"] for t in tags}.get("Role"), role)
        self.assertEqual(self.rds.describe_db_instances(DBInstanceIdentifier="primary")["DBInstances"][0]["ReadReplicaDBInstanceIdentifiers"], ["replica"])

        self.rds.delete_db_instance(DBInstanceIdentifier="replica", SkipFinalSnapshot=True)
        secrets = api().client("secretsmanager")
        described = secrets.describe_secret(SecretId=secret_arn)
        self.assertIsNone(described.get("DeletedDate"))
        self.assertTrue(re.match(r"^rds", described["Name"]), described["Name"])

    def test_performance_insights_are_kept_and_reported(self) -> None:
        key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
        created = self.create("insights", MasterUserPassword="password123", EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId=key)
        self.assertEqual((created["PerformanceInsightsEnabled"], created["PerformanceInsightsKMSKeyId"], created["PerformanceInsightsRetentionPeriod"]),
                         (True, key, 7))
        replica = self.rds.create_db_instance_read_replica(DBInstanceIdentifier="insights-replica", SourceDBInstanceIdentifier="insights",
                                                           EnablePerformanceInsights=False)["DBInstance"]
        self.assertFalse(replica["PerformanceInsightsEnabled"])
        self.assertNotIn("PerformanceInsightsKMSKeyId", replica)
        self.assertTrue(self.rds.describe_db_instances(DBInstanceIdentifier="insights")["DBInstances"][0]["PerformanceInsightsEnabled"])

        self.rds.modify_db_instance(DBInstanceIdentifier="insights", EnablePerformanceInsights=False, ApplyImmediately=True)
        off = self.rds.describe_db_instances(DBInstanceIdentifier="insights")["DBInstances"][0]
        self.assertFalse(off["PerformanceInsightsEnabled"])
        self.assertNotIn("PerformanceInsightsRetentionPeriod", off)
        plain = self.create("no-insights", MasterUserPassword="password123")
        self.assertFalse(plain["PerformanceInsightsEnabled"])


if __name__ == "__main__":
    unittest.main()
