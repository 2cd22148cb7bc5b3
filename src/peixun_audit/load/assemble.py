"""Assemble parsed sheets into one canonical DataFrame per table kind.

The parent process collects what the reading workers parse (``load_file``) here. This
module holds everything that needs NumPy and pandas, so that a reading worker, which
imports only ``load/__init__`` and what it reads with, starts without them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from ..heap import release
from ..model import InputFile, Problem, Source
from . import Dataset
from . import values as V
from .schema import KIND_BY_KEY, KINDS
from .table import SheetTable

DATE_FIELDS = {kind.key: [f.key for f in kind.fields if f.type == "date"] for kind in KINDS}

# Integer keys of a sign-in row: ``srow`` numbers the sheet row it came from (one per
# student line of a wide sheet, one per row of a long sheet), ``scol`` the session
# column (one per column of a wide sheet, one per row of a long sheet). The attendance
# step matches students per line and sessions per column, then broadcasts: 24,000
# lines and 18,000 columns instead of 720,000 cells.
SIGNIN_KEYS = ["srow", "scol"]


def _table_columns(kind: str) -> list[str]:
    cols = [f.key for f in KIND_BY_KEY[kind].fields] + ["src_file", "src_sheet", "src_row"]
    if kind == "signin":  # the mark is classified by the loader into status and signer
        cols = [c for c in cols if c != "mark"] + ["src_col", "status", "signer"] + SIGNIN_KEYS
    return cols


COLUMNS = {kind.key: _table_columns(kind.key) for kind in KINDS}  # each canonical table's
# a sign-in cell's fields: those of its line (the student's row) and of its column
COLUMN_FIELDS = ["date", "period", "src_col"]  # in the order of SheetTable.sessions
LINE_FIELDS = [
    c for c in COLUMNS["signin"] if c not in (*COLUMN_FIELDS, "status", "signer", *SIGNIN_KEYS)
]


class Assembler:
    """Collects parsed files one by one, then builds one DataFrame per table kind and
    finishes the cross-file steps.

    Sign-in sheets are collected as *lines* (a student's row: name, ID, source row),
    *columns* (a session: date, period, column letter) and per-cell status codes, and
    expanded to one row per cell only at the end, with one NumPy take per field."""

    def __init__(self) -> None:
        self.inputs: list[InputFile] = []
        self.columns: dict[tuple[str, str], dict[str, str]] = {}
        self.form_cells: dict[tuple[str, str, int], dict[str, str]] = {}
        self.rows: dict[str, dict[str, list]] = {k: {c: [] for c in COLUMNS[k]} for k in COLUMNS}
        self.lines: dict[str, list] = {c: [] for c in LINE_FIELDS}
        self.sessions: dict[str, list] = {c: [] for c in COLUMN_FIELDS}
        # per cell, in chunks: line, column (int32) and status code
        self.cells: dict[str, list[np.ndarray]] = {"srow": [], "scol": [], "status": []}
        # the cells that hold a written name (a few in a sheet of marks): where, and what
        self.signer_at: list[int] = []
        self.signer_names: list[str] = []
        self.n_cells = 0
        # the session columns' dates and which are year-less, when some are (_signin)
        self.partial_dates: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, entry: InputFile, tables: list[SheetTable]) -> None:
        self.inputs.append(entry)
        for t in tables:
            if not t.data or t.kind not in self.rows or not t.data["src_row"]:
                continue
            self.columns[(t.data["src_file"][0], t.account.name)] = t.columns
            for row, cells in getattr(t, "cells", {}).items():  # a printed form's values
                self.form_cells[(t.data["src_file"][0], t.account.name, row)] = cells
            if t.kind != "signin":
                n = len(t.data["src_row"])
                for c, values in self.rows[t.kind].items():
                    values.extend(t.data.get(c) or [None] * n)
            elif t.sessions is not None:
                self._add_wide(t.data, t.sessions)
            else:
                self._add_long(t.data, t.columns.get("mark", ""))

    def _add_lines(self, data: dict[str, list], n: int) -> int:
        first = len(self.lines["src_row"])
        for c, values in self.lines.items():
            values.extend(data.get(c) or [None] * n)
        return first

    def _add_wide(self, data: dict[str, list], sessions: list) -> None:
        n, s = len(data["src_row"]), len(sessions)
        first_line = self._add_lines(data, n)
        first_column = len(self.sessions["date"])
        for c, values in zip(COLUMN_FIELDS, zip(*sessions, strict=True), strict=True):
            self.sessions[c].extend(values)
        # cells session by session: column j, student i at j * n + i
        self.cells["srow"].append(first_line + np.tile(np.arange(n, dtype=np.int32), s))
        self.cells["scol"].append(first_column + np.repeat(np.arange(s, dtype=np.int32), n))
        codes = np.frombuffer(b"".join(data["_status"]), dtype=np.int8).reshape(n, s)
        self.cells["status"].append(codes.T.ravel())
        # written names line by line; the cells are column-major: student i, column j
        # is cell j * n + i
        for i, line in enumerate(data["_signer"]):
            if line is not None:
                for j, name in enumerate(line):
                    if name:
                        self.signer_at.append(self.n_cells + j * n + i)
                        self.signer_names.append(name)
        self.n_cells += n * s

    def _add_long(self, data: dict[str, list], letter: str) -> None:
        n = len(data["src_row"])
        first_line = self._add_lines(data, n)
        first_column = len(self.sessions["date"])
        # a long sheet's column is each distinct (class, date, period) of its rows, as a
        # wide sheet's is each session column: a central sheet's 720,000 rows are 18,000
        # sessions, matched to the plan once each (attendance._match_sessions)
        none = [None] * n
        keys = zip(
            data.get("class_id") or none,
            data.get("date") or none,
            data.get("period") or none,
            strict=True,
        )
        index: dict[tuple, int] = {}
        scol = np.fromiter(
            (index.setdefault(key, len(index)) for key in keys), dtype=np.int32, count=n
        )
        self.sessions["date"].extend(key[1] for key in index)
        self.sessions["period"].extend(key[2] for key in index)
        self.sessions["src_col"].extend([letter] * len(index))
        self.cells["srow"].append(first_line + np.arange(n, dtype=np.int32))
        self.cells["scol"].append(first_column + scol)
        self.cells["status"].append(
            np.fromiter(map(STATUS_CODES.__getitem__, data["status"]), dtype=np.int8, count=n)
        )
        for i, name in enumerate(data["signer"]):
            if name:
                self.signer_at.append(self.n_cells + i)
                self.signer_names.append(name)
        self.n_cells += n

    def _signin(self) -> dict[str, np.ndarray]:
        """The sign-in table's columns, one entry per cell. Every text column is a
        categorical: a small integer code per cell into the distinct values, not an
        8-byte pointer per cell; the keys are int32 (docs/MEMORY.md). A city-year is
        720,000 cells: its 11 object columns were 63 MB, their codes are 12 MB."""
        cells = {
            k: np.concatenate(v) if v else np.empty(0, dtype=np.int32)
            for k, v in self.cells.items()
        }
        self.cells = {}
        srow, scol = (
            cells["srow"].astype(np.int32, copy=False),
            cells["scol"].astype(np.int32, copy=False),
        )
        out = {c: categorical(_objects(v, len(v)), srow) for c, v in self.lines.items()}
        self.lines = {}
        dates = self.sessions.pop("date")
        out.update({c: categorical(_objects(v, len(v)), scol) for c, v in self.sessions.items()})
        # dates converted once per session column, not once per cell; year-less ones
        # (NaT here) are completed per (class, column) by _resolve_signin_dates
        columns_dates = _objects(dates, len(dates))
        partial = np.fromiter(
            (isinstance(d, V.PartialDate) for d in dates), dtype=bool, count=len(dates)
        )
        self.partial_dates = (columns_dates, partial) if partial.any() else None
        out["date"] = _as_datetimes(np.where(partial, None, columns_dates))[scol]
        self.sessions = {}
        out["status"] = _status_categorical(cells["status"])
        out["signer"] = _sparse_categorical(self.n_cells, self.signer_at, self.signer_names)
        self.signer_at, self.signer_names = [], []
        out["srow"], out["scol"] = srow, scol
        return out

    def _starts(self) -> dict[object, dt.date]:
        """Each class's start date, where it is a date (year-less dates take its year)."""
        rows = self.rows["classes"]
        return {
            cid: start
            for cid, start in zip(rows["class_id"], rows["start_date"], strict=True)
            if isinstance(start, dt.date)
        }

    def finish(self) -> Dataset:
        import pandas as pd

        dataset = Dataset({}, self.inputs, self.columns, self.form_cells)
        for kind, columns in COLUMNS.items():
            if kind == "signin":
                arrays = self._signin()
            else:
                arrays = {c: _objects(v, len(v)) for c, v in self.rows[kind].items()}
            # object dtype keeps values as parsed; typed arrays (the integer sign-in keys,
            # sign-in dates) are inserted as they are: a dtype=object frame would box them
            plain = [c for c in columns if _is_object(arrays[c])]
            # the index given: a frame made without columns (the sign-in table's are all
            # typed) would be reindexed to the first inserted column's length (0.02 s)
            index = pd.RangeIndex(len(arrays[columns[0]]))
            frame = pd.DataFrame(
                {c: arrays[c] for c in plain}, index=index, dtype=object, copy=False
            )
            for i, c in enumerate(columns):
                if c not in plain:
                    frame.insert(i, c, arrays[c])
            dataset.tables[kind] = frame
        by_file = {f.path: f for f in self.inputs}
        if self.partial_dates is not None:
            _resolve_signin_dates(dataset, by_file, *self.partial_dates, self._starts())
            self.partial_dates = None
        self.rows = {}
        _resolve_dates(dataset, by_file)
        release()  # the lists and arrays of the parsed sheets, freed above
        return dataset


def _is_object(values: object) -> bool:
    return isinstance(values, np.ndarray) and values.dtype == object


def categorical(values: np.ndarray, index: np.ndarray | None) -> pd.Categorical:
    """``values[index]`` (all of ``values`` when ``index`` is None) as a categorical whose
    categories are the distinct values, sorted where they can be (so that sorting or
    grouping by the column orders as the values do), held as Python objects (an ``int``
    row number stays an ``int``); None is the missing code -1."""
    import pandas as pd

    codes, uniques = _factorize_sorted(values)
    codes = codes.astype(_code_dtype(len(uniques)), copy=False)
    if index is not None:
        codes = codes[index]
    dtype = pd.CategoricalDtype(pd.Index(uniques, dtype=object, copy=False))
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _factorize_sorted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)``, text sorted by Python's ``sorted``: pandas
    sorts object values with NumPy's object argsort, three times slower (24,000 ID
    numbers: 15 ms against 5). Distinct strings have one order, so the codes and
    categories are the same; anything but text is left to pandas."""
    import pandas as pd
    from pandas.api.types import infer_dtype

    codes, uniques = pd.factorize(values)
    if infer_dtype(uniques, skipna=False) != "string":  # numbers, mixed, empty
        return pd.factorize(values, sort=True)
    texts = uniques.tolist()
    order = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.intp)
    rank = np.empty(len(texts), dtype=np.intp)
    rank[order] = np.arange(len(texts))
    # the missing code -1 stays -1
    return np.where(codes >= 0, rank[codes], -1), uniques[order]


def _sparse_categorical(n: int, at: list[int], values: list) -> pd.Categorical:
    """A categorical of ``n`` cells, missing but at positions ``at``, which hold
    ``values``."""
    import pandas as pd

    value_codes, uniques = pd.factorize(_objects(values, len(values)), sort=True)
    codes = np.full(n, -1, dtype=_code_dtype(len(uniques)))
    codes[np.array(at, dtype=np.int64)] = value_codes
    dtype = pd.CategoricalDtype(pd.Index(uniques, dtype=object, copy=False))
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _code_dtype(n: int) -> type:
    return np.int8 if n < 127 else np.int16 if n < 32767 else np.int32


def _status_categorical(codes: np.ndarray) -> pd.Categorical:
    """The loader's mark status codes (STATUS_CODES) as a categorical of the names."""
    import pandas as pd

    dtype = pd.CategoricalDtype(pd.Index(V.MARK_STATUSES, dtype=object))
    return pd.Categorical.from_codes(codes.astype(np.int8, copy=False), dtype=dtype)


