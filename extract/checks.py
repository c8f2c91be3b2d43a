"""Arithmetic cross-checks over a document's facts, the way an auditor would do them.

Each :class:`~extract.core.Check` states the identity it tests (``income[final] =
general_public + government_fund + other``), the figures it used with their raw
spans, the computed and the stated value (SPEC units: yuan, persons, percent,
points), and ``pass`` / ``fail`` / ``not_applicable`` with a one-line message.

Checks (name: identity)

- ``figure_consistency``: every mention of one quantity (same type, name, stage,
  qualifier, entity) states the same value; two different stated totals fail.
- ``income_parts_sum`` / ``expenditure_parts_sum``: total = general_public +
  government_fund + state_capital + other (or fiscal + other), per stage.
- ``fiscal_parts_sum``: fiscal = general_public + government_fund + state_capital.
- ``funding_levels_sum``: a project's expenditure (or funds received) = central +
  provincial + municipal + county + local + other, per stage.
- ``basic_project_sum``: expenditure total = basic + project.
- ``basic_personnel_public_sum``: basic = personnel + public.
- ``functional_classes_sum``: expenditure total = Σ functional classes (政府收支分类科目).
- ``unit_slip``: a part written in another unit than its siblings (元 among 万元) for
  which the sum only works after rescaling: a likely unit error, with the sum it gives.
- ``carryover_identity``: begin + income[final] − expenditure[final] = end.
- ``execution_rate`` / ``budget_variance_rate`` / ``carryover_rate`` /
  ``funds_arrival_rate``: a stated rate recomputed from the stated figures.
- ``establishment`` (per entity, total and per post type): people in post ≤ authorized
  posts; more is "over-establishment". ``authorized_parts_sum``: total = admin +
  institution + worker posts.
- ``indicator_weights_sum`` (Σ 分值 = 100), ``indicator_scores_sum`` (Σ 得分 =
  self_score), ``indicator_score_within_weight`` (得分 ≤ 分值 on every row).

Tolerance: every figure is known to half a unit of its last written digit, in the
unit it is written in: 8.33万元 is 83,300 ± 50 yuan, 7万元 is 70,000 ± 5,000 yuan, a
zero, a count or a score is exact. A sum identity passes when ``|computed − stated|``
is at most the sum of the half-units of the figures it uses (what rounding alone can
explain). A rate passes when it is within its own half-unit (19.58% → ±0.005) plus
the half-units of its inputs carried through the formula. A stated variance rate
that matches in size but not in sign passes with a note (reports often state |rate|).

Several figures for one quantity (a report with two different totals): every
combination is tried; a check passes when one combination satisfies it and says
which, and ``figure_consistency`` fails separately for the conflict.

Missing inputs: a check is **omitted** when the quantity it checks is not stated at
all (no carry-over figures, no rate, no staff counts on one side). It is
``not_applicable`` when the stated side is there but a figure needed to recompute it
is missing, or when the stated parts fall short of a total while some parts are not
stated (the breakdown is visibly incomplete); the message names what is missing.
"""
from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Callable, Iterable, Sequence

from .core import Check, Fact, Indicator, Span
from .numbers import MONEY, find_figures

FUND_QUALIFIERS = {None, "fiscal", "general_public", "government_fund", "state_capital", "other",
                   "central", "provincial", "municipal", "county", "local"}
FISCAL_PARTS = ("general_public", "government_fund", "state_capital")
FUNDING_LEVELS = ("central", "provincial", "municipal", "county", "local", "other")
MAX_COMBINATIONS = 256
ZERO = Decimal(0)
HUNDRED = Decimal(100)


# --------------------------------------------------------------------------- figures

@dataclass(frozen=True)
class Quantity:
    """One stated quantity: the mentions of a fact key that agree within rounding.

    ``value`` is in SPEC units, ``tol`` the half-unit of its most precise mention,
    ``scale`` the written unit's size in SPEC units (10000 for 万元), ``text`` the
    first mention as written.
    """

    key: tuple
    value: Decimal
    tol: Decimal
    scale: Decimal
    unit: str | None
    text: str
    spans: tuple[Span, ...]

    @property
    def span(self) -> Span:
        return self.spans[0]

    @property
    def label(self) -> str:
        ftype, name, stage, qualifier, entity = self.key
        out = name + (f"[{stage}]" if stage else "") + (f".{qualifier}" if qualifier else "")
        return out + (f" @{entity}" if entity else "")


