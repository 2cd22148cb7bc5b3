"""Layouts offices actually use (issue 12, items 1, 2 and 6; docs/layouts.md): title
lines with several labels, rows that must not vanish or change class (rows above the
header, stacked tables, repeated page headers, footers and summary rows, merged footer
rows), and the employment platform's export headers."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from bundle import Bundle
from conftest import audit_folder, class_row, make_id, table, write_book

from peixun_audit.load import load_paths
from peixun_audit.load.title import parse_date_range, parse_month, read_title

D = dt.date
ID = [make_id(f"4503021990010{i:03d}{i % 2}") for i in range(12)]
PERIOD = (D(2020, 9, 7), D(2020, 9, 11))


def problems_of(ds, *codes):
    return sorted(
        (p.code, p.source.sheet, p.source.row, p.severity)
        for p in ds.problems
        if not codes or p.code in codes
    )


# --- 1. title labels -----------------------------------------------------------------


@pytest.mark.parametrize(
    "cells",
    [
        ["班级编号：GL2020-001    培训时间：2020年9月7日至9月11日"],
        ["班级编号：GL2020-001\u3000\u3000培训时间：2020年9月7日至9月11日"],
        ["班级编号:GL2020-001\t培训时间:2020.9.7-2020.9.11"],
        ["班级编号：GL2020-001、培训时间：2020-09-07至2020-09-11"],
        ["班级编号：GL2020-001；培训时间：2020年9月7日—11日"],
        ["班级编号：GL2020-001培训时间：2020年9月7日至9月11日"],  # glued: the label still ends it
        ["培训时间：2020/9/7~9/11  班级编号： GL2020-001 "],
        ["班级编号：", "GL2020-001", None, "培训时间：", "2020年9月7日至9月11日"],
        ["班级编号", "GL2020-001", "培训时间", "2020年9月7日至9月11日"],
        ["培训班级编号：GL2020-001 培训时间：2020年9月7日至2020年9月11日"],
    ],
)
def test_class_id_and_period_from_one_title_line(cells):
    title = read_title([["桂林市华通职业培训学校2020年第3期电工培训班签到表"], cells])
    assert (title.class_id, title.period) == ("GL2020-001", PERIOD)
    assert title.class_unreadable is None


@pytest.mark.parametrize(
    "line,expected",
    [
        (
            "班级编号：GL-7  培训工种：电工  考勤月份：2021年5月",
            ("GL-7", "电工", (2021, 5), None),
        ),
        (
            "班级编号:GL-7\t考勤月份:2021-05\t日期:2021年5月6日",
            ("GL-7", None, (2021, 5), D(2021, 5, 6)),
        ),
        (
            "培训工种：中式烹调师培训时间：2021.5.6-2021.5.20 班级编号 GL-7",
            ("GL-7", "中式烹调师", None, None),
        ),
        ("考勤时间 (2021-05)", (None, None, (2021, 5), None)),
        ("2021年电工班考勤表  考勤时间 2021年5月", (None, None, (2021, 5), None)),
        ("考勤情况 2021年5月", (None, None, None, None)),  # not a label
        ("班级编号：GL-7；考勤时间：(2021-05)", ("GL-7", None, (2021, 5), None)),
    ],
)
def test_other_title_labels(line, expected):
    title = read_title([[line]])
    assert (title.class_id, title.occupation, title.month, title.date) == expected
    assert all(not v[0].startswith(("培训", "考勤", "日期")) for v in title.labels.values())


def test_title_values_parsers():
    assert parse_date_range("2020年12月28日至1月3日") == (D(2020, 12, 28), D(2021, 1, 3))
    assert parse_date_range("2020年9月11日至9月7日") is None
    assert parse_date_range("2020年9月") is None
    assert parse_month("2021.5") == (2021, 5)
    assert parse_month("2021年13月") is None


def test_multi_label_title_on_every_sheet_of_a_compliant_class(tmp_path):
    """The bundle's sign-in sheet titled the way offices write it audits exactly as the
    plain label: no finding, student 0 at 16/20 h."""
    b = Bundle()
    b.signin_title = [["班级编号：C1\u3000\u3000培训时间：2020年9月7日至9月11日\t培训工种：电工"]]
    result = b.audit(tmp_path)
    assert result.findings == []
    att = result.attendance
    units = {
        n: Fraction(int(a), int(p))
        for n, a, p in zip(
            att["student_name"], att["attended_units"], att["planned_units"], strict=True
        )
    }
    assert units == {s["姓名"]: Fraction(4, 5) if i == 0 else 1 for i, s in enumerate(b.students)}
    assert set(result.dataset.tables["signin"]["class_id"]) == {"C1"}


def test_unreadable_class_label_is_reported_by_cell(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {
            "名册": [
                ["花名册"],
                [None, "班级编号：______  培训时间：2020年9月"],
                ["姓名", "性别"],
                ["张三", "男"],
            ]
        },
    )
    ds = load_paths([tmp_path])
    [problem] = [p for p in ds.problems if p.code == "class-label-unreadable"]
    assert (problem.source.cell, problem.params["value"]) == ("B2", "______")
    assert problems_of(ds, "no-class-id") == [("no-class-id", "名册", None, "error")]


# --- 2. no row vanishes or changes class ----------------------------------------------


def _roster(*rows):
    return [["班级编号：C1"], ["序号", "姓名", "性别", "身份证号"], *rows]


@pytest.mark.parametrize(
    "above",
    [
        [[1, "张三", "男", ID[0]], [2, "李四", "女", ID[1]], [3, "王五", "男", ID[2]]],
        [[None, None, None, ID[0]], [None, None, None, ID[1]], [None, None, None, ID[2]]],
        [[1, "张三", "男"], [2, "李四", "女"], [3, "王五", "男"]],  # names, no IDs
    ],
)
def test_rows_above_the_header_that_look_like_students_are_reported(tmp_path, above):
    sheet = [["2020年电工班花名册"], ["班级编号：C1"], *above, ["序号", "姓名", "性别", "身份证号"]]
    sheet.append([4, "赵六", "男", ID[3]])
    write_book(tmp_path / "a.xlsx", {"花名册": sheet})
    ds = load_paths([tmp_path])
    assert list(ds.tables["roster"]["name"]) == ["赵六"]
    assert problems_of(ds) == [("row-above-header", "花名册", r, "error") for r in (3, 4, 5)]
    account = ds.inputs[0].sheets[0]
    assert (account.rows_read, account.rows_used, account.rows_reported) == (4, 1, 3)
    assert ds.inputs[0].status == "partial"


def test_title_rows_above_the_header_are_not_data(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {
            "签到表": [
                ["桂林市XX职业培训学校签到表"] * 4,
                ["班级编号", "C1", "培训工种", "电工"],
                ["培训机构：桂林市测试学校", None, "制表日期：2020-09-01"],
                ["姓名", "身份证号", "2020-09-07", "2020-09-08"],
                ["张三", ID[0], "√", "√"],
            ]
        },
    )
    ds = load_paths([tmp_path])
    assert problems_of(ds) == []
    assert set(ds.tables["signin"]["class_id"]) == {"C1"}


def test_rows_above_header_make_the_audit_incomplete(tmp_path):
    b = Bundle(n_students=4)
    b.signin_title = [["班级编号：C1"], ["学员五", b.students[0]["身份证号"], "√"]]
    result = b.audit(tmp_path)
    assert result.incomplete and result.incomplete[0][0] == "sheets-not-read"


def _signin_table(cid: str | None, names: list[str], marks: list[list[str]]) -> list[list]:
    title = [[f"桂林市测试学校{cid or ''}签到表"]]
    if cid:
        title.append([f"班级编号：{cid}    培训时间：2020年9月7日至9月8日"])
    header = [["序号", "姓名", "9月7日", "9月8日"]]
    return (
        title + header + [[i + 1, n, *m] for i, (n, m) in enumerate(zip(names, marks, strict=True))]
    )


def _two_classes(tmp_path, signin: list[list], merges=None):
    classes = [
        class_row("C1", D(2020, 9, 7), D(2020, 9, 8)),
        class_row("C2", D(2020, 9, 7), D(2020, 9, 8)),
    ]
    plan = [
        {"班级编号": c, "日期": d, "时段": "上午", "课时": 4}
        for c in ("C1", "C2")
        for d in (D(2020, 9, 7), D(2020, 9, 8))
    ]
    write_book(tmp_path / "classes.xlsx", {"开班信息": table(classes), "教学计划": table(plan)})
    write_book(tmp_path / "signin.xlsx", {"签到表": signin}, merges)
    return audit_folder(tmp_path, ["A04"])


def test_stacked_tables_are_each_their_own_class(tmp_path):
    first = _signin_table("C1", ["张三", "李四"], [["√", "√"], ["√", "×"]])
    second = _signin_table("C2", ["王五", "赵六", "孙七"], [["√", ""], ["√", "√"], ["病假", "√"]])
    signin = [*first, ["制表人：陈老师    审核：李四"], [], *second, ["制表人：陈老师"]]
    result = _two_classes(tmp_path, signin)
    att = result.attendance.set_index("student_name")
    assert att.loc[["张三", "李四"], "class_id"].tolist() == ["C1", "C1"]
    assert att.loc[["王五", "赵六", "孙七"], "class_id"].tolist() == ["C2"] * 3
    assert att["rate"].to_dict() == {
        "张三": Fraction(1),
        "李四": Fraction(1, 2),
        "王五": Fraction(1, 2),
        "赵六": Fraction(1),
        "孙七": Fraction(1, 2),
    }
    ds = result.dataset
    signin_rows = ds.tables["signin"].drop_duplicates("srow")
    assert dict(zip(signin_rows["name"], signin_rows["src_row"], strict=True)) == {
        "张三": 4,
        "李四": 5,
        "王五": 11,
        "赵六": 12,
        "孙七": 13,
    }
    assert problems_of(ds) == [
        ("row-footer", "签到表", 6, "info"),
        ("row-footer", "签到表", 14, "info"),
    ]
    [account] = [s for f in ds.inputs if f.path.endswith("signin.xlsx") for s in f.sheets]
    assert (account.rows_read, account.rows_used, account.rows_reported) == (7, 5, 2)


def test_a_stacked_table_without_its_own_label_is_not_given_a_class(tmp_path):
    """The workbook's only class is not guessed for a table stacked with another."""
    write_book(
        tmp_path / "a.xlsx",
        {
            "开班信息": table([class_row("C1")]),
            "签到表": [
                *_signin_table("C1", ["张三"], [["√", "√"]]),
                [],
                *_signin_table(None, ["王五", "赵六"], [["√", "√"], ["√", "√"]]),
            ],
        },
    )
    ds = load_paths([tmp_path])
    assert list(ds.tables["signin"].drop_duplicates("srow")["name"]) == ["张三"]
    assert problems_of(ds) == [("no-class-id-stacked", "签到表", None, "error")]
    account = next(s for s in ds.inputs[0].sheets if s.name == "签到表")
    assert (account.rows_read, account.rows_used, account.rows_reported) == (3, 1, 2)


