"""The built wheel: from a clean clone, installed in a fresh virtualenv, it classifies with the
shipped model, installs the scorer as jixiao_eval (no top-level ``eval``) and declares the
spaCy entry points. Offline: the wheel is built without build isolation and installed with
--no-deps, the dependencies coming from the running environment."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(cmd: list, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kw)
    assert r.returncode == 0, f"{cmd}:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
    return r


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout to clone")
    setuptools = pytest.importorskip("setuptools")
    if tuple(int(x) for x in setuptools.__version__.split(".")[:2]) < (70, 1):
        pytest.skip("needs setuptools>=70.1 (the dev extra) to build a wheel offline")
    tmp = tmp_path_factory.mktemp("wheel")
    clone = tmp / "clone"
    run(["git", "clone", "-q", "--no-hardlinks", ROOT, clone])
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", ".", "-w", tmp / "dist"],
        cwd=clone)
    (wheel,) = (tmp / "dist").glob("jixiao-*.whl")
    env_dir = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", env_dir])
    py = env_dir / "bin" / "python"
    purelib = Path(run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # the dependencies (and pip) from this environment; its .pth files are not run from here,
    # so a development install of jixiao in it stays invisible
    (purelib / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JIXIAO_MODEL_DIR")}
    run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel], env=env, cwd=tmp)
    return env_dir, purelib, wheel, env, tmp


def test_wheel_carries_the_model_and_the_scorer_as_jixiao_eval(venv):
    import zipfile

    _, _, wheel, _, _ = venv
    names = zipfile.ZipFile(wheel).namelist()
    assert "extract/models/problem_classifier/weights.npz" in names
    assert "extract/models/problem_classifier/metadata.json" in names
    assert "jixiao_eval/score.py" in names and "jixiao_eval/__init__.py" in names
    assert not [n for n in names if n.startswith(("eval/", "models/", "tests/"))]
    eps = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "[spacy_factories]" in eps and "[spacy_tokenizers]" in eps and "jixiao = extract.cli:main" in eps


def test_installed_wheel_classifies_with_the_shipped_model(venv):
    env_dir, purelib, _, env, tmp = venv
    r = run([env_dir / "bin" / "jixiao", "classify", "预算编制不够精准，年初预算与实际支出偏差较大", "--component", "model",
             "--json"], env=env, cwd=tmp)
    line = json.loads(r.stdout.strip().splitlines()[-1])
    assert line["evidence"]["extractor"].startswith("classify.model") and line["labels"]
    assert "rules" not in r.stderr.lower()
    code = ("import importlib.util, json, extract, jixiao_eval\n"
            "from extract.classify.model import default_model_dir\n"
            "print(json.dumps([importlib.util.find_spec('eval') is None, extract.__file__, str(extract.models_dir()),"
            " str(default_model_dir()), jixiao_eval.__file__]))\n")
    no_eval, ext, models, model_dir, scorer = json.loads(run([env_dir / "bin" / "python", "-c", code], env=env,
                                                             cwd=tmp).stdout)
    assert no_eval, "no top-level eval package is installed"
    for p in (ext, models, model_dir, scorer):
        assert Path(p).resolve().is_relative_to(purelib.resolve()), p


def test_installed_scorer_validates_and_scores_the_gold(venv):
    env_dir, _, _, env, tmp = venv
    gold, docs = ROOT / "annotations" / "gold", ROOT / "annotations" / "docs"
    r = run([env_dir / "bin" / "jixiao", "validate", gold, "--docs", docs], env=env, cwd=tmp)
    assert r.stdout.startswith("OK: ")
    run([env_dir / "bin" / "jixiao", "eval", "--gold", gold, "--pred", gold, "--docs", docs, "--json", tmp / "e.json"],
        env=env, cwd=tmp)
    assert json.loads((tmp / "e.json").read_text(encoding="utf-8"))["facts"]["fact"]["overall"]["f1"] == 1.0


def test_editable_install_maps_the_scorer_and_reads_the_checkouts_models(venv, tmp_path):
    _, _, _, env, tmp = venv
    clone = tmp / "clone"
    env_dir = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", env_dir])
    py = env_dir / "bin" / "python"
    purelib = Path(run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", "."], env=env, cwd=clone)
    code = ("import importlib.util, json, extract, jixiao_eval.score\n"
            "print(json.dumps([importlib.util.find_spec('eval') is None, jixiao_eval.score.__file__,"
            " str(extract.models_dir())]))\n")
    no_eval, scorer, models = json.loads(run([py, "-c", code], env=env, cwd=tmp_path).stdout)
    assert no_eval and Path(scorer) == clone / "eval" / "score.py" and Path(models) == clone / "models"
