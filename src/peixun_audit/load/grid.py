"""Monthly attendance grids (月度考勤表, 学员出勤簿) → the canonical wide sign-in table.

A grid has one row per student (or two: 上午/下午, 签到/签退) and one column per day of a
month, headed by the day number (``1`` … ``31``, ``1日``); the month is in the title
(``2021年5月``, ``考勤时间 2021年5月``, ``考勤月份：2021-05``, ``(2021-05)``), in a label
cell or in the sheet name. A period may cross months (``26`` … ``31`` then ``1`` …
``25``). ``/`` or ``—`` in a cell, or a day column nobody marked, is a day without
class, not a session. Totals (出勤天数, 缺勤 …) and signature columns are not days.

The result is the same :class:`SheetTable` the wide form gives (``sessions`` and per
line ``_status``/``_signer``), so attendance and the rules read a grid like any other
sign-in sheet. A grid whose month cannot be told is refused with the reason: it is
never read as a roster, and never with guessed dates. docs/layouts_grid.md has examples.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import Problem, Source
from . import values as V
from .schema import ALIASES, normalise_header
from .workbook import RawSheet, column_letter

SCAN_ROWS = 20
MIN_DAYS = 2  # a run of at least this many day columns (two different days) makes a grid
# 5, 05, 5日, 5号, and a weekday written with it: 5(一), 5\n周一
_DAY = re.compile(r"^(\d{1,2})\s*[日号]?\s*[(\[]?\s*(?:(?:星期|周)?[一二三四五六日天])?\s*[)\]]?$")
_WEEKDAY = re.compile(r"^(?:星期|周|礼拜)?[一二三四五六日天]$")
# slot words of a student's second row, and the period each names
_SLOT_PERIOD = re.compile(r"(上午|下午|晚上|早上|中午|晚间)")
_SLOT_KIND = re.compile(r"^(?:上午|下午|晚上|早上|中午|晚间)?\s*(?:签到|签退|到|退)?$")
# a whole date range in the title: 2021年4月26日至2021年5月25日, 2021.4.26-2021.5.25
_RANGE = re.compile(
    r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?\s*(?:至|到|~|～|-|—|－)+\s*"
    r"(?:(\d{4})\s*[年.\-/]\s*)?(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?"
)
_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})\s*(?:年\s*(\d{1,2})\s*月|[-./]\s*(\d{1,2})(?![\d.\-/]))")
_MONTH_ONLY = re.compile(r"(?<![\d年.\-/])(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
_MONTH_LABEL = re.compile(r"(?:考勤月份|考勤时间|考勤期间|考勤年月|月份|年月)\s*[:：]?\s*")
_MADE_ON = re.compile(r"(?:制表|填表|打印|填报|报送|统计)(?:日期|时间)\s*[:：]?\s*[\d年月日.\-/ ]*")
NAME_KEYS = {"name", "id_number"}


@lru_cache(maxsize=4096)
def day_number(cell: object) -> int | None:
    """The day of a day-number header cell (``1`` … ``31``, ``5日``), else None."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float):
        number = float(cell)
        return int(number) if number.is_integer() and 1 <= number <= 31 else None
    if not isinstance(cell, str):
        return None
    text = cell.lstrip()
    head = text[:1]
    if not head or (head < "\x80" and not head.isdigit()) or "\u4e00" <= head <= "\u9fff":
        return None  # NFKC keeps ASCII and CJK ideographs as they are: no digit first
    if len(text) > 2 and text[:3].isascii() and text[:3].isdigit():
        return None  # three ASCII digits (an ID, a phone, a date): a day has one or two
    m = _DAY.match(V.fold(cell))
    return int(m[1]) if m and 1 <= int(m[1]) <= 31 else None


@dataclass
class GridHeader:
    row: int  # the day-number row
    days: list[tuple[int, int]]  # (column, day) in sheet order
    name_cols: dict[str, int]  # field key → column (name, id_number, class_id)
    periods: dict[int, str]  # column → period, from a 上午/下午 row under the days
    data_start: int


