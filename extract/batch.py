"""Former home of the corpus runner; kept so older imports work. See :mod:`extract.app.batch`."""
from __future__ import annotations

from .app.batch import TIMING_KEYS, BatchSummary, chunk_size, process_one, run_batch
from .app.naming import assign_doc_ids, file_sha256

__all__ = ["TIMING_KEYS", "BatchSummary", "assign_doc_ids", "chunk_size", "file_sha256", "process_one", "run_batch"]
