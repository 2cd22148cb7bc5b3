"""One raw sheet → one canonical table (SPEC §3.1).

Steps: recognise the kind (sheet name, else headers), find the header row under any
title rows, map headers to field keys through the aliases, read a ``班级编号：…`` label
from the title rows, then parse every column by its distinct values. Wide sign-in
sheets (one column per session, one- or two-row headers) are melted to the long form.
Every data row ends up either used (with file, sheet and Excel row) or reported.
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Problem, SheetAccount, Source
from . import values as V
from .body import looks_like_data, rows_like_data, scan_body
from .schema import (
    ALIASES,
    KIND_BY_KEY,
    KINDS,
    kind_from_sheet_name,
    normalise_header,
)
from .title import Title, read_title
from .workbook import RawSheet, column_letter

HEADER_SCAN_ROWS = 20
MIN_HEADER_MATCHES = 2

PARSERS = {
    "text": V.parse_text,
    "date": V.parse_date,
    "time": V.parse_time,
    "number": V.parse_number,
    "yesno": V.parse_yesno,
    "id": V.parse_id,
    "phone": V.parse_phone,
    "list": V.parse_list,
    "period": V.parse_period,
    "level": V.normalise_level,
    "mark": lambda v: v,  # not parsed here: classified after melting (_long_marks)
}


Columns = dict[str, list[object]]  # a sheet's canonical rows, column-wise


@dataclass
class SheetTable:
    """The canonical rows of one sheet, with what was reported about it."""

    kind: str | None
    data: Columns | None  # canonical rows, column-wise; None when the sheet is not used
    class_label: str | None
    account: SheetAccount
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field key → column letter
    # a wide sign-in sheet: (date, period, column letter) of each session column
    sessions: list[tuple[object, str | None, str]] | None = None
    title: Title = field(default_factory=Title)  # what the title rows say (title.py)
    # another table stacked below this one on the sheet starts at this grid row
    next_table: int | None = None
    stacked: bool = False  # the sheet holds several tables (load._fill_class_ids)


def _header_score(row: list[object], kind: str) -> tuple[int, int]:
    """(alias matches, session-like headers) for one candidate header row."""
    matches = 0
    sessions = 0
    seen: set[str] = set()
    for cell in row:
        key, session = _header_role(cell, kind)
        if key and key not in seen:
            seen.add(key)
            matches += 1
        elif session:
            sessions += 1
    return matches, sessions


@lru_cache(maxsize=65536)
def _header_role(cell: object, kind: str) -> tuple[str | None, bool]:
    """(field key, names a session) of one header cell: the same header texts recur in
    every workbook of a batch, so each is judged once."""
    if V.is_blank(cell):
        return None, False
    key = ALIASES[kind].get(normalise_header(cell)) if isinstance(cell, str) else None
    return key, kind == "signin" and V.parse_session_header(cell) is not None


def _best_header(grid: list[list[object]], kind: str) -> tuple[int, int] | None:
    """(row index, score) of the most header-like row among the first rows."""
    best: tuple[int, int] | None = None
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        if best is not None and r > best[0] + 3:
            break  # data rows follow a header; headers further down score no better
        matches, sessions = _header_score(row, kind)
        if kind == "signin" and sessions >= 1 and matches >= 1:
            score = matches + min(sessions, 3)  # a wide sign-in header
        elif matches >= MIN_HEADER_MATCHES:
            score = matches
        else:
            if best is not None and looks_like_data(row):
                break  # the best header's data: a header below belongs to another table
            continue
        if best is None or score > best[1]:
            best = (r, score)
    return best


def detect_kind(raw: RawSheet) -> tuple[str | None, int | None]:
    """Kind and header row: the sheet name's kind when its headers confirm it, else the
    kind whose headers match best (a bare ``Sheet1`` is normal)."""
    named = kind_from_sheet_name(raw.name)
    if named:
        found = _best_header(raw.grid, named)
        if found:
            return named, found[0]
    best: tuple[str, int, int] | None = None
    for kind in KINDS:
        found = _best_header(raw.grid, kind.key)
        if found and (best is None or found[1] > best[2]):
            best = (kind.key, found[0], found[1])
    if best:
        return best[0], best[1]
    return named, None


# Sheets this tool writes beside the data (template instructions, the sampling record):
# listed in the file's account as "notes", never read as data.
NOTE_SHEETS = {"填表说明", "抽样记录"}


def parse_tables(raw: RawSheet, file: str) -> list[SheetTable]:
    """Every table of a sheet. Tables stacked one under another, each with its own
    title rows and header, are read one by one; they share the sheet's account."""
    tables = [parse_sheet(raw, file)]
    offset = 0
    while tables[-1].next_table is not None:
        offset += tables[-1].next_table
        part = parse_sheet(_rows_from(raw, offset), file, first=False)
        account = tables[0].account
        account.rows_read += part.account.rows_read
        account.rows_reported += part.account.rows_reported
        part.account = account
        tables.append(part)
    if len(tables) > 1:
        for t in tables:
            t.stacked = True
    return tables


