"""Article 12: phone callbacks after training — coverage, content, contradictions."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from .base import Context, Rule, ceil_percent, person_key, rows_of, training_kind


def callback_ratio(ctx: Context, classes: pd.DataFrame) -> pd.Series:
    """Required callback percentage per class: 30% for 以工代训, 10% otherwise."""
    work_based = training_kind(classes, "work_based")
    normal = ctx.param("callbacks.ratio_percent", classes["class_id"])
    work = ctx.param("callbacks.work_based_ratio_percent", classes["class_id"])
    return work.where(work_based, normal)


def required_callbacks(ctx: Context) -> pd.DataFrame:
    """Per class: roster size, ratio, required and reached callbacks."""
    classes = ctx.classes
    size = ctx.roster_sizes()
    calls = ctx.tables["callbacks"]
    reached = calls[calls["reached"].eq(True)]
    reached = reached.assign(who=person_key(reached)).groupby("class_id")["who"].nunique()
    out = classes[["class_id"]].copy()
    out["size"] = classes["class_id"].map(size).fillna(0).astype(int)
    out["ratio"] = callback_ratio(ctx, classes)
    minimum = ctx.param("callbacks.min_per_class", classes["class_id"])
    out["required"] = [
        max(ceil_percent(r, n), m) if n else 0
        for r, n, m in zip(out["ratio"], out["size"], minimum, strict=True)
    ]
    out["reached"] = classes["class_id"].map(reached).fillna(0).astype(int)
    return out


class CallbackRateLow(Rule):
    """Fewer reached callbacks than ⌈10%⌉ of the class (⌈30%⌉ for 以工代训).

    Why: Article 12 — after training, at least 10% of trainees are phoned back
    (30% for 以工代训) about their willingness, the quality and course of the
    training and their employment.

    Reading: the count is of distinct trainees reached (是否接通 = 是); the requirement is
    the integer ceiling of ratio × roster size, at least 1 (10% of 30 is 3, of 31 is
    4). Only classes that have ended by ``--as-of`` are checked, and only those with
    at least one callback record: a class with none is A1204 (an error), not
    reported twice for the same absence.

    Anti-pattern: 31 trainees, 3 reached.
    Compliant: 31 trainees, 4 reached.
    """

    code = "A1201"
    name = "callback-rate-low"
    article = 12
    severity = "warning"
    params = (
        "callbacks.ratio_percent",
        "callbacks.work_based_ratio_percent",
        "callbacks.min_per_class",
    )
    evidence = {
        "too_few": {"reached": "count", "required": "count", "size": "count", "ratio": "percent"}
    }

    def check(self, ctx: Context):
        need = required_callbacks(ctx)
        ends = ctx.classes.set_index("class_id")["end_date"]
        as_of = pd.Timestamp(ctx.as_of)
        called = set(attempted(ctx.tables["callbacks"])["class_id"].unique())
        for row in rows_of(need[need["reached"] < need["required"]]):
            end = ends.get(row.class_id)
            if pd.isna(end) or end >= as_of or row.class_id not in called:
                continue  # not ended yet, or no callback at all (A1204)
            evidence = {
                "reached": row.reached,
                "required": row.required,
                "size": row.size,
                "ratio": Fraction(int(row.ratio), 100),
            }
            yield ctx.violation("too_few", row.class_id, evidence)


# the answers a reached callback records (canonical callback fields)
CONTENT = ("willingness", "quality", "attended", "employed")


class CallbackIncomplete(Rule):
    """A reached callback that lacks the willingness, quality, attendance or
    employment answer.

    Why: Article 12 — the callback records the person's willingness, the training
    quality and process, and employment after training (employer, occupation, wage),
    in detail (做好详细登记).

    Anti-pattern: 是否接通 是, 培训质量 blank.
    Compliant: all four answers recorded.
    """

    code = "A1202"
    name = "callback-incomplete"
    article = 12
    severity = "warning"
    evidence = {"missing": {"missing": "field[]"}}

    def check(self, ctx: Context):
        calls = ctx.tables["callbacks"]
        calls = calls[calls["reached"].eq(True)]
        blank = calls[list(CONTENT)].isna().to_numpy()  # None, NaN or NaT, whole-column
        lacking = blank.any(axis=1)
        for row, gaps in zip(rows_of(calls[lacking]), blank[lacking], strict=True):
            missing = [k for k, gap in zip(CONTENT, gaps, strict=True) if gap]
            yield ctx.student_violation("missing", row, {"missing": missing}, missing[0])


class CallbackContradiction(Rule):
    """A callee says they did not attend, but the sign-in sheet shows them at or
    above the attendance threshold.

    Why: Article 12 callbacks verify the training process; Article 4 requires
    personal signatures. A trainee who denies attending yet has a passing sign-in
    record points to forged signatures.

    Reading: the callee is matched to the class's students by ID number, else name.

    Anti-pattern: 是否参加培训 否; sign-in rate 95%.
    Compliant: 是否参加培训 是, or a callee below the threshold (already A0401).
    """

    code = "A1203"
    name = "callback-contradiction"
    article = 12
    severity = "error"
    params = ("attendance.min_rate_percent",)
    evidence = {"denied": {"rate": "percent"}}

    def check(self, ctx: Context):
        calls = ctx.tables["callbacks"]
        denied = calls[calls["attended"].eq(False)]
        if not len(denied):
            return
        att = ctx.attendance.table
        att = att[att["planned_units"] > 0]
        threshold = ctx.param("attendance.min_rate_percent", att["class_id"])
        passing = att[att["attended_units"] * 100 >= att["planned_units"] * threshold]
        rates = [
            Fraction(int(a), int(p))
            for a, p in zip(passing["attended_units"], passing["planned_units"], strict=True)
        ]
        by_id = {
            (c, i): r
            for c, i, r in zip(passing["class_id"], passing["id_number"], rates, strict=True)
            if isinstance(i, str)
        }
        by_name = {
            (c, n): r
            for c, n, r in zip(passing["class_id"], passing["student_name"], rates, strict=True)
        }
        for row in rows_of(denied):
            rate = (
                by_id.get((row.class_id, row.id_number))
                if isinstance(row.id_number, str)
                else by_name.get((row.class_id, row.name))
            )
            if rate is not None:
                yield ctx.student_violation("denied", row, {"rate": rate}, "attended")


def attempted(callbacks: pd.DataFrame) -> pd.DataFrame:
    """Callback rows that record a call: a date or whether it got through. A blank call
    sheet (the rows ``callbacks --sample`` writes, never filled in) records no call."""
    return callbacks[callbacks["date"].notna() | callbacks["reached"].notna()]


class CallbacksMissing(Rule):
    """A class that has ended without any callback record.

    Why: Article 12 — "培训结束后对培训人员不低于10%的回访；对'以工代训'人员培训不低于30%
    的回访", the answers recorded in detail (做好详细登记); Article 11 — the
    callbacks collect the trainees' views once the training is over. A class with no
    callback log lacks a required document of its dossier and cannot be subsidised.

    Reading: a class has ended when its end date is before ``--as-of`` (as in A1201);
    any callback row of the class counts, reached or not (A1201 then checks how many
    were reached). A class without an end date is not checked.

    Anti-pattern: a class that ended 2020-09-11 and no 电话回访 rows for it.
    Compliant: callback records for the class, or a class still running.
    """

    code = "A1204"
    name = "callbacks-missing"
    article = 12
    severity = "error"
    evidence = {"missing": {"end": "date"}}

    def check(self, ctx: Context):
        called = set(attempted(ctx.tables["callbacks"])["class_id"].unique())
        as_of = pd.Timestamp(ctx.as_of)
        for row in ctx.class_rows():
            if pd.isna(row.end_date) or row.end_date >= as_of or row.class_id in called:
                continue
            yield ctx.violation("missing", row.class_id, {"end": row.end_date})
