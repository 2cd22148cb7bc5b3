"""X rules: fraud signals that auditors look for. They are not breaches of the
regulation; every message says so."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..ids import ages, yyyymmdd
from ..model import Source
from .base import Context, Rule, rows_of


def _roster_classes(ctx: Context) -> pd.DataFrame:
    """Roster rows with valid IDs, joined to their class's period, occupation and level,
    with the birth date from the ID (``born``, yyyymmdd). Built once for the X rules."""

    def build() -> pd.DataFrame:
        roster = ctx.tables["roster"]
        facts = ctx.roster_ids()
        keep = facts["valid"].to_numpy().copy()
        # a person twice on a class's roster counts once: only IDs on several rows can
        # be, so they are set aside before the two-column hash (a one-column one is cheaper)
        repeated = keep & roster["id_number"].duplicated(keep=False).to_numpy()
        keep[repeated] = ~roster[repeated].duplicated(["class_id", "id_number"]).to_numpy()
        roster = roster[keep].assign(born=facts["born"].to_numpy()[keep])  # one copy
        cols = ctx.classes.set_index("class_id")[["start_date", "end_date", "occupation", "level"]]
        return roster.join(cols, on="class_id")

    return ctx.memo("roster_classes", build)


# One finding names at most this many other classes; ``count`` gives how many there are.
# An ID on N rows in N classes would otherwise give N findings of N names each.
LISTED = 20


def _enrolled_elsewhere(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows whose ``keys`` (the ID, and for X0301 the occupation and level) occur in more
    than one class, sorted by those keys, then start date and class id: each group is a
    run of consecutive rows (no pairs are built; grouping is linear in the rows)."""
    # an ID on one row is in one class: set aside first (a one-column hash is cheaper)
    frame = frame[frame["id_number"].duplicated(keep=False).to_numpy()]
    many = frame.groupby(keys, sort=False)["class_id"].transform("nunique") > 1
    return frame[many].sort_values([*keys, "start_date", "class_id"], kind="stable")


def _runs(keys: pd.DataFrame) -> list[tuple[int, int]]:
    """(first, stop) positions of the runs of equal rows in sorted ``keys``."""
    if not len(keys):
        return []
    changed = (keys != keys.shift()).any(axis=1).to_numpy()
    starts = np.flatnonzero(changed)
    return list(zip(starts.tolist(), [*starts[1:].tolist(), len(keys)], strict=True))


def _days(dates: pd.Series) -> np.ndarray:
    """datetime64 dates as whole days since 1970 (integers compare and subtract exactly)."""
    return dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("int64")


class OverlappingEnrollment(Rule):
    """The same ID number is enrolled in two or more classes whose periods overlap.

    Why (fraud signal): one person cannot attend two full-time classes at once; the
    same identity on two concurrent rosters suggests a borrowed identity or a
    padded roster.

    Reading: periods overlap when each starts on or before the other's end. An ID's
    classes, sorted by start, are swept once: a class joins the group of the classes
    before it when it starts on or before the latest end among them, so each group is
    a chain of overlapping periods (each overlaps at least one other). One finding per
    ID and group of two or more, on the class that started last, listing the group's
    classes with their periods (the first 20 by start; ``count`` gives them all).

    Anti-pattern: 45030219900101123X in GL-001 (9-07..9-11) and GL-005 (9-10..9-20).
    Compliant: classes one after the other.
    """

    code = "X0101"
    name = "overlapping-enrollment"
    article = None
    severity = "warning"
    evidence = {"overlap": {"classes": "class_id[]", "periods": "span[]", "count": "count"}}

    def check(self, ctx: Context):
        roster = _roster_classes(ctx).dropna(subset=["start_date", "end_date"])
        rows = _enrolled_elsewhere(roster, ["id_number"])
        if not len(rows):
            return
        # the sweep, whole-column: a new group starts with a new ID, or with a class that
        # starts after every earlier class of the ID has ended
        latest_end = rows.groupby("id_number", sort=False)["end_date"].cummax()
        before = latest_end.groupby(rows["id_number"], sort=False).shift()
        new_id = rows["id_number"] != rows["id_number"].shift()
        group = (new_id | (rows["start_date"] > before)).cumsum()
        for first, stop in _runs(group.to_frame()):
            if stop - first < 2:
                continue
            members = rows.iloc[first:stop]
            listed = members.iloc[:LISTED]
            last = next(rows_of(members.iloc[[-1]]))  # one per group
            yield ctx.violation(
                "overlap",
                last.class_id,
                {
                    "classes": listed["class_id"].tolist(),
                    "periods": list(zip(listed["start_date"], listed["end_date"], strict=True)),
                    "count": stop - first,
                },
                _src(ctx, last),
                last.name,
                last.id_number,
            )