def _rows_from(raw: RawSheet, start: int) -> RawSheet:
    """The sheet from grid row ``start`` down, with true Excel row numbers."""
    merged = [(r1 - start, c1, r2 - start, c2) for r1, c1, r2, c2 in raw.merged if r1 >= start]
    return RawSheet(raw.name, raw.hidden, raw.grid[start:], raw.row0 + start, raw.col0, merged)


def parse_sheet(raw: RawSheet, file: str, first: bool = True) -> SheetTable:
    """The first table of a sheet (``first``: the sheet's own top, not a table stacked
    below another); ``next_table`` says where the next one starts."""
    account = SheetAccount(raw.name, None, hidden=raw.hidden)
    problems: list[Problem] = []
    src = Source(file, raw.name)
    if raw.name in NOTE_SHEETS:
        account.kind = "notes"
        return SheetTable("notes", None, None, account, problems)
    if raw.hidden and first:
        problems.append(Problem("hidden-sheet", src, severity="info"))
    nonblank = list(map(_has_value, raw.grid))
    if not any(nonblank):
        problems.append(Problem("empty-sheet", src, severity="info"))
        return SheetTable(None, None, None, account, problems)
    if (special := _grid_or_session_sheet(raw, file, account, problems)) is not None:
        return special
    kind, header = detect_kind(raw)
    account.kind = kind
    if header is None:
        account.rows_read = sum(nonblank)
        account.rows_reported = account.rows_read
        problems.append(Problem("no-header", src, {"rows": account.rows_read}, "error"))
        return SheetTable(kind, None, None, account, problems)

    kind_def = KIND_BY_KEY[kind]
    header_row = raw.grid[header]
    aliases = ALIASES[kind]
    colmap: dict[str, int] = {}
    sessions: list[tuple[int, object, str | None]] = []  # (column, date, period)
    for c, cell in enumerate(header_row):
        if V.is_blank(cell):
            continue
        key = aliases.get(normalise_header(cell)) if isinstance(cell, str) else None
        if key:
            if key in colmap:
                problems.append(
                    Problem(
                        "duplicate-header",
                        Source(file, raw.name, raw.excel_row(header), raw.cell_ref(header, c)),
                        {"header": V.fold(cell), "used": raw.cell_ref(header, colmap[key])},
                    )
                )
                continue
            colmap[key] = c
        elif kind == "signin":
            session = V.parse_session_header(cell)
            if session is not None:
                sessions.append((c, session[0], session[1]))

    data_start = header + 1
    if sessions and header + 1 < len(raw.grid):
        # two-row header: a date merged over the columns of its periods, 上午/下午 below
        below = raw.grid[header + 1]
        periods = {}
        for c, _, _ in sessions:
            cell = below[c] if c < len(below) else ""
            try:
                periods[c] = V.parse_period(cell)
            except ValueError:
                periods[c] = None
        if any(periods.values()):
            sessions = [(c, d, periods[c] or p) for c, d, p in sessions]
            data_start = header + 2

    title = read_title(raw.grid[:header])
    class_label = title.class_id
    if title.class_unreadable is not None:
        r, c, value = title.class_unreadable
        cell = Source(file, raw.name, raw.excel_row(r), raw.cell_ref(r, c))
        problems.append(Problem("class-label-unreadable", cell, {"value": value[:40]}))
    missing = [g for g in kind_def.required if not any(k in colmap for k in g)]
    if kind == "signin" and sessions:
        missing = [g for g in missing if "date" not in g and "mark" not in g]
    data_rows, next_table = _body_rows(
        raw, file, kind, header, data_start, colmap, sessions, nonblank, title, problems, account
    )
    # merged ranges in this table's data area were filled with their top-left value: say so
    for r1, c1, r2, c2 in raw.merged:
        if r2 >= data_start and r2 > r1 and (next_table is None or r1 < next_table):
            first, last = raw.cell_ref(r1, c1), raw.cell_ref(r2, c2)
            problems.append(
                Problem(
                    "merged-data-cells",
                    Source(file, raw.name, raw.excel_row(r1), f"{first}:{last}"),
                    severity="info",
                )
            )

    if missing:
        account.rows_reported = account.rows_read
        fields = [list(g) for g in missing]
        problems.append(Problem("missing-columns", src, {"fields": fields, "kind": kind}, "error"))
        return SheetTable(
            kind, None, class_label, account, problems, title=title, next_table=next_table
        )

    table = SheetTable(
        kind, None, class_label, account, problems, title=title, next_table=next_table
    )
    table.columns = {k: column_letter(raw.col0 + c) for k, c in colmap.items()}
    data = _parse_columns(raw, file, kind, colmap, data_rows, table)
    if kind == "signin" and sessions:
        data = _wide_marks(raw, file, data, sessions, table)
    elif kind == "signin":
        data = _long_marks(file, raw.name, data, table)
    table.data = data
    return table


