"""Secrets Manager: CancelRotateSecret under managed rotation (boto3, moto_local)."""
import unittest

from .server import api


class SecretsManagerTests(unittest.TestCase):
    def setUp(self) -> None:
        self.sm = api().client("secretsmanager")

    def test_managed_rotation_of_an_rds_secret_can_be_cancelled(self) -> None:
        db = api().client("rds").create_db_instance(DBInstanceIdentifier="rotated", DBInstanceClass="db.t3.micro", Engine="postgres",
                                                   AllocatedStorage=20, MasterUsername="admin_user", ManageMasterUserPassword=True)
        arn = db["DBInstance"]["MasterUserSecret"]["SecretArn"]
        self.assertEqual(self.sm.describe_secret(SecretId=arn)["OwningService"], "rds")
        self.sm.rotate_secret(SecretId=arn, RotationRules={"AutomaticallyAfterDays": 30})
        rotating = self.sm.describe_secret(SecretId=arn)
        self.assertTrue(rotating["RotationEnabled"])
        self.assertEqual(rotating["RotationRules"]["AutomaticallyAfterDays"], 30)

        self.assertEqual(self.sm.cancel_rotate_secret(SecretId=arn)["ARN"], arn)
        cancelled = self.sm.describe_secret(SecretId=arn)
        self.assertFalse(cancelled["RotationEnabled"])
        self.assertNotIn("NextRotationDate", cancelled)

    def test_a_secret_of_nobody_without_a_rotation_lambda_is_still_refused(self) -> None:
        arn = self.sm.create_secret(Name="plain", SecretString="x")["ARN"]
        with self.assertRaises(self.sm.exceptions.InvalidRequestException):
            self.sm.cancel_rotate_secret(SecretId=arn)


if __name__ == "__main__":
    unittest.main()
