#!/usr/bin/env python3
"""Generate a synthetic corpus of self-evaluation reports, for SCALE benchmarks only.

Reports are assembled from varied templates (headings, phrasing variants, list
styles, PDF-like line wrapping) with random units, years and figures. They look
like reports to the pipeline but say nothing true: never use them to measure
accuracy (that is what annotations/gold is for).

    python scripts/make_corpus.py --n 10000 --out /tmp/corpus --seed 7
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

PLACES = ["湛江市", "坡头区", "霞山区", "赤坎区", "麻章区", "遂溪县", "徐闻县", "廉江市", "雷州市", "吴川市",
          "海珠区", "越秀区", "天河区", "白云区", "番禺区", "花都区", "南沙区", "从化区", "增城区", "黄埔区"]
BODIES = ["委员会组织部", "委员会办公室", "机构编制委员会办公室", "财政局", "教育局", "卫生健康局", "民政局",
          "司法局", "自然资源局", "交通运输局", "农业农村局", "文化广电旅游体育局", "统计局", "档案馆"]
CLASSES = ["一般公共服务支出", "教育支出", "科学技术支出", "社会保障和就业支出", "卫生健康支出",
           "城乡社区支出", "农林水支出", "住房保障支出"]
PROBLEMS = [
    "绩效评价结果的应用还不够充分，评价结果未能与部门预算安排有效结合。",
    "预算编制的科学性和精准度有待提高，部分项目预算与实际支出存在偏差。",
    "专项资金使用的计划性需进一步加强，存在前松后紧的情况。",
    "单位内部人员对预算绩效管理的重要性认识不足，绩效观念有待增强。",
    "绩效目标设置不够明确，部分指标难以量化。",
    "财务人员业务水平有待提高，专业人员不足。",
    "内部控制制度还不够健全，管理流程有待优化。",
    "政府采购执行进度偏慢，采购计划性不强。",
    "固定资产管理不够规范，资产盘点不及时。",
]
MEASURES = [
    "建立评价结果与预算安排联动机制，将结果作为下年度预算调整的重要依据。",
    "细化预算编制，提高预算编制的科学性和准确性。",
    "加强资金使用的计划性，加快支出进度，财务部门加强跟踪督促。",
    "组织绩效管理专题培训，提高全体人员的绩效意识。",
    "完善绩效指标体系，设置可量化、可考核的指标。",
    "加强业务培训，提升财务人员的专业能力。",
    "健全内部控制制度，优化管理流程。",
    "规范政府采购管理，按计划推进采购工作。",
    "完善资产管理制度，每年按时开展资产盘点。",
]
OPENINGS = [
    "根据《{place}财政局关于开展{y1}年{level}财政资金绩效自评工作的通知》（{ref}）要求，我单位及时布置自评，"
    "成立自评工作小组，明确分工，落实责任，认真开展自评自查工作，形成本评价报告。",
    "按照《关于开展{y1}年度部门整体支出绩效自评工作的通知》（{ref}）的要求，我单位组织开展了{year}年度"
    "部门整体支出绩效自评工作，现将有关情况报告如下。",
]


def wrap(text: str, rng: random.Random, width: int) -> str:
    """Insert PDF-like hard line breaks (with blank lines) every ``width`` characters."""
    if rng.random() < 0.5:
        return text
    return "\n\n".join(text[i:i + width] for i in range(0, len(text), width))


def money(rng: random.Random, lo: float, hi: float) -> float:
    return round(rng.uniform(lo, hi), 2)


def make_report(i: int, rng: random.Random) -> str:
    year = rng.randint(2018, 2025)
    place = rng.choice(PLACES)
    unit = f"中共{place}{rng.choice(BODIES)}" if rng.random() < 0.4 else f"{place}{rng.choice(BODIES)}"
    ref = f"湛财绩〔{year + 1}〕{rng.randint(1, 200)}号"
    sp = " " if rng.random() < 0.5 else ""
    budget = money(rng, 100, 6000)
    final = round(budget * rng.uniform(0.85, 1.6), 2)
    basic = round(final * rng.uniform(0.2, 0.8), 2)
    classes = rng.sample(CLASSES, rng.randint(2, 6))
    shares = [rng.random() for _ in classes]
    class_text = "、".join(f"{c}{sp}{round(final * s / sum(shares), 2)}{sp}万元" for c, s in zip(classes, shares))
    staff = rng.randint(5, 80)
    n_prob = rng.randint(1, 4)
    probs = rng.sample(range(len(PROBLEMS)), n_prob)
    width = rng.randint(26, 34)
    paras = [
        "整体绩效自评报告", f"评价年度：{year}{sp}年度", f"评价单位：{unit}",
        f"填报日期：{year + 1}{sp}年{sp}{rng.randint(1, 12)}{sp}月{sp}{rng.randint(1, 28)}{sp}日",
        wrap(rng.choice(OPENINGS).format(place=place, y1=year + 1, level=rng.choice(["市级", "区级", "县级"]),
                                         ref=ref, year=year), rng, width),
        "一、单位基本情况", "（一）单位机构设置、部门职能情况。",
        wrap(f"本单位内设{sp}{rng.randint(2, 15)}{sp}个股室，行政编制{sp}{staff}{sp}名，实有在职人数{sp}"
             f"{staff + rng.randint(-3, 3)}{sp}人，退休人数{sp}{rng.randint(0, 30)}{sp}人。", rng, width),
        "（二）部门整体支出情况",
        wrap(f"{year}{sp}年本部门收入预算{sp}{budget}{sp}万元，其中：一般公共预算拨款{sp}{budget}{sp}万元；"
             f"收入决算{sp}{final}{sp}万元。支出决算{sp}{final}{sp}万元，其中基本支出{sp}{basic}{sp}万元，"
             f"项目支出{sp}{round(final - basic, 2)}{sp}万元。", rng, width),
        wrap(f"按照支出功能分类：{class_text}。", rng, width),
        "二、自评工作开展情况",
        wrap("我单位对所报送自评材料真实性、完整性、一致性、规范性负责。所报送的自评报告、数据表、评分表与公开的"
             "自评报告、数据表、评分表一致。", rng, width),
        "三、绩效自评情况", "（一）自评结果",
        wrap(f"预算年度内整体支出绩效目标基本达成，自评得分{sp}{rng.choice([88, 90.5, 92, 95, 97.5, 99, 100])}{sp}分。",
             rng, width),
        "（二）存在问题",
        *[f"{k}.{wrap(PROBLEMS[j], rng, width)}" for k, j in enumerate(probs, 1)],
        "（三）改进措施",
        *[f"{k}.{wrap(MEASURES[j], rng, width)}" for k, j in enumerate(probs, 1)],
        "四、其他自评情况", "无。",
    ]
    # pad with varied work-summary prose to a typical 5,000-6,000 characters
    filler = [f"{k}.{rng.choice(['持续', '不断', '进一步'])}加强{rng.choice(['基层党建', '干部队伍建设', '人才工作', '机构编制管理', '档案管理', '保密工作'])}，"
              f"全年组织各类会议{rng.randint(5, 200)}次，处理文件{rng.randint(50, 2000)}份，"
              f"{rng.choice(['工作成效明显', '各项任务圆满完成', '取得良好效果'])}。" for k in range(1, rng.randint(80, 110))]
    text = "\n\n".join(paras[:11] + ["（三）年度总体工作和重点工作任务", *[wrap(f, rng, width) for f in filler]] + paras[11:])
    return text + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    total = 0
    for i in range(args.n):
        text = make_report(i, rng)
        total += len(text)
        (args.out / f"synthetic_{i:06d}.txt").write_text(text, encoding="utf-8")
    print(f"wrote {args.n} synthetic reports to {args.out} (mean {total / max(args.n, 1):.0f} characters)")


if __name__ == "__main__":
    main()
