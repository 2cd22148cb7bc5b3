"""Attendance rate of every student (Article 4, SPEC §4), exactly.

Rate = hours of the plan's sessions the student attended ÷ hours of all the plan's
sessions. Hours are exact fractions turned into integer *units* (hours × the least
common denominator of every hour value), so sums and the 80% comparison are integer
arithmetic: ``attended × 100 ≥ 80 × planned`` — a student at exactly 80% passes.

Matching a sign-in column (class, date, period) to the plan:
- a day with one plan session: the column is that session, whatever its period label;
- a day with several: matched by period (上午 before 12:00, 下午 to 18:00, 晚上 after);
  a column with no period on such a day is the day's single signature and covers
  every session of that day (our reading; documented in ``rules CODE A0402``);
- a column on a day the plan does not have, or a period the day lacks, is not counted
  and is reported (A0402).
With no plan for a class, each distinct sign-in column is one equal session and the
rate is by session count (reported with A0404).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from .load.assemble import categorical
from .load.values import ATTENDING, period_of_time


@dataclass
class AttendanceResult:
    table: pd.DataFrame  # one row per student: see STUDENT_COLUMNS
    # sign-in rows with student index, matched plan session (``sid``), flags: one row
    # per cell, so compact — the loader's categoricals, and student_name, student_id and
    # plan_period categorical too, student and sid int32 (widen them before arithmetic)
    signin: pd.DataFrame
    plan_units: pd.DataFrame  # per class: planned units, basis ("hours" | "sessions")
    unit: int  # units per hour: hours = units / unit
    # one row per sign-in line (``srow``): class, name, ID, matched student
    lines: pd.DataFrame
    # one row per sign-in column (``scol``): class, date, period
    columns: pd.DataFrame


STUDENT_COLUMNS = [
    "class_id",
    "student",
    "student_name",
    "id_number",
    "planned_units",
    "attended_units",
    "planned_hours",
    "attended_hours",
    "rate",
    "basis",
    "src_file",
    "src_sheet",
    "src_row",
]


def _hours_key(value: object) -> float:
    """A plan's hours as a dictionary key: blank, NaN and infinity count as 0 (the
    loader refuses non-finite numbers; this keeps a stray one from raising here)."""
    if value is None:
        return 0.0
    number = float(value)
    return number if math.isfinite(number) else 0.0


def _fraction(value: float) -> Fraction:
    """Hours exact to the minute: 4.5 h is 270/60 and 0.3333 h is 20 minutes. A unit
    finer than a minute is no teaching plan's, and denominators such as 997 and 991
    would make the common unit overflow."""
    return Fraction(round(Fraction(value) * 60), 60)


def _plan_sessions(plan: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Plan sessions per (class, date, period) with hours in integer units."""
    # each distinct hour value is judged once, then taken back by its code; a blank is
    # the missing code -1, which takes the last entry: no hours
    codes, distinct = pd.factorize(plan["hours"])
    keys = [_hours_key(v) for v in distinct] + [0.0]
    hours = {v: _fraction(v) for v in keys}
    unit = math.lcm(1, *(h.denominator for h in hours.values()))
    units = np.array([int(hours[k] * unit) for k in keys], dtype=np.int64)[codes]
    # each distinct start time is judged once, then mapped
    times = plan["start_time"].dropna().unique()
    by_time = plan["start_time"].map(dict(zip(times, map(period_of_time, times), strict=True)))
    p = pd.DataFrame(
        {
            "class_id": plan["class_id"],
            "date": plan["date"],
            "period": plan["period"].where(plan["period"].notna(), by_time),
            "units": units,
        }
    )
    p["period"] = p["period"].fillna("")
    sessions = p.groupby(["class_id", "date", "period"], as_index=False, dropna=False)[
        "units"
    ].sum()
    return sessions, unit