def _precision(fact: Fact) -> tuple[Decimal, Decimal]:
    """``(half-unit tolerance, scale)`` of a fact in SPEC units (see the module docstring),
    from the figure as written (``Fact.amount_text``, ``unit``, ``scale``)."""
    if fact.type in ("staffing", "org"):
        return ZERO, Decimal(1)
    digits = fact.amount_text.replace(",", "").replace("，", "").replace("．", ".")
    try:
        written = Decimal(digits)
    except ArithmeticError:
        written = None
    if fact.type == "rate":
        scale = Decimal(1)
    elif fact.scale is not None:
        scale = fact.scale
    elif fact.unit in MONEY:
        scale = MONEY[fact.unit]
    elif written:  # scale unknown (a prediction without it): infer from the value
        ratio = fact.value / written
        scale = Decimal(10) ** max(0, round(float(ratio.log10()))) if ratio > 0 else Decimal(1)
    else:
        scale = Decimal(1)
    if written is None or fact.value == 0:
        return ZERO, scale
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return scale * Decimal(5) / Decimal(10) ** (decimals + 1), scale


def build_figures(facts: Iterable[Fact], raw: str = "") -> dict[tuple, list[Quantity]]:
    """Group mentions by key and cluster the values that agree within rounding."""
    by_key: dict[tuple, list[Quantity]] = {}
    # per key, the figures' values sorted (value, index) and the largest tolerance so far: a
    # mention is compared only with the figures whose value is within reach, not with every
    # figure of its key (which made a long document's checks quadratic)
    order: dict[tuple, list[tuple[Decimal, int]]] = {}
    reach: dict[tuple, Decimal] = {}
    for f in facts:
        key = (f.type, f.name, f.stage, f.qualifier, f.entity)
        tol, scale = _precision(f)
        unit = f.unit
        text = re.sub(r"\s+", "", raw[f.span.start:f.span.end]) if raw and f.span.end <= len(raw) else \
            f"{f.amount_text or f.value}{f.unit or ''}"
        figs = by_key.setdefault(key, [])
        values = order.setdefault(key, [])
        window = reach.get(key, ZERO) + tol
        lo = bisect.bisect_left(values, (f.value - window, -1))
        hi = bisect.bisect_right(values, (f.value + window, len(figs)))
        near = sorted(i for _, i in values[lo:hi])  # the first figure (in order) that agrees wins
        for i in near:
            g = figs[i]
            if abs(g.value - f.value) <= g.tol + tol:  # the same figure, perhaps written more precisely
                value, tol, scale, unit = (g.value, g.tol, g.scale, g.unit) if g.tol <= tol else (f.value, tol, scale, unit)
                if value != g.value:
                    values.remove((g.value, i))
                    bisect.insort(values, (value, i))
                figs[i] = Quantity(key, value, tol, scale, unit, g.text, g.spans + (f.span,))
                reach[key] = max(reach.get(key, ZERO), tol)
                break
        else:
            bisect.insort(values, (f.value, len(figs)))
            figs.append(Quantity(key, f.value, tol, scale, unit, text, (f.span,)))
            reach[key] = max(reach.get(key, ZERO), tol)
    return by_key


class Figures:
    """Look-ups over a document's figures."""

    def __init__(self, by_key: dict[tuple, list[Quantity]]):
        self.by_key = by_key

    def get(self, ftype: str, name: str, stage: str | None = None, qualifier: str | None = None,
            entity: str | None = None) -> list[Quantity]:
        return self.by_key.get((ftype, name, stage, qualifier, entity), [])

    def keys(self, ftype: str, name: str | None = None) -> list[tuple]:
        return [k for k in self.by_key if k[0] == ftype and (name is None or k[1] == name)]

    def groups(self, ftype: str, names: Sequence[str]) -> list[tuple[str | None, str | None]]:
        """The (stage, entity) pairs at which any of ``names`` is stated, in a stable order."""
        seen = {(k[2], k[4]) for k in self.by_key if k[0] == ftype and k[1] in names}
        return sorted(seen, key=lambda se: (se[1] or "", se[0] or ""))


# --------------------------------------------------------------------------- formatting

