"""Excel writer: the audit report of SPEC §8, formatted to be signed and forwarded.

Sheets (zh names; English in ``--lang en``): 审核报告 (the cover: title and issuing
body, audit date, scope, conclusions in numbers, a chart of findings per article,
signature lines), 班级汇总 (one row a class), 问题清单 (findings: rule names,
severities and messages in words, the key numbers in their own columns), 到课率,
补贴资格 (reasons in words), 班级材料, 输入文件 and 规则参数 (parameters in words).

Print-ready (docs/REPORT.md): every sheet A4 landscape, one page wide, its header row
repeated on every page, a header with the report title and a footer with the audit
date and "page x of y"; the cover fits one page, so its chart is never cut. Strings
are always written as strings, so a value starting with ``=`` can never become a
formula. Every workbook is written to a temporary file renamed into place when
complete (``output.atomic_path``) and carries the custom document property
``peixun-audit`` saying what it is (``output.output_kind``).
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..messages import TERMS, article_label, param_label, rule_title, ui
from ..rules import RULES
from .output import KIND_CALL_SHEET, KIND_REPORT, PROPERTY, atomic_path
from .supervision import CALLBACK_COLUMNS, REVIEW_COLUMNS

# sheet keys in order; the names are ui(key) in the report language
SHEET_KEYS = (
    "cover_sheet",
    "classes_sheet",
    "findings_sheet",
    "attendance_sheet",
    "eligibility_sheet",
    "dossier_sheet",
    "inputs_sheet",
    "ruleset_sheet",
)
SHEETS = tuple(ui(k, "zh") for k in SHEET_KEYS)
KEY_VALUES = 3  # numbers of a finding's evidence shown in their own columns
NUMERIC = ("count", "percent", "hours")
# Excel's rows per sheet, the header included: a table longer than that continues on
# sheets named "问题清单 (2)", "问题清单 (3)"… (xlsxwriter drops rows past the limit
# without a word)
MAX_ROWS = 1_048_576


def _display_width(text: str) -> int:
    """Columns ``text`` takes: two for a Chinese character, one for ASCII (from the
    UTF-8 length, without a Python step per character: a city-year has 24,000 rows)."""
    n = len(text)
    return n + (len(text.encode("utf-8", "surrogatepass")) - n) // 2


def _width(values: list[Any], cap: int = 40) -> float:
    longest = 4
    for v in values[:500]:
        text = "" if v is None else str(v)
        longest = max(longest, max((_display_width(line) for line in text.split("\n")), default=0))
    return min(longest + 2, cap)


LINE = 15.75  # points per line of 11-point text, Chinese included


def _lines(value: Any, width: float) -> int:
    """How many lines a value takes in a wrapped cell ``width`` characters wide."""
    if not isinstance(value, str):
        return 1
    room = max(int(width) - 1, 1)
    if 2 * len(value) <= room and "\n" not in value:  # the common case: one line
        return 1
    return sum(max(1, -(-_display_width(part) // room)) for part in value.split("\n"))


def _height(row: list[Any], widths: list[float]) -> float:
    """The row height that shows every wrapped cell whole (Excel and LibreOffice do not
    size rows written by a library; a fixed height keeps the print identical in both)."""
    return LINE * max((_lines(v, w) for v, w in zip(row, widths, strict=False)), default=1)


def _escape(text: str) -> str:
    """Text for an Excel header/footer, where & starts a code."""
    return text.replace("&", "&&")


def yes_no(value: Any, lang: str) -> Any:
    if isinstance(value, bool):
        return ui("yes" if value else "no", lang)
    return value


class _Writer:
    def __init__(self, path: Path, kind: str, title: str = "", as_of: str = "", lang: str = "zh"):
        import xlsxwriter  # here, not at the top: only Excel output needs it

        self.book = xlsxwriter.Workbook(
            str(path),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        self.book.set_custom_property(PROPERTY, kind)  # what the tool wrote (output_kind)
        if title:
            self.book.set_properties({"title": title, "comments": f"peixun-audit {__version__}"})
        self.title = title
        self.as_of = as_of
        self.lang = lang
        base = {"valign": "top", "text_wrap": True, "border": 1, "border_color": "#BFBFBF"}
        self.header = self.book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.body = self.book.add_format(base)
        self.red = self.book.add_format({**base, "font_color": "#C00000"})
        self.percent = self.book.add_format({**base, "num_format": "0.00%"})
        self.red_percent = self.book.add_format(
            {**base, "num_format": "0.00%", "font_color": "#C00000"}
        )
        self.date = self.book.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.red_date = self.book.add_format(
            {**base, "num_format": "yyyy-mm-dd", "font_color": "#C00000"}
        )
        self.text = self.book.add_format({**base, "num_format": "@"})
        self.plain = self.book.add_format({"valign": "top", "text_wrap": True})
        self.bold = self.book.add_format({"bold": True, "valign": "top"})
        self.big = self.book.add_format({"bold": True, "font_size": 18, "align": "center"})
        self.center = self.book.add_format({"align": "center", "font_size": 12})
        self.section = self.book.add_format(
            {"bold": True, "font_size": 12, "bottom": 2, "bottom_color": "#1F4E79"}
        )
        self.line = self.book.add_format({"bottom": 1})
        self.left = self.book.add_format({"valign": "top", "align": "left", "text_wrap": True})
        self.sign = self.book.add_format({"bold": True, "valign": "bottom"})

    def print_setup(self, sheet: Any, repeat: bool = True, one_page: bool = False) -> None:
        """A4 landscape, one page wide, the header row on every page, title, date and
        "page x of y" in the header and footer."""
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 1 if one_page else 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
        sheet.center_horizontally()
        if repeat:
            sheet.repeat_rows(0)
        if self.title:
            sheet.set_header(f"&C&12{_escape(self.title)}"[:255])
        footer = f"&C{ui('page_footer', self.lang)}&R&A"
        if self.as_of:
            footer = f"&L{_escape(ui('audit_date', self.lang))} {self.as_of}" + footer
        sheet.set_footer(footer[:255])

    def table(
        self,
        name: str,
        headers: list[str],
        rows: list[list[Any]],
        red_rows: set[int] | None = None,
        percent_cols: set[int] | None = None,
        caps: dict[int, int] | None = None,
        text_cols: set[int] | None = None,
    ) -> Any:
        """One sheet, or as many as the rows need (the first is returned)."""
        per_sheet = MAX_ROWS - 1
        first = None
        for part, start in enumerate(range(0, max(len(rows), 1), per_sheet), start=1):
            title = name if part == 1 else f"{name[:24]} ({part})"
            chunk = rows[start : start + per_sheet]
            red = {i - start for i in red_rows or () if start <= i < start + per_sheet}
            sheet = self._table(title, headers, chunk, red, percent_cols, caps, text_cols)
            first = first or sheet
        return first

    def _table(
        self,
        name: str,
        headers: list[str],
        rows: list[list[Any]],
        red_rows: set[int],
        percent_cols: set[int] | None,
        caps: dict[int, int] | None,
        text_cols: set[int] | None,
    ) -> Any:
        sheet = self.book.add_worksheet(name[:31])
        red_rows = red_rows or set()
        percent_cols = percent_cols or set()
        text_cols = text_cols or set()
        caps = caps or {}
        widths = [
            max(_width([h], 10), _width([row[c] for row in rows], caps.get(c, 40)))
            for c, h in enumerate(headers)
        ]
        sheet.write_row(0, 0, headers, self.header)
        sheet.set_row(0, _height(headers, widths))
        for r, row in enumerate(rows, start=1):
            lines = _height(row, widths)
            if lines > LINE:
                sheet.set_row(r, lines)
            red = (r - 1) in red_rows
            for c, value in enumerate(row):
                if c in percent_cols:
                    fmt = self.red_percent if red else self.percent
                elif isinstance(value, dt.date):
                    fmt = self.red_date if red else self.date
                elif c in text_cols:
                    fmt = self.text
                else:
                    fmt = self.red if red else self.body
                self.cell(sheet, r, c, value, fmt)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), max(len(headers) - 1, 0))
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        self.print_setup(sheet)
        return sheet

    @staticmethod
    def cell(sheet: Any, r: int, c: int, value: Any, fmt: Any = None) -> None:
        if value is None:
            sheet.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value, fmt)
        elif isinstance(value, int | float):
            sheet.write_number(r, c, value, fmt)
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(r, c, value, fmt)
        elif isinstance(value, dt.date):
            sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt)
        elif isinstance(value, dict | list):
            sheet.write_string(r, c, json.dumps(value, ensure_ascii=False, default=str), fmt)
        else:
            sheet.write_string(r, c, str(value)[:32000], fmt)


def reason_text(reason: str, lang: str) -> str:
    """An eligibility reason (a rule code, ``internal-error:CODE``, an incomplete-audit
    key) in words."""
    if reason in RULES:
        return f"{reason} {rule_title(reason, lang)}"
    if reason.startswith("internal-error:"):
        return ui("internal_error_reason", lang, code=reason.split(":", 1)[1])
    key = "reason_" + reason.replace("-", "_")
    try:
        return ui(key, lang)
    except KeyError:
        return reason


def reasons_text(reasons: list[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(reason_text(r, lang) for r in reasons)


def article_text(article: Any, lang: str) -> str:
    return article_label(article, lang, plural=False)


def key_numbers(finding: dict[str, Any]) -> list[tuple[Any, bool]]:
    """The numbers of a finding's evidence in declaration order: (value, is_percent)."""
    types = RULES[finding["code"]].evidence[finding["variant"]]
    out = []
    for key, kind in types.items():
        if kind in NUMERIC and isinstance(finding["evidence"].get(key), int | float):
            out.append((finding["evidence"][key], kind == "percent"))
    return out[:KEY_VALUES]


