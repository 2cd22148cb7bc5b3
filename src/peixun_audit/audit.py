"""Run the rules over a loaded dataset: rulesets per class, attendance, findings,
eligibility. Pure computation — no files, no terminal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import pandas as pd

from . import attendance as att
from .load import Dataset
from .load.schema import CLASS_SCOPED
from .model import Finding
from .parallel import fork_pool
from .rules import RULES, Context
from .rules.base import PENDING
from .ruleset import Ruleset, in_force

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class AuditResult:
    dataset: Dataset
    rulesets: list[Ruleset]
    as_of: dt.date
    codes: list[str]
    findings: list[Finding]
    attendance: pd.DataFrame  # one row per student, attendance.STUDENT_COLUMNS
    eligibility: pd.DataFrame  # class_id, student_name, id_number, eligible, reasons
    classes: pd.DataFrame
    # years the statutory calendar did not know: counted Monday–Friday (SPEC §7)
    calendar_years_unknown: list[int] = field(default_factory=list)
    context: Context | None = field(default=None, repr=False)  # what the rules saw

    def severity(self, finding: Finding) -> str:
        return RULES[finding.code].severity

    def count_at_or_above(self, level: str) -> int:
        limit = SEVERITY_ORDER[level]
        return sum(SEVERITY_ORDER[self.severity(f)] <= limit for f in self.findings)


def _start(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def run(
    dataset: Dataset, rulesets: list[Ruleset], as_of: dt.date, codes: list[str], jobs: int = 1
) -> AuditResult:
    tables = dict(dataset.tables)
    classes = tables["classes"].drop_duplicates("class_id")
    ruleset_of: dict[str, Ruleset] = {}
    predating = []
    for cid, start in zip(classes["class_id"], classes["start_date"], strict=True):
        rs = in_force(rulesets, _start(start))
        if rs is None:
            predating.append(cid)
        else:
            ruleset_of[cid] = rs
    # Article 17: a class that started before every ruleset gets A1701 and nothing else
    audited = {
        k: (v[~v["class_id"].isin(predating)] if k in CLASS_SCOPED and predating else v)
        for k, v in tables.items()
    }
    audited["predating"] = tables["classes"][tables["classes"]["class_id"].isin(predating)]

    institution_of = {
        c: i
        for c, i in zip(classes["class_id"], classes["institution"], strict=True)
        if isinstance(i, str)
    }
    ctx = Context(
        audited,
        PENDING,
        ruleset_of,
        rulesets[-1],
        as_of,
        institution_of,
        dataset.cell,
        rulesets,
    )

    def attendance() -> None:
        ctx.attendance = att.compute(
            audited["classes"], audited["plan"], audited["roster"], audited["signin"]
        )

    findings, unknown_years = _check_all(ctx, codes, jobs, attendance)
    result = ctx.attendance
    findings.sort(
        key=lambda f: (
            f.class_id or "",
            f.code,
            f.source.file if f.source else "",
            f.source.row or 0 if f.source else 0,
        )
    )

    table = result.table.copy()
    table["institution"] = table["class_id"].map(institution_of)
    threshold = ctx.param("attendance.min_rate_percent", table["class_id"])
    table["passes"] = att.passes(table["attended_units"], table["planned_units"], threshold).where(
        table["planned_units"] > 0
    )
    return AuditResult(
        dataset,
        rulesets,
        as_of,
        codes,
        findings,
        table,
        _eligibility(table, findings),
        audited["classes"],
        unknown_years,
        ctx,
    )


_SHARED: Context | None = None  # the context forked rule workers inherit


def _check(code: str) -> tuple[list[Finding], set[int]]:
    """One rule's findings, and the calendar years it met that the calendar lacks (a
    forked worker's calendars are its own: the years must travel back)."""
    assert _SHARED is not None
    found = list(RULES[code]().check(_SHARED))
    return found, {y for c in _SHARED.calendars.values() for y in c.unknown_years}


def _check_all(
    ctx: Context, codes: list[str], jobs: int, attendance: Callable[[], None]
) -> tuple[list[Finding], list[int]]:
    """Compute attendance (``attendance()`` sets ``ctx.attendance``) and every rule's
    findings, in code order, with the unknown calendar years.

    With ``jobs`` > 1, the rules that read only the tables start in forked workers
    (they inherit the context: no pickling of the tables; only findings and years
    travel back) while this process computes attendance and then runs the rules that
    read it."""
    global _SHARED
    _SHARED = ctx
    results: dict[str, tuple[list[Finding], set[int]]] = {}
    early = [c for c in codes if not RULES[c].uses_attendance]
    try:
        with fork_pool(min(jobs, len(early))) as pool:
            if pool is None:
                attendance()
                results = {code: _check(code) for code in codes}
            else:
                futures = {code: pool.submit(_check, code) for code in early}
                attendance()
                results = {code: _check(code) for code in codes if code not in futures}
                for code, future in futures.items():
                    try:
                        results[code] = future.result()
                    except BrokenProcessPool:  # a worker died (out of memory?): run it here
                        results[code] = _check(code)
    finally:
        _SHARED = None
    findings = [f for code in codes for f in results[code][0]]
    return findings, sorted({y for _, years in results.values() for y in years})


def _eligibility(students: pd.DataFrame, findings: list[Finding]) -> pd.DataFrame:
    """Eligible when neither the student nor the student's class has an error finding."""
    class_errors: dict[str, set[str]] = {}
    student_errors: dict[tuple[str, str], set[str]] = {}
    for f in findings:
        if RULES[f.code].severity != "error" or f.class_id is None:
            continue
        if f.id_number is None and f.student_name is None:
            class_errors.setdefault(f.class_id, set()).add(f.code)
        else:
            who = f.id_number or f"name:{f.student_name}"
            student_errors.setdefault((f.class_id, who), set()).add(f.code)
    reasons = []
    for cid, name, idn in zip(
        students["class_id"], students["student_name"], students["id_number"], strict=True
    ):
        codes = set(class_errors.get(cid, ()))
        codes |= student_errors.get((cid, idn), set()) if isinstance(idn, str) else set()
        codes |= student_errors.get((cid, f"name:{name}"), set())
        reasons.append(sorted(codes))
    out = students[["class_id", "student_name", "id_number"]].copy()
    out["eligible"] = [not r for r in reasons]
    out["reasons"] = reasons
    return out