def _num(v: Decimal) -> str:
    q = v.quantize(Decimal("0.01")) if v != v.to_integral_value() else v.to_integral_value()
    return format(q.normalize(), "f") if q != 0 else "0"


def _show(v: Decimal, ftype: str, scale: Decimal = Decimal(1)) -> str:
    """A value for a message, in the unit the document mostly writes it in."""
    if ftype == "finance":
        return f"{_num(v / scale)}{_unit_name(scale)}"
    if ftype == "rate":
        return f"{_num(v)}%"
    return _num(v)


def _main_scale(figs: Sequence[Quantity]) -> Decimal:
    counts = Counter(f.scale for f in figs)
    return max(counts, key=lambda s: (counts[s], s)) if counts else Decimal(1)


def _inputs(figs: Iterable[Quantity]) -> tuple[tuple[str, str, Span], ...]:
    return tuple((f.label, f.text, f.span) for f in figs)


def _combos(alternatives: Sequence[Sequence[Quantity]]) -> list[tuple[Quantity, ...]]:
    return list(itertools.islice(itertools.product(*alternatives), MAX_COMBINATIONS))


# --------------------------------------------------------------------------- sum identities

@dataclass(frozen=True)
class SumSpec:
    """A sum identity ``total = Σ ±parts`` at one stage and entity.

    ``parts`` holds, for each stated part, its name and its alternatives (several when
    the report states it with different values); ``negate`` names the parts that are
    subtracted; ``missing`` the parts that are not stated; ``complete`` whether the
    stated parts are the whole breakdown (then falling short of the total fails).
    """

    name: str
    totals: list[Quantity]
    parts: list[tuple[str, list[Quantity]]]
    missing: list[str]
    complete: bool
    negate: tuple[str, ...] = ()

    def identity(self) -> str:
        terms = "".join((" − " if n in self.negate else " + ") + n for n, _ in self.parts)
        return f"{self.totals[0].label} = {terms[3:] if terms.startswith(' + ') else terms.strip()}"

    def signs(self) -> list[int]:
        return [-1 if n in self.negate else 1 for n, _ in self.parts]

    def combos(self) -> list[tuple[Quantity, ...]]:
        return _combos([self.totals, *[alts for _, alts in self.parts]])


def _evaluate_sum(spec: SumSpec, rescale: Decimal | None = None) -> tuple | None:
    """Best ``(failed, diff, computed, total, parts, rescaled)`` over all combinations.

    With ``rescale``, parts written in another unit are read in that unit (unit slips);
    combinations without such a part are skipped.
    """
    best = None
    for total, *parts in spec.combos():
        odd = [p for p in parts if rescale is not None and p.scale != rescale]
        if rescale is not None and (not odd or len(odd) > 2 or len(odd) == len(parts)):
            continue
        factor = {id(p): rescale / p.scale for p in odd}
        computed = sum((sg * p.value * factor.get(id(p), 1) for sg, p in zip(spec.signs(), parts)), ZERO)
        tol = total.tol + sum((p.tol * factor.get(id(p), 1) for p in parts), ZERO)
        diff = abs(computed - total.value)
        cand = (diff > tol, diff, computed, total, parts, odd)
        if best is None or cand[:2] < best[:2]:
            best = cand
    return best


def sum_checks(spec: SumSpec) -> list[Check]:
    """Evaluate one sum identity over every combination of the stated figures (+ unit slips)."""
    if not spec.totals or not spec.parts:
        return []
    identity = spec.identity()
    ftype = spec.totals[0].key[0]
    scale = _main_scale([*spec.totals, *(f for _, alts in spec.parts for f in alts)])
    show = lambda v: _show(v, ftype, scale)  # noqa: E731
    failed, _, computed, total, parts, _ = _evaluate_sum(spec)
    inputs = _inputs([*parts, total])
    note = _alternatives_note(spec)
    if not failed:
        return [Check(spec.name, identity, "pass", inputs, computed, total.value,
                      f"the parts give {show(computed)}, {total.label} is stated as {show(total.value)}{note}")]
    if computed < total.value and spec.missing and not spec.complete:
        return [Check(spec.name, identity, "not_applicable", inputs, computed, total.value,
                      f"the stated parts sum to {show(computed)}, {show(total.value - computed)} short of "
                      f"{total.label}; not stated: {', '.join(spec.missing)}")]
    slip = _unit_slip(spec, scale) if ftype == "finance" else []
    msg = (f"the parts give {show(computed)} but {total.label} is stated as {show(total.value)} "
           f"(off by {show(abs(computed - total.value))}){note}" + ("; see unit_slip" if slip else ""))
    return [Check(spec.name, identity, "fail", inputs, computed, total.value, msg), *slip]


