import datetime as dt

import numpy as np
import pandas as pd
import pytest
import xlwt
from conftest import class_row, make_id, table, write_book

from peixun_audit.attendance import plain
from peixun_audit.load import load_paths
from peixun_audit.load.schema import kind_from_sheet_name, normalise_header

ID1 = make_id("45030219900101123")
ID2 = make_id("45030319850505432")


def test_header_normalisation():
    assert normalise_header(" *身份证\n号码 ") == "身份证号码"
    assert normalise_header("职业（工种）") == "职业(工种)"


def test_kind_from_sheet_name():
    assert kind_from_sheet_name("学员花名册") == "roster"
    assert kind_from_sheet_name("2020年签到表") == "signin"
    assert kind_from_sheet_name("现场督查情况表") == "inspections"
    assert kind_from_sheet_name("Sheet1") is None


def test_title_rows_label_and_aliases(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {
            "学员名册": [
                ["某某学校电工班花名册"],
                ["班级编号：GL-9"],
                [],
                ["序号", "学员姓名", "性\n别", "*公民身份号码", "手机号码"],
                [1, "张三", "男", ID1.lower(), 13800000000],
            ],
        },
    )
    ds = load_paths([tmp_path])
    roster = ds.tables["roster"]
    assert roster.loc[0, "class_id"] == "GL-9"
    assert roster.loc[0, "id_number"] == ID1.upper()
    assert roster.loc[0, "phone"] == "13800000000"
    assert roster.loc[0, "src_row"] == 5
    assert ds.cell(roster.loc[0, "src_file"], "学员名册", "id_number", 5) == "D5"


def test_header_only_kind_detection_on_sheet1(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {
            "Sheet1": [
                ["班级编号", "姓名", "身份证号", "上课日期", "时段", "签名"],
                ["C1", "张三", ID1, "2020-09-07", "上午", "张三"],
            ]
        },
    )
    ds = load_paths([tmp_path])
    assert len(ds.tables["signin"]) == 1
    assert ds.tables["signin"].loc[0, "status"] == "signature"
    first = ds.tables["signin"].loc[0]
    assert f"{first['src_col']}{first['src_row']}" == "F2"


def test_two_row_merged_date_header(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {
            "签到表": [
                ["标题"],
                ["班级编号：C1"],
                ["姓名", dt.date(2020, 9, 7), None, "9月8日", None, "备注"],
                [None, "上午", "下午", "上午", "下午"],
                ["张三", "√", "请假", "√", ""],
            ]
        },
        {"签到表": ["A3:A4", "B3:C3", "D3:E3"]},
    )
    write_book(tmp_path / "c.xlsx", {"开班信息": table([class_row()])})
    ds = load_paths([tmp_path])
    s = plain(ds.tables["signin"])  # the values, not the categorical codes
    s = s.assign(src_cell=s["src_col"] + s["src_row"].astype(str)).sort_values("src_cell")
    assert list(s["period"]) == ["上午", "下午", "上午", "下午"]
    assert list(s["date"].dt.date) == [dt.date(2020, 9, 7)] * 2 + [dt.date(2020, 9, 8)] * 2
    assert list(s["status"]) == ["present", "leave", "present", "absent"]
    assert list(s["src_cell"]) == ["B5", "C5", "D5", "E5"]


def test_one_row_header_with_periods(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {
            "开班": table([class_row(start="2020/9/1", end="2020/9/2")]),
            "考勤": [
                ["序号", "姓名", "9.1上午", "09-01(下午)", "2020/9/2", "出勤次数"],
                [1, "张三", "√", "×", "到", 2],
            ],
        },
    )
    ds = load_paths([tmp_path])
    s = plain(ds.tables["signin"])
    # the class id comes from the workbook's only class
    assert set(s["class_id"]) == {"C1"}
    assert sorted(zip(s["date"].dt.day, s["period"].fillna(""), strict=True)) == [
        (1, "上午"),
        (1, "下午"),
        (2, ""),
    ]


def test_id_stored_as_number_is_reported_not_used(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {"名册": [["班级编号", "姓名", "身份证号"], ["C1", "张三", 450302199001011234]]},
    )
    ds = load_paths([tmp_path])
    assert ds.tables["roster"].loc[0, "id_number"] is None
    problems = [p for p in ds.problems if p.code == "id-stored-as-number"]
    assert [(p.source.sheet, p.source.cell) for p in problems] == [("名册", "C2")]


