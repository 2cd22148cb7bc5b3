"""Article 10: each class is inspected on site by the district, on a signed form."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, flagged_form_answers, rows_of

CITY_WORDS = ("市",)
# the form's two signatures (canonical fields of the inspection table)
SIGNATURES = ("signed_by_school", "signed_by_inspectors")


def district_level(inspections: pd.DataFrame) -> pd.Series:
    """District-level inspections: 督查级别 blank or naming a county/district; a
    city-level spot check (市级抽查, Article 13) is not the district's inspection."""
    level = inspections["level"].fillna("").astype(str)
    return ~level.str.startswith(CITY_WORDS)


def with_period(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    period = ctx.classes.set_index("class_id")[["start_date", "end_date"]]
    return frame.join(period, on="class_id")


class InspectionMissing(Rule):
    """No district-level on-site inspection dated within the class period.

    Why: Article 10 — the county/district HR bureau inspects every class on site 1 to
    2 times and fills in the 现场督查情况表, a required document for the subsidy claim.

    Reading: only classes that have ended by ``--as-of`` are checked (an inspection
    may still come during a running class). An inspection with no level is taken
    as district-level; 市级抽查 does not count.

    Anti-pattern: a class from 2020-09-07 to 09-11 whose only inspection is dated 09-15.
    Compliant: an inspection on 2020-09-09.
    """

    code = "A1001"
    name = "inspection-missing"
    article = 10
    severity = "error"
    params = ("inspection.min_per_class",)
    evidence = {
        "missing": {"start": "date", "end": "date", "found": "count", "required": "count"},
        # a start date without a year that no class start could complete
        "start_unknown": {"end": "date", "required": "count"},
    }

    def check(self, ctx: Context):
        insp = with_period(ctx, ctx.tables["inspections"])
        insp = insp[
            district_level(insp)
            & (insp["date"] >= insp["start_date"])
            & (insp["date"] <= insp["end_date"])
        ]
        counts = insp.groupby("class_id").size().to_dict()  # a dict: Series.get is slow
        as_of = pd.Timestamp(ctx.as_of)
        for row in ctx.class_rows():
            if pd.isna(row.end_date) or row.end_date >= as_of:
                continue
            found = int(counts.get(row.class_id, 0))
            required = ctx.class_param(row.class_id, "inspection.min_per_class")
            if found >= required:
                continue
            if pd.isna(row.start_date):  # no inspection can be placed within the period
                evidence = {"end": row.end_date, "required": required}
                yield ctx.violation("start_unknown", row.class_id, evidence, ctx.source(row))
                continue
            evidence = {
                "start": row.start_date,
                "end": row.end_date,
                "found": found,
                "required": required,
            }
            yield ctx.violation("missing", row.class_id, evidence, ctx.source(row))


class InspectionOutsidePeriod(Rule):
    """An inspection form dated outside the class period.

    Why: Article 10 — the inspection watches the training as it happens; a form
    dated before the start or after the end did not see the class.

    Anti-pattern: 督查日期 2020-09-15 for a class that ended 2020-09-11.
    Compliant: dated within 开班日期..结业日期.
    """

    code = "A1002"
    name = "inspection-outside-period"
    article = 10
    severity = "warning"
    evidence = {
        "before_start": {"date": "date", "start": "date", "end": "date"},
        "after_end": {"date": "date", "start": "date", "end": "date"},
    }

    def check(self, ctx: Context):
        insp = with_period(ctx, ctx.tables["inspections"]).dropna(
            subset=["date", "start_date", "end_date"]
        )
        outside = insp[(insp["date"] < insp["start_date"]) | (insp["date"] > insp["end_date"])]
        for row in rows_of(outside):
            variant = "before_start" if row.date < row.start_date else "after_end"
            evidence = {"date": row.date, "start": row.start_date, "end": row.end_date}
            yield ctx.violation(variant, row.class_id, evidence, ctx.source(row, "date"))


class InspectionUnsigned(Rule):
    """An inspection form not signed by both the school and the inspectors.

    Why: Article 10 — the form is confirmed by both sides' signatures (双方签字确认)
    and is a required document for the subsidy claim.

    Reading: a blank signature cell is unsigned.

    Anti-pattern: 机构签字 是, 督查人员签字 blank.
    Compliant: both 是.
    """

    code = "A1003"
    name = "inspection-unsigned"
    article = 10
    severity = "error"
    evidence = {
        "dated": {"unsigned": "field[]", "date": "date"},
        # an inspection date without a year that no class start could complete
        "undated": {"unsigned": "field[]"},
    }

    def check(self, ctx: Context):
        # blank is unsigned: only a 是 counts as a signature
        return flagged_form_answers(ctx, SIGNATURES, lambda v: v is not True, "unsigned")
