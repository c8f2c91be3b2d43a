"""Arithmetic cross-checks on hand-built Results (named case tables), and on the seeds' gold."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extract.checks import result_from_spec, run_checks
from extract.core import Evidence, Fact, Indicator, MetaField, Result, Span

ROOT = Path(__file__).resolve().parents[1]
EV = Evidence("test", "hand_built")
SCALE = {"万元": 10000, "元": 1, "亿元": 10 ** 8, "%": 1, "人": 1, "名": 1}


class Report:
    """Builds a Result whose facts point into a synthetic raw text ``value+unit；…``."""

    def __init__(self):
        self.raw, self.facts, self.indicators, self.meta = "", [], [], []

    def _span(self, text: str) -> Span:
        start = len(self.raw)
        self.raw += text + "；"
        return Span(start, start + len(text))

    def fin(self, name, number, unit="万元", stage=None, qualifier=None, entity=None):
        span = self._span(f"{number}{unit}")
        self.facts.append(Fact("finance", name, Decimal(number) * SCALE[unit], span, EV, stage, qualifier, entity,
                               number, unit))
        return self

    def rate(self, name, number):
        self.facts.append(Fact("rate", name, Decimal(number), self._span(f"{number}%"), EV, amount_text=number, unit="%"))
        return self

    def staff(self, name, n, entity=None):
        self.facts.append(Fact("staffing", name, Decimal(n), self._span(f"{n}人"), EV, entity=entity,
                               amount_text=str(n), unit="人"))
        return self

    def row(self, level3, weight, score):
        span = self._span(f"{level3} {weight} {score}")
        self.indicators.append(Indicator("履职效能", "整体效能", level3, Decimal(weight),
                                         None if score is None else Decimal(score), EV, span))
        return self

    def self_score(self, value):
        self.meta.append(MetaField("self_score", Decimal(value), self._span(f"自评得分{value}分"), EV))
        return self

    def result(self) -> Result:
        return Result("t", "", meta=tuple(self.meta), facts=tuple(self.facts), indicators=tuple(self.indicators),
                      raw=self.raw)


def statuses(report: Report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in run_checks(report.result()):
        out.setdefault(c.name, []).append(c.status)
    return out


def consistent() -> Report:
    """A consistent report modelled on seed 002, with its slips repaired."""
    return (Report()
            .fin("income", "295.82", stage="budget").fin("expenditure", "295.82", stage="budget")
            .rate("execution_rate", "91.64")
            .fin("carryover_begin", "5.2").fin("income", "274.23", stage="final")
            .fin("income", "270.00", stage="final", qualifier="general_public")
            .fin("income", "0", stage="final", qualifier="government_fund")
            .fin("income", "4.23", stage="final", qualifier="other")
            .fin("expenditure", "271.1", stage="final").fin("carryover_end", "8.33")
            .fin("basic_expenditure", "251.1", stage="final").fin("project_expenditure", "20", stage="final")
            .fin("personnel_expenditure", "230.00", stage="final").fin("public_expenditure", "21.10", stage="final")
            .fin("expenditure", "191.43", stage="final", qualifier="一般公共服务支出")
            .fin("expenditure", "41.45", stage="final", qualifier="社会保障和就业支出")
            .fin("expenditure", "8.89", stage="final", qualifier="卫生健康支出")
            .fin("expenditure", "7", stage="final", qualifier="城乡社区支出")
            .fin("expenditure", "22.33", stage="final", qualifier="住房保障支出")
            .rate("budget_variance_rate", "-8.36").rate("carryover_rate", "2.82")
            .staff("authorized_total", 10).staff("authorized_admin", 8).staff("authorized_worker", 2)
            .staff("active_total", 9).staff("active_admin", 7)
            .row("产出指标完成情况", "60", "60").row("部门预算资金支出率", "40", "38").self_score("98"))


def test_consistent_report_passes_every_check():
    got = statuses(consistent())
    assert {name: set(s) for name, s in got.items()} == {name: {"pass"} for name in got}
    for name in ("income_parts_sum", "basic_project_sum", "basic_personnel_public_sum", "functional_classes_sum",
                 "carryover_identity", "execution_rate", "budget_variance_rate", "carryover_rate",
                 "establishment", "authorized_parts_sum", "indicator_weights_sum", "indicator_scores_sum",
                 "indicator_score_within_weight"):
        assert name in got, name


def _replace(report: Report, index_of: callable, **changes) -> Report:
    from dataclasses import replace

    i = next(i for i, f in enumerate(report.facts) if index_of(f))
    report.facts[i] = replace(report.facts[i], **changes)
    return report


def _fin(name, stage=None, qualifier=None):
    return lambda f: (f.name, f.stage, f.qualifier) == (name, stage, qualifier)


FAILING = [
    ("income_parts_do_not_sum", lambda r: _replace(r, _fin("income", "final", "other"), value=Decimal("142300")),
     "income_parts_sum"),
    ("basic_plus_project_is_not_total", lambda r: _replace(r, _fin("project_expenditure", "final"),
                                                          value=Decimal("250000")), "basic_project_sum"),
    ("personnel_plus_public_is_not_basic", lambda r: _replace(r, _fin("public_expenditure", "final"),
                                                             value=Decimal("311000")), "basic_personnel_public_sum"),
    ("functional_classes_do_not_sum", lambda r: _replace(r, _fin("expenditure", "final", "卫生健康支出"),
                                                        value=Decimal("98900")), "functional_classes_sum"),
    ("carryover_does_not_close", lambda r: _replace(r, _fin("carryover_end"), value=Decimal("183300")),
     "carryover_identity"),
    ("execution_rate_wrong", lambda r: _replace(r, lambda f: f.name == "execution_rate", value=Decimal("95")),
     "execution_rate"),
    ("variance_rate_wrong", lambda r: _replace(r, lambda f: f.name == "budget_variance_rate", value=Decimal("-5.5")),
     "budget_variance_rate"),
    ("carryover_rate_wrong", lambda r: _replace(r, lambda f: f.name == "carryover_rate", value=Decimal("9.9")),
     "carryover_rate"),
    ("over_establishment", lambda r: _replace(r, lambda f: f.name == "active_total", value=Decimal(12)),
     "establishment"),
    ("more_admin_in_post_than_admin_posts", lambda r: _replace(r, lambda f: f.name == "active_admin", value=Decimal(9)),
     "establishment"),
    ("authorized_parts_exceed_total", lambda r: _replace(r, lambda f: f.name == "authorized_worker", value=Decimal(5)),
     "authorized_parts_sum"),
    ("weights_do_not_sum_to_100", lambda r: r.row("预决算公开合规性", "5", "5").self_score("103"),
     "indicator_weights_sum"),
    ("scores_do_not_sum_to_self_score", lambda r: (r.meta.clear(), r.self_score("97"))[1], "indicator_scores_sum"),
    ("score_above_weight", lambda r: r.row("新增项目", "0", "2").self_score("100"), "indicator_score_within_weight"),
    ("two_different_totals", lambda r: r.fin("expenditure", "295.82", stage="final"), "figure_consistency"),
]


@pytest.mark.parametrize("mutate,check", [(m, c) for _, m, c in FAILING], ids=[i for i, _, _ in FAILING])
def test_each_identity_can_fail(mutate, check):
    report = mutate(consistent())
    report.meta[:] = report.meta[-1:]  # keep only the last self_score a case set
    assert "fail" in statuses(report)[check]


def test_over_establishment_message_and_figures():
    report = Report().staff("authorized_total", 10).staff("active_total", 12)
    c = next(c for c in run_checks(report.result()) if c.name == "establishment" and c.status == "fail")
    assert c.message.startswith("over-establishment: 12 people in post against 10 authorized posts")
    assert (c.computed, c.stated) == (12, 10)
    assert [report.raw[s.start:s.end] for _, _, s in c.inputs] == ["12人", "10人"]


def seed_002_like() -> Report:
    """Seed 002's figures as its gold has them: one class in 元, two expenditure totals, 12 in post for 10 posts."""
    return (Report()
            .staff("authorized_total", 10).staff("active_total", 12)
            .fin("income", "295.82", stage="budget").fin("expenditure", "295.82", stage="budget")
            .rate("execution_rate", "100")
            .fin("carryover_begin", "5.2").fin("income", "274.23", stage="final")
            .fin("expenditure", "271.1", stage="final").fin("carryover_end", "8.33")
            .fin("expenditure", "295.82", stage="final")
            .fin("expenditure", "215.15", unit="元", stage="final", qualifier="一般公共服务支出")
            .fin("expenditure", "41.45", stage="final", qualifier="社会保障和就业支出")
            .fin("expenditure", "8.89", stage="final", qualifier="卫生健康支出")
            .fin("expenditure", "7", stage="final", qualifier="城乡社区支出")
            .fin("expenditure", "23.33", stage="final", qualifier="住房保障支出"))


