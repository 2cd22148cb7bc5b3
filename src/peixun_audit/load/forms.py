"""The printed 现场督查情况表: a label/value form read as rows of the inspection table.

Offices fill the inspection form (Article 10) as a printed sheet, not as a table: labels
such as 班级编号, 督查日期, 督查人员, 组长, 应到人数, 实到人数 sit in cells with their value
to the right (or in the cell below, under a row of labels), possibly across merged
cells or in the same cell (``班级编号：GL2020-001``); the Article 11 items are rows
answered 是/否, √/× (or ticked under a 是 | 否 column pair); the two signatures are
names or 是. Each form becomes one row of the canonical inspection table (SPEC §3.1),
and each value keeps its own cell (``FormTable.cells``), so a finding names the cell
it is about. Several forms stacked on one sheet are split where a label repeats.

A form whose date cannot be read is reported by cell (``form-date-unreadable``,
``form-no-date``) and not used: it never becomes a dated finding with a wrong date.
``read_form`` is called by ``load.load_file`` after ``table.parse_sheet``, only for
sheets the table reader took for an inspection or class table or could not read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Problem, SheetAccount, Source
from . import values as V
from .schema import KIND_BY_KEY, normalise_header
from .table import SheetTable
from .workbook import RawSheet

FORM_SCAN_ROWS = 40  # the rows looked at to tell a form from a table
MAX_LABEL_LENGTH = 40  # longer text is a note or a value, not a label

# label (normalised, without a trailing colon or a bracketed hint) → field; "when" is
# 督查时间, which holds the date (and time) unless the form also has a 督查日期
EXACT_LABELS = {
    **dict.fromkeys(
        ("班级编号", "班级代码", "班级号", "开班编号", "培训班级编号", "培训班编号"), "class_id"
    ),
    **dict.fromkeys(("督查日期", "检查日期", "督导日期"), "date"),
    **dict.fromkeys(("督查时间", "检查时间", "督导时间"), "when"),
    **dict.fromkeys(("督查级别", "督查类别", "检查级别"), "level"),
    # who inspected: gives the level when the form has no 督查级别
    **dict.fromkeys(("督查单位", "检查单位", "督查部门", "督查机关"), "unit"),
    **dict.fromkeys(
        ("督查人员", "检查人员", "督查人", "检查人", "督查组成员", "督查组人员"), "inspectors"
    ),
    **dict.fromkeys(("组长", "督查组长", "督查组组长", "检查组长"), "leader"),
    **dict.fromkeys(("应到人数", "应到学员人数", "应到学员数", "应到"), "expected"),
    **dict.fromkeys(("实到人数", "实际到课人数", "实到学员人数", "实到学员数", "实到"), "observed"),
    "按大纲教学": "follows_syllabus",
    "进度与计划一致": "on_schedule",
    "教师备课授课": "teacher_prepared",
    "实操课时达标": "practical_ok",
    "机构签字": "signed_by_school",
    "督查人员签字": "signed_by_inspectors",
}
# labels whose values are not part of the inspection table: read past, never mistaken
# for a label themselves (a school named …实操培训学校 is not the practical-hours item)
OTHER_LABELS = {
    "培训机构",
    "机构名称",
    "培训单位",
    "培训机构名称",
    "培训单位名称",
    "培训工种",
    "职业工种",
    "培训职业",
    "培训等级",
    "培训时间",
    "培训日期",
    "开班时间",
    "培训地点",
    "开班地点",
    "授课教师",
    "任课教师",
    "授课内容",
    "教学内容",
    "督查意见",
    "整改意见",
    "存在问题",
    "备注",
    "联系电话",
}
# the Article 11 items and the signatures as offices word them, by keyword
SIGNATURE_WORDS = ("签字", "签名", "盖章")
ITEM_KEYWORDS = (
    ("大纲", "follows_syllabus"),
    ("进度", "on_schedule"),
    ("备课", "teacher_prepared"),
    ("实操", "practical_ok"),
    ("实训", "practical_ok"),
)
YESNO_FIELDS = {"follows_syllabus", "on_schedule", "teacher_prepared", "practical_ok"}
SIGNATURE_FIELDS = {"signed_by_school", "signed_by_inspectors"}
# fields that only an inspection form has: a sheet holding several of them on several
# rows is a form (a table holds all its labels on its one header row)
FORM_FIELDS = {"date", "when", "inspectors", "leader", "expected", "observed"} | YESNO_FIELDS
FORM_FIELDS |= SIGNATURE_FIELDS
# the head of a form: where one of these repeats, the next form begins (stacked forms)
HEAD_FIELDS = {"class_id", "date", "when", "inspectors", "leader", "expected", "observed"}
# fields whose value a label's text cannot pass for: a label where their value belongs
# is read as that value, and reported as unreadable
TYPED_FIELDS = {"date", "when", "expected", "observed"} | YESNO_FIELDS
# a pair of answer columns: an item is answered by a tick under one of them
ANSWER_PAIRS = (("是", "否"), ("符合", "不符合"), ("有", "无"), ("合格", "不合格"))
TICKS = {"√", "✓", "✔", "☑", "是", "v", "V", "●", "■", "对"}
# answers forms use beyond the yes/no words of SPEC §3.2
FORM_YES = {"符合", "一致", "达标", "合格", "按大纲", "已备课"}
FORM_NO = {"不符合", "不一致", "未达标", "不达标", "不合格"}

# a signature cell's words beyond yes/no (是, 已签, 未签 …)
SIGNED = {"已签名", "已签章", "已盖章", "已签字盖章", "已签名盖章", "已签并盖章"}
NOT_SIGNED = {"未签名", "未盖章", "未签章", "未签字盖章"}

_HINT = re.compile(r"[(（][^)）]*[)）]")
_INLINE = re.compile(r"^([^:：]{1,20})[:：]\s*(.*)$")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:人|名)?$")
_WHEN = re.compile(
    r"^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"\s*(?:[(（]?(?:星期|周)[一二三四五六日天][)）]?)?\s*(.*)$"
)
_CLOCK = re.compile(r"^(?:上午|下午|晚上|早上|中午)?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*分?")
_PERIOD_ONLY = re.compile(r"^(?:上午|下午|晚上|早上|中午)$")
_NAMES = re.compile(r"[、,，;；/\s]+")


@dataclass
class FormTable(SheetTable):
    """A sheet of printed forms: one canonical row per form, each value with its cell
    (``cells``: the form's ``src_row`` → field key → cell reference)."""

    cells: dict[int, dict[str, str]] = field(default_factory=dict)


@dataclass
class _Value:
    field: str
    label: str  # as typed
    label_cell: str
    value: object
    cell: str | None  # None: the label has no value


@dataclass
class _Form:
    first_row: int  # Excel row of the form's first label
    values: dict[str, _Value] = field(default_factory=dict)
    repeated: list[tuple[str, str]] = field(default_factory=list)  # (label, cell) read past


def label_field(cell: object) -> tuple[str | None, str, str]:
    """(field or "" for a known label outside the table or None, the label as typed,
    the value written in the same cell after a colon)."""
    if not isinstance(cell, str):
        return None, "", ""
    return _label_field(cell)


@lru_cache(maxsize=16384)
def _label_field(cell: str) -> tuple[str | None, str, str]:
    """label_field of a text: the labels recur in every workbook of a batch (each of the
    600 开班信息 sheets of a city-year was looked at as a possible form)."""
    text = V.fold(cell)
    if not text or len(text) > MAX_LABEL_LENGTH + 30:
        return None, "", ""
    label, inline = text, ""
    if m := _INLINE.match(text):
        label, inline = m[1], _before_next_label(m[2])
    key = normalise_header(_HINT.sub("", label)).rstrip(":：")
    if not key or len(key) > MAX_LABEL_LENGTH:
        return None, "", ""
    whole = normalise_header(label)
    if any(w in whole for w in SIGNATURE_WORDS):  # 督查人员（签字）: a signature, not names
        if any(w in whole for w in ("督查", "检查", "督导")):
            return "signed_by_inspectors", label, inline.strip()
        if any(w in whole for w in ("机构", "学校", "单位", "负责人", "校长")):
            return "signed_by_school", label, inline.strip()
        return None, "", ""
    if key in EXACT_LABELS:
        return EXACT_LABELS[key], label, inline.strip()
    if key in OTHER_LABELS:
        return "", label, inline.strip()
    for word, key_field in ITEM_KEYWORDS:
        if word in key:
            return key_field, label, inline.strip()
    return None, "", ""


def _before_next_label(text: str) -> str:
    """The value up to the next ``label：`` in the same cell (``GL2020-001   培训时间：…``
    or ``GL2020-001培训时间：…``): a label is the Chinese word before a colon."""
    k = min((i for i in (text.find(":"), text.find("：")) if i >= 0), default=-1)
    if k < 0:
        return text
    start = k
    while start > 0 and k - start < 8 and "\u4e00" <= text[start - 1] <= "\u9fff":
        start -= 1
    return text[:start] if start < k else text


def _is_item_wording(cell: object) -> bool:
    """A label recognised by an item keyword, not by its exact wording."""
    whole = normalise_header(V.fold(cell))
    key = normalise_header(_HINT.sub("", V.fold(cell)))
    return key not in EXACT_LABELS and not any(w in whole for w in SIGNATURE_WORDS)


def looks_like_form(raw: RawSheet) -> bool:
    """Labels of an inspection form spread over several rows (a table has them all on
    its header row)."""
    per_row: list[int] = []
    found: set[str] = set()
    for row in raw.grid[:FORM_SCAN_ROWS]:
        fields = set()
        first = True
        for cell in row:
            key = label_field(cell)[0]
            # items are a row's first cell: a table's second header row naming the items
            # side by side (under a merged 督查内容) is not a form
            if key in FORM_FIELDS and (first or not _is_item_wording(cell)):
                fields.add(key)
            first = first and V.is_blank(cell)
        if fields:
            per_row.append(len(fields))
            found |= fields
    return len(found) >= 3 and bool({"date", "when"} & found) and max(per_row) * 2 <= len(found)


def read_form(raw: RawSheet, file: str, parsed: SheetTable) -> FormTable | None:
    """The sheet read as printed inspection forms, or None when it is not one (the
    table reader's result stands)."""
    if parsed.kind == "notes":  # the tool's own instructions sheet
        return None
    if parsed.kind not in (None, "inspections", "classes") and parsed.data is not None:
        return None
    if not looks_like_form(raw):
        return None
    account = SheetAccount(raw.name, "inspections", hidden=raw.hidden)
    table = FormTable("inspections", None, None, account)
    if raw.hidden:
        table.problems.append(Problem("hidden-sheet", Source(file, raw.name), severity="info"))
    forms = _scan(raw)
    keys = [f.key for f in KIND_BY_KEY["inspections"].fields]
    columns: dict[str, list[object]] = {k: [] for k in [*keys, "src_row", "src_file", "src_sheet"]}
    account.rows_read = len(forms)
    for form in forms:
        row = _form_row(form, file, raw.name, table)
        if row is None:
            account.rows_reported += 1
            continue
        values, cells = row
        values.update(src_row=form.first_row, src_file=file, src_sheet=raw.name)
        for key, items in columns.items():
            items.append(values.get(key))
        table.cells[form.first_row] = cells
    table.data = columns
    return table


def _scan(raw: RawSheet) -> list[_Form]:
    """Labels and their values, row by row; a label already seen starts the next form."""
    grid = raw.grid
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in raw.merged:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                origin[(r, c)] = (r1, c1)
    labels: dict[tuple[int, int], tuple[str | None, str, str]] = {}
    for r, row in enumerate(grid):
        first = True  # the row's first filled cell
        for c, cell in enumerate(row):
            if (r, c) in origin and origin[(r, c)] != (r, c):
                continue  # a merged range's copy of its top-left cell
            found = label_field(cell)
            # an Article 11 item is a row's first cell; further right, text that names
            # one (督查意见 | 实操课时不足) is a value
            if found[0] is not None and (first or not _is_item_wording(cell)):
                labels[(r, c)] = found
            first = first and V.is_blank(cell)
    used: set[tuple[int, int]] = set()
    forms: list[_Form] = []
    current: _Form | None = None
    answers: dict[int, bool] | None = None  # column → the answer a tick there gives
    for r, row in enumerate(grid):
        row_labels = [c for c in range(len(row)) if (r, c) in labels]
        pair = _answer_columns(row, [c for c in range(len(row)) if (r, c) not in labels])
        if pair is not None and not any(labels[(r, c)][0] for c in row_labels):
            answers = pair
            continue
        header_like = len(row_labels) >= 2 and all(
            (r, c) in labels or V.is_blank(row[c]) or origin.get((r, c)) in labels
            for c in range(len(row))
        )
        for c in row_labels:
            if (r, c) in used:  # a label standing where a value belongs (_value_cell)
                continue
            key, label, inline = labels[(r, c)]
            if not key:
                cell = _value_cell(raw, labels, origin, r, c, header_like)
                if cell is not None:
                    used.add(cell)
                continue
            label_ref = raw.cell_ref(r, c)
            if current is not None and key in current.values and key not in HEAD_FIELDS:
                # a second item worded like one already read (实操设备 after 实训实操课时):
                # the first stands; this one is reported, and the form goes on
                current.repeated.append((label, label_ref))
                continue
            if current is None or key in current.values:
                current = _Form(raw.excel_row(r))
                forms.append(current)
                answers = None  # the answer columns of the previous form
            if inline:
                current.values[key] = _Value(key, label, label_ref, inline, label_ref)
                continue
            if key in YESNO_FIELDS and answers is not None:
                current.values[key] = _ticked(raw, r, answers, key, label, label_ref)
                continue
            typed = key in TYPED_FIELDS
            at = _value_cell(raw, labels, origin, r, c, header_like, typed)
            if at is None or at in used:
                current.values[key] = _Value(key, label, label_ref, None, None)
                continue
            used.add(at)
            value = _joined(raw, labels, origin, at) if at[0] == r else grid[at[0]][at[1]]
            current.values[key] = _Value(key, label, label_ref, value, raw.cell_ref(*at))
    return forms


def _answer_columns(row: list[object], free: list[int]) -> dict[int, bool] | None:
    """A row heading a pair of answer columns (``是 | 否``): column → answer."""
    texts = {V.fold(row[c]): c for c in free if isinstance(row[c], str)}
    for yes, no in ANSWER_PAIRS:
        if yes in texts and no in texts:
            return {texts[yes]: True, texts[no]: False}
    return None


def _ticked(
    raw: RawSheet, r: int, answers: dict[int, bool], key: str, label: str, label_ref: str
) -> _Value:
    row = raw.grid[r]
    ticked = [c for c in answers if c < len(row) and V.fold(row[c]) in TICKS]
    if len(ticked) == 1:
        c = ticked[0]
        return _Value(key, label, label_ref, answers[c], raw.cell_ref(r, c))
    if len(ticked) > 1:  # both ticked: no answer can be taken
        cells = "、".join(raw.cell_ref(r, c) for c in sorted(ticked))
        return _Value(key, label, label_ref, ("both", cells), raw.cell_ref(r, ticked[0]))
    return _Value(key, label, label_ref, None, None)


def _value_cell(
    raw: RawSheet,
    labels: dict,
    origin: dict,
    r: int,
    c: int,
    header_like: bool,
    typed: bool = False,
) -> tuple[int, int] | None:
    """The label's value: the first filled cell to its right before the next label,
    else (on a row of labels only) the cell below."""
    row = raw.grid[r]
    own = origin.get((r, c), (r, c))
    for c2 in range(c + 1, len(row)):
        if origin.get((r, c2), (r, c2)) == own:
            continue  # the label's own merged range
        if (r, c2) in labels or origin.get((r, c2)) in labels:
            # another label where the value belongs, itself without a value (督查日期 |
            # 应到人数 | 督查时间 | 09:30): the form was filled in the wrong cell; the
            # label is taken as the value, so the cell is reported, not skipped; only
            # for values that a label's text cannot pass for (a date, a number, 是/否)
            at = origin.get((r, c2), (r, c2))
            if typed and not header_like and _value_cell(raw, labels, origin, *at, False) is None:
                return at
            break
        if not V.is_blank(row[c2]):
            return origin.get((r, c2), (r, c2))
    if header_like and r + 1 < len(raw.grid):
        below = raw.grid[r + 1]
        if c < len(below) and not V.is_blank(below[c]) and (r + 1, c) not in labels:
            return origin.get((r + 1, c), (r + 1, c))
    return None


def _joined(raw: RawSheet, labels: dict, origin: dict, at: tuple[int, int]) -> object:
    """The value starting at ``at`` with the filled cells after it up to the next label
    (``10 | 人``, ``张伟 | 李娜``, ``2020年9月8日 | 上午``) as one text; one cell as is."""
    r, c = at
    row = raw.grid[r]
    parts = [row[c]]
    seen = {origin.get((r, c), (r, c))}
    for c2 in range(c + 1, len(row)):
        if (r, c2) in labels or origin.get((r, c2)) in labels:
            break
        home = origin.get((r, c2), (r, c2))
        if home in seen or V.is_blank(row[c2]):
            continue
        seen.add(home)
        parts.append(row[c2])
    if len(parts) == 1:
        return parts[0]
    return " ".join(_text(p) for p in parts)


def _text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return V.fold(value)


def _form_row(
    form: _Form, file: str, sheet: str, table: FormTable
) -> tuple[dict[str, object], dict[str, str]] | None:
    """One form's canonical values and their cells; None (reported) without a date."""
    values: dict[str, object] = {}
    cells: dict[str, str] = {}
    problems = table.problems

    def warn(code: str, item: _Value, key: str) -> None:
        row = int(re.sub(r"\D", "", item.cell or item.label_cell))
        shown = V.fold(item.value)[:40]
        problems.append(
            Problem(code, Source(file, sheet, row, item.cell), {"field": key, "value": shown})
        )

    for label, cell in form.repeated:
        row = int(re.sub(r"\D", "", cell))
        params = {"header": label}
        problems.append(Problem("form-label-repeated", Source(file, sheet, row, cell), params))
    date_item = form.values.get("date")
    when = form.values.get("when")
    if date_item is None and when is not None:  # 督查时间 holds the date
        date_item, when = when, None
    date = clock = None
    if date_item is not None and date_item.value is not None:
        parsed = _parse_when(date_item.value)
        if parsed is None:
            row = int(re.sub(r"\D", "", date_item.cell or date_item.label_cell))
            params = {"header": date_item.label, "value": V.fold(date_item.value)[:40]}
            problems.append(
                Problem(
                    "form-date-unreadable",
                    Source(file, sheet, row, date_item.cell),
                    params,
                    "error",
                )
            )
            return None
        date, clock = parsed
    if date is None:
        where = date_item.label_cell if date_item else None
        problems.append(
            Problem("form-no-date", Source(file, sheet, form.first_row, where), severity="error")
        )
        return None
    values["date"] = date
    cells["date"] = date_item.cell
    if when is not None and when.value is not None:
        parsed_clock = _parse_clock(when.value)
        if parsed_clock is None:
            warn("unreadable-time", when, "time")
        else:
            clock = parsed_clock
            cells["time"] = when.cell
    elif clock is not None:
        cells["time"] = date_item.cell
    values["time"] = clock
    unit = form.values.get("unit")
    if "level" not in form.values and unit is not None and unit.value is not None:
        values["level"] = _level_of(V.fold(unit.value))
        cells["level"] = unit.cell
    for key, item in form.values.items():
        if key in ("date", "when", "unit") or item.value is None:
            if item.value is None and key in SIGNATURE_FIELDS | YESNO_FIELDS:
                cells[key] = item.label_cell  # a blank answer: the finding names its label
            continue
        cells[key] = item.cell
        try:
            values[key] = _parse_field(key, item.value)
        except ValueError as exc:
            if isinstance(item.value, tuple):  # both answer columns ticked
                row = int(re.sub(r"\D", "", item.cell))
                params = {"header": item.label, "value": item.value[1]}
                problems.append(
                    Problem("form-both-ticked", Source(file, sheet, row, item.cell), params)
                )
            else:
                warn(str(exc), item, key)
    return values, cells


def _level_of(unit: str) -> str:
    """The level of an inspection from the inspecting body: a district or county bureau
    (象山区人社局, 灵川县…, 荔浦市 is a county-level city) is 县区; the city's (桂林市人社局)
    is a 市级抽查 (Article 13), which is not the district's inspection (A1001)."""
    if re.search(r"[区县]|荔浦", unit):
        return "县区"
    return "市级抽查" if "市" in unit else unit


def _parse_when(value: object) -> tuple[dt.date | V.PartialDate, dt.time | None] | None:
    """A date, optionally with a time or a period after it (``2020年9月8日 上午``,
    ``2020-09-08 09:30``); None for anything else (a second date, a label)."""
    if isinstance(value, dt.datetime):
        return value.date(), (value.time() if value.time() != dt.time(0) else None)
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return V.parse_date(value), None
        except ValueError:
            return None
    if not isinstance(value, str):
        return None
    m = _WHEN.match(V.fold(value))
    if not m:
        return None
    try:
        date = V.parse_date(re.sub(r"\s+", "", m[1]))
    except ValueError:
        return None
    rest = m[2].strip()
    if not rest or _PERIOD_ONLY.match(rest):
        return date, None
    clock = _parse_clock(rest)
    return (date, clock) if clock is not None else None


def _parse_clock(value: object) -> dt.time | None:
    """A time of day (``09:30``, ``上午9时30分``, ``9:30-11:00``: its start), a time cell."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    try:
        return V.parse_time(value)
    except ValueError:
        pass
    m = _CLOCK.match(V.fold(value))
    if m and int(m[1]) < 24 and int(m[2] or 0) < 60:
        hour = int(m[1])
        if V.fold(value).startswith(("下午", "晚上")) and hour < 12:
            hour += 12
        return dt.time(hour, int(m[2] or 0))
    return None


def _parse_field(key: str, value: object) -> object:
    if isinstance(value, tuple):
        raise ValueError("form-both-ticked")
    if isinstance(value, bool):
        return value
    if key in ("expected", "observed"):
        if isinstance(value, int | float):
            return V.parse_number(value)
        m = _NUMBER.match(V.fold(value))
        if not m:
            raise ValueError("unreadable-number")
        return float(m[1])
    if key == "inspectors":
        names = tuple(n for n in _NAMES.split(V.fold(value)) if n)
        return names or None
    if key in YESNO_FIELDS:
        text = V.fold(value)
        if text in FORM_YES:
            return True
        if text in FORM_NO:
            return False
        return V.parse_yesno(value)
    if key in SIGNATURE_FIELDS:
        text = V.fold(value)
        if text in SIGNED:
            return True
        if text in NOT_SIGNED:
            return False
        try:
            return V.parse_yesno(value)
        except ValueError:
            if any(w in text for w in SIGNATURE_WORDS) or not text.strip("()（）_ "):
                return None  # the printed hint (签字：____), not a signature
            return True  # a written name is the signature
    return V.parse_text(value)
