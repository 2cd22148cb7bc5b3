"""Article 2: before the class opens, the plan, policies and complaint hotlines are disclosed."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, fmt_date, register


@register
class DisclosureMissing(Rule):
    """No disclosure (告知公示) before the start date, or the complaint hotlines were
    not disclosed.

    Why: Article 2 — before the class opens, the school gives the students (or posts)
    the teaching plan, content, requirements, the subsidy policy and the hotlines of
    the district HR bureau and labour inspection, so that students know their rights.

    Reading: a disclosure on the start date itself is in time (开班前 read as "by the
    opening"); a blank 已公示举报电话 counts as not disclosed, because the record must
    show it.

    Anti-pattern: 告知公示日期 blank, or after 开班日期; 已公示举报电话 否.
    Compliant: 告知公示日期 2020-09-04 for a class starting 2020-09-07; 已公示举报电话 是.
    """

    code = "A0201"
    name = "disclosure-missing"
    article = 2
    severity = "warning"
    message = ("开班告知公示不合规：{reasons_zh}", "disclosure incomplete: {reasons_en}")

    def check(self, ctx: Context):
        for row in ctx.classes.itertuples():
            zh, en = [], []
            if pd.isna(row.disclosure_date):
                zh.append("没有告知公示日期")
                en.append("no disclosure date")
            elif pd.notna(row.start_date) and row.disclosure_date > row.start_date:
                zh.append(
                    f"公示日期 {fmt_date(row.disclosure_date)} 晚于开班日期 {fmt_date(row.start_date)}"
                )
                en.append(
                    f"disclosed {fmt_date(row.disclosure_date)}, after the start {fmt_date(row.start_date)}"
                )
            if row.hotline_disclosed is not True:
                zh.append("未公示举报电话")
                en.append("hotlines not disclosed")
            if zh:
                key = (
                    "disclosure_date"
                    if pd.isna(row.disclosure_date) or len(zh) == 2
                    else "hotline_disclosed"
                )
                yield ctx.finding(
                    self.code,
                    row.class_id,
                    {"reasons_zh": "；".join(zh), "reasons_en": "; ".join(en)},
                    ctx.source(row, key),
                )
