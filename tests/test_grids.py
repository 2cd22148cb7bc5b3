"""Issue 12, items 3–5: monthly attendance grids, one sheet per session, the marks people
write. Each layout is built in code and audited; attendance is checked exactly."""

import datetime as dt
from collections import Counter
from fractions import Fraction

import pytest
from conftest import audit_folder, class_row, make_id, table, write_book
from hypothesis import given
from hypothesis import strategies as st

from peixun_audit import messages
from peixun_audit.audit import run
from peixun_audit.load import load_paths
from peixun_audit.load import values as V
from peixun_audit.rules import select_codes
from peixun_audit.ruleset import load_rulesets

D = dt.date
ID = [make_id(f"4503021990010{i:03d}1") for i in range(4)]
NAMES = ["张三", "李四", "王五", "赵六"]
WEEK = [D(2021, 5, 10) + dt.timedelta(days=i) for i in range(5)]  # Mon 10 … Fri 14


def dossier(days, periods=("上午",), hours=4, names=NAMES[:3]):
    """开班信息, 教学计划 (``hours`` per session), 学员名册 of class C1."""
    return {
        "开班信息": table([class_row(start=days[0], end=days[-1])]),
        "教学计划": [["班级编号", "日期", "时段", "课时"]]
        + [["C1", d, p, hours] for d in days for p in periods],
        "学员名册": [["班级编号", "姓名", "身份证号"]]
        + [["C1", n, ID[i]] for i, n in enumerate(names)],
    }


def audit(tmp_path, sheets, merges=None, codes=("A04",), ruleset=None):
    write_book(tmp_path / "c.xlsx", sheets, merges)
    if ruleset is None:
        return audit_folder(tmp_path, list(codes))
    dataset = load_paths([tmp_path])
    return run(dataset, load_rulesets(ruleset), D(2026, 1, 1), select_codes(list(codes), None))


def rates(result):
    t = result.attendance
    return {
        n: Fraction(int(a), int(p))
        for n, a, p in zip(t["student_name"], t["attended_units"], t["planned_units"], strict=True)
    }


def findings(result):
    return Counter((f.code, f.student_name) for f in result.findings)


def problems(result, *codes):
    return [
        (p.code, p.source.sheet, p.source.cell, p.params.get("value"))
        for p in result.dataset.problems
        if not codes or p.code in codes
    ]


def month_grid(title_rows, marks, first=1, last=31, extra=("出勤天数", "缺勤", "学员签名")):
    """title rows, the header 序号/姓名/1…31/totals, a row per student (day → mark)."""
    days = (
        list(range(first, last + 1)) if first <= last else [*range(first, 32), *range(1, last + 1)]
    )
    rows = [*title_rows, ["序号", "姓名", *days, *extra]]
    for i, (name, by_day) in enumerate(marks, 1):
        rows.append([i, name, *[by_day.get(d, "/") for d in days], len(by_day), 0, name])
    return rows


# 张三 all √; 李四 迟 早 病 √ √ (4/5); 王五 调休 补签 张三 旷 × (1/5, a proxy signature)
WEEK_MARKS = [
    ("张三", dict.fromkeys(range(10, 15), "√")),
    ("李四", {10: "迟", 11: "早", 12: "病", 13: "√", 14: "¢"}),
    ("王五", {10: "调休", 11: "补签", 12: "张三", 13: "旷", 14: "×"}),
]
WEEK_RATES = {"张三": Fraction(1), "李四": Fraction(4, 5), "王五": Fraction(1, 5)}
WEEK_FINDINGS = Counter({("A0401", "王五"): 1, ("A0403", "王五"): 1})


@pytest.mark.parametrize(
    "title",
    [
        [["2021年5月学员考勤表"], ["班级编号：C1"]],
        [["桂林市某职业培训学校电工班考勤表    考勤时间 2021年5月"], ["班级编号：C1"]],
        [["班级编号：C1"], ["考勤月份：2021-05"]],
        [["电工班学员出勤簿(2021-05)"], ["班级编号：C1"]],
        [["班级编号：C1"], ["考勤月份", None, "2021.05"]],
        [["班级编号：C1"], ["考勤月份", D(2021, 5, 1)]],
    ],
    ids=["year-month", "label-in-title", "label-iso", "parenthesised", "label-cell", "date-cell"],
)
def test_monthly_grid_month_from_the_title(tmp_path, title):
    sheets = {**dossier(WEEK), "Sheet1": month_grid(title, WEEK_MARKS)}
    result = audit(tmp_path, sheets)
    assert rates(result) == WEEK_RATES
    assert findings(result) == WEEK_FINDINGS
    assert problems(result, "unknown-mark", "makeup-mark") == [
        ("unknown-mark", "Sheet1", "L" + str(len(title) + 4), "调休"),
        ("makeup-mark", "Sheet1", "M" + str(len(title) + 4), "补签"),
    ]
    assert result.dataset.tables["roster"]["src_sheet"].unique().tolist() == ["学员名册"]