def _objects(values: list, n: int) -> np.ndarray:
    """A list as a 1-D object array (``np.array`` would nest tuples or infer types).
    ``fromiter`` stores each item as it is; assigning the list to an empty array's slice
    inspected every item as a possible sequence first: 3x slower (a city-year's 1.4
    million values took 0.06 s more)."""
    return np.fromiter(values, dtype=object, count=n)


STATUS_CODES = {name: code for code, name in enumerate(V.MARK_STATUSES)}


def _report(by_file: dict[str, InputFile], problem: Problem) -> None:
    entry = by_file[problem.source.file]
    entry.problems.append(problem)
    if entry.status == "ok":
        entry.status = "partial"


def _resolve_signin_dates(
    dataset: Dataset,
    by_file: dict[str, InputFile],
    dates: np.ndarray,
    partial: np.ndarray,
    starts: dict[object, dt.date],
) -> None:
    """The sign-in cells under a year-less date header (``9月1日``; ``partial`` marks
    those session columns among ``dates``) take the year from their class's start:
    each distinct (class, date) pair is resolved once, found with integer codes (the
    class's category, the date's code per column) — 720,000 cells of a city-year are
    18,000 such pairs, and no date object is hashed per cell. A cell whose class has no start
    date stays NaT and is reported (date-year-unknown), once per sheet column.
    (The cells of full dates were converted per column in ``_signin``.)"""
    import pandas as pd

    frame = dataset.tables["signin"]
    scol = frame["scol"].to_numpy()
    cells = np.flatnonzero(partial[scol])
    # each distinct year-less date a code (a date merged over 上午/下午 heads two columns)
    distinct: dict[V.PartialDate, int] = {}
    date_code = np.full(len(dates), -1, dtype=np.int64)
    for column in np.flatnonzero(partial):
        date_code[column] = distinct.setdefault(dates[column], len(distinct))
    days = list(distinct)
    classes = frame["class_id"].array  # categorical: -1 where a cell has no class
    pair = classes.codes[cells].astype(np.int64) * len(days) + date_code[scol[cells]]
    pairs, inverse = np.unique(pair, return_inverse=True)
    categories = classes.categories
    resolved = np.empty(len(pairs), dtype="datetime64[ns]")
    for i, (code, k) in enumerate(zip(*np.divmod(pairs, len(days)), strict=True)):
        start = starts.get(categories[code]) if code >= 0 else None
        day = days[k].resolve(start) if start is not None else None
        resolved[i] = np.datetime64("NaT") if day is None else np.datetime64(day, "D")
    values = frame["date"].to_numpy(copy=True)
    values[cells] = resolved[inverse.reshape(-1)]
    frame["date"] = pd.Series(values, index=frame.index)
    unknown = frame.index[cells[np.isnat(values[cells])]]
    _report_year_unknown(dataset, by_file, frame.loc[unknown], "date")


