"""Terminal writer: the summary first, then the per-class table, the findings grouped
by class, the input problems by severity; compact at 80 columns (docs/TERMINAL.md).

Long messages are wrapped below their row with a hanging indent, never folded into a
narrow column, and never broken inside a number, a date or an English word. Marks
(✘ ▲ ✔) fall back to plain ones when the console's encoding cannot show them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ..messages import article_label, ui

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


MAX_ROWS = 300  # rows of a table, findings of the list: all of them with --verbose
MAX_PROBLEMS = 20  # input problems listed without --verbose (errors come first)
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITIES = ("error", "warning", "info")

# (mark, plain fallback): the fallback when the console's encoding lacks the mark (a
# GBK console has none of ✘ ✔); ``yes``/``no`` fall back to the words 是/否
MARKS = {
    "error": ("✘", "x"),
    "warning": ("▲", "!"),
    "info": ("•", "i"),
    "yes": ("✔", None),
    "no": ("✘", None),
}

# where a line may not break: inside a run of letters, digits and their punctuation
# (a date, a number, an English word, a path), and before closing or after opening
# punctuation; between two Chinese characters it may
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_OPEN = "（「『“‘《〔【"
_CLOSE = "，。；：、）」』”’》〕】！？…"
_TOKEN = rf"[{_OPEN}]*(?:[^\s{_CJK}{_OPEN}{_CLOSE}]+|[{_CJK}])[{_CLOSE}]*|\s+|."


@cache
def _tokens() -> re.Pattern[str]:
    """``_TOKEN`` compiled on first use: 4 ms that ``rules`` and ``--help`` never need."""
    return re.compile(_TOKEN, re.S)


def marks(console: Console, lang: str = "zh") -> dict[str, str]:
    """The marks this console can show; plain ones where its encoding cannot."""
    encoding = console.encoding or "utf-8"
    shown = {}
    for key, (mark, plain) in MARKS.items():
        try:
            mark.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            mark = plain if plain is not None else ui(key, lang)
        shown[key] = mark
    return shown


def wrap_offsets(plain: str, width: int, indent: int) -> list[int]:
    """Where to break ``plain`` into lines of at most ``width`` cells, continuation
    lines indented by ``indent``: between tokens only (a token wider than a line is
    cut by character)."""
    breaks: list[int] = []
    used = 0
    limit = width
    pos = 0
    for match in _tokens().finditer(plain):
        token = match.group()
        size = cell_len(token)
        if used + size > limit and used > 0 and not token.isspace():
            breaks.append(pos)
            limit = max(width - indent, 10)
            used = 0
        if token.isspace() and used == 0 and breaks:
            pos = match.end()
            continue
        while size > limit:  # a token longer than a whole line: cut it by cells
            cut, taken = 0, 0
            for ch in token:
                if taken + cell_len(ch) > limit - used:
                    break
                taken += cell_len(ch)
                cut += 1
            cut = max(cut, 1)
            pos += cut
            breaks.append(pos)
            token = token[cut:]
            size = cell_len(token)
            limit = max(width - indent, 10)
            used = 0
        used += size
        pos = match.end()
    return breaks


def _paragraph(console: Console, text: Text, indent: int = 4, lead: int = 0) -> int:
    """Print ``text`` wrapped at the console width, continuation lines indented; the
    number of lines printed."""
    width = max(console.width - lead, 20)
    lines = text.divide(wrap_offsets(text.plain, width, indent))
    for i, line in enumerate(lines):
        if i:
            line = _lstrip_after(Text(" " * indent) + line, indent)
        line.rstrip()
        console.print(Text(" " * lead) + line, no_wrap=True, overflow="ignore", crop=False)
    return len(lines)


def _lstrip_after(line: Text, indent: int) -> Text:
    """A continuation line without the spaces it started with (after the indent)."""
    body = line[indent:]
    stripped = len(body.plain) - len(body.plain.lstrip(" "))
    return line[:indent] + body[stripped:]


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


def _tail(console: Console, total: int, shown: int, lang: str) -> None:
    if total > shown:
        console.print(ui("more_rows_verbose", lang, n=total - shown), style="dim", markup=False)


def _counts(counts: dict[str, int], lang: str) -> str:
    joiner = "，" if lang == "zh" else ", "
    return joiner.join(f"{ui(s, lang)} {counts.get(s, 0)}" for s in SEVERITIES)


def _title(console: Console, title: str, note: str = "") -> None:
    line = Text(title, style="bold")
    if note:
        line.append("  " + note, style="dim")
    console.print()
    _paragraph(console, line, indent=2)


def print_summary(
    console: Console, summary: dict[str, Any], lang: str, doc: dict[str, Any] | None = None
) -> None:
    """The summary, first: scope, files, students by status, findings by severity and
    by article, in a few lines."""
    doc = doc or {}
    joiner = "，" if lang == "zh" else ", "
    rulesets = (
        "、".join(r["name"] for r in doc.get("ruleset", []))
        if lang == "zh"
        else (", ".join(r["name"] for r in doc.get("ruleset", [])))
    )
    note = ui("sum_scope", lang, as_of=doc["as_of"], rulesets=rulesets) if doc else ""
    console.print(Text(ui("summary_title", lang), style="bold") + Text("  " + note, style="dim"))
    problems = Counter(p["severity"] for f in doc.get("inputs", []) for p in f["problems"])
    files = ui(
        "sum_files",
        lang,
        files=summary["files"],
        failed=summary["files_failed"],
        partial=summary.get("files_partial", 0),
        skipped=summary.get("files_skipped", 0),
        problems=summary["input_problems"],
    )
    if summary["input_problems"]:  # by severity, in brackets
        counts = _counts(problems, lang)
        files += f"（{counts}）" if lang == "zh" else f" ({counts})"
    lines = [(files, "bold red" if summary["files_failed"] else None)]
    if summary.get("rules_applied"):  # `validate` applies none: eligibility would mean nothing
        lines.append(
            (
                ui(
                    "sum_students",
                    lang,
                    classes=summary["classes"],
                    students=summary["students"],
                    eligible=summary["eligible"],
                    blocked=summary["blocked"],
                    undetermined=summary["undetermined"],
                ),
                "yellow" if summary["undetermined"] else None,
            )
        )
        lines.append(
            (
                ui(
                    "sum_findings",
                    lang,
                    n=summary["findings"],
                    by=_counts(summary["by_severity"], lang),
                ),
                "bold red" if summary["by_severity"].get("error") else None,
            )
        )
        by_article = [f"{article_label(a, lang)} {n}" for a, n in summary["by_article"].items()]
        if by_article:
            lines.append((ui("sum_articles", lang, by=joiner.join(by_article)), None))
        if summary.get("rules_failed"):
            lines.append((f"{ui('rules_failed', lang)} {summary['rules_failed']}", "bold red"))
    elif summary.get("classes"):
        lines.append(
            (ui("sum_read", lang, classes=summary["classes"], students=summary["students"]), None)
        )
    for text, style in lines:
        _paragraph(console, Text("  " + text, style=style or ""), indent=4)


def print_incomplete(console: Console, incomplete: list[dict[str, Any]], lang: str) -> None:
    """Why nobody could be found eligible: said under the summary, never left out."""
    for item in incomplete:
        _paragraph(
            console,
            Text(
                safe(
                    f"  {ui('audit_incomplete', lang)}{'：' if lang == 'zh' else ': '}"
                    f"{item['message']}"
                ),
                style="bold yellow",
            ),
            indent=4,
        )


def _missing_documents(dossier: dict[str, Any], lang: str) -> str:
    missing = [
        ui(f"doc_{kind}", lang)
        for kind, doc in dossier["documents"].items()
        if doc["required"] and not doc["files"]
    ]
    if not missing:
        return ui("complete", lang)
    return ui("doc_lacking", lang, docs=("、" if lang == "zh" else ", ").join(missing))


def class_rows(doc: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """One row a class: students, documents, findings by severity, students by status."""
    classes: dict[str, dict[str, Any]] = {}

    def row(cid: str) -> dict[str, Any]:
        return classes.setdefault(
            cid,
            {
                "class_id": cid,
                "students": 0,
                "documents": "",
                **dict.fromkeys(SEVERITIES, 0),
                "eligible": 0,
                "blocked": 0,
                "undetermined": 0,
            },
        )

    for d in doc.get("dossiers", []):
        row(d["class_id"])["documents"] = _missing_documents(d, lang)
    for e in doc.get("eligibility", []):
        r = row(e["class_id"])
        r["students"] += 1
        r[e["status"]] = r.get(e["status"], 0) + 1
    for f in doc.get("findings", []):
        if f["class_id"]:
            row(f["class_id"])[f["severity"]] += 1
    return [classes[c] for c in sorted(classes)]


def print_classes(console: Console, doc: dict[str, Any], lang: str) -> None:
    """The per-class table: compact, numbers right-aligned, the missing documents named."""
    rows = class_rows(doc, lang)
    if not rows:
        return
    _title(console, ui("classes_title", lang))
    # one space between columns (the box's own separator): the table fits 80 columns
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False, show_edge=False)
    table.add_column(ui("class_id", lang), no_wrap=True)
    table.add_column(ui("students_short", lang), justify="right", no_wrap=True)
    for key in ("errors", "warnings", "infos", "eligible", "blocked", "undetermined"):
        table.add_column(ui(key, lang), justify="right", no_wrap=True)
    table.add_column(ui("documents_short", lang), overflow="fold", ratio=1)
    for r in rows:
        style = {
            "error": "red" if r["error"] else "dim",
            "blocked": "red" if r["blocked"] else "dim",
            "undetermined": "yellow" if r["undetermined"] else "dim",
        }
        table.add_row(
            _text(r["class_id"]),
            str(r["students"]),
            Text(str(r["error"]), style=style["error"]),
            str(r["warning"]),
            str(r["info"]),
            str(r["eligible"]),
            Text(str(r["blocked"]), style=style["blocked"]),
            Text(str(r["undetermined"]), style=style["undetermined"]),
            Text(r["documents"], style="" if r["documents"] == ui("complete", lang) else "red"),
        )
    console.print(table)


def print_ledger(console: Console, ledger: dict[str, Any] | None) -> None:
    """Whether payments outside the batch were checked (S01 rules): said plainly."""
    if ledger:
        style = "" if ledger["checked"] else "yellow"
        _paragraph(console, Text("  " + safe(ledger["message"]), style=style), indent=4)


def print_dossiers(console: Console, dossiers: list[dict[str, Any]], lang: str) -> None:
    """The per-class completeness table: each document found, missing, or not required
    (with --verbose; the class table names what is missing)."""
    if not dossiers:
        return
    _title(console, ui("dossier_title", lang))
    table = Table(
        box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False, collapse_padding=True
    )
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


def _severity_order(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def print_problems(
    console: Console, inputs: list[dict[str, Any]], lang: str, verbose: bool = False
) -> None:
    """Input problems, errors first: where (file / sheet / cell) and why."""
    rows = [p for f in inputs for p in f["problems"]]
    if not rows:
        return
    rows.sort(key=lambda p: _severity_order(p["severity"]))  # stable: file order within
    counts = Counter(p["severity"] for p in rows)
    # notes (how a sheet was read, a footer skipped) are counted here and listed with
    # --verbose: the default view is for what needs someone's attention
    listed = rows if verbose else [p for p in rows if p["severity"] != "info"]
    shown = listed if verbose else listed[:MAX_PROBLEMS]
    mark = marks(console, lang)
    _title(console, ui("problems_title", lang), _counts(counts, lang))
    for p in shown:
        line = Text("  ")
        line.append(mark.get(p["severity"], "?"), style=SEVERITY_STYLE.get(p["severity"], ""))
        line.append(" ")
        line.append(_text(_source(p)))
        line.append(_text(" " + p["message"]))
        _paragraph(console, line, indent=4)
    _tail(console, len(listed), len(shown), lang)
    if len(listed) < len(rows):
        console.print(Text(ui("notes_hidden", lang, n=len(rows) - len(listed))), style="dim")


def print_findings(
    console: Console, findings: list[dict[str, Any]], lang: str, verbose: bool = False
) -> None:
    """The findings grouped by class, errors first in each: one entry a finding, its
    message flowing after the code and the student, continued below with an indent.
    With --verbose, each entry also gives the ID number and the location."""
    if not findings:
        return
    shown = findings if verbose else findings[:MAX_ROWS]
    mark = marks(console, lang)
    _title(
        console,
        ui("findings_title", lang),
        _counts(Counter(f["severity"] for f in findings), lang),
    )
    # the fraud signals' "(舞弊风险信号，非条款违规)" said once, above the list, not on
    # every X line (about ten lines of an 80-column run)
    suffix = ui("fraud_signal", lang)
    if any(f["code"].startswith("X") for f in shown):
        legend = Text("  " + ui("fraud_legend", lang), style="dim")
        _paragraph(console, legend, indent=4)
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in shown:
        groups.setdefault(f["class_id"] or "", []).append(f)
    for cid in sorted(groups, key=lambda c: (c == "", c)):
        group = sorted(groups[cid], key=lambda f: _severity_order(f["severity"]))
        head = Text(safe(cid) if cid else ui("no_class", lang), style="bold")
        institution = next((f["institution"] for f in group if f.get("institution")), None)
        if institution:
            head.append("  ")
            head.append(_text(institution))
        counts = Counter(f["severity"] for f in group)
        head.append(
            "  " + "，".join(f"{ui(s, lang)} {counts[s]}" for s in SEVERITIES if counts[s])
            if lang == "zh"
            else "  " + ", ".join(f"{ui(s, lang)} {counts[s]}" for s in SEVERITIES if counts[s]),
            style="dim",
        )
        _paragraph(console, head, indent=2)
        for f in group:
            line = Text("  ")
            line.append(f"{mark[f['severity']]} {f['code']}", style=SEVERITY_STYLE[f["severity"]])
            if f["student_name"]:
                line.append(" ")
                name = _text(f["student_name"]).copy()
                name.stylize("bold")
                line.append_text(name)
            if verbose and f["id_number"]:
                line.append(_text(" " + f["id_number"]))
            message = f["message"]
            if f["code"].startswith("X") and message.endswith(suffix):
                message = message[: -len(suffix)]
            line.append(_text(" " + message))
            _paragraph(console, line, indent=4)
            if verbose and f["source"]:
                _paragraph(console, Text("    ") + _text(_source(f["source"])).copy(), indent=6)
    _tail(console, len(findings), len(shown), lang)


def print_report(
    console: Console, doc: dict[str, Any], lang: str, primary: str, verbose: bool = False
) -> None:
    """The whole terminal report of ``audit`` / ``attendance`` / ``validate``: summary,
    what made the audit incomplete, input problems, the per-class table (and with
    --verbose the dossier table), attendance for ``attendance``, the findings."""
    print_summary(console, doc["summary"], lang, doc)
    print_incomplete(console, doc["incomplete"], lang)
    if primary == "findings":
        print_ledger(console, doc.get("ledger"))
    print_problems(console, doc["inputs"], lang, verbose)
    if primary == "findings":
        print_classes(console, doc, lang)
        if verbose:
            print_dossiers(console, doc["dossiers"], lang)
    if primary == "attendance":
        below = {i for i, r in enumerate(doc["attendance"]) if r["passes"] is False}
        print_attendance(console, doc["attendance"], below, lang, verbose)
    print_findings(console, doc["findings"], lang, verbose)


def print_attendance(
    console: Console,
    rows: list[dict[str, Any]],
    threshold_below: set[int],
    lang: str,
    verbose: bool = False,
) -> None:
    _title(console, ui("attendance_title", lang))
    table = Table(
        box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False, collapse_padding=True
    )
    for key in ("class_id", "student_name", "id_number", "planned_hours", "attended_hours", "rate"):
        table.add_column(
            ui(key, lang),
            justify="right" if "hours" in key or key == "rate" else "left",
            no_wrap=key in ("class_id", "id_number", "rate"),
        )
    shown = rows if verbose else rows[:MAX_ROWS]
    for i, r in enumerate(shown):
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
    _tail(console, len(rows), len(shown), lang)


def print_rows(
    console: Console,
    title: str,
    rows: list[dict[str, Any]],
    columns: list[tuple[str, str]],
    red: set[int] | None = None,
    lang: str = "zh",
) -> None:
    """A generic table: ``columns`` are (row key, header label). When the table would
    not fit the console without folding its cells (the review scorecard's sentences at
    80 columns), each row is printed as a short record instead: the first column as
    its heading, the short values on one wrapped line, each long text on its own."""
    mark = marks(console, lang)
    _title(console, title)
    shown = rows[:MAX_ROWS]
    cells_of = [_cells(r, columns, mark) for r in shown]
    table = Table(
        box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False, collapse_padding=True
    )
    for _, label in columns:
        table.add_column(label, overflow="fold")
    for i, cells in enumerate(cells_of):
        _add_row(table, *cells, style="bold red" if red and i in red else None)
    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum
    if natural <= console.width:
        console.print(table)
    else:
        for i, cells in enumerate(cells_of):
            _record(console, columns, cells, "bold red" if red and i in red else "bold", lang)
    _tail(console, len(rows), len(shown), lang)


def _cells(row: dict[str, Any], columns: list[tuple[str, str]], mark: dict[str, str]) -> list[str]:
    cells = []
    for key, _ in columns:
        value = row.get(key)
        if isinstance(value, float):
            value = (
                f"{value:.2%}"
                if key in ("coverage", "average_rate", "eligible_share")
                else f"{value:g}"
            )
        elif isinstance(value, bool):
            value = mark["yes"] if value else mark["no"]
        cells.append("" if value is None else str(value))
    return cells


LONG_CELL = 16  # cells wider than this go on a line of their own in the record layout


def _record(
    console: Console, columns: list[tuple[str, str]], cells: list[str], style: str, lang: str
) -> None:
    """One row as a record: heading, then ``label value`` pairs, then long texts."""
    colon = "：" if lang == "zh" else ": "
    head = _text(cells[0]).copy()
    head.stylize(style)
    _paragraph(console, head, indent=2)
    pairs = [
        f"{label} {value}"
        for (_, label), value in zip(columns[1:], cells[1:], strict=True)
        if value and cell_len(value) <= LONG_CELL
    ]
    if pairs:
        _paragraph(console, Text("  ") + _text(" · ".join(pairs)), indent=4)
    for (_, label), value in zip(columns[1:], cells[1:], strict=True):
        if value and cell_len(value) > LONG_CELL:
            _paragraph(console, Text(f"  {label}{colon}") + _text(value), indent=4)


def print_rule_list(console: Console, listing: list[dict[str, Any]], lang: str) -> None:
    """`peixun-audit rules`: code, name in the report language, article, severity."""
    console.print(Text(ui("rules_title", lang), style="bold"))
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False, show_edge=False)
    table.add_column(ui("code", lang), no_wrap=True)
    table.add_column(ui("name", lang))
    table.add_column(ui("article", lang), no_wrap=True)
    table.add_column(ui("severity", lang), no_wrap=True)
    for r in listing:
        article = (
            ui("rule_fraud", lang)
            if r["article"] is None
            else ui("article_n", lang, n=r["article"])
        )
        table.add_row(
            r["code"],
            Text(r["title"]),
            article,
            Text(ui(r["severity"], lang), style=SEVERITY_STYLE[r["severity"]]),
        )
    console.print(table)


def print_rule(console: Console, rule: dict[str, Any], lang: str) -> None:
    """`peixun-audit rules CODE`: the explanation in the report language, the messages
    of each variant, the parameters in the current ruleset."""
    head = Text(f"{rule['code']} {rule['title']}", style="bold")
    head.append(f"  {rule['article']} · {ui(rule['severity'], lang)}")
    if lang == "zh":
        head.append(f" · {rule['name']}", style="dim")
    _paragraph(console, head, indent=2)
    for label, body in rule["explanation"]:
        console.print()
        if label is None:  # the English docstring: its own paragraphs
            console.print(Text(body))
            continue
        _paragraph(console, Text(f"{label}：", style="bold") + Text(body), indent=2)
    console.print()
    heading = f"{ui('variants', lang)}:" if lang == "en" else f"{ui('rule_messages', lang)}："
    console.print(Text(heading, style="bold"))
    for variant, typed, template in rule["variants"]:
        if lang == "en":
            _paragraph(console, Text(f"  {variant} ({typed})"), indent=6)
            _paragraph(console, Text(f"    {template}"), indent=6)
        else:
            _paragraph(console, Text(f"  · {template}"), indent=4)
    if rule["params"]:
        console.print()
        label = ui("parameters", lang)
        console.print(
            Text(
                f"{label} ({rule['ruleset']}):"
                if lang == "en"
                else f"{label}（{rule['ruleset']}）：",
                style="bold",
            )
        )
        for key, value in rule["params"]:
            console.print(Text(f"  {key} = {value}"))