def _alternatives_note(spec: SumSpec) -> str:
    extra = [*spec.totals[1:], *(f for _, alts in spec.parts for f in alts[1:])]
    if not extra:
        return ""
    return f" (the report also states {', '.join(f'{f.label} {f.text}' for f in extra)})"


def _unit_name(scale: Decimal) -> str:
    return next((u for u, s in MONEY.items() if s == scale), "元")


def _unit_slip(spec: SumSpec, scale: Decimal) -> list[Check]:
    """A part written in a unit other than its siblings' for which the sum works once rescaled."""
    best = _evaluate_sum(spec, rescale=scale)
    if best is None or best[0]:
        return []
    _, _, computed, total, _, odd = best
    unit = _unit_name(scale)
    what = "; ".join(f"{p.label} is written {p.text} while its siblings are in {unit}" for p in odd)
    return [Check("unit_slip", spec.identity(), "fail", _inputs([*odd, total]), computed, total.value,
                  f"likely unit error: {what}; read in {unit}, the parts sum to {_show(computed, 'finance', scale)}, "
                  f"which matches {total.label} {_show(total.value, 'finance', scale)}")]


def _is_functional_class(f: Quantity | tuple) -> bool:
    key = f.key if isinstance(f, Quantity) else f
    return key[0] == "finance" and key[1] == "expenditure" and key[3] not in FUND_QUALIFIERS


def _finance_sums(fig: Figures) -> list[Check]:
    out: list[Check] = []
    for stage, entity in fig.groups("finance", ("income", "expenditure", "basic_expenditure", "funds_received")):
        get = lambda name, q=None: fig.get("finance", name, stage, q, entity)  # noqa: E731
        for name in ("expenditure", "funds_received"):  # project money by funding level
            levels = [(q, get(name, q)) for q in FUNDING_LEVELS if get(name, q)]
            if any(q != "other" for q, _ in levels):
                out += sum_checks(SumSpec("funding_levels_sum", get(name), levels,
                                          [q for q in FUNDING_LEVELS if not get(name, q)], False))
        for name in ("income", "expenditure"):
            total = get(name) or []
            split = [(q, get(name, q)) for q in FISCAL_PARTS if get(name, q)]
            if not split and get(name, "fiscal"):
                split = [("fiscal", get(name, "fiscal"))]
            if not split:
                continue  # 其他 alone (or funding levels) is not a fund-type breakdown
            parts = split + ([("other", get(name, "other"))] if get(name, "other") else [])
            named = {q for q, _ in parts}
            missing = [q for q in ("general_public", "government_fund", "other") if q not in named
                       and not (q != "other" and "fiscal" in named)]
            complete = "other" in named and bool(named & {"fiscal", "general_public"})
            out += sum_checks(SumSpec(f"{name}_parts_sum", total, parts, missing, complete))
            fiscal_parts = [(q, get(name, q)) for q in FISCAL_PARTS if get(name, q)]
            fmissing = [q for q in ("general_public", "government_fund") if not get(name, q)]
            out += sum_checks(SumSpec("fiscal_parts_sum", get(name, "fiscal"), fiscal_parts, fmissing, not fmissing))
        totals = get("expenditure") or get("expenditure", "fiscal")
        bp = [(n, get(n)) for n in ("basic_expenditure", "project_expenditure") if get(n)]
        out += sum_checks(SumSpec("basic_project_sum", totals, bp,
                                  [n for n in ("basic_expenditure", "project_expenditure") if not get(n)], False))
        pp = [(n, get(n)) for n in ("personnel_expenditure", "public_expenditure") if get(n)]
        out += sum_checks(SumSpec("basic_personnel_public_sum", get("basic_expenditure"), pp,
                                  [n for n in ("personnel_expenditure", "public_expenditure") if not get(n)], False))
        classes = [(k[3], fig.by_key[k]) for k in fig.keys("finance", "expenditure")
                   if k[2] == stage and k[4] == entity and _is_functional_class(k)]
        if classes and not totals:
            out.append(Check("functional_classes_sum", f"expenditure[{stage}] = Σ functional classes", "not_applicable",
                             _inputs(f for _, alts in classes for f in alts[:1]), None, None,
                             f"{len(classes)} functional classes stated but no expenditure total at stage {stage}"))
        else:
            out += sum_checks(SumSpec("functional_classes_sum", totals, classes, [], True))
    return out