def _file_name(path: Any) -> Any:
    if not path:
        return path
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def report_title(issuer: str | None, lang: str) -> str:
    return ui("report_title", lang, issuer=issuer or ui("default_issuer", lang))


def write(
    path: Path,
    doc: dict[str, Any],
    lang: str,
    params: list[tuple[str, str, Any]],
    result: Any = None,
    issuer: str | None = None,
    show_pii: bool = False,
) -> None:
    """The report, written to a temporary file renamed onto ``path`` when complete.
    ``result`` (the AuditResult) gives the per-class summary and the amounts; its
    class ids and institutions are masked as in ``doc`` unless ``show_pii``."""
    with atomic_path(path) as temp:
        _write_report(temp, doc, lang, params, result, issuer, show_pii)


def _cover(
    w: _Writer,
    doc: dict[str, Any],
    lang: str,
    classes: list[dict[str, Any]],
    amounts: list[float | None] | None,
) -> None:
    summary = doc["summary"]
    name = ui("cover_sheet", lang)
    sheet = w.book.add_worksheet(name)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 3, 22)
    sheet.set_column(4, 4, 3)
    sheet.set_column(5, 5, 14)
    sheet.set_column(6, 6, 9)
    sheet.set_column(7, 13, 9)
    sheet.merge_range(0, 0, 0, 13, w.title, w.big)
    rulesets = doc["ruleset"]
    titles = [r.get("title") or r["name"] for r in rulesets]
    sheet.merge_range(1, 0, 1, 13, ui("report_subtitle", lang, ruleset="、".join(titles)), w.center)
    r = 3
    sheet.write(r, 0, ui("scope_title", lang), w.section)
    sheet.write_blank(r, 1, None, w.section)
    sheet.write_blank(r, 2, None, w.section)
    sheet.write_blank(r, 3, None, w.section)
    files_line = ui(
        "files_line",
        lang,
        n=summary["files"],
        failed=summary["files_failed"],
        partial=summary.get("files_partial", 0),
        skipped=summary.get("files_skipped", 0),
        problems=summary["input_problems"],
    )
    from .classes import fingerprint

    scope = [
        (ui("audit_date", lang), doc["as_of"]),
        (ui("files", lang), files_line),
        (ui("classes", lang), summary["classes"]),
        (ui("students", lang), summary["students"]),
        (
            ui("ruleset", lang),
            "；".join(
                ui("ruleset_in_force", lang, name=x["name"], effective=x["effective"])
                for x in rulesets
            ),
        ),
        (ui("tool_version", lang), f"peixun-audit {doc['version']}"),
        (ui("input_fingerprint", lang), fingerprint(doc["inputs"])),
    ]
    others = sum(1 for c in classes if not c["has_record"])
    if others:  # class ids seen only in other tables (a roster without its class record)
        scope[2] = (scope[2][0], ui("classes_without_record", lang, n=summary["classes"], m=others))
    for label, value in scope:
        r += 1
        sheet.write_string(r, 0, label, w.bold)
        sheet.merge_range(r, 1, r, 3, "", w.left)
        w.cell(sheet, r, 1, value, w.left)
        sheet.set_row(r, LINE * _lines(value, 66))
    # conclusions: students and classes by status, amounts when configured
    r += 2
    sheet.write(r, 0, ui("conclusion_title", lang), w.section)
    for c in (1, 2, 3):
        sheet.write_blank(r, c, None, w.section)
    r += 1
    heads = ["", ui("students_col", lang), ui("classes_col", lang)]
    if amounts is not None:
        heads.append(ui("amount_col", lang))
    sheet.write_row(r, 0, heads, w.header)
    total_students = 0
    for status in ("eligible", "blocked", "undetermined"):
        r += 1
        n = summary[status]
        total_students += n
        row: list[Any] = [
            ui(status, lang),  # 可拨付 / Eligible
            n,
            sum(1 for c in classes if c[status]),
        ]
        if amounts is not None:
            row.append(sum(a for a in amounts if a is not None) if status == "eligible" else None)
        for c, v in enumerate(row):
            w.cell(sheet, r, c, v, w.body)
    r += 1
    total = [ui("total", lang), total_students, len(classes)]
    if amounts is not None:
        total.append(sum(a for a in amounts if a is not None))
    for c, v in enumerate(total):
        w.cell(sheet, r, c, v, w.header)
    notes = [ui("classes_note", lang)]
    if amounts is None:
        notes.append(ui("no_amounts", lang))
    else:
        missing = sum(
            1
            for a, e in zip(amounts, doc["eligibility"], strict=True)
            if e["status"] == "eligible" and a is None
        )
        if missing:
            notes.append(ui("amount_note", lang, n=missing))
    notes += [ui("audit_incomplete", lang) + "：" + i["message"] for i in doc["incomplete"]]
    notes += [f["message"] for f in doc.get("internal_errors", [])]
    if doc.get("ledger"):  # whether payments outside the batch were checked (S01 rules)
        colon = "：" if lang == "zh" else ": "
        notes.append(ui("ledger_title", lang) + colon + doc["ledger"]["message"])
    for note in notes:
        r += 1
        sheet.merge_range(r, 0, r, 3, note, w.plain)
        sheet.set_row(r, 15 * max(1, -(-_display_width(note) // 70)))
    # findings by severity
    r += 2
    sheet.write(r, 0, ui("findings_by_severity", lang), w.section)
    for c in (1, 2, 3):
        sheet.write_blank(r, c, None, w.section)
    for severity, n in summary["by_severity"].items():
        r += 1
        sheet.write_string(r, 0, ui(severity, lang), w.bold)
        sheet.write_number(r, 1, n)
    # signatures
    r += 2
    for key in ("signature_auditor", "signature_reviewer", "signature_head"):
        r += 1
        sheet.write_string(r, 0, ui(key, lang), w.sign)
        sheet.write_blank(r, 1, None, w.line)
        sheet.write_string(r, 2, ui("signature_date", lang), w.sign)
        sheet.write_blank(r, 3, None, w.line)
        sheet.set_row(r, 30)
    # findings per article, and the chart of them, on the right
    top = 3
    sheet.write_row(top, 5, [ui("article", lang), ui("findings", lang)], w.header)
    articles = list(summary["by_article"].items())
    for i, (article, n) in enumerate(articles, start=top + 1):
        w.cell(sheet, i, 5, article_text(article, lang), w.body)
        w.cell(sheet, i, 6, n, w.body)
    if articles:
        chart = w.book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": ui("findings", lang),
                "categories": [name, top + 1, 5, top + len(articles), 5],
                "values": [name, top + 1, 6, top + len(articles), 6],
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": ui("chart_title", lang)})
        chart.set_legend({"none": True})
        chart.set_size({"width": 470, "height": 300})
        sheet.insert_chart(top, 7, chart, {"x_offset": 8})
    w.print_setup(sheet, repeat=False, one_page=True)
    sheet.set_header("")  # the title is the sheet's first line


def _write_report(
    path: Path,
    doc: dict[str, Any],
    lang: str,
    params: list[tuple[str, str, Any]],
    result: Any,
    issuer: str | None,
    show_pii: bool = False,
) -> None:
    from .classes import amounts as student_amounts
    from .classes import class_rows

    title = report_title(issuer, lang)
    w = _Writer(path, KIND_REPORT, title, doc["as_of"], lang)
    classes = class_rows(result, show_pii) if result is not None else []
    amounts = student_amounts(result) if result is not None else None
    if result is not None:  # the ruleset titles, for the cover's subtitle
        titles = {rs.name: rs.title for rs in result.rulesets}
        for r in doc["ruleset"]:
            r.setdefault("title", titles.get(r["name"], ""))
    _cover(w, doc, lang, classes, amounts)

    # 班级汇总
    keys = [
        "class_id",
        "institution",
        "training_type_col",
        "occupation_col",
        "level_col",
        "start_date",
        "end_date",
        "students",
        "documents_complete",
        "errors",
        "warnings",
        "infos",
        "eligible",
        "blocked",
        "undetermined",
    ]
    w.table(
        ui("classes_sheet", lang),
        [ui(k, lang) for k in keys],
        [
            [
                c["class_id"],
                c["institution"],
                c["training_type"],
                c["occupation"],
                c["level"],
                c["start_date"],
                c["end_date"],
                c["students"],
                yes_no(c["complete"], lang) if c["complete"] is not None else None,
                c["errors"],
                c["warnings"],
                c["infos"],
                c["eligible"],
                c["blocked"],
                c["undetermined"],
            ]
            for c in classes
        ],
        {i for i, c in enumerate(classes) if c["errors"]},
        caps={1: 24, 2: 12, 3: 14},
    )

    # 问题清单
    findings = doc["findings"]
    rows = []
    base = 9
    for f in findings:
        src = f["source"] or {}
        place = src.get("cell") or (
            (ui("row", lang) + f" {src['row']}") if src.get("row") is not None else None
        )
        numbers = key_numbers(f)
        rows.append(
            [
                f["code"],
                rule_title(f["code"], lang),
                article_text(f["article"], lang),
                ui(f["severity"], lang),
                f["class_id"],
                f["institution"],
                f["student_name"],
                f["id_number"],
                f["message"],
            ]
            + [v for v, _ in numbers]
            + [None] * (KEY_VALUES - len(numbers))
            + [_file_name(src.get("file")), src.get("sheet"), place]
        )
    headers = [
        ui(k, lang)
        for k in (
            "code",
            "rule_title_col",
            "article",
            "severity",
            "class_id",
            "institution",
            "student_name",
            "id_number",
            "message",
        )
    ]
    headers += [ui("key_value", lang, n=i + 1) for i in range(KEY_VALUES)]
    headers += [ui(k, lang) for k in ("file", "sheet", "cell")]
    sheet = w.table(
        ui("findings_sheet", lang),
        headers,
        rows,
        {i for i, f in enumerate(findings) if f["severity"] == "error"},
        caps={1: 16, 5: 14, 8: 46, 9: 9, 10: 9, 11: 9, 12: 20, 13: 12, 14: 8},
    )
    # percentages are written as numbers: format them per cell (a column may mix)
    for r, f in enumerate(findings, start=1):
        for c, (value, pct) in enumerate(key_numbers(f)):
            if pct:
                red = f["severity"] == "error"
                sheet.write_number(r, base + c, value, w.red_percent if red else w.percent)

    # 到课率
    att = doc["attendance"]
    keys = [
        "class_id",
        "student_name",
        "id_number",
        "planned_hours",
        "attended_hours",
        "rate",
        "basis",
        "passes_col",
    ]
    rows = [
        [a[k] for k in keys[:6]]
        + [
            ui(f"basis_{a['basis']}", lang),
            None if a.get("passes") is None else yes_no(bool(a["passes"]), lang),
        ]
        for a in att
    ]
    w.table(
        ui("attendance_sheet", lang),
        [ui(k, lang) for k in keys],
        rows,
        {i for i, a in enumerate(att) if a.get("passes") is False},
        {5},
    )

    # 补贴资格
    elig = doc["eligibility"]
    rows = [
        [
            e["class_id"],
            e["student_name"],
            e["id_number"],
            ui(f"status_{e['status']}", lang),
            reasons_text(e["reasons"], lang) or None,
        ]
        for e in elig
    ]
    w.table(
        ui("eligibility_sheet", lang),
        [ui(k, lang) for k in ("class_id", "student_name", "id_number", "status", "reasons_text")],
        rows,
        {i for i, e in enumerate(elig) if e["status"] == "blocked"},
        caps={4: 60},
    )

    # 班级材料: each class's dossier, the files each document was found in
    dossiers = doc["dossiers"]
    kinds = list(dossiers[0]["documents"]) if dossiers else []

    def found(d: dict[str, Any]) -> str:
        if d["files"]:  # the file names (their paths are on 输入文件)
            return "\n".join(_file_name(f) for f in d["files"])
        return ui("doc_missing" if d["required"] else "doc_not_required", lang)

    w.table(
        ui("dossier_sheet", lang),
        [ui("class_id", lang), ui("complete", lang)] + [ui(f"doc_{k}", lang) for k in kinds],
        [
            [d["class_id"], ui("yes" if d["complete"] else "no", lang)]
            + [found(d["documents"][k]) for k in kinds]
            for d in dossiers
        ],
        {i for i, d in enumerate(dossiers) if not d["complete"]},
        caps={c: 22 for c in range(2, 2 + len(kinds))},
    )

    # 输入文件: one row per sheet account and per problem
    def kind_text(kind: Any) -> Any:
        if not kind:
            return ui("kind_unknown", lang)
        pair = TERMS["table"].get(kind)
        return (pair[1] if lang == "en" else pair[0]) if pair else kind

    rows = []
    red = set()
    for f in doc["inputs"]:
        status = ui(f"status_{f['status']}", lang)
        for s in f["sheets"]:
            rows.append(
                [
                    f["path"],
                    f["sha256"],
                    status,
                    s["name"],
                    kind_text(s["kind"]),
                    s["rows_read"],
                    s["rows_used"],
                    s["rows_reported"],
                    None,
                    None,
                ]
            )
        for p in f["problems"]:
            if p["severity"] == "error":
                red.add(len(rows))
            rows.append(
                [
                    f["path"],
                    f["sha256"],
                    status,
                    p.get("sheet"),
                    None,
                    None,
                    None,
                    None,
                    p.get("cell") or p.get("row"),
                    p["message"],
                ]
            )
        if not f["sheets"] and not f["problems"]:
            rows.append([f["path"], f["sha256"], status, None, None, None, None, None, None, None])
    keys = (
        "file",
        "sha256",
        "status",
        "sheet",
        "kind",
        "rows_read",
        "rows_used",
        "rows_reported",
        "cell",
        "message",
    )
    w.table(
        ui("inputs_sheet", lang),
        [ui(k, lang) for k in keys],
        rows,
        red,
        caps={0: 36, 1: 34, 2: 12, 9: 46},
    )

    # 规则参数
    def shown(value: Any) -> str:
        if isinstance(value, bool):
            return ui("yes" if value else "no", lang)
        if isinstance(value, list):
            return "、".join(map(str, value)) if value else "—"
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, default=str)
        return str(value)

    w.table(
        ui("ruleset_sheet", lang),
        [ui(k, lang) for k in ("ruleset", "parameter", "value")],
        [
            [a, ui("param_effective", lang) if b == "effective" else param_label(b, lang), shown(c)]
            for a, b, c in params
        ],
        caps={2: 70},
    )
    w.book.close()


def write_sheets(
    path: Path,
    sheets: list[tuple[str, list[str], list[list[Any]], set[int]]],
    title: str = "",
    lang: str = "zh",
    kind: str = KIND_REPORT,
) -> None:
    """Plain formatted sheets: (name, headers, rows, rows to show in red); a report, or
    what ``kind`` says (``ledger``: a ledger export, which ``ledger import`` reads)."""
    with atomic_path(path) as temp:
        w = _Writer(temp, kind, title, lang=lang)
        for name, headers, rows, red in sheets:
            w.table(name, headers, rows, red)
        w.book.close()


# The supervision commands' rows (report/supervision.py) as sheets: the sheet name
# the command gives → its title key, columns and percentage columns.
COMMAND_SHEETS = {
    "电话回访情况": ("callbacks_title", CALLBACK_COLUMNS, {"coverage"}),
    "回访名单": ("sample_title", ["class_id", "student_name", "id_number", "phone"], set()),
    "市级抽查": (
        "spotcheck_title",
        ["class_id", "institution", "district", "occupation", "start_date", "end_date"],
        set(),
    ),
    "年审评分": ("review_title", REVIEW_COLUMNS, {"average_rate", "eligible_share"}),
}


def redraw_command(seed: Any) -> str:
    """The command line that redraws a sample: this run's command, inputs, ruleset and
    audit date, with the seed (from the running click command; else from sys.argv)."""
    try:  # Typer carries its own click
        from typer.main import get_current_context
    except ImportError:  # pragma: no cover
        from click import get_current_context
    ctx = get_current_context(silent=True)
    if ctx is not None and ctx.info_name:
        p = ctx.params
        parts = ["peixun-audit", ctx.info_name]
        parts += [str(x) for x in (p.get("paths") or [])]
        if p.get("sample") and ctx.info_name == "callbacks":  # the callbacks sample
            parts.append("--sample")
        for option in ("ruleset", "as_of"):
            if p.get(option):
                parts += ["--" + option.replace("_", "-"), str(p[option])]
        return shlex.join([*parts, "--seed", str(seed)])
    args = list(sys.argv[1:])
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "--output", "--seed"):
            skip = True
            continue
        if a.startswith(("--output=", "--seed=")):
            continue
        out.append(a)
    return shlex.join(["peixun-audit", *out, "--seed", str(seed)])


def record_table(doc: dict[str, Any], lang: str) -> tuple[list[str], list[list[Any]]]:
    keys = ["stream", "seed", "algorithm", "ratio_percent", "frame_size", "sample_size"]
    headers = [ui(k, lang) for k in keys] + [ui("frame_sha256", lang), ui("redraw_command", lang)]
    command = redraw_command(doc["seed"])
    rows = [
        [
            ui("stream_spotcheck", lang) if d["stream"] == "spotcheck" else d["stream"],
            str(doc["seed"]),
            ui("algorithm_text", lang),
            d["ratio_percent"],
            d["frame_size"],
            d["sample_size"],
            d["frame_sha256"],
            command,
        ]
        for d in doc.get("draws", [])
    ]
    return headers, rows


def write_command(
    path: Path, name: str, rows: list[dict[str, Any]], doc: dict[str, Any], lang: str
) -> None:
    """A supervision command's --output workbook: its table with headers and values in
    the report language (是/否, percentages formatted), print-ready, and, for a sample,
    the sampling record sheet (seed, ratio, frame size and SHA-256, the command that
    redraws it)."""
    title_key, columns, percents = COMMAND_SHEETS.get(
        name, ("summary_title", list(rows[0]) if rows else [], set())
    )
    title = ui(title_key, lang)
    shown = [[yes_no(r.get(c), lang) for c in columns] for r in rows]
    red = {
        i
        for i, r in enumerate(rows)
        if r.get("enough") is False or r.get("contradictions") or r.get("grade") == "不合格"
    }
    with atomic_path(path) as temp:
        w = _Writer(temp, KIND_REPORT, title, doc.get("as_of", ""), lang)
        w.table(
            name if lang == "zh" else title[:31],
            [ui(c, lang) for c in columns],
            shown,
            red,
            {i for i, c in enumerate(columns) if c in percents},
            caps={columns.index("explanation"): 50} if "explanation" in columns else None,
        )
        if "seed" in doc:
            w.table(ui("sampling_record_sheet", lang), *record_table(doc, lang), caps={7: 60})
        w.book.close()


def write_call_sheet(
    path: Path,
    headers: list[str],
    rows: list[list[Any]],
    choices: dict[int, list[str]],
    text_columns: set[int],
    record: tuple[list[str], list[list[Any]]],
) -> None:
    """The callback call sheet: the 电话回访 layout with drop-down lists for the closed
    answers, phone and ID columns as text, and the sampling record on 抽样记录. Printed
    landscape, one page wide: the fill-in columns on the same page as the names."""
    with atomic_path(path) as temp:
        w = _Writer(temp, KIND_CALL_SHEET, ui("sample_title", "zh"))
        # room to write by hand in every fill-in column
        widths = {c: 12 for c in range(len(headers))}
        sheet = w.table("电话回访", headers, rows, text_cols=text_columns, caps=widths)
        last = max(len(rows), 1) + 200  # room for people added by hand
        for c in range(len(headers)):
            sheet.set_column(
                c, c, 20 if c in text_columns else 12, w.text if c in text_columns else None
            )
        for r in range(1, len(rows) + 1):  # room to write by hand
            sheet.set_row(r, 24)
        for col, values in choices.items():
            sheet.data_validation(1, col, last, col, {"validate": "list", "source": values})
        w.table("抽样记录", *record, caps={len(record[0]) - 1: 60})
        w.book.close()
