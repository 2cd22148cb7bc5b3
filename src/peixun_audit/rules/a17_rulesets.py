"""Article 17: the rules in force — newer rules supersede; nothing applies retroactively."""

from __future__ import annotations

from .base import Context, Rule, rows_of


class BeforeEffectiveDate(Rule):
    """The class started before the ruleset came into force; no other rule is applied.

    Why: Article 17 — the Rules apply from their issue date (2020-08-20); a class
    started earlier was run under the previous rules and is not audited against these.

    Reading: each class is audited under the newest ruleset effective on its start
    date; a class that predates every ruleset gets only this finding.

    Anti-pattern: (not a breach) a class that started 2020-07-01.
    Compliant: a class that started on or after 2020-08-20.
    """

    code = "A1701"
    name = "before-effective-date"
    article = 17
    severity = "info"
    evidence = {"predates": {"start": "date", "effective": "date"}}

    def check(self, ctx: Context):
        effective = min(r.effective for r in ctx.rulesets or [ctx.default])
        for row in rows_of(ctx.tables["predating"].drop_duplicates("class_id")):
            evidence = {"start": row.start_date, "effective": effective}
            yield ctx.violation("predates", row.class_id, evidence, ctx.source(row, "start_date"))
