"""Writing outputs: atomic files with the user's umask, an atomic swap of a whole folder.

``tempfile.mkstemp`` creates files mode 0600 whatever the umask; a result file, a manifest
or a gold file is meant to be read by colleagues and web servers like any file the user
writes, so :func:`write_atomic` gives the temporary file ``0666 & ~umask`` before renaming.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..core import JixiaoError


class UsageError(JixiaoError):
    """A command line that cannot work (an output folder that is a file…): exit code 2."""


def current_umask() -> int:
    """The process umask, read without changing it where the platform allows (Linux /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # not thread-safe, hence only the fallback
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Mode for a new output file: what ``open(path, "w")`` would give (0644 under umask 022)."""
    return 0o666 & ~current_umask()


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader sees the old file or the new one, never half of one; the file gets the mode
    the user's umask gives (not mkstemp's 0600).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def output_folder(path: str | Path) -> Path:
    """Create ``path`` as a folder (with parents); a usage error, not a traceback, when it cannot be one."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path}: --out must be a folder, but a file of that name exists")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"{path}: --out must be a folder, but a parent of it is a file") from None
    except OSError as e:
        raise UsageError(f"{path}: cannot create the output folder ({e.strerror or type(e).__name__})") from None
    return path


def output_file(path: str | Path) -> Path:
    """Check that ``path`` can be written as a file (not a folder; its parent a folder or creatable)."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name")
    output_folder(path.parent)
    return path


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def swap_folder(new: Path, target: Path) -> None:
    """Put the complete folder ``new`` in place of ``target`` in one step, then remove the old one.

    On Linux the two are exchanged atomically: a reader (or a kill) sees the whole old
    folder or the whole new one, never a mix. Elsewhere the old folder is renamed aside
    first; a kill between the two renames leaves no ``target`` (the next run rebuilds it),
    still never a mix.
    """
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(folder: Path) -> int:
    """Remove temporary files and folders a killed run left in ``folder`` (``.*.tmp``); returns how many."""
    n = 0
    if folder.is_dir():
        for p in folder.glob(".*.tmp"):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            n += 1
    return n