def _resolve_dates(dataset: Dataset, by_file: dict[str, InputFile]) -> None:
    """Year-less dates (``9月1日``) take the year from their class's start date;
    then every date column becomes datetime64."""
    import pandas as pd

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
            if col.dtype.kind == "M":  # already datetime64 (sign-in dates, per column)
                continue
            # test each distinct value once: sign-in dates repeat across thousands of cells
            partial_values = {v for v in col.unique() if isinstance(v, V.PartialDate)}
            if partial_values:
                partial = col.isin(partial_values).to_numpy()
                resolved = _resolve_partial(frame, key, partial, starts)
                unknown = frame.index[partial][pd.isna(resolved)]
                _report_year_unknown(dataset, by_file, frame.loc[unknown], key)
                values = col.to_numpy(dtype=object, copy=True)
                values[partial] = resolved
                col = pd.Series(values, index=frame.index, dtype=object)
            frame[key] = pd.Series(_as_datetimes(col.to_numpy()), index=frame.index)


def _resolve_partial(
    frame: pd.DataFrame, key: str, partial: np.ndarray, starts: dict[str, dt.date]
) -> np.ndarray:
    """The year-less dates of ``frame[key]`` (rows ``partial``) completed from their
    class's start, each distinct (class, date) pair resolved once — a year-less sign-in
    header repeats over every student's cell; None where the class has no start."""
    import pandas as pd

    values = frame[key].to_numpy()[partial]
    cids = (
        frame["class_id"].to_numpy()[partial]
        if "class_id" in frame
        else np.full(len(values), None, dtype=object)
    )
    cid_codes, cid_uniques = pd.factorize(cids, use_na_sentinel=False)
    value_codes, value_uniques = pd.factorize(values)
    pair_codes, pairs = pd.factorize(cid_codes.astype(np.int64) * len(value_uniques) + value_codes)
    resolved = np.empty(len(pairs), dtype=object)
    for i, pair in enumerate(pairs):
        cid, value = divmod(int(pair), len(value_uniques))
        start = starts.get(cid_uniques[cid])
        resolved[i] = value_uniques[value].resolve(start) if start is not None else None
    return resolved[pair_codes]


