"""The engine: run the rules over a loaded dataset — rulesets per class, attendance,
findings, eligibility. Pure computation — no files, no terminal.

Each rule runs isolated (:func:`check_rule`): what it returns is checked against its
declared evidence and typed (``evidence.coerce``); a rule that raises, or returns
evidence its declaration does not allow, becomes a :class:`RuleFailure` naming it,
and the other rules' findings stand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from . import attendance as att
from .evidence import EvidenceError, coerce
from .load import Dataset
from .load.schema import CLASS_SCOPED
from .messages import TERMS
from .model import Finding, RuleFailure, Violation
from .rules import RULES, Context, Rule
from .ruleset import Ruleset, RulesetError, in_force

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
    failures: list[RuleFailure] = field(default_factory=list)  # rules that raised

    def severity(self, finding: Finding) -> str:
        return RULES[finding.code].severity

    def count_at_or_above(self, level: str) -> int:
        limit = SEVERITY_ORDER[level]
        return sum(SEVERITY_ORDER[self.severity(f)] <= limit for f in self.findings)


def _start(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def check_parameters(codes: list[str], rulesets: list[Ruleset]) -> None:
    """Every parameter the chosen rules declare must be in every ruleset: checked once,
    before any class is audited (a ruleset that lacks one is a usage error)."""
    for rs in rulesets:
        for code in codes:
            for key in RULES[code].params:
                try:
                    rs.get(key)
                except (KeyError, TypeError) as exc:
                    raise RulesetError(f"{rs.name}: {code} needs parameter {key}") from exc


def run(dataset: Dataset, rulesets: list[Ruleset], as_of: dt.date, codes: list[str]) -> AuditResult:
    check_parameters(codes, rulesets)
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
    result = att.compute(audited["classes"], audited["plan"], audited["roster"], audited["signin"])
    ctx = Context(
        audited, result, ruleset_of, rulesets[-1], as_of, institution_of, dataset.cell, rulesets
    )
    findings: list[Finding] = []
    failures: list[RuleFailure] = []
    for code in codes:
        found, failure = check_rule(RULES[code], ctx)
        findings.extend(found)
        if failure is not None:
            failures.append(failure)
    findings.sort(
        key=lambda f: (
            f.class_id or "",
            f.code,
            f.source.file if f.source else "",
            f.source.row or 0 if f.source else 0,
        )
    )
    unknown_years = sorted({y for c in ctx.calendars.values() for y in c.unknown_years})

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
        _eligibility(table, findings, failures),
        audited["classes"],
        unknown_years,
        ctx,
        failures,
    )


def check_rule(rule: type[Rule], ctx: Context) -> tuple[list[Finding], RuleFailure | None]:
    """One rule's findings, or — when it raises or returns evidence its declaration
    does not allow — none and the failure. The rule may read only the ruleset
    parameters it declares (``Context.declared``)."""
    ctx.declared = rule.params
    try:
        return [_finding(rule, v, ctx) for v in rule().check(ctx)], None
    except Exception as exc:  # a bug in one rule must not end the audit of the others
        return [], RuleFailure(rule.code, f"{type(exc).__name__}: {exc}")
    finally:
        ctx.declared = None


def _finding(rule: type[Rule], v: Violation, ctx: Context) -> Finding:
    """A violation as a finding: evidence checked against the declaration and typed."""
    fields = rule.evidence.get(v.variant)
    if fields is None:
        raise EvidenceError(f"undeclared variant {v.variant!r}")
    if set(v.evidence) != set(fields):
        raise EvidenceError(f"{v.variant}: evidence keys {sorted(v.evidence)} != {sorted(fields)}")
    try:
        evidence = {k: coerce(t, v.evidence[k], TERMS) for k, t in fields.items()}
    except EvidenceError as exc:
        raise EvidenceError(f"{v.variant}: {exc}") from None
    source = v.source
    if source is None and v.class_id is not None:
        source = ctx.class_source(v.class_id)
    return Finding(
        code=rule.code,
        variant=v.variant,
        class_id=v.class_id,
        institution=ctx.institution_of.get(v.class_id) if v.class_id else None,
        student_name=v.student_name,
        id_number=v.id_number,
        evidence=evidence,
        source=source,
    )


def _eligibility(
    students: pd.DataFrame, findings: list[Finding], failures: list[RuleFailure]
) -> pd.DataFrame:
    """Eligible when neither the student nor the student's class has an error finding,
    and every rule ran: a rule that failed might have blocked anyone, so it blocks
    everyone (reason ``internal-error:CODE``) until the run is repeated without it."""
    class_errors: dict[str, set[str]] = {}
    failed = {f"internal-error:{f.code}" for f in failures}
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
        by_class = class_errors.get(cid)
        by_id = student_errors.get((cid, idn)) if isinstance(idn, str) else None
        by_name = student_errors.get((cid, f"name:{name}"))
        if not (by_class or by_id or by_name or failed):
            reasons.append([])  # most students: nothing to merge
            continue
        reasons.append(sorted(failed.union(by_class or (), by_id or (), by_name or ())))
    out = students[["class_id", "student_name", "id_number"]].copy()
    out["eligible"] = [not r for r in reasons]
    out["reasons"] = reasons
    return out
