"""Article 3: apply 3 working days ahead; open only once approved."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule


class ApplicationLate(Rule):
    """Fewer than the required working days (default 3) lie between the class
    application and the start date, or there is no application date.

    Why: Article 3 — each class must be submitted on the Guangxi public employment
    platform 3 working days ahead (提前3个工作日).

    Reading: working days strictly between the two dates, neither counted (the Civil
    Code counts a period from the next day), on the statutory calendar with holidays
    and 调休 make-up workdays. Example: application Wednesday 2020-09-30, start
    Monday 2020-10-12: only Friday 10-09 and the make-up Saturday 10-10 are working
    days in between — 2, late.

    Anti-pattern: applied 2020-09-30 for a class starting 2020-10-12.
    Compliant: applied 2020-09-01 (Tue) for a class starting 2020-09-07 (Mon): 9-02, 9-03, 9-04.
    """

    code = "A0301"
    name = "application-late"
    article = 3
    severity = "error"
    params = ("application.min_working_days",)
    evidence = {
        "late": {"working_days": "count", "required": "count", "applied": "date", "start": "date"},
        "missing": {"required": "count", "start": "date"},
    }

    def check(self, ctx: Context):
        for row in ctx.classes.itertuples():
            if pd.isna(row.start_date):
                continue
            need = ctx.class_param(row.class_id, "application.min_working_days")
            where = ctx.source(row, "application_date")
            if pd.isna(row.application_date):
                evidence = {"required": need, "start": row.start_date}
                yield ctx.violation("missing", row.class_id, evidence, where)
                continue
            days = ctx.calendar(row.class_id).workdays_between(
                row.application_date.date(), row.start_date.date()
            )
            if days < need:
                evidence = {
                    "working_days": days,
                    "required": need,
                    "applied": row.application_date,
                    "start": row.start_date,
                }
                yield ctx.violation("late", row.class_id, evidence, where)


class NotApprovedBeforeStart(Rule):
    """The class has no approval date, or was approved after it started.

    Why: Article 3 — a class may open only once the HR bureau has approved it
    (经人力资源社会保障部门批准后方可开班).

    Reading: approval on the start date itself is in time.

    Anti-pattern: 开班批准日期 2020-09-08 for a class that started 2020-09-07.
    Compliant: approved 2020-09-02 for a class starting 2020-09-07.
    """

    code = "A0302"
    name = "not-approved-before-start"
    article = 3
    severity = "error"
    evidence = {
        "missing": {"start": "date"},
        "late": {"approved": "date", "start": "date"},
    }

    def check(self, ctx: Context):
        for row in ctx.classes.itertuples():
            if pd.isna(row.start_date):
                continue
            where = ctx.source(row, "approval_date")
            if pd.isna(row.approval_date):
                yield ctx.violation("missing", row.class_id, {"start": row.start_date}, where)
            elif row.approval_date > row.start_date:
                evidence = {"approved": row.approval_date, "start": row.start_date}
                yield ctx.violation("late", row.class_id, evidence, where)
