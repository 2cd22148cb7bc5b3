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
