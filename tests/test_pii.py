"""Personal data and terminal control sequences in the outputs (issue 13).

Every ID- or phone-like number a workbook carries — in a name cell, a class id, a file
or sheet name, a sign-in name not on the roster, a certificate level, an employment
status, a sign-in mark or a date, typed with dashes or spaces — is masked in every
default output (terminal, JSON, CSV, Excel) and shown with ``--show-pii``. Escape
sequences from cells, sheet names and file names never reach the terminal.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bundle import DAYS, Bundle
from conftest import make_id, write_book
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from peixun_audit.cli import app
from peixun_audit.evidence import to_json
from peixun_audit.ids import mask_id, scrub, scrub_name
from peixun_audit.messages import finding_message
from peixun_audit.report import terminal
from peixun_audit.rules import RULES

runner = CliRunner()
AS_OF = ["--as-of", "2026-01-01", "--jobs", "1"]

NAME_ID = make_id("45030219850505123")  # typed as a student's name (roster and sign-in)
CLASS_ID = make_id("45030219860606123")  # typed as a 班级编号
FILE_ID = make_id("45030219870707123")  # in a file name
SHEET_ID = make_id("45030219880808123")  # in a sheet name
SIGNIN_ID = make_id("45030219890909123")  # a sign-in name not on the roster
CERT_ID = make_id("45030219910101123")  # typed as a 证书等级 (A0505)
STATUS_PHONE = "139-1234-0001"  # in 就业状态 (A0506)
MARK_DASHED = "139-1234-0007"  # sign-in marks (unknown-mark)
MARK_SPACED = "139 1234 0008"
MARK_SPACED_ID = "4503 0219 9202 0212 34"
DATE_PHONE = "1391-2340-009"  # a plan date (unreadable-date)
PHONE_AS_ID = "13912340006"  # typed in the ID column


def _planted(folder: Path) -> Path:
    b = Bundle()
    b.students[2]["姓名"] = NAME_ID
    b.students[3]["证书等级"] = CERT_ID
    b.students[4]["就业状态"] = f"已就业 {STATUS_PHONE}"
    b.students[8]["身份证号"] = PHONE_AS_ID
    b.marks = {s["姓名"]: ["√"] * len(DAYS) for s in b.students}
    b.marks[b.students[0]["姓名"]][-1] = "缺"
    b.marks[b.students[5]["姓名"]][1] = MARK_DASHED
    b.marks[b.students[6]["姓名"]][1] = MARK_SPACED
    b.marks[b.students[7]["姓名"]][1] = MARK_SPACED_ID
    b.extra_signin.append([SIGNIN_ID, make_id("45030219900101999"), *["√"] * len(DAYS)])
    b.plan[2]["日期"] = DATE_PHONE
    b.write(folder)
    cls = Bundle().cls
    write_book(
        folder / f"开班{FILE_ID}.xlsx",
        {f"开班{SHEET_ID}": [list(cls), [CLASS_ID, *list(cls.values())[1:]]]},
    )
    return folder


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    return _planted(tmp_path_factory.mktemp("pii") / "in")


@pytest.fixture(scope="module")
def outputs(planted: Path) -> dict[str, str]:
    """Every default output of ``audit``: the terminal tables, JSON on stdout, the CSV
    and Excel reports."""
    shown = {}
    xlsx, csv = planted.parent / "report.xlsx", planted.parent / "report.csv"
    for fmt, out in (("table", xlsx), ("json", csv)):
        result = runner.invoke(
            app,
            ["audit", str(planted), "--format", fmt, "--output", str(out), *AS_OF],
            env={"COLUMNS": "250"},
        )
        assert result.exit_code == 1, result.output[-800:]
        shown[fmt] = result.stdout
    # the default terminal names no cell and no ID; --verbose shows both
    verbose = runner.invoke(
        app, ["audit", str(planted), "--verbose", *AS_OF], env={"COLUMNS": "250"}
    )
    assert verbose.exit_code == 1, verbose.output[-800:]
    shown["verbose"] = verbose.stdout
    shown["csv"] = csv.read_text("utf-8-sig")
    book = openpyxl.load_workbook(xlsx)
    shown["xlsx"] = "\n".join(
        f"{ws.title}\t{c.value}" for ws in book for row in ws.iter_rows() for c in row if c.value
    )
    return shown


@pytest.fixture(scope="module")
def revealed(planted: Path) -> str:
    result = runner.invoke(app, ["audit", str(planted), "--format", "json", "--show-pii", *AS_OF])
    assert result.exit_code == 1
    return result.stdout


def _masked_everywhere(
    outputs: dict[str, str], secret: str, masked: str, table: bool = True
) -> None:
    """``secret`` in no output; its masked form in the JSON, the Excel report and, when
    the terminal shows that table, the terminal with --verbose (which lists every cell
    and ID the default view leaves out)."""
    for name, text in outputs.items():
        assert secret not in text, name
    assert masked in outputs["json"] and masked in outputs["xlsx"]
    assert not table or masked in outputs["verbose"]


def test_an_id_in_a_name_cell(outputs, revealed):
    # not in the terminal's tables (no finding names the student)
    _masked_everywhere(outputs, NAME_ID, "450302********1233", table=False)
    doc = json.loads(revealed)
    assert NAME_ID in {r["student_name"] for r in doc["attendance"]}


def test_an_id_as_class_id(outputs, revealed):
    _masked_everywhere(outputs, CLASS_ID, "450302********1238")
    doc = json.loads(outputs["json"])
    assert "450302********1238" in {d["class_id"] for d in doc["dossiers"]}
    assert CLASS_ID in {d["class_id"] for d in json.loads(revealed)["dossiers"]}


def test_an_id_in_a_file_name(outputs, revealed):
    _masked_everywhere(outputs, FILE_ID, "开班450302********1232.xlsx")
    assert any(
        i["path"].endswith("开班450302********1232.xlsx")
        for i in json.loads(outputs["json"])["inputs"]
    )
    assert FILE_ID in revealed


def test_an_id_in_a_sheet_name(outputs, revealed):
    _masked_everywhere(outputs, SHEET_ID, "开班450302********1237")
    assert f"开班{SHEET_ID}" in revealed


def test_an_id_as_a_signin_name_not_on_the_roster(outputs, revealed):
    _masked_everywhere(outputs, SIGNIN_ID, "450302********1231")
    (a0405,) = [f for f in json.loads(outputs["json"])["findings"] if f["code"] == "A0405"]
    assert a0405["student_name"] == "450302********1231"
    assert "“450302********1231”" in a0405["message"]
    assert SIGNIN_ID in revealed


def test_an_id_as_certificate_level(outputs, revealed):
    (a0505,) = [f for f in json.loads(outputs["json"])["findings"] if f["code"] == "A0505"]
    assert a0505["evidence"] == {"level": "450302********123X"}
    _masked_everywhere(outputs, CERT_ID, "450302********123X")
    assert CERT_ID in revealed


def test_a_phone_in_employment_status(outputs, revealed, planted):
    # the status reads 已就业; the phone beside it never reaches an output
    findings = json.loads(outputs["json"])["findings"]
    assert [f["student_name"] for f in findings if f["code"] == "A0506"] == ["学员丄"]
    for text in outputs.values():
        assert "1234-0001" not in text and "12340001" not in text


@pytest.mark.parametrize(
    ("secret", "masked"),
    [(MARK_DASHED, "139-****-0007"), (MARK_SPACED, "139 **** 0008")],
    ids=["dashed", "spaced"],
)
def test_dashed_and_spaced_phones_in_unknown_marks(outputs, revealed, secret, masked):
    _masked_everywhere(outputs, secret, f"无法识别的签到标记“{masked}”")
    assert secret in revealed


def test_a_spaced_id_in_an_unknown_mark(outputs, revealed):
    _masked_everywhere(outputs, MARK_SPACED_ID, "“4503 02** **** **12 34”")
    assert MARK_SPACED_ID in revealed


def test_a_phone_in_an_unreadable_date(outputs, revealed):
    _masked_everywhere(outputs, DATE_PHONE, "的日期无法识别：139*-***0-009")
    assert DATE_PHONE in revealed


def test_a_phone_in_the_id_column_is_masked_as_a_phone(outputs, revealed):
    assert mask_id(PHONE_AS_ID) == "139****0006"  # was 139123*0006: 10 of 11 digits
    _masked_everywhere(outputs, PHONE_AS_ID, "139****0006")
    assert "139123" not in outputs["json"]
    assert PHONE_AS_ID in revealed


@pytest.mark.parametrize(
    ("text", "free", "name"),
    [
        ("139-1234-0007", "139-****-0007", "139-****-0007"),
        ("+86 139 1234 0007", "+86 139 **** 0007", "+86 139 **** 0007"),
        ("张三45030219900101123X", "张三450302********123X", "张三450302********123X"),
        ("450302 19900101 123X", "450302 ******** 123X", "450302 ******** 123X"),
        ("4503-0219-9001-0112-3X", "4503-02**-****-**12-3X", "4503-02**-****-**12-3X"),
        ("450302199001011", "450302*****1011", "450302*****1011"),  # 15 digits
        ("（0773）2822222", "（0773）***2222", "（0773）***2222"),
        ("0773-2822222", "0773-***2222", "0773-***2222"),
        ("电话2822222", "电话***2222", "电话2822222"),  # a local number: free text only
        ("签到表20200907.xlsx", "签到表****0907.xlsx", "签到表20200907.xlsx"),
        ("GL2020-005", "GL2020-005", "GL2020-005"),
        ("2020-09-07 2020-09-11 0800", "2020-09-07 2020-09-11 0800", "2020-09-07 2020-09-11 0800"),
        ("2020.9.7至2020年9月11", "2020.9.7至2020年9月11", "2020.9.7至2020年9月11"),
        ("E1048576", "E***8576", "E1048576"),
    ],
)
def test_scrub_masks_ids_and_phones_with_separators(text, free, name):
    assert scrub(text) == free
    assert scrub_name(text) == name
    assert scrub(free) == free  # masking twice changes nothing


def test_class_ids_in_evidence_are_masked_as_the_class_id_column():
    # an ID typed as a class id is masked; a class id of digits (a date and a number) reads
    types = RULES["X0102"].evidence["day"]
    others = (CLASS_ID, "20200907001")
    evidence = {"others": others, "count": 2, "date": dt.date(2020, 9, 9)}
    message = finding_message("X0102", "day", evidence, types, "zh")
    assert (
        message == "同一身份证号 2020-09-09 同时在另外 2 个班签到：450302********1238、20200907001"
    )
    assert to_json("class_id[]", others, False) == ["450302********1238", "20200907001"]
    assert to_json("class_id[]", others, True) == list(others)


def test_call_sheet_and_sample_record_mask_ids_in_names_and_class_ids():
    import pandas as pd

    from peixun_audit.report.supervision import call_sheet, sample_record
    from peixun_audit.sampling import Draw
    from peixun_audit.supervision import SampleRun

    sample = pd.DataFrame(
        {"class_id": [CLASS_ID], "name": [NAME_ID], "id_number": [CERT_ID], "phone": [PHONE_AS_ID]}
    )
    run = SampleRun(7, "test", [Draw(CLASS_ID, 10, 1, "0" * 64, 1, sample)])
    rows, (_, record) = call_sheet(run)
    # the phone stays whole: the sheet is for calling (SPEC §6)
    assert rows[0][:4] == [
        "450302********1238",
        "450302********1233",
        "450302********123X",
        PHONE_AS_ID,
    ]
    assert record[0][0] == "450302********1238"
    assert sample_record(run)["draws"][0]["stream"] == "450302********1238"
    assert sample_record(run, show_pii=True)["draws"][0]["stream"] == CLASS_ID


def _escaped_folder(folder: Path) -> Path:
    """A bundle whose cells hold ESC as a raw byte, as ``&#27;`` and as ``_x001B_``, one
    more class whose id, sheet and file names hold ESC, and a corrupt file whose name
    does (listed as not read)."""
    b = Bundle()
    b.students[2]["姓名"] = "RAWESC"
    b.students[3]["姓名"] = "REFESC"
    b.students[4]["姓名"] = "XESC"
    b.marks = {s["姓名"]: ["√"] * len(DAYS) for s in b.students}
    b.marks[b.students[0]["姓名"]][-1] = "缺"
    b.marks[b.students[5]["姓名"]][1] = "MARKESC"
    b.write(folder)
    cls = Bundle().cls
    write_book(
        folder / "second.xlsx", {"开班SHEETESC": [list(cls), ["CLASSESC", *list(cls.values())[1:]]]}
    )
    planted = {
        b"RAWESC": b"\x1b[2J\xe5\xbc\xa0",  # clear the screen, then 张
        b"REFESC": b"&#27;]8;;http://x&#7;link",  # an OSC 8 hyperlink
        b"XESC": b"_x001B_[31mred",
        b"MARKESC": b"\x1b]0;title\x07",  # set the window title
        b"SHEETESC": b"&#27;[2J",
        b"CLASSESC": b"C&#27;[2J9",
    }
    for book in ("bundle.xlsx", "second.xlsx"):
        data = zipfile.ZipFile(io.BytesIO((folder / book).read_bytes()))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for info in data.infolist():
                xml = data.read(info)
                for placeholder, sequence in planted.items():
                    xml = xml.replace(placeholder, sequence)
                z.writestr(info, xml)
        (folder / book).unlink()
        (folder / f"\x1b[2J{book}").write_bytes(out.getvalue())
    (folder / "\x1b]0;evil\x07.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    return folder


@pytest.mark.parametrize(
    "command",
    [["audit"], ["attendance"], ["validate"], ["callbacks"], ["review"]],
    ids=lambda c: c[0],
)
def test_escape_sequences_never_reach_the_terminal(tmp_path, command):
    folder = _escaped_folder(tmp_path / "in")
    as_of = AS_OF if command[0] != "validate" else AS_OF[2:]
    result = runner.invoke(app, [*command, str(folder), *as_of], env={"COLUMNS": "250"})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "\x1b" not in result.output and "\x07" not in result.output
    if command[0] == "attendance":
        # the cells, names and ids were read and shown, with U+FFFD for each ESC
        for shown in ("\ufffd[2J张", "\ufffd]8;;http://x\ufffdlink", "\ufffd[31mred"):
            assert shown in result.output
    if command[0] == "audit":
        assert "C\ufffd[2J9" in result.output  # the class id, in the dossier table
        assert "\ufffd]0;evil\ufffd.xlsx" in result.output  # a file not read, listed


def test_styled_text_is_cleaned_on_a_real_terminal():
    """With colours on, the writer's own styles are the only escape sequences."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="standard", width=120)
    terminal.print_incomplete(console, [{"message": "files: \x1b]8;;http://x\x07a.xlsx"}], "en")
    terminal.print_rows(console, "t", [{"class_id": "\x1b[2JC1"}], [("class_id", "class")])
    styled = Text("\x1b[2JC2", style="red")
    terminal._add_row(table := terminal.Table(), styled)
    console.print(table)
    text = out.getvalue()
    assert "\x1b[2J" not in text and "\x1b]8" not in text and "\x07" not in text
    assert "\ufffd[2JC1" in text and "\ufffd[2JC2" in text
