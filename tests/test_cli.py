import json

import openpyxl
from typer.testing import CliRunner

from peixun_audit.cli import app

runner = CliRunner()


def test_attendance_table_on_sample_data(sample_dir):
    result = runner.invoke(app, ["attendance", str(sample_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output  # sample data plants A0401 errors
    assert "学员到课率" in result.output
    assert "80.00%" in result.output


def test_attendance_json_keys_and_masking(sample_dir):
    result = runner.invoke(app, ["attendance", str(sample_dir), "--format", "json"])
    doc = json.loads(result.stdout)
    assert set(doc) >= {
        "tool",
        "version",
        "ruleset",
        "as_of",
        "inputs",
        "findings",
        "attendance",
        "eligibility",
        "summary",
    }
    row = doc["attendance"][0]
    assert set(row) >= {
        "class_id",
        "student_name",
        "id_number",
        "planned_hours",
        "attended_hours",
        "rate",
    }
    assert 0 <= row["rate"] <= 1
    ids = [r["id_number"] for r in doc["attendance"] if r["id_number"]]
    assert ids and all("********" in i for i in ids)
    finding = doc["findings"][0]
    assert list(finding) == [
        "code",
        "variant",
        "name",
        "article",
        "severity",
        "class_id",
        "institution",
        "student_name",
        "id_number",
        "message",
        "evidence",
        "source",
    ]


def test_show_pii_reveals_ids(sample_dir):
    result = runner.invoke(app, ["attendance", str(sample_dir), "--format", "json", "--show-pii"])
    ids = [r["id_number"] for r in json.loads(result.stdout)["attendance"] if r["id_number"]]
    assert ids and not any("*" in i for i in ids)


def test_english(sample_dir):
    result = runner.invoke(app, ["attendance", str(sample_dir), "--format", "json", "--lang", "en"])
    doc = json.loads(result.stdout)
    assert any("below 80%" in f["message"] for f in doc["findings"])


def test_csv_and_xlsx_outputs(sample_dir, tmp_path):
    result = runner.invoke(app, ["attendance", str(sample_dir), "--format", "csv"])
    header = result.stdout.splitlines()[0]
    assert header.startswith("班级编号,姓名,身份证号") and header.endswith(",peixun-audit")
    result = runner.invoke(app, ["attendance", str(sample_dir), "-f", "csv", "--lang", "en"])
    assert result.stdout.splitlines()[0].startswith("class_id,student_name,id_number")
    out = tmp_path / "r.xlsx"
    result = runner.invoke(
        app, ["attendance", str(sample_dir), "--output", str(out), "--fail-on", "never"]
    )
    assert result.exit_code == 0
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
    assert book["问题清单"].freeze_panes == "A2"


def test_exit_codes(tmp_path, sample_dir):
    assert runner.invoke(app, ["attendance", str(tmp_path / "missing")]).exit_code == 2
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    assert runner.invoke(app, ["attendance", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["attendance", str(sample_dir), "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, ["attendance", str(sample_dir), "--as-of", "someday"]).exit_code == 2


def test_rules_command_explains_a_rule():
    result = runner.invoke(app, ["rules", "A0401"])
    assert result.exit_code == 0
    assert "attendance-below-threshold" in result.output
    assert "attendance.min_rate_percent = 80" in result.output
    assert runner.invoke(app, ["rules", "Z9999"]).exit_code == 2
