"""Reading the files a ledger is fed: the disbursement list ``ledger record`` records, and
the payment histories ``ledger import`` loads (platform exports, the ledger's own export).

Both are one table with a header row (title rows above it are fine), matched by the
aliases below after the loader's header folding. A file is recorded whole or not at all:
any row that cannot be read exactly (no ID number, an invalid or masked one, an
unreadable date or amount) is reported with its file, sheet and cell, and nothing is
written — a ledger with silently missing payments would let a repeat claim through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..ids import id_problem
from ..load.schema import normalise_header
from ..load.values import (
    NumericIdError,
    is_blank,
    normalise_level,
    parse_date,
    parse_id,
    parse_text,
)
from ..load.workbook import RawSheet, WorkbookError, read_workbook

PAYABLE_SHEET = "可拨付名单"  # sheet 1 of the audit's --payments list
NOT_PAYABLE_SHEET = "不可拨付及待核实"  # its sheet 2: never recorded

# canonical key → headers (canonical first); a roster's aliases for names and IDs
HEADERS: dict[str, tuple[str, ...]] = {
    "class_id": ("班级编号", "班级代码", "班级号", "开班编号", "培训班级编号"),
    "institution": ("培训机构", "机构名称", "培训单位名称", "培训单位"),
    "occupation": (
        "培训工种",
        "职业工种",
        "职业/工种",
        "职业（工种）",
        "培训职业",
        "培训工种名称",
        "职业",
        "工种",
    ),
    "level": ("等级", "培训等级", "证书等级", "职业等级", "技能等级"),
    "training_type": ("培训类型", "补贴类型", "培训类别"),
    "end_date": ("结业日期", "结束日期", "培训结束日期", "培训结束时间"),
    "name": ("姓名", "学员姓名"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "社会保障号"),
    "amount": ("补贴金额", "拨付金额", "金额"),
    "paid_on": ("拨付日期", "发放日期", "补贴拨付日期"),
}
_INDEX = {normalise_header(h): key for key, names in HEADERS.items() for h in names}
HEADER_ROWS = 20  # the header is looked for among a sheet's first rows


@dataclass
class LedgerProblem:
    """A cell or sheet that stops a file from being recorded; ``key`` is a messages.UI key."""

    key: str
    sheet: str | None = None
    cell: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class PaymentFile:
    path: Path
    sha256: str
    sheet: str | None
    rows: list[dict[str, Any]]
    problems: list[LedgerProblem]


def _header(sheet: RawSheet) -> tuple[int, dict[str, int]] | None:
    """(grid row of the header, key → column) of the first row naming 姓名 and 身份证号."""
    for r, row in enumerate(sheet.grid[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            if isinstance(cell, str):
                key = _INDEX.get(normalise_header(cell))
                if key is not None:
                    columns.setdefault(key, c)
        if "id_number" in columns and "name" in columns:
            return r, columns
    return None


def _amount_fen(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        amount = Decimal(str(value).replace(",", "").replace("元", "").strip())
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    fen = amount * 100
    if fen != fen.to_integral_value() or fen < 0:
        raise ValueError(value)
    return int(fen)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    parsed = parse_date(value)
    if parsed is not None and not isinstance(parsed, dt.date):
        raise ValueError(value)  # a date without its year (9月1日)
    return parsed


def read_payment_file(
    path: Path, *, require_paid_on: bool, paid_on: dt.date | None = None
) -> PaymentFile:
    """The payments a file holds, or its problems. ``paid_on`` is the date of every row
    (``ledger record --paid-on``); otherwise each row needs its own 拨付日期."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    out = PaymentFile(path, sha, None, [], [])
    try:
        book = read_workbook(data, path.name, accept=("ledger", "payments"))
    except WorkbookError as exc:
        out.problems.append(LedgerProblem("src_unreadable", params={"detail": exc.code}))
        return out
    candidates = [s for s in book.sheets if s.name == PAYABLE_SHEET] or [
        s for s in book.sheets if s.name != NOT_PAYABLE_SHEET
    ]
    found = next(((s, h) for s in candidates if (h := _header(s)) is not None), None)
    if found is None:
        out.problems.append(LedgerProblem("src_no_header"))
        return out
    sheet, (header_row, columns) = found
    out.sheet = sheet.name
    if require_paid_on and "paid_on" not in columns:
        out.problems.append(LedgerProblem("src_no_paid_on", sheet.name))
    if out.problems:
        return out
    for r in range(header_row + 1, len(sheet.grid)):
        row = sheet.grid[r]

        def cell(key: str, row=row) -> Any:
            c = columns.get(key)
            return row[c] if c is not None and c < len(row) else None

        if all(is_blank(v) for v in row):
            continue
        record: dict[str, Any] = {"src_row": sheet.excel_row(r)}
        where = {
            key: sheet.cell_ref(r, c) for key, c in columns.items()
        }  # the cell of each field on this row
        try:
            idn = parse_id(cell("id_number"))
        except NumericIdError:
            out.problems.append(LedgerProblem("src_id_number", sheet.name, where["id_number"]))
            continue
        problem = "src_no_id" if idn is None else id_problem(idn)
        if problem is not None:
            key = "src_no_id" if idn is None else "src_bad_id"
            out.problems.append(LedgerProblem(key, sheet.name, where["id_number"]))
            continue
        record["id_number"] = idn
        record["name"] = parse_text(cell("name"))
        for key in ("class_id", "institution", "occupation", "training_type"):
            record[key] = parse_text(cell(key))
        record["level"] = normalise_level(cell("level"))
        bad = False
        for key in ("end_date", "paid_on"):
            try:
                record[key] = _date(cell(key))
            except ValueError:
                out.problems.append(LedgerProblem("src_bad_date", sheet.name, where[key]))
                bad = True
        try:
            record["amount_fen"] = _amount_fen(cell("amount"))
        except ValueError:
            out.problems.append(LedgerProblem("src_bad_amount", sheet.name, where["amount"]))
            bad = True
        if paid_on is not None:
            record["paid_on"] = paid_on
        if record["paid_on"] is None and not bad:
            out.problems.append(LedgerProblem("src_no_paid_date", sheet.name, where["paid_on"]))
            bad = True
        if record["occupation"] is None and not bad:
            cell_ref = where.get("occupation") or f"{sheet.excel_row(r)}"
            out.problems.append(LedgerProblem("src_no_occupation", sheet.name, cell_ref))
            bad = True
        if not bad:
            out.rows.append(record)
    if not out.rows and not out.problems:
        out.problems.append(LedgerProblem("src_no_rows", sheet.name))
    return out
