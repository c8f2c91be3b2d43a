"""The acceptance run on a real corpus: the State Council's government work reports, 1954-2025
(../shared/corpora/gov_work_reports; 72 rows, 52 reports with a year, 20 resolutions without)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extract.boilerplate.sources import Fields, corpus_records

GOV = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
pytestmark = pytest.mark.skipif(not GOV.exists(), reason=f"{GOV} not available")


def test_resolutions_without_a_year_are_kept_or_dropped_explicitly():
    kept = list(corpus_records(GOV, Fields(text="content", time="year")))
    assert len(kept) == 72 and sum(r.time is not None for r in kept) == 52
    dropped = list(corpus_records(GOV, Fields(text="content", time="year", require_time=True)))
    assert len(dropped) == 52 and min(r.time for r in dropped) == 1954 and max(r.time for r in dropped) == 2025
    assert {"title", "url", "year"} <= set(kept[0].meta) and "content" not in kept[0].meta


@pytest.mark.slow
def test_cli_on_the_government_work_reports(tmp_path):
    from typer.testing import CliRunner

    from extract.cli import app

    r = CliRunner().invoke(app, ["boilerplate", str(GOV), "--text-field", "content", "--time-field", "year",
                                 "--out", str(tmp_path), "--no-csv"])
    assert r.exit_code == 0, r.output
    docs = pd.read_parquet(tmp_path / "documents.parquet")
    assert len(docs) == 72 and docs["time"].notna().sum() == 52
    assert docs["title"].notna().all() and docs["url"].str.startswith("https://").all()
    st = pd.read_parquet(tmp_path / "stickiness.parquet")
    assert len(st) == 51  # one row per consecutive pair of the 52 dated reports
    assert (st["time"] > st["previous_time"]).all() and st["time"].is_monotonic_increasing
    assert st["gap"].max() == 11  # 1964 -> 1975
    years = pd.read_parquet(tmp_path / "years.parquet")
    assert len(years) == 52 and (years["reports"] == 1).all()
    for png in ("boilerplate_over_time.png", "stickiness_over_time.png", "persistent_templates.png"):
        assert (tmp_path / png).stat().st_size > 10_000