def _day_run(row: list[object]) -> list[tuple[int, int]]:
    """The longest run of day columns whose days go up, wrapping at most once from the
    end of a month (28 … 31) to its start; a day repeated in adjacent columns is one day
    merged over its periods."""
    best: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    wrapped = False
    for c, cell in enumerate(row):
        day = day_number(cell)
        if day is None:
            if run:
                best = max(best, run, key=len)
            run, wrapped = [], False
            continue
        if run:
            prev = run[-1][1]
            ok = day > prev or (day == prev and run[-1][0] == c - 1)
            if not ok and not wrapped and prev >= 28 and day < prev:
                ok = wrapped = True
            if not ok:
                best = max(best, run, key=len)
                run, wrapped = [], False
        run.append((c, day))
    return max(best, run, key=len)


def _two_days(row: list[object]) -> bool:
    """Whether the row holds at least two different day numbers."""
    try:
        distinct = set(row)
    except TypeError:  # an unhashable cell (none is known): judge every cell
        distinct = row
    found = 0
    for value in distinct:
        if day_number(value) is not None:
            found += 1
            if found == 2:
                return True
    return False


def _without_footers(
    raw: RawSheet, file: str, rows: list[int], key_cols: list[int], table
) -> list[int]:
    """``rows`` less the footer and summary lines below the students (班主任签字, 合计 …),
    each skipped with an info note and counted as reported, as below a table."""
    from .body import split_footers

    data, skipped = split_footers(raw.grid, rows, key_cols)
    for r, code, params in skipped:
        source = Source(file, raw.name, raw.excel_row(r))
        table.problems.append(Problem(code, source, {"kind": "signin", **params}, "info"))
    table.account.rows_reported += len(skipped)
    return data


def _day_cells(rows: list[list[object]]) -> set[object] | None:
    """The distinct values of ``rows`` that may be day numbers: each judged once for the
    whole sheet, not once per row (issue 15: this scan runs on every sheet). ``True``
    is kept too: in a set it stands for ``1`` and ``1.0`` (equal, same hash), which
    are days. None when a cell cannot be hashed (none is known)."""
    try:
        values = set().union(*rows)
    except TypeError:
        return None
    return {
        v
        for v in values
        if v is True
        or ((v.__class__ is not str or _MAYBE_DAY.match(v)) and day_number(v) is not None)
    }


# what a text that day_number reads starts with: one or two ASCII digits, or a character
# neither ASCII nor a Han ideograph (a full-width digit); names, IDs and phones — most of
# a sheet's texts — fail this one C call and are never looked at closer
_MAYBE_DAY = re.compile(r"\s*(?:[0-9]{1,2}(?![0-9])|[^\x00-\x7f\u4e00-\u9fff])")


def find_header(raw: RawSheet) -> GridHeader | None:
    """The grid's day row: a run of day-number columns with a 姓名 (or 身份证号) column on
    the same row or the row above (a name merged down over two header rows)."""
    scanned = raw.grid[:SCAN_ROWS]
    day_cells = _day_cells(scanned)
    if day_cells is not None and len(day_cells) < 2:
        return None  # no row holds two day numbers: not a grid
    for r, row in enumerate(scanned):
        # a run needs two different days: a row with fewer than two of the sheet's
        # day-like values is passed over in C, without a look at each cell; the rest
        # are judged over their distinct values
        if day_cells is not None and len(day_cells.intersection(row)) < 2:
            continue
        if not _two_days(row):
            continue
        days = _day_run(row)
        if len(days) < MIN_DAYS or len({d for _, d in days}) < 2:
            continue
        first_day = days[0][0]
        name_cols: dict[str, int] = {}
        for above in (r, r - 1) if r else (r,):
            for c, cell in enumerate(raw.grid[above][:first_day]):
                key = _name_key(cell)
                if key in ("name", "id_number", "class_id") and key not in name_cols:
                    name_cols[key] = c
        if not NAME_KEYS & name_cols.keys():
            continue
        periods: dict[int, str] = {}
        data_start = r + 1
        if r + 1 < len(raw.grid):
            below = raw.grid[r + 1]
            cells = [below[c] if c < len(below) else None for c, _ in days]
            found = {c: _period(v) for (c, _), v in zip(days, cells, strict=True)}
            if any(found.values()):
                periods = {c: p for c, p in found.items() if p}
                data_start = r + 2
            elif sum(bool(_WEEKDAY.match(V.fold(v))) for v in cells if not V.is_blank(v)) >= 2:
                data_start = r + 2  # a weekday row (一 二 三 …) under the days
        return GridHeader(r, days, name_cols, periods, data_start)
    return None


_DIAGONAL = re.compile(r"^(?:日期|日|星期)?[\\/、]?(.+?)[\\/、]?(?:日期|日|星期)?$")


