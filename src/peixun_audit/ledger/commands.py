"""``peixun-audit ledger …``: thin Typer commands over :mod:`peixun_audit.ledger`.

Exit status: 0 done; 1 refused (a file with unreadable rows, the same file twice, an
unknown batch, a ledger that fails ``verify``); 2 usage errors or a ledger that cannot
be opened. Messages on stderr, data on stdout; ID numbers masked unless ``--show-pii``.
"""

# No ``from __future__ import annotations``: Typer reads these signatures when the
# CLI starts, and string annotations would be compiled one by one (docs/startup.md).

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ..messages import ui
from . import ENV

if TYPE_CHECKING:
    from .sources import PaymentFile

app = typer.Typer(
    name="ledger",
    help="补贴台账：记录已拨付名单、导入历史、撤销、核验、导出 · The subsidy ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
)

LedgerOpt = Annotated[
    str,
    typer.Option(
        "--ledger",
        envvar=ENV,
        help="台账：SQLite 文件路径，或 postgresql://用户@主机/库（环境变量 PEIXUN_LEDGER）",
    ),
]
LangOpt = Annotated[str, typer.Option("--lang", help="zh | en")]
ShowPiiOpt = Annotated[bool, typer.Option("--show-pii", help="显示完整身份证号")]
JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出")]


def _err(message: str) -> None:
    Console(stderr=True, highlight=False).print(message, style="red", markup=False)


def _say(message: str) -> None:
    Console(stderr=True, highlight=False).print(message, markup=False)


def _open(target: str, lang: str):
    from .store import LedgerError, open_ledger

    try:
        return open_ledger(target)
    except LedgerError as exc:
        _err(ui(exc.key, lang, **exc.params))
        raise typer.Exit(2) from None


def _date(value: str, lang: str) -> dt.date:
    from ..load.values import parse_date

    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dt.date):
        _err(ui("bad_date", lang, value=value))
        raise typer.Exit(2)
    return parsed


def _problems(read: "PaymentFile", lang: str) -> None:
    """Every cell that stops the file from being recorded, then the refusal."""
    for p in read.problems:
        where = " / ".join(x for x in (read.path.name, p.sheet, p.cell) if x)
        _err(f"{where}: {ui('ledger_' + p.key, lang, **p.params)}")
    _err(ui("ledger_refused", lang, file=read.path.name, n=len(read.problems)))


def _add(kind: str, target: str, file: Path, lang: str, run) -> None:
    from .store import LedgerError, describe

    if not file.is_file():
        _err(ui("ledger_no_file", lang, file=str(file)))
        raise typer.Exit(2)
    ledger = _open(target, lang)
    try:
        read, name, count = run(ledger)
    except LedgerError as exc:
        _err(ui(exc.key, lang, **exc.params))
        raise typer.Exit(1) from None
    finally:
        ledger.close()
    if read.problems:
        _problems(read, lang)
        raise typer.Exit(1)
    _say(ui(f"ledger_{kind}_done", lang, n=count, batch=name, where=describe(target)))


@app.command("record")
def record_cmd(
    file: Annotated[Path, typer.Argument(help="拨付名单（audit --payments 写出的可拨付名单）")],
    paid_on: Annotated[str, typer.Option("--paid-on", help="实际拨付日期")],
    batch: Annotated[str | None, typer.Option("--batch", help="批次名称（缺省自动生成）")] = None,
    ledger: LedgerOpt = ...,
    lang: LangOpt = "zh",
) -> None:
    """记录实际拨付的人员（名单中有什么就记录什么）· Record the people actually paid."""
    from . import record

    day = _date(paid_on, lang)
    _add("record", ledger, file, lang, lambda led: record(led, file, day, batch))


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="历史拨付记录 .xlsx / .csv（平台导出或台账导出）")],
    batch: Annotated[str | None, typer.Option("--batch", help="批次名称（缺省自动生成）")] = None,
    ledger: LedgerOpt = ...,
    lang: LangOpt = "zh",
) -> None:
    """导入以往的拨付记录 · Load past payments from another source."""
    from . import import_history

    _add("import", ledger, file, lang, lambda led: import_history(led, file, batch))


def _emit(rows: list[dict[str, Any]], columns: list[str], title: str, as_json: bool, lang: str):
    from ..report import json_out, terminal

    if as_json:
        sys.stdout.write(json_out.dumps(rows) + "\n")
        return
    shown = [{k: _text(v) for k, v in r.items()} for r in rows]
    terminal.print_rows(
        Console(highlight=False), title, shown, [(c, ui(f"ledger_col_{c}", lang)) for c in columns]
    )


def _text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


BATCH_COLUMNS = ["name", "kind", "payments", "paid_on", "recorded_at", "recorded_by", "source_file"]


