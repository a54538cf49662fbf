"""What the AWS seed estates need from a local AWS API beyond moto's own backends.

Each module extends one of moto's services in place (its backend and response classes) and has an
`install()`; `install_all()` applies them all. Targets moto 5.2.1 (`pip show moto`): every module
checks that the moto names it patches exist and fails at start-up, naming them, when a moto upgrade
moved them, rather than serving a silently different API.
"""
from . import backup, ec2_launch_templates, rds, secretsmanager, stepfunctions

MOTO_VERSION = "5.2.1"

MODULES = (ec2_launch_templates, stepfunctions, rds, backup, secretsmanager)


def install_all() -> None:
    """Applies every extension once (idempotent)."""
    for module in MODULES:
        module.install()
