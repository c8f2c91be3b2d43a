"""The per-file error policy and the exit codes every command shares.

Policy: an input that cannot be read or extracted gives one line naming the file (its
``JixiaoError`` message, or ``<path>: internal error …`` for a bug), the command goes on
with the others, and the exit code says how it went:

======  =============================================================
code    meaning
======  =============================================================
0       every input succeeded
1       some inputs failed, the others' outputs were written
2       usage error (a bad option, ``--out`` naming a file …); nothing done
3       nothing done: no input found, or every input failed
130     interrupted (Ctrl-C / SIGINT); finished outputs kept
143     terminated (SIGTERM); finished outputs kept
======  =============================================================
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core import JixiaoError

OK, SOME_FAILED, USAGE, NOTHING_DONE = 0, 1, 2, 3
INTERRUPTED, TERMINATED = 130, 143


@dataclass(frozen=True)
class FileError:
    """One failed input: the path, the error's type and kind, and a one-line message naming the file."""
    path: str
    error_type: str
    kind: str | None
    message: str

    def to_json(self) -> dict:
        return {"path": self.path, "error_type": self.error_type, "kind": self.kind, "message": self.message}


def file_error(path: str | Path, e: BaseException) -> FileError:
    """The policy's record of ``e`` raised while handling ``path`` (never repeats the path)."""
    msg = " ".join(str(e).split())
    if isinstance(e, JixiaoError):
        message = msg if str(path) in msg or msg.startswith(f"{path}:") else f"{path}: {msg}"
        return FileError(str(path), type(e).__name__, getattr(e, "kind", None), message)
    if isinstance(e, OSError):
        reason = e.strerror or type(e).__name__
        return FileError(str(path), type(e).__name__, "unreadable", f"{path}: cannot read ({reason})")
    return FileError(str(path), f"internal:{type(e).__name__}", "internal",
                     f"{path}: internal error {type(e).__name__}: {msg[:300]}")


@dataclass
class Tally:
    """What a command did: inputs succeeded and failed, warnings; its exit code."""
    ok: int = 0
    failed: int = 0
    errors: list[FileError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, error: FileError) -> None:
        self.failed += 1
        self.errors.append(error)

    def record(self, path: str | Path, e: BaseException, echo_err=None) -> FileError:
        """The policy in one call: count ``e`` as ``path``'s failure and say it in one line."""
        err = file_error(path, e)
        self.fail(err)
        if echo_err is not None:
            echo_err(f"error: {err.message}")
        return err

    def exit_code(self) -> int:
        return exit_code(self.ok, self.failed)


def exit_code(ok: int, failed: int) -> int:
    """0 all succeeded, 1 some failed, 3 nothing done (see the module doc).

    >>> exit_code(3, 0), exit_code(3, 1), exit_code(0, 2), exit_code(0, 0)
    (0, 1, 3, 3)
    """
    if ok and not failed:
        return OK
    if ok:
        return SOME_FAILED
    return NOTHING_DONE
