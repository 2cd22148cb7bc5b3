"""One sheet per session (单场签到表) → the canonical wide sign-in table.

Offices often keep a workbook of sheets named ``11.16上午``, ``11.16下午`` …, or titled
``2020年11月16日上午签到表``, each listing the students with a 签名 / 学员签名 / 签到 column
and no date column. Each such sheet is one session: its date and period come from the
sheet name or the title, its mark column is read as the marks (a written name is a
signature, compared with the student's own for A0403). A sheet named only by a day
number (``第3天``) is refused with the reason: which date it is needs the teaching plan,
and a guessed date would be a silent wrong answer. docs/layouts_grid.md has examples.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..model import Problem, Source
from . import values as V
from .schema import ALIASES, kind_from_sheet_name, normalise_header
from .workbook import RawSheet, column_letter

SCAN_ROWS = 12
# mark columns of a session sheet (the long form's 签到/签名/签到情况/考勤, and more)
MARK_HEADERS = {
    "签到", "签名", "签到情况", "考勤", "学员签名", "学员签字", "签字", "本人签名", "签到签名",
    "学员签到", "签到(签名)", "签名确认", "签退", "学员签退",
}  # fmt: skip
_PERIOD = r"(上午|下午|晚上|早上|中午|晚间)?"
_FULL = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?\s*" + _PERIOD)
_SHORT = re.compile(r"(?<![\d.])(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?\s*" + _PERIOD)
_DAY_NUMBER = re.compile(r"第\s*([0-9一二三四五六七八九十]+)\s*[天日]" + _PERIOD)
# a sheet name that is only a date (and a period, a sign-in word)
_NAME_ONLY = re.compile(
    r"^[\d年月日.\-/\s]+(?:上午|下午|晚上|早上|中午|晚间)?(?:签到表?|考勤表?)?$"
)
_SIGNIN_WORDS = ("签到", "考勤", "签名")
_OTHER_KINDS = ("名册", "花名册", "学员信息", "回访", "督查", "检查", "计划", "课程表", "开班")


def _session_of(text: str) -> tuple[object, str | None] | None:
    """(date or PartialDate or ("day", n), period) named in ``text``, else None. A text
    naming several days (a course's 培训时间 9月7日至9月11日) names no single session."""
    days = {(int(m[2]), int(m[3])) for m in _FULL.finditer(text)}
    days |= {(int(m[1]), int(m[2])) for m in _SHORT.finditer(_FULL.sub(" ", text))}
    if len(days) > 1:
        return None
    if m := _FULL.search(text):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), _period(m[4])
        except ValueError:
            return None
    if m := _SHORT.search(text):
        try:
            dt.date(2000, int(m[1]), int(m[2]))
        except ValueError:
            return None
        return V.PartialDate(int(m[1]), int(m[2])), _period(m[3])
    if m := _DAY_NUMBER.search(text):
        return ("day", m[1]), _period(m[2])
    return None


def _period(word: str | None) -> str | None:
    return V.parse_period(word) if word else None


@lru_cache(maxsize=4096)
def _mark_header(cell: object) -> tuple[str | None, bool] | None:
    """(period, is sign-out) of a mark column header (``签名``, ``上午签到``,
    ``签到（下午）``), else None."""
    if not isinstance(cell, str):
        return None
    text = normalise_header(cell)
    period = None
    for word in ("上午", "下午", "晚上"):
        if word in text:
            period = word
            text = text.replace(word, "")
    text = text.strip("()（）")
    if text in MARK_HEADERS:
        return period, "退" in text
    return None


def _has_mark_header(row: list[object]) -> bool:
    try:
        distinct = set(row)
    except TypeError:  # an unhashable cell (none is known): judge every cell
        distinct = row
    return any(_mark_header(v) is not None for v in distinct)  # blanks: None


