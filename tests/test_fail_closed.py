"""Issue 11: the audit fails closed — nobody is eligible on missing evidence or on a
partial audit, and nothing the user typed is ignored silently."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from peixun_audit.cli import app

runner = CliRunner()
AS_OF = ["--as-of", "2026-01-01", "--jobs", "1"]


def _json(args: list[str]) -> tuple[int, dict]:
    result = runner.invoke(app, [*args, *AS_OF, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_rule_code_is_a_usage_error(sample_dir, option):
    result = runner.invoke(app, ["audit", str(sample_dir), option, "A99,Z", *AS_OF])
    assert result.exit_code == 2
    assert "A99" in result.output and "A04" in result.output  # names the valid prefixes


def test_a_partial_selection_leaves_everyone_undetermined(sample_dir):
    status, doc = _json(["audit", str(sample_dir), "--select", "A04"])
    assert status == 1
    summary = doc["summary"]
    assert summary["eligible"] == 0 and summary["audit_complete"] is False
    assert summary["undetermined"] > 0
    assert summary["blocked"] + summary["undetermined"] == summary["students"]
    [why] = doc["incomplete"]
    assert why["reason"] == "rules-not-run" and "A0101" in why["items"]
    assert {e["status"] for e in doc["eligibility"]} == {"blocked", "undetermined"}
    assert not any(e["eligible"] for e in doc["eligibility"])


def test_the_attendance_command_alone_pays_nobody(sample_dir):
    status, doc = _json(["attendance", str(sample_dir)])
    assert doc["summary"]["eligible"] == 0
    table = runner.invoke(app, ["attendance", str(sample_dir), *AS_OF])
    assert "审核不完整" in table.output and "待核实" in table.output


def test_the_whole_rulebook_can_find_students_eligible(sample_dir):
    _, doc = _json(["audit", str(sample_dir)])
    assert doc["summary"]["audit_complete"] is True and doc["incomplete"] == []
    assert doc["summary"]["eligible"] > 0
    eligible = [e for e in doc["eligibility"] if e["eligible"]]
    assert all(e["status"] == "eligible" and e["reasons"] == [] for e in eligible)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[attendence]\nmin_rate_percent = 90\n", "attendence"),
        ("[attendance]\nmin_rate_persent = 90\n", "attendance.min_rate_persent"),
        ('[attendance]\nmin_rate_percent = "90"\n', "attendance.min_rate_percent"),
        ("[attendance]\nmin_rate_percent = 190\n", "attendance.min_rate_percent"),
        ("[fraud]\nmin_age = -1\n", "fraud.min_age"),
        ('[calendar]\nholidays = ["2027-13-01"]\n', "calendar.holidays"),
        ("attendance = 80\n", "attendance"),
    ],
)
def test_a_ruleset_mistake_is_a_usage_error_naming_the_key(sample_dir, tmp_path, text, key):
    ruleset = tmp_path / "r.toml"
    ruleset.write_text("effective = 2021-01-01\n" + text, "utf-8")
    result = runner.invoke(app, ["audit", str(sample_dir), "--ruleset", str(ruleset), *AS_OF])
    assert result.exit_code == 2, result.output
    assert key in result.output
    assert "Traceback" not in result.output


def test_a_valid_override_is_used(sample_dir, tmp_path):
    ruleset = tmp_path / "r.toml"
    ruleset.write_text("effective = 2020-08-20\n[attendance]\nmin_rate_percent = 70\n", "utf-8")
    _, strict = _json(["audit", str(sample_dir)])
    _, lenient = _json(["audit", str(sample_dir), "--ruleset", str(ruleset)])
    below = [f for f in strict["findings"] if f["code"] == "A0401"]
    assert len([f for f in lenient["findings"] if f["code"] == "A0401"]) < len(below)


BOOM = """
import sys
import peixun_audit.cli as cli
def boom(*a, **k):
    raise ValueError("450302199001011234 went wrong")
