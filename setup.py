"""Build hook: ship the trained models inside the package.

Everything else is declared in pyproject.toml. The models stay in the repository's
top-level ``models/`` (where ``jixiao train`` writes them); a built wheel carries a copy
in ``extract/models/``, where ``extract.models_dir()`` looks first. Editable installs
skip the copy and read ``models/`` in place.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODEL_FILES = ("*.json", "*.npz", "*.joblib", "*.md")


class BuildPyWithModels(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        src = Path(__file__).resolve().parent / "models"
        dest = Path(self.build_lib) / "extract" / "models"
        for model in sorted(p for p in src.iterdir() if p.is_dir()) if src.is_dir() else []:
            for pattern in MODEL_FILES:
                for f in sorted(model.glob(pattern)):
                    (dest / model.name).mkdir(parents=True, exist_ok=True)
                    shutil.copy2(f, dest / model.name / f.name)


setup(cmdclass={"build_py": BuildPyWithModels})
