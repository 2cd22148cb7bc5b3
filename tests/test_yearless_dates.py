"""Year-less dates (``9.7``, ``9月7日``) take their year from the class start: resolved
once per distinct (class, date) pair, however many cells repeat it (issue 15: a
city-year of year-less sign-in headers was resolved cell by cell, 13 s of 23)."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
from bundle import DAYS, Bundle

from peixun_audit.load import load_paths
from peixun_audit.load import values as V


def test_yearless_signin_dates_resolved_once_per_class_and_date(tmp_path, monkeypatch):
    calls = []
    resolve = V.PartialDate.resolve

    def counted(self, start):
        calls.append(self)
        return resolve(self, start)

    monkeypatch.setattr(V.PartialDate, "resolve", counted)
    b = Bundle(n_students=12)
    dataset = load_paths([b.write(tmp_path)])
    signin = dataset.tables["signin"]
    assert len(signin) == 12 * len(DAYS)  # one cell per student and day
    assert sorted(calls, key=lambda d: (d.month, d.day)) == [
        V.PartialDate(d.month, d.day) for d in DAYS
    ]
    assert sorted(signin["date"].unique()) == [pd.Timestamp(d) for d in DAYS]


def test_yearless_dates_give_exact_attendance(tmp_path):
    b = Bundle(n_students=4)
    result = b.audit(tmp_path)
    rates = dict(zip(result.attendance["student_name"], result.attendance["rate"], strict=True))
    first = b.students[0]["姓名"]
    assert Fraction(rates[first]).limit_denominator(100) == Fraction(4, 5)
    assert all(rates[s["姓名"]] == 1 for s in b.students[1:])


def test_yearless_dates_without_a_class_start_reported_once_per_column(tmp_path):
    b = Bundle(n_students=6)
    b.cls["开班日期"] = None
    dataset = load_paths([b.write(tmp_path)])
    unknown = [p for f in dataset.inputs for p in f.problems if p.code == "date-year-unknown"]
    # one per sign-in column (the header holds the date), not one per student's cell
    assert len(unknown) == len(DAYS)
    assert {p.params["field"] for p in unknown} == {"date"}
    assert {p.source.sheet for p in unknown} == {"签到表"}
    assert dataset.tables["signin"]["date"].isna().all()


def test_yearless_long_form_dates_parsed_once_per_distinct_value(monkeypatch):
    """An in-memory long-form sign-in sheet (one row per student and session) repeating
    three year-less dates over 240 cells, for two classes starting in different years:
    the date parser sees each distinct text once, each (class, date) is resolved once."""
    from peixun_audit.load import table as T
    from peixun_audit.load.assemble import Assembler
    from peixun_audit.load.workbook import RawSheet
    from peixun_audit.model import InputFile

    parsed, resolved = [], []
    parse, resolve = T.PARSERS["date"], V.PartialDate.resolve

    def counted_parse(value):
        parsed.append(value)
        return parse(value)

    def counted_resolve(self, start):
        resolved.append(self)
        return resolve(self, start)

    monkeypatch.setitem(T.PARSERS, "date", counted_parse)
    monkeypatch.setattr(V.PartialDate, "resolve", counted_resolve)

    days = ["9月7日", "9月8日", "9月9日"]
    classes = RawSheet(
        "开班信息",
        False,
        [
            ["班级编号", "开班日期", "结业日期"],
            ["A", "2020-09-07", "2020-09-09"],
            ["B", "2021-09-07", "2021-09-09"],
        ],
        0,
        0,
    )
    rows = [["班级编号", "姓名", "日期", "时段", "签到"]]
    for cid in ("A", "B"):
        for i in range(20):
            for day in days:
                for period in ("上午", "下午"):
                    rows.append([cid, f"学员{i}", day, period, "√"])
    signin = RawSheet("签到表", False, rows, 0, 0)
    assembler = Assembler()
    entry = InputFile("mem.xlsx", "")
    tables = [t for raw in (classes, signin) for t in T.parse_tables(raw, "mem.xlsx")]
    assert [t.kind for t in tables] == ["classes", "signin"]
    assembler.add(entry, tables)
    dataset = assembler.finish()

    assert entry.problems == []
    assert sorted(v for v in parsed if v in days) == days  # not 240 calls, nor 2 × 3
    assert sorted((d.month, d.day) for d in resolved) == sorted([(9, 7), (9, 8), (9, 9)] * 2)
    frame = dataset.tables["signin"]
    assert len(frame) == 240
    got = frame.groupby("class_id")["date"].agg(lambda s: sorted(s.unique()))
    assert got["A"] == [pd.Timestamp(f"2020-09-0{d}") for d in (7, 8, 9)]
    assert got["B"] == [pd.Timestamp(f"2021-09-0{d}") for d in (7, 8, 9)]
    assert frame.groupby(["class_id", "date"]).size().tolist() == [40] * 6
