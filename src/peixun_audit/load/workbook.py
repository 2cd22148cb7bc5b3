"""Find the input files and read each into raw cell grids with python-calamine.

python-calamine sniffs the real format (.xlsx, .xlsm, .xls, .ods; WPS .et files are
BIFF or OOXML inside) from the bytes, so a legacy .xls renamed .xlsx still reads. It
trims leading empty rows and columns; we keep the sheet's start offset so every
reported cell reference is the true Excel one. A .csv file is one table, read as text.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import python_calamine as calamine

from . import sniff

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".et", ".csv")  # read from a folder

# Other files in a folder are listed as not read, with why (messages.FILE_FORMATS)
UNSUPPORTED = {
    **dict.fromkeys((".zip", ".rar", ".7z"), "archive"),
    ".xlsb": "xlsb",
    **dict.fromkeys((".pdf", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"), "scan"),
    **dict.fromkeys((".doc", ".docx", ".wps"), "word"),
    ".numbers": "numbers",
}
# what an operating system leaves in folders (hidden files on Windows, but a copy
# through a zip or a USB stick formatted elsewhere loses the attribute)
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})


class WorkbookError(Exception):
    """A whole file could not be read; ``code`` is a message key."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass
class RawSheet:
    name: str
    hidden: bool
    grid: list[list[object]]  # rows of cells, merged ranges filled with their top-left value
    row0: int  # 0-based Excel row of grid[0]
    col0: int  # 0-based Excel column of grid[r][0]
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # grid-relative r1,c1,r2,c2

    def excel_row(self, r: int) -> int:
        return self.row0 + r + 1

    def cell_ref(self, r: int, c: int) -> str:
        return f"{column_letter(self.col0 + c)}{self.row0 + r + 1}"


@lru_cache(maxsize=16384)  # Excel's columns: every reported cell and session names one
def column_letter(index: int) -> str:
    """0-based column index to Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def unsupported_format(path: Path) -> str:
    """Why a file is not read: a key of messages.FILE_FORMATS."""
    return UNSUPPORTED.get(path.suffix.lower(), "other")


def _ignored(name: str) -> bool:
    """Office lock files (``~$report.xlsx``), hidden files (a leading ``.``) and the
    system's thumbnails: never inputs. (Hidden folders are not searched: find_inputs.)"""
    return name.startswith((".", "~$")) or name.lower() in SYSTEM_FILES


# the Windows hidden attribute, where the system keeps one (a file's lstat tells it):
# elsewhere no file has it, and looking cost a system call a file
_HIDDEN_ATTRIBUTE = (
    getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0)
    if hasattr(os.stat_result, "st_file_attributes")
    else 0
)


def _hidden_attribute(path: Path) -> bool:
    return bool(_HIDDEN_ATTRIBUTE and path.lstat().st_file_attributes & _HIDDEN_ATTRIBUTE)


# what find_inputs lists instead of a format key when a path cannot be read at all:
# problem codes (messages.PROBLEMS) with the path's detail
PATH_PROBLEMS = ("broken-link", "not-a-file", "folder-unreadable", "file-too-large")


def find_inputs(
    paths: list[Path], details: dict[Path, str] | None = None
) -> list[tuple[Path, str | None]]:
    """Every input: (path, None) for a file to read, (path, format key) for a file in a
    folder that is not read because of its format (:func:`unsupported_format`), and
    (path, problem code) for what cannot be read at all (:data:`PATH_PROBLEMS`: a link
    to nothing, a device or pipe, a folder that cannot be listed — no permission, gone
    while searched, a path too long for the system); ``details`` receives the reason
    of each of those. Files given are always read, whatever their name; folders are
    searched recursively (links to folders are not followed), in a stable order. A
    file reached twice (given, and in a folder given) counts once."""
    details = {} if details is None else details
    cap = sniff.max_unzipped_bytes()
    found: list[tuple[Path, str | None]] = []
    for path in paths:
        if not path.is_dir():
            found.append(_given(path, details, cap))
            continue
        inside: list[tuple[Path, str | None]] = []

        def unlisted(exc: OSError, inside=inside, path=path) -> None:
            folder = Path(exc.filename) if exc.filename else path
            details[folder] = exc.strerror or str(exc)
            inside.append((folder, "folder-unreadable"))

        for folder, dirs, files in os.walk(path, onerror=unlisted):
            dirs[:] = [d for d in dirs if not d.startswith((".", "~$"))]  # hidden: never inputs
            for name in files:
                if _ignored(name):
                    continue
                p = Path(folder, name)
                try:
                    if _hidden_attribute(p):
                        continue
                    why = _not_a_file(p, details, cap)
                except OSError:  # vanished, or no permission to look: the reader reports it
                    why = None
                if why is None:
                    suffix = p.suffix.lower()
                    why = None if suffix in EXTENSIONS else unsupported_format(p)
                inside.append((p, why))
        found.extend(sorted(inside, key=lambda item: item[0]))
    seen: set[str] = set()
    out = []
    for p, why in found:
        # abspath, not resolve(): a file reached through a link is a byte-identical copy,
        # which load.plan_inputs lists as such (resolve() cost 50 µs a file)
        key = os.path.normcase(os.path.abspath(p))
        if key not in seen:
            seen.add(key)
            out.append((p, why))
    return out