@lru_cache(maxsize=4096)
def _name_key(cell: object) -> str | None:
    """The field a header cell names, also in a diagonal (斜线) header: ``姓名\\日期``,
    ``日期/姓名``."""
    if not isinstance(cell, str):
        return None
    text = normalise_header(cell)
    key = ALIASES["signin"].get(text)
    if key is None and (m := _DIAGONAL.match(text)):
        key = ALIASES["signin"].get(m[1])
    return key


def _period(cell: object) -> str | None:
    try:
        return V.parse_period(cell)
    except ValueError:
        return None


# ------------------------------------------------------------------ the month


@dataclass
class Month:
    """Where the grid's days are: a year (None: from the class start) and a month, and
    the date range when the title gives one."""

    year: int | None
    month: int | None
    first: dt.date | None = None
    last: dt.date | None = None


def _title_texts(raw: RawSheet, header_row: int) -> list[str]:
    texts = []
    for row in raw.grid[:header_row]:
        parts = []
        for cell in row:
            if isinstance(cell, dt.date):
                parts.append(f"{cell.year}-{cell.month:02d}")
            elif not V.is_blank(cell):
                parts.append(V.fold(cell))
        if parts:
            texts.append(" ".join(dict.fromkeys(parts)))  # merged cells repeat a value
    return texts


def find_month(raw: RawSheet, header_row: int) -> tuple[Month | None, list[str]]:
    """The grid's month from the title rows, else the sheet name: (month, the distinct
    months seen). Several different months without a range are ambiguous, and so is a
    title that disagrees with the sheet name: (None, the months)."""
    title, seen = _read_month(" ".join(_title_texts(raw, header_row)))
    if seen:
        return None, seen
    named, seen = _read_month(V.fold(raw.name))
    if title is None:
        return (None, seen) if seen else (named, [])
    if named is not None:
        months = {title.month} | ({title.first.month} if title.first else set())
        if named.month not in months or (named.year and named.year != title.year):
            return None, [month_label(title), month_label(named)]
    return title, []


def _read_month(text: str) -> tuple[Month | None, list[str]]:
    text = _MADE_ON.sub(" ", text)  # the date the form was made is not its month
    if m := _RANGE.search(text):
        y1, m1, d1, y2, m2, d2 = (int(x) if x else None for x in m.groups())
        try:
            first = dt.date(y1, m1, d1)
            last = dt.date(y2 or y1, m2, d2)
            if last < first and y2 is None:
                last = dt.date(y1 + 1, m2, d2)
        except ValueError:
            first = last = None
        if first is not None and first <= last <= first + dt.timedelta(days=62):
            return Month(last.year, last.month, first, last), []
    # a month after its label (考勤月份：2021-05) outweighs other dates in the title
    labelled = [text[m.end() :] for m in _MONTH_LABEL.finditer(text)]
    for found in (
        [ym for rest in labelled for ym in _year_months(rest, anchored=True)],
        _year_months(text),
    ):
        distinct = list(dict.fromkeys(found))
        if len(distinct) == 1:
            return Month(*distinct[0]), []
        if len(distinct) > 1:
            return None, [f"{y}-{m:02d}" if y else f"--{m:02d}" for y, m in distinct]
    return None, []


def _year_months(text: str, anchored: bool = False) -> list[tuple[int | None, int]]:
    """(year or None, month) of each month written in ``text`` (only at its start when
    ``anchored``)."""
    if anchored:
        ym, mo = _YEAR_MONTH.match(text), _MONTH_ONLY.match(text)
        years = [ym] if ym else []
        months = [mo] if mo and not years else []
    else:
        years = list(_YEAR_MONTH.finditer(text))
        months = [] if years else list(_MONTH_ONLY.finditer(text))
    found = [(int(m[1]), int(m[2] or m[3])) for m in years]
    found += [(None, int(m[1])) for m in months]
    return [(y, mo) for y, mo in found if 1 <= mo <= 12]


