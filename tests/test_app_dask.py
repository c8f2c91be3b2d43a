"""A real Dask cluster on loopback: ``dask scheduler`` + 2 ``dask worker`` processes whose working
folders differ from the client's, given relative inputs (the README's own form).

The cluster is bounded: the scheduler stops after 5 idle minutes and the workers after a
lifetime of 5 minutes even if this test is killed, and the test ends them itself.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_batch import outputs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "annotations" / "docs"
DASK = Path(sys.executable).parent / "dask"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def cluster(tmp_path):
    pytest.importorskip("dask.distributed", reason="install the dask extra: pip install 'jixiao[dask]'")
    if not DASK.exists():
        pytest.skip(f"no dask command at {DASK}")
    from dask.distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = []
    try:
        sched = tmp_path / "scheduler"
        sched.mkdir()
        procs.append(subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                       "--no-dashboard", "--idle-timeout", "300s"], cwd=sched, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        for i in range(2):
            home = tmp_path / f"worker{i}"
            home.mkdir()
            procs.append(subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard",
                                           "--lifetime", "300s", "--local-directory", str(home)], cwd=home, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout=10) as client:
                    client.wait_for_workers(2, timeout=90)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        yield address
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


@pytest.mark.slow
def test_real_cluster_with_relative_inputs_equals_the_inline_run(cluster, tmp_path, monkeypatch):
    from extract.app.batch import run_batch

    shutil.copytree(DOCS, tmp_path / "corpus")
    (tmp_path / "corpus" / "empty.txt").write_bytes(b"")
    monkeypatch.chdir(tmp_path)  # the client's folder; the workers run in worker0/ and worker1/
    inline = run_batch(["corpus"], "inline", workers=1, progress=False)
    on_dask = run_batch(["corpus"], "dask", dask=cluster, progress=False)
    assert (on_dask.failed, inline.failed) == (1, 1)
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "inline")
