"""Load: workbooks → canonical pandas tables with provenance, plus every problem met.

``load_paths`` reads each file once, turns each sheet into a canonical table
(``table.parse_sheet``), fills class ids from title labels or the workbook's only
class, concatenates the tables of every file, resolves year-less dates from the class
start, and classifies sign-in marks. Each canonical row keeps ``src_file``, ``src_sheet``
and ``src_row`` (the Excel row); sign-in rows also ``src_col``, the column letter of
the mark (its cell is ``src_col`` + ``src_row``).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..heap import paused
from ..model import InputFile, Problem, Source
from ..parallel import early_pool, one_by_one, pool_map, workers_start
from .schema import CLASS_SCOPED

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    import pandas as pd

    from .assemble import Assembler
    from .table import SheetTable

# pandas is imported where the tables are built, not here: reading and parsing the
# workbooks (load_file, in the worker processes) does not need it, so the CLI starts the
# reading pool before paying for the pandas import (benchmarks/RESULTS.md). The readers
# themselves (workbook, table, forms: python-calamine and the parsers' patterns) are
# imported where a file is first planned or read: importing this package (as
# ``messages`` does, for ``schema``) costs nothing, so ``--help`` and ``rules`` start
# at once (docs/startup.md)

# how much a note about a file weighs: a table read from text is fine; a lost sheet is not
NOTE_SEVERITY = {
    "html-as-workbook": "info",
    "csv-as-workbook": "info",
    "sheet-unreadable": "error",
    "sheet-too-large": "error",
    "sheet-too-much-text": "error",
    "cell-out-of-range": "error",
}
# files not read on purpose (status "skipped"): what each reason weighs
SKIP_SEVERITY = {"own-report": "info", "duplicate-file": "info", "unsupported-format": "warning"}


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame]
    inputs: list[InputFile]
    # (file, sheet) → {field key: column letter}, to name the cell behind a finding
    columns: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # (file, sheet, row) → {field key: cell}: a printed form's values, each in its own cell
    form_cells: dict[tuple[str, str, int], dict[str, str]] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.inputs for p in f.problems]

    def cell(self, file: str, sheet: str, key: str, row: int) -> str | None:
        if self.form_cells and (file, sheet, row) in self.form_cells:
            return self.form_cells[(file, sheet, row)].get(key)
        letter = self.columns.get((file, sheet), {}).get(key)
        return f"{letter}{row}" if letter else None


def load_file(path: Path, display: str) -> tuple[InputFile, list[SheetTable]]:
    """Read and parse one file; never raises for bad content. The cyclic garbage
    collector is paused meanwhile (``heap.paused``): the cells and rows made hold no
    cycles, yet each of its passes walked all of them — on a 720,000-row sheet, half of
    calamine's ``to_python`` time and 1 s of the file's 9 s (benchmarks: central-long)."""
    with paused():
        return _load_file(path, display)


def _load_file(path: Path, display: str) -> tuple[InputFile, list[SheetTable]]:
    from .forms import read_form
    from .table import parse_tables
    from .workbook import WorkbookError, read_workbook, sha256_of, unsupported_format

    try:
        data = path.read_bytes()
    except OSError as exc:
        entry = InputFile(display, "", "failed")
        entry.problems.append(
            Problem(
                "file-unreadable", Source(display), {"detail": exc.strerror or str(exc)}, "error"
            )
        )
        return entry, []
    entry = InputFile(display, sha256_of(data))
    try:
        read = read_workbook(data, path.name)
    except WorkbookError as exc:
        if exc.code in SKIP_SEVERITY:  # one of the tool's own reports
            return skipped(display, entry.sha256, exc.code, {"detail": exc.detail}), []
        entry.status = "failed"
        problem = Problem(exc.code, Source(display), {"detail": exc.detail}, "error")
        why = unsupported_format(path)
        if exc.code in ("not-a-workbook", "corrupt-zip") and why != "other":
            # a file given by name that is what its name says (a .zip, a .pdf): say so
            params = {"format": why, "detail": path.suffix.lower()}
            problem = Problem("unsupported-format", Source(display), params, "error")
        entry.problems.append(problem)
        return entry, []
    for code, sheet, cell, detail in read.notes:
        severity = NOTE_SEVERITY.get(code, "warning")
        row = int("".join(ch for ch in cell if ch.isdigit())) if cell else None
        entry.problems.append(
            Problem(code, Source(display, sheet, row, cell), {"detail": detail}, severity)
        )
    tables = []
    for raw in read.sheets:
        stacked = parse_tables(raw, display)
        # a printed form (forms.py) is read as such where the table reader took it for
        # a table
        form = read_form(raw, display, stacked[0])
        if form is not None:
            tables.append(form)
            continue
        _share_columns(stacked)
        tables.extend(stacked)
    _fill_class_ids(tables, display)
    for t in tables:
        entry.problems.extend(t.problems)
        t.account.rows_used = t.account.rows_read - t.account.rows_reported
        if not entry.sheets or entry.sheets[-1] is not t.account:  # stacked tables share one
            entry.sheets.append(t.account)
    if not any(t.data and t.data["src_row"] for t in tables):
        entry.status = "failed"
        entry.problems.append(Problem("no-usable-table", Source(display), severity="error"))
    elif any(p.severity == "error" for p in entry.problems) or any(
        t.account.rows_reported for t in tables
    ):
        entry.status = "partial"
    return entry, tables


# unsupported formats that may hold a class's workbooks (an archive, a binary or Numbers
# spreadsheet): a warning, and the audit is incomplete (audit.EVIDENCE_LOST); scans and
# documents are a warning only (the tool audits the Excel records, not their scans);
# anything else (a README, notes) is listed for the record
FORMAT_SEVERITY = {
    "archive": "warning",
    "xlsb": "warning",
    "numbers": "warning",
    "scan": "warning",
    "word": "warning",
    "other": "info",
}
MAY_HOLD_WORKBOOKS = {"archive", "xlsb", "numbers"}


def skipped(display: str, sha256: str, code: str, params: dict) -> InputFile:
    """A file listed but not read on purpose; ``code`` says why (SKIP_SEVERITY)."""
    severity = SKIP_SEVERITY[code]
    if code == "unsupported-format":
        severity = FORMAT_SEVERITY.get(params.get("format", ""), severity)
    problem = Problem(code, Source(display), params, severity)
    return InputFile(display, sha256, "skipped", [problem])


def _share_columns(tables: list[SheetTable]) -> None:
    """Tables stacked on one sheet share its column map (``Dataset.cell``): a field the
    tables keep in different columns is given none, so no finding names a wrong cell."""
    if len(tables) < 2:
        return
    shared: dict[str, str] = {}
    for t in tables:
        for key, letter in t.columns.items():
            shared[key] = letter if shared.get(key, letter) == letter else ""
    for t in tables:
        t.columns = shared


def _fill_class_ids(tables: list[SheetTable], file: str) -> None:
    """A sheet without 班级编号 takes it from a ``班级编号：…`` title label, else from the
    workbook's only class; rows still without a class are reported. A table stacked
    with others on one sheet needs its own label: the workbook's only class is not
    guessed for it (the tables may be of different classes)."""
    classes = [t.data for t in tables if t.kind == "classes" and t.data is not None]
    only_class = None
    if len(classes) == 1 and len(classes[0]["class_id"]) == 1:
        only_class = classes[0]["class_id"][0]
    for t in tables:
        if t.data is None or t.kind not in CLASS_SCOPED or t.kind == "classes":
            continue
        default = t.class_label or (None if t.stacked else only_class)
        data = t.data
        n = len(data["src_row"])
        ids = data.get("class_id", [None] * n)
        data["class_id"] = ids = [default if c is None else c for c in ids]
        lacking = [i for i, c in enumerate(ids) if c is None]
        if not lacking:
            continue
        rows = sorted(
            {data["src_row"][i] for i in lacking}
        )  # wide sign-in: student rows, not cells
        if len(rows) == len(set(data["src_row"])):
            code = "no-class-id-stacked" if t.stacked else "no-class-id"
            t.problems.append(
                Problem(code, Source(file, t.account.name), {"rows": len(rows)}, "error")
            )
        else:
            t.problems.extend(
                Problem("row-no-class-id", Source(file, t.account.name, int(r)), severity="error")
                for r in rows
            )
        t.account.rows_reported += len(rows)
        keep = [i for i, c in enumerate(ids) if c is not None]
        t.data = {k: [v[i] for i in keep] for k, v in data.items()}


def load_paths(
    paths: Iterable[Path],
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    while_reading: Callable[[], object] | None = None,
) -> Dataset:
    """Read every input under ``paths`` (:func:`plan_inputs`). With ``jobs`` > 1 the
    files are read and parsed in a process pool while this process assembles the
    results as they arrive; ``while_reading`` runs once the workers are started (the CLI
    imports the pandas-based layers there, in time the parent would otherwise spend
    waiting). Every file given or found is in ``Dataset.inputs``, in path order."""
    paths = list(paths)
    # a folder holds many files: its readers start while the folder is listed
    many = jobs > 1 and any(_is_dir(p) for p in paths)
    with early_pool(jobs if many else 1) as pool:
        items = plan_inputs(paths)
        return _read_planned(items, jobs, pool, progress, while_reading)


def _size(path: Path) -> int:
    """A file's size, what its reading is expected to cost: the big files start first
    (``parallel.schedule``)."""
    try:
        return path.stat().st_size
    except OSError:  # load_file reports it
        return 0


def _pool_failures() -> tuple[type[Exception], ...]:
    """What ends the pool: ``OSError``, and ``BrokenProcessPool`` when the pool's module
    is loaded (else no pool was made, so none can have broken). An ``except`` clause
    evaluates its classes only when an exception is being matched: a run that reads in
    its own process never imports the pool's module."""
    process = sys.modules.get("concurrent.futures.process")
    return (process.BrokenProcessPool, OSError) if process is not None else (OSError,)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a path too long, a loop of links: plan_inputs reports it
        return False


