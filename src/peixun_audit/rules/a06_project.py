"""Article 6: project-based training runs on a signed agreement and ends with acceptance."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, fmt_date, register, training_kind


@register
class AgreementMissing(Rule):
    """A project-based class without a training agreement signed on or before its start.

    Why: Article 6 — project-based training follows the sequence: choose the
    occupation and trainees, choose the institution, *sign the agreement*, check
    acceptance, pay by results. Article 1: it is run under that agreement.

    Reading: project-based means 培训类型 项目制培训, or 是否项目制 = 是.

    Anti-pattern: 是否项目制 是, 协议签订日期 blank or after 开班日期.
    Compliant: agreement signed 2020-09-01 for a class starting 2020-09-07.
    """

    code = "A0601"
    name = "agreement-missing"
    article = 6
    severity = "error"
    message = ("{what}", "{what_en}")

    def check(self, ctx: Context):
        classes = ctx.classes
        for row in classes[training_kind(classes, "project")].itertuples():
            if pd.isna(row.agreement_date):
                evidence = {
                    "what": "项目制培训没有培训协议签订日期",
                    "what_en": "project-based class without a signed agreement",
                }
            elif pd.notna(row.start_date) and row.agreement_date > row.start_date:
                evidence = {
                    "what": f"培训协议 {fmt_date(row.agreement_date)} 签订，晚于开班日期 {fmt_date(row.start_date)}",
                    "what_en": f"agreement signed {fmt_date(row.agreement_date)}, after the start {fmt_date(row.start_date)}",
                }
            else:
                continue
            yield ctx.finding(self.code, row.class_id, evidence, ctx.source(row, "agreement_date"))


@register
class AcceptanceMissing(Rule):
    """A project-based class that has ended has no acceptance (验收) on or after its end.

    Why: Article 6 — after training, the HR bureau checks the results against the
    agreement (检查验收培训成效) before paying by results.

    Reading: only classes whose end date is before ``--as-of`` are checked; an
    acceptance dated before the end date cannot have checked the results.

    Anti-pattern: ended 2020-10-30, 验收日期 blank.
    Compliant: ended 2020-10-30, accepted 2020-11-06.
    """

    code = "A0602"
    name = "acceptance-missing"
    article = 6
    severity = "warning"
    message = ("{what}", "{what_en}")

    def check(self, ctx: Context):
        classes = ctx.classes
        as_of = pd.Timestamp(ctx.as_of)
        ended = classes["end_date"].notna() & (classes["end_date"] < as_of)
        for row in classes[training_kind(classes, "project") & ended].itertuples():
            if pd.isna(row.acceptance_date):
                evidence = {
                    "what": "项目制培训已结业，没有验收日期",
                    "what_en": "project-based class ended without acceptance",
                }
            elif row.acceptance_date < row.end_date:
                evidence = {
                    "what": f"验收日期 {fmt_date(row.acceptance_date)} 早于结业日期 {fmt_date(row.end_date)}",
                    "what_en": f"accepted {fmt_date(row.acceptance_date)}, before the end {fmt_date(row.end_date)}",
                }
            else:
                continue
            yield ctx.finding(self.code, row.class_id, evidence, ctx.source(row, "acceptance_date"))
