"""Issue 13: the bounded reader front-end (allocation bombs, quadratic scans, DTDs in
any part), the per-file caps of the reading workers, and silent data loss."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from bundle import Bundle
from conftest import rewrite_zip, write_book

from peixun_audit.load import load_paths, sniff
from peixun_audit.load.workbook import WorkbookError, read_workbook

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET1 = "xl/worksheets/sheet1.xml"


def two_sheets(tmp_path: Path) -> bytes:
    """名册 (sheet1.xml, to be damaged) and 签到 (sheet2.xml, intact)."""
    path = write_book(
        tmp_path / "_two.xlsx",
        {"名册": [["班级编号", "姓名"], ["C9", "张三"]], "签到": [["x", "y"], ["1", "2"]]},
    )
    data = path.read_bytes()
    path.unlink()
    return data


def sheet_xml(cells: str) -> bytes:
    return f"<worksheet {NS}><sheetData>{cells}</sheetData></worksheet>".encode()


GOOD_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>班级编号</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>C9</t></is></c>'
)


@pytest.mark.parametrize(
    ("cells", "code", "detail"),
    [
        # one cell at the grid's corner: the reader would allocate 512 GB
        (
            GOOD_ROWS + '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
            "sheet-too-large",
            "A1:XFD1048576: 17,179,869,184 > 4,000,000",
        ),
        # an empty, styled cell there counts the same (never an underestimate)
        (
            GOOD_ROWS + '<c r="B2"/><c r="XFD1048576" s="0"/></row>',
            "sheet-too-large",
            "A1:XFD1048576: 17,179,869,184 > 4,000,000",
        ),
        # beyond Excel's grid: 2.4 GB and 17 s in the reader
        (GOOD_ROWS + '<c r="ZZZZZ1"><v>1</v></c></row>', "cell-out-of-range", "ZZZZZ1"),
        (GOOD_ROWS + '<c r="B99999999"><v>1</v></c></row>', "cell-out-of-range", "B99999999"),
        # the reader wraps rows past 2**32 onto row 1: a silent misread
        (GOOD_ROWS + '<c r="B4294967297"><v>1</v></c></row>', "cell-out-of-range", "B4294967297"),
        # lower-case references, prefixed tags, other attribute orders and quotes: all
        # read by calamine, all found here
        (
            GOOD_ROWS + '<c r="zz99999"><v>1</v></c></row>',
            "sheet-too-large",
            "A1:ZZ99999: 70,199,298 > 4,000,000",
        ),
        (
            GOOD_ROWS + '<x:c r="XFD99999"><v>1</v></x:c></row>',
            "sheet-too-large",
            "A1:XFD99999: 1,638,383,616 > 4,000,000",
        ),
        (
            GOOD_ROWS + "<c s='0' r = 'XFD99999'><v>1</v></c></row>",
            "sheet-too-large",
            "A1:XFD99999: 1,638,383,616 > 4,000,000",
        ),
        # cells without a reference take their row's number
        (
            GOOD_ROWS + '</row><row r="4294967296"><c><v>1</v></c></row>',
            "cell-out-of-range",
            '<row r="4294967296">',
        ),
        (
            GOOD_ROWS + '</row><row r="1048576"><c><v>1</v></c><c><v>1</v></c></row>'
            '<row><c r="XFD1"><v>1</v></c></row>',
            "sheet-too-large",
            "A1:XFF1048580: 17,182,031,880 > 4,000,000",
        ),  # a bound
    ],
)
def test_allocation_bombs_lose_only_their_sheet(tmp_path, cells, code, detail):
    data = rewrite_zip(two_sheets(tmp_path), {SHEET1: sheet_xml(cells)})
    start = time.perf_counter()
    read = read_workbook(data, "bomb.xlsx")
    assert time.perf_counter() - start < 0.5
    assert [(s.name, s.grid) for s in read.sheets] == [("签到", [["x", "y"], ["1", "2"]])]
    assert read.notes == [(code, "名册", None, detail)]


def test_harmless_declarations_read_as_usual(tmp_path):
    """A huge <dimension> and a huge sharedStrings ``count`` are not used to allocate:
    the sheet reads, cell for cell."""
    cells = GOOD_ROWS + '<c r="B2" t="inlineStr"><is><t>张三</t></is></c></row>'
    xml = sheet_xml(cells).replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    read = read_workbook(rewrite_zip(two_sheets(tmp_path), {SHEET1: xml}), "dim.xlsx")
    assert read.notes == []
    assert read.sheets[0].grid == [["班级编号", "姓名"], ["C9", "张三"]]


def shared_strings_book(tmp_path: Path, rows: list[list[str]]) -> bytes:
    """A workbook whose text is in sharedStrings.xml (xlsxwriter writes it so)."""
    path = tmp_path / "_sst.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("名册")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    data = path.read_bytes()
    path.unlink()
    return data


def test_shared_strings_unique_count_is_capped_not_trusted(tmp_path):
    data = shared_strings_book(tmp_path, [["班级编号", "姓名"], ["C9", "张三"]])
    sst = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml")
    forged = sst.replace(b'uniqueCount="4"', b'uniqueCount="4294967295"')
    assert forged != sst
    read = read_workbook(rewrite_zip(data, {"xl/sharedStrings.xml": forged}), "sst.xlsx")
    assert read.notes == [("shared-strings-count", None, None, "4294967295")]
    assert read.sheets[0].grid == [["班级编号", "姓名"], ["C9", "张三"]]


def test_one_shared_string_copied_into_every_cell_is_bounded(tmp_path):
    """A 32,767-character shared string used by 10,000 cells: 9 GB from 200 KB."""
    data = shared_strings_book(tmp_path, [["长" * 32767]])
    cells = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
        + "</row>"
        for r in range(1, 1001)
    )
    read = read_workbook(rewrite_zip(data, {SHEET1: sheet_xml(cells)}), "amp.xlsx")
    assert read.sheets == []  # no sheet left: the file fails (no-usable-table), saying why
    assert read.notes == [("sheet-too-much-text", "名册", None, "937 MB > 256 MB")]


def test_the_cells_cap_counts_every_sheet_of_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PEIXUN_MAX_CELLS", "6")
    read = read_workbook(two_sheets(tmp_path), "two.xlsx")
    assert [s.name for s in read.sheets] == ["名册"]
    assert read.notes == [("sheet-too-large", "签到", None, "A1:B2: 4 + 4 > 6")]


def test_an_allocation_bomb_in_one_process_leaves_the_rest_audited(tmp_path):
    """With --jobs 1 the reader used to abort the whole process (exit 134, no output)."""
    Bundle().write(tmp_path)
    cells = GOOD_ROWS + '<c r="XFD1048576"><v>1</v></c></row>'
    (tmp_path / "bomb.xlsx").write_bytes(
        rewrite_zip(two_sheets(tmp_path), {SHEET1: sheet_xml(cells)})
    )
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
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PEIXUN_JOBS": "1"},
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    import resource

    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KiB
    doc = json.loads(proc.stdout)
    assert any(e["class_id"] == "C1" for e in doc["eligibility"])
    bomb = next(i for i in doc["inputs"] if i["path"].endswith("bomb.xlsx"))
    assert bomb["status"] == "failed"  # its other sheet has no table
    assert [(p["code"], p["sheet"]) for p in bomb["problems"]][0] == ("sheet-too-large", "名册")


# --- (b) the formula scan is linear


def test_formula_scan_is_linear_on_unclosed_tags(tmp_path):
    """60,000 unclosed <c r="A1"> tags (3 KB zipped) took the old regex 161 s."""
    xml = sheet_xml('<row r="1"><c r="A1"><f>1+1</f>' + '<c r="A1">' * 60000 + "</row>")
    start = time.perf_counter()
    assert sniff._formulas_without_values(xml) == ["A1"]
    data = rewrite_zip(two_sheets(tmp_path), {SHEET1: xml})
    assert len(data) < 8000
    read = read_workbook(data, "unclosed.xlsx")
    assert time.perf_counter() - start < 1.0
    assert [s.name for s in read.sheets] == ["签到"]
    assert [(n[0], n[1]) for n in read.notes] == [("sheet-unreadable", "名册")]


def test_formula_scan_finds_exactly_the_cells_without_a_cached_value():
    xml = sheet_xml(
        '<row r="1"><c r="A1"><f>1+1</f></c>'  # no value
        '<c r="B1"><f>1+1</f><v>2</v></c>'  # cached
        '<c r="C1"><f>1+1</f><v></v></c>'  # empty value: none
        '<c r="D1"/><c r="E1" t="str"><f>"a"</f><v/></c>'
        '<x:c r="f1"><x:f>1</x:f></x:c>'  # prefixed, lower-case reference
        '<c r="G1"><v>3</v></c><c r="H1"><f>2</f></row>'  # unclosed: up to the next cell
    )
    assert sniff._formulas_without_values(xml) == ["A1", "C1", "E1", "F1", "H1"]


# --- (d) DTDs anywhere, a missing relationship, long cells


def _with_doctype(data: bytes, part: str, encoding: str = "utf-8", pad: int = 0) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    body = archive.read(part) if part in archive.namelist() else b"<x/>"
    text = body.decode("utf-8")
    decl = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    if pad:  # after the first 4 KiB: a comment pads the prologue
        text = (
            text.replace("?>", "?>" + "<!--" + " " * pad + "-->", 1)
            if "?>" in text
            else ("<!--" + " " * pad + "-->" + text)
        )
    text = text.replace("<", decl + "<", 1) if not pad else text.replace("-->", "-->" + decl, 1)
    return rewrite_zip(data, {part: text.encode(encoding)})


@pytest.mark.parametrize(
    ("part", "encoding", "pad"),
    [
        ("xl/workbook.xml", "utf-8", 5000),  # after the first 4 KiB
        ("xl/worksheets/sheet2.xml", "utf-8", 20000),
        ("customXml/item1.dat", "utf-8", 0),  # not named .xml
        ("docProps/core.xml", "utf-16", 0),  # UTF-16 with its BOM
        ("docProps/app.xml", "utf-16-be", 0),
        ("xl/sharedStrings.xml", "utf-8", 0),
    ],
)
def test_a_dtd_in_any_part_refuses_the_file(tmp_path, part, encoding, pad):
    data = _with_doctype(two_sheets(tmp_path), part, encoding, pad)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(data, "dtd.xlsx")
    assert (caught.value.code, caught.value.detail) == ("xml-entities", part)


def test_a_member_inflating_past_its_declared_size_is_corrupt(tmp_path):
    data = two_sheets(tmp_path)
    archive = zipfile.ZipFile(io.BytesIO(data))
    entry = archive.getinfo(SHEET1)
    # the central directory's uncompressed size, lowered to 10 bytes
    central = data.index(SHEET1.encode(), archive.start_dir) - 46  # its central header
    assert data[central : central + 4] == b"PK\x01\x02" and entry.file_size > 10
    forged = bytearray(data)
    forged[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(WorkbookError) as caught:
        read_workbook(bytes(forged), "lying.xlsx")
    assert caught.value.code == "corrupt-zip"


def test_a_missing_relationship_loses_only_its_sheet(tmp_path):
    data = two_sheets(tmp_path)
    workbook = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    broken = rewrite_zip(
        data, {"xl/workbook.xml": workbook.replace(b'r:id="rId2"', b'r:id="rId77"')}
    )
    read = read_workbook(broken, "rel.xlsx")
    assert [(s.name, s.grid) for s in read.sheets] == [
        ("名册", [["班级编号", "姓名"], ["C9", "张三"]])
    ]
    assert read.notes == [("sheet-unreadable", "签到", None, "relationship 'rId77' missing")]


def test_long_cells_read_whole_and_the_unzipped_cap_bounds_them(tmp_path, monkeypatch):
    long = "长" * 32767
    rows = [["班级编号", "姓名", "家庭住址"]] + [["C4", f"张{i}", long] for i in range(100)]
    path = write_book(tmp_path / "long.xlsx", {"名册": rows})
    read = read_workbook(path.read_bytes(), "long.xlsx")
    assert [r[2] for r in read.sheets[0].grid[1:]] == [long] * 100
    monkeypatch.setenv("PEIXUN_MAX_UNZIPPED_MB", "4")  # 100 × 98 KB of text
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path.read_bytes(), "long.xlsx")
    assert caught.value.code == "too-large-unzipped"


# --- (c) per-file caps in the reading workers


def test_a_task_over_the_time_or_memory_cap_ends_its_worker_only(monkeypatch):
    """The pool's caps, with built-in tasks (a worker imports nothing more); a worker
    that dies is reported as reader-crashed by load_paths (test_parallel.
    test_a_reader_that_dies_is_reported_and_the_rest_still_read)."""
    from peixun_audit.parallel import one_by_one

    monkeypatch.setenv("PEIXUN_READ_TIMEOUT", "0.3")
    monkeypatch.setenv("PEIXUN_READ_MEMORY_MB", "512")
    start = time.perf_counter()
    # a reader stuck in native code looks like this to the pool
    assert list(one_by_one(time.sleep, [(0,), (60,), (0,)])) == [
        (True, None),
        (False, None),
        (True, None),
    ]
    # 1 GiB, over the worker's 512 MB address space
    results = list(one_by_one(bytearray, [(1,), (1 << 30,), (1,)]))
    assert results == [(True, bytearray(1)), (False, None), (True, bytearray(1))]
    assert time.perf_counter() - start < 5


# --- (e) silent data loss


def _text_table(title: bool = True) -> str:
    rows = ["2020年第一期电工培训班学员名册"] if title else []
    rows += ["班级编号\t姓名\t性别", "C2\t王五\t男", "C2\t李四\t女", "C2\t赵六\t男"]
    return "\r\n".join(rows) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gbk", "\t"), ("gbk", ","), ("utf-16", "\t"), ("utf-16", ","), ("utf-16-le", "\t")],
)
def test_text_exports_named_xls_with_a_title_row_are_read(encoding, delimiter):
    data = _text_table().replace("\t", delimiter).encode(encoding)
    read = read_workbook(data, "名册.xls")
    assert read.notes == [("csv-as-workbook", None, None, "")]
    assert read.sheets[0].grid == [
        ["2020年第一期电工培训班学员名册", "", ""],
        ["班级编号", "姓名", "性别"],
        ["C2", "王五", "男"],
        ["C2", "李四", "女"],
        ["C2", "赵六", "男"],
    ]


def test_binary_junk_and_prose_are_still_not_tables():
    for data in (
        b"\x00\x01binary junk\x00" * 50,
        "一段说明文字，没有表格。\r\n第二行。\r\n".encode("gbk"),
    ):
        with pytest.raises(WorkbookError) as caught:
            read_workbook(data, "x.xls")
        assert caught.value.code == "not-a-workbook"


def test_links_devices_and_unlistable_folders_are_listed(tmp_path, monkeypatch):
    from peixun_audit.load import plan_inputs

    Bundle().write(tmp_path)
    (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inside.xlsx").write_bytes(b"x")
    (tmp_path / "vanishing").mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        name = os.fspath(path)
        if name.endswith("locked"):
            raise PermissionError(13, "Permission denied", name)
        if name.endswith("vanishing"):
            raise FileNotFoundError(2, "No such file or directory", name)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    listed = {
        Path(i.display).name: i.entry and [(p.code, p.params["detail"]) for p in i.entry.problems]
        for i in plan_inputs([tmp_path, Path("/dev/null")])
    }
    assert listed == {
        "bundle.xlsx": None,
        "dangling.xlsx": [("broken-link", str(tmp_path / "gone.xlsx"))],
        "locked": [("folder-unreadable", "Permission denied")],
        "vanishing": [("folder-unreadable", "No such file or directory")],
        "zero.xlsx": [("not-a-file", "/dev/zero")],
        "null": [("not-a-file", "/dev/null")],
    }
    dataset = load_paths([tmp_path])
    statuses = {Path(f.path).name: f.status for f in dataset.inputs}
    assert statuses["bundle.xlsx"] == "ok" and statuses["zero.xlsx"] == "failed"


def test_a_path_longer_than_path_max_is_listed(tmp_path):
    from peixun_audit.load import plan_inputs

    Bundle().write(tmp_path)
    deep = os.open(tmp_path, os.O_RDONLY)
    try:  # 24 nested folders of 200 characters: over Linux's 4,096
        for _ in range(24):
            os.mkdir("d" * 200, dir_fd=deep)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=deep)
            os.close(deep)
            deep = inner
    finally:
        os.close(deep)
    listed = [
        (Path(i.display).name, i.entry and i.entry.problems[0].code)
        for i in plan_inputs([tmp_path])
    ]
    assert listed[0] == ("bundle.xlsx", None)
    assert len(listed) == 2 and listed[1][1] == "folder-unreadable"


def test_a_file_over_the_size_cap_is_listed_not_read(tmp_path, monkeypatch):
    from peixun_audit.load import plan_inputs

    monkeypatch.setenv("PEIXUN_MAX_UNZIPPED_MB", "1")
    with open(tmp_path / "sparse.xlsx", "wb") as fh:
        fh.truncate(40 << 30)  # 40 GB of nothing: reading it was a MemoryError
    [item] = plan_inputs([tmp_path])
    assert [(p.code, p.params["detail"]) for p in item.entry.problems] == [
        ("file-too-large", "40960 MB > 1 MB")
    ]


def test_a_table_over_excels_row_limit_continues_on_more_sheets(tmp_path, monkeypatch):
    import openpyxl

    from peixun_audit.report import excel

    monkeypatch.setattr(excel, "MAX_ROWS", 4)  # a header and three rows a sheet
    rows = [[f"F{i}", i] for i in range(7)]
    excel.write_sheets(tmp_path / "r.xlsx", [("问题清单", ["code", "n"], rows, {2, 3, 6})])
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["问题清单", "问题清单 (2)", "问题清单 (3)"]
    values = [[[c.value for c in row] for row in ws.iter_rows()] for ws in book]
    assert values == [
        [["code", "n"], ["F0", 0], ["F1", 1], ["F2", 2]],
        [["code", "n"], ["F3", 3], ["F4", 4], ["F5", 5]],
        [["code", "n"], ["F6", 6]],
    ]
    red = [
        [
            row[0].value
            for row in ws.iter_rows(min_row=2)
            if row[0].font.color is not None and row[0].font.color.rgb == "FFC00000"
        ]
        for ws in book
    ]
    assert red == [["F2"], ["F3"], ["F6"]]


# --- (f) the round-two fuzzer, bounded (scripts/fuzz.py --xml runs 10,000 cases)


def test_bounded_fuzz_of_sheet_xml_counts_and_numbers(sample_dir, tmp_path):
    from peixun_audit.fuzz import XML_MUTATIONS, fuzz, shared_string_copies

    seeds = sorted(sample_dir.rglob("*.xlsx"))[:3]
    seeds += shared_string_copies(seeds, tmp_path)
    report = fuzz(seeds, iterations=40, seed=13, batch=20, mutations=XML_MUTATIONS)
    assert report.tried == 40
    assert report.crashes == []
    assert report.unaccounted == []
    assert set(report.by_mutation) <= set(XML_MUTATIONS)


def _xls_in_code_page(tmp_path: Path, code_page: int, codec: str) -> bytes:
    """A BIFF8 .xls whose 8-bit strings hold ``codec`` bytes under CODEPAGE
    ``code_page``, as Chinese export tools write them (xlwt writes ASCII strings 8-bit:
    placeholders of the same length are swapped for the encoded text)."""
    import struct

    import xlwt

    texts = [["班级编号", "姓名"], ["C1", "张三"]]
    book = xlwt.Workbook()
    sheet_name = "名册".encode(codec)
    sheet = book.add_sheet("Z" * len(sheet_name))
    swaps = {b"Z" * len(sheet_name): sheet_name}
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            if text.isascii():
                sheet.write(r, c, text)
                continue
            encoded = text.encode(codec)
            placeholder = bytes([0x41 + len(swaps)]) * len(encoded)
            swaps[placeholder] = encoded
            sheet.write(r, c, placeholder.decode())
    path = tmp_path / "cp.xls"
    book.save(str(path))
    data = path.read_bytes()
    for placeholder, encoded in swaps.items():
        assert data.count(placeholder) == 1
        data = data.replace(placeholder, encoded)
    record = b"\x42\x00\x02\x00" + struct.pack("<H", 1200)
    assert data.count(record) == 1
    return data.replace(record, b"\x42\x00\x02\x00" + struct.pack("<H", code_page))


@pytest.mark.parametrize(("code_page", "codec"), [(936, "gbk"), (65001, "utf-8")])
def test_xls_text_in_a_legacy_code_page_reads_as_written(tmp_path, code_page, codec):
    data = _xls_in_code_page(tmp_path, code_page, codec)
    read = read_workbook(data, "cp.xls")
    assert [(s.name, s.grid) for s in read.sheets] == [
        ("名册", [["班级编号", "姓名"], ["C1", "张三"]])
    ]
    assert sniff.xls_codepage(data)[0] == codec


def test_a_refused_sheet_is_found_whatever_its_name_looks_like(tmp_path):
    """Sheets are matched to calamine's list by position: an escaped name
    (``_x0041_``, character references) cannot smuggle the bomb past the front-end."""
    data = two_sheets(tmp_path)
    workbook = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    renamed = workbook.replace('name="名册"'.encode(), b'name="_x0041_&#21517;"')
    assert renamed != workbook
    cells = GOOD_ROWS + '<c r="XFD1048576"><v>1</v></c></row>'
    bomb = rewrite_zip(data, {"xl/workbook.xml": renamed, SHEET1: sheet_xml(cells)})
    read = read_workbook(bomb, "bomb.xlsx")
    assert [s.name for s in read.sheets] == ["签到"]
    assert [(n[0], n[3]) for n in read.notes] == [
        ("sheet-too-large", "A1:XFD1048576: 17,179,869,184 > 4,000,000")
    ]


def test_a_dtd_in_a_duplicated_member_is_found(tmp_path):
    import warnings

    data = two_sheets(tmp_path)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w") as zout,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # "Duplicate name": the point
        zout.writestr(SHEET1, b'<!DOCTYPE x [<!ENTITY a "a">]><worksheet/>')
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
    with pytest.raises(WorkbookError) as caught:
        read_workbook(out.getvalue(), "dup.xlsx")
    assert (caught.value.code, caught.value.detail) == ("xml-entities", SHEET1)


def test_huge_finite_plan_hours_are_refused_not_computed(tmp_path):
    """1.7976931348623157e308 plan hours overflowed the attendance arithmetic (fuzzer)."""
    from typer.testing import CliRunner

    from peixun_audit.cli import app

    b = Bundle()
    b.plan[0]["课时"] = 1.7976931348623157e308
    b.plan[1]["课时"] = "99999999999999999999999"
    args = ["audit", str(b.write(tmp_path)), "-f", "json", "--as-of", "2026-01-01", "--jobs", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output[-1500:]
    doc = json.loads(result.stdout)
    problems = [p for i in doc["inputs"] for p in i["problems"] if p["code"] == "unreadable-number"]
    assert len(problems) == 2 and all("课时" in p["message"] for p in problems)


def test_a_repaired_copy_keeps_members_the_zip_module_would_refuse(tmp_path):
    """A forged uniqueCount makes the front-end write a repaired copy; a member with a
    bad CRC beside it must not crash that copy (the fuzzer found BadZipFile there)."""
    data = shared_strings_book(tmp_path, [["班级编号", "姓名"], ["C9", "张三"]])
    sst = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml")
    forged = rewrite_zip(
        data, {"xl/sharedStrings.xml": sst.replace(b'uniqueCount="4"', b'uniqueCount="99999"')}
    )
    archive = zipfile.ZipFile(io.BytesIO(forged))
    theme = archive.getinfo("xl/theme/theme1.xml")
    central = forged.index(theme.filename.encode(), archive.start_dir) - 46
    broken = bytearray(forged)
    broken[central + 16 : central + 20] = (theme.CRC ^ 1).to_bytes(4, "little")  # its CRC
    read = read_workbook(bytes(broken), "crc.xlsx")
    assert read.sheets[0].grid == [["班级编号", "姓名"], ["C9", "张三"]]
    assert read.notes == [("shared-strings-count", None, None, "99999")]


# --- the cheap bound of a class workbook's sheets (sniff._bounded_shape)


def test_small_sheets_take_the_bound_and_odd_ones_the_exact_scan():
    small = sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="ZZ999"><v>2</v></c></row>')
    assert sniff._bounded_shape(small) is not None
    assert sniff._shape(small).box == "A1:ZZ999"
    assert sniff._shape(small, exact=True).area == 999 * 702
    for odd in (
        '<c r="AAA1">',
        '<c r="A1000">',
        '<c r="zz1">',
        '<c r="A0">',
        "<c>",
        '<c s="1" r="A1">',
        "<c r='A1'>",
        '<x:c r="A1">',
        '<c r="A1"><x:f>1</x:f>',
    ):
        xml = sheet_xml(f'<row r="1">{odd}<v>1</v></c></row>')
        assert sniff._bounded_shape(xml) is None, odd
    # <cols>, <cfRule>, <color> are not cells
    xml = sheet_xml('<row r="1"><c r="B2"><v>1</v></c></row>').replace(
        b"<sheetData>", b'<cols><col min="1" max="2"/></cols><sheetData>'
    )
    assert sniff._bounded_shape(xml).cells == 1


def test_many_small_sheets_are_judged_exactly_when_their_bounds_pass_the_cap(tmp_path):
    """Six sheets of 2 × 2 cells: their bounds (6 × 701,298) pass the 4,000,000-cell cap,
    their rectangles do not: every sheet is read."""
    path = write_book(tmp_path / "six.xlsx", {f"表{i}": [["a", "b"], ["1", "2"]] for i in range(6)})
    read = read_workbook(path.read_bytes(), "six.xlsx")
    assert read.notes == []
    assert [s.grid for s in read.sheets] == [[["a", "b"], ["1", "2"]]] * 6


def test_a_cap_below_the_bound_judges_the_exact_rectangle(tmp_path, monkeypatch):
    monkeypatch.setenv("PEIXUN_MAX_CELLS", "5")
    data = two_sheets(tmp_path)  # 名册 2 × 2, then 签到 2 × 2: 8 cells > 5
    read = read_workbook(data, "capped.xlsx")
    assert [s.name for s in read.sheets] == ["名册"]
    assert read.notes == [("sheet-too-large", "签到", None, "A1:B2: 4 + 4 > 5")]


def test_the_early_pool_puts_its_tasks_under_the_caps_too(monkeypatch):
    """A folder's readers start early (parallel.early_pool): their tasks have the same
    time cap as a pool started for the work (it was missing there)."""
    from concurrent.futures.process import BrokenProcessPool

    from peixun_audit.parallel import early_pool, pool_map

    monkeypatch.setenv("PEIXUN_READ_TIMEOUT", "0.3")
    start = time.perf_counter()
    with pytest.raises(BrokenProcessPool):
        with early_pool(2) as pool:
            assert pool is not None
            with pool_map(time.sleep, [0, 60], jobs=2, pool=pool) as results:
                list(results)
    assert time.perf_counter() - start < 20