def test_monthly_grid_month_from_the_sheet_name_year_from_the_class(tmp_path):
    sheets = {**dossier(WEEK), "5月考勤": month_grid([["班级编号：C1"]], WEEK_MARKS)}
    result = audit(tmp_path, sheets)
    assert rates(result) == WEEK_RATES
    assert findings(result) == WEEK_FINDINGS
    [layout] = [p for p in result.dataset.problems if p.code == "grid-layout"]
    assert layout.params == {"month": "--05", "value": "1…31", "rows": 5}
    assert "5月（年份取自开班日期）" in messages.problem_message(layout.code, layout.params)


@pytest.mark.parametrize(
    "footer",
    [["班主任签字：", None, "盖章"], ["制表人：陈老师    审核人：王主任"], ["合计", "3人"]],
    ids=["signature-seal", "made-by", "total"],
)
def test_grid_footer_lines_are_skipped_with_a_note_not_errors(tmp_path, footer):
    """A footer under the students of a grid (as under a table) is a note, never a row
    without a name: the audit stays complete and the rates are the same."""
    grid = month_grid([["2021年5月学员考勤表"], ["班级编号：C1"]], WEEK_MARKS) + [footer]
    result = audit(tmp_path, {**dossier(WEEK), "Sheet1": grid})
    assert rates(result) == WEEK_RATES
    skipped = [(p.code, p.severity, p.source.row) for p in result.dataset.problems]
    code = "row-total" if footer[0] == "合计" else "row-footer"
    assert (code, "info", 7) in skipped
    assert not [c for c, severity, _ in skipped if severity == "error"]


def test_grid_days_without_class_are_not_sessions(tmp_path):
    """Blank and / days are days without class: no A0402 for the other 26 columns; a / in
    a day others signed is counted absent and reported."""
    marks = [("张三", {**dict.fromkeys(range(10, 15), "√"), 20: "/"}), ("李四", {10: "/"})]
    marks[1][1].update(dict.fromkeys(range(11, 15), "√"))
    sheets = {
        **dossier(WEEK, names=NAMES[:2]),
        "考勤": month_grid([["2021年5月"], ["班级编号：C1"]], marks),
    }
    result = audit(tmp_path, sheets)
    assert rates(result) == {"张三": Fraction(1), "李四": Fraction(4, 5)}
    assert findings(result) == Counter()  # 4/5 passes; no column outside the plan
    assert problems(result, "no-session-mark") == [("no-session-mark", "考勤", "L5", "/")]


def test_grid_period_crossing_months(tmp_path):
    """26 … 31 then 1 … 25 under 2021年6月: 26 … 31 are in May (the period ends in June)."""
    days = [D(2021, 5, 31), D(2021, 6, 1), D(2021, 6, 2), D(2021, 6, 3), D(2021, 6, 4)]
    marks = [("张三", {31: "√", 1: "√", 2: "√", 3: "√", 4: "√"}), ("李四", {31: "缺", 1: "√"})]
    grid = month_grid([["考勤时间 2021年6月"], ["班级编号：C1"]], marks, 26, 25)
    result = audit(tmp_path, {**dossier(days, names=NAMES[:2]), "Sheet1": grid})
    assert rates(result) == {"张三": Fraction(1), "李四": Fraction(1, 5)}
    assert findings(result) == Counter({("A0401", "李四"): 1})
    [layout] = [p for p in result.dataset.problems if p.code == "grid-layout"]
    assert layout.params == {"month": "2021-06", "value": "26…31, 1…25", "rows": 5}


