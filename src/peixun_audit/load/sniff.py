"""What a file really is, before and besides python-calamine.

- Zip containers (.xlsx/.xlsm/.ods) are checked before reading: total decompressed
  size under a cap (a 2.6 MB file can expand to 1 GiB and take calamine minutes and
  gigabytes), and no DTD or entity declarations in any XML part (no expansion bombs).
- Encrypted Office files are OLE containers holding an ``EncryptionInfo`` stream.
- Web platforms export HTML tables or CSV text named .xls: read them as what they are.
- Formula cells without a cached value read as empty in calamine; we find them in the
  sheet XML so they can be reported, never silently taken as blanks.
- A .csv file is one table of text; the tool's own Excel outputs carry a custom
  document property ``peixun-audit`` naming what they are (``output_kind``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import struct
import zipfile
import zlib
from html.parser import HTMLParser

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_UNZIPPED_MB = 256


def max_unzipped_bytes() -> int:
    """The cap on a workbook's decompressed size; ``PEIXUN_MAX_UNZIPPED_MB`` overrides."""
    try:
        mb = float(os.environ.get("PEIXUN_MAX_UNZIPPED_MB", DEFAULT_MAX_UNZIPPED_MB))
    except ValueError:
        mb = DEFAULT_MAX_UNZIPPED_MB
    return int(mb * 1024 * 1024)


class SniffError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def is_encrypted_ole(data: bytes) -> bool:
    head = data[: 1 << 20]
    return data.startswith(OLE_MAGIC) and (
        "EncryptionInfo".encode("utf-16-le") in head or b"EncryptionInfo" in head
    )


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Refuse corrupt zips, zip bombs and XML with DTDs before calamine reads them;
    return the opened archive for :func:`formulas_without_values`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd versions), EOFError…
        raise SniffError("corrupt-zip", str(exc)[:200]) from exc
    total = sum(e.file_size for e in entries)
    cap = max_unzipped_bytes()
    if total > cap:
        raise SniffError("too-large-unzipped", f"{total // (1 << 20)} MB > {cap // (1 << 20)} MB")
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels")):
            continue
        try:
            head = member_head(data, entry, 4096)
            if head is None:  # an unusual member: the zipfile module reads it
                with archive.open(entry) as fh:
                    head = fh.read(4096)
        except Exception as exc:  # truncated member, bad data, unsupported compression
            raise SniffError("corrupt-zip", f"{entry.filename}: {str(exc)[:160]}") from exc
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise SniffError("xml-entities", entry.filename)
    return archive


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature … file name length, extra length


def member_head(data: bytes, entry: zipfile.ZipInfo, size: int | None) -> bytes | None:
    """The first ``size`` bytes (all when None) of a stored or deflated member,
    decompressed straight from the archive bytes (``ZipFile.open`` costs 35 µs a
    member, 7,000 members a city-year); None for anything else (encrypted, other
    compression). No CRC check: calamine reads the member again and judges it."""
    if entry.flag_bits & 0x1 or entry.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    ):
        return None
    offset = entry.header_offset
    signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, offset)
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local file header")
    start = offset + _LOCAL_HEADER.size + name_length + extra_length
    if size is None:
        chunk = data[start : start + entry.compress_size]
        if entry.compress_type == zipfile.ZIP_STORED:
            return chunk
        return zlib.decompressobj(-15).decompress(chunk)
    # XML deflates 5–20×: this much input yields ``size`` bytes for any real member
    chunk = data[start : start + min(entry.compress_size, 4 * size + 1024)]
    if entry.compress_type == zipfile.ZIP_STORED:
        return chunk[:size]
    return zlib.decompressobj(-15).decompress(chunk, size)


def _read(archive: zipfile.ZipFile, data: bytes, name: str) -> bytes:
    entry = archive.getinfo(name)
    found = member_head(data, entry, None)
    return archive.read(entry) if found is None else found


_SHEET = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_VALUE = re.compile(rb"<v>[^<]+</v>")  # a cached value; <v/> and <v></v> hold none
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)


def formulas_without_values(archive: zipfile.ZipFile, data: bytes) -> list[tuple[str, str]]:
    """(sheet name, cell) of every formula cell that has no cached value (.xlsx only)."""
    try:
        workbook = _read(archive, data, "xl/workbook.xml")
        rels = _read(archive, data, "xl/_rels/workbook.xml.rels")
    except Exception:
        return []
    targets = {rid: target for rid, target in _REL.findall(rels)}
    targets.update({rid: target for target, rid in _REL_REVERSED.findall(rels)})
    found = []
    for name, rid in _SHEET.findall(workbook):
        target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        try:
            xml = _read(archive, data, path)
        except Exception:  # a missing or damaged member: calamine has already judged the sheet
            continue
        if b"<f" not in xml:
            continue
        sheet_name = _xml_unescape(name.decode("utf-8", "replace"))
        for ref, body in _CELL.findall(xml):
            if body and b"<f" in body and not _VALUE.search(body):
                found.append((sheet_name, ref.decode()))
    return found


