"""Article 10: each class is inspected on site by the district, on a signed form."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, fmt_date, register

CITY_WORDS = ("市",)


def district_level(inspections: pd.DataFrame) -> pd.Series:
    """District-level inspections: 督查级别 blank or naming a county/district; a
    city-level spot check (市级抽查, Article 13) is not the district's inspection."""
    level = inspections["level"].fillna("").astype(str)
    return ~level.str.startswith(CITY_WORDS)


def with_period(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    period = ctx.classes.set_index("class_id")[["start_date", "end_date"]]
    return frame.join(period, on="class_id")


@register
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
    message = (
        "班级期间（{start}~{end}）没有县区现场督查记录",
        "no district on-site inspection during the class ({start} to {end})",
    )

    def check(self, ctx: Context):
        insp = with_period(ctx, ctx.tables["inspections"])
        insp = insp[
            district_level(insp)
            & (insp["date"] >= insp["start_date"])
            & (insp["date"] <= insp["end_date"])
        ]
        counts = insp.groupby("class_id").size()
        as_of = pd.Timestamp(ctx.as_of)
        for row in ctx.classes.itertuples():
            if pd.isna(row.end_date) or row.end_date >= as_of:
                continue
            if counts.get(row.class_id, 0) < ctx.class_param(
                row.class_id, "inspection.min_per_class"
            ):
                yield ctx.finding(
                    self.code,
                    row.class_id,
                    {"start": fmt_date(row.start_date), "end": fmt_date(row.end_date)},
                    ctx.source(row),
                )


@register
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
    message = (
        "督查日期 {date} 不在培训期间（{start}~{end}）",
        "inspection dated {date}, outside the class period ({start} to {end})",
    )

    def check(self, ctx: Context):
        insp = with_period(ctx, ctx.tables["inspections"]).dropna(
            subset=["date", "start_date", "end_date"]
        )
        outside = insp[(insp["date"] < insp["start_date"]) | (insp["date"] > insp["end_date"])]
        for row in outside.itertuples():
            yield ctx.finding(
                self.code,
                row.class_id,
                {
                    "date": fmt_date(row.date),
                    "start": fmt_date(row.start_date),
                    "end": fmt_date(row.end_date),
                },
                ctx.source(row, "date"),
            )


@register
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
    message = (
        "现场督查情况表缺少{who_zh}签字（{date}）",
        "inspection form lacks the signature of {who_en} ({date})",
    )

    def check(self, ctx: Context):
        insp = ctx.tables["inspections"]
        for row in insp.itertuples():
            zh, en = [], []
            if row.signed_by_school is not True:
                zh.append("培训机构")
                en.append("the school")
            if row.signed_by_inspectors is not True:
                zh.append("督查人员")
                en.append("the inspectors")
            if zh:
                key = (
                    "signed_by_school"
                    if row.signed_by_school is not True
                    else "signed_by_inspectors"
                )
                yield ctx.finding(
                    self.code,
                    row.class_id,
                    {
                        "who_zh": "和".join(zh),
                        "who_en": " and ".join(en),
                        "date": fmt_date(row.date),
                    },
                    ctx.source(row, key),
                )
