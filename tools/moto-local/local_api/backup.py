"""AWS Backup: backup selections (CreateBackupSelection, GetBackupSelection, DeleteBackupSelection,
ListBackupSelections), a plan with selections cannot be deleted, and ListTags without a trailing slash.

moto 5.2.1 has backup vaults and plans but no selections, so `aws_backup_selection` (which resources a
plan backs up: here everything tagged Backup=true) could not be created. A selection is kept per plan
and read back exactly as it was sent (the provider's read-after-write compares every field); like AWS,
reading a selection of an unknown plan says "Cannot find Backup plan", an unknown selection is
ResourceNotFoundException, and DeleteBackupPlan refuses a plan that still has selections.

ListTags: moto 5.2.1 takes the ARN as the path's second-to-last segment (`/tags/<arn>/`, as boto3 sends
it); the aws provider (Go SDK v2) sends `/tags/<arn>` without the slash, so moto looked up the ARN's
last `/`-free part, answered no tags, and every plan of a tagged vault or plan showed `tags_all` as a
change. Here the ARN is everything after `/tags/`, with or without the slash.
"""
from urllib.parse import unquote
import json
from typing import Any

from moto.backup.exceptions import InvalidParameterValueException, InvalidRequestException, ResourceNotFoundException
from moto.backup.models import BackupBackend
from moto.backup.responses import BackupResponse
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random

from .patching import attach, require

_original_delete_plan = BackupBackend.delete_backup_plan


class Selection:
    """One backup selection of a plan, as CreateBackupSelection received it."""

    def __init__(self, plan_id: str, selection: dict[str, Any], creator_request_id: str | None):
        self.selection_id = str(mock_random.uuid4())
        self.plan_id = plan_id
        self.selection = selection
        self.creator_request_id = creator_request_id
        self.creation_date = unix_time()

    def summary(self) -> dict[str, Any]:
        summary = {"SelectionId": self.selection_id, "SelectionName": self.selection["SelectionName"],
                   "BackupPlanId": self.plan_id, "CreationDate": self.creation_date,
                   "IamRoleArn": self.selection["IamRoleArn"]}
        if self.creator_request_id:
            summary["CreatorRequestId"] = self.creator_request_id
        return summary


def _selections(backend: BackupBackend, plan_id: str) -> dict[str, Selection]:
    """The selections of a live plan; InvalidParameterValueException like AWS when there is no such plan."""
    plan = backend.plans.get(plan_id)
    if plan is None or plan.deletion_date is not None:
        raise InvalidParameterValueException(msg=f"Cannot find Backup plan with ID {plan_id}")
    store: dict[str, dict[str, Selection]] = backend.__dict__.setdefault("local_selections", {})
    return store.setdefault(plan_id, {})


def create_backup_selection(self: BackupBackend, plan_id: str, selection: dict[str, Any], creator_request_id: str | None) -> Selection:
    name = selection.get("SelectionName") or ""
    if not 1 <= len(name) <= 50:
        raise InvalidParameterValueException(msg="SelectionName must be 1 to 50 characters")
    if not selection.get("IamRoleArn"):
        raise InvalidParameterValueException(msg="IamRoleArn is required")
    selections = _selections(self, plan_id)
    if any(s.selection["SelectionName"] == name for s in selections.values()):
        raise InvalidRequestException(msg=f"Backup selection with name {name} already exists in plan {plan_id}")
    created = Selection(plan_id, selection, creator_request_id)
    selections[created.selection_id] = created
    return created


def get_backup_selection(self: BackupBackend, plan_id: str, selection_id: str) -> Selection:
    found = _selections(self, plan_id).get(selection_id)
    if found is None:
        raise ResourceNotFoundException(msg=f"Cannot find Backup selection with ID {selection_id} in plan {plan_id}")
    return found


def delete_backup_selection(self: BackupBackend, plan_id: str, selection_id: str) -> None:
    get_backup_selection(self, plan_id, selection_id)
    del _selections(self, plan_id)[selection_id]


def list_backup_selections(self: BackupBackend, plan_id: str) -> list[Selection]:
    return sorted(_selections(self, plan_id).values(), key=lambda s: s.creation_date)


def delete_backup_plan(self: BackupBackend, backup_plan_id: str):  # type: ignore[no-untyped-def]
    if self.__dict__.get("local_selections", {}).get(backup_plan_id):
        raise InvalidRequestException(msg="Related backup plan selections must be deleted prior to backup plan deletion")
    return _original_delete_plan(self, backup_plan_id)


def _plan_and_selection(response: BackupResponse) -> tuple[str, str | None]:
    """From /backup/plans/{plan}/selections/[{selection}]."""
    parts = response.path.split("/plans/", 1)[-1].split("/")
    return parts[0], (parts[2] if len(parts) > 2 and parts[2] else None)


def response_create(self: BackupResponse) -> str:
    plan_id, _ = _plan_and_selection(self)
    body = json.loads(self.body or "{}")
    created = self.backup_backend.create_backup_selection(plan_id, body.get("BackupSelection") or {}, body.get("CreatorRequestId"))
    return json.dumps({"SelectionId": created.selection_id, "BackupPlanId": plan_id, "CreationDate": created.creation_date})


def response_get(self: BackupResponse) -> str:
    plan_id, selection_id = _plan_and_selection(self)
    found = self.backup_backend.get_backup_selection(plan_id, selection_id or "")
    result = {"BackupSelection": found.selection, "SelectionId": found.selection_id, "BackupPlanId": plan_id,
              "CreationDate": found.creation_date}
    if found.creator_request_id:
        result["CreatorRequestId"] = found.creator_request_id
    return json.dumps(result)


def response_delete(self: BackupResponse) -> str:
    plan_id, selection_id = _plan_and_selection(self)
    self.backup_backend.delete_backup_selection(plan_id, selection_id or "")
    return "{}"


def response_list(self: BackupResponse) -> str:
    plan_id, _ = _plan_and_selection(self)
    return json.dumps({"BackupSelectionsList": [s.summary() for s in self.backup_backend.list_backup_selections(plan_id)]})


def response_list_tags(self) -> str:  # type: ignore[no-untyped-def]
    path = self.path.split("?")[0]
    resource_arn = unquote(path[path.index("/tags/") + len("/tags/"):].rstrip("/"))
    return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=resource_arn)})


def install() -> None:
    require(BackupBackend, "delete_backup_plan")
    require(BackupResponse, "backup_backend")
    attach(BackupBackend, "create_backup_selection", create_backup_selection)
    attach(BackupBackend, "get_backup_selection", get_backup_selection)
    attach(BackupBackend, "delete_backup_selection", delete_backup_selection)
    attach(BackupBackend, "list_backup_selections", list_backup_selections)
    attach(BackupBackend, "delete_backup_plan", delete_backup_plan)
    attach(BackupResponse, "create_backup_selection", response_create)
    attach(BackupResponse, "get_backup_selection", response_get)
    attach(BackupResponse, "delete_backup_selection", response_delete)
    attach(BackupResponse, "list_backup_selections", response_list)
    require(BackupResponse, "list_tags")
    attach(BackupResponse, "list_tags", response_list_tags)
