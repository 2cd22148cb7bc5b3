"""Article 11: what the on-site inspection checks, and whether the head count agrees."""

from __future__ import annotations

import pandas as pd

from ..load.values import period_of_time
from .base import Context, Rule, fmt_date, labels, register

CHECKS = {
    "follows_syllabus": ("按教学大纲实施教学", "teaching follows the syllabus"),
    "on_schedule": ("教学进度与计划一致", "progress matches the plan"),
    "teacher_prepared": ("教师备课授课", "teacher prepared and taught"),
    "practical_ok": ("实训实操课时符合要求", "practical hours meet the requirement"),
}


@register
class InspectionNoncompliance(Rule):
    """An inspection form answers 否 to syllabus, schedule, preparation or practical hours.

    Why: Article 11 — the inspection checks that teaching follows the syllabus, that
    progress matches the plan, how teachers prepare and teach, and that practical
    hours meet the requirement. A 否 needs correction (Article 14(5)).

    Reading: a blank answer is not a finding (unanswered, not failed).

    Anti-pattern: 进度与计划一致 否.
    Compliant: all four 是.
    """

    code = "A1101"
    name = "inspection-noncompliance"
    article = 11
    severity = "warning"
    message = (
        "现场督查发现不符合：{failed_zh}（{date}）",
        "the inspection answered no to: {failed_en} ({date})",
    )

    def check(self, ctx: Context):
        insp = ctx.tables["inspections"]
        for row in insp.itertuples():
            failed = [k for k in CHECKS if getattr(row, k) is False]
            if failed:
                yield ctx.finding(
                    self.code,
                    row.class_id,
                    {**labels(CHECKS, failed, "failed"), "date": fmt_date(row.date)},
                    ctx.source(row, failed[0]),
                )


def signed_in_counts(ctx: Context) -> pd.DataFrame:
    """Students attending per (class, date, period) from the sign-in sheets."""
    s = ctx.attendance.signin
    s = s[s["attending"]].assign(
        who=s["student_id"].where(s["student_id"].notna(), "name:" + s["student_name"].fillna(""))
    )
    s = s.assign(slot=s["period"].fillna(""))
    return s.groupby(["class_id", "date", "slot"])["who"].nunique().rename("signed").reset_index()


@register
class HeadcountMismatch(Rule):
    """More students signed in for the inspected session than the inspectors counted
    present.

    Why: Article 11 — the inspection records the students' attendance (学员到课情况);
    a sign-in sheet showing more students than were in the room means signatures
    were added for absent students.

    Reading: the inspected session is the one of the inspection time's period (上午
    before 12:00, 下午 to 18:00, 晚上 after); with no time, or a sheet without periods,
    the day's least-signed session is compared (the most favourable to the school).

    Anti-pattern: 实到人数 25, 28 signatures for that morning.
    Compliant: 28 present, 28 signatures.
    """

    code = "A1102"
    name = "headcount-mismatch"
    article = 11
    severity = "error"
    message = (
        "督查时实到 {observed} 人，签到表该场次却有 {signed} 人签到（{date}{period}）",
        "inspectors counted {observed} present, the sign-in sheet shows {signed} for that session ({date} {period})",
    )

    def check(self, ctx: Context):
        insp = ctx.tables["inspections"].dropna(subset=["date", "observed"])
        counts = signed_in_counts(ctx)
        if not len(insp) or not len(counts):
            return
        by_day = counts.groupby(["class_id", "date"])
        days = set(by_day.groups)
        for row in insp.itertuples():
            if (row.class_id, row.date) not in days:
                continue
            day = by_day.get_group((row.class_id, row.date))
            period = (
                period_of_time(row.time) if row.time is not None and not pd.isna(row.time) else None
            )
            session = day[day["slot"] == period] if period else day.iloc[0:0]
            signed = int(session["signed"].max()) if len(session) else int(day["signed"].min())
            if signed > row.observed:
                yield ctx.finding(
                    self.code,
                    row.class_id,
                    {
                        "observed": int(row.observed),
                        "signed": signed,
                        "date": fmt_date(row.date),
                        "period": period or "",
                    },
                    ctx.source(row, "observed"),
                )
