"""The rows of a table that are not data (issue 12: no row vanishes or changes class).

Between its header and its end a printed sheet also holds page headers repeated on
every page, footers (制表人：…, 审核：…, 盖章), summary rows (合计, 实到人数 …), notes
merged across the row, and sometimes a second table stacked under the first (its own
title, ``班级编号：`` label and header). :func:`scan_body` sorts the rows below a header
into data rows, rows skipped with a note, rows reported as unusable, and the row where
another table starts. Above the header, :func:`rows_like_data` finds rows that look like
students (an ID number, or a name beside other values), which are reported.

The tests run once per distinct cell text of the sheet, and each row is then checked
with set operations: no per-cell Python work on an ordinary sheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import values as V
from .schema import ALIASES, KINDS, normalise_header
from .title import CLASS_LABELS, KNOWN_LABELS, read_title

# every header text of every table kind, folded: a row holding one may be a header
ALL_HEADERS = frozenset(h for aliases in ALIASES.values() for h in aliases)

_FOOTER = re.compile(
    r"^\(?(?:单位|机构|学校)?\)?"
    r"(?:制表人|制表|制表日期|填表人|填表日期|填报人|填报日期|班主任|审核人|审核|审批人|审批|"
    r"负责人|经办人|校长|授课教师签名|教师签名|督查人员签名|备注|说明|注)"
    r"\s*(?:\((?:签字|签名|盖章)\)|签字|签名)?\s*(?::|$)"
)
_SEAL = re.compile(r"盖章|公章|\(章\)")
_TOTAL = re.compile(
    r"^(?:合计|总计|小计|共计|(?:应到|实到|出勤|缺勤|参训|参加|学员|总)人数|共\d+人)"
)
_NAME = re.compile(r"^[\u3400-\u9fff]{2,4}$|^[\u3400-\u9fff]+[·•][\u3400-\u9fff·•]+$")
# words that end titles and labels, never a person's name
_NOT_NAME_END = (
    *("表", "册", "单", "录", "计划", "汇总", "情况", "信息", "说明", "单位", "日期"),
    *("时间", "地点", "名称", "学校", "机构", "人员", "编号", "工种", "月份", "期间"),
)
_COLON = re.compile("[:：]")
_ID_SHAPE = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")
_CLASS_LABEL = re.compile("|".join(CLASS_LABELS))
# a text that may be a footer, a summary or a class label (it holds one of their words,
# in characters NFKC leaves alone), or that ``normalise_header`` would change (white
# space, ``*``, full-width forms): the only texts looked at closely
_MAYBE_SPECIAL = re.compile(r"[制填班审负经校签备说注章合总小共人编\s*\u3000\uff00-\uffef]")


def _key(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


def footer_code(value: object) -> str | None:
    """``row-total`` for a summary cell (合计, 实到人数 …), ``row-footer`` for a
    signature or note line (制表人：…, 审核：…, 盖章), else None."""
    if not isinstance(value, str):
        return None
    text = _key(value)
    if not text:
        return None
    if _TOTAL.match(text):
        return "row-total"
    if _FOOTER.match(text) or _SEAL.search(text):
        return "row-footer"
    return None


def name_like(value: object) -> bool:
    """Two to four Chinese characters (or a name with ·), not a header or a title."""
    if not isinstance(value, str):
        return False
    text = _key(value)
    return (
        bool(_NAME.match(text))
        and not text.endswith(_NOT_NAME_END)
        and _fold_header(text) not in ALL_HEADERS
        and text not in KNOWN_LABELS
        and footer_code(text) is None
    )


def id_shaped(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return float(value).is_integer() and 10**14 <= abs(value) < 10**18
    return isinstance(value, str) and bool(_ID_SHAPE.match(V.fold(value)))


def looks_like_data(row: list[object]) -> bool:
    """A row under a header candidate that reads as data, not as a title or a second
    header row: an ID number, or three different values none of them a ``label：``."""
    values = _distinct(row)
    if len(values) >= 3 and not any(v.__class__ is str and _COLON.search(v) for v in values):
        return True
    return any(id_shaped(v) for v in values)


def _distinct(row: list[object]) -> set[object]:
    """The row's different non-blank values (set operations: called per row)."""
    values = set(row)
    values.discard(None)
    values.discard("")
    return {v for v in values if v.__class__ is not str or not v.isspace()}


def is_new_header(row: list[object]) -> bool:
    """A row below a table that is the header of another table: two canonical headers
    of one kind at least (session dates do not count: a data row holds dates too), and
    no ID number (a data row with two header-like values is still data)."""
    from .table import MIN_HEADER_MATCHES, _header_score  # noqa: PLC0415 — a cycle otherwise

    if any(id_shaped(v) for v in _distinct(row)):
        return False
    return any(_header_score(row, kind.key)[0] >= MIN_HEADER_MATCHES for kind in KINDS)