def test_unit_slip_is_flagged_with_the_sum_it_would_give():
    report = seed_002_like()
    checks = {c.name: c for c in run_checks(report.result()) if c.status == "fail"}
    slip = checks["unit_slip"]
    assert "215.15元" in slip.message and "295.82万元" in slip.message and "likely unit error" in slip.message
    assert slip.computed == Decimal("2958200") and slip.stated == Decimal("2958200")
    assert report.raw[slip.inputs[0][2].start:slip.inputs[0][2].end] == "215.15元"
    assert checks["functional_classes_sum"].message.endswith("see unit_slip")


def test_seed_002_like_outcomes():
    got = statuses(seed_002_like())
    assert got["figure_consistency"] == ["fail"]  # 271.1万元 and 295.82万元 for expenditure[final]
    assert got["establishment"] == ["fail"]
    assert got["unit_slip"] == ["fail"] and got["functional_classes_sum"] == ["fail"]
    assert got["carryover_identity"] == ["pass"]  # holds with 271.1万元
    assert got["execution_rate"] == ["pass"]  # holds with 295.82万元


def test_unit_slip_not_claimed_when_rescaling_does_not_help():
    report = seed_002_like()
    _replace(report, _fin("expenditure", "final", "住房保障支出"), value=Decimal("533300"))
    assert "unit_slip" not in statuses(report)


