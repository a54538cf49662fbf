"""RDS: every DB instance its own DbiResourceId; a read replica its own identity, not its primary's.

moto 5.2.1 gives every DB instance the same DbiResourceId (`db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U`). The aws
provider (5.x) keys `aws_db_instance` by that id and reads an instance back with a `dbi-resource-id`
filter, so once a replica exists both instances answer for either id and the provider cannot resolve
its own instance. CreateDBInstanceReadReplica also makes the replica a shallow copy of its primary:
the copy shares the primary's RDS-managed master secret (and deleting the replica deletes that secret
from under the primary and its rotation) and its tag list. Here each instance gets a fresh id of the
AWS shape (`db-` and 26 upper-case letters and digits) and a replica gets its own tag list and no
master secret (AWS keeps the managed secret on the primary only).

Performance Insights: moto 5.2.1 ignores EnablePerformanceInsights (create, modify, read replica) and
never reports PerformanceInsightsEnabled, so the provider reads `performance_insights_enabled = false`
back and every plan of the seed's RDS (Performance Insights on, with its KMS key) shows a change. Here
the setting is kept and reported as AWS does: enabled with a retention of 7 days (the free tier) unless
one is given, and a KMS key; disabled without either.
"""
import string

from moto.moto_api._internal import mock_random
from moto.rds.models import DBInstance, RDSBackend

from .patching import attach, require

_original_init = DBInstance.__init__
_original_read_replica = RDSBackend.create_db_instance_read_replica
_original_update = DBInstance.update
DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7


def new_dbi_resource_id() -> str:
    """An id of the shape AWS uses: `db-` and 26 upper-case letters and digits."""
    pool = string.ascii_uppercase + string.digits
    return "db-" + "".join(mock_random.choice(pool) for _ in range(26))


def set_performance_insights(instance, enabled, kms_key_id=None, retention_days=None) -> None:  # type: ignore[no-untyped-def]
    """Records the Performance Insights setting under the names moto's serializer reports."""
    instance.performance_insights_enabled = bool(enabled)
    if enabled:
        if kms_key_id:
            instance.performance_insights_kms_key_id = kms_key_id
        instance.performance_insights_retention_period = int(
            retention_days or getattr(instance, "performance_insights_retention_period", None) or DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS)
    else:
        instance.performance_insights_kms_key_id = None
        instance.performance_insights_retention_period = None


def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    _original_init(self, *args, **kwargs)
    self.dbi_resource_id = new_dbi_resource_id()
    set_performance_insights(self, kwargs.get("enable_performance_insights"), kwargs.get("performance_insights_kms_key_id"),
                             kwargs.get("performance_insights_retention_period"))


def update(self, **db_kwargs):  # type: ignore[no-untyped-def]
    """ModifyDBInstance and CreateDBInstanceReadReplica: EnablePerformanceInsights as AWS applies it."""
    enabled = db_kwargs.pop("enable_performance_insights", None)
    kms_key_id = db_kwargs.pop("performance_insights_kms_key_id", None)
    retention_days = db_kwargs.pop("performance_insights_retention_period", None)
    _original_update(self, **db_kwargs)
    if enabled is not None:
        set_performance_insights(self, enabled, kms_key_id, retention_days)
    elif self.performance_insights_enabled and (kms_key_id or retention_days):
        set_performance_insights(self, True, kms_key_id, retention_days)


def create_db_instance_read_replica(self, db_kwargs):  # type: ignore[no-untyped-def]
    replica = _original_read_replica(self, db_kwargs)
    replica.dbi_resource_id = new_dbi_resource_id()
    replica.tags = replica.tags  # the setter copies: the replica no longer shares its primary's list
    replica.vpc_security_group_ids = list(replica.vpc_security_group_ids or [])
    if replica.__dict__.pop("master_user_secret", None) is not None:
        replica.manage_master_user_password = False
    return replica


def install() -> None:
    require(RDSBackend, "create_db_instance_read_replica")
    require(DBInstance, "update")
    attach(DBInstance, "__init__", init)
    attach(DBInstance, "update", update)
    attach(RDSBackend, "create_db_instance_read_replica", create_db_instance_read_replica)
