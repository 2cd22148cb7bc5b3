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
import dataclasses
import functools
import html
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
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


DEFAULT_MAX_CELLS = 4_000_000  # 10× the largest real table (a city-year roster)
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # XFD1048576


def max_cells() -> int:
    """The cap on the cells a file's sheets may span (the reader allocates the whole
    rectangle of each sheet, empty cells included); ``PEIXUN_MAX_CELLS`` overrides."""
    try:
        cells = int(float(os.environ.get("PEIXUN_MAX_CELLS", DEFAULT_MAX_CELLS)))
    except (ValueError, OverflowError):
        cells = DEFAULT_MAX_CELLS
    return max(cells, 1)


@dataclass
class Inspection:
    """What the bounded front-end found in a zip container, before calamine reads it."""

    archive: zipfile.ZipFile
    data: bytes  # what calamine reads: the file's bytes, or a repaired copy (see check_zip)
    # sheet name → (problem code, detail): sheets calamine must not be asked for
    refused: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the workbook's sheets in order (as calamine lists them), and the positions refused:
    # names can be escaped differently, or repeat
    order: list[str] = field(default_factory=list)
    refused_at: dict[int, tuple[str, str]] = field(default_factory=dict)
    # (code, sheet, cell, detail) notes, as ReadResult.notes
    notes: list[tuple[str, str | None, str | None, str]] = field(default_factory=list)