def _header_key(row: list[object]) -> tuple[str, ...]:
    return tuple(normalise_header(V.fold(v)) for v in row if not V.is_blank(v))


@dataclass
class Body:
    data: list[int]  # grid rows used as data
    skipped: list[tuple[int, str, dict]] = field(default_factory=list)  # (row, code, params)
    next_table: int | None = None  # grid row where another table's title rows begin


def split_footers(
    grid: list[list[object]], rows: list[int], key_cols: list[int]
) -> tuple[list[int], list[tuple[int, str, dict[str, str]]]]:
    """The footer and summary rows (制表人, 班主任签字, 盖章, 合计 …) among ``rows`` of a
    monthly grid or a session sheet, as :func:`scan_body` finds them below a table: the
    rows that stay data, and the skipped ones with their notes (code, ``text``)."""
    texts = {v for r in rows for v in grid[r] if v.__class__ is str and _MAYBE_SPECIAL.search(v)}
    footers = {v: code for v in texts if (code := footer_code(v))}
    if not footers:
        return list(rows), []
    data, skipped = [], []
    for r in rows:
        row = grid[r]
        code = None if footers.keys().isdisjoint(row) else _footer_of(row, key_cols, footers, False)
        if code is None:
            data.append(r)
            continue
        text = " ".join(next((V.fold(v) for v in row if not V.is_blank(v)), "").split())
        skipped.append((r, code, {"text": text[:40]}))
    return data, skipped


def scan_body(
    grid: list[list[object]],
    rows: list[int],
    header_rows: list[int],
    key_cols: list[int],
    class_id: str | None,
    has_class_column: bool,
    merged: list[tuple[int, int, int, int]],
    title_rows: list[list[object]],
) -> Body:
    """Sort the non-blank rows below a header (``rows``, in order).

    - a row equal to the header, with nothing above it but lines of the table's own
      title rows (``title_rows``): a page header repeated by the printer, skipped with a
      note;
    - any other header row (another header, or a new title or label above it): another
      table starts at its title rows (``next_table``);
    - a footer or summary row whose name and ID cells hold nothing else: skipped with a
      note, never a student; so is a row whose only value is one range merged across it;
    - rows below a ``班级编号：`` label naming another class, when the table has no class
      column: reported, not used (they cannot be given a class);
    - every other row is data.
    """
    body = Body([])
    if not rows:
        return body
    cells = set().union(*map(grid.__getitem__, rows))
    texts = [v for v in cells if v.__class__ is str]
    # names, IDs and marks fail one cheap test (filtered in C): only a few texts are
    # looked at closely
    maybe = list(filter(_MAYBE_SPECIAL.search, texts))
    footers = {v: code for v in maybe if (code := footer_code(v))}
    labels = {v for v in maybe if _CLASS_LABEL.search(_key(v))}
    headers = set(ALL_HEADERS.intersection(texts))
    headers.update(v for v in maybe if _fold_header(v) in ALL_HEADERS)
    notes = _merged_note_rows(grid, rows[0], merged)
    if not (footers or labels or headers or notes):
        return Body(list(rows))
    header_key = _header_key(grid[header_rows[0]])
    own_title = _texts(title_rows)
    second_key = _header_key(grid[header_rows[1]]) if len(header_rows) > 1 else None
    pending_repeat = 0  # the second row of a repeated two-row header comes next
    other_label: str | None = None  # a label naming another class was met
    # per row met: "data" (reported data), "data?" (data, or a title line of a table
    # below), "title" (a label line) or "skip" (a footer, a repeated header)
    kinds: list[str] = []
    seen: list[int] = []
    for r in rows:
        row = grid[r]
        if pending_repeat and second_key is not None and _header_key(row) == second_key:
            pending_repeat = 0
            body.skipped.append((r, "row-repeated-header", {}))
            seen.append(r)
            kinds.append("skip")
            continue
        pending_repeat = 0
        if r in notes or (footers and not footers.keys().isdisjoint(row)):
            code = _footer_of(row, key_cols, footers, r in notes)
            if code:
                text = " ".join(next((V.fold(v) for v in row if not V.is_blank(v)), "").split())
                body.skipped.append((r, code, {"text": text[:40]}))
                seen.append(r)
                kinds.append("skip")  # a footer closes the table above it
                continue
        if (
            headers
            and not headers.isdisjoint(row)
            and ((same := _header_key(row) == header_key) or is_new_header(row))
        ):
            start = _title_start(grid, seen, kinds, r)
            if same and _texts(grid[start:r]) <= own_title:
                _repeated_title(body, start)
                body.skipped.append((r, "row-repeated-header", {}))
                seen.append(r)
                kinds.append("skip")
                pending_repeat = 1
                continue
            body.next_table = start
            break
        if labels and not labels.isdisjoint(row):
            found = read_title([row]).class_id
            if found is not None and found != class_id and not has_class_column:
                other_label = found
            body.skipped.append((r, "row-class-label", {"label": found or ""}))
            seen.append(r)
            kinds.append("title")
            continue
        if other_label is not None:
            body.skipped.append((r, "row-under-other-label", {"label": other_label}))
            kinds.append("data")  # a data row, reported: a new table's title stops above it
        else:
            body.data.append(r)
            kinds.append("data?")  # data, or a title line: _title_start decides
        seen.append(r)
    if body.next_table is not None:
        body.data = [r for r in body.data if r < body.next_table]
        body.skipped = [s for s in body.skipped if s[0] < body.next_table]
    return body


