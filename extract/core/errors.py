"""Typed errors. Every message is one line and names the file it is about."""
from __future__ import annotations


class JixiaoError(Exception):
    """Base class for errors a user can act on (shown without a traceback)."""


class IngestError(JixiaoError):
    """A file could not be read as a report: empty, binary, undecodable, not a report..."""

    def __init__(self, path: object, reason: str, kind: str = "unreadable") -> None:
        self.path = str(path)
        self.reason = reason
        self.kind = kind  # missing | unreadable | empty | binary | encoding | format | no_text | not_a_report
        super().__init__(f"{self.path}: {reason}")


class ConfigError(JixiaoError):
    """An invalid option; the message lists the valid choices."""


class ModelVersionError(JixiaoError):
    """A trained model was written by an incompatible jixiao / scikit-learn version."""


class PatternTimeout(JixiaoError):
    """A named pattern ran past its time limit on a document (catastrophic backtracking
    on pathological input): the document is refused rather than the run hanging."""

    def __init__(self, pattern: str, seconds: float) -> None:
        self.pattern = pattern
        super().__init__(f"pattern {pattern!r} took longer than {seconds:g} s: input refused")
