"""The DuckDB database of a batch: lists are lists, and the file opens in every allowed duckdb."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")
from extract.io.database import STORAGE, build_database, query  # noqa: E402
from extract.io.tables import build_tables, write_tables  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    results = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "annotations" / "gold").glob("*.json"))]
    results[0]["measures"][0].update(actions=["建立", "完善"], targets=["3-5年中长期效益指标", "每季度,通报"])
    write_tables(build_tables(results), out / "tables")
    build_database(out)
    return out, results


def test_list_fields_are_lists_in_the_database(out):
    out, results = out
    cols, rows = query(out, "SELECT doc_id, id, categories FROM problems ORDER BY doc_id, id")
    want = sorted((r["doc_id"], p["id"], p["categories"]) for r in results for p in r["problems"])
    assert [tuple(r) for r in rows] == [(d, i, c) for d, i, c in want] and any(len(c) > 1 for *_, c in want)
    _, rows = query(out, f"SELECT addresses, actions, targets FROM measures WHERE doc_id = '{results[0]['doc_id']}'"
                         f" AND id = '{results[0]['measures'][0]['id']}'")
    assert rows == [(results[0]["measures"][0]["addresses"], ["建立", "完善"], ["3-5年中长期效益指标", "每季度,通报"])]
    _, rows = query(out, "SELECT count(*) FROM problems WHERE list_contains(categories, 'evaluation_and_use')")
    assert rows[0][0] == sum("evaluation_and_use" in p["categories"] for r in results for p in r["problems"]) > 0


def test_database_file_is_in_the_storage_format_every_allowed_duckdb_reads(out):
    out, _ = out
    con = duckdb.connect(str(out / "jixiao.duckdb"), read_only=True)
    try:
        (tags,) = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'jixiao'").fetchone()
    finally:
        con.close()
    assert tags["storage_version"].startswith(STORAGE["storage_compatibility_version"])
    dep = next(d for d in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
               ["dependencies"] if d.startswith("duckdb"))
    low = re.search(r">=\s*([\d.]+)", dep).group(1)
    # the lowest allowed reader is at least the storage version written
    assert tuple(map(int, low.split("."))) >= tuple(map(int, STORAGE["storage_compatibility_version"][1:].split(".")[:2]))
