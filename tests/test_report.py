"""The audit command end to end: JSON against the committed schema, the Excel report,
languages, selection, rulesets and the calendar."""

import datetime as dt
import json
from importlib import resources

import jsonschema
import openpyxl
from typer.testing import CliRunner

from peixun_audit.calendar import WorkCalendar
from peixun_audit.cli import app
from peixun_audit.rules import RULES

runner = CliRunner()
AS_OF = ["--as-of", "2026-01-01"]


def schema():
    return json.loads(
        resources.files("peixun_audit.report").joinpath("schema.json").read_text("utf-8")
    )


def test_audit_json_validates_against_schema(sample_dir):
    result = runner.invoke(app, ["audit", str(sample_dir), "--format", "json", *AS_OF])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, schema())
    assert {f["code"] for f in doc["findings"]} >= {"A0101", "X0501"}
    assert all("舞弊风险信号" in f["message"] for f in doc["findings"] if f["code"].startswith("X"))


def test_schema_rejects_a_finding_without_its_article(sample_dir):
    doc = json.loads(
        runner.invoke(app, ["audit", str(sample_dir), "--format", "json", *AS_OF]).stdout
    )
    del doc["findings"][0]["article"]
    try:
        jsonschema.validate(doc, schema())
    except jsonschema.ValidationError:
        return
    raise AssertionError("the schema accepted a finding without 'article'")


def test_audit_terminal_chinese_and_english(sample_dir):
    zh = runner.invoke(app, ["audit", str(sample_dir), *AS_OF], env={"COLUMNS": "220"})
    assert "问题清单" in zh.output and "可拨付" in zh.output and "第4条" in zh.output
    en = runner.invoke(
        app, ["audit", str(sample_dir), "--lang", "en", *AS_OF], env={"COLUMNS": "220"}
    )
    assert "Findings" in en.output and "Eligible" in en.output
    assert "不得结业" not in en.output


def test_excel_report(sample_dir, tmp_path):
    out = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["audit", str(sample_dir), "--output", str(out), *AS_OF])
    assert result.exit_code == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "审核报告",
        "班级汇总",
        "问题清单",
        "到课率",
        "补贴资格",
        "班级材料",
        "输入文件",
        "规则参数",
    ]
    for name in book.sheetnames[1:]:  # the cover has no table header to freeze
        assert book[name].freeze_panes == "A2", name
    sheet = book["问题清单"]
    assert sheet.auto_filter.ref
    headers = [c.value for c in sheet[1]]
    severity_col = headers.index("级别")
    rows = list(sheet.iter_rows(min_row=2))
    error_row = next(r for r in rows if r[severity_col].value == "错误")
    warning_row = next(r for r in rows if r[severity_col].value == "警告")
    assert error_row[0].font.color.rgb.endswith("C00000")
    assert warning_row[0].font.color is None or not str(warning_row[0].font.color.rgb).endswith(
        "C00000"
    )
    assert book["审核报告"]._charts, "the cover has a chart of findings per article"
    # every ID in the report is masked
    ids = [c.value for c in book["到课率"]["C"][1:] if c.value]
    assert ids and all("********" in i for i in ids)


def test_csv_output_and_formula_injection(tmp_path):
    from conftest import class_row, table, write_book

    write_book(tmp_path / "a.xlsx", {"开班信息": table([class_row(cid="=HYPERLINK(1)")])})
    out = tmp_path / "f.csv"
    runner.invoke(app, ["audit", str(tmp_path), "--output", str(out), *AS_OF])
    text = out.read_text("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    xlsx = tmp_path / "f.xlsx"
    runner.invoke(app, ["audit", str(tmp_path), "--output", str(xlsx), *AS_OF])
    cells = [c for row in openpyxl.load_workbook(xlsx)["问题清单"].iter_rows() for c in row]
    assert any(c.value == "=HYPERLINK(1)" and c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for c in cells)


def test_select_and_ignore_by_prefix(sample_dir):
    doc = json.loads(
        runner.invoke(
            app,
            [
                "audit",
                str(sample_dir),
                "--format",
                "json",
                "--select",
                "A05,X",
                "--ignore",
                "X02",
                *AS_OF,
            ],
        ).stdout
    )
    codes = {f["code"] for f in doc["findings"]}
    assert codes and all(c.startswith(("A05", "X")) for c in codes)
    assert not any(c.startswith("X02") for c in codes)


def test_fail_on(sample_dir):
    assert (
        runner.invoke(app, ["audit", str(sample_dir), "--select", "X05", *AS_OF]).exit_code == 0
    )  # info only
    assert (
        runner.invoke(app, ["audit", str(sample_dir), "--select", "X02", *AS_OF]).exit_code == 0
    )  # warnings
    assert (
        runner.invoke(
            app, ["audit", str(sample_dir), "--select", "X02", "--fail-on", "warning", *AS_OF]
        ).exit_code
        == 1
    )


def test_ruleset_override_changes_a_threshold(sample_dir, tmp_path):
    ruleset = tmp_path / "strict.toml"
    ruleset.write_text(
        'name = "strict"\neffective = 2020-08-20\n[attendance]\nmin_rate_percent = 90\n', "utf-8"
    )
    doc = json.loads(
        runner.invoke(
            app,
            [
                "audit",
                str(sample_dir),
                "--format",
                "json",
                "--select",
                "A0401",
                "--ruleset",
                str(ruleset),
                *AS_OF,
            ],
        ).stdout
    )
    names = {f["student_name"] for f in doc["findings"]}
    assert "高春梅" in names  # 80% passes at 80, fails at 90
    assert doc["ruleset"][-1]["name"] == "strict"
    explained = runner.invoke(app, ["rules", "A0401", "--ruleset", str(ruleset)])
    assert "min_rate_percent = 90" in explained.output


def test_rules_listing():
    result = runner.invoke(app, ["rules", "--format", "json"])
    listing = json.loads(result.stdout)
    assert len(listing) == len(RULES)
    assert {
        "code": "A0301",
        "name": "application-late",
        "title": "开班申请不足 3 个工作日",  # the name in the report language
        "article": 3,
        "severity": "error",
    } in listing


def test_calendar_make_up_days_and_unknown_years():
    cal = WorkCalendar()
    assert cal.workdays_between(dt.date(2020, 9, 30), dt.date(2020, 10, 12)) == 2
    assert cal.is_workday(dt.date(2020, 10, 10))  # 调休 Saturday
    assert not cal.is_workday(dt.date(2020, 10, 5))  # National Day holiday Monday
    assert (
        cal.workdays_between(dt.date(2031, 1, 6), dt.date(2031, 1, 10)) == 3
    )  # Mon..Fri, unknown year
    assert cal.unknown_years == {2031}
    listed = WorkCalendar(holidays=["2031-01-08"], workdays=["2031-01-11"])
    assert listed.workdays_between(dt.date(2031, 1, 6), dt.date(2031, 1, 12)) == 4
    assert listed.unknown_years == set()
