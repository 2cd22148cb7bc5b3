"""Article 6: project-based training runs on a signed agreement and ends with acceptance."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, rows_of, training_kind


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
    evidence = {
        "missing": {"start": "date"},
        "late": {"signed": "date", "start": "date"},
    }

    def check(self, ctx: Context):
        classes = ctx.classes
        for row in rows_of(classes[training_kind(classes, "project")]):
            if pd.isna(row.start_date):  # a class row always has one (a required field)
                continue
            where = ctx.source(row, "agreement_date")
            if pd.isna(row.agreement_date):
                yield ctx.violation("missing", row.class_id, {"start": row.start_date}, where)
            elif row.agreement_date > row.start_date:
                evidence = {"signed": row.agreement_date, "start": row.start_date}
                yield ctx.violation("late", row.class_id, evidence, where)


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
    evidence = {
        "missing": {"end": "date"},
        "early": {"accepted": "date", "end": "date"},
    }

    def check(self, ctx: Context):
        classes = ctx.classes
        as_of = pd.Timestamp(ctx.as_of)
        ended = classes["end_date"].notna() & (classes["end_date"] < as_of)
        for row in rows_of(classes[training_kind(classes, "project") & ended]):
            where = ctx.source(row, "acceptance_date")
            if pd.isna(row.acceptance_date):
                yield ctx.violation("missing", row.class_id, {"end": row.end_date}, where)
            elif row.acceptance_date < row.end_date:
                evidence = {"accepted": row.acceptance_date, "end": row.end_date}
                yield ctx.violation("early", row.class_id, evidence, where)