def _report_year_unknown(
    dataset: Dataset, by_file: dict[str, InputFile], rows: pd.DataFrame, key: str
) -> None:
    """A year-less date whose class has no start date: reported once per sheet column
    of a sign-in sheet (its header holds the date), else once per row."""
    if "src_col" in rows:
        rows = rows.drop_duplicates(["src_file", "src_sheet", "src_col"])
    for file, sheet, row in zip(rows["src_file"], rows["src_sheet"], rows["src_row"], strict=True):
        cell = dataset.cell(file, sheet, key, int(row))
        source = Source(file, sheet, int(row), cell)
        _report(by_file, Problem("date-year-unknown", source, {"field": key}))


def _as_datetimes(values: np.ndarray) -> np.ndarray:
    """Parsed dates (``dt.date`` or None) as datetime64[ns], each distinct value
    converted once and taken back by its code (no dictionary look-up per value)."""
    import pandas as pd

    codes, uniques = pd.factorize(values)  # None (and NaN) is the missing code -1
    if not len(uniques):  # a column with no date at all (most optional date columns)
        return np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    as_dates = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce").to_numpy()
    # the missing code -1 takes the last entry: NaT
    return np.append(as_dates, np.datetime64("NaT"))[codes].astype("datetime64[ns]", copy=False)