# the parent's part: the parsed files unpickled as they come back and assembled are lists
# and dicts without cycles; the collector's passes over them cost a city-year 0.05 s
@paused()
def _read_planned(
    items: list[PlannedInput],
    jobs: int,
    pool: ProcessPoolExecutor | None,
    progress: Callable[[int, int], None] | None,
    while_reading: Callable[[], object] | None,
) -> Dataset:
    files = [i.path for i in items if i.entry is None]
    displays = [i.display for i in items if i.entry is None]
    done = 0
    assembler = None

    def add(read: tuple[InputFile, list[SheetTable]]) -> None:
        nonlocal done
        assembler.add(*read)
        done += 1
        if progress:
            progress(done, len(items))

    try:
        with pool_map(
            load_file,
            files,
            displays,
            jobs=min(jobs, len(files)),
            chunksize=8,
            pool=pool,
            weights=[_size(f) for f in files] if jobs > 1 else None,
        ) as results:
            if while_reading is not None:
                while_reading()  # while the workers start and read
            assembler = _assembler()
            for item in items:
                add((item.entry, []) if item.entry is not None else next(results))
    except _pool_failures():
        # a worker died (a crash inside a native reader, an out-of-memory kill): read the
        # files not yet collected one process each, so the one that kills its reader is
        # reported and the rest are still audited; where no worker can start at all
        # (processes refused, an embedded interpreter), read them here
        assembler = assembler or _assembler()
        pending = items[done:]
        unread = [(i.path, i.display) for i in pending if i.entry is None]
        if workers_start():
            reads = one_by_one(load_file, unread)
        else:
            reads = ((True, load_file(*args)) for args in unread)
        for item in pending:
            if item.entry is not None:
                add((item.entry, []))
                continue
            ok, read = next(reads)
            add(read if ok else _crashed(item.display))
    return assembler.finish()


