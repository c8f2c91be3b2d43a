"""The scorer under its installed name, ``jixiao_eval``, in a source checkout.

The scorer's code lives in ``eval/``. A wheel (or ``pip install -e .``) installs that
folder as the package ``jixiao_eval`` (``[tool.setuptools.package-dir]`` in
pyproject.toml), so nothing named ``eval`` is installed. Run from a checkout with
``PYTHONPATH=.``, this stand-in makes ``import jixiao_eval`` work the same way: its
module search path is ``eval/`` and it runs ``eval/__init__.py`` as its own, so
``jixiao_eval.score`` is ``eval/score.py``. The wheel does not contain this file.
"""
from pathlib import Path as _Path

__path__ = [str(_Path(__file__).resolve().parent.parent / "eval")]
_init = _Path(__path__[0]) / "__init__.py"
exec(compile(_init.read_text(encoding="utf-8"), str(_init), "exec"))