cli.app = boom
sys.argv = ["peixun-audit", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.parametrize("debug", [False, True])
def test_an_internal_error_is_one_line_and_exit_2(debug):
    args = ["--debug"] if debug else []
    proc = subprocess.run(
        [sys.executable, "-c", BOOM, *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "内部错误" in proc.stderr and "ValueError" in proc.stderr
    assert "450302199001011234" not in proc.stderr.splitlines()[-1]  # masked in the line
    assert ("Traceback" in proc.stderr) is debug


# --- the class dossier: each required document removed in turn blocks the class

DOSSIER_CASES = [
    ("classes", {"drop": {"classes": "all"}}, "A0303"),
    ("plan", {"drop": {"plan": "all"}}, "A0406"),
    ("roster", {"drop": {"roster": "all"}}, "A0508"),
    ("signin", {"drop": {"signin": "all"}}, "A0407"),
    ("inspections", {"drop": {"inspections": "all"}}, "A1001"),
    ("callbacks", {"drop": {"callbacks": "all"}}, "A1204"),
    ("followups", {"base": "entrepreneurship", "drop": {"followups": "all"}}, "A0704"),
    (
        "agreement",
        {"base": "project", "update": {"classes": {0: {"agreement_date": None}}}},
        "A0601",
    ),
]


@pytest.mark.parametrize(
    ("document", "case", "code"), DOSSIER_CASES, ids=[c[0] for c in DOSSIER_CASES]
)
def test_a_missing_document_blocks_the_class_and_is_named(document, case, code):
    from rulecases import run_case

    from peixun_audit.rules import RULES

    complete = run_case({"base": case.get("base", "plain")}, list(RULES))
    assert complete.eligibility["status"].eq("eligible").all()
    assert [d["complete"] for d in complete.dossiers] == [True]

    result = run_case(case, list(RULES))
    errors = {f.code for f in result.findings if RULES[f.code].severity == "error"}
    assert code in errors, errors
    [dossier] = result.dossiers
    assert dossier["complete"] is False
    assert dossier["documents"][document]["files"] == []
    assert dossier["documents"][document]["required"] is True
    assert len(result.eligibility) and result.eligibility["status"].eq("blocked").all()
    assert all(code in reasons for reasons in result.eligibility["reasons"])


def test_a_roster_alone_pays_nobody_and_says_what_is_missing(tmp_path):
    from conftest import write_book
    from rulecases import student

    rows = [student(i) for i in range(8)]
    headers = ["班级编号", "姓名", "性别", "身份证号", "文化程度", "家庭住址", "联系电话"]
    keys = ["class_id", "name", "gender", "id_number", "education", "address", "phone"]
    write_book(
        tmp_path / "学员名单.xlsx",
        {"学员名册": [headers] + [[r[k] for k in keys] for r in rows]},
    )
    for command in ("attendance", "audit"):
        status, doc = _json([command, str(tmp_path)])
        assert doc["summary"]["eligible"] == 0 and doc["summary"]["students"] == 8
        if command == "attendance":  # only Article 4 ran: undetermined, and said why
            assert doc["summary"]["undetermined"] == 8
            assert doc["incomplete"][0]["reason"] == "rules-not-run"
            continue
        assert status == 1
        codes = {f["code"] for f in doc["findings"]}
        if command == "audit":
            assert "A0303" in codes  # no class record: named, and blocking
            [dossier] = doc["dossiers"]
            missing = {
                k for k, d in dossier["documents"].items() if d["required"] and not d["files"]
            }
            assert {"classes", "plan", "signin", "inspections"} <= missing


def test_an_archive_that_may_hold_workbooks_leaves_the_audit_undetermined(sample_dir, tmp_path):
    import shutil

    folder = tmp_path / "in"
    shutil.copytree(sample_dir, folder)
    (folder / "notes.txt").write_text("会议记录", "utf-8")  # listed for the record only
    _, plain = _json(["audit", str(folder)])
    assert plain["summary"]["audit_complete"] is True and plain["summary"]["eligible"] == 20
    (folder / "第二批材料.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    _, doc = _json(["audit", str(folder)])
    assert doc["summary"]["eligible"] == 0
    assert doc["summary"]["undetermined"] == 20  # the students not blocked
    [why] = doc["incomplete"]
    assert why["reason"] == "files-not-read" and why["items"][0].endswith("第二批材料.zip")


def test_one_class_workbook_without_the_city_tables_pays_nobody(sample_dir):
    """Its plan dates have no year and no class record gives one: the plan cannot be
    used, and the class record itself is missing — blocked, and said."""
    book = sample_dir / "GL2020-001_电工培训班.xlsx"
    status, doc = _json(["audit", str(book)])
    assert status == 1
    assert doc["summary"]["eligible"] == 0 and doc["summary"]["students"] > 0
    [record] = [f for f in doc["findings"] if f["code"] == "A0303"]
    assert "plan" in record["evidence"]["tables"]
    problems = [p["message"] for i in doc["inputs"] for p in i["problems"]]
    assert any("未写年份" in m for m in problems)


def test_a_class_still_running_on_the_audit_date_is_undetermined(sample_dir):
    result = runner.invoke(
        app, ["audit", str(sample_dir), "--as-of", "2020-09-10", "-j", "1", "-f", "json"]
    )  # GL2020-001 runs 09-07 to 09-11
    doc = json.loads(result.stdout)
    assert doc["summary"]["eligible"] == 0
    reasons = [i["reason"] for i in doc["incomplete"]]
    assert "classes-not-ended" in reasons
    first = [e for e in doc["eligibility"] if e["class_id"] == "GL2020-001"]
    assert {e["status"] for e in first} <= {"blocked", "undetermined"}
    assert any("class-not-ended" in e["reasons"] for e in first)


def test_without_the_institutions_register_nobody_is_eligible(sample_dir, tmp_path):
    import shutil

    folder = tmp_path / "in"
    shutil.copytree(sample_dir, folder)
    (folder / "市级汇总" / "培训机构名录.xlsx").unlink()
    _, doc = _json(["audit", str(folder)])
    assert doc["summary"]["eligible"] == 0 and doc["summary"]["undetermined"] == 20
    assert [i["reason"] for i in doc["incomplete"]] == ["register-missing"]


def test_an_override_that_applies_to_no_class_is_named(sample_dir, tmp_path):
    ruleset = tmp_path / "r.toml"
    ruleset.write_text(
        'name = "local"\neffective = 2021-08-20\n[attendance]\nmin_rate_percent = 90\n', "utf-8"
    )
    result = runner.invoke(app, ["audit", str(sample_dir), "--ruleset", str(ruleset), *AS_OF])
    assert result.exit_code == 1
    assert "local" in result.output and "没有适用于任何班级" in result.output
    _, doc = _json(["audit", str(sample_dir), "--ruleset", str(ruleset)])
    assert {r["name"]: r["classes"] for r in doc["ruleset"]}["local"] == 0


def test_a_student_without_an_id_number_is_never_eligible(tmp_path):
    """An ID number left blank is a warning of Article 5 (A0501), but nobody can be paid
    without one: the student is 待核实 with the reason, the others are unaffected."""
    from bundle import Bundle

    b = Bundle(n_students=6)
    b.students[2]["身份证号"] = None
    result = b.audit(tmp_path)
    status = result.eligibility.set_index("student_name")
    missing = b.students[2]["姓名"]
    assert status.loc[missing, "status"] == "undetermined"
    assert status.loc[missing, "reasons"] == ["id-number-missing"]
    assert [f.code for f in result.findings if f.student_name == missing] == ["A0501"]
    others = status.drop(index=[missing, b.students[0]["姓名"]])  # student 0 sits at 80%
    assert set(others["status"]) == {"eligible"}
