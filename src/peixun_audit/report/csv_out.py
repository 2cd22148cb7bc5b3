"""CSV writer: one table, UTF-8 with BOM so Excel opens Chinese text correctly.

A value starting with ``=``, ``+``, ``-`` or ``@`` is prefixed with ``'`` so no
spreadsheet evaluates it as a formula (CSV injection).

In English (``--lang en``) the columns are the JSON keys and the values as in the JSON
document, for scripts. In Chinese (the default) the CSV is for people opening it in
Excel: Chinese headers, severities, statuses and yes/no in words, rates as
percentages, rule names in Chinese, the location in its own columns; the typed
evidence and the variant slug are left to the JSON and English outputs (the message
says the same in words). Its last column, empty, is headed ``peixun-audit``: the
loader knows the file for the tool's own output by it (``own-report``), since the
Chinese headers are those of input tables too. See docs/TERMINAL.md.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..load.sniff import OUTPUT_MARK
from ..messages import UI, article_label, ui
from .output import write_text

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

# columns of the machine-readable rows that a person does not need (zh)
_ZH_DROPPED = {"variant", "evidence", "grade_en", "explanation_en", "explanation_zh", "classes_n"}
_PERCENT = {"rate", "coverage", "average_rate", "eligible_share"}
# header keys where the row key reads differently in a table (messages.UI)
_HEADER = {"path": "file", "sheets": "sheet", "problems": "problems_list"}


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


def _where(problem: dict[str, Any]) -> str:
    place = [str(problem[k]) for k in ("sheet", "cell") if problem.get(k)]
    if not problem.get("cell") and problem.get("row"):
        place.append(f"#{problem['row']}")
    return " ".join(place)


def _zh_value(key: str, value: Any, row: dict[str, Any]) -> Any:
    """A value in words for a Chinese reader."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ui("yes" if value else "no")
    if key in _PERCENT and isinstance(value, int | float):
        return f"{100 * value:.2f}%"
    if key == "severity":
        return ui(value) if value in UI else value
    if key == "status":
        for prefix in ("status_", "file_status_"):
            if f"{prefix}{value}" in UI:
                return ui(f"{prefix}{value}")
        return value
    if key == "basis":
        return ui(f"basis_{value}") if f"basis_{value}" in UI else value
    if key == "article":
        return ui("article_n", n=value)
    if key == "name" and row.get("code"):
        from ..explain_zh import EXPLAIN_ZH

        text = EXPLAIN_ZH.get(row["code"])
        return text.name if text else value
    if key == "by_article" and isinstance(value, dict):
        return "；".join(f"{article_label(a)} {n}" for a, n in value.items())
    if key == "sheets" and isinstance(value, list):
        return "、".join(str(s.get("name")) for s in value if isinstance(s, dict))
    if key == "problems" and isinstance(value, list):
        return "；".join(
            f"{_where(p)}：{p['message']}" if _where(p) else p["message"] for p in value
        )
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _zh_row(row: dict[str, Any]) -> dict[str, Any]:
    """One row with Chinese headers and values."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in _ZH_DROPPED:
            continue
        if key == "article" and value is None and str(row.get("code", "")).startswith("X"):
            out[ui("article")] = ui("rule_fraud")
            continue
        if key == "source":
            source = value or {}
            for part in ("file", "sheet", "row", "cell"):
                out[ui(part)] = source.get(part)
            continue
        label = _HEADER.get(key, key)
        out[ui(label) if label in UI else key] = _zh_value(key, value, row)
    return out


def dumps(rows: list[dict[str, Any]], lang: str = "en") -> str:
    flat = [_zh_row(r) for r in rows] if lang == "zh" else [_flat(r) for r in rows]
    fields: list[str] = []
    for r in flat:
        fields.extend(k for k in r if k not in fields)
    if lang == "zh":
        # an empty last column naming the tool: its Chinese headers are those of input
        # tables too, and the loader must not read this file back as data (own-report)
        fields.append(OUTPUT_MARK)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in flat:
        writer.writerow({k: neutralise(v) for k, v in r.items()})
    return buffer.getvalue()


def write(rows: list[dict[str, Any]], path, lang: str = "en") -> None:
    """Write the rows to ``path`` atomically (a temporary file renamed into place)."""
    write_text(path, dumps(rows, lang), encoding="utf-8-sig")
