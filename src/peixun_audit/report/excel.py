"""Excel writer: the six-sheet report of SPEC §8, formatted to be forwarded.

Sheets: 汇总 (summary and a chart of findings per article), 问题清单 (findings,
errors in red), 到课率 (attendance), 补贴资格 (eligibility), 输入文件 (files, sheets,
row accounts and problems), 规则参数 (the ruleset parameters). Every sheet has a
frozen header, filters and fitted widths. Strings are always written as strings, so a
value starting with ``=`` can never become a formula. Every workbook is written to a
temporary file renamed into place when complete (``output.atomic_path``) and carries
the custom document property ``peixun-audit`` saying what it is (``output.output_kind``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..messages import ui
from .output import KIND_CALL_SHEET, KIND_REPORT, PROPERTY, atomic_path
from .rows import FINDING_KEYS

SHEETS = ("汇总", "问题清单", "到课率", "补贴资格", "输入文件", "规则参数", "班级材料")
# Excel's rows per sheet, the header included: a table longer than that continues on
# sheets named "问题清单 (2)", "问题清单 (3)"… (xlsxwriter drops rows past the limit
# without a word)
MAX_ROWS = 1_048_576


def _width(values: list[Any]) -> float:
    longest = 4
    for v in values[:500]:
        text = "" if v is None else str(v)
        longest = max(longest, sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))
    return min(longest + 2, 60)


class _Writer:
    def __init__(self, path: Path, kind: str):
        import xlsxwriter  # here, not at the top: only Excel output needs it

        self.book = xlsxwriter.Workbook(
            str(path),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        self.book.set_custom_property(PROPERTY, kind)  # what the tool wrote (output_kind)
        self.header = self.book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.red = self.book.add_format({"font_color": "#C00000"})
        self.percent = self.book.add_format({"num_format": "0.00%"})
        self.red_percent = self.book.add_format({"num_format": "0.00%", "font_color": "#C00000"})

    def table(
        self,
        name: str,
        headers: list[str],
        rows: list[list[Any]],
        red_rows: set[int] | None = None,
        percent_cols: set[int] | None = None,
    ) -> Any:
        """One sheet, or as many as the rows need (the first is returned)."""
        per_sheet = MAX_ROWS - 1
        first = None
        for part, start in enumerate(range(0, max(len(rows), 1), per_sheet), start=1):
            title = name if part == 1 else f"{name[:24]} ({part})"
            chunk = rows[start : start + per_sheet]
            red = {i - start for i in red_rows or () if start <= i < start + per_sheet}
            sheet = self._table(title, headers, chunk, red, percent_cols)
            first = first or sheet
        return first

    def _table(
        self,
        name: str,
        headers: list[str],
        rows: list[list[Any]],
        red_rows: set[int],
        percent_cols: set[int] | None,
    ) -> Any:
        sheet = self.book.add_worksheet(name)
        percent_cols = percent_cols or set()
        sheet.write_row(0, 0, headers, self.header)
        for r, row in enumerate(rows, start=1):
            red = (r - 1) in red_rows
            for c, value in enumerate(row):
                fmt = (
                    (self.red_percent if red else self.percent)
                    if c in percent_cols
                    else (self.red if red else None)
                )
                self.cell(sheet, r, c, value, fmt)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), max(len(headers) - 1, 0))
        for c, h in enumerate(headers):
            sheet.set_column(c, c, _width([h] + [row[c] for row in rows]))
        return sheet

    @staticmethod
    def cell(sheet: Any, r: int, c: int, value: Any, fmt: Any = None) -> None:
        if value is None:
            sheet.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value, fmt)
        elif isinstance(value, int | float):
            sheet.write_number(r, c, value, fmt)
        elif isinstance(value, dict | list):
            sheet.write_string(r, c, json.dumps(value, ensure_ascii=False, default=str), fmt)
        else:
            sheet.write_string(r, c, str(value)[:32000], fmt)


def write(path: Path, doc: dict[str, Any], lang: str, params: list[tuple[str, str, Any]]) -> None:
    """The six-sheet report, written to a temporary file renamed onto ``path`` when complete."""
    with atomic_path(path) as temp:
        _write_report(temp, doc, lang, params)


def _write_report(
    path: Path, doc: dict[str, Any], lang: str, params: list[tuple[str, str, Any]]
) -> None:
    w = _Writer(path, KIND_REPORT)
    summary = doc["summary"]

    # 汇总: key figures, then findings per article with a chart
    sheet = w.book.add_worksheet(SHEETS[0])
    sheet.write_row(0, 0, [ui("summary_title", lang), ""], w.header)
    figures = [
        (ui("files", lang), summary["files"]),
        (ui("files_failed", lang), summary["files_failed"]),
        (ui("problems", lang), summary["input_problems"]),
        (ui("classes", lang), summary["classes"]),
        (ui("students", lang), summary["students"]),
        (ui("eligible", lang), summary["eligible"]),
        (ui("blocked", lang), summary["blocked"]),
        (ui("undetermined", lang), summary["undetermined"]),
    ] + [(f"{ui('findings', lang)} · {ui(s, lang)}", n) for s, n in summary["by_severity"].items()]
    # an incomplete audit says so on the first sheet, in words
    figures += [(ui("audit_incomplete", lang), item["message"]) for item in doc["incomplete"]]
    for r, (label, value) in enumerate(figures, start=1):
        w.cell(sheet, r, 0, label)
        w.cell(sheet, r, 1, value)
    top = len(figures) + 2
    sheet.write_row(top, 0, [ui("article", lang), ui("findings", lang)], w.header)
    articles = list(summary["by_article"].items())
    for r, (article, n) in enumerate(articles, start=top + 1):
        w.cell(sheet, r, 0, "X" if article == "X" else ui("article_n", lang, n=article))
        w.cell(sheet, r, 1, n)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 12)
    sheet.freeze_panes(1, 0)
    if articles:
        chart = w.book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": ui("findings", lang),
                "categories": [SHEETS[0], top + 1, 0, top + len(articles), 0],
                "values": [SHEETS[0], top + 1, 1, top + len(articles), 1],
            }
        )
        chart.set_title({"name": ui("chart_title", lang)})
        chart.set_legend({"none": True})
        sheet.insert_chart(1, 3, chart)

    # 问题清单
    keys = [k for k in FINDING_KEYS if k not in ("evidence", "source")]  # those get own columns
    findings = doc["findings"]
    rows = []
    for f in findings:
        src = f["source"] or {}
        rows.append(
            [f[k] if k != "severity" else ui(f[k], lang) for k in keys]
            + [src.get("file"), src.get("sheet"), src.get("row"), src.get("cell"), f["evidence"]]
        )
    headers = [ui(k, lang) for k in keys] + [
        ui(k, lang) for k in ("file", "sheet", "row", "cell", "evidence")
    ]
    w.table(
        SHEETS[1], headers, rows, {i for i, f in enumerate(findings) if f["severity"] == "error"}
    )

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
    ]
    rows = [[a[k] if k != "basis" else ui(f"basis_{a[k]}", lang) for k in keys] for a in att]
    w.table(
        SHEETS[2],
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
            "、".join(e["reasons"]),
        ]
        for e in elig
    ]
    w.table(
        SHEETS[3],
        [ui(k, lang) for k in ("class_id", "student_name", "id_number", "eligible", "reasons")],
        rows,
        {i for i, e in enumerate(elig) if e["status"] == "blocked"},
    )

    # 班级材料: each class's dossier, the files each document was found in
    dossiers = doc["dossiers"]
    kinds = list(dossiers[0]["documents"]) if dossiers else []

    def found(d: dict[str, Any]) -> str:
        if d["files"]:  # the file names (their paths are on 输入文件)
            return "\n".join(f.replace("\\", "/").rsplit("/", 1)[-1] for f in d["files"])
        return ui("doc_missing" if d["required"] else "doc_not_required", lang)

    dossier_sheet = w.table(
        SHEETS[6],
        [ui("class_id", lang), ui("complete", lang)] + [ui(f"doc_{k}", lang) for k in kinds],
        [
            [d["class_id"], ui("yes" if d["complete"] else "no", lang)]
            + [found(d["documents"][k]) for k in kinds]
            for d in dossiers
        ],
        {i for i, d in enumerate(dossiers) if not d["complete"]},
    )
    dossier_sheet.set_landscape()  # nine columns: one page wide on A4
    dossier_sheet.fit_to_pages(1, 0)

    # 输入文件: one row per sheet account and per problem
    rows = []
    red = set()
    for f in doc["inputs"]:
        for s in f["sheets"]:
            rows.append(
                [
                    f["path"],
                    f["sha256"],
                    f["status"],
                    s["name"],
                    s["kind"],
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
                    f["status"],
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
            rows.append(
                [f["path"], f["sha256"], f["status"], None, None, None, None, None, None, None]
            )
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
    w.table(SHEETS[4], [ui(k, lang) for k in keys], rows, red)

    # 规则参数
    w.table(
        SHEETS[5],
        [ui(k, lang) for k in ("ruleset", "parameter", "value")],
        [
            [
                a,
                b,
                json.dumps(c, ensure_ascii=False, default=str)
                if isinstance(c, list | dict)
                else str(c),
            ]
            for a, b, c in params
        ],
    )
    w.book.close()


def write_sheets(
    path: Path, sheets: list[tuple[str, list[str], list[list[Any]], set[int]]]
) -> None:
    """Plain formatted sheets: (name, headers, rows, rows to show in red); a report."""
    with atomic_path(path) as temp:
        w = _Writer(temp, KIND_REPORT)
        for name, headers, rows, red in sheets:
            w.table(name, headers, rows, red)
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
    answers, phone and ID columns as text, and the sampling record on 抽样记录."""
    with atomic_path(path) as temp:
        w = _Writer(temp, KIND_CALL_SHEET)
        sheet = w.table("电话回访", headers, rows)
        text = w.book.add_format({"num_format": "@"})
        last = max(len(rows), 1) + 200  # room for people added by hand
        for col in text_columns:
            sheet.set_column(col, col, 20, text)
        for col, values in choices.items():
            sheet.data_validation(1, col, last, col, {"validate": "list", "source": values})
        w.table("抽样记录", *record)
        w.book.close()
