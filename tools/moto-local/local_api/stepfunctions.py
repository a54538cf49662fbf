"""Step Functions: ValidateStateMachineDefinition and ListStateMachineVersions.

The aws provider (5.x) validates every changed `aws_sfn_state_machine` definition at plan time with
ValidateStateMachineDefinition, and reads `state_machine_version_arn` with ListStateMachineVersions on
every refresh; moto 5.2.1 has neither, so no state machine could be planned. The validator here checks
the Amazon States Language structure (JSON, StartAt, States, state types, transitions, terminal states,
recursively through Parallel branches and Map processors) and answers FAIL with ERROR diagnostics like
AWS does; it does not check resource ARNs or JSONPath/intrinsic syntax. Versions are the ones moto
already records when a machine is created or updated with `publish`, newest first as AWS lists them.
"""
import json
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.models import StepFunctionBackend
from moto.stepfunctions.responses import StepFunctionResponse

from .patching import attach, require

STATE_TYPES = {"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}
TERMINAL_TYPES = {"Succeed", "Fail"}


def _error(code: str, message: str, location: str) -> dict[str, str]:
    return {"severity": "ERROR", "code": code, "message": message, "location": location}


def _check_machine(machine: Any, location: str, diagnostics: list[dict[str, str]]) -> None:
    """Appends the structural errors of one state machine (or Parallel branch, or Map processor)."""
    if not isinstance(machine, dict):
        diagnostics.append(_error("SCHEMA_VALIDATION_FAILED", "The state machine must be a JSON object", location or "/"))
        return
    states = machine.get("States")
    start = machine.get("StartAt")
    if not isinstance(states, dict) or not states:
        diagnostics.append(_error("SCHEMA_VALIDATION_FAILED", "States must be a non-empty object", f"{location}/States"))
        states = {}
    if not isinstance(start, str):
        diagnostics.append(_error("SCHEMA_VALIDATION_FAILED", "StartAt must be a string", f"{location}/StartAt"))
    elif states and start not in states:
        diagnostics.append(_error("MISSING_TRANSITION_TARGET", f"StartAt names no state: '{start}'", f"{location}/StartAt"))
    for name, state in states.items():
        _check_state(name, state, states, f"{location}/States/{name}", diagnostics)


def _check_state(name: str, state: Any, states: dict[str, Any], location: str, diagnostics: list[dict[str, str]]) -> None:
    if not isinstance(state, dict):
        diagnostics.append(_error("SCHEMA_VALIDATION_FAILED", f"State '{name}' must be a JSON object", location))
        return
    kind = state.get("Type")
    if kind not in STATE_TYPES:
        diagnostics.append(_error("SCHEMA_VALIDATION_FAILED", f"State '{name}' has no valid Type: {kind!r}", f"{location}/Type"))
        return
    targets = [state["Next"]] if "Next" in state else []
    if kind == "Choice":
        targets += [c.get("Next") for c in state.get("Choices", []) if isinstance(c, dict)]
        targets += [state["Default"]] if "Default" in state else []
        if not state.get("Choices"):
            diagnostics.append(_error("SCHEMA_VALIDATION_FAILED", f"Choice state '{name}' has no Choices", f"{location}/Choices"))
    elif kind not in TERMINAL_TYPES:
        ends = state.get("End") is True
        if ends == ("Next" in state):
            diagnostics.append(_error("MISSING_END_STATE" if not ends else "SCHEMA_VALIDATION_FAILED",
                                      f"State '{name}' must have exactly one of Next or End: true", location))
    if kind == "Task" and not isinstance(state.get("Resource"), str):
        diagnostics.append(_error("SCHEMA_VALIDATION_FAILED", f"Task state '{name}' has no Resource", f"{location}/Resource"))
    for catcher in state.get("Catch", []) if isinstance(state.get("Catch"), list) else []:
        if isinstance(catcher, dict):
            targets.append(catcher.get("Next"))
    for target in targets:
        if target not in states:
            diagnostics.append(_error("MISSING_TRANSITION_TARGET", f"State '{name}' transitions to no state: {target!r}", location))
    if kind == "Parallel":
        for index, branch in enumerate(state.get("Branches", [])):
            _check_machine(branch, f"{location}/Branches/{index}", diagnostics)
    if kind == "Map":
        processor = state.get("ItemProcessor", state.get("Iterator"))
        _check_machine(processor, f"{location}/ItemProcessor", diagnostics)


def validate_definition(definition: str) -> list[dict[str, str]]:
    """The ERROR diagnostics of an Amazon States Language definition (empty when it is valid)."""
    try:
        machine = json.loads(definition)
    except (TypeError, ValueError) as error:
        return [_error("INVALID_JSON_DESCRIPTION", f"The definition is not valid JSON: {error}", "/")]
    diagnostics: list[dict[str, str]] = []
    _check_machine(machine, "", diagnostics)
    return diagnostics


def validate_state_machine_definition(self: StepFunctionResponse) -> ActionResult:
    diagnostics = validate_definition(self._get_param("definition"))
    limit = self._get_int_param("maxResults") or 100
    return ActionResult({"result": "FAIL" if diagnostics else "OK", "diagnostics": diagnostics[:limit],
                         "truncated": len(diagnostics) > limit})


def list_state_machine_versions(self: StepFunctionResponse) -> ActionResult:
    arn = self._get_param("stateMachineArn")
    machine = self.stepfunction_backend.describe_state_machine(arn)
    versions = sorted(getattr(machine, "versions", {}).values(), key=lambda v: v.version, reverse=True)
    return ActionResult({"stateMachineVersions": [
        {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date} for v in versions]})


def install() -> None:
    require(StepFunctionResponse, "_get_param", "_get_int_param", "stepfunction_backend")
    require(StepFunctionBackend, "describe_state_machine")
    attach(StepFunctionResponse, "validate_state_machine_definition", validate_state_machine_definition)
    attach(StepFunctionResponse, "list_state_machine_versions", list_state_machine_versions)
