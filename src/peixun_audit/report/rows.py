"""One result model → plain rows, shared by every writer.

Masking and message rendering happen here once, so the terminal, JSON, CSV and Excel
writers cannot disagree, and none of them recomputes anything. Every string from the
input passes one sanitiser on its way out (unless ``show_pii``): names and keys (class
ids, institutions, file, sheet and folder names) through :func:`~peixun_audit.ids.scrub_name`,
free text (student names, values quoted in messages) through
:func:`~peixun_audit.ids.scrub`; ID numbers and phones are masked by type (docs/privacy.md).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..audit import AuditResult
from ..evidence import to_json
from ..heap import paused
from ..ids import mask_id, scrub, scrub_name
from ..messages import finding_message, problem_message, ui
from ..rules import RULES

FINDING_KEYS = [
    "code",
    "variant",
    "name",
    "article",
    "severity",
    "class_id",
    "institution",
    "student_name",
    "id_number",
    "message",
    "evidence",
    "source",
]
ATTENDANCE_KEYS = [
    "class_id",
    "student_name",
    "id_number",
    "planned_hours",
    "attended_hours",
    "rate",
]
ELIGIBILITY_KEYS = ["class_id", "student_name", "id_number", "status", "eligible", "reasons"]


def clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _id(value: Any, show_pii: bool) -> Any:
    value = clean(value)
    return value if show_pii else mask_id(value)


def key_text(value: Any, show_pii: bool) -> Any:
    """A name or key from the input (class id, institution, file, sheet) as shown."""
    return value if show_pii else scrub_name(value)


def free_text(value: Any, show_pii: bool) -> Any:
    """Free text from the input (a student's name, a cell's value) as shown."""
    return value if show_pii else scrub(value)


def place(
    source: Any, show_pii: bool, key: Callable[[Any], Any] | None = None
) -> dict[str, Any] | None:
    """A :class:`~peixun_audit.model.Source` as a dict, its file and sheet names shown
    as keys are (by ``key``, :func:`_key_shown`, when given)."""
    if source is None:
        return None
    key = key or (lambda value: key_text(value, show_pii))
    out = source.as_dict()
    out["file"] = key(out["file"])
    out["sheet"] = key(out["sheet"])
    return out


def _key_shown(show_pii: bool, cache: dict[Any, Any] | None = None) -> Callable[[Any], Any]:
    """:func:`key_text`, each distinct name scrubbed once (``cache``): a city-year's
    findings and dossiers name the same 600 files and sheets thousands of times."""
    if show_pii:
        return lambda value: value
    cache = {} if cache is None else cache

    def shown(value: Any) -> Any:
        out = cache.get(value, cache)
        if out is cache:
            out = cache[value] = scrub_name(value)
        return out

    return shown


def finding_rows(
    result: AuditResult, lang: str, show_pii: bool, names: dict[Any, Any] | None = None
) -> list[dict[str, Any]]:
    key = _key_shown(show_pii, names)
    rows = []
    for f in result.findings:
        rule = RULES[f.code]
        types = rule.evidence[f.variant]
        message = finding_message(f.code, f.variant, f.evidence, types, lang, show_pii)
        if f.code.startswith("X"):
            message += ui("fraud_signal", lang)
        rows.append(
            {
                "code": f.code,
                "variant": f.variant,
                "name": rule.name,
                "article": rule.article,
                "severity": rule.severity,
                "class_id": key(f.class_id),
                "institution": key(f.institution),
                "student_name": free_text(f.student_name, show_pii),
                "id_number": _id(f.id_number, show_pii),
                "message": message,
                "evidence": {k: to_json(types[k], v, show_pii) for k, v in f.evidence.items()},
                "source": place(f.source, show_pii, key),
            }
        )
    return rows


def failure_rows(result: AuditResult, lang: str, show_pii: bool) -> list[dict[str, Any]]:
    """Rules that raised: the audit is incomplete, and nobody is eligible."""
    return [
        {
            "rule": f.code,
            "name": RULES[f.code].name,
            "error": f.error if show_pii else scrub(f.error),
            "message": ui("rule_failed", lang, code=f.code),
        }
        for f in result.failures
    ]


def _column(values: pd.Series) -> list[Any]:
    """A column as plain Python values, missing ones as None (whole-column conversion:
    a city-year has 24,000 students)."""
    missing = values.isna().to_numpy()
    plain = values.tolist()
    if not missing.any():  # most columns: nothing to replace
        return plain
    return [None if gap else v for v, gap in zip(plain, missing, strict=True)]


def _memo(plain: list[Any], show: Callable[[Any], Any], cache: dict[Any, Any]) -> list[Any]:
    """``show`` of each value, each distinct value computed once (``cache`` carries what
    is already made: the attendance and eligibility tables list the same 24,000 IDs and
    names, and 600 class ids)."""
    get = cache.get
    out = []
    for v in plain:
        m = get(v, cache)
        if m is cache:
            m = cache[v] = show(v)
        out.append(m)
    return out


class _Shown(dict):
    """The shown form of each value met in one kind of column (:func:`_memo`), and the
    last column of that kind shown whole, with its list."""

    column: tuple[pd.Series, list[Any]] | None = None


def _shown(
    values: pd.Series, show: Callable[[Any], Any], show_pii: bool, cache: _Shown | None
) -> list[Any]:
    """A column as shown: as it is with ``show_pii``, else through ``show`` (``mask_id``,
    ``scrub`` or ``scrub_name``). Each distinct value is shown once (:func:`_memo`) and
    taken back by its code: the per-row work is NumPy's, not a dictionary look-up per
    student (24,000 of them in a city-year, in each of two tables). A column equal to
    the last one shown of its kind takes that one's list: the eligibility table lists
    the attendance table's students in the same order (its three columns cost 0.01 s)."""
    cache = _Shown() if cache is None else cache
    if cache.column is not None and cache.column[0].equals(values):
        return cache.column[1]
    if show_pii:
        out = _column(values)
    else:
        # missing values (None, NaN) are the code -1, which takes the last entry: None
        codes, distinct = pd.factorize(values.to_numpy(dtype=object))
        shown = _memo([*distinct, None], show, cache)
        out = np.fromiter(shown, dtype=object, count=len(shown))[codes].tolist()
    cache.column = (values, out)
    return out