def test_stacked_tables_with_different_columns(tmp_path):
    write_book(
        tmp_path / "a.xlsx",
        {
            "学员名册": [
                ["班级编号：C1"],
                ["姓名", "身份证号"],
                ["张三", ID[0]],
                ["班级编号：C2"],
                ["序号", "身份证号", "姓名", "性别"],
                [1, ID[1], "李四", "女"],
            ]
        },
    )
    ds = load_paths([tmp_path])
    roster = ds.tables["roster"]
    assert list(
        zip(roster["class_id"], roster["name"], roster["id_number"], roster["src_row"], strict=True)
    ) == [
        ("C1", "张三", ID[0], 3),
        ("C2", "李四", ID[1], 6),
    ]
    # the name is in A, then in C: no cell letter rather than a wrong one
    assert ds.cell(roster.loc[0, "src_file"], "学员名册", "name", 3) is None
    assert ds.cell(roster.loc[0, "src_file"], "学员名册", "id_number", 6) == "B6"
    assert problems_of(ds) == []


def test_repeated_page_headers_are_skipped_with_a_note(tmp_path):
    header = ["序号", "姓名", "性别", "身份证号"]
    sheet = [
        ["2020年电工班花名册"],
        ["班级编号：C1"],
        header,
        [1, "张三", "男", ID[0]],
        [2, "李四", "女", ID[1]],
        ["2020年电工班花名册"],  # page 2: title, label and header printed again
        ["班级编号：C1"],
        ["序 号", "姓名", "性别", "身份证号"],
        [3, "王五", "男", ID[2]],
        header,  # page 3: the header alone
        [4, "赵六", "女", ID[3]],
    ]
    write_book(tmp_path / "a.xlsx", {"花名册": sheet})
    ds = load_paths([tmp_path])
    assert list(ds.tables["roster"]["name"]) == ["张三", "李四", "王五", "赵六"]
    assert set(ds.tables["roster"]["class_id"]) == {"C1"}
    assert problems_of(ds) == [("row-repeated-header", "花名册", r, "info") for r in (6, 7, 8, 10)]
    account = ds.inputs[0].sheets[0]
    assert (account.rows_read, account.rows_used, account.rows_reported) == (8, 4, 4)