OUTPUT_PROPERTY = "peixun-audit"  # the custom document property the tool's workbooks carry
_PROPERTY = re.compile(
    rb'<(?:\w+:)?property\b[^>]*?\bname="%s"[^>]*>\s*<(?:\w+:)?\w+>([^<]*)<'
    % re.escape(OUTPUT_PROPERTY.encode()),
    re.S,
)


def output_kind(archive: zipfile.ZipFile, data: bytes) -> str | None:
    """What the ``peixun-audit`` custom document property (docProps/custom.xml) says
    this workbook is: ``report``, ``call-sheet``, ``template``; None when it has none.
    The loader's own reader: it imports nothing from the report writers."""
    try:
        entry = archive.getinfo("docProps/custom.xml")
        xml = member_head(data, entry, 1 << 16)
        if xml is None:
            with archive.open(entry) as fh:
                xml = fh.read(1 << 16)
    except Exception:  # no such part, or a damaged one: not one of ours
        return None
    found = _PROPERTY.search(xml)
    return _xml_unescape(found.group(1).decode("utf-8", "replace")).strip() if found else None


def _xml_unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


class _Tables(HTMLParser):
    """Rows of every <table>: cell text, with colspan repeated."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.extend(["".join(self._cell).strip()] * self._span)
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def decode_text(data: bytes) -> str | None:
    """Text in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (GBK's superset)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def text_tables(data: bytes) -> tuple[str, list[tuple[str, list[list[str]]]]] | None:
    """("html"|"csv", [(sheet name, rows)]) for a text file holding a table, else None."""
    text = decode_text(data)
    if text is None:
        return None
    head = text[:4096].lower()
    if "<table" in head or "<html" in head or "<table" in text.lower():
        parser = _Tables()
        parser.feed(text)
        tables = [t for t in parser.tables if t]
        if not tables:
            return None
        return "html", [
            (f"表{i + 1}" if len(tables) > 1 else "Sheet1", t) for i, t in enumerate(tables)
        ]
    lines = text.splitlines()
    if not lines:
        return None
    sample = "\n".join(lines[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return None
    rows = [row for row in csv.reader(io.StringIO(text), dialect)]
    if max((len(r) for r in rows), default=0) < 2:
        return None
    return "csv", [("Sheet1", rows)]


DELIMITERS = ",\t;|"


def csv_rows(data: bytes) -> list[list[str]]:
    """The rows of a .csv file (a file known to be CSV: a single column is fine, and a
    layout the sniffer cannot judge is split on its most frequent delimiter), padded
    to the widest row. Raises :class:`SniffError` ``csv-unreadable``."""
    text = decode_text(data)
    if text is None:
        raise SniffError("csv-unreadable", "not UTF-8, UTF-16 or GBK text")
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect = csv.Sniffer().sniff(sample, DELIMITERS)
    except csv.Error:
        dialect = csv.excel()
        dialect.delimiter = max(DELIMITERS, key=sample.count) if sample.strip() else ","
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:  # a NUL byte, a field over csv.field_size_limit()
        raise SniffError("csv-unreadable", str(exc)[:200]) from exc
    width = max((len(r) for r in rows), default=0)
    if not width:
        raise SniffError("csv-unreadable", "no rows")
    return [r + [""] * (width - len(r)) for r in rows]


_KEY = re.compile(r"[a-z][a-z0-9_]*")
# keys that head the columns of the tool's CSV outputs (report/csv_out.py writes the
# JSON keys as headers): findings, attendance, eligibility, inputs, samples
_OUTPUT_KEYS = frozenset({"class_id", "student_name", "id_number", "severity", "sha256"})
# the last column of the tool's Chinese CSV outputs (their other headers are Chinese
# labels, which input tables use too: 班级编号, 姓名, 身份证号 …)
OUTPUT_MARK = "peixun-audit"


def is_output_csv(rows: list[list[str]]) -> bool:
    """Whether a CSV table is one of the tool's own CSV outputs: its last header is
    :data:`OUTPUT_MARK` (a Chinese output), or its first row is all English keys, some
    of them the tool's. No input header is English (load.schema has
    no such alias), so such a table could never be read as data anyway."""
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0]] if rows else []
    if len(header) > 1 and header[-1] == OUTPUT_MARK:
        return True
    return (
        len(header) > 1
        and all(_KEY.fullmatch(cell) for cell in header)
        and not _OUTPUT_KEYS.isdisjoint(header)
    )
