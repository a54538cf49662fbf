"""AWS Backup selections; ListTags as the aws provider sends it (boto3, moto_local)."""
import json
import unittest
import urllib.request

from .server import api

ROLE = "arn:aws:iam::123456789012:role/backup"
SELECTION = {
    "SelectionName": "tagged",
    "IamRoleArn": ROLE,
    "Resources": ["*"],
    "ListOfTags": [],
    "NotResources": [],
    "Conditions": {"StringEquals": [{"ConditionKey": "aws:ResourceTag/Backup", "ConditionValue": "true"}]},
}


class BackupTests(unittest.TestCase):
    def setUp(self) -> None:
        self.backup = api().client("backup")

    def plan(self, name: str) -> str:
        self.backup.create_backup_vault(BackupVaultName=name)
        return self.backup.create_backup_plan(BackupPlan={"BackupPlanName": name, "Rules": [
            {"RuleName": "daily", "TargetBackupVaultName": name, "ScheduleExpression": "cron(0 5 * * ? *)"}]})["BackupPlanId"]

    def test_a_selection_is_read_back_as_sent_listed_and_deleted(self) -> None:
        plan_id = self.plan("selected")
        created = self.backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=SELECTION, CreatorRequestId="req-1")
        selection_id = created["SelectionId"]
        self.assertEqual(created["BackupPlanId"], plan_id)

        got = self.backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
        self.assertEqual(got["BackupSelection"], SELECTION)
        self.assertEqual((got["SelectionId"], got["CreatorRequestId"]), (selection_id, "req-1"))

        listed = self.backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
        self.assertEqual([(s["SelectionId"], s["SelectionName"], s["IamRoleArn"]) for s in listed], [(selection_id, "tagged", ROLE)])

        with self.assertRaises(self.backup.exceptions.InvalidRequestException):
            self.backup.delete_backup_plan(BackupPlanId=plan_id)

        self.backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
        with self.assertRaises(self.backup.exceptions.ResourceNotFoundException):
            self.backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
        self.assertEqual(self.backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"], [])
        self.backup.delete_backup_plan(BackupPlanId=plan_id)

    def test_unknown_plans_and_bad_selections_are_refused(self) -> None:
        with self.assertRaisesRegex(self.backup.exceptions.InvalidParameterValueException, "Cannot find Backup plan"):
            self.backup.get_backup_selection(BackupPlanId="no-such-plan", SelectionId="x")
        plan_id = self.plan("refusing")
        with self.assertRaises(self.backup.exceptions.InvalidParameterValueException):
            self.backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=dict(SELECTION, SelectionName="x" * 51))
        self.backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=SELECTION)
        with self.assertRaises(self.backup.exceptions.InvalidRequestException):
            self.backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=SELECTION)


    def test_tags_are_listed_with_or_without_the_trailing_slash(self) -> None:
        arn = self.backup.create_backup_vault(BackupVaultName="tagged-vault", BackupVaultTags={"Owner": "platform"})["BackupVaultArn"]
        self.assertEqual(self.backup.list_tags(ResourceArn=arn)["Tags"], {"Owner": "platform"})
        # The Go SDK's request: no slash after the ARN.
        request = urllib.request.Request(f"{api().endpoint}/tags/{arn}", headers={
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=0"})
        with urllib.request.urlopen(request) as response:
            self.assertEqual(json.load(response)["Tags"], {"Owner": "platform"})

if __name__ == "__main__":
    unittest.main()
