"""What the forwarded outputs say per class and per student, from the audit result:
the per-class summary of the report's 班级汇总 sheet, the subsidy amount of an
eligible student, the input fingerprint.

Amounts exist only when a ruleset carries subsidy standards (``[subsidy]``, yuan per
student by level, see the commented block in ``ruleset/guilin-2020.toml``); the
shipped ruleset has none, so no output shows an amount column unless one is
configured. A level without a standard gives no amount (never zero): the outputs say
how many eligible students that leaves uncounted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from typing import Any

import pandas as pd

from ..audit import AuditResult
from ..rules import RULES
from .rows import clean, key_text

# the national level names and the 1–5 grades of the occupational skill standards
LEVEL_ALIASES = {
    "五级": "初级",
    "初级工": "初级",
    "四级": "中级",
    "中级工": "中级",
    "三级": "高级",
    "高级工": "高级",
    "二级": "技师",
    "一级": "高级技师",
}


def level_key(level: Any) -> str | None:
    level = clean(level)
    if level is None:
        return None
    text = str(level).strip().replace(" ", "")
    if not text:
        return None
    return LEVEL_ALIASES.get(text, text)


def _date(value: Any) -> dt.date | None:
    value = clean(value)
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(value).date()


def class_info(result: AuditResult) -> dict[str, dict[str, Any]]:
    """Class id → institution, training type, occupation, level, start, end: the first
    class record of every class read (audited or not)."""
    table = result.dataset.tables["classes"].drop_duplicates("class_id")
    out: dict[str, dict[str, Any]] = {}
    for r in table.to_dict("records"):
        out[str(r["class_id"])] = {
            "institution": clean(r.get("institution")),
            "training_type": clean(r.get("training_type")),
            "occupation": clean(r.get("occupation")),
            "level": clean(r.get("level")),
            "start_date": _date(r.get("start_date")),
            "end_date": _date(r.get("end_date")),
        }
    return out


def subsidy_standards(result: AuditResult) -> dict[str, dict[str, float]]:
    """Ruleset name → {level: yuan}; empty when no ruleset sets a standard."""
    out = {}
    for rs in result.rulesets:
        table = (rs.params.get("subsidy") or {}).get("standards") or {}
        if table:
            out[rs.name] = {level_key(k) or k: float(v) for k, v in table.items()}
    return out


def amounts(result: AuditResult) -> list[float | None] | None:
    """Each student's subsidy (the attendance/eligibility row order): the standard of
    the class's level under the ruleset in force for the class, for an eligible
    student; None for the others and for a level without a standard. None (no list)
    when no ruleset has standards."""
    standards = subsidy_standards(result)
    if not standards:
        return None
    info = class_info(result)
    ruleset_of = result.context.ruleset_of if result.context is not None else {}
    out: list[float | None] = []
    e = result.eligibility
    for cid, status in zip(e["class_id"].tolist(), e["status"].tolist(), strict=True):
        rs = ruleset_of.get(cid)
        table = standards.get(rs.name) if rs is not None else None
        level = level_key((info.get(cid) or {}).get("level"))
        if status != "eligible" or table is None or level is None:
            out.append(None)
        else:
            out.append(table.get(level))
    return out


def fingerprint(inputs: list[dict[str, Any]]) -> str:
    """SHA-256 of the sorted SHA-256s of the input files, one a line: the same files
    give the same fingerprint wherever they lie and whatever their names."""
    hashes = sorted(f["sha256"] for f in inputs if f.get("sha256"))
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def class_rows(result: AuditResult, show_pii: bool = False) -> list[dict[str, Any]]:
    """One row per class: its record, students, documents complete, findings by
    severity, students by eligibility status. Every class named by a class record,
    a dossier or a student is listed; class ids and institutions are shown as in the
    other tables (masked where they hold an ID or a phone, unless ``show_pii``)."""
    info = class_info(result)
    complete = {d["class_id"]: d["complete"] for d in result.dossiers}
    severities: dict[str, Counter] = {}
    for f in result.findings:
        if f.class_id is not None:
            severities.setdefault(f.class_id, Counter())[RULES[f.code].severity] += 1
    statuses: dict[str, Counter] = {}
    for cid, status in zip(
        result.eligibility["class_id"].tolist(), result.eligibility["status"].tolist(), strict=True
    ):
        statuses.setdefault(cid, Counter())[status] += 1
    ids = sorted(set(info) | set(complete) | set(statuses), key=str)
    rows = []
    for cid in ids:
        i = info.get(cid, {})
        s = statuses.get(cid, Counter())
        sev = severities.get(cid, Counter())
        rows.append(
            {
                "class_id": key_text(cid, show_pii),
                "has_record": cid in info,
                "institution": key_text(i.get("institution"), show_pii),
                "training_type": i.get("training_type"),
                "occupation": i.get("occupation"),
                "level": i.get("level"),
                "start_date": i.get("start_date"),
                "end_date": i.get("end_date"),
                "students": sum(s.values()),
                "complete": complete.get(cid),
                "errors": sev["error"],
                "warnings": sev["warning"],
                "infos": sev["info"],
                "eligible": s["eligible"],
                "blocked": s["blocked"],
                "undetermined": s["undetermined"],
            }
        )
    return rows
