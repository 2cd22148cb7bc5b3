"""Article 8: entrepreneurship teachers who refuse dispatch three times in a year."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, fmt_date, register, training_kind


def disqualified_since(
    dispatches: pd.DataFrame, max_refusals: int, window_days: int
) -> dict[str, pd.Timestamp]:
    """Per teacher, the date of the refusal that makes ``max_refusals`` within
    ``window_days`` (the earliest such date)."""
    refusals = dispatches[dispatches["accepted"].eq(False)].dropna(subset=["teacher", "date"])
    out: dict[str, pd.Timestamp] = {}
    for teacher, dates in refusals.groupby("teacher")["date"]:
        ordered = sorted(dates)
        for i in range(max_refusals - 1, len(ordered)):
            if (ordered[i] - ordered[i - max_refusals + 1]).days < window_days:
                out[teacher] = ordered[i]
                break
    return out


@register
class TeacherDisqualified(Rule):
    """An entrepreneurship session is taught by a teacher on or after the date of their
    third refusal of dispatch within 365 days.

    Why: Article 8 — entrepreneurship teachers must accept the HR bureau's dispatch;
    a teacher who refuses three times within a year may no longer teach
    entrepreneurship classes.

    Reading: refusals are 是否服从 = 否/不服从 in the dispatch table; three refusals
    whose first and third lie less than 365 days apart disqualify from the third
    one's date. One finding per class and teacher, listing the sessions.

    Anti-pattern: refusals on 2020-01-10, 2020-05-02, 2020-09-01; teaching on 2020-10-12.
    Compliant: two refusals in the year, or sessions before the third refusal.
    """

    code = "A0801"
    name = "teacher-disqualified"
    article = 8
    severity = "error"
    params = ("entrepreneurship.max_refusals", "entrepreneurship.refusal_window_days")
    message = (
        "教师{teacher}已于 {since} 在一年内第{n}次不服从派遣，之后仍承担创业培训课程（{sessions}）",
        "teacher {teacher} refused dispatch for the {n}th time within a year on {since}, yet taught entrepreneurship sessions ({sessions})",
    )

    def check(self, ctx: Context):
        n = ctx.param("entrepreneurship.max_refusals")
        banned = disqualified_since(
            ctx.tables["dispatches"], n, ctx.param("entrepreneurship.refusal_window_days")
        )
        if not banned:
            return
        classes = ctx.classes
        ent = set(classes.loc[training_kind(classes, "entrepreneurship"), "class_id"])
        plan = ctx.tables["plan"]
        plan = plan[plan["class_id"].isin(ent) & plan["teacher"].isin(set(banned))]
        if not len(plan):
            return
        plan = plan[plan["date"] >= plan["teacher"].map(banned)]
        for (cid, teacher), sessions in plan.groupby(["class_id", "teacher"]):
            first = sessions.sort_values("date").iloc[0]
            yield ctx.finding(
                self.code,
                cid,
                {
                    "teacher": teacher,
                    "since": fmt_date(banned[teacher]),
                    "n": n,
                    "sessions": "、".join(sorted({fmt_date(d) for d in sessions["date"]})),
                },
                ctx.source(first, "teacher"),
            )
