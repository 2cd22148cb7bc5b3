"""Rectification notices (``audit --notices DIR``, docs/REPORT.md): one workbook per
training institution, ``整改通知_<机构>.xlsx``, with that institution's classes and
findings only, the article each finding breaches, and blank 整改情况 / 完成日期
columns for the school to fill in; a signature block for the school's seal and the
issuing body's.

What a notice lists: the errors and warnings of the institution's classes that cite
an article of the regulation. Fraud signals (X codes) and information-level findings
stay in the audit report: they are for the auditors, not a demand on the school.
A finding whose class names no institution goes to ``整改通知_（未填写培训机构）.xlsx``,
so no finding is left out of every notice. ID numbers are masked unless ``--show-pii``
(the doc given is already masked accordingly). Each workbook carries the custom
document property ``peixun-audit`` = ``notice`` and is not read back as an input.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..messages import rule_title, ui
from .output import KIND_NOTICE, atomic_path

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(institution: str) -> str:
    return "整改通知_" + _UNSAFE.sub("_", institution).strip(" .")[:80] + ".xlsx"


def notice_findings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f
        for f in doc["findings"]
        if f["article"] is not None and f["severity"] in ("error", "warning")
    ]


def grouped(doc: dict[str, Any], classes: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Institution → (its classes, its findings), for every institution with a class."""
    none = ui("no_institution", lang)
    out: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    owner = {}
    for c in classes:
        inst = c["institution"] or none
        owner[c["class_id"]] = inst
        out.setdefault(inst, ([], []))[0].append(c)
    for f in notice_findings(doc):
        inst = f["institution"] or owner.get(f["class_id"]) or none
        out.setdefault(inst, ([], []))[1].append(f)
    return out


def write_all(
    folder: Path,
    doc: dict[str, Any],
    classes: list[dict[str, Any]],
    lang: str,
    issuer: str,
    ruleset_title: str,
) -> list[Path]:
    """One notice per institution into ``folder`` (created); returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for inst, (its_classes, findings) in sorted(grouped(doc, classes, lang).items()):
        path = folder / file_name(inst)
        with atomic_path(path) as temp:
            _write_one(temp, inst, its_classes, findings, doc["as_of"], lang, issuer, ruleset_title)
        written.append(path)
    return written


def _write_one(
    path: Path,
    institution: str,
    classes: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    as_of: str,
    lang: str,
    issuer: str,
    ruleset_title: str,
) -> None:
    from .excel import LINE, _file_name, _height, _Writer, article_text

    title = ui("notice_title", lang)
    w = _Writer(
        path, KIND_NOTICE, f"{title}（{institution}）" if lang == "zh" else title, as_of, lang
    )
    sheet = w.book.add_worksheet(ui("notice_sheet", lang))
    headers = [
        "#",
        ui("class_id", lang),
        ui("article", lang),
        ui("rule_title_col", lang),
        ui("severity", lang),
        ui("student_name", lang),
        ui("id_number", lang),
        ui("message", lang),
        ui("source", lang),
        ui("rectification", lang),
        ui("rectified_on", lang),
    ]
    widths = [4, 12, 8, 16, 6, 8, 20, 44, 24, 36, 12]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    last = len(headers) - 1
    sheet.merge_range(0, 0, 0, last, title, w.big)
    sheet.write_string(2, 0, ui("notice_to", lang, institution=institution), w.bold)
    ids = "、".join(
        c["class_id"] + (f"（{c['occupation']}）" if c.get("occupation") and lang == "zh" else "")
        for c in classes
    )
    intro = (
        ui(
            "notice_intro",
            lang,
            as_of=as_of,
            classes=len({f["class_id"] for f in findings}),
            n=len(findings),
        )
        if findings
        else ui("notice_clean", lang, as_of=as_of, classes=len(classes))
    )
    sheet.merge_range(3, 0, 3, last, intro, w.plain)
    sheet.set_row(3, _height([intro], [sum(widths)]))
    sheet.merge_range(4, 0, 4, last, ui("notice_classes", lang, ids=ids), w.plain)
    articles = sorted({f["article"] for f in findings})
    cited = "、".join(article_text(a, lang) for a in articles)
    sheet.merge_range(
        5,
        0,
        5,
        last,
        ui("notice_regulation", lang, ruleset=ruleset_title)
        + (f"；{ui('notice_articles', lang)}：{cited}" if cited else ""),
        w.plain,
    )
    top = 7
    sheet.write_row(top, 0, headers, w.header)
    for i, f in enumerate(findings, start=1):
        src = f["source"] or {}
        place = " / ".join(
            str(x) for x in (_file_name(src.get("file")), src.get("sheet"), src.get("cell")) if x
        )
        row = [
            i,
            f["class_id"],
            article_text(f["article"], lang),
            rule_title(f["code"], lang),
            ui(f["severity"], lang),
            f["student_name"],
            f["id_number"],
            f["message"],
            place or None,
            None,
            None,
        ]
        for c, value in enumerate(row):
            fmt = w.red if f["severity"] == "error" and c < 9 else w.body
            w.cell(sheet, top + i, c, value, fmt)
        sheet.set_row(top + i, max(2 * LINE, _height(row, widths)))  # room to write by hand
    end = top + len(findings) + 2
    sheet.write_string(end, 0, ui("notice_sign", lang), w.bold)
    sheet.write_string(end, 7, ui("signature_date", lang), w.bold)
    sheet.write_string(end + 2, 0, ui("notice_issuer_sign", lang, issuer=issuer), w.bold)
    sheet.write_string(end + 2, 7, ui("signature_date", lang), w.bold)
    sheet.freeze_panes(top + 1, 0)
    w.print_setup(sheet, repeat=False)
    sheet.repeat_rows(top)
    w.book.close()
