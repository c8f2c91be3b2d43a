"""部门决算: detection, meta, headline figures, identities, standard tables, gold F1 and pages."""
from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from extract.facts.final_accounts import STANDARD_TABLES, classify_tables, extract_final_accounts
from extract.ingest import read_document
from extract.normalize import make_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "putuo_2024_final_accounts"
GOLD = ROOT / "annotations" / "pdf" / "gold"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real PDFs {CORPUS} absent (shared corpora not beside the clone)")

_DOCS: dict[str, object] = {}


def doc(name: str):
    if name not in _DOCS:
        _DOCS[name] = read_document(CORPUS / f"{name}.pdf")
    return _DOCS[name]


def found(name: str):
    fa = extract_final_accounts(doc(name))
    assert fa is not None
    return fa


def test_a_performance_report_is_not_final_accounts():
    seed = (ROOT / "annotations" / "docs" / "000_cf9d040ced9b439b.txt").read_text(encoding="utf-8")
    assert extract_final_accounts(make_document(seed)) is None


@pytest.mark.parametrize("name, unit, year", [
    ("finance_bureau_2024", "上海市普陀区财政局", 2024),
    ("social_work_department_2024", "中共上海市普陀区委社会工作部", 2024),
    ("planning_and_natural_resources_2024", "上海市普陀区规划和自然资源局", 2024),
    ("final_accounts_template", "上海市XX局", 2024),
])
def test_meta_from_the_cover(name, unit, year):
    fa = found(name)
    meta = {m.name: m for m in fa.meta}
    assert meta["report_kind"].value == "final_accounts" and meta["title"].value == "部门决算"
    assert meta["unit"].value == unit and meta["fiscal_year"].value == year
    raw = doc(name).raw
    assert "".join(meta["unit"].span.text(raw).split()) == unit  # grounded, wrapped cover lines included
    assert meta["fiscal_year"].span.text(raw) == str(year)


# the 12 headline figures of finance_bureau_2024.pdf: (name, stage, qualifier, 万元)
HEADLINE = [
    ("income", "final", None, "2946.25"),                           # 本年收入合计
    ("income", "final", "fiscal", "2940.05"),                       # 财政拨款收入
    ("income", "final", "other", "6.20"),                           # 其他收入
    ("expenditure", "final", None, "2940.05"),                      # 本年支出合计
    ("basic_expenditure", "final", None, "2336.91"),                # 基本支出
    ("project_expenditure", "final", None, "603.14"),               # 项目支出
    ("carryover_begin", None, None, "49.14"),                       # 年初结转和结余
    ("carryover_end", None, None, "55.34"),                         # 年末结转和结余
    ("expenditure", "final", "一般公共服务支出", "2106.66"),
    ("expenditure", "final", "社会保障和就业支出", "326.72"),         # 326.71 in the 总表 (rounding)
    ("expenditure", "final", "卫生健康支出", "60.99"),
    ("expenditure", "final", "住房保障支出", "445.69"),
]


def test_finance_bureau_headline_figures():
    facts = found("finance_bureau_2024").facts
    keys = {(f.name, f.stage, f.qualifier, f.value) for f in facts}
    right = [h for h in HEADLINE if (h[0], h[1], h[2], Decimal(h[3]) * 10000) in keys]
    assert len(right) == 12, sorted(set(HEADLINE) - set(right))
    raw = doc("finance_bureau_2024").raw
    assert all("".join(f.span.text(raw).split()).startswith(f.amount_text) for f in facts)


@pytest.mark.parametrize("name", ["finance_bureau_2024", "social_work_department_2024",
                                  "planning_and_natural_resources_2024"])
def test_identities_pass(name):
    checks = {c.name: c for c in found(name).checks}
    for check in ("final_accounts_income_total", "final_accounts_expenditure_total", "final_accounts_totals_equal"):
        assert checks[check].status == "pass", checks[check].message
    assert checks["final_accounts_income_total"].computed == checks["final_accounts_income_total"].stated


def test_identities_fail_when_a_total_is_wrong():
    d = doc("finance_bureau_2024")
    i = d.raw.index("年初结转和结余 | 49.14") + len("年初结转和结余 | ")
    raw = d.raw[:i] + "59.14" + d.raw[i + 5:]  # same length: every other span stays valid
    fa = extract_final_accounts(replace(d, raw=raw, tables=tuple(_retext(t, raw) for t in d.tables)))
    check = next(c for c in fa.checks if c.name == "final_accounts_income_total")
    assert check.status == "fail" and check.computed == Decimal("3005.39") and check.stated == Decimal("2995.39")