# what the rows below a header that are not data are reported as (body.scan_body)
SKIPPED_SEVERITY = {
    "row-repeated-header": "info",
    "row-footer": "info",
    "row-total": "info",
    "row-class-label": "info",
    "row-under-other-label": "error",
}


def _body_rows(
    raw: RawSheet,
    file: str,
    kind: str,
    header: int,
    data_start: int,
    colmap: dict[str, int],
    sessions: list[tuple[int, object, str | None]],
    nonblank: list[bool],
    title: Title,
    problems: list[Problem],
    account: SheetAccount,
) -> tuple[list[int], int | None]:
    """The data rows of the table under ``header`` and the grid row where a table
    stacked below it starts. Rows above the header that look like a student's, and
    the rows below it that are not data, are reported and counted as read."""
    # the cells that make a row a record (name/ID, a plan's date …): a footer has none
    key_cols = [
        colmap[k]
        for group in KIND_BY_KEY[kind].required
        if "mark" not in group
        for k in group
        if k in colmap
    ]
    others = [c for k, c in colmap.items() if k != "name"] + [c for c, _, _ in sessions]
    above = rows_like_data(raw.grid, header, colmap.get("name"), others)
    for r in above:
        src = Source(file, raw.name, raw.excel_row(r))
        problems.append(
            Problem("row-above-header", src, {"header_row": raw.excel_row(header)}, "error")
        )
    rows = list(itertools.compress(range(data_start, len(raw.grid)), nonblank[data_start:]))
    header_rows = list(range(header, data_start))
    body = scan_body(
        raw.grid,
        rows,
        header_rows,
        key_cols,
        title.class_id,
        "class_id" in colmap,
        raw.merged,
        raw.grid[:header],
    )
    for r, code, params in body.skipped:
        src = Source(file, raw.name, raw.excel_row(r))
        problems.append(Problem(code, src, {"kind": kind, **params}, SKIPPED_SEVERITY[code]))
    account.rows_read = len(body.data) + len(body.skipped) + len(above)
    account.rows_reported = len(body.skipped) + len(above)
    return body.data, body.next_table


def _grid_or_session_sheet(
    raw: RawSheet, file: str, account: SheetAccount, problems: list[Problem]
) -> SheetTable | None:
    """A monthly attendance grid (``grid.py``) or a one-session sheet (``sessions.py``),
    recognised before the table kind: neither is ever taken for a roster."""
    from . import grid, sessions

    head = grid.find_header(raw)
    found = sessions.find_session_sheet(raw) if head is None else None
    if head is None and found is None:
        return None
    account.kind = "signin"
    table = SheetTable("signin", None, None, account, problems)
    if head is not None:
        grid.read_grid(raw, file, head, table)
    else:
        sessions.read_session_sheet(raw, file, found, table)
    return table


def _has_value(row: list[object]) -> bool:
    """Whether a row holds anything but blanks (``V.is_blank`` inlined: called per row)."""
    for cell in row:
        if cell is None:
            continue
        if cell.__class__ is not str or (cell and not cell.isspace()):
            return True
    return False


# each kind's field types by key (``TableKind.field`` searches the tuple)
FIELD_TYPES = {kind.key: {f.key: f.type for f in kind.fields} for kind in KINDS}


def _parse_distinct(
    ftype: str, values: set[object]
) -> tuple[dict[object, object], dict[object, str]]:
    """({value: parsed}, {value: reason}) over a column's distinct values. Most columns
    parse without a failure: all at once (``V.COLUMN_PARSERS``, else the parser mapped
    in one C loop); a column with a failure is parsed again one value at a time (the
    parsers are pure) to tell which values failed."""
    parser = PARSERS[ftype]
    try:
        if (column_parser := V.COLUMN_PARSERS.get(ftype)) is not None:
            return column_parser(values), {}
        return dict(zip(values, map(parser, values), strict=True)), {}
    except ValueError:
        pass
    parsed: dict[object, object] = {}
    failed: dict[object, str] = {}
    for value in values:
        try:
            parsed[value] = parser(value)
        except ValueError as exc:
            failed[value] = str(exc)
    return parsed, failed