def _texts(rows: list[list[object]]) -> set[str]:
    return {V.fold(v) for row in rows for v in row if not V.is_blank(v)}


def _repeated_title(body: Body, start: int) -> None:
    """The title rows (a title line, the ``班级编号：`` label) printed again above a
    repeated page header: skipped with the header's note; footers keep theirs."""
    titles = [r for r in body.data if r >= start]
    body.data = [r for r in body.data if r < start]
    body.skipped = [
        (r, "row-repeated-header", {}) if r >= start and code == "row-class-label" else (r, code, p)
        for r, code, p in body.skipped
    ]
    body.skipped.extend((r, "row-repeated-header", {}) for r in titles)
    body.skipped.sort(key=lambda s: s[0])


def _fold_header(value: str) -> str:
    """``normalise_header`` without its cache: every distinct cell text passes here."""
    return normalise_header.__wrapped__(value)


def _footer_of(
    row: list[object], key_cols: list[int], footers: dict[str, str], merged_note: bool
) -> str | None:
    """A footer's code when a footer heads the row, left of its key cells
    (``班主任 | 陈老师``), or the key cells (name, ID; a plan's date) hold nothing else."""
    first = next((c for c, v in enumerate(row) if not V.is_blank(v)), len(row))
    heads = first < len(row) and row[first] in footers and first < min(key_cols, default=0) + 1
    for c in key_cols if not heads else ():
        value = row[c] if c < len(row) else None
        if not V.is_blank(value) and value not in footers and not merged_note:
            return None  # a student with a remark that reads like a footer
    codes = [footers[v] for v in row if isinstance(v, str) and v in footers]
    if "row-total" in codes:
        return "row-total"
    return "row-footer" if codes or merged_note else None


def _merged_note_rows(
    grid: list[list[object]], first: int, merged: list[tuple[int, int, int, int]]
) -> set[int]:
    """Rows below the header whose only value is one range merged across columns."""
    out: set[int] = set()
    for r1, c1, r2, c2 in merged:
        if c2 <= c1 or r1 < first:
            continue
        for r in range(r1, min(r2, len(grid) - 1) + 1):
            row = grid[r]
            if all(V.is_blank(v) for c, v in enumerate(row) if c < c1 or c > c2):
                out.add(r)
    return out


def _title_like(row: list[object]) -> bool:
    """A row that could be a title line: one text (a merged title), not a name."""
    values = _distinct(row)
    if len(values) != 1:
        return False
    (value,) = values
    return isinstance(value, str) and not name_like(value)


def _title_start(grid: list[list[object]], seen: list[int], kinds: list[str], header: int) -> int:
    """First row of the title rows above a header met in the body: walking up from the
    header over title lines and ``班级编号：`` labels (blank rows are not in ``seen``), up
    to a data, footer or summary row, which belongs to the table above."""
    start = header
    for r, kind in zip(reversed(seen), reversed(kinds), strict=True):
        if kind == "data?" and _title_like(grid[r]):
            kind = "title"
        if kind != "title":
            break
        start = r
    return start


def rows_like_data(
    grid: list[list[object]], header: int, name_col: int | None, other_cols: list[int]
) -> list[int]:
    """Rows above the header that look like a student's: an ID number, or a name in the
    name column beside another filled column of the table."""
    out = []
    for r in range(header):
        row = grid[r]
        if any(id_shaped(v) for v in _distinct(row)):  # a merged title: one value
            out.append(r)
            continue
        if name_col is None or name_col >= len(row) or not name_like(row[name_col]):
            continue
        name = row[name_col]
        if any(c < len(row) and not V.is_blank(row[c]) and row[c] != name for c in other_cols):
            out.append(r)
    return out