def test_repeated_two_row_header_of_a_wide_signin_sheet(tmp_path):
    top = ["姓名", D(2020, 9, 7), None]
    sheet = [
        ["班级编号：C1"],
        top,
        [None, "上午", "下午"],
        ["张三", "√", "√"],
        top,
        [None, "上午", "下午"],
        ["李四", "√", "×"],
    ]
    write_book(tmp_path / "a.xlsx", {"签到表": sheet}, {"签到表": ["B2:C2", "B5:C5"]})
    ds = load_paths([tmp_path])
    s = ds.tables["signin"].sort_values(["src_row", "src_col"])
    assert list(zip(s["name"], s["period"], s["status"], strict=True)) == [
        ("张三", "上午", "present"),
        ("张三", "下午", "present"),
        ("李四", "上午", "present"),
        ("李四", "下午", "absent"),
    ]
    assert problems_of(ds) == [("row-repeated-header", "签到表", r, "info") for r in (5, 6)]


@pytest.mark.parametrize(
    "footer,code",
    [
        (["制表人：陈老师"], "row-footer"),
        (["制表人：张三  审核：李四"], "row-footer"),
        ([None, "制表人：张三", None, "审核：李四"], "row-footer"),
        (["班主任："], "row-footer"),
        (["班主任", "陈老师"], "row-footer"),
        ([None, None, "（盖章）"], "row-footer"),
        (["单位（盖章）：", None, "制表日期：2020年9月11日"], "row-footer"),
        (["审核人：李四"], "row-footer"),
        (["合计", None, 2, 2], "row-total"),
        ([None, "合计"], "row-total"),
        (["应到人数：3    实到人数：2"], "row-total"),
        (["应到人数", 3, "实到人数", 2], "row-total"),
        (["出勤人数：2"], "row-total"),
    ],
)
def test_footers_and_summary_rows_are_never_students(tmp_path, footer, code):
    sheet = _roster([1, "张三", "男", ID[0]], [2, "李四", "女", ID[1]], footer, [])
    write_book(tmp_path / "a.xlsx", {"名册": sheet})
    ds = load_paths([tmp_path])
    assert list(ds.tables["roster"]["name"]) == ["张三", "李四"]
    assert problems_of(ds) == [(code, "名册", 5, "info")]