@dataclass
class PlannedInput:
    path: Path
    display: str
    entry: InputFile | None = None  # a file listed but not read: its entry, made here


# names that Windows, macOS, WPS and browsers give copies (``… - 副本``, ``复件 …``,
# ``… copy``, ``…(1)``): of byte-identical files, one without such a name is read
COPY_MARK = re.compile(r"副本|复件|拷贝|\bcopy\b|[(（]\d+[)）]\s*$", re.IGNORECASE)
# a file that is not read is hashed for the listing only up to this size
UNREAD_HASH_LIMIT = 64 << 20


def plan_inputs(paths: list[Path]) -> list[PlannedInput]:
    """Every file given or found (``workbook.find_inputs``), and which are read. Not
    read, and listed with why (status "skipped"): a file in a folder whose format the
    reader does not take (``unsupported-format``), and every copy of a file read
    (``duplicate-file``, naming the original): byte-identical files are found by their
    SHA-256, hashed here before anything is read; of a set of copies the first in path
    order whose name is not a copy's is read. Reading (and so the tool's own reports,
    ``own-report``) is ``load_file``'s."""
    from .workbook import PATH_PROBLEMS, find_inputs

    items = []
    details: dict[Path, str] = {}
    for path, why in find_inputs(paths, details):
        display = str(path)
        entry = None
        if why in PATH_PROBLEMS:  # nothing to read there: listed, with why
            problem = Problem(why, Source(display), {"detail": details.get(path, "")}, "error")
            entry = InputFile(display, "", "failed", [problem])
        elif why is not None:
            params = {"format": why, "detail": path.suffix.lower() or path.name}
            digest = _digest(path, UNREAD_HASH_LIMIT)
            entry = skipped(display, digest, "unsupported-format", params)
        items.append(PlannedInput(path, display, entry))
    _mark_copies([i for i in items if i.entry is None])
    return items