def _retext(table, raw):
    from extract.core import Cell, Table

    rows = tuple(tuple(Cell(c.span.text(raw) if not c.merged else c.text, c.span, c.merged) for c in row)
                 for row in table.rows)
    return Table(rows, table.span, table.source, table.header_rows, table.page)


@pytest.mark.parametrize("name", ["finance_bureau_2024", "social_work_department_2024"])
def test_explanation_figures_equal_the_tables(name):
    check = next(c for c in found(name).checks if c.name == "final_accounts_text_vs_tables")
    assert check.status == "pass" and check.stated >= 10


def test_explanation_mismatch_is_reported():
    """规划和自然资源局: the explanation's 人员经费 4896.98 万元 is not the table's 人员经费合计 4884.09."""
    check = next(c for c in found("planning_and_natural_resources_2024").checks
                 if c.name == "final_accounts_text_vs_tables")
    assert check.status == "fail" and "4896.98" in check.message and "4884.09" in check.message


@pytest.mark.parametrize("name", ["finance_bureau_2024", "social_work_department_2024",
                                  "planning_and_natural_resources_2024", "final_accounts_template"])
def test_all_nine_standard_tables_present(name):
    """All four PDFs print the nine tables (a title line and a ruled table; some say 本表无数据)."""
    fa = found(name)
    check = next(c for c in fa.checks if c.name == "final_accounts_standard_tables")
    assert check.status == "pass" and set(fa.tables) == set(STANDARD_TABLES)
    if name == "social_work_department_2024":  # 三公, 政府性基金, 国有资本: 本表无数据
        assert check.message.endswith("(3 without figures: 政府性基金预算财政拨款支出决算表、"
                                      "国有资本经营预算财政拨款支出决算表、“三公”经费支出决算表)")


def test_missing_tables_are_listed():
    d = doc("social_work_department_2024")
    tables = classify_tables(d)
    drop = {id(t) for key in ("fiscal_total", "three_public") for t in tables[key]}
    fa = extract_final_accounts(replace(d, tables=tuple(t for t in d.tables if id(t) not in drop)))
    check = next(c for c in fa.checks if c.name == "final_accounts_standard_tables")
    assert check.status == "fail"
    assert check.message.startswith("missing: 财政拨款收入支出决算总表、“三公”经费支出决算表 (")


# --------------------------------------------------------------------------- against the gold

@pytest.fixture(scope="module")
def scored():
    from jixiao_eval import load_set, score_sets
    from extract.pipeline import extract_file

    gold, problems = load_set(GOLD)
    assert not problems and len(gold) == 2
    pred = {d: extract_file(CORPUS / f"{d}.pdf").to_spec() for d in gold}
    return gold, pred, score_sets(gold, pred)


def test_gold_refers_to_the_pdfs():
    import hashlib

    for path in GOLD.glob("*.json"):
        g = json.loads(path.read_text(encoding="utf-8"))
        pdf = ROOT / g["source"]["path"]
        assert pdf.resolve() == (CORPUS / f"{g['doc_id']}.pdf").resolve()
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == g["text_sha256"]


def test_facts_f1_against_gold(scored):
    _, _, report = scored
    fact, mention = report["facts"]["fact"]["overall"], report["facts"]["mention"]["overall"]
    assert fact["f1"] >= 0.95 and mention["f1"] >= 0.95, (fact, mention)
    assert report["meta"]["accuracy"] == 1.0


def test_pages_right_for_every_item(scored):
    gold, pred, _ = scored
    for d, g in gold.items():
        by_span = {tuple(f["span"]): f for f in pred[d]["facts"]}
        for f in g["facts"]:
            p = by_span.get(tuple(f["span"]))
            assert p is not None, (d, f)
            assert p["page"] == f["page"], (d, f["text"], p["page"], f["page"])
        assert all(isinstance(f["page"], int) and f["page"] >= 1 for f in pred[d]["facts"])


def test_page_reaches_the_tables_and_the_view(scored):
    from extract.io.tables import build_tables, rows_for
    from extract.view import render

    _, pred, _ = scored
    spec = pred["finance_bureau_2024"]
    rows = rows_for(spec)["facts"]
    assert [r["page"] for r in rows] == [f["page"] for f in spec["facts"]] and rows[0]["page"] == 6
    frames = build_tables([spec])
    assert str(frames["facts"]["page"].dtype) == "Int64" and frames["facts"]["page"].max() == 23
    page = render(spec, doc("finance_bureau_2024").raw)
    assert "<th>page</th>" in page and "<td>21</td>" in page