def test_several_footer_lines_and_a_merged_note(tmp_path):
    sheet = _roster(
        [1, "张三", "男", ID[0]],
        ["以上学员信息经本人核实无误"],  # merged across the row: a note, not a person
        ["制表人：陈老师"],
        [None, "审核：李四"],
        [None, None, None, "2020年9月11日（盖章）"],
    )
    write_book(tmp_path / "a.xlsx", {"名册": sheet}, {"名册": ["A4:D4"]})
    ds = load_paths([tmp_path])
    assert list(ds.tables["roster"]["name"]) == ["张三"]
    assert problems_of(ds) == [("row-footer", "名册", r, "info") for r in (4, 5, 6, 7)]


def test_a_merged_note_starting_in_the_name_column_is_not_a_person(tmp_path):
    sheet = _roster([1, "张三", "男", ID[0]], [None, "注意事项"])
    write_book(tmp_path / "a.xlsx", {"名册": sheet}, {"名册": ["B4:D4"]})
    ds = load_paths([tmp_path])
    assert list(ds.tables["roster"]["name"]) == ["张三"]
    assert problems_of(ds) == [("row-footer", "名册", 4, "info")]


def test_a_student_whose_remark_reads_like_a_footer_stays(tmp_path):
    sheet = [
        ["班级编号：C1"],
        ["姓名", "身份证号", "备注"],
        ["张三", ID[0], "审核通过"],
        ["李四", ID[1], "合计"],
    ]
    write_book(tmp_path / "a.xlsx", {"名册": sheet})
    ds = load_paths([tmp_path])
    assert list(ds.tables["roster"]["name"]) == ["张三", "李四"]
    assert problems_of(ds) == []


