"""Load: workbooks → canonical pandas tables with provenance, plus every problem met.

``load_paths`` reads each file once, turns each sheet into a canonical table
(``table.parse_sheet``), fills class ids from title labels or the workbook's only
class, concatenates the tables of every file, resolves year-less dates from the class
start, and classifies sign-in marks. Each canonical row keeps ``src_file``, ``src_sheet``
and ``src_row`` (the Excel row); sign-in rows also ``src_cell``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..model import InputFile, Problem, Source
from . import values as V
from .schema import CLASS_SCOPED, KIND_BY_KEY, KINDS
from .table import SheetTable, parse_sheet
from .workbook import WorkbookError, find_workbooks, read_workbook, sha256_of

# how much a note about a file weighs: a table read from text is fine; a lost sheet is not
NOTE_SEVERITY = {"html-as-workbook": "info", "csv-as-workbook": "info", "sheet-unreadable": "error"}

DATE_FIELDS = {kind.key: [f.key for f in kind.fields if f.type == "date"] for kind in KINDS}


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame]
    inputs: list[InputFile]
    # (file, sheet) → {field key: column letter}, to name the cell behind a finding
    columns: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.inputs for p in f.problems]

    def cell(self, file: str, sheet: str, key: str, row: int) -> str | None:
        letter = self.columns.get((file, sheet), {}).get(key)
        return f"{letter}{row}" if letter else None


def empty_table(kind: str) -> pd.DataFrame:
    cols = [f.key for f in KIND_BY_KEY[kind].fields] + ["src_file", "src_sheet", "src_row"]
    if kind == "signin":  # the mark is classified by the loader into status and signer
        cols = [c for c in cols if c != "mark"] + ["src_cell", "status", "signer"] + SIGNIN_KEYS
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


# Integer keys of a sign-in row: ``srow`` numbers the sheet row it came from (one per
# student line of a wide sheet, one per row of a long sheet), ``scol`` the session
# column (one per column of a wide sheet, one per row of a long sheet). The attendance
# step matches students per line and sessions per column, then broadcasts: 24,000
# lines and 18,000 columns instead of 720,000 cells.
SIGNIN_KEYS = ["srow", "scol"]


def load_file(path: Path, display: str) -> tuple[InputFile, list[SheetTable]]:
    """Read and parse one file; never raises for bad content."""
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
        read = read_workbook(data)
    except WorkbookError as exc:
        entry.status = "failed"
        entry.problems.append(Problem(exc.code, Source(display), {"detail": exc.detail}, "error"))
        return entry, []
    for code, sheet, cell, detail in read.notes:
        severity = NOTE_SEVERITY.get(code, "warning")
        row = int("".join(ch for ch in cell if ch.isdigit())) if cell else None
        entry.problems.append(
            Problem(code, Source(display, sheet, row, cell), {"detail": detail}, severity)
        )
    tables = [parse_sheet(raw, display) for raw in read.sheets]
    _fill_class_ids(tables, display)
    for t in tables:
        entry.problems.extend(t.problems)
        t.account.rows_used = t.account.rows_read - t.account.rows_reported
        entry.sheets.append(t.account)
    if not any(t.data and t.data["src_row"] for t in tables):
        entry.status = "failed"
        entry.problems.append(Problem("no-usable-table", Source(display), severity="error"))
    elif any(p.severity == "error" for p in entry.problems) or any(
        t.account.rows_reported for t in tables
    ):
        entry.status = "partial"
    return entry, tables


def _fill_class_ids(tables: list[SheetTable], file: str) -> None:
    """A sheet without 班级编号 takes it from a ``班级编号：…`` title label, else from the
    workbook's only class; rows still without a class are reported."""
    classes = [t.data for t in tables if t.kind == "classes" and t.data is not None]
    only_class = None
    if len(classes) == 1 and len(classes[0]["class_id"]) == 1:
        only_class = classes[0]["class_id"][0]
    for t in tables:
        if t.data is None or t.kind not in CLASS_SCOPED or t.kind == "classes":
            continue
        default = t.class_label or only_class
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
            t.problems.append(
                Problem("no-class-id", Source(file, t.account.name), {"rows": len(rows)}, "error")
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
) -> Dataset:
    files = find_workbooks(list(paths))
    displays = [str(p) for p in files]
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = []
            for i, result in enumerate(pool.map(load_file, files, displays, chunksize=8)):
                results.append(result)
                if progress:
                    progress(i + 1, len(files))
    else:
        results = []
        for i, (path, display) in enumerate(zip(files, displays, strict=True)):
            results.append(load_file(path, display))
            if progress:
                progress(i + 1, len(files))
    return assemble([r[0] for r in results], [t for r in results for t in r[1]])


