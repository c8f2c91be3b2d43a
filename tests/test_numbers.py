"""The figure parser: one named case per form a report writes a number in."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extract.numbers import find_figures, parse_figure, parse_number

# (id, text, [(figure text, value in SPEC units, unit)])
FIND_CASES = [
    ("thousands_separator", "总预算1,297.59", [("1,297.59", "1297.59", None)]),
    ("line_break_inside", "收入决算4500.43\n\n万元", [("4500.43\n\n万元", "45004300", "万元")]),
    ("break_inside_unit", "卫生健康支出25 万\n\n元", [("25 万\n\n元", "250000", "万元")]),
    ("full_width", "１２．５万元", [("１２．５万元", "125000", "万元")]),
    ("chinese_count", "四个内设机构", [("四个", "4", "个")]),
    ("chinese_teens", "十三个组室", [("十三个", "13", "个")]),
    ("liang", "两名", [("两名", "2", "名")]),
    ("mixed_wan", "1.2万人", [("1.2万人", "12000", "人")]),
    ("long_decimal", "52.800000", [("52.800000", "52.8", None)]),
    ("above_100_percent", "执行率102.59%", [("102.59%", "102.59", "%")]),
    ("full_width_percent", "100％", [("100％", "100", "%")]),
    ("negative", "差异-3.5万元", [("-3.5万元", "-35000", "万元")]),
    ("minus_between_figures_is_not_a_sign", "（588.55万元-731.80万元）",
     [("588.55万元", "5885500", "万元"), ("731.80万元", "7318000", "万元")]),
    ("yi_yuan", "2.33亿元", [("2.33亿元", "233000000", "亿元")]),
    ("yuan", "215.15元", [("215.15元", "215.15", "元")]),
    ("qian_yuan", "12千元", [("12千元", "12000", "千元")]),
    ("negative_full_width", "－3.5万元", [("－3.5万元", "-35000", "万元")]),
    ("negative_word", "差异负3.5万元", [("负3.5万元", "-35000", "万元")]),
    ("negative_bare", "-3.5", [("-3.5", "-3.5", None)]),
    ("range_is_not_a_negative", "50万-100万元", [("50万", "500000", None), ("100万元", "1000000", "万元")]),
    ("percent_in_words", "百分之九十五", [("百分之九十五", "95", "%")]),
    ("percent_in_words_hundred", "达到百分之百", [("百分之百", "100", "%")]),
    ("chinese_decimal_percent", "九十五点五%", [("九十五点五%", "95.5", "%")]),
    ("zero_with_unit", "零元", [("零元", "0", "元")]),
    ("spaced_wan_yuan", "2,724.71 万 元", [("2,724.71 万 元", "27247100", "万元")]),
    ("not_a_thousands_group", "12,3456", [("12", "12", None), ("3456", "3456", None)]),
    ("traditional_wan", "收入100萬元", [("100萬元", "1000000", "万元")]),
    ("traditional_liang", "兩名", [("兩名", "2", "名")]),
    ("masked_stars", "****万元", []),
    ("masked_inside", "1**.5万元", []),
    ("masked_x", "x万元", []),
    ("placeholder_year", "20xx年", []),
    ("masked_percent", "XX%", []),
    ("year_is_not_a_figure", "2024年", []),
    ("date_is_not_a_figure", "6月20日前", []),
    ("bare_chinese_numeral_is_not_a_figure", "一是加强管理", []),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in FIND_CASES], ids=[c[0] for c in FIND_CASES])
def test_find_figures(text, expected):
    got = [(f.text, f.value, f.unit) for f in find_figures(text)]
    assert got == [(t, Decimal(v), u) for t, v, u in expected]


def test_offsets_point_into_the_input():
    text = "其中：行政编制２０名，在职19人"
    for f in find_figures(text):
        assert text[f.start:f.end] == f.text


def test_default_unit_from_a_table_header():
    (f,) = find_figures("1,155.12", default_unit="万元")
    assert f.value == Decimal("11551200") and f.unit == "万元" and f.scale == 10000


def test_written_multiplier_is_not_scaled_again_by_the_header_unit():
    (f,) = find_figures("1.2万", default_unit="万元")
    assert f.value == Decimal("12000") and f.kind == "money"


def test_default_unit_does_not_override_a_written_unit():
    (f,) = find_figures("215.15元", default_unit="万元")
    assert f.value == Decimal("215.15") and f.unit == "元"


PARSE_CASES = [
    ("finance_wan", "2724.71 万元", "finance", 27247100.0),
    ("finance_yuan_stays_yuan", "215.15元", "finance", 215.15),
    ("finance_header_unit", "1,297.59", "finance", 12975900.0),
    ("finance_wan_without_yuan", "1.2万", "finance", 12000.0),
    ("finance_line_breaks", "25 万\n\n元", "finance", 250000.0),
    ("finance_full_width", "１２．５万元", "finance", 125000.0),
    ("finance_yi", "2.33亿元", "finance", 233000000.0),
    ("finance_negative", "－3.5万元", "finance", -35000.0),
    ("finance_masked", "x万元", "finance", None),
    ("finance_placeholder_year", "20xx", "finance", None),
    ("staffing_teens", "十三人", "staffing", 13),
    ("staffing_fraction_refused", "1.5人", "staffing", None),
    ("rate_long_decimal", "52.800000%", "rate", 52.8),
    ("rate_above_100", "102.59%", "rate", 102.59),
    ("rate_masked", "XX%", "rate", None),
    ("rate_in_words", "百分之九十五", "rate", 95.0),
    ("staffing", "20 名", "staffing", 20),
    ("org_chinese", "四个", "org", 4),
    ("org_none", "无", "org", 0),
    ("rate", "19.58%", "rate", 19.58),
    ("rate_zero_word", "零", "rate", 0.0),
    ("masked", "**人", "staffing", None),
    ("no_number", "若干", "staffing", None),
]


@pytest.mark.parametrize("text,ftype,value", [c[1:] for c in PARSE_CASES], ids=[c[0] for c in PARSE_CASES])
def test_parse_figure(text, ftype, value):
    got = parse_figure(text, ftype)
    assert got == value and type(got) is type(value)


def test_parse_number_keeps_the_written_number():
    assert parse_number("4,498.11万元") == Decimal("4498.11")
    assert parse_number("没有数字") is None
