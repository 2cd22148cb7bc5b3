"""The input set is what the user meant (issue 11): every file in a folder is read or
listed with why it was not; byte-identical copies are read once; the tool's own
reports are not data; .csv and WPS .et files are read."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from bundle import Bundle
from conftest import audit_folder
from typer.testing import CliRunner

from peixun_audit import load as load_module
from peixun_audit.cli import app
from peixun_audit.load import load_paths, sniff
from peixun_audit.load.workbook import WorkbookError, read_workbook
from peixun_audit.messages import problem_message
from peixun_audit.report import rows

runner = CliRunner()
AS_OF = ["--as-of", "2026-01-01"]


def _bundle() -> Bundle:
    """The compliant class, but student 1 misses two of five sessions (A0401): a copy read
    twice would add duplicate-student errors to a finding that must stay alone."""
    b = Bundle()
    name = b.students[1]["姓名"]
    b.marks[name][1] = b.marks[name][2] = "缺"
    return b


def _findings(result, where: bool = True) -> list[tuple]:
    """Findings comparable across folders: everything but the folder's path (and, with
    ``where`` False, but the file and sheet they were found in)."""
    return sorted(
        (
            f.code,
            f.variant,
            f.class_id,
            f.id_number,
            repr(sorted(f.evidence.items())),
            *(
                (Path(f.source.file).name, f.source.sheet, f.source.row, f.source.cell)
                if where and f.source
                else ()
            ),
        )
        for f in result.findings
    )


def _eligibility(result) -> list[tuple]:
    e = result.eligibility
    return sorted(
        zip(e["class_id"], e["id_number"], e["eligible"], map(tuple, e["reasons"]), strict=True)
    )


def _inputs(result_or_dataset) -> dict[str, object]:
    dataset = getattr(result_or_dataset, "dataset", result_or_dataset)
    return {Path(f.path).name: f for f in dataset.inputs}


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """The audit of the bundle by itself: what every folder below must still give."""
    result = audit_folder(_bundle().write(tmp_path_factory.mktemp("alone")))
    assert [f.code for f in result.findings] == ["A0401"]
    return result


# --- byte-identical copies


def test_a_copy_is_read_once_and_names_its_original(tmp_path, alone):
    folder = _bundle().write(tmp_path / "in")
    shutil.copy(folder / "bundle.xlsx", folder / "bundle - 副本.xlsx")  # sorts first
    result = audit_folder(folder)
    assert _findings(result) == _findings(alone)  # no A0507 duplicate students
    assert _eligibility(result) == _eligibility(alone)
    assert all(Path(f.source.file).name == "bundle.xlsx" for f in result.findings)
    files = _inputs(result)
    assert list(files) == ["bundle - 副本.xlsx", "bundle.xlsx"]  # every file is listed
    copy, original = files["bundle - 副本.xlsx"], files["bundle.xlsx"]
    assert (copy.status, original.status) == ("skipped", "ok")
    assert copy.sha256 == original.sha256 and copy.sheets == []
    [problem] = copy.problems
    assert (problem.code, problem.severity) == ("duplicate-file", "info")
    assert problem.params == {"original": original.path}
    for lang in ("zh", "en"):
        assert original.path in problem_message(problem.code, problem.params, lang)
    assert rows.summary(result)["files_skipped"] == 1


@pytest.mark.parametrize(
    "names, read",
    [
        (["bundle (1).xlsx", "bundle.xlsx"], "bundle.xlsx"),
        (["Copy of bundle.xlsx", "bundle.xlsx"], "bundle.xlsx"),
        (["复件 bundle.xlsx", "bundle.xlsx"], "bundle.xlsx"),
        (["a.xlsx", "b.xlsx", "sub/c.xls"], "a.xlsx"),  # no copy's name: the first in order
    ],
)
def test_which_of_identical_files_is_read(tmp_path, names, read):
    data = (_bundle().write(tmp_path / "src") / "bundle.xlsx").read_bytes()
    for name in names:
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_bytes(data)
    files = {
        str(Path(f.path).relative_to(tmp_path / "in")): f
        for f in load_paths([tmp_path / "in"]).inputs
    }
    assert sorted(files) == sorted(names)
    assert {n: f.status for n, f in files.items()} == {
        n: "ok" if n == read else "skipped" for n in names
    }
    original = str(tmp_path / "in" / read)
    assert all(
        f.problems[0].params == {"original": original} for n, f in files.items() if n != read
    )


def test_copies_are_read_once_when_a_reader_dies(tmp_path, monkeypatch):
    """The pool's fallback (a worker died: the rest is read one by one) keeps every
    listed file, in order, with the same fate."""
    folder = _bundle().write(tmp_path / "in")
    shutil.copy(folder / "bundle.xlsx", folder / "bundle - 副本.xlsx")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    shutil.copy(folder / "bundle.xlsx", folder / "c2.xlsx")
    with zipfile.ZipFile(folder / "c2.xlsx", "a") as archive:
        archive.comment = b"not a copy"
    expected = [(f.path, f.status, f.sha256) for f in load_paths([folder]).inputs]

    @contextmanager
    def dies_after_one(fn, *iterables, jobs, chunksize=1, pool=None, weights=None):
        def results():
            args = list(zip(*iterables, strict=True))
            yield fn(*args[0])
            raise BrokenProcessPool("a reader died")

        yield results()

    monkeypatch.setattr(load_module, "pool_map", dies_after_one)
    monkeypatch.setattr(load_module, "workers_start", lambda: False)
    got = load_paths([folder], jobs=2)
    assert [(f.path, f.status, f.sha256) for f in got.inputs] == expected
    assert [s for _, s, _ in expected] == ["skipped", "ok", "ok", "skipped"]


# --- formats


def _roster_rows(b: Bundle) -> list[list[str]]:
    headers = ["班级编号", *b.students[0]]
    return [headers] + [["C1", *s.values()] for s in b.students]


def _without_roster(folder: Path) -> None:
    book = openpyxl.load_workbook(folder / "bundle.xlsx")
    del book["学员名册"]
    book.save(folder / "bundle.xlsx")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_a_csv_roster_is_read(tmp_path, alone, encoding):
    b = _bundle()
    folder = b.write(tmp_path / "in")
    _without_roster(folder)
    text = io.StringIO()
    csv.writer(text).writerows(_roster_rows(b))
    (folder / "学员花名册.csv").write_bytes(text.getvalue().encode(encoding))
    result = audit_folder(folder)
    assert _findings(result, where=False) == _findings(alone, where=False)
    assert _eligibility(result) == _eligibility(alone)
    roster = _inputs(result)["学员花名册.csv"]
    assert (roster.status, roster.problems) == ("ok", [])
    [sheet] = roster.sheets
    assert (sheet.name, sheet.kind, sheet.rows_used) == ("学员花名册", "roster", 10)


def test_a_tab_separated_csv_with_one_student(tmp_path):
    data = "班级编号\t姓名\t身份证号\nC1\t张三\t450302199001010011\n".encode("gbk")
    read = read_workbook(data, "名册.csv")
    [sheet] = read.sheets
    assert sheet.grid == [["班级编号", "姓名", "身份证号"], ["C1", "张三", "450302199001010011"]]
    with pytest.raises(WorkbookError) as raised:
        read_workbook(b"\xff\xfe\x00\xd8 broken", "x.csv")
    assert raised.value.code == "csv-unreadable"


def test_wps_et_files_are_read_or_reported(tmp_path, alone):
    folder = tmp_path / "in"
    _bundle().write(tmp_path / "src")
    folder.mkdir()
    # WPS saves .et as OOXML or as BIFF (an OLE file): both are read
    shutil.copy(tmp_path / "src" / "bundle.xlsx", folder / "bundle.et")
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("教师派遣")
    for r, row in enumerate(
        [["教师姓名", "派遣日期", "是否服从"], ["黄志明", "2020-09-01", "服从"]]
    ):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(folder / "派遣.et"))
    result = audit_folder(folder)
    assert _findings(result, where=False) == _findings(alone, where=False)
    assert _eligibility(result) == _eligibility(alone)
    files = _inputs(result)
    assert files["bundle.et"].status == "ok"
    assert [(s.kind, s.rows_used) for s in files["派遣.et"].sheets] == [("dispatches", 1)]
    (tmp_path / "broken.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    [broken] = load_paths([tmp_path / "broken.et"]).inputs
    assert broken.status == "failed"
    assert [p.code for p in broken.problems] == ["et-unreadable"]
    assert "WPS" in problem_message("et-unreadable", broken.problems[0].params, "zh")


def test_files_that_are_not_read_are_listed_with_why(tmp_path, alone):
    folder = _bundle().write(tmp_path / "in")
    with zipfile.ZipFile(folder / "上报材料.zip", "w") as archive:
        archive.write(folder / "bundle.xlsx", "bundle.xlsx")
    (folder / "签到表扫描件.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (folder / "花名册.xlsb").write_bytes(b"PK\x03\x04binary workbook")
    (folder / "现场照片.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (folder / "~$bundle.xlsx").write_bytes(b"\x04lock")  # Excel's lock file
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / ".old").mkdir()
    shutil.copy(folder / "bundle.xlsx", folder / ".old" / "bundle-v1.xlsx")
    result = audit_folder(folder)
    assert _findings(result) == _findings(alone)
    # the archive and the binary workbook may hold workbooks: nobody can be called
    # eligible until they are unpacked or saved as .xlsx (the scans do not matter)
    assert [key for key, _ in result.incomplete] == ["files-not-read"]
    assert sorted(Path(p).name for p in result.incomplete[0][1]) == ["上报材料.zip", "花名册.xlsb"]
    assert not result.eligibility["eligible"].any()
    files = _inputs(result)
    assert sorted(files) == sorted(
        ["bundle.xlsx", "上报材料.zip", "签到表扫描件.pdf", "花名册.xlsb", "现场照片.png"]
    )
    advice = {  # (format, words of the Chinese message, words of the English message)
        "上报材料.zip": ("archive", "解压", "unpack"),
        "签到表扫描件.pdf": ("scan", "扫描件", "scanned"),
        "花名册.xlsb": ("xlsb", "另存为 .xlsx", "save it as .xlsx"),
        "现场照片.png": ("scan", "扫描件", "scanned"),
    }
    for name, (form, zh, en) in advice.items():
        entry = files[name]
        assert entry.status == "skipped" and len(entry.sha256) == 64, name
        [problem] = entry.problems
        assert (problem.code, problem.severity) == ("unsupported-format", "warning"), name
        assert problem.params["format"] == form, name
        assert zh in problem_message(problem.code, problem.params, "zh"), name
        assert en in problem_message(problem.code, problem.params, "en"), name
    summary = rows.summary(result)
    assert (summary["files"], summary["files_skipped"], summary["files_failed"]) == (5, 4, 0)


def test_a_file_given_by_name_is_always_attempted(tmp_path):
    b = _bundle()
    text = io.StringIO()
    csv.writer(text).writerows(_roster_rows(b))
    (tmp_path / "名册导出.txt").write_text(text.getvalue(), "utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n\x00\x01")
    dataset = load_paths([tmp_path / "名册导出.txt", tmp_path / "scan.pdf"])
    files = _inputs(dataset)
    assert files["名册导出.txt"].status == "ok"
    assert [s.rows_used for s in files["名册导出.txt"].sheets] == [10]
    pdf = files["scan.pdf"]
    assert pdf.status == "failed"
    assert [(p.code, p.severity, p.params["format"]) for p in pdf.problems] == [
        ("unsupported-format", "error", "scan")
    ]


def test_exit_2_when_no_file_is_read(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "notes.txt").write_text("不是表格", "utf-8")
    result = runner.invoke(app, ["audit", str(tmp_path), "-f", "json", "-j", "1", *AS_OF])
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert [(Path(i["path"]).name, i["status"]) for i in doc["inputs"]] == [
        ("notes.txt", "skipped"),
        ("scan.pdf", "skipped"),
    ]


# --- the tool's own outputs


def _schema() -> dict:
    return json.loads(resources.files("peixun_audit.report").joinpath("schema.json").read_text())


def _audit_json(folder: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["audit", str(folder), "-f", "json", "-j", "1", *AS_OF, *extra])
    assert result.exit_code == 1, result.output  # the A0401 error
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", ["审核报告.xlsx", "问题清单.csv"])
def test_the_tools_own_report_is_not_read_again(tmp_path, name):
    folder = _bundle().write(tmp_path / "in")
    first = _audit_json(folder, "-o", str(folder / name))
    assert (folder / name).exists()
    second = _audit_json(folder)
    jsonschema.validate(second, _schema())
    for key in ("findings", "attendance", "eligibility"):
        assert second[key] == first[key], key
    report = next(i for i in second["inputs"] if Path(i["path"]).name == name)
    assert report["status"] == "skipped"
    assert [(p["code"], p["severity"]) for p in report["problems"]] == [("own-report", "info")]
    assert second["summary"]["files_skipped"] == 1


def _marked_workbook(kind: str | None) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("学员名册")
    for r, row in enumerate(
        [["班级编号", "姓名", "身份证号"], ["C1", "张三", "450302199001010011"]]
    ):
        sheet.write_row(r, 0, row)
    if kind is not None:
        book.set_custom_property("peixun-audit", kind)
    book.close()
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["report", "call-sheet", "template", None])
def test_only_a_report_is_not_data(kind):
    """The loader's own reader of the ``peixun-audit`` property: a filled call sheet
    or template is data; a report is not."""
    data = _marked_workbook(kind)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sniff.output_kind(archive, data) == kind
    if kind == "report":
        with pytest.raises(WorkbookError) as raised:
            read_workbook(data, "审核报告.xlsx")
        assert raised.value.code == "own-report"
    else:
        assert [s.name for s in read_workbook(data, "x.xlsx").sheets] == ["学员名册"]