def find_session_sheet(raw: RawSheet):
    """(header row, {key: column}, mark columns [(column, period)], session) when the
    sheet is one session's sign-in list, else None."""
    named_kind = kind_from_sheet_name(raw.name)
    if named_kind not in (None, "signin"):
        return None
    scanned = raw.grid[:SCAN_ROWS]
    try:  # the mark headers among the distinct values of the rows scanned, judged once
        marks_met = {v for v in set().union(*scanned) if _mark_header(v) is not None}
    except TypeError:  # an unhashable cell (none is known): judge every row
        marks_met = None
    if marks_met is not None and not marks_met:
        return None  # no 签名/签到 header: not a session sheet (most sheets end here)
    name = V.fold(raw.name)
    aliases = ALIASES["signin"]
    for r, row in enumerate(scanned):
        # no 签名/签到 header in the row: not this row (checked in C where the sheet's
        # values could be hashed)
        if marks_met is not None and marks_met.isdisjoint(row):
            continue
        if marks_met is None and not _has_mark_header(row):
            continue
        keys: dict[str, int] = {}
        marks: list[tuple[int, str | None]] = []
        dated = False
        for c, cell in enumerate(row):
            if V.is_blank(cell):
                continue
            head = _mark_header(cell)
            if head is not None:
                marks.append((c, head[0]))
                continue
            key = aliases.get(normalise_header(cell)) if isinstance(cell, str) else None
            if key in ("name", "id_number", "class_id") and key not in keys:
                keys[key] = c
            elif key in ("date", "period") or V.parse_session_header(cell) is not None:
                dated = True
        if not marks or not ({"name", "id_number"} & keys.keys()):
            continue
        if dated:
            return None  # a long or wide sign-in sheet: table.py reads it
        title = " ".join(
            V.fold(x) for above in raw.grid[:r] for x in dict.fromkeys(above) if not V.is_blank(x)
        )
        session = None
        if _NAME_ONLY.match(name) or any(w in name for w in _SIGNIN_WORDS) or name.startswith("第"):
            session = _session_of(name)
        if session is None and any(w in title for w in _SIGNIN_WORDS):
            if not any(w in title for w in _OTHER_KINDS):
                session = _session_of(title)
        if session is None:
            return None
        return r, keys, marks, session
    return None


def read_session_sheet(raw: RawSheet, file: str, found, table) -> None:
    """Fill ``table`` from one session's sheet: each mark column is the session (with
    its own period when the header names one); the rest as the wide form."""
    from .grid import _without_footers, fill_marks
    from .table import _parse_columns
    from .title import read_title

    header, keys, marks, (date, period) = found
    src = Source(file, raw.name)
    nonblank = [any(not V.is_blank(c) for c in row) for row in raw.grid]
    data_rows = [r for r in range(header + 1, len(raw.grid)) if nonblank[r]]
    table.account.rows_read = len(data_rows)
    data_rows = _without_footers(raw, file, data_rows, list(keys.values()), table)
    # the class id of a 班级编号 label in the title rows (title.py: several labels
    # on one line are split)
    table.class_label = read_title(raw.grid[:header]).class_id
    if isinstance(date, tuple):  # 第N天: which date that is, only the plan could say
        table.account.rows_reported = len(data_rows)
        params = {"value": f"第{date[1]}天", "rows": len(data_rows)}
        table.problems.append(Problem("session-day-number", src, params, "error"))
        return
    data = _parse_columns(raw, file, "signin", dict(keys), data_rows, table)
    table.columns = {k: column_letter(raw.col0 + c) for k, c in keys.items()}
    lines = [r - raw.row0 - 1 for r in data["src_row"]]
    sessions = [(c, date, p or period) for c, p in marks]

    def cell(r: int, c: int, p: str | None) -> object:
        row = raw.grid[r]
        return row[c] if c < len(row) else None

    table.data = fill_marks(raw, file, data, sessions, lines, cell, table)
    shown = date.isoformat() if isinstance(date, dt.date) else f"--{date.month:02d}-{date.day:02d}"
    params = {
        "date": shown,
        "period": period,
        "value": ", ".join(column_letter(raw.col0 + c) for c, _ in marks),
    }
    table.problems.append(Problem("session-sheet-layout", src, params, "info"))