@app.command("batches")
def batches_cmd(ledger: LedgerOpt = ..., as_json: JsonOpt = False, lang: LangOpt = "zh") -> None:
    """列出已记录的批次 · List the recorded batches."""
    from ..ids import scrub

    led = _open(ledger, lang)
    try:
        rows = [
            {**{k: _text(b[k]) for k in BATCH_COLUMNS}, "sha256": b["source_sha256"]}
            for b in led.batch_rows()
        ]
    finally:
        led.close()
    for r in rows:
        r["source_file"] = scrub(r["source_file"])
    _emit(rows, BATCH_COLUMNS, ui("ledger_batches_title", lang), as_json, lang)


SHOW_COLUMNS = [
    "id_number",
    "student",
    "class_id",
    "occupation",
    "level",
    "training_type",
    "end_date",
    "amount",
    "paid_on",
    "batch",
]


@app.command("show")
def show_cmd(
    id_number: Annotated[str, typer.Option("--id", help="身份证号")],
    ledger: LedgerOpt = ...,
    show_pii: ShowPiiOpt = False,
    as_json: JsonOpt = False,
    lang: LangOpt = "zh",
) -> None:
    """一个人的全部拨付记录 · Every payment of one person."""
    from ..ids import mask_id

    led = _open(ledger, lang)
    try:
        found = led.payments_of(id_number.strip().upper())
    finally:
        led.close()
    rows = []
    for p in found:
        amount = p["amount_fen"]
        rows.append(
            {
                **{k: _text(p[k]) for k in SHOW_COLUMNS if k not in ("amount", "student")},
                "student": p["name"],
                "id_number": p["id_number"] if show_pii else mask_id(p["id_number"]),
                "amount": None if amount is None else f"{amount // 100}.{amount % 100:02d}",
            }
        )
    if not rows:
        _say(ui("ledger_no_payments", lang))
    _emit(rows, SHOW_COLUMNS, ui("ledger_show_title", lang), as_json, lang)


@app.command("undo")
def undo_cmd(
    batch: Annotated[str, typer.Argument(help="要撤销的批次名称（ledger batches 列出）")],
    ledger: LedgerOpt = ...,
    lang: LangOpt = "zh",
) -> None:
    """撤销一个批次（一个事务内删除，并记入日志）· Remove a recorded batch (logged)."""
    from .store import LedgerError

    led = _open(ledger, lang)
    try:
        removed = led.undo(batch)
    except LedgerError as exc:
        _err(ui(exc.key, lang, **exc.params))
        raise typer.Exit(1) from None
    finally:
        led.close()
    _say(ui("ledger_undo_done", lang, batch=batch, n=removed))


@app.command("verify")
def verify_cmd(ledger: LedgerOpt = ..., lang: LangOpt = "zh") -> None:
    """核验台账的完整性 · Check the ledger's integrity."""
    from .store import describe

    led = _open(ledger, lang)
    try:
        problems = led.verify()
        batches = len(led.batch_rows())
    finally:
        led.close()
    for key, params in problems:
        _err(ui(f"ledger_{key}", lang, **params))
    if problems:
        raise typer.Exit(1)
    _say(ui("ledger_verify_ok", lang, where=describe(ledger), batches=batches))


# the export's headers: the import's own (so ``ledger import`` reads an export back)
EXPORT_HEADERS = [
    ("batch", "批次"),
    ("paid_on", "拨付日期"),
    ("class_id", "班级编号"),
    ("institution", "培训机构"),
    ("occupation", "培训工种"),
    ("level", "等级"),
    ("training_type", "培训类型"),
    ("end_date", "结业日期"),
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("amount", "补贴金额"),
]


@app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Argument(help="导出的 .xlsx 文件")],
    ledger: LedgerOpt = ...,
    show_pii: ShowPiiOpt = False,
    lang: LangOpt = "zh",
) -> None:
    """导出全部拨付记录为 .xlsx（身份证号默认脱敏；--show-pii 导出可再导入的完整副本）· Export."""
    from decimal import Decimal

    from ..ids import mask_id
    from ..report.excel import write_sheets
    from ..report.output import OutputError

    if output.suffix.lower() != ".xlsx":
        _err(ui("bad_option", lang, option="FILE", value=str(output)))
        raise typer.Exit(2)
    led = _open(ledger, lang)
    try:
        found = led.payments_of()
    finally:
        led.close()
    rows = []
    for p in found:
        values = dict(p)
        fen = values.pop("amount_fen")
        values["amount"] = None if fen is None else float(Decimal(fen) / 100)
        if not show_pii:
            values["id_number"] = mask_id(values["id_number"])
        rows.append([_text(values.get(k)) for k, _ in EXPORT_HEADERS])
    headers = [h for _, h in EXPORT_HEADERS]
    try:
        write_sheets(output, [("拨付记录", headers, rows, set())], kind="ledger")
    except OutputError as exc:
        _err(exc.message(lang))
        raise typer.Exit(2) from None
    _say(ui("ledger_export_done", lang, n=len(rows), path=str(output)))