def _mark_copies(items: list[PlannedInput]) -> None:
    """Only files of the same size can be copies: the rest are not hashed here (the
    reader hashes what it reads)."""
    by_size: dict[int, list[PlannedInput]] = defaultdict(list)
    for item in items:
        try:
            size = item.path.stat().st_size
        except OSError:  # the reader reports it
            continue
        if size:  # empty files are reported as empty, each of them
            by_size[size].append(item)
    by_digest: dict[str, list[PlannedInput]] = defaultdict(list)
    for same_size in by_size.values():
        if len(same_size) > 1:
            for item in same_size:
                digest = _digest(item.path)
                if digest:
                    by_digest[digest].append(item)
    for digest, copies in by_digest.items():
        original = min(copies, key=lambda i: COPY_MARK.search(i.path.stem) is not None)
        for item in copies:
            if item is not original:
                params = {"original": original.display}
                item.entry = skipped(item.display, digest, "duplicate-file", params)


def _digest(path: Path, limit: int | None = None) -> str:
    """SHA-256 of the file's bytes; "" when it cannot be read or is over ``limit``."""
    try:
        if limit is not None and path.stat().st_size > limit:
            return ""
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return ""


def _assembler() -> Assembler:
    from .assemble import Assembler  # NumPy and pandas: the parent's part only

    return Assembler()


def _crashed(display: str) -> tuple[InputFile, list[SheetTable]]:
    """The entry of a file whose reader process died while reading it."""
    entry = InputFile(display, "", "failed")
    entry.problems.append(Problem("reader-crashed", Source(display), severity="error"))
    return entry, []
