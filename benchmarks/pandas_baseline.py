"""What a user would otherwise write: attendance per student with plain pandas.

    python benchmarks/pandas_baseline.py DIR [--engine openpyxl|calamine] [--check REPORT.json]

The script a clerk who knows pandas would write for a generated city-year
(benchmarks/generate.py, the ``reference`` form): for every workbook,
``pandas.read_excel(path, sheet_name=None, header=None, engine=...)`` (every sheet;
``header=None`` because each sheet has its title rows at a different height), then

- 开班信息: the class id (班级编号 under its header);
- 学员名册: the students, below the row holding 姓名;
- 教学计划: the planned sessions, one per dated row below the row holding 日期;
- 签到表: the two-row header (a date merged over 上午 / 下午 — only the merge's first
  cell holds the date, so the date row is forward-filled), one column per session;
  a mark counts as present when it is a tick (√ ✓ ✔ 到 …, SPEC §3.2) or the student's
  own written name; 请假, a blank cell, anything else is absent.

Attendance = present marks ÷ planned sessions, compared exactly in integers
(``attended * 100 < 80 * planned``): every generated session lasts 4 hours, so the
rate by sessions equals peixun-audit's rate by hours. It prints the number of students,
how many are below 80% and the seconds taken. ``--engine openpyxl`` is pandas' default
for .xlsx; ``--engine calamine`` is the python-calamine reader peixun-audit uses.

Same data, same answer: on /tmp/peixun-bench/600 (600 classes, 24,000 students) both
engines find 112 students below 80%, exactly the students of peixun-audit's 112 A0401
findings (``--check`` compares the (class, name) pairs with a report written by
``peixun-audit audit DIR --format json``). 72 of the 112 are students who share their
name with a classmate: the sign-in sheet has no ID number, so a row signed by that name
cannot be attributed to either of them; peixun-audit reports the row (A0405) and, with no
sign-in row of their own, both students are at rate 0 (SPEC §4). This script does the
same on purpose. The one-liner a user would first reach for, ``roster.merge(signin,
on="姓名")``, pairs each of the two students with both rows instead and silently gives
both a rate: on the same folder it counts 24,072 students (each such pair four times)
and 40 below 80%, not 112.

What it does not do, and peixun-audit does: other forms of the input (year-less or text
dates, one-row headers, central long-form tables, .xls), matching sign-in columns to the
plan's dates and periods (A0402), hours per session, problems reported by file, sheet and
cell instead of a traceback, the other 47 rules. It is a yardstick for the cost of
reading the files with pandas, not an audit.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

PRESENT = {"√", "✓", "✔", "到", "已到", "已签", "出勤", "1", "迟", "迟到", "¢", "早", "早退", "△"}
THRESHOLD = 80  # percent


def header_row(grid: np.ndarray, label: str) -> int:
    """The first of the top rows holding ``label`` in some cell."""
    hits = np.flatnonzero((grid[:10] == label).any(axis=1))
    if len(hits) == 0:
        raise ValueError(f"no header row with {label!r}")
    return int(hits[0])


def column_below(grid: np.ndarray, label: str) -> np.ndarray:
    """The non-empty cells under the header ``label``."""
    r = header_row(grid, label)
    column = grid[r + 1 :, list(grid[r]).index(label)]
    return column[pd.notna(column)]


def class_attendance(book: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """One row per roster student: class_id, name, attended, planned, shared_name;
    None for a workbook that is not a class's (the city's 培训机构, 现场督查, 电话回访)."""
    grids = {k: v.to_numpy(dtype=object) for k, v in book.items()}
    info = next((v for k, v in grids.items() if "开班" in k), None)
    roster = next((v for k, v in grids.items() if "名册" in k), None)
    plan = next((v for k, v in grids.items() if "计划" in k), None)
    signin = next((v for k, v in grids.items() if "签到" in k), None)
    if info is None or roster is None or signin is None:
        return None
    class_id = str(column_below(info, "班级编号")[0]).strip()
    students = pd.Series(column_below(roster, "姓名"), dtype=str).str.strip()
    planned = 0 if plan is None else len(column_below(plan, "日期"))

    r = header_row(signin, "姓名")
    sessions = np.flatnonzero(pd.Series(signin[r + 1]).isin(("上午", "下午")))
    dates = pd.Series(signin[r]).ffill()  # the date is in the merge's first cell only
    if dates.iloc[sessions].isna().any():
        raise ValueError(f"{class_id}: a session column without a date")
    body = signin[r + 2 :]
    body = body[pd.notna(body[:, list(signin[r]).index("姓名")])]
    names = pd.Series(body[:, list(signin[r]).index("姓名")], dtype=str).str.strip()
    marks = body[:, sessions]
    tick = pd.Series(marks.ravel()).isin(PRESENT).to_numpy().reshape(marks.shape)
    present = tick | (marks == names.to_numpy()[:, None])  # a tick, or their own name
    signed = pd.DataFrame({"name": names, "attended": present.sum(axis=1)})

    # a name twice on the roster or on the sheet cannot be matched without ID numbers:
    # those students keep no sign-in row (rate 0), as the regulation counts them
    shared = set(students[students.duplicated()]) | set(names[names.duplicated()])
    signed = signed[~signed["name"].isin(shared)]
    out = pd.DataFrame({"name": students}).merge(signed, on="name", how="left")
    out["attended"] = out["attended"].fillna(0).astype(int)
    out["shared_name"] = out["name"].isin(shared)
    out["planned"] = planned
    out.insert(0, "class_id", class_id)
    return out


def attendance(folder: Path, engine: str) -> pd.DataFrame:
    tables = []
    for path in sorted(folder.rglob("*.xlsx")):
        book = pd.read_excel(path, sheet_name=None, header=None, engine=engine)
        table = class_attendance(book)
        if table is not None:
            tables.append(table)
    return pd.concat(tables, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--engine", default="openpyxl", choices=("openpyxl", "calamine"))
    parser.add_argument(
        "--check",
        type=Path,
        help="a `peixun-audit audit DIR --format json` report: compare every student's rate "
        "and the students below 80% with its attendance and A0401 findings",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    table = attendance(args.folder, args.engine)
    below = table[(table["planned"] > 0) & (table["attended"] * 100 < THRESHOLD * table["planned"])]
    elapsed = time.perf_counter() - start
    print(
        f"{args.engine}: {table['class_id'].nunique()} classes, {len(table)} students, "
        f"{len(below)} below {THRESHOLD}% ({int(below['shared_name'].sum())} of them sharing "
        f"their name with a classmate: no sign-in row attributable), {elapsed:.1f} s"
    )
    if args.check:
        if not same_as_report(table, below, json.loads(args.check.read_text("utf-8"))):
            sys.exit(1)


def same_as_report(table: pd.DataFrame, below: pd.DataFrame, report: dict) -> bool:
    """Every student's rate and the students below the threshold against a
    peixun-audit JSON report of the same folder (names, not ID numbers: the report
    masks them). Prints what differs."""
    theirs = Counter(
        (
            a["class_id"],
            a["student_name"],
            Fraction(a["attended_hours"]) / Fraction(a["planned_hours"]),
        )
        for a in report["attendance"]
        if a["planned_hours"]
    )
    ours = Counter(
        (c, n, Fraction(int(a), int(p)))
        for c, n, a, p in table[["class_id", "name", "attended", "planned"]].itertuples(index=False)
        if p
    )
    flagged = Counter(
        (f["class_id"], f["student_name"]) for f in report["findings"] if f["code"] == "A0401"
    )
    found = Counter(zip(below["class_id"], below["name"], strict=True))
    for what, a, b in (("rates", ours, theirs), ("students below the threshold", found, flagged)):
        if a == b:
            print(f"peixun-audit: the same {what} ({b.total()})")
        else:
            print(
                f"peixun-audit: DIFFERENT {what}: only here {sorted((a - b).elements())[:5]}, "
                f"only in the report {sorted((b - a).elements())[:5]}"
            )
    return ours == theirs and found == flagged


if __name__ == "__main__":
    main()
