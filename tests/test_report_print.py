"""The forwarded outputs (issue 14 items 1–4): the audit workbook printed through
LibreOffice, its Chinese, rectification notices, the disbursement list, and the
supervision commands' workbooks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from bundle import Bundle
from pdfpages import MISSING, pages, to_pdf, tools_missing
from typer.testing import CliRunner

from peixun_audit.cli import app
from peixun_audit.load import load_paths
from peixun_audit.messages import RULE_TITLES
from peixun_audit.report import excel
from peixun_audit.report.output import output_kind
from peixun_audit.report.supervision import CALL_CHOICES, CALL_HEADERS
from peixun_audit.rules import RULES

runner = CliRunner()
AS_OF = ["--as-of", "2026-01-01"]
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """sample_data audited once: the report, the notices, the disbursement list."""
    sample = SAMPLE
    out = tmp_path_factory.mktemp("forwarded")
    result = runner.invoke(
        app,
        [
            "audit",
            str(sample),
            *AS_OF,
            "-o",
            str(out / "report.xlsx"),
            "--notices",
            str(out / "notices"),
            "--payments",
            str(out / "pay.xlsx"),
            "--issuer",
            "桂林市人力资源和社会保障局",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1, result.output
    import json

    doc = json.loads(result.stdout)
    return out, doc


def _strings(book):
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


# English keys the report must never show in zh mode
ENGLISH_KEYS = (
    {r.name for r in RULES.values()}
    | {v for r in RULES.values() for v in r.evidence}
    | {"ok", "partial", "failed", "skipped", "eligible", "blocked", "undetermined"}
    | {"error", "warning", "info", "hours", "sessions", "True", "False"}
    | {"roster", "plan", "signin", "classes", "inspections", "callbacks", "followups"}
    | {"institutions", "dispatches", "effective"}
)
SLUG = re.compile(r"^[a-z]+(?:[-_][a-z]+)+$")  # attendance-below-threshold, min_rate_percent


def test_the_zh_report_holds_no_english_key_nor_raw_json(audited):
    out, _ = audited
    book = openpyxl.load_workbook(out / "report.xlsx")
    bad = []
    for sheet, cell in _strings(book):
        value = cell.value
        if isinstance(value, bool):
            bad.append((sheet, cell.coordinate, value))
        if not isinstance(value, str):
            continue
        text = value.strip()
        if text in ENGLISH_KEYS or SLUG.match(text) or text.startswith(("{", "[")):
            bad.append((sheet, cell.coordinate, value))
        if re.search(r"[a-z]+\.[a-z_]+_(percent|days|ids)", text):  # a dotted parameter
            bad.append((sheet, cell.coordinate, value))
    assert bad == []
    findings = book["问题清单"]
    headers = [c.value for c in findings[1]]
    assert headers[:4] == ["代码", "规则名称", "条款", "级别"]
    first: dict = {}
    for r in findings.iter_rows(min_row=2, values_only=True):
        first.setdefault(r[0], r)
    a0401 = first["A0401"]
    assert a0401[1] == RULE_TITLES["A0401"][0] and a0401[2] == "第4条" and a0401[3] == "错误"
    # the key numbers beside the sentence: rate, attended and planned hours
    rate, attended, planned = a0401[9:12]
    assert rate == attended / planned < 0.8 and f"{attended:g}/{planned:g}" in a0401[8]
    row = next(c.row for c in findings["A"] if c.value == "A0401")
    assert findings.cell(row, 10).number_format == "0.00%"
    reasons = [r[4] for r in book["补贴资格"].iter_rows(min_row=2, values_only=True) if r[4]]
    assert "A0401 到课率低于标准" in reasons


def test_the_cover_names_the_issuer_scope_conclusions_and_signatures(audited):
    out, doc = audited
    book = openpyxl.load_workbook(out / "report.xlsx")
    assert book.sheetnames[:2] == ["审核报告", "班级汇总"]
    cover = book["审核报告"]
    cells = {c.value for row in cover.iter_rows() for c in row if c.value is not None}
    assert "桂林市人力资源和社会保障局职业培训补贴审核报告" in cells
    assert {"审核人：", "复核人：", "负责人：", "日期："} <= cells
    rows = {r[0]: r[1:4] for r in cover.iter_rows(values_only=True) if r[0]}
    s = doc["summary"]
    assert rows["审核日期"][0] == "2026-01-01"
    assert rows["可拨付"][0] == s["eligible"] and rows["不可拨付"][0] == s["blocked"]
    assert rows["待核实"][0] == s["undetermined"]
    assert rows["合计"][0] == s["students"]
    assert "规则集未设定补贴标准，本报告不计算金额。" in cells  # no amount column
    assert "补贴金额（元）" not in cells
    assert cover._charts
    classes = book["班级汇总"]
    by_class = {r[0]: r for r in classes.iter_rows(min_row=2, values_only=True)}
    eligible = sum(
        e["status"] == "eligible" for e in doc["eligibility"] if e["class_id"] == "GL2020-001"
    )
    assert by_class["GL2020-001"][12] == eligible == 8
    assert by_class["GL2020-001"][1] == "桂林市华通职业培训学校"


def test_every_sheet_is_set_to_print_landscape_one_page_wide(audited):
    out, _ = audited
    for name in ("report.xlsx", "pay.xlsx"):
        book = openpyxl.load_workbook(out / name)
        for sheet in book:
            assert sheet.page_setup.orientation == "landscape", sheet.title
            assert sheet.page_setup.paperSize == 9, sheet.title  # A4
            assert sheet.page_setup.fitToWidth in (1, None), sheet.title
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
            if sheet.title != "审核报告":
                assert sheet.print_title_rows == "$1:$1", sheet.title


@pytest.mark.skipif(tools_missing(), reason=MISSING)
def test_libreoffice_prints_the_report_one_page_wide_with_headers_on_every_page(audited, tmp_path):
    """LibreOffice's PDF export is the test of print-ready: A4 landscape, every sheet
    one page wide (every page shows the sheet's whole header row), the cover one
    page, and fewer pages than the 34 portrait pages the report printed as before."""
    out, _ = audited
    report = tmp_path / "report.xlsx"
    shutil.copy(out / "report.xlsx", report)
    calls = tmp_path / "calls.xlsx"
    record = (["抽样对象", "随机种子"], [["GL2020-001", "3"]])
    names = [["GL2020-001", "吴艳", "450332********5091", "15920372674"] + [None] * 10] * 3
    excel.write_call_sheet(calls, CALL_HEADERS, names, CALL_CHOICES, {2, 3}, record)
    printed = pages(to_pdf(report, tmp_path, calls))
    book = openpyxl.load_workbook(report, read_only=True)
    headers = {
        s.title: [c.value for c in next(s.iter_rows(max_row=1))] for s in book.worksheets[1:]
    }
    assert printed and all(p.landscape for p in printed)
    assert all(round(p.width) == 842 and round(p.height) == 595 for p in printed)  # A4
    by_sheet: dict[str, list] = {}
    for p in printed:
        by_sheet.setdefault(p.sheet, []).append(p)
    assert list(by_sheet) == book.sheetnames, [p.sheet for p in printed]
    assert len(by_sheet["审核报告"]) == 1
    assert "桂林市人力资源和社会保障局职业培训补贴审核报告" in printed[0].text
    for sheet, its_pages in by_sheet.items():
        for p in its_pages:
            assert f"第 {p.number} 页，共 {len(printed)} 页" in p.text
            assert "审核日期 2026-01-01" in p.text
            if sheet == "审核报告":
                continue
            top = "".join("".join(p.lines[:5]).split())
            missing = [h for h in headers[sheet] if "".join(str(h).split()) not in top]
            assert missing == [], (sheet, p.number)
    assert len(by_sheet["问题清单"]) >= 1
    assert len(printed) <= 20, len(printed)
    # the call sheet: the fill-in columns print on the same page as the names
    call_headers = [c.value for c in openpyxl.load_workbook(calls)["电话回访"][1]]
    call_pages = [p for p in pages(tmp_path / "calls.pdf") if p.sheet == "电话回访"]
    assert call_pages and all(p.landscape for p in call_pages)
    for p in call_pages:
        top = "".join("".join(p.lines[:5]).split())
        assert [h for h in call_headers if h not in top] == [], p.number


def test_notices_one_per_institution_with_only_its_findings(audited):
    out, doc = audited
    folder = out / "notices"
    institutions = {f["institution"] for f in doc["findings"] if f["institution"]}
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [f"整改通知_{i}.xlsx" for i in institutions] + ["整改通知_（未填写培训机构）.xlsx"]
    )
    for inst in institutions:
        path = folder / f"整改通知_{inst}.xlsx"
        assert output_kind(path) == "notice"
        sheet = openpyxl.load_workbook(path)["整改通知"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[2][0] == f"致：{inst}"
        header = rows.index(next(r for r in rows if r[0] == "#"))
        assert rows[header][9:11] == ("整改情况", "完成日期")
        listed = [r for r in rows[header + 1 :] if isinstance(r[0], int)]
        expected = [
            f
            for f in doc["findings"]
            if f["institution"] == inst
            and f["article"] is not None
            and f["severity"] in ("error", "warning")
        ]
        assert [(r[1], r[7]) for r in listed] == [(f["class_id"], f["message"]) for f in expected]
        assert all(r[9] is None and r[10] is None for r in listed)  # blank, to fill in
        assert all(r[2].startswith("第") for r in listed)  # the article cited


def test_the_disbursement_list_pays_only_eligible_students_with_full_ids(audited, sample_dir):
    out, doc = audited
    path = out / "pay.xlsx"
    assert output_kind(path) == "payments"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["可拨付名单", "不可拨付及待核实"]
    pay = list(book["可拨付名单"].iter_rows(values_only=True))
    assert list(pay[0]) == [
        "班级编号",
        "培训机构",
        "培训工种",
        "等级",
        "培训类型",
        "结业日期",
        "姓名",
        "身份证号",
        "出勤学时",
        "出勤率",
    ]  # no 补贴金额: the shipped ruleset has no standards
    eligible = [e for e in doc["eligibility"] if e["status"] == "eligible"]
    assert [(r[0], r[6]) for r in pay[1:]] == [(e["class_id"], e["student_name"]) for e in eligible]
    ids = [r[7] for r in pay[1:]]
    assert all(isinstance(i, str) and len(i) == 18 and "*" not in i for i in ids)
    assert book["可拨付名单"]["H2"].data_type == "s"
    attendance = {(a["class_id"], a["student_name"]): a for a in doc["attendance"]}
    for r in pay[1:]:
        a = attendance[(r[0], r[6])]
        assert (r[8], r[9]) == (a["attended_hours"], a["rate"])
        assert a["rate"] >= 0.8
    others = list(book["不可拨付及待核实"].iter_rows(values_only=True))
    assert list(others[0]) == ["班级编号", "姓名", "身份证号", "状态", "原因"]
    assert len(others) - 1 == len(doc["eligibility"]) - len(eligible)
    assert {r[3] for r in others[1:]} <= {"不可拨付", "待核实"}
    assert all("********" in r[2] for r in others[1:] if r[2])  # masked by default
    assert all(re.search(r"[\u4e00-\u9fff]", r[4]) for r in others[1:])
    # neither the list nor a notice is read back as audit input
    loaded = load_paths([path, out / "notices"])
    assert all(f.status == "skipped" for f in loaded.inputs), [f.status for f in loaded.inputs]
    assert {p.code for f in loaded.inputs for p in f.problems} == {"own-report"}


def test_amounts_appear_only_when_the_ruleset_sets_standards(tmp_path):
    b = Bundle()
    b.marks[b.students[1]["姓名"]][:2] = ["缺", "缺"]  # 12/20 = 60%: blocked (A0401)
    folder = b.write(tmp_path / "in")
    ruleset = tmp_path / "subsidy.toml"
    ruleset.write_text(
        'name = "gl-subsidy"\neffective = 2020-08-20\n[subsidy.standards]\n"五级" = 1200\n"中级" = 1500\n',
        "utf-8",
    )
    pay = tmp_path / "pay.xlsx"
    report = tmp_path / "report.xlsx"
    result = runner.invoke(
        app,
        ["audit", str(folder), *AS_OF, "--ruleset", str(ruleset), "--payments", str(pay)]
        + ["-o", str(report), "--jobs", "1"],
    )
    assert result.exit_code == 1, result.output
    rows = list(openpyxl.load_workbook(pay)["可拨付名单"].iter_rows(values_only=True))
    assert rows[0][-1] == "补贴金额"
    ids = {s["身份证号"] for s in b.students} - {b.students[1]["身份证号"]}
    assert {r[7] for r in rows[1:]} == ids  # every other student, full ID
    assert [r[-1] for r in rows[1:]] == [1200] * 9  # 初级 = 五级
    others = list(openpyxl.load_workbook(pay)["不可拨付及待核实"].iter_rows(values_only=True))
    assert others[1][1:] == (
        b.students[1]["姓名"],
        b.students[1]["身份证号"][:6] + "********" + b.students[1]["身份证号"][-4:],
        "不可拨付",
        "A0401 到课率低于标准",
    )
    cover = openpyxl.load_workbook(report)["审核报告"]
    table = {r[0]: r[1:4] for r in cover.iter_rows(values_only=True) if r[0]}
    assert table["可拨付"] == (9, 1, 10800)
    assert table["合计"][2] == 10800


def test_nobody_is_on_the_disbursement_list_without_an_id_number(tmp_path):
    b = Bundle()
    b.students[2]["身份证号"] = None
    pay = tmp_path / "pay.xlsx"
    result = runner.invoke(
        app, ["audit", str(b.write(tmp_path / "in")), *AS_OF, "--payments", str(pay)]
    )
    assert result.exit_code in (0, 1), result.output
    book = openpyxl.load_workbook(pay)
    names = [r[6] for r in book["可拨付名单"].iter_rows(min_row=2, values_only=True)]
    assert len(names) == 9 and b.students[2]["姓名"] not in names
    others = list(book["不可拨付及待核实"].iter_rows(min_row=2, values_only=True))
    assert others == [
        (
            "C1",
            b.students[2]["姓名"],
            None,
            "待核实",
            "名册没有身份证号，无法拨付（补填身份证号后重新审核）",
        )
    ]


def test_the_disbursement_list_needs_an_xlsx_of_its_own(tmp_path):
    (tmp_path / "in").mkdir()
    same = tmp_path / "r.xlsx"
    for args, message in (
        (["-o", str(same), "--payments", str(same)], "与 --output 是同一个文件"),
        (["--payments", str(tmp_path / "p.csv")], "拨付名单必须是 .xlsx 文件"),
    ):
        result = runner.invoke(app, ["audit", str(tmp_path / "in"), *args])
        assert result.exit_code == 2 and message in result.output
    assert not same.exists()


def test_a_subsidy_standard_must_be_a_non_negative_number(tmp_path):
    ruleset = tmp_path / "bad.toml"
    ruleset.write_text('effective = 2020-08-20\n[subsidy.standards]\n"初级" = -5\n', "utf-8")
    result = runner.invoke(app, ["audit", str(tmp_path), "--ruleset", str(ruleset)])
    assert result.exit_code == 2 and "subsidy.standards.初级" in result.output


def _headers(path):
    return {s.title: [c.value for c in s[1]] for s in openpyxl.load_workbook(path)}


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_command_writes_chinese_headers_and_values(sample_dir, tmp_path):
    written = {}
    for command, extra in (
        ("review", []),
        ("spotcheck", ["--seed", "42"]),
        ("callbacks", []),
        ("callbacks", ["--sample", "--seed", "7"]),
    ):
        out = tmp_path / f"{command}{len(extra)}.xlsx"
        result = runner.invoke(
            app,
            [
                command,
                str(sample_dir),
                *AS_OF[: 2 * (command != "spotcheck")],
                *extra,
                "-o",
                str(out),
            ],
        )
        assert result.exit_code in (0, 1), result.output
        written[(command, bool(extra))] = out
        book = openpyxl.load_workbook(out)
        for sheet, cell in _strings(book):
            assert not isinstance(cell.value, bool), (command, sheet, cell.coordinate)
            if cell.row == 1 and cell.value is not None:
                assert HAN.search(str(cell.value)), (command, sheet, cell.value)
            if isinstance(cell.value, str):
                assert not SLUG.match(cell.value) and cell.value not in ENGLISH_KEYS
        for sheet in book:
            assert sheet.page_setup.orientation == "landscape"
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
    review = _headers(written[("review", False)])["年审评分"]
    assert review[:4] == ["培训机构", "班级数", "学员数", "平均到课率"]
    spot = openpyxl.load_workbook(written[("spotcheck", True)])
    assert spot.sheetnames == ["市级抽查", "抽样记录"]
    record = list(spot["抽样记录"].iter_rows(values_only=True))
    assert record[0] == (
        "抽样对象",
        "随机种子",
        "抽样方法",
        "比例%",
        "抽样框数量",
        "样本数",
        "抽样框 SHA-256",
        "复现命令",
    )
    assert record[1][1] == "42" and record[1][4] == 5 and len(record[1][6]) == 64
    assert record[1][7] == f"peixun-audit spotcheck {sample_dir} --seed 42"
    calls = openpyxl.load_workbook(written[("callbacks", True)])
    assert calls.sheetnames == ["电话回访", "抽样记录"]
    command = calls["抽样记录"]["H2"].value
    assert command == f"peixun-audit callbacks {sample_dir} --sample --as-of 2026-01-01 --seed 7"
    callbacks = _headers(written[("callbacks", False)])["电话回访情况"]
    assert callbacks[-1] == "达标"


def test_templates_print_one_page_wide_with_their_header_on_every_page(tmp_path):
    result = runner.invoke(app, ["template", "-o", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    books = sorted((tmp_path / "t").glob("*.xlsx"))
    assert books
    for path in books:
        sheet = openpyxl.load_workbook(path).worksheets[0]
        assert sheet.page_setup.orientation == "landscape", path.name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, path.name
        assert sheet.print_title_rows == "$1:$1", path.name
