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

import pandas as pd

from .load.values import ATTENDING, period_of_time


@dataclass
class AttendanceResult:
    table: pd.DataFrame  # one row per student: see STUDENT_COLUMNS
    signin: pd.DataFrame  # sign-in rows with student index, matched plan session, flags
    plan_units: pd.DataFrame  # per class: planned units, basis ("hours" | "sessions")
    unit: int  # units per hour: hours = units / unit


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


def _fraction(value: object) -> Fraction:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Fraction(0)
    return Fraction(value).limit_denominator(1000)


def _plan_sessions(plan: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Plan sessions per (class, date, period) with hours in integer units."""
    hours = {
        v: _fraction(v) for v in set(plan["hours"].map(lambda x: 0.0 if x is None else float(x)))
    }
    unit = math.lcm(1, *(h.denominator for h in hours.values()))
    p = pd.DataFrame(
        {
            "class_id": plan["class_id"],
            "date": plan["date"],
            "period": [
                per if per is not None else (period_of_time(t) if t is not None else None)
                for per, t in zip(plan["period"], plan["start_time"], strict=True)
            ],
            "units": [int(hours[0.0 if h is None else float(h)] * unit) for h in plan["hours"]],
        }
    )
    p["period"] = p["period"].fillna("")
    sessions = p.groupby(["class_id", "date", "period"], as_index=False, dropna=False)[
        "units"
    ].sum()
    return sessions, unit


def _students(roster: pd.DataFrame, signin: pd.DataFrame) -> pd.DataFrame:
    """Roster rows are the students; a class without a roster takes its students from
    the sign-in sheet."""
    students = roster[["class_id", "name", "id_number", "src_file", "src_sheet", "src_row"]]
    # a person listed twice in one class is one student (A0507 reports the repeat)
    repeated = students["id_number"].notna() & students.duplicated(["class_id", "id_number"])
    students = students[~repeated].copy()
    no_roster = ~signin["class_id"].isin(set(roster["class_id"]))
    if no_roster.any():
        extra = signin.loc[
            no_roster, ["class_id", "name", "id_number", "src_file", "src_sheet", "src_row"]
        ]
        extra = extra.assign(_key=extra["id_number"].fillna("name:" + extra["name"].fillna("")))
        extra = extra.drop_duplicates(["class_id", "_key"]).drop(columns="_key")
        students = pd.concat([students, extra], ignore_index=True)
    students = students.reset_index(drop=True)
    students["student"] = students.index
    return students


def _match_students(signin: pd.DataFrame, students: pd.DataFrame) -> pd.Series:
    """Student index of each sign-in row: by ID number when given, else by name when
    the name is unique in the class. Unmatched rows get -1."""
    result = pd.Series(-1, index=signin.index, dtype="int64")
    by_id = students.dropna(subset=["id_number"]).drop_duplicates(["class_id", "id_number"])
    if len(by_id):
        key = pd.MultiIndex.from_frame(by_id[["class_id", "id_number"]])
        pos = key.get_indexer(pd.MultiIndex.from_frame(signin[["class_id", "id_number"]]))
        found = pos >= 0
        result[found] = by_id["student"].to_numpy()[pos[found]]
    names = students.dropna(subset=["name"])
    unique_names = names[~names.duplicated(["class_id", "name"], keep=False)]
    need = (result < 0) & signin["id_number"].isna()
    if need.any() and len(unique_names):
        key = pd.MultiIndex.from_frame(unique_names[["class_id", "name"]])
        pos = key.get_indexer(pd.MultiIndex.from_frame(signin.loc[need, ["class_id", "name"]]))
        idx = signin.index[need][pos >= 0]
        result[idx] = unique_names["student"].to_numpy()[pos[pos >= 0]]
    return result


def _match_sessions(signin: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Map each distinct sign-in column (class, date, period) to plan sessions.
    Returns rows (class_id, date, s_period, period) — one per covered plan session;
    a column matching nothing has period None."""
    columns = signin[["class_id", "date", "s_period"]].drop_duplicates()
    days: dict[tuple, list[str]] = {}  # a dict, not groupby(...).agg(list): 9,000 groups
    for cid, date, period in zip(
        sessions["class_id"], sessions["date"], sessions["period"], strict=True
    ):
        days.setdefault((cid, date), []).append(period)
    rows = []
    for cid, date, s_period in columns.itertuples(index=False):
        day_periods = days.get((cid, date))
        if day_periods is None:
            rows.append((cid, date, s_period, None))
        elif len(day_periods) == 1:
            rows.append((cid, date, s_period, day_periods[0]))
        elif s_period == "":
            rows.extend((cid, date, s_period, p) for p in day_periods)
        elif s_period in day_periods:
            rows.append((cid, date, s_period, s_period))
        else:
            rows.append((cid, date, s_period, None))
    out = pd.DataFrame(rows, columns=["class_id", "date", "s_period", "period"])
    return out.astype({"date": "datetime64[ns]"})


def compute(
    classes: pd.DataFrame, plan: pd.DataFrame, roster: pd.DataFrame, signin: pd.DataFrame
) -> AttendanceResult:
    students = _students(roster, signin)
    signin = signin.dropna(subset=["date"]).copy()  # unreadable dates were reported by the loader
    signin["student"] = _match_students(signin, students)
    signin["attending"] = signin["status"].isin(ATTENDING)
    # the roster's name and ID of each matched row, so findings name the student fully
    matched_rows = signin["student"].where(signin["student"] >= 0)
    roster_name = pd.Series(students["name"].reindex(matched_rows).to_numpy(), index=signin.index)
    roster_id = pd.Series(
        students["id_number"].reindex(matched_rows).to_numpy(), index=signin.index
    )
    signin["student_name"] = roster_name.where(roster_name.notna(), signin["name"])
    signin["student_id"] = roster_id.where(roster_id.notna(), signin["id_number"])
    own_name = signin["student_name"]
    signin["proxy"] = (
        (signin["status"] == "signature") & own_name.notna() & (signin["signer"] != own_name)
    )

    plan = plan.dropna(subset=["class_id", "date"])
    sessions, unit = _plan_sessions(plan)
    planned_classes = set(sessions["class_id"])

    # classes without a plan: each distinct sign-in column is one session of one unit
    fallback = signin[~signin["class_id"].isin(planned_classes)]
    fb_sessions = fallback[["class_id", "date", "period"]].drop_duplicates().fillna({"period": ""})
    fb_sessions = fb_sessions.assign(units=unit)

    signin = signin.assign(s_period=signin["period"].fillna(""))
    matched = _match_sessions(signin[signin["class_id"].isin(planned_classes)], sessions)
    with_plan = signin.merge(
        matched, on=["class_id", "date", "s_period"], how="left", suffixes=("_signin", "")
    )
    with_plan["outside_plan"] = (
        with_plan["class_id"].isin(planned_classes) & with_plan["period"].isna()
    )
    fb_rows = with_plan["class_id"].isin(set(fb_sessions["class_id"]))
    with_plan.loc[fb_rows, "period"] = with_plan.loc[fb_rows, "period_signin"].fillna("")
    all_sessions = pd.concat([sessions, fb_sessions], ignore_index=True)

    present = with_plan[
        with_plan["attending"] & with_plan["period"].notna() & (with_plan["student"] >= 0)
    ]
    present = present.drop_duplicates(["student", "date", "period"])
    present = present.merge(all_sessions, on=["class_id", "date", "period"], how="inner")
    attended = present.groupby("student")["units"].sum()

    planned = all_sessions.groupby("class_id")["units"].sum()
    plan_units = pd.DataFrame({"planned_units": planned})
    plan_units["basis"] = [
        "hours" if c in planned_classes else "sessions" for c in plan_units.index
    ]

    table = students.rename(columns={"name": "student_name"})
    table["planned_units"] = table["class_id"].map(planned).fillna(0).astype("int64")
    table["attended_units"] = table["student"].map(attended).fillna(0).astype("int64")
    basis = dict(plan_units["basis"])
    table["basis"] = [basis.get(c, "hours") for c in table["class_id"]]
    # with no plan a session counts as one "hour" (``unit`` units): hours are sessions
    table["planned_hours"] = table["planned_units"] / unit
    table["attended_hours"] = table["attended_units"] / unit
    table["rate"] = (table["attended_units"] / table["planned_units"]).where(
        table["planned_units"] > 0
    )
    with_plan = with_plan.drop(columns=["s_period"]).rename(
        columns={"period": "plan_period", "period_signin": "period"}
    )
    return AttendanceResult(table[STUDENT_COLUMNS], with_plan, plan_units, unit)


def passes(
    attended_units: pd.Series, planned_units: pd.Series, min_percent: pd.Series | int
) -> pd.Series:
    """Exact integer comparison: attended / planned ≥ min_percent / 100."""
    return attended_units * 100 >= planned_units * min_percent