def _caches() -> dict[str, _Shown]:
    """One cache per kind of column (:func:`_shown`), shared by the tables of a document."""
    return {"id": _Shown(), "name": _Shown(), "key": _Shown()}


def attendance_rows(
    result: AuditResult, show_pii: bool, masked: dict[str, _Shown] | None = None
) -> list[dict[str, Any]]:
    t = result.attendance
    masked = _caches() if masked is None else masked
    # dict displays in one comprehension: half the time of dict(zip(keys, row)) on the
    # 24,000 students of a city-year
    return [
        {
            "class_id": cid,
            "student_name": name,
            "id_number": id_number,
            "planned_hours": planned,
            "attended_hours": attended,
            "rate": rate,
            "basis": basis,
            "passes": ok,
        }
        for cid, name, id_number, planned, attended, rate, basis, ok in zip(
            _shown(t["class_id"], scrub_name, show_pii, masked["key"]),
            _shown(t["student_name"], scrub, show_pii, masked["name"]),
            _shown(t["id_number"], mask_id, show_pii, masked["id"]),
            _column(t["planned_hours"]),
            _column(t["attended_hours"]),
            _column(t["rate"]),
            t["basis"].tolist(),
            _column(t["passes"]),
            strict=True,
        )
    ]


def eligibility_rows(
    result: AuditResult, show_pii: bool, masked: dict[str, _Shown] | None = None
) -> list[dict[str, Any]]:
    e = result.eligibility
    masked = _caches() if masked is None else masked
    return [
        {
            "class_id": cid,
            "student_name": name,
            "id_number": id_number,
            "status": status,
            "eligible": bool(ok),
            "reasons": reasons,
        }
        for cid, name, id_number, status, ok, reasons in zip(
            _shown(e["class_id"], scrub_name, show_pii, masked["key"]),
            _shown(e["student_name"], scrub, show_pii, masked["name"]),
            _shown(e["id_number"], mask_id, show_pii, masked["id"]),
            e["status"].tolist(),
            e["eligible"].tolist(),
            e["reasons"].tolist(),
            strict=True,
        )
    ]


def input_rows(
    result: AuditResult, lang: str, show_pii: bool = False, names: dict[Any, Any] | None = None
) -> list[dict[str, Any]]:
    key = _key_shown(show_pii, names)
    return [
        {
            "path": key(f.path),
            "sha256": f.sha256,
            "status": f.status,
            "sheets": [
                {
                    "name": key(s.name),
                    "kind": s.kind,
                    "hidden": s.hidden,
                    "rows_read": s.rows_read,
                    "rows_used": s.rows_used,
                    "rows_reported": s.rows_reported,
                }
                for s in f.sheets
            ],
            "problems": [
                {
                    "code": p.code,
                    "severity": p.severity,
                    "message": problem_message(p.code, _problem_params(p.params, show_pii), lang),
                    **place(p.source, show_pii, key),
                }
                for p in f.problems
            ],
        }
        for f in result.dataset.inputs
    ]


def _problem_params(params: dict[str, Any], show_pii: bool) -> dict[str, Any]:
    """A problem's parameters as shown: a path (``original``) as a name, the rest (cell
    values, details) as free text."""
    if show_pii:
        return params
    return {k: scrub_name(v) if k == "original" else scrub(v) for k, v in params.items()}


