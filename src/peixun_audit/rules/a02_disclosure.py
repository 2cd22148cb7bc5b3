"""Article 2: before the class opens, the plan, policies and complaint hotlines are disclosed."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, map_distinct, rows_of


class DisclosureMissing(Rule):
    """No disclosure (告知公示) before the start date, or the complaint hotlines were
    not disclosed.

    Why: Article 2 — before the class opens, the school gives the students (or posts)
    the teaching plan, content, requirements, the subsidy policy and the hotlines of
    the district HR bureau and labour inspection, so that students know their rights.

    Reading: a disclosure on the start date itself is in time (开班前 read as "by the
    opening"); a blank 已公示举报电话 counts as not disclosed, because the record must
    show it. One finding per class, naming both faults when both occur. A class
    without a start date is not checked (the loader does not use such rows).

    Anti-pattern: 告知公示日期 blank, or after 开班日期; 已公示举报电话 否.
    Compliant: 告知公示日期 2020-09-04 for a class starting 2020-09-07; 已公示举报电话 是.
    """

    code = "A0201"
    name = "disclosure-missing"
    article = 2
    severity = "warning"
    evidence = {
        "missing": {"start": "date"},
        "late": {"disclosed": "date", "start": "date"},
        "no_hotlines": {"disclosed": "date"},
        "missing_no_hotlines": {"start": "date"},
        "late_no_hotlines": {"disclosed": "date", "start": "date"},
    }

    def check(self, ctx: Context):
        classes = ctx.classes
        # the classes at fault, picked whole-column (a row's datetimes are slow to read)
        start, disclosed = classes["start_date"], classes["disclosure_date"]
        no_hotlines = ~map_distinct(classes["hotline_disclosed"], lambda v: v is True, bool)
        at_fault = start.notna() & (disclosed.isna() | (disclosed > start) | no_hotlines)
        for row in rows_of(classes[at_fault.to_numpy(dtype=bool)]):
            if pd.isna(row.start_date):
                continue
            no_hotlines = row.hotline_disclosed is not True
            if pd.isna(row.disclosure_date):
                variant = "missing_no_hotlines" if no_hotlines else "missing"
                evidence = {"start": row.start_date}
            elif row.disclosure_date > row.start_date:
                variant = "late_no_hotlines" if no_hotlines else "late"
                evidence = {"disclosed": row.disclosure_date, "start": row.start_date}
            elif no_hotlines:
                variant = "no_hotlines"
                evidence = {"disclosed": row.disclosure_date}
            else:
                continue
            key = "hotline_disclosed" if variant == "no_hotlines" else "disclosure_date"
            yield ctx.violation(variant, row.class_id, evidence, ctx.source(row, key))
