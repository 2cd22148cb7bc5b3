"""The disbursement list (``audit --payments FILE.xlsx``, docs/REPORT.md).

One workbook, marked with the custom document property ``peixun-audit`` =
``payments`` (the loader refuses it as an audit input, like the report). Its layout
is a contract: the ledger command reads it back, so the sheet names and headers are
fixed and Chinese whatever the report language.

- sheet 1 ``可拨付名单``: one row per eligible (可拨付) student — 班级编号, 培训机构,
  培训工种, 等级, 培训类型, 结业日期, 姓名, 身份证号, 出勤学时, 出勤率, and 补贴金额
  only when a ruleset carries subsidy standards. ID numbers are full (the list is for
  paying people) and written as text cells; 结业日期 is a date cell (yyyy-mm-dd);
  出勤率 a number 0–1 shown as a percentage; no totals row.
- sheet 2 ``不可拨付及待核实``: 班级编号, 姓名, 身份证号 (masked unless
  ``--show-pii``), 状态 (不可拨付 / 待核实), 原因 (in Chinese). An eligible student
  without an ID number is listed here as 待核实 (nobody is paid without one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..ids import mask_id
from .classes import amounts as student_amounts
from .classes import class_info
from .output import KIND_PAYMENTS, atomic_path
from .rows import clean

PAYABLE_SHEET = "可拨付名单"
OTHERS_SHEET = "不可拨付及待核实"
PAYABLE_HEADERS = [
    "班级编号",
    "培训机构",
    "培训工种",
    "等级",
    "培训类型",
    "结业日期",
    "姓名",
    "身份证号",
    "出勤学时",
    "出勤率",
]
AMOUNT_HEADER = "补贴金额"
OTHERS_HEADERS = ["班级编号", "姓名", "身份证号", "状态", "原因"]


def payment_rows(result: Any, show_pii: bool) -> tuple[list[list[Any]], list[list[Any]], bool]:
    """(payable rows, other rows, whether amounts are configured)."""
    from ..messages import ui
    from .excel import reasons_text  # the words of the reasons, shared with the report

    info = class_info(result)
    amounts = student_amounts(result)
    e = result.eligibility
    a = result.attendance
    payable, others = [], []
    for i, (cid, name, idn, status, reasons, hours, rate) in enumerate(
        zip(
            e["class_id"].tolist(),
            e["student_name"].tolist(),
            e["id_number"].tolist(),
            e["status"].tolist(),
            e["reasons"].tolist(),
            a["attended_hours"].tolist(),
            a["rate"].tolist(),
            strict=True,
        )
    ):
        name, idn = clean(name), clean(idn)
        if status == "eligible" and not (isinstance(idn, str) and idn.strip()):
            # nobody is paid without an ID number (the engine says so too: this list must
            # hold even if it did not)
            reason = ui("reason_id_number_missing")
            others.append([cid, name, None, ui("status_undetermined", "zh"), reason])
        elif status == "eligible":
            c = info.get(cid, {})
            row = [
                cid,
                c.get("institution"),
                c.get("occupation"),
                c.get("level"),
                c.get("training_type"),
                c.get("end_date"),
                name,
                None if idn is None else str(idn),
                clean(hours),
                clean(rate),
            ]
            if amounts is not None:
                row.append(amounts[i])
            payable.append(row)
        else:
            others.append(
                [
                    cid,
                    name,
                    idn if show_pii else mask_id(idn),
                    ui(f"status_{status}", "zh"),
                    reasons_text(list(reasons), "zh"),
                ]
            )
    return payable, others, amounts is not None


def write(path: Path, result: Any, show_pii: bool = False, title: str = "") -> int:
    """Write the disbursement list; returns the number of payable students."""
    from .excel import _Writer

    payable, others, with_amounts = payment_rows(result, show_pii)
    headers = PAYABLE_HEADERS + ([AMOUNT_HEADER] if with_amounts else [])
    with atomic_path(path) as temp:
        w = _Writer(temp, KIND_PAYMENTS, title, result.as_of.isoformat(), "zh")
        sheet = w.table(PAYABLE_SHEET, headers, payable, percent_cols={9}, text_cols={7})
        sheet.set_column(7, 7, 22, w.text)
        w.table(OTHERS_SHEET, OTHERS_HEADERS, others, caps={4: 60}, text_cols={2})
        w.book.close()
    return len(payable)