_DTD = tuple(
    token.encode(encoding)
    for token in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def check_zip(data: bytes) -> Inspection:
    """The bounded front-end of the reader for zip containers (.xlsx/.xlsm/.ods).

    Refuses the whole file (:class:`SniffError`) when the zip is corrupt, expands
    over the cap, or any part — every member, whatever its name, in UTF-8 or UTF-16 —
    declares a DTD or entities. Every member is decompressed once, never past its
    declared size. Then, for each worksheet, without an XML parse: the rectangle its
    cell references span (calamine allocates all of it: one cell at ``XFD1048576``
    asks for 512 GB) and references beyond Excel's grid refuse that sheet only;
    formula cells without a cached value are noted. A sheet whose relationship is
    missing (calamine would refuse the whole file) is dropped from a repaired copy of
    the workbook and noted, and a shared-strings ``uniqueCount`` larger than its part
    could hold (calamine reserves that many strings up front) is removed the same
    way: the other sheets are still read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd versions), EOFError…
        raise SniffError("corrupt-zip", str(exc)[:200]) from exc
    total = sum(e.file_size for e in entries)
    cap = max_unzipped_bytes()
    if total > cap:
        raise SniffError("too-large-unzipped", f"{total // (1 << 20)} MB > {cap // (1 << 20)} MB")
    found = Inspection(archive, data)
    names = {e.filename for e in entries}
    workbook = _member(archive, data, "xl/workbook.xml") if "xl/workbook.xml" in names else None
    rels = (
        _member(archive, data, "xl/_rels/workbook.xml.rels")
        if "xl/_rels/workbook.xml.rels" in names
        else b""
    )
    sheets: tuple[tuple[str, str, bytes], ...] = ()  # (name, rid, the <sheet> tag)
    targets: dict[str, str] = {}
    shared_strings = {"xl/sharedStrings.xml"}
    if workbook is not None:
        _refuse_dtd(workbook, "xl/workbook.xml")
        _refuse_dtd(rels, "xl/_rels/workbook.xml.rels")
        sheets, (targets, shared_paths) = _workbook_parts(workbook, rels)
        shared_strings.update(shared_paths)
    sheet_parts = {targets[rid] for _, rid, _ in sheets if rid in targets}
    # decompressed once: kept for the scan of every member below
    early = {
        archive.getinfo(n): _member(archive, data, n)
        for n in sorted(shared_strings & names)
        if n not in sheet_parts
    }
    strings = _SharedStrings(list(early.values()))
    shapes: dict[str, _Shape] = {}
    replace: dict[str, bytes] = {}
    for entry in entries:
        if entry.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            continue
        body = early.get(entry)
        if body is None:
            body = _member(archive, data, entry)  # every entry, duplicated names included
        _refuse_dtd(body, entry.filename)
        if entry.filename in sheet_parts:
            shapes[entry.filename] = shape = _shape(body)
            shape.xml, shape.text = body, strings.bound(shape.cells)
        elif entry.filename in shared_strings:
            fixed = _cap_unique_count(body)
            if fixed is not None:
                replace[entry.filename], declared = fixed
                found.notes.append(("shared-strings-count", None, None, declared))
    dropped = []
    cells = max_cells()
    spanned = text = 0
    for name, rid, tag in sheets:
        if rid not in targets:
            dropped.append(tag)
            found.notes.append(("sheet-unreadable", name, None, f"relationship {rid!r} missing"))
            continue
        found.order.append(name)
        shape = shapes.get(targets[rid])
        if shape is None:  # no such part: calamine judges the sheet
            continue
        # bounds first; exact figures only where a bound would pass a cap
        if shape.bounded and spanned + shape.area > cells:
            shape = dataclasses.replace(
                _shape(shape.xml, exact=True), xml=shape.xml, text=shape.text
            )
        if text + shape.text > cap:
            shape.text = strings.volume(shape.xml, shape.cells)
        verdict = None
        if shape.outside is not None:
            verdict = ("cell-out-of-range", shape.outside)
        elif shape.area > cells or spanned + shape.area > cells:
            detail = f"{shape.box}: {shape.area:,} > {cells:,}"
            if shape.area <= cells:
                detail = f"{shape.box}: {spanned:,} + {shape.area:,} > {cells:,}"
            verdict = ("sheet-too-large", detail)
        elif shape.text > cap or text + shape.text > cap:
            mb = 1 << 20
            detail = f"{shape.text // mb} MB > {cap // mb} MB"
            if shape.text <= cap:
                detail = f"{text // mb} MB + {shape.text // mb} MB > {cap // mb} MB"
            verdict = ("sheet-too-much-text", detail)
        if verdict is not None:
            found.refused[name] = found.refused_at[len(found.order) - 1] = verdict
            continue
        spanned += shape.area
        text += shape.text
        found.notes.extend(("formula-no-value", name, cell, "") for cell in shape.formulas)
    if dropped:
        for tag in dropped:
            workbook = workbook.replace(tag, b"", 1)
        replace["xl/workbook.xml"] = workbook
    if replace:
        found.data = _rewrite(archive, data, replace)
        found.archive = zipfile.ZipFile(io.BytesIO(found.data))
    return found


def _refuse_dtd(body: bytes, name: str) -> None:
    if b"!" in body and any(token in body for token in _DTD):  # memchr first: cheap
        raise SniffError("xml-entities", name)


def _member(archive: zipfile.ZipFile, data: bytes, name: str | zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than its declared size (a member that inflates past
    it is corrupt: a lying header must not get round the cap)."""
    entry = name if isinstance(name, zipfile.ZipInfo) else archive.getinfo(name)
    name = entry.filename
    try:
        body = member_head(data, entry, entry.file_size + 1)
        if body is None:  # an unusual member: the zipfile module reads it (and checks sizes)
            with archive.open(entry) as fh:
                body = fh.read(entry.file_size + 1)
    except Exception as exc:  # truncated member, bad data, unsupported compression
        raise SniffError("corrupt-zip", f"{name}: {str(exc)[:160]}") from exc
    if len(body) > entry.file_size:
        raise SniffError("corrupt-zip", f"{name}: larger than declared")
    return body


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


def _rewrite(archive: zipfile.ZipFile, data: bytes, replace: dict[str, bytes]) -> bytes:
    """A copy of the archive with some members replaced (stored: it is read at once).
    The others are copied as the front-end read them (the zipfile module would refuse
    a damaged CRC or a name that differs from its local header, which calamine reads)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for entry in archive.infolist():
            body = replace.get(entry.filename)
            copy.writestr(entry.filename, _member(archive, data, entry) if body is None else body)
    return out.getvalue()


def _part_path(target: str) -> str:
    """A relationship target of xl/workbook.xml as a member name."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("xl", target))


# Tags and attributes found with bounded patterns (no quantifier can run past the next
# ``>`` or a few hundred bytes): every scan here is linear in the part's size, whatever
# the part holds — unclosed tags included.
_SHEET_TAG = re.compile(rb"<(?:\w{1,32}:)?sheet\s[^<>]{0,4096}>")
_REL_TAG = re.compile(rb"<(?:\w{1,32}:)?Relationship\s[^<>]{0,4096}>")
_NAME = re.compile(rb"\sname\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_RID = re.compile(rb"\s\w{1,32}:id\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ID = re.compile(rb"\sId\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_TARGET = re.compile(rb"\sTarget\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_TYPE = re.compile(rb"\sType\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _workbook_parts(
    workbook: bytes, rels: bytes
) -> tuple[tuple[tuple[str, str, bytes], ...], tuple[dict[str, str], frozenset[str]]]:
    """The sheets of xl/workbook.xml and its relationships. Workbooks written by the same
    program share these parts byte for byte (a city-year's 600 class workbooks: 4 and 2
    distinct ones): a small part is parsed once per process; a large one (a hostile
    file's) is parsed each time, never kept."""
    small = len(workbook) + len(rels) <= _CACHED_PARTS_BYTES
    if small:
        return _cached_sheet_tags(workbook), _cached_relationships(rels)
    return _sheet_tags(workbook), _relationships(rels)


_CACHED_PARTS_BYTES = 1 << 16


def _sheet_tags(workbook: bytes) -> tuple[tuple[str, str, bytes], ...]:
    """The workbook's sheets in order: (name, relationship id, the ``<sheet>`` tag)."""
    sheets = []
    for tag in _SHEET_TAG.findall(workbook):
        name, rid = _attribute(tag, _NAME), _attribute(tag, _RID)
        sheets.append((html.unescape(name or ""), rid or "", tag))
    return tuple(sheets)


def _relationships(rels: bytes) -> tuple[dict[str, str], frozenset[str]]:
    """The workbook's relationships: {id: member name}, and the shared-strings members.
    The dict may be the cache's: never changed by the caller."""
    targets: dict[str, str] = {}
    shared_strings = set()
    for tag in _REL_TAG.findall(rels):
        rid, target = _attribute(tag, _ID), _attribute(tag, _TARGET)
        if rid is None or target is None:
            continue
        path = _part_path(html.unescape(target))
        targets[rid] = path
        if (_attribute(tag, _TYPE) or "").endswith("/sharedStrings"):
            shared_strings.add(path)
    return targets, frozenset(shared_strings)


_cached_sheet_tags = functools.lru_cache(maxsize=32)(_sheet_tags)
_cached_relationships = functools.lru_cache(maxsize=32)(_relationships)


def _attribute(tag: bytes, pattern: re.Pattern) -> str | None:
    found = pattern.search(tag)
    if found is None:
        return None
    value = found.group(1) if found.group(1) is not None else found.group(2)
    return value.decode("utf-8", "replace")


_UNIQUE_COUNT = re.compile(
    rb"(<(?:\w{1,32}:)?sst\s[^<>]{0,4096}?)\suniqueCount\s*=\s*[\"'](\d+)[\"']"
)


def _cap_unique_count(body: bytes) -> tuple[bytes, str] | None:
    """The shared-strings part without its ``uniqueCount`` when it declares more strings
    than the part could hold (each takes at least ``<si/>``, 5 bytes); else None."""
    found = _UNIQUE_COUNT.search(body, 0, 8192)
    if found is None or int(found.group(2)) <= len(body) // 5:
        return None
    return body[: found.end(1)] + body[found.end() :], found.group(2).decode()


_CELL_TAG = re.compile(rb"<(?:\w{1,32}:)?c[\s/>]")
_CELL_REF = re.compile(
    rb"<(?:\w{1,32}:)?c\s[^<>]{0,512}?(?<![\w:])r\s*=\s*[\"']([A-Za-z]{1,64})([0-9]{1,64})[\"']"
)
_ROW_TAG = re.compile(rb"<(?:\w{1,32}:)?row[\s/>]")
_ROW_REF = re.compile(
    rb"<(?:\w{1,32}:)?row\s[^<>]{0,512}?(?<![\w:])r\s*=\s*[\"']([0-9]{1,64})[\"']"
)


@dataclass
class _Shape:
    area: int  # cells in the rectangle the sheet's cells span
    box: str  # that rectangle, e.g. "A1:XFD1048576"
    outside: str | None  # a cell reference beyond Excel's grid
    formulas: list[str]  # formula cells without a cached value
    cells: int = 0  # cell tags
    text: int = 0  # bytes of shared strings the cells copy (see _SharedStrings)
    bounded: bool = False  # ``area`` is an upper bound (see _bounded_shape)
    xml: bytes = b""  # the part, while the caps are judged


class _SharedStrings:
    """The reader copies a shared string into every cell that refers to it: one
    32,767-character string used by a million cells is 100 GB, from a file of a
    megabyte. A sheet's shared text is bounded by (cells × longest string), free to
    compute; only when that bound is over a megabyte are the references summed. The
    cap on a file's shared text is the cap on its unzipped size."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts
        self._lengths: list[int] | None = None
        self.longest = max((len(part) for part in parts), default=0)  # refined on demand

    def lengths(self) -> list[int]:
        if self._lengths is None:
            self._lengths = [
                len(si)
                for part in self.parts
                for si in (_SI.split(part) if b":si" in part else part.split(b"<si"))[1:]
            ]
        return self._lengths

    def bound(self, cells: int) -> int:
        """An upper bound of the bytes a sheet's cells copy, free to compute."""
        return cells * self.longest

    def volume(self, xml: bytes, cells: int) -> int:
        """Bytes of shared strings a sheet's cells copy: the bound when it is small (a
        megabyte), else the exact sum over the cells' string references."""
        if cells * self.longest <= 1 << 20:
            return cells * self.longest
        lengths = self.lengths()
        self.longest = max(lengths, default=0)
        if cells * self.longest <= 1 << 20:
            return cells * self.longest
        return sum(lengths[int(i)] for i in _SHARED_INDEX.findall(xml) if int(i) < len(lengths))


_SI = re.compile(rb"<(?:\w{1,32}:)?si[\s>/]")
_SHARED_INDEX = re.compile(
    rb"<(?:\w{1,32}:)?c\s[^<>]{0,512}?(?<![\w:])t\s*=\s*[\"']s[\"'][^<>]{0,512}?>"
    rb"\s{0,64}<(?:\w{1,32}:)?v>\s{0,64}([0-9]{1,12})"
)


def _shape(xml: bytes, exact: bool = False) -> _Shape:
    """The rectangle a worksheet's cells span, as calamine will allocate it, from the
    cell references (``<c r="B7">``). Fast path: every cell tag is ``<c r="…"`` (as
    Excel, WPS, openpyxl and xlsxwriter write them), found with literal-prefix
    patterns. Otherwise the general patterns (prefixed tags, other attribute orders,
    quotes and spacing, lower-case references); cells without a reference are placed
    by their row and position, so then the rectangle is bounded from the row numbers
    and the most cells in a row (an upper bound, never an underestimate).

    Unless ``exact``, a sheet whose references all lie within ``A1:ZZ999`` gets that
    bound instead (:func:`_bounded_shape`): the caller asks again, exactly, only when
    the bound would break a cap."""
    if not exact and (bounded := _bounded_shape(xml)) is not None:
        return bounded
    refs = _FAST_REF.findall(xml)
    if len(refs) == xml.count(b'<c r="') and not _odd_cells(xml):
        joined = b" ".join(refs)  # "A1 B1 …": letters and digits split in C, not per cell
        letters = joined.translate(None, b"0123456789").split()
        digits = joined.translate(None, _LETTERS).split()
        tags = len(refs)
        refs = None
    else:
        refs = _CELL_REF.findall(xml)
        letters = [r[0] for r in refs]
        digits = [r[1] for r in refs]
        tags = len(_CELL_TAG.findall(xml))
    rows: set[int] = set()
    columns: set[int] = set()
    outside = None
    if letters:
        columns = {_column_number(c) for c in set(letters)}
        rows = {int(d) for d in set(digits)}
        if max(columns) > EXCEL_COLUMNS or max(rows) > EXCEL_ROWS or min(rows) < 1:
            outside = _outside(refs if refs is not None else _CELL_REF.findall(xml))
    if tags > len(letters):  # some cells without a reference
        numbered = [int(d) for d in _ROW_REF.findall(xml)]
        row_tags = len(_ROW_TAG.findall(xml))
        widest = max((len(_CELL_TAG.findall(part)) for part in _ROW_TAG.split(xml)), default=0)
        top = max([*rows, *numbered, 0]) + row_tags
        right = max([*columns, 0]) + widest
        rows |= {1, top}
        columns |= {1, right}
        if outside is None and max(numbered, default=0) > EXCEL_ROWS:
            outside = f'<row r="{max(numbered)}">'[:40]
    if not rows:
        return _Shape(0, "", outside, [], tags)
    area = (max(rows) - min(rows) + 1) * (max(columns) - min(columns) + 1)
    box = f"{_column_letters(min(columns))}{min(rows)}:{_column_letters(max(columns))}{max(rows)}"
    return _Shape(area, box[:80], outside, _formulas(xml), tags)


# a cell tag that is not '<c r="A1"…' to '<c r="ZZ999"…' (another form, lower case, three
# letters, four digits, row 0…; tags named c-something, <cols>, <cfRule>…, are not cells);
# or a prefixed cell or formula tag
# (the common case first, and possessive: a quarter faster over a city-year's million cells)
_NOT_SMALL_CELL = re.compile(rb'<c(?! r="[A-Z]{1,2}+[1-9][0-9]{0,2}+"|[A-Za-z])')
_PREFIXED_CF = re.compile(rb":[cf][\s>/]")
BOUND_ROWS, BOUND_COLUMNS = 999, 702  # A1:ZZ999


def _bounded_shape(xml: bytes) -> _Shape | None:
    """The bound ``A1:ZZ999`` for a sheet whose cell tags are all ``<c r="…"`` with
    references inside it (a class workbook's sheets: all but the central tables), found
    with one search, without collecting the references; None otherwise. Calamine
    allocates at most that rectangle for such a sheet."""
    if _NOT_SMALL_CELL.search(xml) or _PREFIXED_CF.search(xml):
        return None
    tags = xml.count(b'<c r="')
    if not tags:
        return None
    area = BOUND_ROWS * BOUND_COLUMNS
    formulas = _formulas_without_values(xml) if _F_TAG.search(xml) else []
    return _Shape(area, "A1:ZZ999", None, formulas, tags, bounded=True)


def _formulas(xml: bytes) -> list[str]:
    if _F_TAG.search(xml) or (b":f" in xml and _PREFIXED_F.search(xml)):
        return _formulas_without_values(xml)
    return []


# b"<f" in xml, found faster: the regex engine looks for a two-byte literal in about
# half the time of bytes.__contains__ (every worksheet is searched)
_F_TAG = re.compile(rb"<f")
_FAST_REF = re.compile(rb'<c r="([A-Z]{1,64}[0-9]{1,64})"')
_LETTERS = bytes(range(65, 91))
_PREFIXED = re.compile(rb":c[\s>/]")  # a prefixed cell tag (calamine reads local names)
_PREFIXED_F = re.compile(rb":f[\s>/]")


def _odd_cells(xml: bytes) -> bool:
    """Whether some cell tag may not be of the form ``<c r="…"`` (then the general
    patterns count the cells). Inside sheetData only cells and inline rich-text runs
    (``<color>``, ``<charset>``: then the general patterns too) start with ``<c``."""
    start, end = xml.find(b"sheetData"), xml.rfind(b"sheetData")
    if start < 0:
        start, end = 0, len(xml)
    # counted, not searched: every "<c" there is '<c r="' (bytes.count runs in C)
    if xml.count(b"<c", start, end) != xml.count(b'<c r="', start, end):
        return True
    return b":c" in xml and _PREFIXED.search(xml) is not None


def _outside(refs: list[tuple[bytes, bytes]]) -> str:
    """The first reference beyond Excel's grid."""
    for letters, digits in refs:
        if _column_number(letters) > EXCEL_COLUMNS or not 0 < int(digits) <= EXCEL_ROWS:
            return (letters + digits).decode()[:40]
    return ""


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_CELL_START = re.compile(rb"(?=<(?:\w{1,32}:)?c[\s/>])")
_CELL_END = re.compile(rb"</(?:\w{1,32}:)?c>")
_FORMULA = re.compile(rb"<(?:\w{1,32}:)?f[\s/>]")
_VALUE = re.compile(rb"<(?:\w{1,32}:)?v>[^<]+</(?:\w{1,32}:)?v>")  # <v/>, <v></v>: none
_REF = re.compile(rb"<(?:\w{1,32}:)?c\s[^<>]{0,512}?(?<![\w:])r\s*=\s*[\"']([A-Za-z]+[0-9]+)[\"']")


def _formulas_without_values(xml: bytes) -> list[str]:
    """Cells with a formula (``<f>``) and no cached value (``<v>``), in a linear scan:
    the part is cut at every cell start, and a cell's body ends at its ``</c>`` or at
    the next cell (an unclosed tag never makes a search run to the end of the part)."""
    if not _FORMULA.search(xml):
        return []
    found = []
    for chunk in _CELL_START.split(xml):
        if b"f" not in chunk or not _FORMULA.search(chunk):
            continue
        head_end = chunk.find(b">")
        if head_end < 0 or chunk[head_end - 1 : head_end] == b"/":
            continue  # an unclosed or self-closed tag: no body
        end = _CELL_END.search(chunk, head_end)
        body = chunk[head_end : end.start() if end else len(chunk)]
        if _FORMULA.search(body) and not _VALUE.search(body):
            ref = _REF.match(chunk)
            if ref:
                found.append(ref.group(1).decode().upper())
    return found


OUTPUT_PROPERTY = "peixun-audit"  # the custom document property the tool's workbooks carry
# the outputs that are never read as inputs (the audit report, the disbursement list,
# a rectification notice); "call-sheet" and "template" are filled in by hand: data
OUTPUT_KINDS_NOT_DATA = frozenset({"report", "payments", "notice"})
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


# code pages of legacy .xls writers that store 8-bit text as these encodings
XLS_CODECS = {932: "cp932", 936: "gbk", 949: "cp949", 950: "cp950", 65001: "utf-8"}
_CODEPAGE_1200 = struct.pack("<H", 1200)


def xls_codepage(data: bytes) -> tuple[str | None, bytes]:
    """(codec, bytes to read) for a BIFF8 .xls: Chinese tools write 8-bit text in the
    declared code page (936: GBK; 65001: UTF-8), which calamine turns into U+FFFD and
    NUL characters — lost for good. The copy returned declares code page 1200 instead,
    so calamine hands each such byte over as one Latin-1 character, and the caller
    decodes the text with the codec (:func:`decode_8bit`). (None, data) for anything
    else: other code pages, BIFF5, a CODEPAGE record not in the stream's first sector."""
    try:
        shift = struct.unpack_from("<H", data, 30)[0]
        sector = 1 << shift
        directory = struct.unpack_from("<I", data, 48)[0]
        cutoff = struct.unpack_from("<I", data, 56)[0]
        base = (directory + 1) * sector
        for entry in range(base, base + sector, 128):
            name_length = struct.unpack_from("<H", data, entry + 64)[0]
            name = data[entry : entry + max(name_length - 2, 0)].decode("utf-16-le", "replace")
            if name == "Workbook":
                start, size = struct.unpack_from("<II", data, entry + 116)
                break
        else:
            return None, data
        if size < cutoff:  # in the mini stream: not worth the chase
            return None, data
        offset = (start + 1) * sector
        head = data[offset : offset + sector]
        kind, length, version = struct.unpack_from("<HHH", head, 0)
        if kind != 0x0809 or version != 0x0600:  # not a BIFF8 workbook globals BOF
            return None, data
        position = 4 + length
        while position + 6 <= len(head):
            kind, length = struct.unpack_from("<HH", head, position)
            if kind == 0x0042 and length == 2:
                codec = XLS_CODECS.get(struct.unpack_from("<H", head, position + 4)[0])
                if codec is None:
                    return None, data
                at = offset + position + 4
                return codec, data[:at] + _CODEPAGE_1200 + data[at + 2 :]
            if kind == 0x0085:  # BOUNDSHEET: past the globals' header records
                break
            position += 4 + length
    except (struct.error, IndexError):
        pass
    return None, data


def decode_8bit(text: str, codec: str) -> str:
    """Text that calamine read byte for byte (see :func:`xls_codepage`), decoded; text
    stored as UTF-16 (any character past U+00FF) or not valid in the codec is kept."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode(codec)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


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
    head = data[:4096]
    if b"\x00" in head:  # UTF-16 without a BOM (ASCII in it has a NUL byte), or binary
        odd, even = head[1::2].count(0), head[0::2].count(0)
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        if len(data) % 2 or max(odd, even) < len(head) // 8 or min(odd, even) * 8 > max(odd, even):
            return None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return None
        return None if _BINARY.search(text) else text
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
    except csv.Error:  # a title row above the table: the sniffer wants every line alike
        dialect = _table_dialect(lines[:40])
        if dialect is None:
            return None
    try:
        rows = [row for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error:
        return None
    width = max((len(r) for r in rows), default=0)
    if width < 2:
        return None
    return "csv", [("Sheet1", [r + [""] * (width - len(r)) for r in rows])]


_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _table_dialect(lines: list[str]) -> csv.Dialect | None:
    """The delimiter of a text table under title lines: the one that splits most of
    the lines into the same number (≥ 2) of fields — at least three lines of them,
    the majority of the lines that hold it. None for text that is no table."""
    best = None
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines if delimiter in line]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        agreeing = counts.count(common)
        if agreeing >= 3 and agreeing * 2 > len(counts) and (best is None or agreeing > best[0]):
            best = (agreeing, delimiter)
    if best is None:
        return None
    dialect = csv.excel()
    dialect.delimiter = best[1]
    return dialect


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
