"""The grammar: a sentence's clauses → figures, each with every field of the figures format.

A clause runs to the next comma or semicolon (or "while"). In it:

* the **subject** (region, scope, industry, product) is what the clause names, else the
  previous clause's (:mod:`etl.extract.subjects`);
* the **indicator** is the clause's phrase (增加值, 利润总额, 产品销售率, "added value",
  "produced"), else the one before (a product's figure is output unless the clause says
  otherwise);
* each **number** becomes one figure. Its measure comes from the words around it:
  - ``N%`` after 增长 / 下降 (``increased`` / ``decreased``) is growth: year on year by
    default and with 同比 / 比上年; month on month with 环比 / 比上月 / "over the previous
    month" (``mom_pct``); its sign is the direction word's (下降4.4% → −4.4);
  - ``N%`` after 占…比重 / "accounting for … of" is a share, its parent named (``share_of``);
  - ``N%`` of an indicator that is itself a rate (产品销售率为97.4%) is its level;
  - ``N个百分点`` / "N percentage points" is a change in a rate, signed (回落1.5个百分点 →
    −1.5): ``pp_change`` against the same period a year earlier (同比), ``pp_change_prev``
    against the previous period (较11月份, 比上月, 比1-6月份), ``contribution_pp`` after 拉动;
  - 持平 / "unchanged" is a change of 0 where the text prints no number;
  - a number with any other unit is a level (or a target, in a sentence that sets one), with
    the printed unit (万吨, 亿千瓦时, 万辆, 亿元, "billion yuan", "million units") and a
    qualifier from the words right before it (超过, 约, "more than");
  - growth against another base year (比2019年同期, "over the same period in 2019"), two-year
    averages (两年平均) and absolute changes (增加2.3万辆) are left out, with the reason;
* the **price basis**: 实际 → comparable, 名义 → current; unstated, growth of value added is
  comparable and growth of money figures current (the bureau's conventions);
* the **period**: the last one named before the number in the sentence, else the first one
  after it, else the one the release was last talking about; a period after 较 / 比 / "than"
  is a comparison base, not the figure's period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise

from etl.extract.lexicon import Lexicon, Name
from etl.extract.numbers import Quantity
from etl.extract.periods import PeriodRef, Resolved, resolve
from etl.extract.regions import Setting, refer
from etl.extract.subjects import MONEY_TWIN, WHOLE_ECONOMY, Subject, apply, implied_names, product_indicator
from etl.extract.tokens import Token, tokenize
from etl.extract.words import SHARE_OBJECT_EN
from etl.reference import UnitDef

#: How much each doubt lowers a candidate's confidence (from 0.95).
DOUBTS = {
    "no direction word: the sign is as printed": 0.3,
    "no period in the text": 0.5,
    "period from an earlier paragraph": 0.1,
    "no region": 0.5,
    "region from the release, not the sentence": 0.05,
    "no industry": 0.3,
    "industry of the release, not the clause": 0.1,
    "indicator from an earlier sentence": 0.1,
    "no indicator named": 0.3,
    "subject from an earlier sentence": 0.1,
    "comparison base not stated (taken as a year earlier)": 0.15,
    "share of what is not stated (taken as the parent region)": 0.2,
    "numbers and subjects do not pair up": 0.3,
    "a percentage without a growth or share word": 0.3,
    "same figure, another value, elsewhere in the release": 0.4,
}
_VEHICLE_UNITS = ("万辆", "辆", "vehicles", "million vehicles", "thousand vehicles")
_MONEY_UNITS = ("CNY", "USD", "EUR")
_QUALIFIER_EN = {"more than": "at_least", "over": "at_least", "above": "at_least", "exceeding": "at_least",
                 "breaking through": "at_least", "break through": "at_least", "surpassing": "at_least",
                 "nearly": "about", "about": "about", "around": "about", "approximately": "about", "almost": "about",
                 "roughly": "about", "close to": "about"}
_ADJACENT = re.compile(r"^(?:\s|了|by|to|了约)*$", re.I)


@dataclass
class Draft:
    """One figure as read, before it becomes a candidate row."""

    region: str
    industry: str
    indicator: str
    product: str
    scope: str
    period: str
    period_kind: str
    measure: str
    value: str
    unit: str
    qualifier: str = "exact"
    status: str = ""
    price_basis: str = ""
    share_of: str = ""
    sentence: str = ""
    start: int = 0
    end: int = 0
    doubts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Skip:
    """A number left out, and why (shown beside the candidates)."""

    sentence: str
    start: int
    end: int
    reason: str


@dataclass
class _Slot:
    token: Token
    flat: bool = False

    @property
    def start(self) -> int:
        return self.token.start

    @property
    def end(self) -> int:
        return self.token.end


@dataclass
class Reader:
    """Reads a release sentence by sentence, keeping what the text was last talking about."""

    setting: Setting
    lexicon: Lexicon
    qualifier_words: dict[str, tuple[str, str]]
    unit_base: dict[str, UnitDef] = field(default_factory=dict)
    period: Resolved | None = None
    period_paragraph: int = -1
    subjects: list[Subject] = field(default_factory=lambda: [Subject()])
    indicators: list[str] = field(default_factory=list)
    indicator_sentence: int = -1
    base_industry: str = ""
    last_named: dict[str, str] = field(default_factory=dict)
    drafts: list[Draft] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    sentence_number: int = 0

    # ------------------------------------------------------------------ sentences
    def read(self, sentence: str, paragraph: int) -> None:
        """Every figure of one sentence (appended to ``drafts``; numbers left out to ``skips``)."""
        self.sentence_number += 1
        tokens = tokenize(sentence, self.lexicon)
        work = sentence
        for token in tokens:
            if token.kind == "name" and token.name.category == "region":
                level = self.lexicon.region_level.get(token.name.code, "")
                if level in ("province", "city"):
                    self.last_named[level] = token.name.code
        periods = [t for t in tokens if t.kind == "period"]
        context_prev = any(t.kind == "context" and t.value == "prev" for t in tokens)
        if any(t.kind == "context" and t.value == "production" for t in tokens):
            self.indicators, self.indicator_sentence = ["production"], self.sentence_number
        clauses = _clauses(tokens)
        first_clause = True
        self._pp_compare = ""
        for clause in clauses:
            self._read_clause(clause, tokens, periods, work, paragraph, first_clause, context_prev)
            if any(t.kind == "name" or t.kind == "quantity" for t in clause):
                first_clause = False
        resolved = [r for t in periods if (r := self._resolve(t.value)) is not None]
        if resolved:
            self.period, self.period_paragraph = resolved[-1], paragraph

    def _resolve(self, ref: object) -> Resolved | None:
        assert isinstance(ref, PeriodRef)
        return resolve(ref, self.setting.published, self.setting.year)

    # ------------------------------------------------------------------ clauses
    def _read_clause(self, clause: list[Token], tokens: list[Token], periods: list[Token], work: str,
                     paragraph: int, first_clause: bool, context_prev: bool) -> None:
        slots = [_Slot(t) for t in clause if t.kind == "quantity"] + [_Slot(t, flat=True) for t in clause if t.kind == "flat"]
        slots.sort(key=lambda s: s.start)
        excluded = _excluded_spans(clause, work, slots)

        def inside(t: Token) -> bool:
            return any(s <= t.start and t.end <= e for s, e in excluded)

        names = [t for t in clause if t.kind == "name" and not inside(t)]
        subject_names = [t for t in names if t.name.category != "indicator"]
        indicator_tokens = [t for t in names if t.name.category == "indicator"] + [
            t for t in clause if t.kind in ("verb", "verbs") and not inside(t)
        ]
        implied = [Token("name", t.start, t.end, n) for t in indicator_tokens if t.kind == "name" for n in implied_names(t.name)]
        # English puts the subject after the number as often as before ("the scale of X").
        first_slot = slots[0].start if slots else 10**9
        before = [t for t in subject_names if t.start < first_slot]
        chosen = before or subject_names
        subjects = self._subjects(chosen, implied, bool(indicator_tokens), first_clause, clause)
        indicators, coordinated = self._indicators(indicator_tokens, subjects, clause)
        if not slots:
            self.subjects = subjects
            if indicators:
                self.indicators, self.indicator_sentence = indicators, self.sentence_number
            return
        used_subjects: list[Subject] = []
        used_indicators: list[str] = []
        zip_subjects = len(subjects) > 1 and len(subjects) == len(slots)
        zip_indicators = coordinated and len(indicators) > 1 and len(indicators) == len(slots)
        for index, slot in enumerate(slots):
            subject = subjects[index] if zip_subjects else subjects[-1]
            indicator = indicators[index] if zip_indicators else self._nearest_indicator(indicator_tokens, slot, indicators)
            draft = self._figure(slot, clause, tokens, periods, work, paragraph, subject, indicator, excluded, context_prev)
            doubts = []
            if (len(subjects) > 1 and not zip_subjects) or (coordinated and len(indicators) > 1 and not zip_indicators):
                doubts.append("numbers and subjects do not pair up")
            if draft is not None:
                draft.doubts.extend(doubts)
                self.drafts.append(draft)
                used_subjects.append(replace(subject, product=draft.product))
                used_indicators.append(draft.indicator)
        self.subjects = subjects if zip_subjects else (used_subjects[-1:] or subjects)
        self.indicators = indicators if zip_indicators else (used_indicators[-1:] or indicators)
        self.indicator_sentence = self.sentence_number

    def _subjects(self, names: list[Token], implied: list[Token], has_indicator: bool, first_clause: bool,
                  clause: list[Token]) -> list[Subject]:
        if not names and not implied:
            if has_indicator and first_clause:
                return [Subject(how="base")]  # a new sentence about an indicator: the release's own subject
            same = self.indicator_sentence == self.sentence_number
            return [s.inherited(same) for s in self.subjects]
        groups = _groups(names, clause)
        main = max(groups, key=len) if groups else []
        if len(main) < 2:
            main = []
        modifiers = [t for t in names if t not in main] + implied
        base = Subject(how="clause")
        for token in sorted(modifiers, key=lambda t: ("region", "scope", "industry", "product").index(t.name.category)):
            base = apply(base, token.name, self.lexicon)
        if not main:
            return [base]
        return [apply(base, t.name, self.lexicon) for t in main]

    def _indicators(self, tokens: list[Token], subjects: list[Subject], clause: list[Token]) -> tuple[list[str], bool]:
        """The clause's indicators, and whether they are one list ("production and sales", 产销)
        that pairs with the numbers in order."""
        if tokens:
            ordered = sorted(tokens, key=lambda t: t.start)
            codes: list[str] = []
            for t in ordered:
                if t.kind == "verbs":
                    codes.extend(t.value)  # type: ignore[arg-type]
                else:
                    codes.append(t.name.code if t.kind == "name" else str(t.value))
            coordinated = (len(ordered) == 1 and ordered[0].kind == "verbs") or (len(ordered) > 1 and all(
                [t for t in clause if a.end <= t.start and t.end <= b.start] and
                all(t.kind == "and" for t in clause if a.end <= t.start and t.end <= b.start)
                for a, b in pairwise(ordered)
            ))
            return codes, coordinated
        inherited = list(self.indicators or [])
        product = subjects[-1].product if subjects else ""
        if product:
            inherited = [product_indicator(product, code, self.lexicon) for code in inherited or [""]]
        return inherited, len(inherited) > 1

    def _nearest_indicator(self, tokens: list[Token], slot: _Slot, fallback: list[str]) -> str:
        before = [t for t in tokens if t.start < slot.start]
        after = [t for t in tokens if t.start > slot.end]
        token = before[-1] if before else (after[0] if after else None)
        if token is None:
            return fallback[-1] if fallback else ""
        if token.kind == "verbs":
            return token.value[0]  # type: ignore[index]
        return token.name.code if token.kind == "name" else str(token.value)

    # ------------------------------------------------------------------ one figure
    def _figure(self, slot: _Slot, clause: list[Token], tokens: list[Token], periods: list[Token], work: str,
                paragraph: int, subject: Subject, indicator: str, excluded: list[tuple[int, int]],
                context_prev: bool) -> Draft | None:
        doubts: list[str] = []
        before = [t for t in clause if t.end <= slot.start]
        kinds_before = {t.kind for t in before}
        kinds = {t.kind for t in clause}
        quantity = None if slot.flat else slot.token.quantity
        kind = "flat" if slot.flat else quantity.kind  # type: ignore[union-attr]
        compare = _compare(clause, self.setting.year)
        direction = next((t.value for t in reversed(before) if t.kind == "direction"), None)
        if direction is None:
            direction = next((t.value for t in clause if t.kind == "direction" and t.start >= slot.end), None)
        rate_indicator = self.lexicon.indicator_unit.get(indicator) == "percent"
        measure, unit_zh = "", _chinese(work)
        share_of = ""
        if kind == "percent":
            if kinds_before & {"share", "share_object", "share_verb"}:
                measure = "share_pct"
                share_of = self._share_of(clause, slot, work, subject, indicator, excluded, doubts)
            elif rate_indicator and direction is None and compare is None:
                measure = "level"
            elif compare in ("average", "base_year"):
                return self._skip(work, slot, "growth over another base (两年平均, 比2019年同期): not a year-on-year growth")
            elif "contribution" in kinds_before:
                return self._skip(work, slot, "a contribution rate in percent (贡献率): not stored")
            elif compare == "prev" or (compare is None and context_prev):
                measure = "mom_pct"
            elif compare == "yoy" or direction is not None or "growth_rate" in kinds:
                measure = "yoy_pct"
            else:
                return self._skip(work, slot, "a percentage without a growth, share or rate word")
        elif kind in ("points", "flat"):
            if kind == "flat" and not (rate_indicator or "growth_rate" in kinds or "base_period" in kinds):
                measure = "mom_pct" if compare == "prev" else "yoy_pct"
            elif "contribution" in kinds_before:
                measure = "contribution_pp"
            else:
                if compare == "average" or (compare == "base_year"):
                    return self._skip(work, slot, "a change against another base year")
                pp = "prev" if (compare == "prev" or "base_period" in kinds) else ("yoy" if compare == "yoy" else "")
                if not pp:
                    pp = self._pp_compare
                    if not pp:
                        pp = "yoy"
                        doubts.append("comparison base not stated (taken as a year earlier)")
                self._pp_compare = pp
                measure = "pp_change_prev" if pp == "prev" else "pp_change"
        else:
            if direction is not None and before and before[-1].kind == "direction" and \
                    _ADJACENT.match(work[before[-1].end:slot.start]):
                return self._skip(work, slot, "an absolute change (增加/减少 N), not a level")
            measure = "target" if any(t.kind == "target" for t in tokens if t.start < slot.start) or \
                "target" in kinds else "level"

        # value and unit
        if slot.flat:
            value = "0"
            unit = ("个百分点" if unit_zh else "percentage points") if measure.startswith(("pp_", "contribution")) else "%"
        else:
            assert quantity is not None
            unit = quantity.unit
            if measure in ("yoy_pct", "mom_pct", "pp_change", "pp_change_prev", "contribution_pp") and direction is not None:
                value = quantity.magnitude if direction > 0 else f"-{quantity.magnitude}"
                if quantity.printed_negative and direction < 0:
                    value = quantity.value  # "下降-2%" would be odd; keep what is printed
            else:
                value = quantity.value
                if measure in ("yoy_pct", "mom_pct", "pp_change", "pp_change_prev", "contribution_pp"):
                    doubts.append("no direction word: the sign is as printed")
            if unit.lower() == "percent":
                unit = "%"
        # the product a count of vehicles is of; a volume printed in money is a value
        product = subject.product
        if quantity is not None and indicator in MONEY_TWIN and self._is_money(quantity.unit):
            indicator = MONEY_TWIN[indicator]
        if quantity is not None and quantity.unit in _VEHICLE_UNITS and not product:
            product = "automobiles"
            if not indicator:
                indicator = "production"
        if not indicator:
            doubts.append("no indicator named")
        elif self.indicator_sentence < self.sentence_number and not any(
                t.kind in ("name", "verb", "verbs") and (t.kind != "name" or t.name.category == "indicator")
                for t in clause):
            doubts.append("indicator from an earlier sentence")
        qualifier, status = "exact", ""
        if quantity is not None:
            qualifier, status = self._qualifier(work[:slot.start])
        if measure == "target" or (any(t.kind == "target" for t in tokens) and measure in ("share_pct", "yoy_pct")):
            status = "target"
        # where and what
        region, industry = self._region(subject, clause, tokens, slot, excluded, doubts), subject.industry
        if not industry:
            industry = self._industry(indicator, product, doubts)
        elif not self.base_industry and subject.how == "clause":
            self.base_industry = industry
        if subject.how == "before":
            doubts.append("subject from an earlier sentence")
        scope = subject.scope or self.setting.scope
        period = self._period(slot, periods, paragraph, doubts)
        price = self._price(clause, measure, indicator)
        draft = Draft(
            region=region, industry=industry, indicator=indicator, product=product, scope=scope,
            period=period.text if period else "", period_kind=period.kind if period else "",
            measure=measure, value=value, unit=unit, qualifier=qualifier, status=status, price_basis=price,
            share_of=share_of, sentence=work, start=slot.start, end=slot.end, doubts=doubts,
        )
        return draft

    def _is_money(self, unit: str) -> bool:
        found = self.unit_base.get(unit)
        return found is not None and found.base_unit in _MONEY_UNITS

    def _skip(self, work: str, slot: _Slot, reason: str) -> None:
        self.skips.append(Skip(work, slot.start, slot.end, reason))
        return None

    def _qualifier(self, before: str) -> tuple[str, str]:
        tail = before[-32:].rstrip().lower()
        tail = re.sub(r"(?:\s+the)?$", "", tail)
        qualifier, status = "exact", ""
        for word, (q, s) in self.qualifier_words.items():
            if tail.endswith(word) and (q or s):
                if q:
                    qualifier = q
                if s:
                    status = s
        for word, q in _QUALIFIER_EN.items():
            if re.search(rf"\b{word}$", tail):
                qualifier = q
        return qualifier, status

    def _region(self, subject: Subject, clause: list[Token], tokens: list[Token], slot: _Slot,
                excluded: list[tuple[int, int]], doubts: list[str]) -> str:
        if subject.region:
            return subject.region
        refs = [t for t in clause if t.kind == "region_ref" and not any(s <= t.start < e for s, e in excluded)]
        refs = refs or [t for t in tokens if t.kind == "region_ref" and t.start < slot.start
                        and not any(s <= t.start < e for s, e in excluded)]
        if refs:
            code = refer(str(refs[-1].value), self.setting, self.lexicon, self.last_named)
            if code:
                return code
        if self.setting.region:
            if self.setting.region_how not in ("hint", "publisher"):
                doubts.append("region from the release, not the sentence")
            return self.setting.region
        doubts.append("no region")
        return ""

    def _industry(self, indicator: str, product: str, doubts: list[str]) -> str:
        if product and self.lexicon.product_industry.get(product):
            return self.lexicon.product_industry[product]
        if indicator in WHOLE_ECONOMY:
            return WHOLE_ECONOMY[indicator]
        if self.base_industry:
            doubts.append("industry of the release, not the clause")
            return self.base_industry
        doubts.append("no industry")
        return ""

    def _period(self, slot: _Slot, periods: list[Token], paragraph: int, doubts: list[str]) -> Resolved | None:
        before = [t for t in periods if t.end <= slot.start]
        after = [t for t in periods if t.start >= slot.end]
        for token in (before[-1:] + after[:1]):
            resolved = self._resolve(token.value)
            if resolved is not None:
                return resolved
        if self.period is None:
            doubts.append("no period in the text")
        elif self.period_paragraph != paragraph:
            doubts.append("period from an earlier paragraph")
        return self.period

    def _price(self, clause: list[Token], measure: str, indicator: str) -> str:
        if measure not in ("yoy_pct", "mom_pct", "pp_change", "pp_change_prev", "contribution_pp"):
            return ""
        stated = next((str(t.value) for t in clause if t.kind == "price"), "")
        if stated:
            return stated
        if indicator == "value_added":
            return "comparable"
        unit = self.lexicon.indicator_unit.get(indicator, "")
        return "current" if unit in _MONEY_UNITS else ""

    def _share_of(self, clause: list[Token], slot: _Slot, work: str, subject: Subject, indicator: str,
                  excluded: list[tuple[int, int]], doubts: list[str]) -> str:
        inside = [t for t in clause if any(s <= t.start and t.end <= e for s, e in excluded)
                  and t.kind in ("name", "region_ref")]
        regions = [t for t in inside if t.kind == "region_ref" or (t.kind == "name" and t.name.category == "region")]
        industries = [t.name.code for t in inside if t.kind == "name" and t.name.category == "industry"]
        industries += [t.name.get("industry_code") for t in inside if t.kind == "name" and t.name.category == "indicator"
                       and t.name.get("industry_code")]
        products = [t.name.code for t in inside if t.kind == "name" and t.name.category == "product"]
        object_indicators = [t.name.code for t in inside if t.kind == "name" and t.name.category == "indicator"]
        same_region = any(t.kind == "region_ref" and t.value in ("province", "city") for t in regions)
        if industries and industries[0] != subject.industry and (same_region or not regions):
            return f"industry:{industries[0]}"
        if products and products[0] != subject.product:
            object_indicator = object_indicators[0] if object_indicators else indicator
            return f"indicator:{object_indicator}/product:{products[0]}"
        if not regions:
            doubts.append("share of what is not stated (taken as the parent region)")
        return ""


def _clauses(tokens: list[Token]) -> list[list[Token]]:
    """Tokens cut at separators (commas, semicolons, "while"; "and" before a target)."""
    clauses: list[list[Token]] = [[]]
    for index, token in enumerate(tokens):
        if token.kind == "sep":
            clauses.append([])
            continue
        if token.kind == "and" and index + 1 < len(tokens) and tokens[index + 1].kind == "target":
            clauses.append([])
            continue
        clauses[-1].append(token)
    return [c for c in clauses if c]


def _groups(names: list[Token], clause: list[Token]) -> list[list[Token]]:
    """Runs of subject names of one kind joined only by 、/"and" (lists that 分别 pairs up)."""
    groups: list[list[Token]] = []
    for token in sorted(names, key=lambda t: t.start):
        if groups:
            last = groups[-1][-1]
            between = [t for t in clause if t.start >= last.end and t.end <= token.start]
            if last.name.category == token.name.category and between and all(t.kind == "and" for t in between):
                groups[-1].append(token)
                continue
        groups.append([token])
    return groups


def _compare(clause: list[Token], year: int | None) -> str | None:
    for token in clause:
        if token.kind != "compare":
            continue
        value = token.value
        if isinstance(value, tuple):  # ("base_year", 2019)
            return "yoy" if year is not None and value[1] == year - 1 else "base_year"
        return str(value)
    return None


def _chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _excluded_spans(clause: list[Token], work: str, slots: list[_Slot]) -> list[tuple[int, int]]:
    """Spans whose names are not the clause's subject: share objects ("of the country's total",
    占全省…比重), what follows a preposition ("into Guangdong's cluster") or an attribution
    ("according to CAAM")."""
    spans: list[tuple[int, int]] = []
    for token in clause:
        if token.kind == "share_object":
            spans.append(token.value)  # type: ignore[arg-type]
    for slot in slots:
        if any(t.kind == "share_verb" and t.end <= slot.start for t in clause):
            match = SHARE_OBJECT_EN.match(work[slot.end:])
            if match:
                spans.append((slot.end + match.start("obj"), slot.end + match.end("obj")))
    stops = {"and", "quantity", "target", "direction", "verb", "verbs", "that_of", "share_verb", "compare", "period"}
    for index, token in enumerate(clause):
        if token.kind in ("preposition", "attribution", "contribution"):
            end = len(work)
            for later in clause[index + 1:]:
                if later.kind in stops:
                    end = later.start
                    break
            spans.append((token.end, end))
    return spans


__all__ = ["Draft", "Name", "Quantity", "Reader", "Skip", "replace"]