def test_grid_range_in_the_title_decides_the_months(tmp_path):
    """考勤期间 2021年5月26日至6月25日: the range itself says which month each day is in."""
    days = [D(2021, 5, 31), D(2021, 6, 1)]
    marks = [("张三", {31: "√", 1: "√"})]
    grid = month_grid([["考勤期间：2021年5月26日至6月25日"], ["班级编号：C1"]], marks, 26, 25)
    result = audit(tmp_path, {**dossier(days, names=NAMES[:1]), "Sheet1": grid})
    assert rates(result) == {"张三": Fraction(1)}
    assert findings(result) == Counter()


def test_grid_two_rows_per_student_morning_and_afternoon(tmp_path):
    days = WEEK[:2]
    rows = [
        ["2021年5月考勤表"],
        ["班级编号：C1"],
        ["序号", "姓名", "时段", *range(1, 32), "合计"],
        [1, "张三", "上午", *[None] * 9, "√", "√", *[None] * 20, 2],
        [None, None, "下午", *[None] * 9, "√", "缺", *[None] * 20, 1],
        [2, "李四", "上午", *[None] * 9, "√", "√", *[None] * 20, 2],
        [None, None, "下午", *[None] * 9, "李四", "王五", *[None] * 20, 2],
    ]
    result = audit(tmp_path, {**dossier(days, ("上午", "下午"), names=NAMES[:2]), "Sheet1": rows})
    assert rates(result) == {"张三": Fraction(3, 4), "李四": Fraction(1)}
    assert findings(result) == Counter({("A0401", "张三"): 1, ("A0403", "李四"): 1})
    [proxy] = [f for f in result.findings if f.code == "A0403"]
    assert proxy.source.cell == "N7"


def test_grid_sign_in_and_sign_out_rows(tmp_path):
    """签到/签退 rows: the day counts when either is signed (a missing 签退 is 早退)."""
    days = WEEK[:3]
    rows = [
        ["2021年5月签到签退表", None, None, "班级编号：C1"],
        ["姓名", "签到/签退", *range(1, 32)],
        ["张三", "签到", *[None] * 9, "√", "√", "√"],
        ["张三", "签退", *[None] * 9, "√", None, "√"],
        ["李四", "签到", *[None] * 9, "√", None, None],
        [None, "签退", *[None] * 9, "√", None, None],
    ]
    result = audit(tmp_path, {**dossier(days, names=NAMES[:2]), "Sheet1": rows})
    assert rates(result) == {"张三": Fraction(1), "李四": Fraction(1, 3)}
    assert findings(result) == Counter({("A0401", "李四"): 1})


def test_grid_two_row_header_with_periods(tmp_path):
    """Day numbers merged over 上午/下午 columns."""
    days = WEEK[:2]
    rows = [
        ["班级编号：C1", None, "2021年5月"],
        ["姓名", "身份证号", 10, 10, 11, 11, "出勤天数"],
        [None, None, "上午", "下午", "上午", "下午"],
        ["张三", ID[0], "√", "√", "√", "缺"],
    ]
    merges = {"Sheet1": ["C2:D2", "E2:F2", "A2:A3", "B2:B3"]}
    result = audit(
        tmp_path, {**dossier(days, ("上午", "下午"), names=NAMES[:1]), "Sheet1": rows}, merges
    )
    assert rates(result) == {"张三": Fraction(3, 4)}


def test_grid_is_never_read_as_a_roster(tmp_path):
    """序号/姓名/性别/身份证号/联系电话 and day columns: a roster's headers, but a grid."""
    rows = [
        ["2021年5月考勤"],
        ["班级编号：C1"],
        ["序号", "姓名", "性别", "身份证号", "联系电话", *range(1, 32)],
        [1, "张三", "男", ID[0], "13800000000", *[None] * 9, *["√"] * 5],
    ]
    write_book(tmp_path / "c.xlsx", {"Sheet1": rows})
    ds = load_paths([tmp_path])
    assert len(ds.tables["roster"]) == 0
    assert sorted(ds.tables["signin"]["date"].dt.date) == WEEK
    [sheet] = ds.inputs[0].sheets
    assert sheet.kind == "signin"


def test_grid_without_a_month_is_refused_not_misread(tmp_path):
    rows = [["班级编号：C1"], ["序号", "姓名", "身份证号", *range(1, 32)], [1, "张三", ID[0], "√"]]
    write_book(tmp_path / "c.xlsx", {"Sheet1": rows})
    ds = load_paths([tmp_path])
    assert len(ds.tables["roster"]) == 0 and len(ds.tables["signin"]) == 0
    assert [(p.code, p.severity, p.params.get("rows")) for p in ds.problems] == [
        ("grid-month-unknown", "error", 1),
        ("no-usable-table", "error", None),
    ]
    assert ds.inputs[0].status == "failed"


