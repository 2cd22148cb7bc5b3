"""Article 8: entrepreneurship teachers who refuse dispatch three times in a year."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, training_kind


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
    evidence = {
        "disqualified": {
            "teacher": "name",
            "since": "date",
            "refusals": "count",
            "window_days": "count",
            "sessions": "date[]",
        }
    }

    def check(self, ctx: Context):
        n = ctx.param("entrepreneurship.max_refusals")
        window = ctx.param("entrepreneurship.refusal_window_days")
        banned = disqualified_since(ctx.tables["dispatches"], n, window)
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
            evidence = {
                "teacher": teacher,
                "since": banned[teacher],
                "refusals": n,
                "window_days": window,
                "sessions": sorted({d.date() for d in sessions["date"].dropna()}),
            }
            yield ctx.violation("disqualified", cid, evidence, ctx.source(first, "teacher"))
