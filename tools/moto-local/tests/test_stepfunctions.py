"""Step Functions: ValidateStateMachineDefinition and ListStateMachineVersions (boto3, moto_local)."""
import json
import unittest

from .server import api

ROLE = "arn:aws:iam::123456789012:role/states"
VALID = {"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "End": True}}}


class StepFunctionsTests(unittest.TestCase):
    def setUp(self) -> None:
        self.sfn = api().client("stepfunctions")

    def validate(self, definition: object) -> dict:
        text = definition if isinstance(definition, str) else json.dumps(definition)
        return self.sfn.validate_state_machine_definition(definition=text, type="STANDARD")

    def test_a_valid_definition_is_ok(self) -> None:
        result = self.validate(VALID)
        self.assertEqual(result["result"], "OK")
        self.assertEqual(result["diagnostics"], [])

    def test_nested_parallel_and_map_states_are_checked(self) -> None:
        branch = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
        ok = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [branch], "Next": "M"},
                                         "M": {"Type": "Map", "ItemProcessor": branch, "End": True}}}
        self.assertEqual(self.validate(ok)["result"], "OK")
        broken = json.loads(json.dumps(ok))
        broken["States"]["M"]["ItemProcessor"]["States"]["A"] = {"Type": "Pass"}
        result = self.validate(broken)
        self.assertEqual(result["result"], "FAIL")
        self.assertEqual([d["location"] for d in result["diagnostics"]], ["/States/M/ItemProcessor/States/A"])

    def test_invalid_definitions_fail_with_error_diagnostics(self) -> None:
        cases = {
            "{not json": "INVALID_JSON_DESCRIPTION",
            json.dumps({"StartAt": "Nowhere", "States": VALID["States"]}): "MISSING_TRANSITION_TARGET",
            json.dumps({"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "x"}}}): "MISSING_END_STATE",
            json.dumps({"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "x", "Next": "Gone"}}}): "MISSING_TRANSITION_TARGET",
            json.dumps({"StartAt": "Run", "States": {"Run": {"Type": "Teleport", "End": True}}}): "SCHEMA_VALIDATION_FAILED",
            json.dumps({"StartAt": "Run", "States": {"Run": {"Type": "Task", "End": True}}}): "SCHEMA_VALIDATION_FAILED",
            json.dumps({"StartAt": "Run", "States": {}}): "SCHEMA_VALIDATION_FAILED",
        }
        for definition, code in cases.items():
            with self.subTest(definition=definition):
                result = self.validate(definition)
                self.assertEqual(result["result"], "FAIL")
                self.assertIn(code, [d["code"] for d in result["diagnostics"]])
                self.assertTrue(all(d["severity"] == "ERROR" for d in result["diagnostics"]))

    def test_versions_are_listed_newest_first(self) -> None:
        arn = self.sfn.create_state_machine(name="versioned", definition=json.dumps(VALID), roleArn=ROLE, publish=True)["stateMachineArn"]
        self.sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(VALID), publish=True)
        versions = self.sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
        self.assertEqual([v["stateMachineVersionArn"] for v in versions], [arn + ":2", arn + ":1"])

    def test_an_unpublished_machine_has_no_versions_and_an_unknown_one_is_an_error(self) -> None:
        arn = self.sfn.create_state_machine(name="unpublished", definition=json.dumps(VALID), roleArn=ROLE)["stateMachineArn"]
        self.assertEqual(self.sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"], [])
        with self.assertRaises(self.sfn.exceptions.StateMachineDoesNotExist):
            self.sfn.list_state_machine_versions(stateMachineArn=arn.replace("unpublished", "absent"))


if __name__ == "__main__":
    unittest.main()