def test_grid_with_two_months_in_the_title_is_refused(tmp_path):
    rows = [["2021年5月、2021年6月考勤"], ["姓名", *range(1, 32)], ["张三", "√"]]
    write_book(tmp_path / "c.xlsx", {"Sheet1": rows})
    ds = load_paths([tmp_path])
    assert [(p.code, p.params.get("detail")) for p in ds.problems] == [
        ("grid-month-ambiguous", "2021-05、2021-06"),
        ("no-usable-table", None),
    ]


def test_grid_day_that_the_month_lacks_is_reported(tmp_path):
    """A mark under 31 in June names no day: reported, not used."""
    rows = [
        ["2021年6月"],
        ["班级编号：C1"],
        ["姓名", *range(1, 32)],
        ["张三", *[None] * 29, "√", "√"],
    ]
    write_book(tmp_path / "c.xlsx", {"Sheet1": rows})
    ds = load_paths([tmp_path])
    assert [(p.code, p.source.cell) for p in ds.problems if p.severity == "error"] == [
        ("grid-day-invalid", "AF4")
    ]
    assert ds.tables["signin"]["date"].dt.date.tolist() == [D(2021, 6, 30)]


# ------------------------------------------------------------ one sheet per session


def session_sheet(
    marks, title=None, header=("序号", "姓名", "性别", "身份证号", "联系电话", "签名")
):
    rows = [[title]] if title else []
    rows.append(list(header))
    for i, (name, mark) in enumerate(marks):
        row = {"序号": i + 1, "姓名": name, "性别": "男", "身份证号": ID[NAMES.index(name)]}
        row["联系电话"] = "13800000000"
        rows.append([row.get(h, mark) for h in header])
    return rows


def test_one_sheet_per_session_named_by_date_and_period(tmp_path):
    days = WEEK[:2]
    sheets = dossier(days, ("上午", "下午"), names=NAMES[:2])
    sheets["学员名册"][0].append("联系电话")
    marks = {
        "5.10上午": [("张三", "张三"), ("李四", "李四")],
        "5.10下午": [("张三", "√"), ("李四", "公出")],
        "5月11日上午": [("张三", "李四"), ("李四", "李四")],
        "5.11下午": [("张三", "张三"), ("李四", "迟到")],
    }
    for name, m in marks.items():
        sheets[name] = [["班级编号：C1"], *session_sheet(m)]
    result = audit(tmp_path, sheets)
    assert rates(result) == {"张三": Fraction(1), "李四": Fraction(3, 4)}
    # 李四: 公出 is an unknown mark (absent), 迟到 is present: 3/4 < 80%
    assert findings(result) == Counter({("A0403", "张三"): 1, ("A0401", "李四"): 1})
    assert problems(result, "unknown-mark") == [("unknown-mark", "5.10下午", "F4", "公出")]
    # none of the four sheets is taken for a roster (their headers are a roster's)
    assert set(result.dataset.tables["roster"]["src_sheet"]) == {"学员名册"}


@pytest.mark.parametrize(
    "title,header",
    [
        ("2021年5月10日上午签到表", ("序号", "姓名", "学员签名")),
        ("桂林市某学校电工班签到表 2021-05-10 上午", ("姓名", "身份证号", "签到")),
        ("电工班  日期：2021.5.10上午  签到表", ("序号", "姓名", "签到情况")),
    ],
)
def test_one_session_sheet_titled_with_its_date(tmp_path, title, header):
    sheets = dossier(WEEK[:1], names=NAMES[:2])
    rows = session_sheet([("张三", "张三"), ("李四", "病")], title, header)
    sheets["Sheet1"] = [["班级编号：C1"], *rows]
    result = audit(tmp_path, sheets)
    assert rates(result) == {"张三": Fraction(1), "李四": Fraction(0)}
    assert findings(result) == Counter({("A0401", "李四"): 1})


def test_session_sheet_with_a_day_number_is_refused(tmp_path):
    """第3天 without a date: which day it is, only the plan could say; not guessed."""
    write_book(
        tmp_path / "c.xlsx", {"第3天": [["班级编号：C1"], *session_sheet([("张三", "张三")])]}
    )
    ds = load_paths([tmp_path])
    assert len(ds.tables["roster"]) == 0 and len(ds.tables["signin"]) == 0
    assert [(p.code, p.params.get("value")) for p in ds.problems] == [
        ("session-day-number", "第3天"),
        ("no-usable-table", None),
    ]


