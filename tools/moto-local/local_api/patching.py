"""Helpers for patching moto classes once, and loudly when moto no longer has what is patched."""
from typing import Any, Callable


class MotoMismatch(RuntimeError):
    """moto no longer has a class attribute an extension expects (an upgrade moved it)."""


def require(cls: type, *names: str) -> None:
    """Raises MotoMismatch naming every attribute of `cls` in `names` that moto lacks."""
    missing = [n for n in names if not hasattr(cls, n)]
    if missing:
        raise MotoMismatch(f"moto's {cls.__module__}.{cls.__name__} has no {', '.join(missing)}: "
                           "tools/moto-local targets moto 5.2.1")


def attach(cls: type, name: str, function: Callable[..., Any]) -> None:
    """Sets `cls.name` to `function` unless an earlier install already did (marked by `_local_api`)."""
    current = getattr(cls, name, None)
    if getattr(current, "_local_api", False):
        return
    function._local_api = True  # type: ignore[attr-defined]
    setattr(cls, name, function)
