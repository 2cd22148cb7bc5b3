"""Outputs never destroy data (SPEC §9): an output that is an input is refused, a
missing folder is created, an unwritable one is one line and exit 2 before any audit
work, a write failing or killed half-way leaves the previous file as it was, two runs
writing the same file leave one complete file, and every workbook the tool writes says
what it is (``output_kind``)."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from peixun_audit import cli
from peixun_audit.cli import app
from peixun_audit.report import csv_out, excel
from peixun_audit.report.output import (
    OutputError,
    atomic_path,
    is_temp_name,
    output_kind,
    prepare_output,
    write_text,
)

runner = CliRunner()
ROSTER = "GL2020-001_电工培训班.xlsx"
REPORT_SHEETS = [
    "审核报告",
    "班级汇总",
    "问题清单",
    "到课率",
    "补贴资格",
    "班级材料",
    "输入文件",
    "规则参数",
]


@pytest.fixture
def inputs(sample_dir, tmp_path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(sample_dir, folder)
    return folder


def _no_audit(monkeypatch) -> None:
    """Make any audit work fail the test: the pre-flight check must come first."""

    def refuse(*args, **kwargs):
        raise AssertionError("the audit ran before the output was checked")

    monkeypatch.setattr(cli, "load_paths", refuse)


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".~")]


# --- pre-flight


def test_output_onto_an_input_is_refused_and_the_input_untouched(inputs, monkeypatch):
    _no_audit(monkeypatch)
    target = inputs / ROSTER
    before = target.read_bytes()
    spelled = [target, inputs / ".." / "in" / ROSTER]  # found in the folder; another spelling
    for output in spelled:
        result = runner.invoke(app, ["audit", str(inputs), "-o", str(output), "--jobs", "1"])
        assert result.exit_code == 2, result.output
        assert "输入文件之一" in result.output and "Traceback" not in result.output
    # a file given by name, written to as .json/.csv, and in English
    result = runner.invoke(app, ["validate", str(target), "-o", str(target), "--lang", "en"])
    assert result.exit_code == 2 and "one of the input files" in result.output
    assert target.read_bytes() == before
    assert _leftovers(inputs) == []


def test_a_hard_link_to_an_input_is_the_same_file(inputs, tmp_path, monkeypatch):
    _no_audit(monkeypatch)
    link = tmp_path / "link.xlsx"
    try:
        os.link(inputs / ROSTER, link)
    except OSError:
        pytest.skip("no hard links here")
    result = runner.invoke(app, ["attendance", str(inputs), "-o", str(link)])
    assert result.exit_code == 2, result.output
    assert link.read_bytes() == (inputs / ROSTER).read_bytes()


def test_the_tools_own_earlier_report_among_the_inputs_is_replaced(inputs, tmp_path):
    """Re-running with the report inside the audited folder is the ordinary case: the
    tool's own report is not data, and SPEC §9 does not read it again. A call sheet is
    filled in by hand: it is data."""
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(inputs / ROSTER, folder)
    report = folder / "report.xlsx"
    excel.write_sheets(report, [("问题清单", ["code"], [["A0401"]], set())])
    own_csv = folder / "report.csv"  # CSV files in a folder are inputs too
    csv_out.write([{"code": "A0401", "class_id": "C1", "severity": "error"}], own_csv)
    for own in (report, own_csv):
        before = own.read_bytes()
        again = runner.invoke(app, ["audit", str(folder), "-o", str(own), "--jobs", "1"])
        assert again.exit_code == 1, again.output
        assert own.read_bytes() != before
    assert output_kind(report) == "report"
    calls = folder / "calls.xlsx"
    excel.write_call_sheet(calls, ["姓名"], [["张三"]], {}, set(), (["种子"], [[1]]))
    names = folder / "名单.csv"
    names.write_text("姓名,身份证号\n张三,1\n", "utf-8")
    for data in (calls, names):
        before = data.read_bytes()
        refused = runner.invoke(app, ["audit", str(folder), "-o", str(data), "--jobs", "1"])
        assert refused.exit_code == 2 and data.read_bytes() == before, refused.output


def test_a_missing_folder_is_created(inputs, tmp_path):
    output = tmp_path / "报告" / "2020" / "审核.xlsx"
    result = runner.invoke(app, ["audit", str(inputs / ROSTER), "-o", str(output), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert openpyxl.load_workbook(output, read_only=True).sheetnames == REPORT_SHEETS
    assert _leftovers(output.parent) == []


COMMANDS = [
    ["audit"],
    ["attendance"],
    ["validate"],
    ["callbacks"],
    ["callbacks", "--sample", "--seed", "1"],
    ["spotcheck", "--seed", "1"],
    ["review"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".csv"])
def test_an_unwritable_output_is_one_line_and_exit_2_before_any_work(
    command, suffix, inputs, tmp_path, monkeypatch
):
    # a path under a regular file fails for every user, root included
    (tmp_path / "somefile.txt").write_text("x")
    output = tmp_path / "somefile.txt" / f"report{suffix}"
    _no_audit(monkeypatch)
    result = runner.invoke(app, [*command, str(inputs), "-o", str(output)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and str(output) in lines[0] and "不是文件夹" in lines[0], lines


def test_an_output_that_is_a_folder_is_refused(inputs, tmp_path, monkeypatch):
    _no_audit(monkeypatch)
    (tmp_path / "out.xlsx").mkdir()
    result = runner.invoke(app, ["audit", str(inputs), "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2 and "是文件夹" in result.output, result.output


def test_prepare_output_reasons_in_both_languages(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError) as caught:
        prepare_output(tmp_path / "f" / "sub" / "r.xlsx", [])
    assert caught.value.message("en").startswith("cannot write the output")
    assert "is not a folder" in caught.value.message("en")
    assert "不是文件夹" in caught.value.message("zh")
    disk_full = OutputError("output_unwritable", tmp_path / "r.xlsx", OSError(errno.ENOSPC, "x"))
    assert "磁盘空间不足" in disk_full.message("zh")
    assert "no space left" in disk_full.message("en")
    assert prepare_output(tmp_path / "new" / "r.xlsx", [tmp_path / "f"]) == tmp_path / "new" / (
        "r.xlsx"
    )
    assert (tmp_path / "new").is_dir() and list((tmp_path / "new").iterdir()) == []


# --- failing and killed writes


@pytest.fixture
def old_report(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _fail_on_fsync(monkeypatch) -> None:
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".csv"])
def test_a_disk_full_at_the_end_leaves_the_previous_report(suffix, inputs, old_report, monkeypatch):
    target = old_report / f"report{suffix}"
    target.write_bytes(b"the previous report")
    _fail_on_fsync(monkeypatch)
    args = ["audit", str(inputs / ROSTER), "-o", str(target), "--jobs", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "磁盘空间不足" in result.output and "Traceback" not in result.output
    assert target.read_bytes() == b"the previous report"
    assert _leftovers(old_report) == []


def test_a_writer_failing_half_way_leaves_the_previous_report(inputs, old_report, monkeypatch):
    import xlsxwriter

    target = old_report / "report.xlsx"
    target.write_bytes(b"the previous report")
    seen = []

    def half_written(self):
        with open(self.filename, "wb") as fh:  # the temporary file, half written
            fh.write(b"PK\x03\x04 half a zip")
        seen.append(self.filename)
        raise xlsxwriter.exceptions.FileCreateError(OSError(errno.EIO, "Input/output error"))

    monkeypatch.setattr(xlsxwriter.Workbook, "close", half_written)
    args = ["audit", str(inputs / ROSTER), "-o", str(target), "--jobs", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and str(target) in result.output
    assert seen and Path(seen[0]).parent == old_report and Path(seen[0]) != target
    assert target.read_bytes() == b"the previous report"
    assert _leftovers(old_report) == []


def test_a_bug_in_a_writer_removes_the_temporary_file_and_propagates(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old")
    with pytest.raises(ZeroDivisionError), atomic_path(target) as temp:
        temp.write_text("half")
        assert is_temp_name(temp.name) and temp.suffix == ".json"
        1 / 0  # noqa: B018
    assert target.read_text() == "old" and _leftovers(tmp_path) == []
    write_text(target, "new")
    assert target.read_text() == "new" and _leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_written_file_has_ordinary_permissions(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    target = tmp_path / "r.csv"
    write_text(target, "a\n")
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def _start(folder: Path, output: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "peixun_audit", "audit", str(folder), "-o", str(output)]
    return subprocess.Popen(
        [*command, "--jobs", "1", "-f", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _complete_report(path: Path) -> bool:
    return openpyxl.load_workbook(path, read_only=True).sheetnames == REPORT_SHEETS


def test_a_run_killed_while_writing_leaves_the_old_report(sample_dir, tmp_path):
    """Three runs over sample_data ×10, killed at the moment they start writing the report
    and 0.05 s and 0.15 s later (the write takes about 0.15 s): each report is the old
    file byte for byte, or the complete new one; never empty or corrupt."""
    folder = tmp_path / "in"
    for i in range(10):
        shutil.copytree(sample_dir, folder / f"county{i:02d}")
    old = b"PK the previous report"
    delays = (0.0, 0.05, 0.15)
    outs = []
    for i in range(len(delays)):
        (tmp_path / f"out{i}").mkdir()
        outs.append(tmp_path / f"out{i}" / "report.xlsx")
        outs[-1].write_bytes(old)
    runs = [_start(folder, out) for out in outs]
    started: list[float | None] = [None] * len(runs)
    killed = [False] * len(runs)
    deadline = time.monotonic() + 30
    try:
        while not all(killed) and time.monotonic() < deadline:
            now = time.monotonic()
            for i, (run, out) in enumerate(zip(runs, outs, strict=True)):
                if killed[i]:
                    continue
                writing = any(n.startswith(".~report.xlsx.") for n in os.listdir(out.parent))
                if started[i] is None and writing:
                    started[i] = now  # the report's temporary file appeared
                if started[i] is not None and now - started[i] >= delays[i]:
                    run.kill()
                    killed[i] = True
                elif run.poll() is not None:
                    killed[i] = True  # finished before its moment
            time.sleep(0.002)
    finally:
        for run in runs:
            run.kill()
            run.wait(timeout=10)
    assert started[0] is not None, "never saw the report being written to a temporary file"
    assert outs[0].read_bytes() == old  # killed mid-write: the old report, untouched
    for out in outs:
        data = out.read_bytes()
        assert data == old or _complete_report(out), (out, len(data))


def test_two_runs_writing_the_same_report_leave_one_complete_file(sample_dir, tmp_path):
    output = tmp_path / "out" / "report.xlsx"
    runs = [_start(sample_dir / ROSTER, output) for _ in range(2)]
    assert [run.wait(timeout=60) for run in runs] == [1, 1]
    assert _complete_report(output)
    assert _leftovers(output.parent) == []


# --- what the tool wrote


def test_every_workbook_says_what_it_is(inputs, tmp_path):
    report = tmp_path / "report.xlsx"
    calls = tmp_path / "calls.xlsx"
    runner.invoke(app, ["audit", str(inputs / ROSTER), "-o", str(report), "--jobs", "1"])
    result = runner.invoke(
        app, ["callbacks", str(inputs), "--sample", "--seed", "7", "-o", str(calls), "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    assert output_kind(report) == "report"
    assert output_kind(calls) == "call-sheet"
    assert output_kind(calls.read_bytes()) == "call-sheet"
    assert output_kind(inputs / ROSTER) is None  # somebody else's workbook


def test_output_kind_never_raises(tmp_path):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"PK\x03\x04" + os.urandom(100))
    entity = io.BytesIO()
    with zipfile.ZipFile(entity, "w") as z:
        z.writestr("docProps/custom.xml", '<!DOCTYPE x [<!ENTITY a "b">]><Properties/>')
    for thing in (other, garbage, tmp_path / "missing.xlsx", tmp_path, b"", entity.getvalue()):
        assert output_kind(thing) is None
    excel.write_sheets(tmp_path / "sheets.xlsx", [("表", ["a"], [[1]], set())])
    assert output_kind(str(tmp_path / "sheets.xlsx")) == "report"


# --- templates


def test_templates_are_not_overwritten_without_force(tmp_path):
    folder = tmp_path / "模板"
    first = runner.invoke(app, ["template", "-o", str(folder)])
    assert first.exit_code == 0, first.output
    written = sorted(folder.glob("*.xlsx"))
    assert written and {output_kind(p) for p in written} == {"template"}
    filled = written[0]
    filled.write_bytes(b"a template somebody filled in")
    again = runner.invoke(app, ["template", "-o", str(folder)])
    assert again.exit_code == 2, again.output
    assert filled.name in again.output and "--force" in again.output
    assert filled.read_bytes() == b"a template somebody filled in"
    forced = runner.invoke(app, ["template", "-o", str(folder), "--force"])
    assert forced.exit_code == 0, forced.output
    assert output_kind(filled) == "template"
    assert _leftovers(folder) == []


def test_templates_into_a_file_are_one_line_and_exit_2(tmp_path):
    (tmp_path / "f").write_text("x")
    result = runner.invoke(app, ["template", "-o", str(tmp_path / "f"), "--lang", "en"])
    assert result.exit_code == 2 and "is not a folder" in result.output, result.output
    assert "Traceback" not in result.output