# --------------------------------------------------------------------------- carry-over and rates

def _one_of(*alternatives: list[Quantity]) -> list[Quantity]:
    """The first non-empty list of alternatives (e.g. the total, else the fiscal figure)."""
    return next((a for a in alternatives if a), [])


def _carryover(fig: Figures) -> list[Check]:
    out = []
    entities = sorted({k[4] for k in fig.keys("finance") if k[1] in ("carryover_begin", "carryover_end")},
                      key=lambda e: e or "")
    for entity in entities:
        begin = fig.get("finance", "carryover_begin", None, None, entity)
        end = fig.get("finance", "carryover_end", None, None, entity)
        if not begin or not end:
            continue
        income = _one_of(fig.get("finance", "income", "final", None, entity),
                         fig.get("finance", "income", "final", "fiscal", entity))
        spent = _one_of(fig.get("finance", "expenditure", "final", None, entity),
                        fig.get("finance", "expenditure", "final", "fiscal", entity))
        identity = "carryover_begin + income[final] − expenditure[final] = carryover_end"
        if not income or not spent:
            missing = [n for n, v in (("income[final]", income), ("expenditure[final]", spent)) if not v]
            out.append(Check("carryover_identity", identity, "not_applicable", _inputs([begin[0], end[0]]), None,
                             end[0].value, f"not stated: {', '.join(missing)}"))
            continue
        out += sum_checks(SumSpec("carryover_identity", end, [("carryover_begin", begin), ("income[final]", income),
                                                              ("expenditure[final]", spent)], [], True,
                                  negate=("expenditure[final]",)))
    return out


@dataclass(frozen=True)
class Formula:
    """A way to recompute a rate: ``100 × Σ numerator / Σ denominator``, or for a variance
    ``100 × (numerator − denominator) / denominator``; each term lists its alternatives."""

    text: str
    numerator: list[list[Quantity]]
    denominator: list[list[Quantity]]
    variance: bool = False

    def available(self) -> bool:
        return all(self.numerator) and all(self.denominator)


def _rate_formulas(fig: Figures, name: str, entity: str | None) -> list[Formula]:
    g = lambda n, stage=None, q=None: fig.get("finance", n, stage, q, entity)  # noqa: E731
    out: list[Formula] = []
    if name == "execution_rate":
        for q_final, q_plan, stage in itertools.product((None, "fiscal"), (None, "fiscal"), ("adjusted", "budget")):
            out.append(Formula(f"expenditure[final]{_q(q_final)} / expenditure[{stage}]{_q(q_plan)} × 100",
                               [g("expenditure", "final", q_final)], [g("expenditure", stage, q_plan)]))
    elif name == "budget_variance_rate":
        for what, q_final, q_plan, stage in itertools.product(("expenditure", "income"), (None, "fiscal"),
                                                              (None, "fiscal"), ("budget", "adjusted")):
            out.append(Formula(f"({what}[final]{_q(q_final)} − {what}[{stage}]{_q(q_plan)}) / "
                               f"{what}[{stage}]{_q(q_plan)} × 100",
                               [g(what, "final", q_final)], [g(what, stage, q_plan)], variance=True))
    elif name == "carryover_rate":
        end = [g("carryover_end")]
        for stage, q in itertools.product(("budget", "adjusted", "final"), (None, "fiscal")):
            out.append(Formula(f"carryover_end / expenditure[{stage}]{_q(q)} × 100", end, [g("expenditure", stage, q)]))
        for q in (None, "fiscal"):
            out.append(Formula(f"carryover_end / (carryover_begin + income[final]{_q(q)}) × 100", end,
                               [g("carryover_begin"), g("income", "final", q)]))
        out.append(Formula("carryover_end / (carryover_begin + income[final].general_public + "
                           "income[final].government_fund) × 100", end,
                           [g("carryover_begin"), g("income", "final", "general_public"),
                            g("income", "final", "government_fund")]))
    elif name == "funds_arrival_rate":
        for stage in ("adjusted", "budget"):
            out.append(Formula(f"funds_received / expenditure[{stage}] × 100", [g("funds_received")],
                               [g("expenditure", stage)]))
    return out