def test_a_label_for_another_class_inside_a_table_is_not_silently_followed(tmp_path):
    sheet = _roster(
        [1, "张三", "男", ID[0]],
        ["班级编号：C2"],  # another class, but no header of its own
        [2, "李四", "女", ID[1]],
    )
    write_book(tmp_path / "a.xlsx", {"名册": sheet})
    ds = load_paths([tmp_path])
    assert list(ds.tables["roster"]["name"]) == ["张三"]
    assert problems_of(ds) == [
        ("row-class-label", "名册", 4, "info"),
        ("row-under-other-label", "名册", 5, "error"),
    ]


# --- 6. platform exports ----------------------------------------------------------------


def test_platform_export_headers(tmp_path):
    write_book(
        tmp_path / "export.xlsx",
        {
            "Sheet1": [
                [
                    "培训班级编号",
                    "培训班级名称",
                    "培训机构名称",
                    "培训工种名称",
                    "培训等级（描述）",
                    "培训开始时间",
                    "培训结束时间",
                ],
                [
                    "P1",
                    "2021年第1期电工班",
                    "桂林市测试学校",
                    "电工",
                    "五级",
                    "2021-05-06 08:30:00",
                    dt.datetime(2021, 5, 20, 17, 30),
                ],
                [
                    "P2",
                    "2021年第2期焊工班",
                    "桂林市测试学校",
                    "焊工",
                    "四级",
                    "2021/5/10 8:30",
                    "2021年5月14日 17:30",
                ],
            ],
            "Sheet2": [
                ["培训班编号", "姓名", "社会保障号码", "联系方式"],
                ["P1", "张三", ID[0], "13800000001"],
            ],
            "Sheet3": [["培训单位名称", "姓名", "身份证件号码"], ["桂林市测试学校", "李四", ID[1]]],
            "Sheet4": [["培训班编号", "姓名", "社会保障号"], ["P1", "王五", ID[2]]],
        },
    )
    ds = load_paths([tmp_path])
    classes = ds.tables["classes"]
    assert list(classes["class_id"]) == ["P1", "P2"]
    assert list(classes["class_name"]) == ["2021年第1期电工班", "2021年第2期焊工班"]
    assert list(classes["institution"]) == ["桂林市测试学校"] * 2
    assert list(classes["occupation"]) == ["电工", "焊工"]
    assert list(classes["level"]) == ["初级", "中级"]
    assert list(classes["start_date"].dt.date) == [D(2021, 5, 6), D(2021, 5, 10)]
    assert list(classes["end_date"].dt.date) == [D(2021, 5, 20), D(2021, 5, 14)]
    roster = ds.tables["roster"]
    assert list(zip(roster["name"], roster["id_number"], roster["phone"], strict=True)) == [
        ("张三", ID[0], "13800000001"),
        ("王五", ID[2], None),
    ]
    assert list(roster["class_id"]) == ["P1", "P1"]
    # Sheet3 names no class and the workbook has two: its row is reported
    assert problems_of(ds) == [("no-class-id", "Sheet3", None, "error")]


def test_platform_export_missing_a_required_column_says_which(tmp_path):
    write_book(
        tmp_path / "export.xlsx",
        {
            "开班信息": [
                ["培训班级编号", "培训机构名称", "培训工种名称"],
                ["P1", "桂林市测试学校", "电工"],
            ]
        },
    )
    ds = load_paths([tmp_path])
    [problem] = [p for p in ds.problems if p.code == "missing-columns"]
    assert problem.params == {"fields": [["start_date"]], "kind": "classes"}