MISSING = [
    ("rate_without_its_figures", Report().rate("carryover_rate", "2.5"), "carryover_rate", "not_applicable"),
    ("carryover_without_income", Report().fin("carryover_begin", "1").fin("carryover_end", "2"),
     "carryover_identity", "not_applicable"),
    ("carryover_end_only", Report().fin("carryover_end", "2").fin("income", "5", stage="final"),
     "carryover_identity", None),
    ("basic_without_project", Report().fin("expenditure", "10", stage="final").fin("basic_expenditure", "8", stage="final"),
     "basic_project_sum", "not_applicable"),
    ("income_breakdown_incomplete", Report().fin("income", "10", stage="final")
     .fin("income", "8", stage="final", qualifier="general_public"), "income_parts_sum", "not_applicable"),
    ("income_parts_above_total_fail_even_if_incomplete", Report().fin("income", "10", stage="final")
     .fin("income", "12", stage="final", qualifier="general_public"), "income_parts_sum", "fail"),
    ("classes_without_a_total", Report().fin("expenditure", "8", stage="final", qualifier="教育支出"),
     "functional_classes_sum", "not_applicable"),
    ("classes_at_another_stage_than_the_total", Report().fin("expenditure", "8", stage="final", qualifier="教育支出")
     .fin("expenditure", "9", stage="budget"), "functional_classes_sum", "not_applicable"),
    ("posts_without_people", Report().staff("authorized_total", 10), "establishment", None),
    ("actual_total_counting_retirees", Report().staff("authorized_admin", 20).staff("actual_total", 34)
     .staff("retired", 12), "establishment", "not_applicable"),
    ("actual_total_alone_over_posts", Report().staff("authorized_admin", 20).staff("actual_total", 24),
     "establishment", "fail"),
    ("scores_without_self_score", Report().row("a", "100", "90"), "indicator_scores_sum", "not_applicable"),
    ("row_without_score", Report().row("a", "60", "60").row("b", "40", None).self_score("60"),
     "indicator_scores_sum", "not_applicable"),
    ("nothing_stated", Report(), "income_parts_sum", None),
    ("other_income_alone_is_no_breakdown", Report().fin("income", "10", stage="final")
     .fin("income", "1", stage="final", qualifier="other"), "income_parts_sum", None),
    ("project_funding_levels_short", Report().fin("expenditure", "100", stage="adjusted")
     .fin("expenditure", "60", stage="adjusted", qualifier="provincial"), "funding_levels_sum", "not_applicable"),
    ("project_funding_levels_sum", Report().fin("expenditure", "100", stage="adjusted")
     .fin("expenditure", "60", stage="adjusted", qualifier="provincial")
     .fin("expenditure", "40", stage="adjusted", qualifier="county"), "funding_levels_sum", "pass"),
    ("funds_received_levels_above_total", Report().fin("funds_received", "100")
     .fin("funds_received", "60", qualifier="central").fin("funds_received", "50", qualifier="county"),
     "funding_levels_sum", "fail"),
]


