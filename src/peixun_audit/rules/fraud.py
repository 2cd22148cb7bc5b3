"""X rules: fraud signals that auditors look for. They are not breaches of the
regulation; every message says so."""

from __future__ import annotations

import pandas as pd

from ..ids import ages, yyyymmdd
from ..model import Source
from .base import Context, Rule


def _roster_classes(ctx: Context) -> pd.DataFrame:
    """Roster rows with valid IDs, joined to their class's period, occupation and level,
    with the birth date from the ID (``born``, yyyymmdd). Built once for the X rules."""

    def build() -> pd.DataFrame:
        roster = ctx.tables["roster"]
        facts = ctx.roster_ids()
        roster = roster.assign(born=facts["born"])[facts["valid"].to_numpy()]
        cols = ctx.classes.set_index("class_id")[["start_date", "end_date", "occupation", "level"]]
        return roster.drop_duplicates(["class_id", "id_number"]).join(cols, on="class_id")

    return ctx.memo("roster_classes", build)


def _pairs(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Every pair of rows (a, b) sharing ``key`` in different classes, a's class < b's."""
    left = frame[frame.duplicated(key, keep=False)].reset_index(drop=True)
    pairs = left.merge(left, on=key, suffixes=("_a", "_b"))
    return pairs[pairs["class_id_a"] < pairs["class_id_b"]]


class OverlappingEnrollment(Rule):
    """The same ID number is enrolled in two classes whose periods overlap.

    Why (fraud signal): one person cannot attend two full-time classes at once; the
    same identity on two concurrent rosters suggests a borrowed identity or a
    padded roster.

    Reading: periods overlap when each starts on or before the other's end. One
    finding per pair, on the later class (by id).

    Anti-pattern: 45030219900101123X in GL-001 (9-07..9-11) and GL-005 (9-10..9-20).
    Compliant: classes one after the other.
    """

    code = "X0101"
    name = "overlapping-enrollment"
    article = None
    severity = "warning"
    evidence = {"overlap": {"other": "text", "other_period": "span"}}

    def check(self, ctx: Context):
        pairs = _pairs(_roster_classes(ctx), "id_number")
        overlap = pairs[
            (pairs["start_date_a"] <= pairs["end_date_b"])
            & (pairs["start_date_b"] <= pairs["end_date_a"])
        ]
        for row in overlap.itertuples():
            yield ctx.violation(
                "overlap",
                row.class_id_b,
                {"other": row.class_id_a, "other_period": (row.start_date_a, row.end_date_a)},
                _src(ctx, row, "_b"),
                row.name_b,
                row.id_number,
            )


def _src(ctx: Context, row, suffix: str) -> Source:
    file, sheet, excel_row = (getattr(row, f"src_{k}{suffix}") for k in ("file", "sheet", "row"))
    return Source(file, sheet, int(excel_row), ctx.cells(file, sheet, "id_number", int(excel_row)))


class SimultaneousSignin(Rule):
    """The same ID number signed in to two classes on the same date (and the same
    period, when both sheets give one).

    Why (fraud signal): a person cannot sit in two classrooms at once; one of the two
    signatures is not theirs.

    Reading: the spec says "on the same date"; a morning class and an afternoon
    class on one day are legitimate, so when both sign-ins carry a period they must
    match (configurable: ``fraud.simultaneous_same_period``). Only attending marks count.
    The sign-in is reported in both classes, each finding naming the other class: either
    copy may be the forged one, so neither is left eligible.

    Anti-pattern: present in GL-001 and GL-007 on 2020-09-08 morning.
    Compliant: GL-001 in the morning, GL-007 in the evening.
    """

    code = "X0102"
    name = "simultaneous-signin"
    article = None
    severity = "error"
    params = ("fraud.simultaneous_same_period",)
    evidence = {
        "day": {"other": "text", "date": "date"},
        "session": {"other": "text", "date": "date", "period": "period"},
    }

    def check(self, ctx: Context):
        # only people with sign-in lines in more than one class can collide: pick their
        # lines first (24,000 lines, not 720,000 cells), then self-merge their sign-ins
        lines = ctx.attendance.lines.dropna(subset=["student_id"])
        classes = lines.drop_duplicates(["student_id", "class_id"])["student_id"].value_counts()
        movers = lines[lines["student_id"].isin(classes.index[classes > 1])]
        s = ctx.attendance.signin
        s = s[s["srow"].isin(movers["srow"]) & s["attending"]]
        s = s[
            [
                "class_id",
                "student_id",
                "student_name",
                "date",
                "period",
                "src_file",
                "src_sheet",
                "src_row",
                "src_col",
            ]
        ]
        pairs = s.merge(s, on=["student_id", "date"], suffixes=("_a", "_b"))
        pairs = pairs[pairs["class_id_a"] < pairs["class_id_b"]]
        if ctx.param("fraud.simultaneous_same_period"):
            both = pairs["period_a"].notna() & pairs["period_b"].notna()
            pairs = pairs[~both | (pairs["period_a"] == pairs["period_b"])]
        pairs = pairs.drop_duplicates(["student_id", "date", "class_id_a", "class_id_b"])
        for row in pairs.itertuples():
            for this, other in (("_b", "_a"), ("_a", "_b")):
                evidence = {"other": getattr(row, f"class_id{other}"), "date": row.date}
                period = getattr(row, f"period{this}")
                if isinstance(period, str):
                    evidence["period"] = period
                yield ctx.violation(
                    "session" if "period" in evidence else "day",
                    getattr(row, f"class_id{this}"),
                    evidence,
                    _src_cell(row, this),
                    getattr(row, f"student_name{this}"),
                    row.student_id,
                )


def _src_cell(row, suffix: str) -> Source:
    """The sign-in cell of one side (``_a`` or ``_b``) of a pair."""
    file, sheet, excel_row, col = (
        getattr(row, f"src_{k}{suffix}") for k in ("file", "sheet", "row", "col")
    )
    excel_row = int(excel_row)
    return Source(file, sheet, excel_row, f"{col}{excel_row}" if col else None)


class SharedPhone(Rule):
    """One phone number given by 3 or more different ID numbers.

    Why (fraud signal): trainees recruited in bulk by an agent often carry the
    agent's phone; callbacks (Article 12) to such a number reach the agent, not the
    trainee.

    Reading: across all classes; one finding per roster row using the shared number.

    Anti-pattern: 13800001111 on the rows of three different people.
    Compliant: each trainee's own phone.
    """

    code = "X0201"
    name = "shared-phone"
    article = None
    severity = "warning"
    params = ("fraud.shared_phone_min_ids",)
    # the other people's IDs are not listed: each of them has a finding of their own,
    # and listing n IDs on each of n rows would grow with the square of a shared number
    evidence = {"shared": {"phone": "phone", "count": "count"}}

    def check(self, ctx: Context):
        roster = ctx.tables["roster"].dropna(subset=["phone", "id_number"])
        counts = roster.groupby("phone")["id_number"].nunique()
        shared = counts[counts >= ctx.param("fraud.shared_phone_min_ids")]
        for row in roster[roster["phone"].isin(shared.index)].itertuples():
            evidence = {"phone": row.phone, "count": int(shared[row.phone])}
            yield ctx.student_violation("shared", row, evidence, "phone")


class RepeatTraining(Rule):
    """The same ID number trained twice in the same occupation and level within 365 days.

    Why (fraud signal): the subsidy pays for acquiring a skill once; the same person
    retrained at the same level within a year suggests recycled trainees.

    Reading: the later class's start is within the window (default 365 days) of the
    earlier class's start. One finding on the later class. Two classes that both
    leave the level blank count as the same level (variant ``no_level``).

    Anti-pattern: 电工 初级 in March and again in November of the same year.
    Compliant: 电工 初级, then 电工 中级.
    """

    code = "X0301"
    name = "repeat-training"
    article = None
    severity = "warning"
    params = ("fraud.repeat_window_days",)
    evidence = {
        "same_level": {"other": "text", "days": "count", "occupation": "text", "level": "text"},
        "no_level": {"other": "text", "days": "count", "occupation": "text"},
    }

    def check(self, ctx: Context):
        roster = _roster_classes(ctx).dropna(subset=["occupation", "start_date"])
        roster = roster.assign(level=roster["level"].fillna(""))
        pairs = _pairs(roster, "id_number")
        pairs = pairs[
            (pairs["occupation_a"] == pairs["occupation_b"])
            & (pairs["level_a"] == pairs["level_b"])
        ]
        window = ctx.param("fraud.repeat_window_days")
        gap = (pairs["start_date_b"] - pairs["start_date_a"]).dt.days
        pairs = pairs.assign(gap=gap)[gap.abs() < window]
        for row in pairs.itertuples():
            later, earlier = ("_b", "_a") if row.gap >= 0 else ("_a", "_b")
            evidence = {
                "other": getattr(row, f"class_id{earlier}"),
                "days": abs(int(row.gap)),
                "occupation": row.occupation_a,
            }
            if row.level_a:
                evidence["level"] = row.level_a
            yield ctx.violation(
                "same_level" if row.level_a else "no_level",
                getattr(row, f"class_id{later}"),
                evidence,
                _src(ctx, row, later),
                getattr(row, f"name{later}"),
                row.id_number,
            )


class AgeOutOfRange(Rule):
    """Age at the class start (from the ID number) under 16 or over 60.

    Why (fraud signal): subsidised vocational training is for people of working age;
    a child's or a pensioner's identity on a roster is often a borrowed one.

    Reading: age in whole years on the class start date; bounds from the ruleset.

    Anti-pattern: born 2006-05-01, class starting 2020-09-07 (14).
    Compliant: aged 16 to 60.
    """

    code = "X0401"
    name = "age-out-of-range"
    article = None
    severity = "warning"
    params = ("fraud.min_age", "fraud.max_age")
    evidence = {
        "too_young": {"age": "count", "min_age": "count"},
        "too_old": {"age": "count", "max_age": "count"},
    }

    def check(self, ctx: Context):
        roster = _roster_classes(ctx).dropna(subset=["start_date"])
        age = ages(roster["born"], yyyymmdd(roster["start_date"]))
        lo = ctx.param("fraud.min_age", roster["class_id"])
        hi = ctx.param("fraud.max_age", roster["class_id"])
        outside = (age < lo) | (age > hi)
        for row, years in zip(roster[outside].itertuples(), age[outside], strict=True):
            lo = ctx.class_param(row.class_id, "fraud.min_age")
            if years < lo:
                evidence = {"age": int(years), "min_age": lo}
                yield ctx.student_violation("too_young", row, evidence, "id_number")
            else:
                hi = ctx.class_param(row.class_id, "fraud.max_age")
                evidence = {"age": int(years), "max_age": hi}
                yield ctx.student_violation("too_old", row, evidence, "id_number")


class UniformSignin(Rule):
    """Every student of the class signed every session.

    Why (fraud signal): real classes have absences; a sheet with no gap at all is
    often filled in after the fact. For the record, not a breach.

    Reading: needs at least 2 students and 2 sign-in sessions; every cell attending.

    Anti-pattern: 30 students × 20 sessions, all √.
    Compliant: the occasional 请假 or blank.
    """

    code = "X0501"
    name = "uniform-signin"
    article = None
    severity = "info"
    evidence = {"uniform": {"students": "count", "sessions": "count"}}

    def check(self, ctx: Context):
        att = ctx.attendance
        lines = att.lines[att.lines["student"] >= 0]
        if not len(lines):
            return
        # per sign-in line, then per class: whether any cell of a matched student is absent
        # (NumPy over the cells: filtering the whole sign-in frame would copy it)
        matched = att.signin["student"].to_numpy() >= 0
        absent = matched & ~att.signin["attending"].to_numpy(dtype=bool)
        gaps = pd.unique(att.signin["srow"].to_numpy()[absent])
        per_class = (
            lines.assign(full=~lines["srow"].isin(gaps))
            .groupby("class_id")
            .agg(students=("student", "nunique"), all_present=("full", "all"))
        )
        signed_columns = pd.unique(att.signin["scol"].to_numpy()[matched])
        columns = att.columns[att.columns["scol"].isin(signed_columns)]
        sessions = columns[["class_id", "date", "period"]].fillna({"period": ""})
        per_class["sessions"] = sessions.drop_duplicates().groupby("class_id").size()
        roster_sizes = ctx.attendance.table.groupby("class_id")["student"].nunique()
        per_class = per_class[
            (per_class["students"] >= 2) & (per_class["sessions"] >= 2) & per_class["all_present"]
        ]
        for cid, row in per_class.iterrows():
            if roster_sizes.get(cid, 0) > row["students"]:
                continue  # someone on the roster never signed
            evidence = {"students": int(row["students"]), "sessions": int(row["sessions"])}
            yield ctx.violation("uniform", cid, evidence)