def _parse_columns(
    raw: RawSheet,
    file: str,
    kind: str,
    colmap: dict[str, int],
    data_rows: list[int],
    table: SheetTable,
) -> Columns:
    """Parse each mapped column by its distinct values; report unreadable cells and the
    rows that lack a required field.

    Plain lists, not a DataFrame per sheet: a city-year has thousands of small sheets,
    and pandas' per-frame overhead dominated the load (benchmarks/RESULTS.md)."""
    kind_def = KIND_BY_KEY[kind]
    types = FIELD_TYPES[kind]
    columns: Columns = {}
    rows = list(map(raw.grid.__getitem__, data_rows))
    rectangular = min(map(len, rows), default=0) > max(colmap.values(), default=0)
    for key, c in colmap.items():
        ftype = types[key]
        if rectangular:
            cells = list(map(operator.itemgetter(c), rows))
        else:
            cells = [row[c] if c < len(row) else "" for row in rows]
        if ftype == "mark":  # kept as written: classified after melting (_long_marks)
            columns[key] = cells
            continue
        parsed, failed = _parse_distinct(ftype, set(cells))
        if failed:
            for r, value in zip(data_rows, cells, strict=True):
                if value in failed:
                    shown = "" if ftype == "id" else V.fold(value)[:40]
                    table.problems.append(
                        Problem(
                            failed[value],
                            Source(file, raw.name, raw.excel_row(r), raw.cell_ref(r, c)),
                            {"field": key, "value": shown},
                        )
                    )
        columns[key] = list(map(parsed.get, cells))
    excel_rows = [r + raw.row0 + 1 for r in data_rows]  # raw.excel_row, inlined

    # rows that lack a required field (a footer note, a 合计 line) are reported, not used
    gaps: dict[int, list[str]] = {}
    for group in kind_def.required:
        present = [columns[k] for k in group if k in columns]
        if not present or "mark" in group:  # a blank mark is an absence, not a gap
            continue
        if any(values.count(None) == 0 for values in present):
            continue  # some field of the group is filled in on every row
        for i, values in enumerate(zip(*present, strict=True)):
            if all(v is None for v in values):
                gaps.setdefault(i, []).append(list(group))
    # (footer and 合计 rows were set aside before: body.scan_body)
    keep = [] if gaps else list(range(len(data_rows)))
    for i in range(len(data_rows)) if gaps else ():
        if i not in gaps:
            keep.append(i)
            continue
        table.problems.append(
            Problem(
                "row-missing-fields",
                Source(file, raw.name, excel_rows[i]),
                {"kind": kind_def.key, "fields": gaps.get(i, [])},
                "error",
            )
        )
    table.account.rows_reported += len(data_rows) - len(keep)
    if len(keep) == len(data_rows):
        out = columns
        out["src_row"] = excel_rows
    else:
        out = {k: [v[i] for i in keep] for k, v in columns.items()}
        out["src_row"] = [excel_rows[i] for i in keep]
    out["src_file"] = [file] * len(keep)
    out["src_sheet"] = [raw.name] * len(keep)
    return out