@pytest.mark.parametrize("report,check,expected", [(r, c, e) for _, r, c, e in MISSING], ids=[m[0] for m in MISSING])
def test_missing_inputs(report, check, expected):
    got = statuses(report).get(check)
    assert got == ([expected] if expected else None)


TOLERANCE = [
    ("parts_rounded_to_0.01_wan", ["3.33", "3.33", "3.33"], "10.00", "pass"),  # off by 100 yuan, 4 × 50 allowed
    ("just_outside_rounding", ["3.33", "3.33", "3.30"], "10.00", "fail"),  # off by 400 yuan
    ("integer_wan_is_known_to_half_a_wan", ["7", "3.3"], "10.00", "pass"),  # 7万元 is 6.5-7.5万元
    ("zero_is_exact", ["0", "9.98"], "10.00", "fail"),
]


@pytest.mark.parametrize("parts,total,expected", [(p, t, e) for _, p, t, e in TOLERANCE],
                         ids=[t[0] for t in TOLERANCE])
def test_rounding_tolerance(parts, total, expected):
    report = Report().fin("expenditure", total, stage="final")
    for n, number in enumerate(parts):
        report.fin("expenditure", number, stage="final", qualifier=f"类{n}支出")
    assert statuses(report)["functional_classes_sum"] == [expected]


RATES = [
    ("variance_stated_without_sign", "19.58", "pass"),
    ("variance_with_sign", "-19.58", "pass"),
    ("variance_rounded_once_more", "19.6", "pass"),
    ("variance_wrong", "18.58", "fail"),
]


@pytest.mark.parametrize("stated,expected", [(s, e) for _, s, e in RATES], ids=[r[0] for r in RATES])
def test_variance_rate_within_rounding(stated, expected):
    report = (Report().fin("income", "588.55", stage="final", qualifier="fiscal")
              .fin("income", "731.80", stage="budget", qualifier="fiscal").rate("budget_variance_rate", stated))
    assert statuses(report)["budget_variance_rate"] == [expected]


def test_same_figure_in_two_units_is_consistent():
    report = Report().fin("expenditure", "271.1", stage="final").fin("expenditure", "2711000", unit="元", stage="final")
    assert statuses(report)["figure_consistency"] == ["pass"]


def test_check_json_names_inputs_with_spans():
    c = next(c for c in run_checks(consistent().result()) if c.name == "carryover_identity")
    out = c.to_json()
    assert out["identity"] == "carryover_end = carryover_begin + income[final] − expenditure[final]"
    assert [i["value"] for i in out["inputs"]] == ["5.2万元", "274.23万元", "271.1万元", "8.33万元"]
    assert out["computed"] == out["stated"] == "83300"


# --------------------------------------------------------------------------- seeds' gold

def gold_checks(prefix: str):
    path = next((ROOT / "annotations/gold").glob(f"{prefix}_*.json"))
    spec = json.loads(path.read_text(encoding="utf-8"))
    raw = (ROOT / "annotations/docs" / f"{path.stem}.txt").read_text(encoding="utf-8")
    return run_checks(result_from_spec(spec, raw))