def _q(qualifier: str | None) -> str:
    return f".{qualifier}" if qualifier else ""


def _evaluate(formula: Formula, stated: Quantity) -> tuple | None:
    """The best combination of a formula's figures against a stated rate (None if unusable)."""
    best = None
    for combo in _combos([*formula.numerator, *formula.denominator]):
        num = sum((f.value for f in combo[:len(formula.numerator)]), ZERO)
        den = sum((f.value for f in combo[len(formula.numerator):]), ZERO)
        if den == 0:
            continue
        num_tol = sum((f.tol for f in combo[:len(formula.numerator)]), ZERO)
        den_tol = sum((f.tol for f in combo[len(formula.numerator):]), ZERO)
        value = HUNDRED * (num - den) / den if formula.variance else HUNDRED * num / den
        tol = stated.tol + HUNDRED * (num_tol / abs(den) + abs(num) * den_tol / (den * den))
        diff = abs(value - stated.value)
        sign_only = formula.variance and diff > tol and abs(abs(value) - abs(stated.value)) <= tol
        ok = diff <= tol or sign_only
        cand = (not ok, min(diff, abs(abs(value) - abs(stated.value)) if formula.variance else diff),
                value, combo, sign_only)
        if best is None or cand[:2] < best[:2]:
            best = cand
    return best


def _rates(fig: Figures) -> list[Check]:
    out = []
    for key in fig.keys("rate"):
        name, entity = key[1], key[4]
        formulas = _rate_formulas(fig, name, entity)
        if not formulas:
            continue
        for stated in fig.by_key[key]:
            usable = [f for f in formulas if f.available()]
            identity = f"{name} = " + (usable[0].text if usable else formulas[0].text)
            if not usable:
                out.append(Check(name, identity, "not_applicable", _inputs([stated]), None, stated.value,
                                 f"stated {stated.text}; the figures to recompute it are not stated"))
                continue
            results = [(f, r) for f in usable if (r := _evaluate(f, stated)) is not None]
            if not results:
                continue
            formula, (failed, _, value, combo, sign_only) = min(results, key=lambda fr: fr[1][:2])
            identity = f"{name} = {formula.text}"
            inputs = _inputs([*combo, stated])
            used = ", ".join(f"{f.label} {f.text}" for f in combo)
            if failed:
                msg = f"recomputed {_num(value)}% from {used}, stated {stated.text}"
            else:
                msg = f"{_num(value)}% from {used} matches stated {stated.text}"
                if sign_only:
                    msg += " (stated without its sign)"
            out.append(Check(name, identity, "fail" if failed else "pass", inputs, value.quantize(Decimal("0.0001")),
                             stated.value, msg))
    return out


# --------------------------------------------------------------------------- staffing

POST_TYPES = (("authorized_admin", "active_admin"), ("authorized_institution", "active_institution"),
              ("authorized_worker", "worker"))
RETIRED_OR_EXTRA = ("retired", "retired_all", "retired_cadre", "non_establishment", "early_retired")


def _staffing(fig: Figures) -> list[Check]:
    out = []
    entities = sorted({k[4] for k in fig.keys("staffing")}, key=lambda e: e or "")
    for entity in entities:
        g = lambda n: fig.get("staffing", n, None, None, entity)  # noqa: E731
        parts = [(n, g(n)) for n, _ in POST_TYPES if g(n)]
        out += sum_checks(SumSpec("authorized_parts_sum", g("authorized_total"), parts,
                                  [n for n, _ in POST_TYPES if not g(n)], False))
        posts: list[list[Quantity]] = [g("authorized_total")] if g("authorized_total") else [alts for _, alts in parts]
        actives = [g(a) for _, a in POST_TYPES[:2] if g(a)]
        people, label = (g("active_total"), "active_total") if g("active_total") else (None, "")
        if people is None and not actives and g("actual_total"):
            people, label = g("actual_total"), "actual_total"
        if posts and people:
            out.append(_establishment(entity, label, people, posts,
                                      [f for n in RETIRED_OR_EXTRA for f in g(n)] if label == "actual_total" else []))
        for auth, active in POST_TYPES:
            if g(auth) and g(active):
                out.append(_establishment(entity, active, g(active), [g(auth)], []))
    return out


