"""Article 14: inspections are made by a team of two with a named leader."""

from __future__ import annotations

from .base import Context, Rule


def _inspectors(value: object) -> list[str]:
    return list(dict.fromkeys(value)) if isinstance(value, tuple) else []


class InspectionTeamSize(Rule):
    """An inspection not made by exactly two inspectors.

    Why: Articles 10 and 14 — each inspection team has 2 inspectors (每组指定2名检查人员).

    Reading: names are split on 、 , ， ; ；; repeated names count once. An
    inspection with no inspector named at all is reported as such (variant
    ``none_named``).

    Anti-pattern: 督查人员 张伟 (one person), or three names.
    Compliant: 张伟、李娜.
    """

    code = "A1401"
    name = "inspection-team-size"
    article = 14
    severity = "warning"
    params = ("inspection.team_size",)
    evidence = {
        "wrong_size": {"count": "count", "names": "name[]", "size": "count", "date": "date"},
        "none_named": {"size": "count", "date": "date"},
    }

    def check(self, ctx: Context):
        for row in ctx.rows("inspections"):
            names = _inspectors(row.inspectors)
            size = ctx.class_param(row.class_id, "inspection.team_size")
            if len(names) == size:
                continue
            where = ctx.source(row, "inspectors")
            if names:
                evidence = {"count": len(names), "names": names, "size": size, "date": row.date}
                yield ctx.violation("wrong_size", row.class_id, evidence, where)
            else:
                evidence = {"size": size, "date": row.date}
                yield ctx.violation("none_named", row.class_id, evidence, where)


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
    evidence = {
        "no_leader": {"date": "date"},
        "not_an_inspector": {"leader": "name", "inspectors": "name[]", "date": "date"},
        "no_inspectors": {"leader": "name", "date": "date"},
    }

    def check(self, ctx: Context):
        for row in ctx.rows("inspections"):
            leader = row.leader if isinstance(row.leader, str) and row.leader.strip() else None
            names = _inspectors(row.inspectors)
            where = ctx.source(row, "leader")
            if leader is None:
                yield ctx.violation("no_leader", row.class_id, {"date": row.date}, where)
            elif not names:
                evidence = {"leader": leader, "date": row.date}
                yield ctx.violation("no_inspectors", row.class_id, evidence, where)
            elif leader not in names:
                evidence = {"leader": leader, "inspectors": names, "date": row.date}
                yield ctx.violation("not_an_inspector", row.class_id, evidence, where)
