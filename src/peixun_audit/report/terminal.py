"""Terminal writer: rich tables of the summary, input problems, findings, attendance."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..messages import ui

# C0/C1 control characters (but tab and newline: ESC starts every terminal escape
# sequence, CSI and OSC alike), the bidi overrides and marks, and the Unicode line
# separators: never sent to a terminal, whatever a cell, a sheet or a file name held
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def safe(value: Any) -> str:
    """Text that may hold input data, fit for a terminal: control characters replaced
    by U+FFFD. Every string the CLI prints goes through it (or :func:`_text`)."""
    return _CONTROL.sub("\ufffd", "" if value is None else str(value))


def _text(value: Any) -> Text:
    """A cell as plain text: markup in the input (``[/bold]张三``) is printed as it is,
    never interpreted, and control characters are replaced (a styled ``Text`` too)."""
    if isinstance(value, Text):
        clean = value.copy()
        clean.plain = safe(value.plain)  # same length: the styles keep their spans
        return clean
    return Text(safe(value))


def _add_row(table: Table, *cells: Any, style: str | None = None) -> None:
    table.add_row(*(_text(c) for c in cells), style=style)


MAX_ROWS = 300
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _source(src: dict[str, Any] | None) -> str:
    if not src:
        return ""
    parts = [src["file"]]
    if src.get("sheet"):
        parts.append(str(src["sheet"]))
    if src.get("cell"):
        parts.append(str(src["cell"]))
    elif src.get("row"):
        parts.append(f"#{src['row']}")
    return " / ".join(parts)


def _tail(console: Console, total: int, lang: str) -> None:
    if total > MAX_ROWS:
        console.print(Text(ui("more_rows", lang, n=total - MAX_ROWS)), style="dim")


def print_summary(console: Console, summary: dict[str, Any], lang: str) -> None:
    table = Table(title=ui("summary_title", lang), show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    _add_row(table, ui("files", lang), str(summary["files"]))
    _add_row(table, ui("files_failed", lang), str(summary["files_failed"]))
    if summary.get("files_skipped"):  # copies, own reports, other formats: listed above
        _add_row(table, ui("files_skipped", lang), str(summary["files_skipped"]))
    _add_row(table, ui("problems", lang), str(summary["input_problems"]))
    _add_row(table, ui("classes", lang), str(summary["classes"]))
    _add_row(table, ui("students", lang), str(summary["students"]))
    for severity, n in summary["by_severity"].items():
        _add_row(
            table,
            f"{ui('findings', lang)} · {ui(severity, lang)}",
            str(n),
            style=SEVERITY_STYLE[severity] if n else None,
        )
    for article, n in summary["by_article"].items():
        label = article if not article.isdigit() else ui("article_n", lang, n=article)
        _add_row(table, f"  {label}", str(n))
    if summary.get("rules_applied"):  # `validate` applies none: eligibility would mean nothing
        _add_row(table, ui("eligible", lang), str(summary["eligible"]))
        _add_row(table, ui("blocked", lang), str(summary["blocked"]))
        undetermined = summary["undetermined"]
        _add_row(
            table,
            ui("undetermined", lang),
            str(undetermined),
            style="yellow" if undetermined else None,
        )
    console.print(table)


def print_incomplete(console: Console, incomplete: list[dict[str, Any]], lang: str) -> None:
    """Why nobody could be found eligible: said before the summary, never left out."""
    for item in incomplete:
        line = Text(safe(f"{ui('audit_incomplete', lang)}: {item['message']}"))
        console.print(line, style="bold yellow")


def print_ledger(console: Console, ledger: dict[str, Any] | None) -> None:
    """Whether payments outside the batch were checked (S01 rules): said plainly."""
    if ledger:
        style = "" if ledger["checked"] else "bold yellow"
        console.print(ledger["message"], style=style, markup=False)


def print_dossiers(console: Console, dossiers: list[dict[str, Any]], lang: str) -> None:
    """The per-class completeness table: each document found, missing, or not required."""
    if not dossiers:
        return
    table = Table(title=ui("dossier_title", lang))
    table.add_column(ui("class_id", lang), no_wrap=True, min_width=10)  # ids never cut
    kinds = list(dossiers[0]["documents"])
    for kind in kinds:
        table.add_column(ui(f"doc_{kind}", lang), justify="center")
    table.add_column(ui("dossier_complete", lang), justify="center")
    for d in dossiers:
        cells = []
        for kind in kinds:
            doc = d["documents"][kind]
            key = (
                "doc_found"
                if doc["files"]
                else "doc_missing"
                if doc["required"]
                else "doc_not_required"
            )
            cells.append(Text(ui(key, lang), style="red" if key == "doc_missing" else ""))
        done = ui("yes" if d["complete"] else "no", lang)
        _add_row(table, d["class_id"], *cells, Text(done, style="" if d["complete"] else "red"))
    console.print(table)


def print_problems(console: Console, inputs: list[dict[str, Any]], lang: str) -> None:
    rows = [(f, p) for f in inputs for p in f["problems"]]
    if not rows:
        return
    table = Table(title=ui("problems_title", lang))
    table.add_column(ui("source", lang), overflow="fold")
    table.add_column(ui("severity", lang))
    table.add_column(ui("message", lang), overflow="fold")
    for _, p in rows[:MAX_ROWS]:
        _add_row(
            table,
            _source(p),
            ui(p["severity"], lang),
            p["message"],
            style=SEVERITY_STYLE.get(p["severity"]),
        )
    console.print(table)
    _tail(console, len(rows), lang)


def print_findings(console: Console, findings: list[dict[str, Any]], lang: str) -> None:
    if not findings:
        return
    table = Table(title=ui("findings_title", lang))
    for key in ("code", "severity", "class_id", "student_name", "id_number", "message", "source"):
        table.add_column(ui(key, lang), overflow="fold")
    for f in findings[:MAX_ROWS]:
        _add_row(
            table,
            f["code"],
            ui(f["severity"], lang),
            f["class_id"] or "",
            f["student_name"] or "",
            f["id_number"] or "",
            f["message"],
            _source(f["source"]),
            style=SEVERITY_STYLE[f["severity"]] if f["severity"] == "error" else None,
        )
    console.print(table)
    _tail(console, len(findings), lang)


def print_attendance(
    console: Console, rows: list[dict[str, Any]], threshold_below: set[int], lang: str
) -> None:
    table = Table(title=ui("attendance_title", lang))
    for key in ("class_id", "student_name", "id_number", "planned_hours", "attended_hours", "rate"):
        table.add_column(
            ui(key, lang), justify="right" if "hours" in key or key == "rate" else "left"
        )
    for i, r in enumerate(rows[:MAX_ROWS]):
        rate = "—" if r["rate"] is None else f"{100 * r['rate']:.2f}%"
        unit = "" if r["basis"] == "hours" else f" ({ui('basis_sessions', lang)})"
        _add_row(
            table,
            r["class_id"],
            r["student_name"] or "",
            r["id_number"] or "",
            f"{r['planned_hours']:g}{unit}",
            f"{r['attended_hours']:g}",
            rate,
            style="bold red" if i in threshold_below else None,
        )
    console.print(table)
    _tail(console, len(rows), lang)


def print_rows(
    console: Console,
    title: str,
    rows: list[dict[str, Any]],
    columns: list[tuple[str, str]],
    red: set[int] | None = None,
    lang: str = "zh",
) -> None:
    """A generic table: ``columns`` are (row key, header label)."""
    table = Table(title=title)
    for _, label in columns:
        table.add_column(label, overflow="fold")
    for i, r in enumerate(rows[:MAX_ROWS]):
        cells = []
        for key, _ in columns:
            value = r.get(key)
            if isinstance(value, float):
                value = (
                    f"{value:.2%}"
                    if key in ("coverage", "average_rate", "eligible_share")
                    else f"{value:g}"
                )
            elif isinstance(value, bool):
                value = "✔" if value else "✘"
            cells.append("" if value is None else str(value))
        _add_row(table, *cells, style="bold red" if red and i in red else None)
    console.print(table)
    _tail(console, len(rows), lang)
