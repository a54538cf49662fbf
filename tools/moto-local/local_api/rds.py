"""RDS: every DB instance its own DbiResourceId; a read replica its own identity, not its primary's.

moto 5.2.1 gives every DB instance the same DbiResourceId (`db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U`). The aws
provider (5.x) keys `aws_db_instance` by that id and reads an instance back with a `dbi-resource-id`
filter, so once a replica exists both instances answer for either id and the provider cannot resolve
its own instance. CreateDBInstanceReadReplica also makes the replica a shallow copy of its primary:
the copy shares the primary's RDS-managed master secret (and deleting the replica deletes that secret
from under the primary and its rotation) and its tag list. Here each instance gets a fresh id of the
AWS shape (`db-` and 26 upper-case letters and digits) and a replica gets its own tag list and no
master secret (AWS keeps the managed secret on the primary only).
"""
import string

from moto.moto_api._internal import mock_random
from moto.rds.models import DBInstance, RDSBackend

from .patching import attach, require

_original_init = DBInstance.__init__
_original_read_replica = RDSBackend.create_db_instance_read_replica


def new_dbi_resource_id() -> str:
    """An id of the shape AWS uses: `db-` and 26 upper-case letters and digits."""
    pool = string.ascii_uppercase + string.digits
    return "db-" + "".join(mock_random.choice(pool) for _ in range(26))


def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    _original_init(self, *args, **kwargs)
    self.dbi_resource_id = new_dbi_resource_id()


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
    attach(DBInstance, "__init__", init)
    attach(RDSBackend, "create_db_instance_read_replica", create_db_instance_read_replica)