def test_roster_with_a_signature_column_stays_a_roster(tmp_path):
    """A 学员花名册 with a 签名 column and a dated title is a roster, not a session."""
    rows = [
        ["2021年5月10日 学员花名册"],
        ["班级编号：C1"],
        ["姓名", "身份证号", "签名"],
        ["张三", ID[0], "张三"],
    ]
    write_book(tmp_path / "c.xlsx", {"学员花名册": rows})
    ds = load_paths([tmp_path])
    assert len(ds.tables["roster"]) == 1 and len(ds.tables["signin"]) == 0


# ------------------------------------------------------------ marks


@pytest.mark.parametrize(
    "raw,status",
    [
        ("迟", "late"),
        ("迟到", "late"),
        ("¢", "late"),
        ("￠", "late"),
        ("早", "early"),
        ("早退", "early"),
        ("△", "early"),
        ("病", "leave"),
        ("事", "leave"),
        ("假", "leave"),
        ("旷", "absent"),
        ("缺", "absent"),
        ("○", "absent"),
        ("×", "absent"),
        ("/", "none"),
        ("／", "none"),
        ("—", "none"),
        ("补签", "makeup"),
        ("公出", "unknown"),
        ("调休", "unknown"),
        ("出差", "unknown"),
        ("代签", "unknown"),
        ("学员", "unknown"),
        ("全勤", "unknown"),
        ("周末", "unknown"),
        ("上午", "unknown"),
        ("张三", "signature"),
        ("欧阳娜", "signature"),
        ("阿依古丽·买买提", "signature"),
    ],
)
def test_marks_people_write(raw, status):
    assert V.classify_mark(raw)[0] == status


def test_makeup_signature_counts_only_when_the_ruleset_says_so(tmp_path):
    marks = [("张三", {**dict.fromkeys(range(10, 14), "√"), 14: "补签"})]
    sheets = {
        **dossier(WEEK, names=NAMES[:1]),
        "Sheet1": month_grid([["2021年5月"], ["班级编号：C1"]], marks),
    }
    default = audit(tmp_path, sheets)
    assert rates(default) == {"张三": Fraction(4, 5)}
    override = tmp_path / "rs.toml"
    override.write_text(
        'name = "makeup"\neffective = 2020-08-20\n[attendance]\nmakeup_signature_present = true\n',
        "utf-8",
    )
    counted = audit(tmp_path, sheets, ruleset=override)
    assert rates(counted) == {"张三": Fraction(1)}


def test_wide_sheet_column_of_slashes_is_no_session(tmp_path):
    """The ordinary wide form: a column of / only is a day without class (no A0402)."""
    sheets = dossier(WEEK[:2], names=NAMES[:2])
    sheets["签到表"] = [
        ["班级编号：C1"],
        ["姓名", "5月10日", "5月11日", "5月12日"],
        ["张三", "√", "√", "/"],
        ["李四", "√", "/", "/"],
    ]
    result = audit(tmp_path, sheets)
    assert rates(result) == {"张三": Fraction(1), "李四": Fraction(1, 2)}
    assert findings(result) == Counter({("A0401", "李四"): 1})
    assert problems(result, "no-session-mark") == [("no-session-mark", "签到表", "C4", "/")]


def test_grid_month_next_to_its_label_outweighs_the_date_the_form_was_made(tmp_path):
    title = [["考勤月份：2021-05    制表日期：2021年6月1日"], ["班级编号：C1"]]
    sheets = {**dossier(WEEK), "Sheet1": month_grid(title, WEEK_MARKS)}
    result = audit(tmp_path, sheets)
    assert rates(result) == WEEK_RATES


def test_grid_title_and_sheet_name_that_disagree_are_refused(tmp_path):
    rows = month_grid([["2021年5月考勤表"], ["班级编号：C1"]], WEEK_MARKS)
    write_book(tmp_path / "c.xlsx", {"6月": rows})
    ds = load_paths([tmp_path])
    assert len(ds.tables["signin"]) == 0
    assert [(p.code, p.params.get("detail")) for p in ds.problems][0] == (
        "grid-month-ambiguous",
        "2021-05、--06",
    )


