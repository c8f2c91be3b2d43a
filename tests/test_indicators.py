"""Scoring-table rows: hand-written flattened tables (named cases) and seed 003 against gold."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extract.facts.indicators import extract
from extract.text.tables import ScoringLayout as Layout
from extract.text.tables import parse_scoring_header as parse_header
from extract.normalize import make_document

ROOT = Path(__file__).resolve().parents[1]
HEADER = "一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 未达标原因 改进措施\n"
D = Decimal


def rows(text: str):
    doc = make_document(text)
    return doc, extract(doc, None)


def summary(text: str):
    """(level1, level2, level3, weight, score, reason text, measure text) per row."""
    doc, found = rows(text)
    cell = lambda s: doc.raw[s.start:s.end] if s else None  # noqa: E731
    return [(r.level1, r.level2, r.level3, r.weight, r.score, cell(r.reason_span), cell(r.measure_span))
            for r in found]


CASES = [
    ("cells_one_per_line_wrapped_names",
     HEADER + "履职效能 50 整体效能 50\n\n部门整体绩效目\n标产出指标完成\n情况\n\n20\n\n反映部门整\n体绩效目标完成情\n况。\n\n20 - -\n"
              "\n部门预算资金支\n出率\n\n10\n反映部门预算资金支出进度。\n\n10 - -\n总分 100 30\n",
     [("履职效能", "整体效能", "部门整体绩效目标产出指标完成情况", D(20), D(20), None, None),
      ("履职效能", "整体效能", "部门预算资金支出率", D(10), D(10), None, None)]),
    ("inherited_level1_new_level2",
     HEADER + "管理效率 50\n预算编制 3\n新增预算项目事\n前绩效评估\n3\n反映事前绩效评估。\n3 - -\n"
              "预算执行 4\n结转结余率 2\n反映结转结余。\n2 - -\n财务管理合规性 2\n反映规范性。\n1 - -\n总分 100 6\n",
     [("管理效率", "预算编制", "新增预算项目事前绩效评估", D(3), D(3), None, None),
      ("管理效率", "预算执行", "结转结余率", D(2), D(2), None, None),
      ("管理效率", "预算执行", "财务管理合规性", D(2), D(1), None, None)]),
    ("filled_reason_and_wrapped_measure",
     HEADER + "履职效能 50 整体效能 50\n支出率 10 反映支出进度。 9 开支设置不够细化。\n\n预算执行有待提升，对\n\n各项指标进行细化\n\n。\n"
              "管理效率 50 信息公开 4\n公开合规性 2 反映公开情况。 2 - -\n总分 100 11\n",
     [("履职效能", "整体效能", "支出率", D(10), D(9), "开支设置不够细化。", "预算执行有待提升，对\n\n各项指标进行细化\n\n。"),
      ("管理效率", "信息公开", "公开合规性", D(2), D(2), None, None)]),
    ("row_whose_name_was_lost",
     HEADER + "管理效率 50 采购管理 10\n采购意向公开合\n规性\n0.5\n反映公开情况。\n0.5 - -\n1.5 1.5 - -\n合同备案时效性 1 反映备案情况。 1 - -\n总分 100 3\n",
     [("管理效率", "采购管理", "采购意向公开合规性", D("0.5"), D("0.5"), None, None),
      ("管理效率", "采购管理", None, D("1.5"), D("1.5"), None, None),
      ("管理效率", "采购管理", "合同备案时效性", D(1), D(1), None, None)]),
    ("missing_score",
     HEADER + "履职效能 50 整体效能 50\n支出率 10\n反映支出进度。\n- -\n产出完成情况 20 反映产出。 18 - -\n总分 100 18\n",
     [("履职效能", "整体效能", "支出率", D(10), None, None, None),
      ("履职效能", "整体效能", "产出完成情况", D(20), D(18), None, None)]),
    ("blank_markers_wu_and_dashes",
     HEADER + "履职效能 50 整体效能 50\n支出率 10 反映支出进度。 10 无 —\n总分 100 10\n",
     [("履职效能", "整体效能", "支出率", D(10), D(10), None, None)]),
    ("full_width_numbers",
     HEADER + "履职效能 ５０ 整体效能 ５０\n支出率 １０ 反映支出进度。 ９．５ - -\n总分 100 9.5\n",
     [("履职效能", "整体效能", "支出率", D(10), D("9.5"), None, None)]),
    ("pipe_rows_with_repeated_merged_cells",
     "一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 指标解释 | 得分 | 未达标原因 | 改进措施\n"
     "履职效能 | 50 | 整体效能 | 50 | 部门预算资金支出率 | 10 | 反映支出进度。 | 8 | 支出进度慢 | 加快支出进度\n"
     "履职效能 | 50 | 整体效能 | 50 | 产出指标完成情况 | 20 | 反映产出。 | 20 |  | \n",
     [("履职效能", "整体效能", "部门预算资金支出率", D(10), D(8), "支出进度慢", "加快支出进度"),
      ("履职效能", "整体效能", "产出指标完成情况", D(20), D(20), None, None)]),
    ("levels_without_weights_in_pipes",
     "一级指标 | 二级指标 | 三级指标 | 分值 | 得分 | 未达标原因 | 改进措施\n"
     "产出指标 | 数量指标 | 培训人次 | 10 | 10 | - | -\n"
     "| | 质量指标 | 合格率 | 10 | 9 | 个别不合格 | 加强质检\n",
     [("产出指标", "数量指标", "培训人次", D(10), D(10), None, None),
      ("产出指标", "质量指标", "合格率", D(10), D(9), "个别不合格", "加强质检")]),
    ("header_wrapped_over_two_lines",
     "一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评\n分 未达标原因 改进措施\n"
     "履职效能 50 整体效能 50\n支出率 10 反映支出进度。 8 进度慢。 加快进度。\n总分 100 8\n",
     [("履职效能", "整体效能", "支出率", D(10), D(8), "进度慢。", "加快进度。")]),
    ("no_explanation_no_trailing_cells",
     "一级指标 分值 二级指标 分值 三级指标 分值 得分\n履职效能 50 整体效能 50 支出率 10 9\n产出完成情况 20 20\n"
     "1.5 1.5\n总分 100 30.5\n",
     [("履职效能", "整体效能", "支出率", D(10), D(9), None, None),
      ("履职效能", "整体效能", "产出完成情况", D(20), D(20), None, None),
      ("履职效能", "整体效能", None, D("1.5"), D("1.5"), None, None)]),
    ("no_header_no_rows",
     "部门预算资金支出率 10 反映部门预算资金支出进度。 9 - -\n",
     []),
    ("wrapped_reason_label_and_a_short_reason",
     "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因\n分析及\n改进措施\n"
     "产出指标 数量指标 改造户数 ≥300户 288户 20 17 部分农户自愿退出改造\n质量指标 验收合格率 100% 100% 20 20\n合计 37\n",
     [("产出指标", "数量指标", "改造户数", D(20), D(17), "部分农户自愿退出改造", None),
      ("产出指标", "质量指标", "验收合格率", D(20), D(20), None, None)]),
    ("long_row_ending_in_a_reason_sentence",
     "一级 指标 二级 指标 三级 指标 年度 指标值 实际 完成值 得分 偏差原因 分析及 改进措施\n"
     "产出指标（40分） 时效指标（20分） 报修响应及时率 ≥95% 90% 16 夜间值守人员不足，部分报修次日处理；下年增设夜间值班。\n"
     " 质量指标（20分） 维修合格率 ≥98% 99% 20\n合计 36\n",
     [("产出指标", "时效指标", "报修响应及时率", D(20), D(16), "夜间值守人员不足，部分报修次日处理；下年增设夜间值班。", None),
      ("产出指标", "质量指标", "维修合格率", D(20), D(20), None, None)]),
    ("a_note_below_the_table_is_no_cell",
     "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
     "满意度指标 服务对象满意度指标 农户满意度 ≥90% 94% 10 10\n3、说明：年度资金总额按县财政下达数填列。\n",
     [("满意度指标", "服务对象满意度指标", "农户满意度", D(10), D(10), None, None)]),
    ("prose_after_table_is_not_a_row",
     HEADER + "履职效能 50 整体效能 50\n支出率 10 反映支出进度。 10 - -\n"
              "2023 年收入预算 588.55 万元，其中：一般公共预算财政拨款收入 580.06 万元，政府性基金 4.95 万元，其他收入 3.54 万元。\n"
              "决算支出 12 万元\n",
     [("履职效能", "整体效能", "支出率", D(10), D(10), None, None)]),
]


def case(name: str) -> str:
    return next(text for n, text, _ in CASES if n == name)


@pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in CASES], ids=[c[0] for c in CASES])
def test_table_rows(text, expected):
    assert summary(text) == expected


HEADER_CASES = [
    ("seed_003_layout", HEADER.strip(), Layout(2, 0, True, ("reason", "measure"))),
    ("bare_levels_combined_reason", "一级指标 二级指标 三级指标 分值 得分 偏差原因及改进措施", Layout(0, 2, False, ("reason",))),
    ("weighted_level2_only", "一级指标 二级指标 分值 三级指标 分值 得分 扣分原因", Layout(1, 1, False, ("reason",))),
    ("value_columns_before_weight", "一级指标 二级指标 三级指标 指标值 实际完成值 分值 得分", Layout(0, 2, False, (), 2)),
    ("spaced_labels", "一级 指标 二级指标 三级 指标 年度指标值 实际完成值 分值 得分 偏差原因 分析及改进措施",
     Layout(0, 2, False, ("reason",), 2)),
    ("no_weight_column", "一级指标 二级指标 三级指标 年度指标值 实际完成值 得分", Layout(0, 2, False, (), 2, False)),
    ("reason_label_wrapped_after_及", "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及 改进措施",
     Layout(0, 2, False, ("reason",), 2)),
    ("not_a_header", "三级指标的分值说明如下", None),
    ("weight_only_no_score_column", "一级指标 二级指标 三级指标 分值", Layout(0, 2, False, (), 0, True, (), False)),
    ("no_weight_and_no_score_column", "一级指标 二级指标 三级指标 年度指标值 实际完成值", None),
]


@pytest.mark.parametrize("line,expected", [(l, e) for _, l, e in HEADER_CASES], ids=[c[0] for c in HEADER_CASES])
def test_parse_header(line, expected):
    assert parse_header(line) == expected


def test_spans_are_raw_and_rows_cover_their_cells():
    doc, found = rows(case("filled_reason_and_wrapped_measure"))
    row = found[0]
    assert doc.raw[row.span.start:row.span.end].startswith("履职效能 50 整体效能 50\n支出率 10")
    assert row.span.contains(row.reason_span) and row.span.contains(row.measure_span)
    assert row.evidence.extractor == "indicators.rules.v1" and row.evidence.rule == "flat_row"


def test_row_rules_are_named():
    _, found = rows(case("row_whose_name_was_lost"))
    assert [r.evidence.rule for r in found] == ["flat_row", "row_without_name", "flat_row"]
    _, found = rows(case("missing_score"))
    assert found[0].evidence.rule == "row_without_score"


# --------------------------------------------------------------------------- seeds against gold

def _seed(doc_id_prefix: str):
    path = next((ROOT / "annotations/docs").glob(f"{doc_id_prefix}_*.txt"))
    gold = json.loads((ROOT / "annotations/gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
    raw = path.read_text(encoding="utf-8")
    return make_document(raw, doc_id=path.stem), gold


def row_f1(pred, gold) -> float:
    """SPEC matching: rows match on level3 text with equal weight and score (one-to-one)."""
    key = lambda level3, w, s: (level3, None if w is None else D(str(w)), None if s is None else D(str(s)))  # noqa: E731
    left = [key(g["level3"], g["weight"], g["score"]) for g in gold]
    tp = 0
    for r in pred:
        k = key(r.level3, r.weight, r.score)
        if k in left:
            left.remove(k)
            tp += 1
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def test_seed_003_row_f1():
    doc, gold = _seed("003")
    found = extract(doc, None)
    assert row_f1(found, gold["indicators"]) >= 0.95
    assert sum(r.weight for r in found) == 100
    assert sum(r.score for r in found) == D(gold["meta"]["self_score"])


def test_seed_003_filled_cells_match_gold_spans():
    doc, gold = _seed("003")
    found = {r.level3: r for r in extract(doc, None)}
    for g in gold["indicators"]:
        r = found[g["level3"]]
        assert (r.reason_span.to_list() if r.reason_span else None) == g["reason_span"], g["level3"]
        assert (r.measure_span.to_list() if r.measure_span else None) == g["measure_span"], g["level3"]
        assert (r.level1, r.level2) == (g["level1"], g["level2"])


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_seeds_without_a_scoring_table_have_no_rows(prefix):
    doc, gold = _seed(prefix)
    assert gold["indicators"] == []
    assert extract(doc, None) == []
