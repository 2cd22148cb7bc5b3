"""CSV writer: one table, UTF-8 with BOM so Excel opens Chinese text correctly.

A value starting with ``=``, ``+``, ``-`` or ``@`` is prefixed with ``'`` so no
spreadsheet evaluates it as a formula (CSV injection)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .output import write_text

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key == "source" and isinstance(value, dict):
            for k, v in value.items():
                out[f"source_{k}"] = v
        elif isinstance(value, dict | list):
            out[key] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            out[key] = value
    return out


def dumps(rows: list[dict[str, Any]]) -> str:
    flat = [_flat(r) for r in rows]
    fields: list[str] = []
    for r in flat:
        fields.extend(k for k in r if k not in fields)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in flat:
        writer.writerow({k: neutralise(v) for k, v in r.items()})
    return buffer.getvalue()


def write(rows: list[dict[str, Any]], path) -> None:
    """Write the rows to ``path`` atomically (a temporary file renamed into place)."""
    write_text(path, dumps(rows), encoding="utf-8-sig")
