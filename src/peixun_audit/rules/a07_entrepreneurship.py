"""Article 7: entrepreneurship training — teachers, class size, six months of follow-up."""

from __future__ import annotations

import pandas as pd

from .base import Context, Rule, person_key, rows_of, training_kind


def _teachers(ctx: Context, classes: pd.DataFrame) -> dict[str, set[str]]:
    """Distinct teachers of each of ``classes``: its 授课教师 list and its plan's teachers."""
    out: dict[str, set[str]] = {}
    for cid, teachers in zip(classes["class_id"], classes["teachers"], strict=True):
        out.setdefault(cid, set()).update(teachers if isinstance(teachers, tuple) else ())
    plan = ctx.tables["plan"]
    plan = plan[plan["class_id"].isin(classes["class_id"])].dropna(subset=["teacher"])
    for cid, teacher in zip(plan["class_id"], plan["teacher"], strict=True):
        out.setdefault(cid, set()).add(teacher)
    return out


def _window(start: pd.Timestamp, k: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Monthly follow-up window k (k = 0, 1, …) from ``start``: from start + k months
    to start + k+1 months, exclusive (month ends clamp: 01-31 + 1 month is 02-28)."""
    return start + pd.DateOffset(months=k), start + pd.DateOffset(months=k + 1)


def _ended(hi: pd.Timestamp, as_of: pd.Timestamp) -> bool:
    """A window ending before ``hi`` (exclusive) is over once its last day is ``as_of``."""
    return hi <= as_of + pd.Timedelta(days=1)


class TooFewTeachers(Rule):
    """An entrepreneurship (创业培训) class taught by fewer than 2 distinct teachers.

    Why: Article 7 — each entrepreneurship class has no fewer than 2 teachers.

    Reading: teachers are the union of the class's 授课教师 list and the teaching
    plan's 授课教师 column.

    Anti-pattern: every session taught by 李明.
    Compliant: sessions shared by 李明 and 黄丽.
    """

    code = "A0701"
    name = "too-few-teachers"
    article = 7
    severity = "error"
    params = ("entrepreneurship.min_teachers",)
    evidence = {
        "too_few": {"count": "count", "teachers": "name[]", "minimum": "count"},
        "none": {"minimum": "count"},
    }

    def check(self, ctx: Context):
        classes = ctx.classes
        entrepreneurship = training_kind(classes, "entrepreneurship")
        teachers = _teachers(ctx, classes[entrepreneurship])
        for row in ctx.class_rows_where(entrepreneurship):
            names = sorted(teachers.get(row.class_id, ()))
            minimum = ctx.class_param(row.class_id, "entrepreneurship.min_teachers")
            if len(names) >= minimum:
                continue
            where = ctx.source(row, "teachers")
            if names:
                evidence = {"count": len(names), "teachers": names, "minimum": minimum}
                yield ctx.violation("too_few", row.class_id, evidence, where)
            else:
                yield ctx.violation("none", row.class_id, {"minimum": minimum}, where)


class ClassTooLarge(Rule):
    """An entrepreneurship class with more than 30 students.

    Why: Article 7 — no more than 30 students per entrepreneurship class.

    Reading: students are the distinct roster entries (by ID number, else name).

    Anti-pattern: 32 students on the roster of a 创业培训 class.
    Compliant: 30 or fewer.
    """

    code = "A0702"
    name = "class-too-large"
    article = 7
    severity = "error"
    params = ("entrepreneurship.max_students",)
    evidence = {"too_large": {"count": "count", "maximum": "count"}}

    def check(self, ctx: Context):
        entrepreneurship = training_kind(ctx.classes, "entrepreneurship")
        sizes = ctx.roster_sizes()
        for row in ctx.class_rows_where(entrepreneurship):
            count = int(sizes.get(row.class_id, 0))
            maximum = ctx.class_param(row.class_id, "entrepreneurship.max_students")
            if count > maximum:
                evidence = {"count": count, "maximum": maximum}
                yield ctx.violation("too_large", row.class_id, evidence, ctx.source(row))


class FollowupGap(Rule):
    """A student who started a business after an entrepreneurship class lacks a
    follow-up in one of the monthly windows of the 6 months from the business start.

    Why: Article 7 — from the day the student starts a business, the institution
    gives at least six months of follow-up support, with at least one phone call or
    visit every month, recorded (跟踪服务记录).

    Reading: window k (k = 0..5) runs from the business start date plus k months to
    plus k+1 months (exclusive). Only windows that have ended by ``--as-of`` are
    checked, so a recent business is not penalised for the future. Follow-ups are
    matched by ID number, else name. Businesses started on or before the class end
    are not checked (the article speaks of starting after the training).

    Anti-pattern: business started 2020-11-01, follow-ups on 11-05 and 12-03 only.
    Compliant: a follow-up in each of the six months.
    """

    code = "A0703"
    name = "followup-gap"
    article = 7
    severity = "warning"
    params = ("entrepreneurship.followup_months",)
    evidence = {"gaps": {"business_start": "date", "windows": "span[]"}}

    def check(self, ctx: Context):
        classes = ctx.classes
        ent = classes[training_kind(classes, "entrepreneurship")].set_index("class_id")
        roster = ctx.tables["roster"]
        roster = roster[roster["class_id"].isin(ent.index) & roster["business_start_date"].notna()]
        roster = roster.join(ent["end_date"].rename("class_end"), on="class_id")
        roster = roster[roster["business_start_date"] > roster["class_end"]]
        follow = ctx.tables["followups"].dropna(subset=["date"])
        # a follow-up names the student by ID or by name: index both ways
        done_by: dict[tuple[str, str], list[pd.Timestamp]] = {}
        for keys in (person_key(follow), "name:" + follow["name"].fillna("").astype(str)):
            for cid, who, date in zip(follow["class_id"], keys, follow["date"], strict=True):
                done_by.setdefault((cid, who), []).append(date)
        as_of = pd.Timestamp(ctx.as_of)
        for row, who in zip(rows_of(roster), person_key(roster), strict=True):
            done = done_by.get((row.class_id, who), []) + done_by.get(
                (row.class_id, f"name:{row.name}"), []
            )
            months = ctx.class_param(row.class_id, "entrepreneurship.followup_months")
            gaps = []
            for k in range(months):
                lo, hi = _window(row.business_start_date, k)
                if not _ended(hi, as_of):
                    break
                if not any(lo <= d < hi for d in done):
                    gaps.append((lo, hi - pd.Timedelta(days=1)))
            if gaps:
                evidence = {"business_start": row.business_start_date, "windows": gaps}
                yield ctx.student_violation("gaps", row, evidence, "business_start_date")


class FollowupsMissing(Rule):
    """An entrepreneurship (创业培训) class with no follow-up record at all, once its
    first follow-up month has passed.

    Why: Article 7 — for trainees who start a business after the training, the
    institution gives at least six months of follow-up support, phoning or visiting
    every month and keeping a record (做好跟踪服务记录); it also guides those preparing
    to open a business (开业指导、咨询服务). The follow-up log is a required document
    of an entrepreneurship class's dossier.

    Reading: the article ties follow-up to trainees who start a business, but whether
    anyone did is what the follow-up is there to find out (the roster's 就业状态 is
    often blank at subsidy time), so every 创业培训 class must have a follow-up log,
    with at least one record, once the earliest monthly window A0703 could check is
    over: that of a business started the day after the class end, which runs one
    month from that day (class ended 2020-09-11: window 09-12 to 10-11, so the class
    is checked from ``--as-of`` 2020-10-11, its end date + 1 month). Any follow-up row
    of the class counts, whoever and whenever it concerns (A0703 checks each
    business's months). A class without an end date is not checked.

    Anti-pattern: an SYB class that ended 2020-09-11, audited in 2021, with no 创业跟踪
    rows.
    Compliant: at least one 创业跟踪服务记录 for the class, or a class whose first
    follow-up month has not ended yet.
    """

    code = "A0704"
    name = "followups-missing"
    article = 7
    severity = "error"
    evidence = {"missing": {"end": "date", "due": "date"}}

    def check(self, ctx: Context):
        classes = ctx.classes
        followed = set(ctx.tables["followups"]["class_id"].unique())
        as_of = pd.Timestamp(ctx.as_of)
        for row in ctx.class_rows_where(training_kind(classes, "entrepreneurship")):
            if pd.isna(row.end_date) or row.class_id in followed:
                continue
            _, hi = _window(row.end_date + pd.Timedelta(days=1), 0)
            if _ended(hi, as_of):
                evidence = {"end": row.end_date, "due": hi - pd.Timedelta(days=1)}
                yield ctx.violation("missing", row.class_id, evidence)