def _shift(year: int | None, month: int, by: int) -> tuple[int | None, int]:
    index = month - 1 + by
    return (None if year is None else year + index // 12), index % 12 + 1


def date_of_days(month: Month, days: list[int]) -> list[dt.date | V.PartialDate | None]:
    """The date of each day column (None: no such day in that month). In a period that
    crosses months, the days before the wrap are in the month before the named one —
    the usual 考勤周期 (26日 … 25日 named by the month it ends in) — unless the title
    gave the range."""
    wrap = next((i for i in range(1, len(days)) if days[i] < days[i - 1]), None)
    out: list[dt.date | V.PartialDate | None] = []
    for i, day in enumerate(days):
        if month.first is not None:
            # the only date of the range with that day number
            candidates = [
                month.first + dt.timedelta(days=k)
                for k in range((month.last - month.first).days + 1)
                if (month.first + dt.timedelta(days=k)).day == day
            ]
            out.append(candidates[0] if len(candidates) == 1 else None)
            continue
        year, mo = month.year, month.month
        if wrap is not None and i < wrap:
            year, mo = _shift(year, mo, -1)
        try:
            out.append(dt.date(year, mo, day) if year else _partial(mo, day))
        except ValueError:
            out.append(None)
    return out


def _partial(month: int, day: int) -> V.PartialDate:
    dt.date(2000, month, day)  # 2000 is a leap year: 2月29日 is a day
    return V.PartialDate(month, day)


def month_label(month: Month) -> str:
    if month.first is not None:
        return f"{month.first.isoformat()}~{month.last.isoformat()}"
    return f"{month.year}-{month.month:02d}" if month.year else f"--{month.month:02d}"


# ------------------------------------------------------------------ reading


def read_grid(raw: RawSheet, file: str, head: GridHeader, table) -> None:
    """Fill ``table`` (a :class:`SheetTable` of kind signin) from a grid: its lines,
    its held sessions and their marks; everything not read is reported."""
    from .table import _parse_columns
    from .title import read_title

    src = Source(file, raw.name)
    nonblank = [any(not V.is_blank(c) for c in row) for row in raw.grid]
    data_rows = [r for r in range(head.data_start, len(raw.grid)) if nonblank[r]]
    table.account.rows_read = len(data_rows)
    data_rows = _without_footers(raw, file, data_rows, list(head.name_cols.values()), table)
    # the class id of a 班级编号 label in the title rows (title.py: several labels
    # on one line are split)
    table.class_label = read_title(raw.grid[: head.row]).class_id
    month, seen = find_month(raw, head.row)
    if month is None:
        table.account.rows_reported = len(data_rows)
        code = "grid-month-ambiguous" if seen else "grid-month-unknown"
        params = {"rows": len(data_rows), "detail": "、".join(seen)}
        table.problems.append(Problem(code, src, params, "error"))
        return
    day_cols = [c for c, _ in head.days]
    dates = dict(zip(day_cols, date_of_days(month, [d for _, d in head.days]), strict=True))

    # a student's second row (下午, 签退) names its slot in a column left of the days
    slot_col = _slot_column(raw, data_rows, head)
    grid = raw.grid
    line_period: dict[int, str | None] = {}
    if slot_col is not None:
        grid = list(raw.grid)
        last: dict[int, object] = {}
        for r in data_rows:
            row = grid[r]
            slot = row[slot_col] if slot_col < len(row) else None
            m = _SLOT_PERIOD.search(V.fold(slot)) if not V.is_blank(slot) else None
            line_period[r] = V.parse_period(m[1]) if m else None
            named = {k: c for k, c in head.name_cols.items() if c < len(row)}
            if any(not V.is_blank(row[c]) for c in named.values()):
                last = {c: row[c] for c in named.values()}
            elif not V.is_blank(slot) and last:
                row = list(row)  # the name of the row above, for this row's slot
                for c, value in last.items():
                    row[c] = value
                grid[r] = row
        raw = replace(raw, grid=grid)

    colmap = dict(head.name_cols)
    data = _parse_columns(raw, file, "signin", colmap, data_rows, table)
    table.columns = {k: column_letter(raw.col0 + c) for k, c in colmap.items()}
    lines = [r - raw.row0 - 1 for r in data["src_row"]]
    periods = sorted({p for p in line_period.values() if p}, key=_PERIOD_ORDER.index)

    # sessions: each day column, once per period of the student rows when the header
    # has none; a line's cell counts only for the sessions of its own period
    sessions: list[tuple[int, object, str | None]] = []
    invalid: list[tuple[int, int]] = []
    for c, day in head.days:
        if dates[c] is None:
            invalid.append((c, day))
            continue
        for p in (head.periods.get(c),) if head.periods.get(c) or not periods else periods:
            sessions.append((c, dates[c], p))

    def cell(r: int, c: int, p: str | None) -> object:
        lp = line_period.get(r)
        if lp is not None and p is not None and lp != p:
            return NOT_THIS_SLOT
        row = grid[r]
        return row[c] if c < len(row) else None

    # a day nobody marked (blank or /) is a day without class: not a session
    held = []
    for c, d, p in sessions:
        marks = [cell(r, c, p) for r in lines]
        if any(_is_mark(v) for v in marks):
            held.append((c, d, p))
    for c, day in invalid:
        marked = [r for r in lines if _is_mark(cell(r, c, None))]
        if marked:
            ref = raw.cell_ref(marked[0], c)
            params = {"value": str(day), "month": month_label(month), "rows": len(marked)}
            table.problems.append(
                Problem(
                    "grid-day-invalid",
                    Source(file, raw.name, raw.excel_row(marked[0]), ref),
                    params,
                    "error",
                )
            )
    days = [d for _, d in head.days]
    if not held:  # a blank month: its students are listed, but nothing says who attended
        table.account.rows_reported += len(lines)
        params = {"month": month_label(month), "rows": len(lines)}
        table.problems.append(Problem("grid-no-marks", src, params, "warning"))
        return
    table.data = fill_marks(raw, file, data, held, lines, cell, table)
    wrap = next((i for i in range(1, len(days)) if days[i] < days[i - 1]), None)
    detail = (
        f"{days[0]}…{days[-1]}"
        if wrap is None
        else (f"{days[0]}…{days[wrap - 1]}, {days[wrap]}…{days[-1]}")
    )
    params = {"month": month_label(month), "value": detail, "rows": len(held)}
    table.problems.append(Problem("grid-layout", src, params, "info"))


_PERIOD_ORDER = ["上午", "下午", "晚上"]


class _NotThisSlot:
    """A cell of another slot's row: no mark of this line, not reported."""

    def __repr__(self) -> str:
        return "NOT_THIS_SLOT"


NOT_THIS_SLOT = _NotThisSlot()


def _is_mark(value: object) -> bool:
    """Whether a cell says anything about a session (blank, ``/`` and another slot's
    cell do not)."""
    if value is NOT_THIS_SLOT or V.is_blank(value):
        return False
    return V.classify_mark(value)[0] != "none"


def _slot_column(raw: RawSheet, data_rows: list[int], head: GridHeader) -> int | None:
    """A column left of the days whose values name a slot (上午/下午, 签到/签退) on at least
    two rows, in two different words."""
    first_day = head.days[0][0]
    used = set(head.name_cols.values())
    for c in range(first_day):
        if c in used:
            continue
        values = [raw.grid[r][c] for r in data_rows if c < len(raw.grid[r])]
        words = [V.fold(v) for v in values if not V.is_blank(v)]
        if len(words) >= 2 and len(set(words)) >= 2 and all(_SLOT_KIND.match(w) for w in words):
            return c
    return None


def fill_marks(raw: RawSheet, file: str, data: dict, sessions, lines, cell, table) -> dict:
    """The wide sign-in form of ``data``'s lines: per line, the status code of each
    session (``_status``) and the written names (``_signer``); unknown marks, 补签 and a
    ``/`` in a session others attended are reported with their cell."""
    from .table import REPORTED_CODES, _mark_code

    codes: dict[object, tuple[int, str | None]] = {NOT_THIS_SLOT: (NONE_CODE, None)}
    status_rows, signer_rows = [], []
    for i, r in enumerate(lines):
        status = bytearray()
        signers: list[str | None] = []
        for c, _, p in sessions:
            value = cell(r, c, p)
            if value not in codes:
                codes[value] = _mark_code(value)
            code, signer = codes[value]
            status.append(code)
            signers.append(signer)
            if code in REPORTED_CODES and value is not NOT_THIS_SLOT:
                source = Source(file, raw.name, data["src_row"][i], raw.cell_ref(r, c))
                params = {"value": V.fold(value)[:40]}
                table.problems.append(Problem(REPORTED_CODES[code], source, params))
        status_rows.append(bytes(status))
        signer_rows.append(tuple(signers) if any(signers) else None)
    out = {k: v for k, v in data.items() if k not in ("date", "period", "mark")}
    out["_status"] = status_rows
    out["_signer"] = signer_rows
    table.sessions = [(d, p, column_letter(raw.col0 + c)) for c, d, p in sessions]
    return out


NONE_CODE = V.MARK_STATUSES.index("none")
