"""Issue 5: broken and hostile files never crash the run, and each gets its reason."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import xlwt
from bundle import Bundle
from conftest import make_id, rewrite_zip, write_book

from peixun_audit.load import load_paths


def build_bad_folder(folder: Path) -> dict[str, str]:
    """One good workbook and one file of each bad kind; returns file → expected problem code."""
    Bundle().write(folder)  # bundle.xlsx, the good one
    good = (folder / "bundle.xlsx").read_bytes()
    small = write_book(
        folder / "_small.xlsx",
        {"名册": [["班级编号", "姓名", "身份证号"], ["C9", "张三", make_id("45030219900101001")]]},
    ).read_bytes()
    (folder / "_small.xlsx").unlink()
    expected = {}

    def put(name: str, data: bytes, code: str) -> None:
        (folder / name).write_bytes(data)
        expected[name] = code

    put("zero.xlsx", b"", "empty-file")
    put("not_a_workbook.xlsx", b"\x00\x01binary junk\x00" * 50, "not-a-workbook")
    put("truncated.xlsx", good[: len(good) // 2], "corrupt-zip")
    put(
        "corrupt_xml.xlsx",
        rewrite_zip(
            small, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c r='A1' t='s'><v>"}
        ),
        "sheet-unreadable",
    )
    workbook_xml = zipfile.ZipFile(io.BytesIO(small)).read("xl/workbook.xml")
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    put(
        "entity.xlsx",
        rewrite_zip(small, {"xl/workbook.xml": doctype + workbook_xml}),
        "xml-entities",
    )
    bomb = rewrite_zip(small, {"xl/worksheets/sheet2.xml": b"<!-- " + b"0" * (3 << 20) + b" -->"})
    put("bomb.xlsx", bomb, "too-large-unzipped")

    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(small)).encrypt("secret", encrypted)
    put("encrypted.xlsx", encrypted.getvalue(), "encrypted")

    write_book(folder / "empty_sheet.xlsx", {"Sheet1": []})
    expected["empty_sheet.xlsx"] = "empty-sheet"
    write_book(folder / "no_header.xlsx", {"Sheet1": [["随便写点什么"], ["没有表头"]]})
    expected["no_header.xlsx"] = "no-header"
    write_book(folder / "missing_columns.xlsx", {"签到表": [["班级编号", "姓名"], ["C1", "张三"]]})
    expected["missing_columns.xlsx"] = "missing-columns"
    write_book(
        folder / "duplicate_headers.xlsx",
        {"名册": [["班级编号", "姓名", "姓名"], ["C8", "张三", "李四"]]},
    )
    expected["duplicate_headers.xlsx"] = "duplicate-header"
    wb = openpyxl.Workbook()
    wb.active.append(["班级编号", "姓名"])
    wb.active.append(["C7", "张三"])
    wb.active.title = "名册"
    wb.active.sheet_state = "hidden"
    wb.create_sheet("封面")["A1"] = "封面"
    wb.save(folder / "hidden.xlsx")
    expected["hidden.xlsx"] = "hidden-sheet"
    write_book(
        folder / "merged.xlsx",
        {"名册": [["班级编号", "姓名"], ["C6", "张三"], [None, "李四"], [None, "王五"]]},
        {"名册": ["A2:A4"]},
    )
    expected["merged.xlsx"] = "merged-data-cells"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["班级编号", "姓名", "年龄"])
    ws.append(["C5", "张三", "=20+10"])
    wb.save(folder / "formula.xlsx")
    expected["formula.xlsx"] = "formula-no-value"
    write_book(
        folder / "long_cell.xlsx",
        {
            "名册": [["班级编号", "姓名", "家庭住址"], ["C4", "张三", "长" * 32000]],
            "签到": [["班级编号", "姓名", "日期", "签到"], ["C4", "张三", "下周一" * 8000, "√"]],
        },
    )
    expected["long_cell.xlsx"] = "unreadable-date"
    write_book(
        folder / "bad_values.xlsx",
        {"名册": [["班级编号", "姓名", "身份证号"], ["C3", "张三", 450302199001011234]]},
    )
    expected["bad_values.xlsx"] = "id-stored-as-number"
    (folder / "web_export.xls").write_text(
        "<html><body><table><tr><th>班级编号</th><th>姓名</th><th>身份证号</th></tr>"
        f"<tr><td>C2</td><td>李四</td><td>{make_id('45030219900101002')}</td></tr></table></body></html>",
        "utf-8",
    )
    expected["web_export.xls"] = "html-as-workbook"
    (folder / "csv_export.xlsx").write_bytes(
        f"班级编号,姓名,身份证号\nC2,王五,{make_id('45030219900101003')}\n".encode("gbk")
    )
    expected["csv_export.xlsx"] = "csv-as-workbook"
    book = xlwt.Workbook(encoding="gbk")
    sheet = book.add_sheet("名册")
    for c, v in enumerate(["班级编号", "姓名"]):
        sheet.write(0, c, v)
    for c, v in enumerate(["C1", "赵六"]):
        sheet.write(1, c, v)
    book.save(str(folder / "gbk_2015.xls"))
    expected["gbk_2015.xls"] = ""  # reads cleanly
    return expected


def test_every_bad_file_is_listed_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("PEIXUN_MAX_UNZIPPED_MB", "2")
    expected = build_bad_folder(tmp_path)
    ds = load_paths([tmp_path])
    by_name = {Path(f.path).name: f for f in ds.inputs}
    assert set(by_name) == set(expected) | {"bundle.xlsx"}
    assert by_name["bundle.xlsx"].status == "ok" and not by_name["bundle.xlsx"].problems
    for name, code in expected.items():
        codes = [p.code for p in by_name[name].problems]
        if code:
            assert code in codes, (name, codes)
        else:
            assert codes == [], (name, codes)
    assert set(ds.tables["roster"]["name"]) >= {
        "李四",
        "王五",
        "赵六",
    }  # HTML, CSV and GBK .xls read
    assert "C1" in set(ds.tables["classes"]["class_id"])
    for f in ds.inputs:
        for s in f.sheets:
            assert s.rows_read == s.rows_used + s.rows_reported, (f.path, s)


def test_audit_on_the_bad_folder_in_a_subprocess(tmp_path):
    build_bad_folder(tmp_path)
    env = {**os.environ, "PEIXUN_MAX_UNZIPPED_MB": "2"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "peixun_audit",
            "audit",
            str(tmp_path),
            "--format",
            "json",
            "--as-of",
            "2026-01-01",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    try:  # the peak memory of the run, where the platform can tell (not on Windows)
        import resource
    except ImportError:
        pass
    else:
        assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KiB
    doc = json.loads(proc.stdout)
    assert any(f["class_id"] == "C1" for f in doc["eligibility"])  # the good class was audited
    failed = {Path(i["path"]).name for i in doc["inputs"] if i["status"] == "failed"}
    assert {
        "zero.xlsx",
        "not_a_workbook.xlsx",
        "truncated.xlsx",
        "encrypted.xlsx",
        "bomb.xlsx",
        "entity.xlsx",
    } <= failed
    for i in doc["inputs"]:
        if i["status"] == "failed":
            assert i["problems"] and all(p["message"] for p in i["problems"])
    encrypted = next(i for i in doc["inputs"] if i["path"].endswith("encrypted.xlsx"))
    assert "文件已加密" in encrypted["problems"][0]["message"]
