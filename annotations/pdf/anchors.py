"""Gold anchors for the PDF final accounts: each fact as (context, figure, nth, key).

Written by reading the PDFs' text and tables (the reader's raw text), before the
final-accounts extractor existed. ``context`` is a literal string of the raw text
containing ``figure``; ``nth`` picks the context's occurrence (0-based) and a figure
``"307.82#1"`` the figure's second occurrence inside the context. ``build_gold.py`` turns
these into gold JSON with raw spans and pages, so the gold can be re-anchored when
the reader's line layout changes; the values and keys are the annotation.
"""
W = 10000  # 万元 -> yuan

FIN = "finance"

# (context, figure, nth, name, stage, qualifier, value in 万元; a rate's value in percent)
RATES = ("execution_rate",)
FINANCE_BUREAU_2024 = [
    # 收入支出决算总表 (p. 5)
    ("一、一般公共预算财政拨款收入 | 2,940.05", "2,940.05", 0, "income", "final", "general_public", "2940.05"),
    ("八、其他收入 | 6.20", "6.20", 0, "income", "final", "other", "6.20"),
    ("一、一般公共服务支出 | 2,106.66", "2,106.66", 0, "expenditure", "final", "一般公共服务支出", "2106.66"),
    ("八、社会保障和就业支出 | 326.71", "326.71", 0, "expenditure", "final", "社会保障和就业支出", "326.71"),
    ("九、卫生健康支出 | 60.99", "60.99", 0, "expenditure", "final", "卫生健康支出", "60.99"),
    ("十九、住房保障支出 | 445.69", "445.69", 0, "expenditure", "final", "住房保障支出", "445.69"),
    ("本年收入合计 | 2,946.25", "2,946.25", 0, "income", "final", None, "2946.25"),
    ("本年支出合计 | 2,940.05", "2,940.05", 0, "expenditure", "final", None, "2940.05"),
    ("年初结转和结余 | 49.14", "49.14", 0, "carryover_begin", None, None, "49.14"),
    ("年末结转和结余 | 55.34", "55.34", 0, "carryover_end", None, None, "55.34"),
    # 收入决算表 合计 row (p. 6)
    ("合计 | 2,946.25 | 2,940.05 |", "2,946.25", 0, "income", "final", None, "2946.25"),
    ("合计 | 2,946.25 | 2,940.05 |", "2,940.05", 0, "income", "final", "fiscal", "2940.05"),
    ("|  |  |  |  | 6.20\n201", "6.20", 0, "income", "final", "other", "6.20"),
    # 支出决算表 合计 row and class rows
    ("合计 | 2,940.05 | 2,336.91 | 603.14 |", "2,940.05", 0, "expenditure", "final", None, "2940.05"),
    ("合计 | 2,940.05 | 2,336.91 | 603.14 |", "2,336.91", 0, "basic_expenditure", "final", None, "2336.91"),
    ("合计 | 2,940.05 | 2,336.91 | 603.14 |", "603.14", 0, "project_expenditure", "final", None, "603.14"),
    ("201 |  |  | 一般公共服务支出 | 2,106.66", "2,106.66", 0, "expenditure", "final", "一般公共服务支出", "2106.66"),
    ("208 |  |  | 社会保障和就业支出 | 326.72", "326.72", 1, "expenditure", "final", "社会保障和就业支出", "326.72"),
    ("210 |  |  | 卫生健康支出 | 60.99", "60.99", 1, "expenditure", "final", "卫生健康支出", "60.99"),
    ("221 |  |  | 住房保障支出 | 445.69", "445.69", 1, "expenditure", "final", "住房保障支出", "445.69"),
    # 财政拨款收入支出决算总表
    ("一、一般公共预算财政拨款 | 2,940.05", "2,940.05", 0, "income", "final", "general_public", "2940.05"),
    ("本年收入合计 | 2,940.05", "2,940.05", 0, "income", "final", "fiscal", "2940.05"),
    ("本年支出合计 | 2,940.05 | 2,940.05", "2,940.05", 0, "expenditure", "final", "fiscal", "2940.05"),
    # 一般公共预算财政拨款支出决算表 合计 row
    ("合计 | 2,940.05 | 2,336.91 | 603.14\n", "2,940.05", 0, "expenditure", "final", "general_public", "2940.05"),
    # 一般公共预算财政拨款基本支出决算表
    ("人员经费合计 | 2,152.26", "2,152.26", 0, "personnel_expenditure", "final", None, "2152.26"),
    ("公用经费合计 | 184.65", "184.65", 0, "public_expenditure", "final", None, "184.65"),
    # 财政拨款“三公”经费支出决算表: 合计 预算数
    ("\n0.95 |", "0.95", 0, "three_public", "budget", None, "0.95"),
    # explanation
    ("本年收入合计2946.25万元", "2946.25万元", 0, "income", "final", None, "2946.25"),
    ("财政拨款收入2940.05万元，占", "2940.05万元", 0, "income", "final", "fiscal", "2940.05"),
    ("收入6.2万元，占0.21%", "6.2万元", 0, "income", "final", "other", "6.2"),
    ("本年支出合计2940.05万元", "2940.05万元", 0, "expenditure", "final", None, "2940.05"),
    ("基本支出2336.91万元，占", "2336.91万元", 0, "basic_expenditure", "final", None, "2336.91"),
    ("603.14万元，占20.51%", "603.14万元", 0, "project_expenditure", "final", None, "603.14"),
    ("一般公共预算财政拨款支出2940.05万元，占本年支出合计", "2940.05万元", 0, "expenditure", "final", "general_public", "2940.05"),
    ("一般公共预算财政拨款支出2940.05万元，主要用于", "2940.05万元", 0, "expenditure", "final", "general_public", "2940.05"),
    ("（类）2106.66万元", "2106.66万元", 0, "expenditure", "final", "一般公共服务支出", "2106.66"),
    ("社会保障和就业支出（类）326.72万元", "326.72万元", 0, "expenditure", "final", "社会保障和就业支出", "326.72"),
    ("卫生健康支出（类）60.99万元", "60.99万元", 0, "expenditure", "final", "卫生健康支出", "60.99"),
    ("住房保障支出（类）445.69万元", "445.69万元", 0, "expenditure", "final", "住房保障支出", "445.69"),
    ("一般公共预算财政拨款支出年初预算为2993.92万元", "2993.92万元", 0, "expenditure", "budget", "general_public", "2993.92"),
    ("支出决算为2940.05万元，完", "2940.05万元", 0, "expenditure", "final", "general_public", "2940.05"),
    ("一般公共预算财政拨款基本支出2336.91万元", "2336.91万元", 0, "basic_expenditure", "final", None, "2336.91"),
    ("人员经费2152.26万元", "2152.26万元", 0, "personnel_expenditure", "final", None, "2152.26"),
    ("公用经费184.65万元", "184.65万元", 0, "public_expenditure", "final", None, "184.65"),
    ("经费财政拨款支出年初预算为0.95万元", "0.95万元", 0, "three_public", "budget", None, "0.95"),
    ("支出决算为0.00万元，完成预算的", "0.00万元", 0, "three_public", "final", None, "0"),
    # execution rates of the two budget-vs-final sentences (type rate, value in percent)
    ("成年初预算的98.20%", "98.20%", 0, "execution_rate", None, None, "98.20"),
    ("完成预算的\n0%，其中", "0%", 0, "execution_rate", None, None, "0"),
]

