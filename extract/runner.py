"""Former home of the file loop; kept so older imports work. Use :mod:`extract.app` instead."""
from __future__ import annotations

from .app.batch import dumps
from .app.files import write_atomic
from .app.inputs import SUFFIXES, collect_inputs

__all__ = ["SUFFIXES", "collect_inputs", "dumps", "write_atomic"]