def _src(ctx: Context, row) -> Source:
    """The roster row of a finding, at its ID cell."""
    excel_row = int(row.src_row)
    return Source(
        row.src_file,
        row.src_sheet,
        excel_row,
        ctx.cells(row.src_file, row.src_sheet, "id_number", excel_row),
    )


class SimultaneousSignin(Rule):
    """The same ID number signed in to two or more classes on the same date (and the
    same period, when both sheets give one).

    Why (fraud signal): a person cannot sit in two classrooms at once; one of the two
    signatures is not theirs.

    Reading: the spec says "on the same date"; a morning class and an afternoon
    class on one day are legitimate, so when both sign-ins carry a period they must
    match (configurable: ``fraud.simultaneous_same_period``). Only attending marks count.
    The sign-in is reported in every class involved, one finding per class and date
    naming the other classes (the first 20 by id; ``count`` gives them all): any copy
    may be the forged one, so no class leaves the person eligible. The finding stands
    at the class's first colliding sign-in cell of the day, with its period.

    Anti-pattern: present in GL-001 and GL-007 on 2020-09-08 morning.
    Compliant: GL-001 in the morning, GL-007 in the evening.
    """

    code = "X0102"
    name = "simultaneous-signin"
    article = None
    severity = "error"
    params = ("fraud.simultaneous_same_period",)
    evidence = {
        "day": {"others": "class_id[]", "count": "count", "date": "date"},
        "session": {"others": "class_id[]", "count": "count", "date": "date", "period": "period"},
    }

    def check(self, ctx: Context):
        # only people with sign-in lines in more than one class can collide: pick their
        # lines first (24,000 lines, not 720,000 cells), then group their sign-ins by
        # ID and date (never pairs: one ID in N classes would give N² of them)
        lines = ctx.attendance.lines
        ids = lines["student_id"]
        on_lines = (ids.notna() & ids.duplicated(keep=False)).to_numpy()  # on 2+ lines
        lines = lines.loc[on_lines, ["student_id", "class_id", "srow"]]  # the columns read
        classes = lines.drop_duplicates(["student_id", "class_id"])["student_id"].value_counts()
        movers = lines[lines["student_id"].isin(classes.index[classes > 1])]
        s = ctx.attendance.signin
        srow, moving = s["srow"].to_numpy(), movers["srow"].to_numpy()
        # a lookup by line number, not a hash of 720,000 cells' lines
        chosen = np.zeros(int(max(srow.max(initial=-1), moving.max(initial=-1))) + 1, dtype=bool)
        chosen[moving] = True
        s = s.iloc[np.flatnonzero(chosen[srow] & s["attending"].to_numpy(dtype=bool))]
        if not len(s):
            return
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
        s = s[s.groupby(["student_id", "date"])["class_id"].transform("nunique") > 1]
        s = s.sort_values(["student_id", "date", "class_id"], kind="stable")
        same_period = bool(ctx.param("fraud.simultaneous_same_period"))
        for first, stop in _runs(s[["student_id", "date"]]):
            yield from _collisions(ctx, s.iloc[first:stop], same_period)


def _collisions(ctx: Context, day: pd.DataFrame, same_period: bool):
    """The X0102 violations of one ID on one date (``day``: its sign-ins, sorted by
    class): per class, the other classes whose sign-ins collide with one of its own.
    Linear in the sign-ins of the day: the colliders of a period are built once, and
    classes signed in the same periods share one list."""
    periods = [p if isinstance(p, str) else None for p in day["period"]]
    cls = day["class_id"].tolist()
    by_period: dict[str | None, set[str]] = {}
    for c, p in zip(cls, periods, strict=True):
        by_period.setdefault(p, set()).add(c)
    everyone = set(cls)
    undated = by_period.get(None, set())
    # the classes a sign-in of each period collides with, its own class included
    colliders = {
        p: everyone if p is None or not same_period else members | undated
        for p, members in by_period.items()
    }
    shared: dict[frozenset, list[str]] = {}
    rows = list(rows_of(day))
    for first, stop in _runs(day[["class_id"]]):
        c = cls[first]
        own = frozenset(periods[first:stop])
        if own not in shared:
            shared[own] = sorted(set().union(*(colliders[q] for q in own)))
        others = shared[own]
        if len(others) < 2:
            continue  # only its own class signed at those times
        # the class's first sign-in cell of the day that collides with another class
        j = next(k for k in range(first, stop) if len(colliders[periods[k]]) > 1)
        row = rows[j]
        named = [o for o in others[: LISTED + 1] if o != c][:LISTED]
        evidence = {"others": named, "count": len(others) - 1, "date": row.date}
        if periods[j] is not None:
            evidence["period"] = periods[j]
        excel_row = int(row.src_row)
        yield ctx.violation(
            "session" if "period" in evidence else "day",
            c,
            evidence,
            Source(
                row.src_file,
                row.src_sheet,
                excel_row,
                f"{row.src_col}{excel_row}" if row.src_col else None,
            ),
            row.student_name,
            row.student_id,
        )


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
        least = ctx.param("fraud.shared_phone_min_ids")
        # a phone on fewer rows than that cannot have that many IDs: counted first
        rows = roster["phone"].value_counts()
        candidates = roster[roster["phone"].isin(rows.index[rows >= least])]
        counts = candidates.groupby("phone")["id_number"].nunique()
        shared = counts[counts >= least]
        for row in rows_of(roster[roster["phone"].isin(shared.index)]):
            evidence = {"phone": row.phone, "count": int(shared[row.phone])}
            yield ctx.student_violation("shared", row, evidence, "phone")