def test_grid_day_headers_with_their_weekday(tmp_path):
    rows = [
        ["2021年5月"],
        ["班级编号：C1"],
        ["姓名", "10(一)", "11(二)", "12(三)", "13\n周四", "14\n周五", "出勤"],
        ["张三", "√", "√", "√", "√", "缺", 4],
    ]
    result = audit(tmp_path, {**dossier(WEEK, names=NAMES[:1]), "Sheet1": rows})
    assert rates(result) == {"张三": Fraction(4, 5)}


def test_a_refused_grid_leaves_the_audit_undetermined(tmp_path):
    """Evidence that could not be read: nobody is called eligible on this run."""
    sheets = {**dossier(WEEK), "Sheet1": month_grid([["班级编号：C1"]], WEEK_MARKS)}
    result = audit(tmp_path, sheets, codes=())
    assert ("sheets-not-read", [f"{tmp_path / 'c.xlsx'} / Sheet1"]) in result.incomplete
    assert not result.eligibility["eligible"].any()


def test_two_day_grid_is_a_grid_not_a_roster(tmp_path):
    rows = [
        ["2021年5月考勤"],
        ["班级编号：C1"],
        ["序号", "姓名", "身份证号", 10, 11],
        [1, "张三", ID[0], "√", "病"],
    ]
    result = audit(tmp_path, {**dossier(WEEK[:2], names=NAMES[:1]), "Sheet1": rows})
    assert rates(result) == {"张三": Fraction(1, 2)}
    assert set(result.dataset.tables["roster"]["src_sheet"]) == {"学员名册"}


def test_sheet_titled_with_the_course_period_is_not_one_session(tmp_path):
    """培训时间 2021年5月10日至5月14日 names five days, not a session: the sheet (姓名, 签名,
    no date) is reported as lacking its date column, never read as the 10th."""
    rows = [["电工班签到表  培训时间：2021年5月10日至5月14日"], ["班级编号：C1"]]
    rows += [["姓名", "签名"], ["张三", "张三"]]
    write_book(tmp_path / "c.xlsx", {"Sheet1": rows})
    ds = load_paths([tmp_path])
    assert len(ds.tables["signin"]) == 0
    assert [p.code for p in ds.problems][0] == "missing-columns"


@pytest.mark.parametrize("corner", ["姓名\\日期", "日期/姓名", "姓名\n日期"])
def test_grid_with_a_diagonal_corner_header(tmp_path, corner):
    rows = [["2021年5月考勤"], ["班级编号：C1"], [corner, *range(10, 15)], ["张三", "√", "√", "×"]]
    result = audit(tmp_path, {**dossier(WEEK[:3], names=NAMES[:1]), "Sheet1": rows})
    assert rates(result) == {"张三": Fraction(2, 3)}


def test_day_numbers_in_every_written_form_pass_the_quick_refusal():
    """grid.day_number refuses names, IDs and marks before its parse; never a day."""
    from peixun_audit.load.grid import day_number

    days = {
        "5": 5,
        "05": 5,
        "5日": 5,
        " 5号": 5,
        "５": 5,
        "①": 1,
        "5(一)": 5,
        "31": 31,
        "１日": 1,
        "\u3000５": 5,
        "5 周一": 5,
    }
    assert {text: day_number(text) for text in days} == days
    for text in ("张三", "√", "缺", "", "  ", "450321199001011234", "a1", "五日", "x", "32"):
        assert day_number(text) is None, text


@given(st.text(max_size=8))
def test_grid_day_pretest_passes_every_day_number(text):
    """grid.find_header looks closer only at texts its pre-test passes: every text
    day_number reads must pass it (else a grid would be missed)."""
    from peixun_audit.load.grid import _MAYBE_DAY, day_number

    if day_number.__wrapped__(text) is not None:
        assert _MAYBE_DAY.match(text)
    for day in (f" {text[:1]}5日", f"１２{text[:1]}", f"{text[:1]}\u30003"):
        if day_number.__wrapped__(day) is not None:
            assert _MAYBE_DAY.match(day)


def test_grid_day_cells_keep_true_which_stands_for_one():
    """In a set True, 1 and 1.0 are one value: a sheet whose first such cell is a bool
    still has day 1 among its day-like values."""
    from peixun_audit.load.grid import _day_cells

    assert _day_cells([[True, "x"], [1.0, 2.0, "姓名"]]) == {True, 2.0}
    assert _day_cells([["张三", "450302199001010011", "15507069464"]]) == set()