def assemble(inputs: list[InputFile], tables: list[SheetTable]) -> Dataset:
    """Concatenate the sheets' rows by kind into one DataFrame per kind, then finish the
    cross-file steps."""
    by_file = {f.path: f for f in inputs}
    dataset = Dataset({}, inputs)
    parts: dict[str, list[dict[str, np.ndarray]]] = {k.key: [] for k in KINDS}
    n_lines = n_columns = 0  # sign-in srow / scol counters
    for t in tables:
        if not t.data or t.kind not in parts or not t.data["src_row"]:
            continue
        data = t.data
        n = len(data["src_row"])
        if t.sessions is not None:
            data = _expand_wide(data, t.sessions)
            data["srow"] = n_lines + np.tile(np.arange(n), len(t.sessions))
            data["scol"] = n_columns + np.repeat(np.arange(len(t.sessions)), n)
            n_lines, n_columns = n_lines + n, n_columns + len(t.sessions)
        elif t.kind == "signin":  # long form: the mark cell
            letter = t.columns.get("mark", "")
            data["src_cell"] = [f"{letter}{r}" for r in data["src_row"]]
            data["srow"] = n_lines + np.arange(n)
            data["scol"] = n_columns + np.arange(n)
            n_lines, n_columns = n_lines + n, n_columns + n
        parts[t.kind].append(data)
        dataset.columns[(t.data["src_file"][0], t.account.name)] = t.columns
    for kind, chunks in parts.items():
        columns = list(empty_table(kind).columns)
        merged = {}
        for c in columns:
            pieces = [_objects(chunk.get(c), len(chunk["src_row"])) for chunk in chunks]
            merged[c] = np.concatenate(pieces) if pieces else np.empty(0, dtype=object)
        frame = pd.DataFrame(merged, columns=columns, dtype=object)
        if kind == "signin":
            frame = frame.astype(dict.fromkeys(SIGNIN_KEYS, "int64"))
        dataset.tables[kind] = frame
    _resolve_dates(dataset, by_file)
    return dataset


def _objects(values: list | np.ndarray | None, n: int) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values
    out = np.empty(n, dtype=object)
    if values is not None:
        out[:] = values
    return out


def _expand_wide(data: dict[str, list], sessions: list[tuple[object, str | None, str]]):
    """A wide sign-in sheet (students × session columns) to long rows, session by
    session, with NumPy takes instead of one Python object per cell."""
    n, s = len(data["src_row"]), len(sessions)
    student = np.tile(np.arange(n), s)
    session = np.repeat(np.arange(s), n)
    out = {k: _objects(v, n)[student] for k, v in data.items() if k not in ("_status", "_signer")}
    status = np.frombuffer(b"".join(data["_status"]), dtype=np.int8).reshape(n, s)
    out["status"] = STATUS_NAMES[status.T.ravel()]
    signer = np.empty((s, n), dtype=object)
    for i, names in enumerate(data["_signer"]):
        if names is not None:
            signer[:, i] = names
    out["signer"] = signer.ravel()
    dates, periods, letters = zip(*sessions, strict=True)
    out["date"] = _objects(list(dates), s)[session]
    out["period"] = _objects(list(periods), s)[session]
    rows = [str(r) for r in data["src_row"]]
    out["src_cell"] = _objects([letter + row for letter in letters for row in rows], n * s)
    return out


STATUS_NAMES = np.array(V.MARK_STATUSES, dtype=object)


def _report(by_file: dict[str, InputFile], problem: Problem) -> None:
    entry = by_file[problem.source.file]
    entry.problems.append(problem)
    if entry.status == "ok":
        entry.status = "partial"


def _resolve_dates(dataset: Dataset, by_file: dict[str, InputFile]) -> None:
    """Year-less dates (``9月1日``) take the year from their class's start date;
    then every date column becomes datetime64."""
    classes = dataset.tables["classes"]
    starts = {
        cid: start
        for cid, start in zip(classes["class_id"], classes["start_date"], strict=True)
        if isinstance(start, dt.date)
    }
    for kind, keys in DATE_FIELDS.items():
        frame = dataset.tables[kind]
        for key in keys:
            col = frame[key]
            # test each distinct value once: sign-in dates repeat across thousands of cells
            partial_values = {v for v in col.unique() if isinstance(v, V.PartialDate)}
            partial = col.isin(partial_values) if partial_values else None
            if partial is not None:
                resolved = []
                for i in frame.index[partial]:
                    start = starts.get(frame.at[i, "class_id"]) if "class_id" in frame else None
                    if start is None:
                        resolved.append(None)
                        _report(
                            by_file,
                            Problem(
                                "date-year-unknown",
                                Source(
                                    frame.at[i, "src_file"],
                                    frame.at[i, "src_sheet"],
                                    int(frame.at[i, "src_row"]),
                                    dataset.cell(
                                        frame.at[i, "src_file"],
                                        frame.at[i, "src_sheet"],
                                        key,
                                        int(frame.at[i, "src_row"]),
                                    ),
                                ),
                                {"header": KIND_BY_KEY[kind].field(key).header},
                            ),
                        )
                    else:
                        resolved.append(col[i].resolve(start))
                col = col.copy()
                col[partial] = resolved
            uniques = {v: v for v in col.unique() if v is not None}
            as_dates = pd.to_datetime(pd.Series(list(uniques), dtype=object), errors="coerce")
            lookup = dict(zip(uniques, as_dates, strict=True))
            frame[key] = pd.Series(col.map(lookup), index=frame.index).astype("datetime64[ns]")