def test_a_range_merged_over_a_students_marks_stays_that_students(tmp_path):
    sheet = [
        ["班级编号：C1"],
        ["姓名", "2020-09-07", "2020-09-08", "2020-09-09"],
        ["张三", "病假", None, None],
        ["李四", "√", "√", "√"],
    ]
    write_book(tmp_path / "a.xlsx", {"签到表": sheet}, {"签到表": ["B3:D3"]})
    ds = load_paths([tmp_path])
    s = ds.tables["signin"].sort_values(["src_row", "src_col"])
    assert list(zip(s["name"], s["status"], strict=True)) == [
        ("张三", "leave"),
        ("张三", "leave"),
        ("张三", "leave"),
        ("李四", "present"),
        ("李四", "present"),
        ("李四", "present"),
    ]
    assert problems_of(ds) == []


def test_a_plan_session_whose_content_reads_like_a_note_stays(tmp_path):
    plan = [
        ["班级编号：C1"],
        ["日期", "课时", "教学内容"],
        ["2020-09-07", 4, "说明：实操在车间"],
        ["2020-09-08", 4, "注：理论"],
        ["说明：以上课时含实操 4 课时"],
    ]
    write_book(tmp_path / "a.xlsx", {"教学计划": plan})
    ds = load_paths([tmp_path])
    assert list(ds.tables["plan"]["content"]) == [
        "说明:实操在车间",
        "注:理论",
    ]  # text is NFKC-folded
    assert problems_of(ds) == [("row-footer", "教学计划", 5, "info")]


def test_a_long_signin_row_with_header_words_is_data_not_a_header(tmp_path):
    """A data row holding a date and a value that is also a header (签到) is data."""
    sheet = [
        ["班级编号", "姓名", "身份证号", "日期", "时段", "签到"],
        ["C1", "张三", ID[0], D(2020, 9, 7), "上午", "√"],
        ["C1", "李四", "", D(2020, 9, 7), "上午", "签到"],
        ["C1", "王五", ID[2], D(2020, 9, 7), "上午", "√"],
    ]
    write_book(tmp_path / "a.xlsx", {"Sheet1": sheet})
    ds = load_paths([tmp_path])
    assert list(ds.tables["signin"]["name"]) == ["张三", "李四", "王五"]
    assert [p.code for p in ds.problems if p.code.startswith(("row-", "missing"))] == []


def test_class_ids_merged_down_each_stacked_table(tmp_path):
    sheet = [
        ["班级编号", "姓名"],
        ["C1", "张三"],
        [None, "李四"],
        [],
        ["班级编号", "姓名", "性别"],
        ["C2", "王五", "男"],
        [None, "赵六", "女"],
    ]
    write_book(tmp_path / "a.xlsx", {"名册": sheet}, {"名册": ["A2:A3", "A6:A7"]})
    ds = load_paths([tmp_path])
    roster = ds.tables["roster"]
    assert list(zip(roster["class_id"], roster["name"], strict=True)) == [
        ("C1", "张三"),
        ("C1", "李四"),
        ("C2", "王五"),
        ("C2", "赵六"),
    ]
    merged = [(p.code, p.source.cell) for p in ds.problems]
    assert merged == [("merged-data-cells", "A2:A3"), ("merged-data-cells", "A6:A7")]


@pytest.mark.parametrize(
    "line,class_id,unreadable",
    [
        ("班级编号：GL2020-001（电工班）", "GL2020-001", None),
        ("班级编号：GL2020-001号", "GL2020-001", None),
        ("班级编号：GL2020-001。", "GL2020-001", None),
        ("班级编号：gl_2020/01 培训时间：2020年9月", "gl_2020/01", None),
        ("班级编号：______", None, "______"),
        ("班级编号：（待定）", None, "(待定)"),
    ],
)
def test_the_class_id_is_the_value_s_leading_id(line, class_id, unreadable):
    title = read_title([[line]])
    assert title.class_id == class_id
    assert (title.class_unreadable or (0, 0, None))[2] == unreadable