def _establishment(entity, label: str, people: list[Quantity], posts: list[list[Quantity]],
                   others: list[Quantity]) -> Check:
    """people in post ≤ authorized posts (worst case over the stated alternatives)."""
    post_figs = [alts[0] for alts in posts]
    n_posts = sum((f.value for f in post_figs), ZERO)
    n_people = max(f.value for f in people)
    who = people[0]
    identity = f"{label} ≤ " + " + ".join(f.label for f in post_figs)
    inputs = _inputs([who, *post_figs])
    where = f" ({entity})" if entity else ""
    if n_people <= n_posts:
        return Check("establishment", identity, "pass", inputs, n_people, n_posts,
                     f"{_num(n_people)} people against {_num(n_posts)} authorized posts{where}")
    if others:
        return Check("establishment", identity, "not_applicable", inputs + _inputs(others), n_people, n_posts,
                     f"actual_total {_num(n_people)} exceeds {_num(n_posts)} posts{where}, but 实有人数 may count "
                     f"the retired or non-establishment staff the report also states "
                     f"({', '.join(f.label + ' ' + f.text for f in others)})")
    return Check("establishment", identity, "fail", inputs, n_people, n_posts,
                 f"over-establishment: {_num(n_people)} people in post against {_num(n_posts)} authorized posts"
                 f"{where}, {_num(n_people - n_posts)} over")


# --------------------------------------------------------------------------- repeated figures

def _consistency(fig: Figures) -> list[Check]:
    out = []
    for key, figs in fig.by_key.items():
        ftype, name, stage = key[:3]
        if ftype not in ("finance", "staffing", "org"):
            continue
        if ftype == "finance" and stage is None and name not in ("carryover_begin", "carryover_end", "funds_received"):
            continue  # a figure whose stage is unknown may be a different quantity each time
        mentions = sum(len(f.spans) for f in figs)
        if mentions < 2:
            continue
        label = figs[0].label
        inputs = tuple((label, f.text, s) for f in figs for s in f.spans)
        scale = _main_scale(figs)
        if len(figs) == 1:
            out.append(Check("figure_consistency", f"every mention of {label} states one value", "pass", inputs,
                             figs[0].value, figs[0].value, f"{label} stated {mentions} times as {figs[0].text}"))
            continue
        values = " and ".join(_show(f.value, ftype, scale) for f in figs)
        out.append(Check("figure_consistency", f"every mention of {label} states one value", "fail", inputs,
                         figs[1].value, figs[0].value,
                         f"{len(figs)} different stated values for {label}: {values}"))
    return out


# --------------------------------------------------------------------------- indicators

def _indicators(indicators: Sequence[Indicator], self_score: tuple[Decimal, Span | None] | None) -> list[Check]:
    if not indicators:
        return []
    rows = [(r.level3 or "(row without name)", r) for r in indicators]
    span = lambda r: r.span or Span(0, 0)  # noqa: E731
    out = []
    weights = [r.weight for _, r in rows]
    w_inputs = tuple((n, _num(r.weight) if r.weight is not None else "", span(r)) for n, r in rows)
    if any(w is None for w in weights):
        out.append(Check("indicator_weights_sum", "Σ 分值 = 100", "not_applicable", w_inputs, None, HUNDRED,
                         "a row has no weight"))
    else:
        total = sum(weights, ZERO)
        out.append(Check("indicator_weights_sum", "Σ 分值 = 100", "pass" if total == HUNDRED else "fail", w_inputs,
                         total, HUNDRED, f"{len(rows)} rows weigh {_num(total)} in all"))
    s_inputs = tuple((n, _num(r.score) if r.score is not None else "", span(r)) for n, r in rows)
    scores = [r.score for _, r in rows]
    identity = "Σ 得分 = self_score"
    if self_score is None:
        out.append(Check("indicator_scores_sum", identity, "not_applicable", s_inputs,
                         sum((s for s in scores if s is not None), ZERO), None, "no self_score stated"))
    else:
        stated, stated_span = self_score
        inputs = s_inputs + ((("self_score", _num(stated), stated_span),) if stated_span else ())
        if any(s is None for s in scores):
            out.append(Check("indicator_scores_sum", identity, "not_applicable", inputs, None, stated,
                             f"{sum(s is None for s in scores)} rows have no score"))
        else:
            total = sum(scores, ZERO)
            out.append(Check("indicator_scores_sum", identity, "pass" if total == stated else "fail", inputs, total,
                             stated, f"the rows score {_num(total)}, the stated total is {_num(stated)}"))
    over = [(n, r) for n, r in rows if r.score is not None and r.weight is not None and r.score > r.weight]
    out.append(Check("indicator_score_within_weight", "得分 ≤ 分值 on every row", "fail" if over else "pass",
                     tuple((n, f"{_num(r.score)}/{_num(r.weight)}", span(r)) for n, r in over), None, None,
                     "; ".join(f"{n}: {_num(r.score)} > {_num(r.weight)}" for n, r in over)
                     or f"all {len(rows)} rows score within their weight"))
    return out


