"""Worker processes that cannot outlive the run, and SIGTERM handled like Ctrl-C.

A pool worker asks the kernel to kill it when its parent dies (Linux ``prctl
PR_SET_PDEATHSIG``) and, on every platform, watches its parent from a daemon thread, so a
``kill -9`` of ``jixiao batch`` (what ``timeout -s KILL``, an OOM killer or ``docker kill``
do) leaves no orphan. Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the
parent, not each worker, decides what stops.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager

#: How often a worker checks that its parent is alive (seconds).
PARENT_POLL = 0.5


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM, like KeyboardInterrupt on SIGINT (exit code 143)."""


def _set_pdeathsig(sig: int = signal.SIGKILL) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watcher thread below still ends the worker


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(PARENT_POLL)


def die_with_parent(parent: int | None = None) -> None:
    """Make this process exit when ``parent`` (default: the current parent) is gone."""
    parent = os.getppid() if parent is None else parent
    _set_pdeathsig()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="jixiao-parent-watch").start()


def worker_setup(parent: int | None = None) -> None:
    """Pool initializer part: ignore SIGINT, default SIGTERM, die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)


def _raise_terminated(signum, frame):
    raise Terminated()


@contextmanager
def sigterm_as_exception():
    """Within the block, SIGTERM raises :class:`Terminated` in the main thread (elsewhere: no change)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_pool(pool) -> None:
    """End a ``ProcessPoolExecutor`` now: cancel queued tasks and kill its workers.

    ``shutdown(cancel_futures=True)`` alone waits for the running tasks; ``_processes`` is the
    executor's own table of worker processes (there is no public terminate before Python 3.14).
    """
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for p in procs:
        try:
            p.terminate()
        except (OSError, ValueError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
        except (OSError, ValueError, AssertionError):
            pass