def _wide_marks(
    raw: RawSheet,
    file: str,
    columns: Columns,
    sessions: list[tuple[int, object, str | None]],
    table: SheetTable,
) -> Columns:
    """Keep a wide sign-in sheet wide: per student row, the status code of each session
    column (``_status``, bytes) and the signed names (``_signer``, only where a name was
    written). ``load.Assembler`` expands it to the long form with NumPy; melting here, one
    Python object per cell, was the loader's largest cost (benchmarks/RESULTS.md)."""
    cols = [c for c, _, _ in sessions]
    s = len(cols)
    grid_rows = [raw.grid[r - raw.row0 - 1] for r in columns["src_row"]]
    if s == 1:
        cells = [row[cols[0]] if cols[0] < len(row) else "" for row in grid_rows]
    else:
        pick = operator.itemgetter(*cols)
        last = max(cols)
        cells = list(
            itertools.chain.from_iterable(
                pick(row) if last < len(row) else pick(row + [""] * (last + 1 - len(row)))
                for row in grid_rows
            )
        )
    codes = {v: _mark_code(v) for v in set(cells)}
    blob = bytes(map({v: code for v, (code, _) in codes.items()}.__getitem__, cells))
    status_rows = [blob[i * s : (i + 1) * s] for i in range(len(grid_rows))]
    signer_rows: list[tuple[str | None, ...] | None] = [None] * len(grid_rows)
    signer_of = {v: signer for v, (_, signer) in codes.items() if signer}
    if signer_of:  # only signatures name a signer: the rows holding one, found in the blob
        k = blob.find(SIGNATURE_CODE)
        while k >= 0:
            i = k // s
            signer_rows[i] = tuple(map(signer_of.get, cells[i * s : (i + 1) * s]))
            k = blob.find(SIGNATURE_CODE, (i + 1) * s)
    if NONE_CODE in blob:  # a column of / only is a day without class: not a session
        unheld = {j for j in range(s) if set(blob[j::s]) <= NO_MARK_CODES}
        if unheld and len(unheld) < s:
            kept = [j for j in range(s) if j not in unheld]
            sessions = [sessions[j] for j in kept]
            cols = [cols[j] for j in kept]
            cells = [cells[i * s + j] for i in range(len(grid_rows)) for j in kept]
            blob = bytes(blob[i * s + j] for i in range(len(grid_rows)) for j in kept)
            status_rows = [blob[i * len(kept) : (i + 1) * len(kept)] for i in range(len(grid_rows))]
            signer_rows = [
                None if names is None else tuple(names[j] for j in kept) for names in signer_rows
            ]
            s = len(kept)
    for code, problem in REPORTED_CODES.items():
        k = blob.find(code)
        while k >= 0:
            i, j = divmod(k, s)
            r = columns["src_row"][i]
            cell = raw.cell_ref(r - raw.row0 - 1, cols[j])
            _unknown_mark(table, file, raw.name, r, cell, cells[k], problem)
            k = blob.find(code, k + 1)
    out = {k: v for k, v in columns.items() if k not in ("date", "period", "mark")}
    out["_status"] = status_rows
    out["_signer"] = signer_rows
    table.sessions = [(d, p, column_letter(raw.col0 + c)) for c, d, p in sessions]
    return out


def _long_marks(file: str, sheet: str, columns: Columns, table: SheetTable) -> Columns:
    """A long sign-in sheet's marks classified in place: ``status`` and ``signer``.
    Each distinct mark is classified once and the columns are mapped from it (a
    central sign-in sheet has a row per student and session: 720,000 a city-year);
    only the cells of a reported mark are visited one by one."""
    marks = columns.pop("mark", None) or [""] * len(columns["src_row"])
    codes = {v: _mark_code(v) for v in set(marks)}
    status_of = {v: V.MARK_STATUSES[code] for v, (code, _) in codes.items()}
    signer_of = {v: signer for v, (_, signer) in codes.items()}
    columns["status"] = list(map(status_of.__getitem__, marks))
    columns["signer"] = list(map(signer_of.__getitem__, marks))
    reported = {v: REPORTED_CODES[code] for v, (code, _) in codes.items() if code in REPORTED_CODES}
    if reported:
        letter = table.columns.get("mark", "")
        for value, row in zip(marks, columns["src_row"], strict=True):
            if value in reported:
                _unknown_mark(table, file, sheet, row, f"{letter}{row}", value, reported[value])
    return columns


UNKNOWN_CODE = V.MARK_STATUSES.index("unknown")
SIGNATURE_CODE = V.MARK_STATUSES.index("signature")  # the only status with a signer
NONE_CODE = V.MARK_STATUSES.index("none")
NO_MARK_CODES = {NONE_CODE, V.MARK_STATUSES.index("absent")}
# marks reported with their cell: unknown words, 补签, and / where others have a session
REPORTED_CODES = {
    UNKNOWN_CODE: "unknown-mark",
    V.MARK_STATUSES.index("makeup"): "makeup-mark",
    NONE_CODE: "no-session-mark",
}


def _mark_code(value: object) -> tuple[int, str | None]:
    status, signer = V.classify_mark("" if value is None else value)
    return V.MARK_STATUSES.index(status), signer


def _unknown_mark(
    table: SheetTable,
    file: str,
    sheet: str,
    row: int,
    cell: str,
    value: object,
    problem: str = "unknown-mark",
) -> None:
    """An unknown mark (or 补签, or a / in a held session) is counted absent and reported
    with its cell."""
    table.problems.append(
        Problem(problem, Source(file, sheet, row, cell), {"value": V.fold(value)[:40]})
    )
