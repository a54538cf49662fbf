"""Secrets Manager: CancelRotateSecret for secrets under managed rotation.

A secret that a service owns (RDS's managed master password: `OwningService: rds`) is rotated by that
service, with no rotation Lambda: RotateSecret takes only rotation rules. moto 5.2.1 accepts that
RotateSecret but then refuses CancelRotateSecret on it ("doesn't already have a Lambda function ARN
configured"), which is exactly what the aws provider calls to delete `aws_secretsmanager_secret_rotation`
(and to create one with `rotation_enabled = false`), so no managed rotation could be destroyed. Here a
secret with an owning service cancels like AWS does; every other secret keeps moto's behaviour.
"""
from moto.secretsmanager.models import FakeSecret, SecretsManagerBackend

from .patching import attach, require

_original_cancel = SecretsManagerBackend.cancel_rotate_secret


def cancel_rotate_secret(self, secret_id: str) -> str:  # type: ignore[no-untyped-def]
    secret = self.secrets.get(secret_id) if self._is_valid_identifier(secret_id) else None
    if isinstance(secret, FakeSecret) and not secret.is_deleted() and not secret.rotation_lambda_arn and secret.owning_service:
        secret.rotation_enabled = False
        secret.rotation_requested = True
        secret.next_rotation_date = None
        return secret.to_short_dict()
    return _original_cancel(self, secret_id)


def install() -> None:
    require(SecretsManagerBackend, "cancel_rotate_secret", "_is_valid_identifier")
    require(FakeSecret, "owning_service", "is_deleted")
    attach(SecretsManagerBackend, "cancel_rotate_secret", cancel_rotate_secret)