SOCIAL_WORK_DEPARTMENT_2024 = [
    # 收入支出决算总表
    ("一、一般公共预算财政拨款收入 | 307.82", "307.82", 0, "income", "final", "general_public", "307.82"),
    ("一、一般公共服务支出 | 264.87", "264.87", 0, "expenditure", "final", "一般公共服务支出", "264.87"),
    ("八、社会保障和就业支出 | 10.82", "10.82", 0, "expenditure", "final", "社会保障和就业支出", "10.82"),
    ("九、卫生健康支出 | 2.71", "2.71", 0, "expenditure", "final", "卫生健康支出", "2.71"),
    ("十九、住房保障支出 | 29.42", "29.42", 0, "expenditure", "final", "住房保障支出", "29.42"),
    ("本年收入合计 | 307.82 | 本年支出合计 | 307.82\n", "307.82", 0, "income", "final", None, "307.82"),
    ("本年收入合计 | 307.82 | 本年支出合计 | 307.82\n", "307.82#1", 0, "expenditure", "final", None, "307.82"),
    # 收入决算表 合计 row
    ("合计 | 307.82 | 307.82 |", "307.82", 0, "income", "final", None, "307.82"),
    ("合计 | 307.82 | 307.82 |", "307.82#1", 0, "income", "final", "fiscal", "307.82"),
    # 支出决算表 合计 row and class rows
    ("合计 | 307.82 | 105.58 | 202.24 |", "307.82", 0, "expenditure", "final", None, "307.82"),
    ("合计 | 307.82 | 105.58 | 202.24 |", "105.58", 0, "basic_expenditure", "final", None, "105.58"),
    ("合计 | 307.82 | 105.58 | 202.24 |", "202.24", 0, "project_expenditure", "final", None, "202.24"),
    ("201 | 一般公共服务支出 | 264.87 | 62.63 | 202.24 |", "264.87", 0, "expenditure", "final", "一般公共服务支出", "264.87"),
    ("208 | 社会保障和就业支出 | 10.82 | 10.82 |  |", "10.82", 1, "expenditure", "final", "社会保障和就业支出", "10.82"),
    ("210 | 卫生健康支出 | 2.71 | 2.71 |  |", "2.71", 1, "expenditure", "final", "卫生健康支出", "2.71"),
    ("221 | 住房保障支出 | 29.42 | 29.42 |  |", "29.42", 1, "expenditure", "final", "住房保障支出", "29.42"),
    # 财政拨款收入支出决算总表
    ("一、一般公共预算财政拨款 | 307.82", "307.82", 0, "income", "final", "general_public", "307.82"),
    ("本年收入合计 | 307.82 | 本年支出合计 | 307.82 | 307.82", "307.82", 0, "income", "final", "fiscal", "307.82"),
    ("本年收入合计 | 307.82 | 本年支出合计 | 307.82 | 307.82", "307.82#1", 0, "expenditure", "final", "fiscal", "307.82"),
    # 一般公共预算财政拨款支出决算表 合计 row
    ("合计 | 307.82 | 105.58 | 202.24\n", "307.82", 0, "expenditure", "final", "general_public", "307.82"),
    # 一般公共预算财政拨款基本支出决算表
    ("人员经费合计 | 95.36", "95.36", 0, "personnel_expenditure", "final", None, "95.36"),
    ("公用经费合计 | 10.23", "10.23", 0, "public_expenditure", "final", None, "10.23"),
    # explanation
    ("本年收入合计307.82 万元", "307.82 万元", 0, "income", "final", None, "307.82"),
    ("财政拨款收入307.82 万元", "307.82 万元", 0, "income", "final", "fiscal", "307.82"),
    ("本年支出合计 307.82 万元", "307.82 万元", 0, "expenditure", "final", None, "307.82"),
    ("基本支出 105.58 万元，占", "105.58 万元", 0, "basic_expenditure", "final", None, "105.58"),
    ("项目支出202.24 万元，占", "202.24 万元", 0, "project_expenditure", "final", None, "202.24"),
    ("一般公共预算财政拨款支出 307.82 万元，占本年支出合计", "307.82 万元", 0, "expenditure", "final", "general_public", "307.82"),
    ("一般公共预算财政拨款支出307.82 万元，主要用于", "307.82 万元", 0, "expenditure", "final", "general_public", "307.82"),
    ("一般公共服务支出（类）264.87 万元", "264.87 万元", 0, "expenditure", "final", "一般公共服务支出", "264.87"),
    ("支出（类）10.82 万元", "10.82 万元", 0, "expenditure", "final", "社会保障和就业支出", "10.82"),
    ("卫生健康支出（类）2.71 万元", "2.71 万元", 0, "expenditure", "final", "卫生健康支出", "2.71"),
    ("住房保障支出（类）29.42 万元", "29.42 万元", 0, "expenditure", "final", "住房保障支出", "29.42"),
    ("一般公共预算财政拨款支出年初预算为 0 万元", "0 万元", 0, "expenditure", "budget", "general_public", "0"),
    ("全年预算为\n321.02 万元", "321.02 万元", 0, "expenditure", "adjusted", "general_public", "321.02"),
    ("321.02 万元，支出决算为 307.82 万元", "307.82 万元", 0, "expenditure", "final", "general_public", "307.82"),
    ("一般公共预算财政拨款基本支出105.58 万元", "105.58 万元", 0, "basic_expenditure", "final", None, "105.58"),
    ("人员经费\n95.36 万元", "95.36 万元", 0, "personnel_expenditure", "final", None, "95.36"),
    ("公用经费10.23\n万元", "10.23\n万元", 0, "public_expenditure", "final", None, "10.23"),
    ("完成年初预算的 95.89%", "95.89%", 0, "execution_rate", None, None, "95.89"),
]

DOCS = {
    "finance_bureau_2024": ("putuo_2024_final_accounts/finance_bureau_2024.pdf", FINANCE_BUREAU_2024, {
        "title": "部门决算", "report_kind": "final_accounts", "fiscal_year": 2024, "unit": "上海市普陀区财政局"}),
    "social_work_department_2024": ("putuo_2024_final_accounts/social_work_department_2024.pdf",
                                    SOCIAL_WORK_DEPARTMENT_2024, {
        "title": "部门决算", "report_kind": "final_accounts", "fiscal_year": 2024,
        "unit": "中共上海市普陀区委社会工作部"}),
}