# --------------------------------------------------------------------------- entry points

CHECKS: tuple[Callable[[Figures], list[Check]], ...] = (_consistency, _finance_sums, _carryover, _rates, _staffing)


def run_checks(result, doc=None) -> list[Check]:
    """All cross-checks for one :class:`~extract.core.Result` (see the module docstring)."""
    raw = result.raw or (doc.raw if doc is not None else "")
    fig = Figures(build_figures(result.facts, raw))
    out: list[Check] = []
    for check in CHECKS:
        out += check(fig)
    meta = {m.name: m for m in result.meta}
    score = meta.get("self_score")
    stated = (Decimal(str(score.value)), score.span) if score is not None and score.value is not None else None
    out += _indicators(result.indicators, stated)
    return [replace(c, computed=_clean(c.computed), stated=_clean(c.stated)) for c in out]


def _clean(v: Decimal | None) -> Decimal | None:
    """A Decimal without trailing zeros or exponent notation (``83300.00`` -> ``83300``)."""
    if v is None:
        return None
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v.normalize()


def _spec_fact(f: dict, raw: str, evidence) -> Fact:
    """A fact from SPEC JSON. A prediction may carry how the figure was written (``raw_value``,
    ``unit``, ``scale``); for gold, which has only the value and span, the figure as
    written is read from the raw text with the one number parser (:mod:`extract.numbers`)."""
    amount, unit, scale = str(f.get("raw_value") or ""), f.get("unit"), f.get("scale")
    if not amount and raw and f["span"][1] <= len(raw):
        figs = find_figures(raw[f["span"][0]:f["span"][1]])
        if figs:
            amount, unit = figs[0].amount_text, unit or figs[0].unit
            scale = scale if scale is not None else (figs[0].scale if figs[0].unit else None)
    return Fact(f["type"], f["name"], Decimal(str(f["value"])), Span(*f["span"]), evidence, f.get("stage"),
                f.get("qualifier"), f.get("entity"), amount, unit, scale=None if scale is None else Decimal(str(scale)))


def result_from_spec(spec: dict, raw: str = ""):
    """A :class:`~extract.core.Result` rebuilt from SPEC JSON (gold or any system's prediction),
    enough to run the checks on it: facts, indicators and the self_score."""
    from .core import Evidence, MetaField, Result

    def dec(v):
        return None if v is None else Decimal(str(v))

    def span(v):
        return Span(*v) if v else None

    def ev(item: dict) -> Evidence:
        e = item.get("evidence") or {}
        return Evidence(e.get("extractor", "spec"), e.get("rule", "spec"), e.get("score", 1.0), e.get("explanation", ""))

    facts = tuple(_spec_fact(f, raw, ev(f)) for f in spec.get("facts", []) if f.get("value") is not None and f.get("span"))
    indicators = tuple(Indicator(i.get("level1"), i.get("level2"), i.get("level3"), dec(i.get("weight")),
                                 dec(i.get("score")), ev(i), span(i.get("span")), span(i.get("reason_span")),
                                 span(i.get("measure_span"))) for i in spec.get("indicators", []))
    meta_ev = spec.get("meta_evidence") or {}
    meta = tuple(MetaField(k, dec(v) if k == "self_score" else v, span((meta_ev.get(k) or {}).get("span")),
                           Evidence("spec", "meta"))
                 for k, v in (spec.get("meta") or {}).items() if v is not None)
    return Result(doc_id=spec.get("doc_id", "doc"), text_sha256=spec.get("text_sha256", ""), meta=meta, facts=facts,
                  indicators=indicators, raw=raw)
