"""Article 14: inspections are made by a team of two with a named leader."""

from __future__ import annotations

from .base import Context, Rule, fmt_date, register


def _inspectors(value: object) -> list[str]:
    return list(dict.fromkeys(value)) if isinstance(value, tuple) else []


@register
class InspectionTeamSize(Rule):
    """An inspection not made by exactly two inspectors.

    Why: Articles 10 and 14 — each inspection team has 2 inspectors (每组指定2名检查人员).

    Reading: names are split on 、 , ， ; ；; repeated names count once.

    Anti-pattern: 督查人员 张伟 (one person), or three names.
    Compliant: 张伟、李娜.
    """

    code = "A1401"
    name = "inspection-team-size"
    article = 14
    severity = "warning"
    params = ("inspection.team_size",)
    message = (
        "督查人员 {count} 人（{names}），应为 {size} 人",
        "{count} inspector(s) ({names}); the team is {size}",
    )

    def check(self, ctx: Context):
        for row in ctx.tables["inspections"].itertuples():
            names = _inspectors(row.inspectors)
            size = ctx.class_param(row.class_id, "inspection.team_size")
            if len(names) != size:
                yield ctx.finding(
                    self.code,
                    row.class_id,
                    {
                        "count": len(names),
                        "names": "、".join(names) or "—",
                        "size": size,
                        "date": fmt_date(row.date),
                    },
                    ctx.source(row, "inspectors"),
                )


@register
class InspectionNoLeader(Rule):
    """No team leader named on the inspection, or the leader is not one of the inspectors.

    Why: Article 14 — the team of two has a designated leader (指定一名组长负责) who
    answers for the inspection.

    Anti-pattern: 组长 blank; or 组长 王强 with 督查人员 张伟、李娜.
    Compliant: 组长 张伟, 督查人员 张伟、李娜.
    """

    code = "A1402"
    name = "inspection-no-leader"
    article = 14
    severity = "warning"
    message = ("{what}", "{what_en}")

    def check(self, ctx: Context):
        for row in ctx.tables["inspections"].itertuples():
            leader = row.leader if isinstance(row.leader, str) and row.leader.strip() else None
            if leader is None:
                evidence = {
                    "what": f"现场督查（{fmt_date(row.date)}）未指定组长",
                    "what_en": f"no team leader named ({fmt_date(row.date)})",
                }
            elif leader not in _inspectors(row.inspectors):
                evidence = {
                    "what": f"组长{leader}不在督查人员中",
                    "what_en": f"leader {leader} is not one of the inspectors",
                }
            else:
                continue
            yield ctx.finding(self.code, row.class_id, evidence, ctx.source(row, "leader"))