def test_unknown_mark_is_reported(tmp_path):
    write_book(
        tmp_path / "a.xlsx", {"签到": [["班级编号：C1"], ["姓名", "2020-09-07"], ["张三", "ok"]]}
    )
    ds = load_paths([tmp_path])
    assert ds.tables["signin"].loc[0, "status"] == "unknown"
    assert [(p.code, p.source.cell) for p in ds.problems] == [("unknown-mark", "B3")]


def test_legacy_xls(tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("花名册")
    ws.write_merge(0, 0, 0, 2, "2015年培训班花名册")
    for c, h in enumerate(["班级编号", "姓名", "身份证号"]):
        ws.write(2, c, h)
    for c, v in enumerate(["C1", "李四", ID2]):
        ws.write(3, c, v)
    book.save(str(tmp_path / "old.xls"))
    ds = load_paths([tmp_path])
    assert ds.tables["roster"].loc[0, "id_number"] == ID2
    assert ds.tables["roster"].loc[0, "src_row"] == 4


def test_no_class_id_is_reported(tmp_path):
    write_book(tmp_path / "a.xlsx", {"名册": [["姓名", "身份证号"], ["张三", ID1]]})
    ds = load_paths([tmp_path])
    assert len(ds.tables["roster"]) == 0
    assert [p.code for p in ds.problems] == ["no-class-id", "no-usable-table"]
    sheet = ds.inputs[0].sheets[0]
    assert (sheet.rows_read, sheet.rows_used, sheet.rows_reported) == (1, 0, 1)


def test_bad_files_never_crash(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "text.xlsx").write_bytes(b"just text")
    (tmp_path / "trunc.xlsx").write_bytes(
        write_book(
            tmp_path / "ok.xlsx", {"名册": [["班级编号", "姓名"], ["C1", "张三"]]}
        ).read_bytes()[:300]
    )
    ds = load_paths([tmp_path])
    status = {
        f.path.rsplit("/", 1)[-1]: (f.status, [p.code for p in f.problems]) for f in ds.inputs
    }
    assert status["empty.xlsx"] == ("failed", ["empty-file"])
    assert status["text.xlsx"] == ("failed", ["not-a-workbook"])
    assert status["trunc.xlsx"][0] == "failed"
    assert status["ok.xlsx"] == ("ok", [])
    assert len(ds.tables["roster"]) == 1


def test_every_row_is_used_or_reported(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {
            "名册": [
                ["班级编号", "姓名", "身份证号", "班级编号"],
                ["C1", "张三", ID1, "x"],
                ["C1", None, None],
                [None, "合计"],
                ["C1", "李四", ID2],
            ],
            "空表": [],
            "说明": [["本工作簿说明"], ["无表格"]],
        },
    )
    ds = load_paths([tmp_path])
    for sheet in ds.inputs[0].sheets:
        assert sheet.rows_read == sheet.rows_used + sheet.rows_reported, sheet
    roster_sheet = next(s for s in ds.inputs[0].sheets if s.name == "名册")
    assert (roster_sheet.rows_read, roster_sheet.rows_used) == (4, 2)
    codes = sorted(p.code for p in ds.problems)
    assert codes == [
        "duplicate-header",
        "empty-sheet",
        "no-header",
        "row-missing-fields",
        "row-total",
    ]


def test_unreadable_date_names_the_cell(tmp_path):
    write_book(tmp_path / "a.xlsx", {"开班信息": table([class_row(start="下周一")])})
    ds = load_paths([tmp_path])
    [problem] = [p for p in ds.problems if p.code == "unreadable-date"]
    assert (problem.source.sheet, problem.source.cell) == ("开班信息", "E2")


def _alias_variants(kind):
    """Header rows in which, across the variants, every alias of every field appears."""
    depth = max(len(f.aliases) for f in kind.fields) + 1
    for v in range(depth):
        yield [(f.key, (f.header, *f.aliases)[v % (len(f.aliases) + 1)]) for f in kind.fields]


def test_every_alias_of_every_table_is_recognised(tmp_path):
    from peixun_audit.load.schema import KINDS

    sheets, expected = {}, {}
    for kind in KINDS:
        for v, pairs in enumerate(_alias_variants(kind)):
            name = f"{kind.keywords[0]}{v}"
            headers = [
                f"*{h}\n" if i % 3 == 0 else h for i, (_, h) in enumerate(pairs)
            ]  # markers and line breaks too
            sheets[name] = [["某某学校 2020 年表格"], headers]
            expected[name] = {key for key, _ in pairs}
    write_book(tmp_path / "aliases.xlsx", sheets)
    ds = load_paths([tmp_path])
    accounts = {s.name: s for s in ds.inputs[0].sheets}
    for name in expected:
        assert accounts[name].kind == next(
            k.key for k in KINDS if name.startswith(k.keywords[0])
        ), name
    # header-only sheets hold no rows, so the dataset keeps no column map: parse directly
    from peixun_audit.load.table import parse_sheet
    from peixun_audit.load.workbook import read_workbook

    raw = {s.name: s for s in read_workbook((tmp_path / "aliases.xlsx").read_bytes()).sheets}
    for name, keys in expected.items():
        table = parse_sheet(raw[name], "aliases.xlsx")
        assert set(table.columns) == keys, (name, set(table.columns) ^ keys)


@pytest.mark.parametrize(
    "written,level",
    [
        ("初级", "初级"),
        ("五级", "初级"),
        ("初级工", "初级"),
        ("四级", "中级"),
        ("中级工", "中级"),
        ("三级", "高级"),
        ("高级工", "高级"),
        ("二级", "技师"),
        ("技师", "技师"),
        ("一级", "高级技师"),
        ("高级技师", "高级技师"),
        ("特级", "特级"),
    ],
)
def test_certificate_levels(written, level):
    from peixun_audit.load.values import normalise_level

    assert normalise_level(written) == level


def test_merged_ranges_fill_every_cell_they_cover_and_no_other():
    """workbook._fill_merged: across, down, over a short row, past the grid's end, and
    with the sheet's first used cell not at A1 (row0/col0)."""
    from peixun_audit.load.workbook import RawSheet, _fill_merged

    grid = [["日期", None, None, "x"], ["上午", "下午", None], ["C1", "a"], [None]]
    raw = RawSheet("s", False, [list(r) for r in grid], 10, 2)
    # (first, last) as (row, column) of the sheet: grid row 0 is sheet row 10
    _fill_merged(raw, [((10, 2), (10, 4)), ((12, 2), (15, 2)), ((11, 4), (11, 9))])
    assert raw.grid == [
        ["日期", "日期", "日期", "x"],
        ["上午", "下午", None],
        ["C1", "a"],
        ["C1"],
    ]
    assert raw.merged == [(0, 0, 0, 2), (2, 0, 5, 0), (1, 2, 1, 7)]


def test_signin_table_is_compact_and_reads_back_as_loaded(tmp_path):
    """The sign-in table has a row per cell (720,000 a city-year): each text column is a
    categorical (a small code per cell into its distinct values), the line and column
    keys int32; its values read back as the loader parsed them (row numbers as ints,
    None where blank)."""
    write_book(
        tmp_path / "a.xlsx",
        {
            "签到表": [
                ["班级编号：C1"],
                ["姓名", "身份证号", "9.7上午", "9.7下午"],
                ["张三", ID1, "√", "李四"],
                ["李四", None, "×", "请假"],
            ]
        },
    )
    s = load_paths([tmp_path]).tables["signin"]
    text = ["class_id", "name", "id_number", "period", "signin_time", "src_file", "src_sheet"]
    for column in [*text, "src_row", "src_col", "status", "signer"]:
        assert isinstance(s[column].dtype, pd.CategoricalDtype), column
        assert s[column].cat.codes.dtype.itemsize <= 2, column
    assert (s["srow"].dtype, s["scol"].dtype) == (np.int32, np.int32)
    values = plain(s).sort_values(["src_row", "src_col"])
    assert list(values["name"]) == ["张三", "张三", "李四", "李四"]
    assert list(values["id_number"]) == [ID1.upper(), ID1.upper(), None, None]
    assert [type(r) for r in values["src_row"]] == [int] * 4
    assert list(values["src_row"]) == [3, 3, 4, 4]
    assert list(values["status"]) == ["present", "signature", "absent", "leave"]
    assert list(values["signer"]) == [None, "李四", None, None]
    assert list(values["period"]) == ["上午", "下午", "上午", "下午"]