def _students(roster: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Roster rows are the students; a class without a roster takes its students from
    the sign-in lines."""
    students = roster[["class_id", "name", "id_number", "src_file", "src_sheet", "src_row"]]
    # a person listed twice in one class is one student (A0507 reports the repeat)
    repeated = students["id_number"].notna() & students.duplicated(["class_id", "id_number"])
    students = students[~repeated].copy()
    no_roster = ~lines["class_id"].isin(set(roster["class_id"]))
    if no_roster.any():
        extra = lines.loc[
            no_roster, ["class_id", "name", "id_number", "src_file", "src_sheet", "src_row"]
        ]
        extra = extra.assign(_key=extra["id_number"].fillna("name:" + extra["name"].fillna("")))
        extra = extra.drop_duplicates(["class_id", "_key"]).drop(columns="_key")
        students = pd.concat([students, extra], ignore_index=True)
    students = students.reset_index(drop=True)
    students["student"] = students.index
    return students


def _row_codes(
    left: pd.DataFrame, right: pd.DataFrame, keys: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """One integer per row of ``left`` and of ``right``, equal where the rows' ``keys``
    values are: each key's values factorized over both frames at once, the codes
    combined. Missing values match each other, as in a MultiIndex look-up; hashing the
    values once is a third of the cost of building two MultiIndexes of them."""
    combined = np.zeros(len(left) + len(right), dtype=np.int64)
    for key in keys:
        ours, theirs = left[key].to_numpy(), right[key].to_numpy()
        if ours.dtype != theirs.dtype:  # dates stay datetime64 where both are
            ours, theirs = ours.astype(object), theirs.astype(object)
        values = np.concatenate([ours, theirs])
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        combined = combined * max(len(uniques), 1) + codes
    return combined[: len(left)], combined[len(left) :]


def _match_students(lines: pd.DataFrame, students: pd.DataFrame) -> np.ndarray:
    """Student index of each sign-in line: by ID number when given, else by name when
    the name is unique in the class. Unmatched lines get -1."""
    result = np.full(len(lines), -1, dtype="int64")
    key, wanted = _row_codes(students, lines, ["class_id", "id_number"])
    # the first student of each (class, ID number), of those with a number
    by_id = students["id_number"].notna().to_numpy() & ~pd.Series(key).duplicated().to_numpy()
    if by_id.any():
        pos = pd.Index(key[by_id]).get_indexer(wanted)  # the keys are unique
        found = pos >= 0
        result[found] = students["student"].to_numpy()[by_id][pos[found]]
    names = students.dropna(subset=["name"])
    unique_names = names[~names.duplicated(["class_id", "name"], keep=False)]
    need = (result < 0) & lines["id_number"].isna().to_numpy()
    if need.any() and len(unique_names):
        key, wanted = _row_codes(unique_names, lines[need], ["class_id", "name"])
        pos = pd.Index(key).get_indexer(wanted)
        rows = np.flatnonzero(need)[pos >= 0]
        result[rows] = unique_names["student"].to_numpy()[pos[pos >= 0]]
    return result


def _match_sessions(columns: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Map each sign-in column (scol: class, date, period) of a planned class to plan
    sessions. Returns rows (scol, plan_period, sid) — one per covered plan session, in
    column order; a column matching nothing has plan_period None and sid -1.

    A day with one plan session takes the column whatever its period, unless the sheet
    has columns for several periods that day (then periods must match); on a day with
    several plan sessions, the column's period picks one, and a column without a period
    covers all."""
    # each (class, date) as one integer in both tables: the merge, the groupbys and the
    # join below hash integers, not text and dates. Neither key is missing here (the
    # plan's and the sign-ins' rows without a class or a date are set aside before)
    session_day, column_day = _row_codes(sessions, columns, ["class_id", "date"])
    day = pd.DataFrame(
        {
            "day": session_day,
            "plan_period": sessions["period"].to_numpy(),
            "sid": sessions["sid"].to_numpy(),
        }
    )
    day["day_sessions"] = day.groupby("day")["sid"].transform("size")
    cand = columns[["scol", "s_period"]].assign(day=column_day)
    cand = cand.merge(day, on="day", how="left", sort=False)
    # a day with one plan session takes the column whatever its period — unless the
    # sheet itself has columns for several periods that day: then each column must
    # match by period (a 上午 column is not the 下午 session), and the others are
    # outside the plan (A0402)
    periods = pd.DataFrame({"day": column_day, "s_period": columns["s_period"].to_numpy()})
    day_periods = periods[periods["s_period"] != ""].drop_duplicates().groupby("day").size()
    cand = cand.join(day_periods.rename("day_periods"), on="day")
    single = (cand["day_sessions"] == 1) & (
        (cand["plan_period"] == "") | ~(cand["day_periods"] > 1)
    )
    covers = single | (cand["s_period"] == "") | (cand["s_period"] == cand["plan_period"])
    covers &= cand["sid"].notna()
    found = cand.loc[covers, ["scol", "plan_period", "sid"]]
    missing = columns.loc[~columns["scol"].isin(found["scol"]), ["scol"]]
    out = pd.concat([found, missing.assign(plan_period=None, sid=-1)], ignore_index=True)
    order = pd.Index(columns["scol"]).get_indexer(out["scol"])
    out = out.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    return out.astype({"scol": "int64", "sid": "int64"})


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its categorical columns as object columns of the values (None
    where missing, as the loader gives them): for the few rows (one per sign-in line or
    column) that are matched, concatenated and compared as text."""
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return frame
    # object Series: an array of text alone would be inferred as pandas' str dtype
    values = {c: pd.Series(plain_values(frame[c]), frame.index, dtype=object) for c in cats}
    return frame.assign(**values)


def plain_values(column: pd.Series) -> np.ndarray:
    """A categorical column's values as an object array, None where missing."""
    values = column.array
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.to_numpy(dtype=object)
    categories = np.append(values.categories.to_numpy(dtype=object), None)
    return categories[values.codes]  # the missing code -1 takes the last, None


def _broadcast(keys: pd.Series, table: pd.DataFrame, key: str) -> np.ndarray:
    """Position in ``table`` (one row per ``key`` value) of each of ``keys``; every key
    is in the table by construction."""
    lookup = np.full(int(max(keys.max(), table[key].max())) + 1, -1, dtype="int64")
    lookup[table[key].to_numpy()] = np.arange(len(table))
    return lookup[keys.to_numpy()]


# cells taken at once by _attended: its temporaries are a few arrays of this length
ATTENDED_CHUNK = 1 << 18


def _attended(
    student: np.ndarray,
    sid: np.ndarray,
    counted: np.ndarray,
    units: np.ndarray,
    n: int,
    lines: pd.DataFrame,
    matched: pd.DataFrame,
) -> np.ndarray:
    """Units attended by each of the ``n`` students: the units of every plan session
    (``sid``) a student has a ``counted`` cell for, each (student, session) once however
    many cells cover it. Two cells can cover one pair only when the student has several
    sign-in lines (two sheets) or the session several sign-in columns (``matched``): the
    other cells are summed as they are, and only those pairs are hashed to count each
    once (a hash of every cell's pair took 45 bytes a cell: 450 MB for a province)."""
    lines_of = np.bincount(
        lines["student"].to_numpy()[lines["student"].to_numpy() >= 0], minlength=n
    )
    covered = matched["sid"].to_numpy()
    columns_of = np.bincount(covered[covered >= 0], minlength=len(units))
    total = np.zeros(n, dtype=np.int64)
    shared_student, shared_sid = [], []
    for start in range(0, len(student), ATTENDED_CHUNK):  # temporaries of a chunk's size
        part = slice(start, start + ATTENDED_CHUNK)
        chunk_student, chunk_sid = student[part][counted[part]], sid[part][counted[part]]
        shared = (lines_of[chunk_student] > 1) | (columns_of[chunk_sid] > 1)
        np.add.at(total, chunk_student[~shared], units[chunk_sid[~shared]])  # exact integers
        shared_student.append(chunk_student[shared])
        shared_sid.append(chunk_sid[shared])
    if shared_student and sum(map(len, shared_student)):
        sessions = max(len(units), 1)
        keys = np.concatenate(shared_student).astype(np.int64) * sessions
        keys += np.concatenate(shared_sid)
        # pd.unique hashes; np.unique (NumPy 2.4) took 0.6 s on 700,000 keys
        present_student, present_sid = np.divmod(pd.unique(keys), sessions)
        np.add.at(total, present_student, units[present_sid])
    return total


def compute(
    classes: pd.DataFrame, plan: pd.DataFrame, roster: pd.DataFrame, signin: pd.DataFrame
) -> AttendanceResult:
    signin = signin.copy(deep=False)  # columns are added below; the loaded table stays as read
    all_lines = plain(
        # the columns taken before the rows: a line's fields, not every cell's 14
        signin[
            ["srow", "class_id", "name", "id_number", "src_file", "src_sheet", "src_row"]
        ].drop_duplicates("srow")
    )
    students = _students(roster, all_lines)
    if signin["date"].isna().any():  # unreadable dates were reported by the loader
        signin = signin[signin["date"].notna()]

    # students are matched per sign-in line, then broadcast to its cells
    lines = all_lines[all_lines["srow"].isin(signin["srow"].unique())].copy()
    lines["student"] = _match_students(lines, students)
    matched_rows = lines["student"].where(lines["student"] >= 0)
    roster_name = students["name"].reindex(matched_rows).to_numpy()
    roster_id = students["id_number"].reindex(matched_rows).to_numpy()
    lines["student_name"] = np.where(pd.notna(roster_name), roster_name, lines["name"])
    lines["student_id"] = np.where(pd.notna(roster_id), roster_id, lines["id_number"])
    lines = lines.reset_index(drop=True)
    if not isinstance(signin.index, pd.RangeIndex) or signin.index.start != 0:
        signin = signin.reset_index(drop=True)
    if len(signin):
        at = _broadcast(signin["srow"], lines, "srow")
        # int32 per cell (a province has 340,000 students); widen before multiplying
        signin["student"] = lines["student"].to_numpy().astype(np.int32)[at]
        # the names and ID numbers as codes per cell (categorical), not a pointer per cell
        for col in ("student_name", "student_id"):
            signin[col] = categorical(lines[col].to_numpy(), at)
        del at
    else:
        signin = signin.assign(student=pd.Series(dtype="int32"), student_name=None, student_id=None)
    signin["attending"] = signin["status"].isin(ATTENDING)
    # a written name that is not the student's own (compared only where a name is written)
    signed = np.flatnonzero((signin["status"] == "signature").to_numpy())
    own_name = plain_values(signin["student_name"].iloc[signed])
    proxy = np.zeros(len(signin), dtype=bool)
    proxy[signed] = pd.notna(own_name) & (plain_values(signin["signer"].iloc[signed]) != own_name)
    signin["proxy"] = proxy

    plan = plan.dropna(subset=["class_id", "date"])
    sessions, unit = _plan_sessions(plan)
    planned_classes = set(sessions["class_id"].unique())  # 600 classes, not 18,000 rows

    # sessions are matched per sign-in column
    columns = plain(signin[["scol", "class_id", "date", "period"]].drop_duplicates("scol"))
    columns = columns.assign(s_period=columns["period"].fillna("")).reset_index(drop=True)
    has_plan = columns["class_id"].isin(planned_classes)
    # classes without a plan: each distinct sign-in column is one session of one unit
    fb_sessions = (
        columns.loc[~has_plan, ["class_id", "date", "s_period"]]
        .drop_duplicates()
        .rename(columns={"s_period": "period"})
        .assign(units=unit)
    )
    all_sessions = pd.concat([sessions, fb_sessions], ignore_index=True)
    all_sessions["sid"] = np.arange(len(all_sessions))
    matched = _match_sessions(columns[has_plan], all_sessions.iloc[: len(sessions)])
    fallback = columns.loc[~has_plan, ["scol", "class_id", "date", "s_period"]].merge(
        all_sessions.iloc[len(sessions) :],
        left_on=["class_id", "date", "s_period"],
        right_on=["class_id", "date", "period"],
    )
    matched = pd.concat(
        [matched, fallback[["scol", "period", "sid"]].rename(columns={"period": "plan_period"})],
        ignore_index=True,
    )
    if matched["scol"].is_unique:  # the usual case: each column is one plan session
        with_plan = signin
        if len(signin):
            at = _broadcast(signin["scol"], matched, "scol")
            with_plan["plan_period"] = categorical(matched["plan_period"].to_numpy(), at)
            with_plan["sid"] = matched["sid"].to_numpy().astype(np.int32)[at]
        else:
            with_plan = signin.assign(plan_period=None, sid=pd.Series(dtype="int32"))
    else:  # a column without a period on a multi-session day covers each of them
        order = signin.assign(_order=np.arange(len(signin)))
        with_plan = order.merge(matched, on="scol", how="left").sort_values("_order", kind="stable")
        with_plan = with_plan.drop(columns="_order").reset_index(drop=True)
        with_plan["sid"] = with_plan["sid"].astype("int32")
    # a class without a plan has a fallback session for each column: unmatched means
    # a planned class's column that no plan session covers
    with_plan["outside_plan"] = with_plan["sid"].to_numpy() < 0

    # each (student, plan session) counts once, however many columns covered it
    student = with_plan["student"].to_numpy()
    sid = with_plan["sid"].to_numpy()
    counted = with_plan["attending"].to_numpy(dtype=bool) & (sid >= 0) & (student >= 0)
    units = all_sessions["units"].to_numpy()
    attended = _attended(student, sid, counted, units, len(students), lines, matched)

    planned = all_sessions.groupby("class_id")["units"].sum()
    plan_units = pd.DataFrame({"planned_units": planned})
    plan_units["basis"] = [
        "hours" if c in planned_classes else "sessions" for c in plan_units.index
    ]

    table = students.rename(columns={"name": "student_name"})
    table["planned_units"] = table["class_id"].map(planned).fillna(0).astype("int64")
    table["attended_units"] = attended[table["student"].to_numpy()]
    # "sessions" for the classes counted by session (no plan), else "hours"
    by_sessions = plan_units.index[plan_units["basis"] == "sessions"]
    table["basis"] = np.where(table["class_id"].isin(by_sessions), "sessions", "hours")
    # with no plan a session counts as one "hour" (``unit`` units): hours are sessions
    table["planned_hours"] = table["planned_units"] / unit
    table["attended_hours"] = table["attended_units"] / unit
    table["rate"] = (table["attended_units"] / table["planned_units"]).where(
        table["planned_units"] > 0
    )
    return AttendanceResult(
        table[STUDENT_COLUMNS],
        with_plan,
        plan_units,
        unit,
        lines,
        columns.drop(columns="s_period"),
    )


def passes(
    attended_units: pd.Series, planned_units: pd.Series, min_percent: pd.Series | int
) -> pd.Series:
    """Exact integer comparison: attended / planned ≥ min_percent / 100."""
    return attended_units * 100 >= planned_units * min_percent
