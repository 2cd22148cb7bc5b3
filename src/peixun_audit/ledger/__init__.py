"""The subsidy ledger: every training subsidy already paid, across batches and years.

``store`` is the database (SQLite file or PostgreSQL URL), ``sources`` reads the files
it is fed, ``commands`` is the ``peixun-audit ledger`` Typer sub-app. The audit reads
the ledger once, before the rules run (:func:`payments_table`), and hands the rows to
the S01xx rules as the table ``ledger``: the rules never open a database.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sources import PaymentFile
    from .store import Ledger

# SQLAlchemy and the readers are imported when first used, not when the CLI starts
_LAZY = {
    "LedgerError": "store",
    "Ledger": "store",
    "describe": "store",
    "open_ledger": "store",
    "read_payment_file": "sources",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)


ENV = "PEIXUN_LEDGER"

# the columns of the ``ledger`` table the rules read (one row per payment)
COLUMNS = (
    "id_number",
    "name",
    "class_id",
    "occupation",
    "level",
    "training_type",
    "end_date",
    "paid_on",
    "batch",
)


def record(
    ledger: Ledger, path: Path, paid_on: dt.date, batch: str | None
) -> tuple[PaymentFile, str | None, int]:
    """Record the people a disbursement list holds as paid on ``paid_on``: (the file
    read, the batch name, payments recorded). Nothing is written when the file has
    problems."""
    from .sources import read_payment_file

    read = read_payment_file(path, require_paid_on=False, paid_on=paid_on)
    if read.problems:
        return read, None, 0
    name, count = ledger.add_batch(
        name=batch,
        kind="record",
        source_file=os.path.basename(path),
        sha256=read.sha256,
        paid_on=paid_on,
        rows=read.rows,
    )
    return read, name, count


def import_history(
    ledger: Ledger, path: Path, batch: str | None
) -> tuple[PaymentFile, str | None, int]:
    """Load past payments (each row with its own 拨付日期) as one batch."""
    from .sources import read_payment_file

    read = read_payment_file(path, require_paid_on=True)
    if read.problems:
        return read, None, 0
    name, count = ledger.add_batch(
        name=batch,
        kind="import",
        source_file=os.path.basename(path),
        sha256=read.sha256,
        paid_on=None,
        rows=read.rows,
    )
    return read, name, count


def payments_table(target: str, id_numbers: Iterable[str]):
    """The ``ledger`` table for the audit: the payments of these people."""
    import pandas as pd

    from .store import LedgerError, is_url, open_ledger

    if not is_url(target) and not os.path.isfile(target):  # a typo must not mean "no payments"
        raise LedgerError("ledger_missing", where=target)
    ledger = open_ledger(target, create=False)
    try:
        rows = ledger.payments_for(id_numbers)
    finally:
        ledger.close()
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    return empty_table() if frame.empty else _typed(frame)


def frame_of(records: list[dict]):
    """A ``ledger`` table from payment records (mappings of :data:`COLUMNS`)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(
        [{c: r.get(c) for c in COLUMNS} for r in records], columns=list(COLUMNS)
    )
    return _typed(frame) if len(frame) else empty_table()


def empty_table():
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return _typed(frame)


def _typed(frame):
    import pandas as pd

    for col in ("end_date", "paid_on"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


__all__ = [
    "COLUMNS",
    "ENV",
    "Ledger",
    "LedgerError",
    "describe",
    "empty_table",
    "import_history",
    "open_ledger",
    "payments_table",
    "record",
]