class RepeatTraining(Rule):
    """The same ID number trained twice in the same occupation and level within 365 days.

    Why (fraud signal): the subsidy pays for acquiring a skill once; the same person
    retrained at the same level within a year suggests recycled trainees.

    Reading: the later class's start is within the window (default 365 days) of the
    earlier class's start. An ID's classes of one occupation and level, sorted by
    start, are swept once: each class that starts within the window of an earlier one
    gets one finding, naming those earlier classes (nearest first, at most 20;
    ``count`` gives them all) and the days since the nearest. Two classes that both
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
        "same_level": {
            "others": "class_id[]",
            "count": "count",
            "days": "count",
            "occupation": "text",
            "level": "text",
        },
        "no_level": {
            "others": "class_id[]",
            "count": "count",
            "days": "count",
            "occupation": "text",
        },
    }

    def check(self, ctx: Context):
        roster = _roster_classes(ctx).dropna(subset=["occupation", "start_date"])
        roster = roster.assign(level=roster["level"].fillna(""))
        keys = ["id_number", "occupation", "level"]
        rows = _enrolled_elsewhere(roster, keys)
        window = ctx.param("fraud.repeat_window_days")
        starts = _days(rows["start_date"])
        classes = rows["class_id"].tolist()
        records = list(rows_of(rows))
        for first, stop in _runs(rows[keys]):
            group = starts[first:stop]  # sorted
            # the earlier classes within the window of class k: positions lo..k-1
            lows = np.searchsorted(group, group - window, side="right")
            for k in np.flatnonzero(lows < np.arange(len(group))).tolist():
                earlier = range(first + k - 1, first + max(int(lows[k]), k - LISTED) - 1, -1)
                row = records[first + k]
                evidence = {
                    "others": [classes[i] for i in earlier],
                    "count": k - int(lows[k]),
                    "days": int(group[k] - group[k - 1]),
                    "occupation": row.occupation,
                }
                if row.level:
                    evidence["level"] = row.level
                yield ctx.violation(
                    "same_level" if row.level else "no_level",
                    row.class_id,
                    evidence,
                    _src(ctx, row),
                    row.name,
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
        for row, years in zip(rows_of(roster[outside]), age[outside], strict=True):
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
        lines = att.lines[["class_id", "srow", "student"]]  # the columns read, then the rows
        lines = lines[lines["student"] >= 0]
        if not len(lines):
            return
        # per sign-in line, then per class: whether any cell of a matched student is absent
        # (NumPy over the cells: filtering the whole sign-in frame would copy it)
        matched = att.signin["student"].to_numpy() >= 0
        absent = matched & ~att.signin["attending"].to_numpy(dtype=bool)
        gaps = pd.unique(att.signin["srow"].to_numpy()[absent])
        # a class with a gap is not uniform: set aside before counting (most classes are)
        gapped = lines.loc[lines["srow"].isin(gaps), "class_id"].unique()
        lines = lines[~lines["class_id"].isin(gapped)]
        if not len(lines):  # every class has a gap: nothing to count
            return
        per_class = lines.groupby("class_id").agg(students=("student", "nunique"))
        # the columns a matched student signed: a lookup by column number, not a hash
        scol, columns = att.signin["scol"].to_numpy(), att.columns
        size = max(scol.max(initial=-1), columns["scol"].to_numpy().max(initial=-1)) + 1
        signed = np.zeros(int(size), dtype=bool)
        signed[scol[matched]] = True
        columns = columns[
            signed[columns["scol"].to_numpy()] & columns["class_id"].isin(per_class.index)
        ]
        sessions = columns[["class_id", "date", "period"]].fillna({"period": ""})
        per_class["sessions"] = sessions.drop_duplicates().groupby("class_id").size()
        table = ctx.attendance.table[["class_id", "student"]]
        table = table[table["class_id"].isin(per_class.index)]
        roster_sizes = table.groupby("class_id")["student"].nunique()
        per_class = per_class[(per_class["students"] >= 2) & (per_class["sessions"] >= 2)]
        for cid, row in per_class.iterrows():
            if roster_sizes.get(cid, 0) > row["students"]:
                continue  # someone on the roster never signed
            evidence = {"students": int(row["students"]), "sessions": int(row["sessions"])}
            yield ctx.violation("uniform", cid, evidence)