def summary(result: AuditResult) -> dict[str, Any]:
    by_severity = Counter(RULES[f.code].severity for f in result.findings)
    # articles by number; rules outside the regulation by their prefix: S (national
    # subsidy policy), X (fraud signals)
    by_article = Counter(RULES[f.code].article or f.code[0] for f in result.findings)
    by_code = Counter(f.code for f in result.findings)
    inputs = result.dataset.inputs
    return {
        "files": len(inputs),
        "files_failed": sum(f.status == "failed" for f in inputs),
        "files_partial": sum(f.status == "partial" for f in inputs),
        "files_skipped": sum(f.status == "skipped" for f in inputs),
        "input_problems": sum(len(f.problems) for f in inputs),
        "classes": int(result.dataset.tables["classes"]["class_id"].nunique()),
        "students": len(result.attendance),
        "findings": len(result.findings),
        "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "by_article": {
            str(a): n
            for a, n in sorted(
                by_article.items(), key=lambda x: (isinstance(x[0], str), str(x[0]).zfill(3))
            )
        },
        "by_code": dict(sorted(by_code.items())),
        "rules_applied": len(result.codes) - len(result.failures),
        "rules_failed": len(result.failures),
        "eligible": int(result.eligibility["eligible"].sum()),
        "not_eligible": int((~result.eligibility["eligible"].astype(bool)).sum()),
        "blocked": int((result.eligibility["status"] == "blocked").sum()),
        "undetermined": int((result.eligibility["status"] == "undetermined").sum()),
        "audit_complete": not result.incomplete,
        "classes_incomplete": sum(not d["complete"] for d in result.dossiers),
    }


def classes_under(result: AuditResult, ruleset: str) -> int:
    """How many classes were audited under a ruleset (a ruleset that applies to none
    is named in a warning: an override with a mistyped date must not pass unseen)."""
    ruleset_of = result.context.ruleset_of if result.context is not None else {}
    return sum(rs.name == ruleset for rs in ruleset_of.values())


def incomplete_rows(result: AuditResult, lang: str, show_pii: bool) -> list[dict[str, Any]]:
    """Why the audit cannot call anyone eligible: each reason, what it concerns, and a
    sentence in the report language."""
    rows = []
    joiner = "、" if lang == "zh" else ", "
    for reason, items in result.incomplete:
        # files, "file / sheet", class ids, rule codes: names and keys
        shown = items if show_pii else [scrub_name(i) for i in items]
        listed = shown
        if reason == "rules-not-run":  # by article prefix: A01, A02 … not 36 codes
            listed = list(dict.fromkeys(code[:3] for code in shown))
        message = ui(
            f"incomplete_{reason.replace('-', '_')}", lang, n=len(shown), items=joiner.join(listed)
        )
        rows.append({"reason": reason, "items": shown, "message": message})
    return rows


def ledger_row(result: AuditResult, lang: str, show_pii: bool) -> dict[str, Any]:
    """What the S01 rules compared the batch with: the subsidy ledger (its location,
    without a password, and how many of its payments concern the batch's people), or
    — without ``--ledger`` — a plain note that payments outside the batch were not
    checked. Not a reason for ``incomplete``: nobody becomes undetermined for it."""
    info = result.ledger or {}
    checked = bool(info.get("checked"))
    source = info.get("source")
    if source is not None and not show_pii:
        source = scrub(source)
    if not info.get("rules"):
        message = ui("ledger_rules_not_run", lang)
    elif checked:
        message = ui("ledger_checked", lang, source=source, n=info.get("payments", 0))
    else:
        message = ui("ledger_not_checked", lang)
    return {
        "checked": checked,
        "source": source,
        "payments": int(info.get("payments", 0)),
        "message": message,
    }


def dossier_rows(
    result: AuditResult, show_pii: bool, names: dict[Any, Any] | None = None
) -> list[dict[str, Any]]:
    """The per-class completeness table (SPEC §5): each document, required or not, and
    the files it was found in."""
    key = _key_shown(show_pii, names)
    return [
        {
            "class_id": key(d["class_id"]),
            "complete": d["complete"],
            "documents": {
                kind: {
                    "required": doc["required"],
                    "files": [key(f) for f in doc["files"]],
                }
                for kind, doc in d["documents"].items()
            },
        }
        for d in result.dossiers
    ]


@paused()  # 50,000 rows of dicts and lists, no cycles: the collector's passes found nothing
def document(result: AuditResult, lang: str, show_pii: bool) -> dict[str, Any]:
    """The §8 JSON object."""
    masked = _caches()
    return {
        "tool": "peixun-audit",
        "version": __version__,
        "ruleset": [
            {
                "name": r.name,
                "effective": r.effective.isoformat(),
                "classes": classes_under(result, r.name),
            }
            for r in result.rulesets
        ],
        "as_of": result.as_of.isoformat(),
        "calendar_years_unknown": result.calendar_years_unknown,
        "calendar_regional_unconfirmed": result.calendar_regional_unconfirmed,
        "inputs": input_rows(result, lang, show_pii, masked["key"]),
        "internal_errors": failure_rows(result, lang, show_pii),
        "incomplete": incomplete_rows(result, lang, show_pii),
        "dossiers": dossier_rows(result, show_pii, masked["key"]),
        "ledger": ledger_row(result, lang, show_pii),
        "findings": finding_rows(result, lang, show_pii, masked["key"]),
        "attendance": attendance_rows(result, show_pii, masked),
        "eligibility": eligibility_rows(result, show_pii, masked),
        "summary": summary(result),
    }
