"""Values and names that used to end the run (issue 13, first round): markup and
control characters in cells and names, non-finite and pathological plan hours."""

from __future__ import annotations

import json

from bundle import Bundle
from typer.testing import CliRunner

from peixun_audit.cli import app

runner = CliRunner()
ARGS = ["--as-of", "2026-01-01", "--jobs", "1"]


def _rename_student(b: Bundle, i: int, name: str) -> None:
    old = b.students[i]["姓名"]
    b.students[i]["姓名"] = name
    b.marks[name] = b.marks.pop(old)


def test_markup_and_control_characters_are_printed_as_text(tmp_path):
    b = Bundle()
    _rename_student(b, 0, "[/bold]张三")
    _rename_student(b, 1, "李\u202e四")  # a right-to-left override (openpyxl refuses ESC)
    b.marks["[/bold]张三"][0] = "请假"  # below 80%: a finding names the student
    folder = tmp_path / "[red]数据"
    b.write(folder)
    result = runner.invoke(app, ["audit", str(folder), *ARGS], env={"COLUMNS": "250"})
    assert result.exit_code == 1, result.output[-1500:]
    assert "[/bold]张三" in result.output
    assert "\u202e" not in result.output  # a control character never reaches a terminal
    report = tmp_path / "[/b]报告.xlsx"
    written = runner.invoke(app, ["audit", str(folder), "-o", str(report), *ARGS])
    assert written.exit_code == 1 and report.stat().st_size > 1000, written.output[-1500:]


def test_non_finite_plan_hours_are_refused_not_computed(tmp_path):
    b = Bundle()
    b.plan[0]["课时"] = "1e400"
    b.plan[1]["课时"] = float("nan")
    result = runner.invoke(app, ["audit", str(b.write(tmp_path)), "-f", "json", *ARGS])
    assert result.exit_code in (0, 1), result.output[-1500:]
    doc = json.loads(result.stdout)
    problems = [p for i in doc["inputs"] for p in i["problems"]]
    assert any("课时" in p["message"] and p["cell"] for p in problems), problems


def test_hours_with_odd_fractions_do_not_overflow(tmp_path):
    b = Bundle()
    b.plan[0]["课时"] = 4 + 1 / 997
    b.plan[1]["课时"] = 4 + 1 / 991
    result = runner.invoke(app, ["audit", str(b.write(tmp_path)), "-f", "json", *ARGS])
    assert result.exit_code in (0, 1), result.output[-1500:]
    doc = json.loads(result.stdout)
    # hours are exact to the minute: 4 h 0.06 min is 4 h
    assert {r["planned_hours"] for r in doc["attendance"]} == {20}


def _run(args: list[str], **kwargs):
    import os
    import subprocess
    import sys

    env = {**os.environ, **kwargs.pop("env", {})}
    return subprocess.run(
        [sys.executable, "-m", "peixun_audit", *args], env=env, timeout=120, **kwargs
    )


def test_a_gbk_console_never_fails(sample_dir, tmp_path):
    """Chinese Windows redirecting to a file: a character GBK lacks is replaced."""
    out = tmp_path / "out.txt"
    with out.open("wb") as fh:
        proc = _run(
            ["callbacks", str(sample_dir), *ARGS],
            env={"PYTHONIOENCODING": "gbk"},
            stdout=fh,
            stderr=__import__("subprocess").PIPE,
        )
    assert proc.returncode in (0, 1), proc.stderr.decode("gbk", "replace")[-800:]
    text = out.read_bytes().decode("gbk")
    assert "电话回访" in text
    # the marks GBK lacks have their plain fallback, not a "?" in their place
    assert "  x A1203 " in text and "达标" in text and "?" not in text


CLOSED_STDOUT = """
import os, sys
os.close(1)
sys.stdout = None  # what Python sets when it starts with stdout closed (>&-)
sys.argv = ["peixun-audit", *sys.argv[1:]]
from peixun_audit.__main__ import run
run()
"""


def test_a_closed_stdout_still_writes_the_report(sample_dir, tmp_path):
    import subprocess
    import sys

    report = tmp_path / "r.xlsx"
    args = ["audit", str(sample_dir), "-o", str(report), *ARGS]
    proc = subprocess.run(
        [sys.executable, "-c", CLOSED_STDOUT, *args],
        capture_output=False,
        timeout=120,
        stderr=subprocess.PIPE,
    )
    assert proc.returncode == 1, proc.stderr[-800:]
    assert report.stat().st_size > 1000


def test_json_on_a_gbk_console_keeps_every_character(tmp_path):
    """GBK lacks 䶮: JSON to such a stream is escaped, never a silent '?'."""
    import subprocess

    b = Bundle()
    _rename_student(b, 0, "胡䶮")
    b.marks["胡䶮"][0] = "请假"  # a finding names her
    folder = b.write(tmp_path / "in")
    out = tmp_path / "out.json"
    with out.open("wb") as fh:
        proc = _run(
            ["audit", str(folder), "-f", "json", *ARGS],
            env={"PYTHONIOENCODING": "gbk"},
            stdout=fh,
            stderr=subprocess.PIPE,
        )
    assert proc.returncode == 1, proc.stderr[-800:]
    doc = json.loads(out.read_bytes().decode("ascii"))
    assert "胡䶮" in {f["student_name"] for f in doc["findings"]}