def _given(path: Path, details: dict[Path, str], cap: int) -> tuple[Path, str | None]:
    """A path given by name: read, unless it is a device, a pipe, a dangling link or
    too large (a missing file is the reader's to report)."""
    try:
        return path, _not_a_file(path, details, cap)
    except OSError:
        return path, None


def _not_a_file(path: Path, details: dict[Path, str], cap: int) -> str | None:
    """Why a path that os.walk lists as a file cannot be read, or None; ``cap`` is
    ``sniff.max_unzipped_bytes()``."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            details[path] = os.readlink(path)
            return "broken-link"
        raise
    if not stat.S_ISREG(info.st_mode):
        # /dev/zero never ends: reading it would exhaust memory
        details[path] = os.path.realpath(path)
        return "not-a-file"
    if info.st_size > cap:
        details[path] = f"{info.st_size // (1 << 20)} MB > {cap // (1 << 20)} MB"
        return "file-too-large"
    return None


def find_workbooks(paths: list[Path]) -> list[Path]:
    """The files under ``paths`` that are read (see :func:`find_inputs`)."""
    return [p for p, why in find_inputs(paths) if why is None]


@dataclass
class ReadResult:
    sheets: list[RawSheet]
    # (code, sheet or None, cell or None, detail): notes about the file as a whole or
    # one sheet — a table read from HTML/CSV text, a sheet that failed, a formula cell
    # without its cached value
    notes: list[tuple[str, str | None, str | None, str]] = field(default_factory=list)


# workbooks the tool wrote that are not audit evidence: its reports, and ledger exports
# (read by ``ledger import``, which passes ``accept``)
NOT_EVIDENCE = sniff.OUTPUT_KINDS_NOT_DATA | {"ledger"}


def read_workbook(data: bytes, name: str = "", accept: tuple[str, ...] = ()) -> ReadResult:
    """Every worksheet of a file as a cell grid; ``name``, the file's name, tells a .csv
    (one table, named after the file as Excel names it) and a WPS .et. Raises
    :class:`WorkbookError` when the file as a whole cannot be read, or is one of this
    tool's own reports (``own-report``); a single bad sheet is noted and skipped."""
    if not data:
        raise WorkbookError("empty-file")
    suffix = Path(name).suffix.lower()
    if suffix == ".csv" and not data.startswith((sniff.ZIP_MAGIC, sniff.OLE_MAGIC)):
        return _read_csv(data, Path(name).stem)
    if sniff.is_encrypted_ole(data):
        raise WorkbookError("encrypted")
    inspection = None
    codec = None
    if data.startswith(sniff.OLE_MAGIC):
        codec, data = sniff.xls_codepage(data)
    if data.startswith(sniff.ZIP_MAGIC):
        try:
            inspection = sniff.check_zip(data)
        except sniff.SniffError as exc:
            raise WorkbookError(exc.code, exc.detail) from exc
        kind = sniff.output_kind(inspection.archive, inspection.data)
        # reports, disbursement lists, rectification notices and ledger exports are the
        # tool's outputs (``ledger`` commands read some of them: ``accept``); a call sheet
        # or a template, filled in, is data
        if kind in NOT_EVIDENCE and kind not in accept:
            raise WorkbookError("own-report", kind)
        data = inspection.data  # a repaired copy when a sheet had to be dropped
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError as exc:
        raise WorkbookError("encrypted") from exc
    except BaseException as exc:  # noqa: BLE001 — see _reraise_interrupts
        _reraise_interrupts(exc)
        found = sniff.text_tables(data)
        if found is None:
            code = "corrupt-zip" if data.startswith(sniff.ZIP_MAGIC) else "not-a-workbook"
            if suffix == ".et" and code == "not-a-workbook":
                code = "et-unreadable"
            raise WorkbookError(code, str(exc)[:200]) from exc
        form, tables = found
        sheets = [RawSheet(name, False, [list(r) for r in rows], 0, 0) for name, rows in tables]
        return ReadResult(sheets, [(f"{form}-as-workbook", None, None, "")])
    result = ReadResult([])
    metas = book.sheets_metadata
    refused = _refusals(inspection, [meta.name for meta in metas])
    for position, meta in enumerate(metas):
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        hidden = meta.visible != calamine.SheetVisibleEnum.Visible
        if position in refused:  # the front-end's verdict: calamine never sees it
            code, detail = refused[position]
            result.notes.append((code, meta.name, None, detail))
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            grid = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
            merged = sheet.merged_cell_ranges or []
        except BaseException as exc:  # noqa: BLE001 — corrupt XML in one sheet: the others still count
            _reraise_interrupts(exc)
            result.notes.append(("sheet-unreadable", meta.name, None, str(exc)[:200]))
            continue
        name = meta.name
        if codec is not None:  # 8-bit text in a legacy code page: decoded here
            name = sniff.decode_8bit(name, codec)
            grid = [
                [sniff.decode_8bit(v, codec) if type(v) is str else v for v in row] for row in grid
            ]
        raw = RawSheet(name, hidden, grid, start[0], start[1])
        _fill_merged(raw, merged)
        result.sheets.append(raw)
    if inspection is not None:
        lost = {n[1] for n in result.notes if n[0] in SHEET_LOST}
        result.notes.extend(
            n for n in inspection.notes if not (n[0] == "formula-no-value" and n[1] in lost)
        )
    if not result.sheets and result.notes and result.notes[0][0] == "sheet-unreadable":
        raise WorkbookError("sheet-unreadable", result.notes[0][3])
    return result  # sheets the front-end refused are noted by name; load_file fails the file


