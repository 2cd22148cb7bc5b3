"""Central forms (issue 15): one long sign-in sheet for many classes, and the reading
pool's order when one file outweighs the others."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import class_row, table, write_book

from peixun_audit import attendance
from peixun_audit.load import load_paths
from peixun_audit.parallel import pool_map, schedule

LONG = [
    ["班级编号", "姓名", "日期", "时段", "签到"],
    ["C1", "张三", "2020-09-07", "上午", "√"],
    ["C1", "李四", "2020-09-07", "上午", None],
    ["C1", "张三", "2020-09-07", "下午", "张三"],
    ["C2", "王五", "2020-09-07", "上午", "公出"],
    ["C1", "李四", "2020-09-07", "下午", "补签"],
    ["C1", "李四", "2020-09-08", None, "/"],
    ["C1", "张三", "2020-09-08", "上午", "王五"],
    ["C2", "王五", "2020-09-08", "上午", "√"],
]
PLAN = [
    ["班级编号", "日期", "时段", "课时"],
    ["C1", "2020-09-07", "上午", 4],
    ["C1", "2020-09-07", "下午", 4],
    ["C1", "2020-09-08", "上午", 4],
    ["C1", "2020-09-08", "下午", 4],
]


def _central(tmp_path):
    write_book(tmp_path / "签到汇总.xlsx", {"签到汇总": LONG})
    write_book(
        tmp_path / "班级.xlsx",
        {"开班信息": table([class_row("C1"), class_row("C2")]), "教学计划": PLAN},
    )
    return load_paths([tmp_path])


def test_a_long_sheet_row_is_a_cell_of_its_class_session(tmp_path):
    """Rows of one class, date and period share a sign-in column (``scol``); another
    class's row on the same day has its own; every row keeps its own line and cell."""
    ds = _central(tmp_path)
    s = attendance.plain(ds.tables["signin"])  # the values, not the categories' codes
    assert list(s["srow"]) == [0, 1, 2, 3, 4, 5, 6, 7]
    assert list(s["scol"]) == [0, 0, 1, 2, 1, 3, 4, 5]
    assert list(s["class_id"]) == ["C1", "C1", "C1", "C2", "C1", "C1", "C1", "C2"]
    assert list(s["src_row"]) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert set(s["src_col"]) == {"E"}
    assert list(s["period"]) == ["上午", "上午", "下午", "上午", "下午", None, "上午", "上午"]
    assert [d.day for d in s["date"]] == [7, 7, 7, 7, 7, 8, 8, 8]
    assert list(s["status"]) == [
        "present", "absent", "signature", "unknown", "makeup", "none", "signature", "present",
    ]  # fmt: skip
    assert list(s["signer"]) == [None, None, "张三", None, None, None, "王五", None]
    marks = [
        (p.code, p.source.sheet, p.source.row, p.source.cell, p.params)
        for p in ds.problems
        if p.code.endswith("-mark")
    ]
    assert marks == [
        ("unknown-mark", "签到汇总", 5, "E5", {"value": "公出"}),
        ("makeup-mark", "签到汇总", 6, "E6", {"value": "补签"}),
        ("no-session-mark", "签到汇总", 7, "E7", {"value": "/"}),
    ]


def test_shared_columns_give_the_attendance_of_one_column_per_row(tmp_path):
    """The long form's columns are a shortcut: matching each row as a column of its own
    (as the loader did before) gives the same sessions, students and hours."""
    ds = _central(tmp_path)
    t = ds.tables
    signin = t["signin"]
    one_per_row = signin.assign(scol=np.arange(len(signin), dtype=np.int64))
    shared = attendance.compute(t["classes"], t["plan"], t["roster"], signin)
    single = attendance.compute(t["classes"], t["plan"], t["roster"], one_per_row)
    pd.testing.assert_frame_equal(shared.table, single.table)
    keep = ["srow", "student", "attending", "proxy", "plan_period", "sid", "outside_plan"]
    pd.testing.assert_frame_equal(shared.signin[keep], single.signin[keep])
    # and the figures: 张三 attended three of C1's four 4-hour sessions; C2 has no plan
    hours = dict(zip(shared.table["student_name"], shared.table["attended_hours"], strict=True))
    assert hours == {"张三": 12.0, "李四": 0.0, "王五": 1.0}  # 王五: 公出 is unknown, absent
    # the row without a period covers both of its day's sessions (sid 2 and 3)
    assert list(shared.signin["srow"]) == [0, 1, 2, 3, 4, 5, 5, 6, 7]
    assert list(shared.signin["sid"]) == [0, 0, 1, 4, 1, 2, 3, 2, 5]


def test_heavy_items_start_first_in_chunks_of_their_own():
    chunks, order = schedule([1] * 10 + [100] + [1] * 5, jobs=2, chunksize=8)
    assert chunks == [range(0, 8), range(8, 10), range(10, 11), range(11, 16)]
    assert order == [2, 0, 1, 3]
    chunks, order = schedule([1, 60, 1, 1, 90, 1], jobs=2, chunksize=8)
    assert chunks == [range(0, 1), range(1, 2), range(2, 4), range(4, 5), range(5, 6)]
    assert order == [3, 1, 0, 2, 4]  # the heaviest first, then the rest in order


def test_items_alike_keep_their_order():
    assert schedule([5] * 20, jobs=2, chunksize=8) == (
        [range(0, 8), range(8, 16), range(16, 20)],
        [0, 1, 2],
    )
    assert schedule([0, 0], jobs=2, chunksize=8) == ([range(0, 2)], [0])
    assert schedule([], jobs=2, chunksize=8) == ([], [])


def test_weighted_pool_gives_results_in_the_items_order():
    with pool_map(
        divmod, [7, 9, 11, 13], [2, 4, 5, 6], jobs=2, chunksize=2, weights=[1, 50, 1, 1]
    ) as results:
        assert list(results) == [(3, 1), (2, 1), (2, 1), (2, 1)]


def test_the_collector_is_paused_while_a_file_is_read_and_restored(tmp_path, monkeypatch):
    import gc

    from peixun_audit import load as load_module
    from peixun_audit.load import workbook

    write_book(tmp_path / "签到汇总.xlsx", {"签到汇总": LONG})
    seen = []
    real = workbook.read_workbook  # imported by load_file when it runs

    def spying(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(workbook, "read_workbook", spying)
    assert gc.isenabled()
    entry, tables = load_module.load_file(tmp_path / "签到汇总.xlsx", "签到汇总.xlsx")
    assert (seen, gc.isenabled(), entry.status) == ([False], True, "ok")
    gc.disable()  # a caller that turned it off keeps it off
    try:
        load_module.load_file(tmp_path / "签到汇总.xlsx", "签到汇总.xlsx")
        assert (seen, gc.isenabled()) == ([False, False], False)
    finally:
        gc.enable()
