#!/usr/bin/env python3
"""Name each test document ``tNN_<first 16 hex of sha256(file bytes)>`` (the seeds' shape, with a
``t`` prefix) and keep ``src/<doc_id>.json`` and its ``doc_id`` in step; run after editing a document.

Usage: python annotations/test/rename_docs.py
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    for doc in sorted((HERE / "docs").glob("t*.txt")):
        prefix = doc.stem.split("_")[0]
        new_id = f"{prefix}_{hashlib.sha256(doc.read_bytes()).hexdigest()[:16]}"
        if doc.stem != new_id:
            doc.rename(doc.with_name(new_id + ".txt"))
        for src in (HERE / "src").glob(prefix + "*.json"):
            data = json.loads(src.read_text(encoding="utf-8"))
            data["doc_id"] = new_id
            src.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            if src.stem != new_id:
                src.rename(src.with_name(new_id + ".json"))
        for old in (HERE / "gold").glob(prefix + "_*.json"):
            if old.stem != new_id:
                old.unlink()
        print(new_id)


if __name__ == "__main__":
    main()
