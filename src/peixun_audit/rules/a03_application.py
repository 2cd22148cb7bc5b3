"""Article 3: apply 3 working days ahead; open only once approved."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, fmt_date, register


@register
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
    message = ("{what}", "{what_en}")

    def check(self, ctx: Context):
        for row in ctx.classes.itertuples():
            if pd.isna(row.start_date):
                continue
            need = ctx.class_param(row.class_id, "application.min_working_days")
            if pd.isna(row.application_date):
                evidence = {"what": "没有开班申请日期", "what_en": "no class application date"}
            else:
                days = ctx.calendar(row.class_id).workdays_between(
                    row.application_date.date(), row.start_date.date()
                )
                if days >= need:
                    continue
                evidence = {
                    "what": f"开班申请 {fmt_date(row.application_date)} 与开班 {fmt_date(row.start_date)} 之间只有 {days} 个工作日，应提前 {need} 个工作日",
                    "what_en": f"only {days} working days between the application ({fmt_date(row.application_date)}) and the start ({fmt_date(row.start_date)}); {need} required",
                    "working_days": days,
                    "required": need,
                }
            yield ctx.finding(
                self.code, row.class_id, evidence, ctx.source(row, "application_date")
            )


@register
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
    message = ("{what}", "{what_en}")

    def check(self, ctx: Context):
        for row in ctx.classes.itertuples():
            if pd.isna(row.approval_date):
                evidence = {"what": "没有开班批准日期", "what_en": "no approval date"}
            elif pd.notna(row.start_date) and row.approval_date > row.start_date:
                evidence = {
                    "what": f"批准日期 {fmt_date(row.approval_date)} 晚于开班日期 {fmt_date(row.start_date)}",
                    "what_en": f"approved {fmt_date(row.approval_date)}, after the start {fmt_date(row.start_date)}",
                }
            else:
                continue
            yield ctx.finding(self.code, row.class_id, evidence, ctx.source(row, "approval_date"))
