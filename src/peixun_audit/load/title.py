"""Title rows above a header: ``label：value`` pairs (SPEC §3.1, issue 12).

Offices write several labels on one title line, separated by spaces, full-width spaces,
tabs, 、 or ；::

    班级编号：GL2020-001    培训时间：2020年9月7日至9月11日

Each label's value ends where the next label begins (a known label is recognised even
when glued to the previous value: ``培训工种：电工培训时间：…``), so a value is never
glued to the next label. A label may also stand alone in a cell (``班级编号`` or
``班级编号：``) with its value in the next non-blank cell of the row.

What is read: the class id (ends at white space or a separator), 培训时间 (a period),
考勤月份 (a year and month), 培训工种 (text) and 日期 (a date). Every label and its text
are kept in :attr:`Title.labels` for the layouts that need others.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from . import values as V
from .schema import ALIASES, normalise_header

# labels whose value is a class id (the platform writes 培训班级编号)
CLASS_LABELS = ("班级编号", "班级代码", "开班编号", "班级号", "培训班级编号", "培训班编号")
PERIOD_LABELS = ("培训时间", "培训日期", "培训期间", "培训起止时间", "起止时间", "培训起止日期")
MONTH_LABELS = ("考勤月份", "考勤时间", "考勤日期", "考勤年月", "月份")
OCCUPATION_LABELS = ("培训工种", "职业工种", "培训职业", "工种", "培训工种名称")
DATE_LABELS = ("日期", "签到日期", "上课日期", "培训日期(当天)")
# other words that head a value in title and footer lines: known so that a value glued
# to one of them ends where it begins
OTHER_LABELS = (
    "培训机构",
    "培训单位",
    "培训学校",
    "填报单位",
    "培训地点",
    "班级名称",
    "培训班名称",
    "培训等级",
    "授课教师",
    "班主任",
    "制表人",
    "制表日期",
    "填表人",
    "填表日期",
    "审核人",
    "审核",
    "联系电话",
    "人数",
    "学员人数",
)
KNOWN_LABELS = frozenset(
    (
        *CLASS_LABELS,
        *PERIOD_LABELS,
        *MONTH_LABELS,
        *OCCUPATION_LABELS,
        *DATE_LABELS,
        *OTHER_LABELS,
        *(alias for aliases in ALIASES.values() for alias in aliases),
    )
)
_LONGEST_LABEL = max(map(len, KNOWN_LABELS))

# a run of Chinese characters followed by a colon: a label (NFKC turns ： into :)
_LABEL_COLON = re.compile(r"([\u3400-\u9fff()]+)[ \t]*:")
# a class label followed by spaces and an id, no colon: ``班级编号 GL2020-001``
# a class, period or month label followed by spaces and a value starting with a digit,
# a letter or a bracket, no colon: ``班级编号 GL2020-001``, ``考勤时间 2021年5月``
_SPACED = re.compile(
    "("
    + "|".join(sorted((*CLASS_LABELS, *PERIOD_LABELS, *MONTH_LABELS), key=len, reverse=True))
    + r")[ \t]+(?=[A-Za-z0-9(])"
)
# what separates one label's value from the next label
_SEPARATORS = " \t\u3000、,;，；|。"
_CLASS_WORD = re.compile("|".join(CLASS_LABELS))
# a class id: letters, digits and - _ . / from the value's start; what follows it
# (white space, a separator, a bracket, Chinese text such as 号 or 电工班) is not part of it
_CLASS_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_./]*")


@dataclass
class Title:
    """What the title rows of one table say."""

    # label → (value text, grid row, grid column), first occurrence of each label
    labels: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    class_id: str | None = None
    # a class label whose value is not an id: (grid row, column, value as written)
    class_unreadable: tuple[int, int, str] | None = None
    period: tuple[dt.date, dt.date] | None = None  # 培训时间
    month: tuple[int, int] | None = None  # 考勤月份: (year, month)
    occupation: str | None = None  # 培训工种
    date: dt.date | None = None  # 日期


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _label_of(run: str) -> str:
    """The label a run of characters before a colon ends with: the longest known label
    it ends with (``电工培训时间`` → 培训时间), else the whole run."""
    for n in range(min(len(run), _LONGEST_LABEL), 1, -1):
        if run[-n:] in KNOWN_LABELS:
            return run[-n:]
    return run


def label_pairs(text: str) -> list[tuple[str, str]]:
    """The ``label：value`` pairs of one cell's text, in order; a value runs to the next
    label (or the end), without the separators around it."""
    text = _fold(text)
    found = []  # (label start, label, value start)
    for m in _LABEL_COLON.finditer(text):
        label = _label_of(m[1])
        found.append((m.end(1) - len(label), label, m.end()))
    for m in _SPACED.finditer(text):  # ``班级编号 GL2020-001``, no colon
        found.append((m.start(), m[1], m.end()))
    found.sort()
    pairs = []
    for i, (_, label, value_start) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        pairs.append((label, text[value_start:end].strip(_SEPARATORS)))
    return pairs


def _alone_label(cell: object) -> str | None:
    """A cell that is only a known label (``班级编号`` or ``班级编号：``)."""
    if not isinstance(cell, str):
        return None
    text = normalise_header(cell).rstrip(":")
    return text if text in KNOWN_LABELS else None


def read_title(rows: list[list[object]]) -> Title:
    """The labels of the title rows (grid rows ``0 … len(rows)-1`` of the table)."""
    title = Title()
    for r, row in enumerate(rows):
        done: set[str] = set()  # a merged title repeats its text in every cell
        for c, cell in enumerate(row):
            if cell.__class__ is not str or cell in done:
                continue
            done.add(cell)
            if ":" not in _fold(cell) and not _maybe_label(cell):
                continue
            pairs = label_pairs(cell)
            alone = _alone_label(cell)
            if alone and not pairs:
                pairs = [(alone, "")]
            for label, value in pairs:
                if not value and pairs[-1][0] == label:  # ``班级编号：`` | GL2020-001
                    value = _next_value(row, c)
                if label not in title.labels:
                    title.labels[label] = (value, r, c)
    _interpret(title)
    return title


def _maybe_label(cell: str) -> bool:
    """Cheap test before parsing: a label without a colon, or a lone label."""
    return bool(_CLASS_WORD.search(cell) or _SPACED.search(_fold(cell))) or (
        len(cell) <= 20 and _alone_label(cell) is not None
    )


def _next_value(row: list[object], c: int) -> str:
    for cell in row[c + 1 :]:
        if V.is_blank(cell):
            continue
        if _alone_label(cell) or (isinstance(cell, str) and label_pairs(cell)):
            return ""  # the next cell is another label: this one has no value
        return V.fold(cell)
    return ""


def _interpret(title: Title) -> None:
    labels = title.labels
    for label in CLASS_LABELS:
        if label in labels:
            value, r, c = labels[label]
            token = _CLASS_ID.match(value)
            if token:
                title.class_id = token[0].rstrip("-_./")
            else:
                title.class_unreadable = (r, c, value)
            break
    for label in PERIOD_LABELS:
        if label in labels and title.period is None:
            title.period = parse_date_range(labels[label][0])
    for label in MONTH_LABELS:
        if label in labels and title.month is None:
            title.month = parse_month(labels[label][0])
    for label in OCCUPATION_LABELS:
        if label in labels and labels[label][0] and title.occupation is None:
            title.occupation = labels[label][0]
    for label in DATE_LABELS:
        if label in labels and title.date is None:
            title.date = _full_date(labels[label][0])


_FULL = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_RANGE = re.compile(
    rf"^{_FULL}\s*(?:至|到|~|—+|–|-{{1,2}})\s*"
    r"(?:(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*)?(\d{1,2})\s*日?$"
)
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$")


def parse_date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """``2020年9月7日至9月11日``, ``2020.9.7-2020.9.11``, ``2020-09-07至2020-09-11``,
    ``2020年9月7日—11日``: (first day, last day); None when not such a range."""
    m = _RANGE.match(_fold(text).strip().strip("()"))
    if not m:
        return None
    y1, m1, d1, y2, m2, d2 = m.groups()
    try:
        start = dt.date(int(y1), int(m1), int(d1))
        end = dt.date(int(y2 or y1), int(m2 or m1), int(d2))
    except ValueError:
        return None
    if end < start and y2 is None and m2 is not None and int(m2) < int(m1):  # 12月28日至1月3日
        try:
            end = end.replace(year=end.year + 1)
        except ValueError:
            return None
    return (start, end) if end >= start else None


def parse_month(text: str) -> tuple[int, int] | None:
    """``2021年5月``, ``2021-05``, ``(2021-05)``, ``2021.5``: (year, month)."""
    m = _MONTH.match(_fold(text).strip().strip("()").strip())
    if not m or not 1 <= int(m[2]) <= 12:
        return None
    return int(m[1]), int(m[2])


def _full_date(text: str) -> dt.date | None:
    try:
        value = V.parse_date(text)
    except ValueError:
        return None
    return value if isinstance(value, dt.date) else None