def _refusals(inspection: sniff.Inspection | None, names: list[str]) -> dict[int, tuple[str, str]]:
    """The front-end's refusals by position in calamine's list of sheets: the lists
    match one for one (names may be escaped differently, or repeat); when they do not,
    by name — and a refused sheet calamine lists under no known name refuses the file
    (it must never be read)."""
    if inspection is None or not inspection.refused:
        return {}
    if len(names) == len(inspection.order):
        return inspection.refused_at
    refused = {i: inspection.refused[n] for i, n in enumerate(names) if n in inspection.refused}
    if len(refused) < len(inspection.refused_at):
        code, detail = next(iter(inspection.refused.values()))
        raise WorkbookError(code, detail)
    return refused


# notes that mean a sheet was not read
SHEET_LOST = ("sheet-unreadable", "sheet-too-large", "sheet-too-much-text", "cell-out-of-range")


def _read_csv(data: bytes, name: str) -> ReadResult:
    """A .csv file: one table, UTF-8 (with or without BOM), UTF-16 or GBK text; the
    tool's own CSV outputs are not data (``own-report``)."""
    try:
        rows = sniff.csv_rows(data)
    except sniff.SniffError as exc:
        raise WorkbookError(exc.code, exc.detail) from exc
    if sniff.is_output_csv(rows):  # findings.csv written into the data folder
        raise WorkbookError("own-report", "csv")
    return ReadResult([RawSheet(name or "Sheet1", False, rows, 0, 0)])


def _reraise_interrupts(exc: BaseException) -> None:
    """calamine raises several exception types for what it cannot read, and on some
    corrupt files its Rust code panics: pyo3 turns that into ``PanicException``, a
    ``BaseException`` (found by fuzzing: a damaged OLE header trips an assertion in
    calamine's CFB reader). Treat all of them as unreadable input, except a user's
    Ctrl-C or an exit — whatever class the CLI gives its interrupt: only ordinary
    exceptions and pyo3's panic count as unreadable input."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


def _fill_merged(raw: RawSheet, merged: list) -> None:
    """Copy each merged range's top-left value into all its cells: a date merged over
    上午/下午 heads both columns; a class id merged down a column labels every row."""
    grid = raw.grid
    for (r1, c1), (r2, c2) in merged:
        r1, r2, c1, c2 = r1 - raw.row0, r2 - raw.row0, c1 - raw.col0, c2 - raw.col0
        if r1 < 0 or c1 < 0 or r1 >= len(grid):
            continue
        value = grid[r1][c1] if c1 < len(grid[r1]) else ""
        raw.merged.append((r1, c1, r2, c2))
        for row in grid[r1 : r2 + 1]:
            end = min(c2, len(row) - 1) + 1  # slices: no Python step per cell
            if end > c1:
                row[c1:end] = [value] * (end - c1)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