def test_gold_002_flags_its_real_inconsistencies():
    failed = {c.name: c for c in gold_checks("002") if c.status == "fail"}
    assert set(failed) == {"figure_consistency", "functional_classes_sum", "unit_slip", "establishment"}
    assert "271.1万元 and 295.82万元" in failed["figure_consistency"].message
    assert "一般公共服务支出 is written 215.15元" in failed["unit_slip"].message


@pytest.mark.parametrize("prefix", ["000", "001", "003"])
def test_gold_of_consistent_seeds_passes(prefix):
    checks = gold_checks(prefix)
    assert checks and {c.status for c in checks} == {"pass"}, [(c.name, c.message) for c in checks if c.status != "pass"]


def test_gold_003_scoring_table_checks():
    names = {c.name: c.status for c in gold_checks("003")}
    assert names["indicator_weights_sum"] == names["indicator_scores_sum"] == "pass"


# --------------------------------------------------------------------------- jixiao check

def test_cli_check_on_gold_json_prints_the_flags():
    from typer.testing import CliRunner

    from extract.cli import app

    r = CliRunner().invoke(app, ["check", str(ROOT / "annotations/gold/002_abe985accc078995.json"),
                                 "--docs", str(ROOT / "annotations/docs")])
    assert r.exit_code == 0, r.output
    assert "unit_slip" in r.output and "over-establishment" in r.output and "expenditure[final]" in r.output


def test_cli_check_json_and_errors(tmp_path):
    from typer.testing import CliRunner

    from extract.cli import app

    spec = {"doc_id": "x", "facts": [], "checks": [{"name": "n", "identity": "i", "status": "pass", "inputs": [],
                                                     "computed": None, "stated": None, "message": "m"}]}
    (tmp_path / "x.json").write_text(json.dumps(spec), encoding="utf-8")
    r = CliRunner().invoke(app, ["check", "--json", str(tmp_path), str(tmp_path / "missing.txt")])
    assert r.exit_code == 1  # some inputs failed, the others checked (README "Exit codes")
    out = json.loads(r.stdout)
    assert out == [{"doc_id": "x", "path": str(tmp_path / "x.json"), "checks": spec["checks"]}]
    assert "missing.txt" in r.stderr
    r = CliRunner().invoke(app, ["check", "--json", "--recompute", str(tmp_path / "x.json")])
    assert json.loads(r.stdout)[0]["checks"] == []  # no facts: nothing to check
    assert CliRunner().invoke(app, ["check", str(tmp_path / "missing.txt")]).exit_code == 3  # nothing done


def test_cli_check_runs_the_pipeline_on_a_report():
    from typer.testing import CliRunner

    from extract.cli import app

    r = CliRunner().invoke(app, ["check", "--json", str(ROOT / "annotations/docs/003_c4ed01706cea8ce1.txt")])
    assert r.exit_code == 0, r.output
    names = {c["name"]: c["status"] for c in json.loads(r.stdout)[0]["checks"]}
    assert names["indicator_weights_sum"] == "pass"


# --------------------------------------------------------------------------- seeds end to end (pipeline)

SEED_FAILURES = [
    ("000", set()),
    ("001", set()),
    # 271.1万元 and 295.82万元 for expenditure[final]; 一般公共服务支出 215.15元 among 万元 classes; 12 in post, 10 posts
    ("002", {"figure_consistency", "functional_classes_sum", "unit_slip", "establishment"}),
    ("003", set()),
    # 财政拨款收入 588.55 (final) / 731.80 (budget) against its stated 一般公共预算 + 政府性基金 parts
    ("004", {"fiscal_parts_sum"}),
]


@pytest.fixture(scope="module")
def pipeline_checks():
    from extract.pipeline import extract_file

    return {p.name[:3]: extract_file(p).checks for p in sorted((ROOT / "annotations/docs").glob("*.txt"))}


@pytest.mark.parametrize("prefix,failing", SEED_FAILURES, ids=[s[0] for s in SEED_FAILURES])
def test_seed_checks_end_to_end(pipeline_checks, prefix, failing):
    checks = pipeline_checks[prefix]
    assert {c.name for c in checks if c.status == "fail"} == failing, \
        [(c.name, c.message) for c in checks if c.status == "fail"]
    assert sum(c.status == "pass" for c in checks) >= 3
