"""A plain registry of versioned extractor names (``finance.rules.v1``).

Each result records the name of the extractor that made it, so a score can be
traced to the rule set or model version behind it.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from .errors import ConfigError

F = TypeVar("F", bound=Callable)
_REGISTRY: dict[str, Callable] = {}


def register(name: str) -> Callable[[F], F]:
    """Register an extractor factory or function under a versioned name."""

    def deco(fn: F) -> F:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ConfigError(f"extractor name {name!r} registered twice")
        _REGISTRY[name] = fn
        return fn

    return deco


def get(name: str) -> Callable:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown extractor {name!r}; known: {', '.join(sorted(_REGISTRY)) or '(none)'}") from None


def names() -> list[str]:
    return sorted(_REGISTRY)
