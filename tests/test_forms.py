"""The printed 现场督查情况表 (load/forms.py): label/value forms read as inspection rows,
each value with its cell; a form that cannot be read is reported by cell, never dated
wrongly. Each layout is built in code."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import openpyxl
import pandas as pd
import pytest
from bundle import DAYS, Bundle
from conftest import audit_folder, write_book

from peixun_audit.load import forms, load_paths
from peixun_audit.load.workbook import read_workbook

D = dt.date
SHEET = "现场督查情况表"


def side_by_side(cid="C1", date=DAYS[1], practical="×", observed=10, school_sign="王校长"):
    """Two label/value pairs a row (A|B, D|E), items answered in column D."""
    return [
        ["桂林市职业培训现场督查情况表"],
        ["培训机构", "桂林市测试学校", None, "班级编号", cid],
        ["培训工种", "电工", None, "培训时间", "2020年9月7日至9月11日"],
        ["督查日期", date, None, "督查时间", "09:30"],
        ["督查人员", "张伟、李娜", None, "组长", "张伟"],
        ["应到人数", 10, None, "实到人数", observed],
        ["督查内容", None, None, "督查情况"],
        ["是否按教学大纲实施教学", None, None, "是"],
        ["教学进度与教学计划是否一致", None, None, "是"],
        ["教师备课授课情况", None, None, "√"],
        ["实训实操课时是否符合规定要求", None, None, practical],
        ["培训机构负责人签字", school_sign, None, "督查人员签字", "张伟 李娜"],
    ]


def one_per_row(cid="C1"):
    """One label a row, labels merged over A:B and values over C:F (merges below); the
    class id and the training period in one title cell; 督查时间 holds the date; the
    items ticked under a 是 | 否 column pair."""
    return [
        ["现场督查情况表"],
        [f"班级编号：{cid}    培训时间：2020年9月7日至9月11日"],
        ["督查时间", None, "2020年9月8日 上午9:40"],
        ["督查人员", None, "张伟", "李娜"],
        ["督查组长", None, "李娜"],
        ["应到学员人数", None, "10人"],
        ["实到学员人数", None, "9人"],
        ["督查项目", None, "是", "否"],
        ["按教学大纲实施教学", None, "√", None],
        ["教学进度与计划一致", None, None, "√"],
        ["教师备课授课情况", None, "√", None],
        ["实操课时符合要求", None, "√", "√"],
        ["培训机构签字（盖章）", None, "是"],
        ["督查人员签字", None, None],
    ]


ONE_PER_ROW_MERGES = [f"A{r}:B{r}" for r in range(3, 15)]


def header_then_values(cid="C1"):
    """A row of labels with the values under them, then the items."""
    return [
        ["班级编号", "督查日期", "督查时间", "督查人员", "组长", "应到人数", "实到人数"],
        [cid, "2020/9/9", "14:30", "张伟、李娜", "张伟", 10, 10],
        ["督查内容", None, None, None, "督查结论"],
        ["是否按教学大纲实施教学", None, None, None, "符合"],
        ["教学进度与教学计划是否一致", None, None, None, "一致"],
        ["教师备课授课情况", None, None, None, "是"],
        ["实训实操课时是否符合规定要求", None, None, None, "达标"],
        ["机构签字", "已签", None, "督查人员签字", "张伟"],
    ]


def read(tmp_path, sheets, merges=None):
    write_book(tmp_path / "form.xlsx", sheets, merges)
    dataset = load_paths([tmp_path / "form.xlsx"])
    return dataset, dataset.tables["inspections"]


def as_dict(row: pd.Series) -> dict:
    keys = ["class_id", "date", "time", "inspectors", "leader", "expected", "observed"]
    keys += ["follows_syllabus", "on_schedule", "teacher_prepared", "practical_ok"]
    keys += ["signed_by_school", "signed_by_inspectors", "src_row"]
    out = {}
    for k in keys:
        v = row[k]
        out[k] = None if v is None or (not isinstance(v, tuple) and pd.isna(v)) else v
    out["date"] = out["date"].date() if out["date"] is not None else None
    return out


def cells(dataset, row: pd.Series, *keys: str) -> list[str | None]:
    return [dataset.cell(row["src_file"], row["src_sheet"], k, int(row["src_row"])) for k in keys]


def test_side_by_side_form_is_one_inspection_row(tmp_path):
    dataset, insp = read(tmp_path, {SHEET: side_by_side()}, {SHEET: ["A1:E1"]})
    assert dataset.problems == []
    assert len(insp) == 1
    assert as_dict(insp.iloc[0]) == {
        "class_id": "C1",
        "date": DAYS[1],
        "time": dt.time(9, 30),
        "inspectors": ("张伟", "李娜"),
        "leader": "张伟",
        "expected": 10.0,
        "observed": 10.0,
        "follows_syllabus": True,
        "on_schedule": True,
        "teacher_prepared": True,
        "practical_ok": False,
        "signed_by_school": True,  # a written name is the signature
        "signed_by_inspectors": True,
        "src_row": 2,
    }
    keys = ("class_id", "date", "time", "observed", "practical_ok", "signed_by_school")
    assert cells(dataset, insp.iloc[0], *keys) == ["E2", "B4", "E4", "E6", "D11", "B12"]
    account = dataset.inputs[0].sheets[0]
    assert (account.kind, account.rows_read, account.rows_used) == ("inspections", 1, 1)


def test_one_label_a_row_with_merges_and_tick_columns(tmp_path):
    dataset, insp = read(tmp_path, {SHEET: one_per_row()}, {SHEET: ONE_PER_ROW_MERGES})
    assert [(p.code, p.source.cell, p.params) for p in dataset.problems] == [
        ("form-both-ticked", "C12", {"header": "实操课时符合要求", "value": "C12、D12"})
    ]
    assert as_dict(insp.iloc[0]) == {
        "class_id": "C1",
        "date": D(2020, 9, 8),
        "time": dt.time(9, 40),
        "inspectors": ("张伟", "李娜"),
        "leader": "李娜",
        "expected": 10.0,
        "observed": 9.0,
        "follows_syllabus": True,
        "on_schedule": False,  # ticked under 否
        "teacher_prepared": True,
        "practical_ok": None,  # both ticked: no answer taken
        "signed_by_school": True,
        "signed_by_inspectors": None,  # left blank
        "src_row": 2,
    }
    keys = ("class_id", "date", "time", "on_schedule", "signed_by_inspectors")
    assert cells(dataset, insp.iloc[0], *keys) == ["A2", "C3", "C3", "D10", "A14"]


def test_labels_over_values_and_worded_answers(tmp_path):
    dataset, insp = read(tmp_path, {"Sheet1": header_then_values()})
    assert dataset.problems == []
    row = as_dict(insp.iloc[0])
    assert (row["class_id"], row["date"], row["time"]) == ("C1", D(2020, 9, 9), dt.time(14, 30))
    assert [row[k] for k in ("follows_syllabus", "on_schedule", "practical_ok")] == [True] * 3
    assert (row["signed_by_school"], row["signed_by_inspectors"]) == (True, True)
    assert cells(dataset, insp.iloc[0], "date", "observed") == ["B2", "G2"]


def test_stacked_forms_and_one_form_per_sheet(tmp_path):
    first = side_by_side()
    second = side_by_side(cid="C2", date=D(2020, 10, 13), practical="√")
    sheets = {"督查1": first + [[None]] + second, "督查2": side_by_side(cid="C3")}
    dataset, insp = read(tmp_path, sheets)
    assert dataset.problems == []
    got = [
        (r.src_sheet, r.src_row, r.class_id, r.date.date(), r.practical_ok)
        for r in insp.itertuples()
    ]
    assert got == [
        ("督查1", 2, "C1", DAYS[1], False),
        ("督查1", 15, "C2", D(2020, 10, 13), True),
        ("督查2", 2, "C3", DAYS[1], False),
    ]
    assert cells(dataset, insp.iloc[1], "date", "practical_ok") == ["B17", "D24"]


def test_unreadable_date_is_reported_by_cell_and_the_form_not_used(tmp_path):
    # the value beside 督查日期 is another label (the form was filled in the wrong cell)
    bad = side_by_side()
    bad[3] = ["督查日期", "应到人数", None, "督查时间", "09:30"]
    dataset, insp = read(tmp_path, {SHEET: bad, "第二份": side_by_side(date="2020年9月")})
    assert len(insp) == 0
    assert [
        (p.code, p.source.sheet, p.source.cell, p.params, p.severity) for p in dataset.problems
    ] == [
        ("form-date-unreadable", SHEET, "B4", {"header": "督查日期", "value": "应到人数"}, "error"),
        (
            "form-date-unreadable",
            "第二份",
            "B4",
            {"header": "督查日期", "value": "2020年9月"},
            "error",
        ),
        ("no-usable-table", None, None, {}, "error"),
    ]
    assert dataset.inputs[0].status == "failed"  # no usable table left


def test_form_without_date_is_reported(tmp_path):
    no_date = side_by_side()
    no_date[3] = ["督查日期", None, None, "督查时间", "09:30"]
    dataset, insp = read(tmp_path, {SHEET: no_date})
    assert len(insp) == 0
    assert [(p.code, p.source.row, p.source.cell) for p in dataset.problems] == [
        ("form-no-date", 2, "A4"),
        ("no-usable-table", None, None),
    ]


def test_a_date_followed_by_a_second_date_is_not_read(tmp_path):
    # a transposed table (two inspections in two columns) is refused, not half read
    transposed = [
        ["班级编号", "C1", "C1"],
        ["督查日期", DAYS[1], DAYS[3]],
        ["督查人员", "张伟、李娜", "张伟、李娜"],
        ["组长", "张伟", "张伟"],
        ["实到人数", 10, 9],
    ]
    dataset, insp = read(tmp_path, {SHEET: transposed})
    assert len(insp) == 0
    assert [(p.code, p.source.cell) for p in dataset.problems] == [
        ("form-date-unreadable", "B2"),
        ("no-usable-table", None),
    ]


def test_a_table_of_inspections_is_still_a_table(tmp_path):
    b = Bundle()
    folder = b.write(tmp_path)
    dataset = load_paths([folder])
    insp = dataset.tables["inspections"]
    assert len(insp) == 1 and insp.iloc[0]["src_row"] == 2
    assert dataset.cell(insp.iloc[0]["src_file"], "现场督查", "date", 2) == "B2"


def audit_with_form(tmp_path, form_rows, merges=None, codes=None):
    b = Bundle()
    b.inspections = []  # the bundle's tabular inspection sheet replaced by a printed form
    folder = b.write(tmp_path / "class")
    write_book(folder / "现场督查情况表.xlsx", {SHEET: form_rows}, {SHEET: merges or []})
    return b.audit(folder, codes)


def test_findings_from_a_printed_form_name_its_cells(tmp_path):
    # 实操 answered ×, the school did not sign, and 8 counted present where 10 signed
    rows = side_by_side(practical="×", observed=8, school_sign=None)
    result = audit_with_form(tmp_path, rows, codes=["A10", "A11", "A14"])
    found = Counter((f.code, f.variant, f.source.cell) for f in result.findings)
    assert found == Counter(
        {("A1003", "dated", "A12"): 1, ("A1101", "dated", "D11"): 1, ("A1102", "day", "E6"): 1}
    )
    a1102 = next(f for f in result.findings if f.code == "A1102")
    # the bundle's sign-in sheet has no periods: the day's session is compared
    assert a1102.evidence == {"observed": 8, "signed": 10, "date": DAYS[1]}


def test_a_compliant_printed_form_gives_no_finding(tmp_path):
    rows = side_by_side(practical="√")
    result = audit_with_form(tmp_path, rows, codes=["A10", "A11", "A14"])
    assert result.findings == []


def test_an_unreadable_form_is_no_inspection_not_a_wrong_date(tmp_path):
    rows = side_by_side()
    rows[3] = ["督查日期", "应到人数", None, "督查时间", "09:30"]
    result = audit_with_form(tmp_path, rows, codes=["A10", "A11"])
    # the class has no readable inspection (A1001); nothing is dated from the form
    assert [(f.code, f.variant) for f in result.findings] == [("A1001", "missing")]
    problems = [(p.code, p.source.cell) for p in result.dataset.problems]
    assert problems == [("form-date-unreadable", "B4"), ("no-usable-table", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020年11月4日（星期三）上午", (D(2020, 11, 4), None)),
        ("2020-09-08 09:30", (D(2020, 9, 8), dt.time(9, 30))),
        ("2020.9.8 下午3:00", (D(2020, 9, 8), dt.time(15, 0))),
        ("2020年9月8日 9:30-11:00", (D(2020, 9, 8), dt.time(9, 30))),
        ("2020/9/8", (D(2020, 9, 8), None)),
        (dt.datetime(2020, 9, 8, 10, 15), (D(2020, 9, 8), dt.time(10, 15))),
        # refused: a second date, a month without a day, a label, text after the date
        ("2020-09-08 2020-09-10", None),
        ("2020年9月", None),
        ("应到人数", None),
        ("2020年9月8日 见附件", None),
    ],
)
def test_form_date_and_time_wordings(text, expected):
    assert forms._parse_when(text) == expected


def test_an_unread_form_leaves_the_audit_incomplete(tmp_path):
    # the class also has a readable form: the unread one might still have held an
    # unsigned or failed answer, so nobody is eligible on this run
    rows = side_by_side(practical="√")
    bad = side_by_side(practical="√")
    bad[3] = ["督查日期", "9月", None, "督查时间", "09:30"]
    result = audit_with_form(tmp_path, rows + [[None]] + bad, codes=["A10"])
    assert ("sheets-not-read", [f"{tmp_path / 'class' / '现场督查情况表.xlsx'} / {SHEET}"]) in (
        result.incomplete
    )
    assert [(p.code, p.source.cell) for p in result.dataset.problems] == [
        ("form-date-unreadable", "B17")
    ]


def test_a_table_with_a_two_row_header_is_not_a_form(tmp_path):
    # the Article 11 items side by side under a merged 督查内容: a table, read (or
    # refused) by the table reader, never taken for a form
    header = ["班级编号", "督查日期", "督查人员", "组长", "实到人数", "督查内容", None, None, None]
    items = [None] * 5 + ["按大纲教学", "进度与计划一致", "教师备课授课", "实操课时达标"]
    rows = [header, items, ["C1", DAYS[1], "张伟、李娜", "张伟", 10, "是", "是", "是", "否"]]
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:I1"]
    write_book(tmp_path / "t.xlsx", {"现场督查": rows}, {"现场督查": merges})
    raw = read_workbook((tmp_path / "t.xlsx").read_bytes(), "t.xlsx").sheets[0]
    assert not forms.looks_like_form(raw)
    assert forms.looks_like_form(
        read_workbook(write_book(tmp_path / "f.xlsx", {SHEET: side_by_side()}).read_bytes()).sheets[
            0
        ]
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("班级编号：GL2020-006    培训工种：电工（初级）", ("class_id", "班级编号", "GL2020-006")),
        ("班级编号：GL2020-006培训工种：电工", ("class_id", "班级编号", "GL2020-006")),
        ("班级编号:GL2020-006\t培训时间:2020年9月7日", ("class_id", "班级编号", "GL2020-006")),
        ("督查时间：2020年9月8日 9:30", ("when", "督查时间", "2020年9月8日 9:30")),
        ("组长：", ("leader", "组长", "")),
        ("培训机构（盖章）签字", ("signed_by_school", "培训机构(盖章)签字", "")),
        ("检查人员签名", ("signed_by_inspectors", "检查人员签名", "")),
        ("培训机构", ("", "培训机构", "")),
        ("桂林市职业培训现场督查情况表", (None, "", "")),
    ],
)
def test_label_wordings(cell, expected):
    assert forms.label_field(cell) == expected


@pytest.mark.parametrize(
    ("unit", "level", "codes"),
    [
        ("象山区人力资源和社会保障局", "县区", []),
        ("荔浦市人社局", "县区", []),
        # the city's spot check (Article 13) is not the district's inspection: A1001
        ("桂林市人力资源和社会保障局", "市级抽查", ["A1001"]),
    ],
)
def test_the_inspecting_body_gives_the_level(tmp_path, unit, level, codes):
    rows = side_by_side(practical="√")
    rows.insert(2, ["督查单位", unit])
    result = audit_with_form(tmp_path, rows, codes=["A10"])
    insp = result.dataset.tables["inspections"]
    assert list(insp["level"]) == [level]
    assert cells(result.dataset, insp.iloc[0], "level") == ["B3"]
    assert [f.code for f in result.findings] == codes


def test_a_second_item_worded_alike_is_reported_and_the_form_goes_on(tmp_path):
    rows = side_by_side(practical="√")
    rows.insert(11, ["实训实操设备是否满足教学需要", None, None, "否"])
    rows[-1] = ["培训机构（盖章）", "已盖章", None, "督查人员（签字）", "张伟"]
    dataset, insp = read(tmp_path, {SHEET: rows})
    assert [(p.code, p.source.cell, p.params) for p in dataset.problems] == [
        ("form-label-repeated", "A12", {"header": "实训实操设备是否满足教学需要"})
    ]
    row = as_dict(insp.iloc[0])
    assert len(insp) == 1
    assert (row["practical_ok"], row["signed_by_school"], row["signed_by_inspectors"]) == (
        True,
        True,
        True,
    )
    assert row["inspectors"] == ("张伟", "李娜")  # not the signature row's names
    assert cells(dataset, insp.iloc[0], "signed_by_school", "signed_by_inspectors") == [
        "B13",
        "E13",
    ]


def test_a_form_without_class_id_takes_the_workbooks_only_class(tmp_path):
    b = Bundle()
    b.inspections = []
    folder = b.write(tmp_path)
    book = openpyxl.load_workbook(folder / "bundle.xlsx")
    sheet = book.create_sheet(SHEET)
    for row in side_by_side(practical="√")[2:]:  # no 班级编号 label
        sheet.append(row)
    book.save(folder / "bundle.xlsx")
    result = audit_folder(folder, ["A10", "A11", "A14"])
    insp = result.dataset.tables["inspections"]
    assert list(insp["class_id"]) == ["C1"] and result.findings == []
    assert cells(result.dataset, insp.iloc[0], "class_id", "date") == [None, "B2"]
