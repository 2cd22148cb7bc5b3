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
from .heap import paused, release
from .load import MAY_HOLD_WORKBOOKS, Dataset
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
    # why the audit could not decide eligibility: (reason key, what) — rules not run,
    # rules failed, files or sheets not read; empty when the audit is complete
    incomplete: list[tuple[str, list[str]]] = field(default_factory=list)
    # one row per class: where each document of its dossier was found (see dossiers())
    dossiers: list[dict] = field(default_factory=list)
    # years whose regional holiday (Guangxi's 壮族三月三) was computed from the lunar
    # calendar, not read from the year's notice: its 调休 is unconfirmed (SPEC §7)
    calendar_regional_unconfirmed: list[int] = field(default_factory=list)
    # the subsidy ledger the S01 rules compared with: {"checked", "source", "payments"};
    # checked False (no --ledger) means payments outside the batch were not checked —
    # said in the report, without making anyone undetermined (docs/LEDGER.md)
    ledger: dict = field(default_factory=dict)

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
                    raise RulesetError(
                        "ruleset_missing_key", file=rs.name, param=key, code=code
                    ) from exc


@paused()  # a city-year's audit: 0.04 s of the collector's passes, over objects without cycles
def run(
    dataset: Dataset,
    rulesets: list[Ruleset],
    as_of: dt.date,
    codes: list[str],
    ledger: pd.DataFrame | None = None,
    ledger_source: str | None = None,
) -> AuditResult:
    """Audit ``dataset``. ``ledger``: the payments already recorded (ledger.COLUMNS) of
    the batch's people, read by the caller from ``ledger_source``; None when no ledger
    was given (the S01 rules then compare the batch's classes only)."""
    from .ledger import empty_table

    check_parameters(codes, rulesets)
    tables = dict(dataset.tables)
    tables["ledger"] = empty_table() if ledger is None else ledger
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
    audited["signin"] = _makeup_signatures(audited["signin"], ruleset_of)
    result = att.compute(audited["classes"], audited["plan"], audited["roster"], audited["signin"])
    ctx = Context(
        audited,
        result,
        ruleset_of,
        rulesets[-1],
        as_of,
        institution_of,
        dataset.cell,
        rulesets,
        dataset.problems,
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
    release()  # attendance's and the rules' temporaries, freed by now
    unknown_years = sorted({y for c in ctx.calendars.values() for y in c.unknown_years})
    unconfirmed = sorted({y for c in ctx.calendars.values() for y in c.unconfirmed_years})

    table = result.table.copy()
    table["institution"] = table["class_id"].map(institution_of)
    threshold = ctx.param("attendance.min_rate_percent", table["class_id"])
    table["passes"] = att.passes(table["attended_units"], table["planned_units"], threshold).where(
        table["planned_units"] > 0
    )
    incomplete = _incomplete(dataset, codes, failures)
    # a class still running on the audit date cannot be paid yet: its callbacks (Art. 12)
    # and its last sign-ins are not in (fails closed, per class)
    ends = classes.set_index("class_id")["end_date"]
    not_ended = sorted(c for c, end in ends.items() if pd.isna(end) or end >= pd.Timestamp(as_of))
    if not_ended:
        incomplete.append(("classes-not-ended", not_ended))
    dossier = dossiers(audited, as_of)
    return AuditResult(
        dataset,
        rulesets,
        as_of,
        codes,
        findings,
        table,
        _eligibility(table, findings, failures, incomplete, set(not_ended)),
        audited["classes"],
        unknown_years,
        ctx,
        failures,
        incomplete,
        dossier,
        ledger={
            "checked": ledger is not None,
            "source": ledger_source if ledger is not None else None,
            "payments": 0 if ledger is None else len(ledger),
            "rules": [c for c in codes if c.startswith("S01")],
        },
        calendar_regional_unconfirmed=unconfirmed,
    )


def _makeup_signatures(signin: pd.DataFrame, ruleset_of: dict[str, Ruleset]) -> pd.DataFrame:
    """补签 marks count as present in the classes whose ruleset says so
    (``attendance.makeup_signature_present``); elsewhere they stay unknown (absent)."""
    makeup = (signin["status"] == "makeup").to_numpy()
    if not makeup.any():
        return signin
    counting = {
        cid
        for cid, rs in ruleset_of.items()
        if rs.params.get("attendance", {}).get("makeup_signature_present") is True
    }
    present = makeup & signin["class_id"].isin(counting).to_numpy()
    if not present.any():
        return signin
    status = signin["status"].array.copy()  # a categorical: "present" is one of its values
    status[present] = "present"
    return signin.assign(status=status)


# the documents of a class dossier, in the order the report lists them
DOSSIER = (
    "classes",
    "plan",
    "roster",
    "signin",
    "inspections",
    "callbacks",
    "followups",
    "agreement",
)


def dossiers(tables: dict[str, pd.DataFrame], as_of: dt.date) -> list[dict]:
    """Per class (every class id any table names), each document of its dossier: the
    files it was found in, and whether the regulation requires it for this class —
    callbacks once the class has ended (Art. 12), follow-ups for 创业培训 (Art. 7), the
    training agreement for project-based classes (Art. 6). The rules that block a
    class for a missing document are A0303, A0406, A0407, A0508, A1001, A1204, A0704,
    A0601; this table shows the whole dossier at a glance."""
    from .rules.base import training_kind

    files: dict[str, dict[str, list[str]]] = {}
    for kind in DOSSIER[:-1]:
        frame = tables[kind]
        if "srow" in frame:  # sign-ins: one row per cell; a line is enough (integer key),
            # its two columns taken before the rows (not the cells' 14)
            frame = frame[["srow", "class_id", "src_file"]].drop_duplicates("srow")
        for cid, file in sorted(
            set(zip(frame["class_id"], frame["src_file"], strict=True)), key=str
        ):
            if isinstance(cid, str):
                files.setdefault(cid, {}).setdefault(kind, []).append(file)
    classes = tables["classes"].drop_duplicates("class_id").set_index("class_id")
    entrepreneurship = training_kind(classes, "entrepreneurship")
    project = training_kind(classes, "project")
    ended = classes["end_date"].notna() & (classes["end_date"] < pd.Timestamp(as_of))
    # per class as plain dictionaries: a Series look-up per class and flag cost 20 ms
    ids = classes.index.tolist()
    entrepreneurship, project, ended = (
        dict(zip(ids, flags.tolist(), strict=True)) for flags in (entrepreneurship, project, ended)
    )
    agreed = dict(zip(ids, classes["agreement_date"].notna().tolist(), strict=True))
    out = []
    for cid in sorted(files):
        found = files[cid]
        known = cid in project
        if known and project[cid] and agreed[cid]:
            found["agreement"] = found["classes"]
        required = {
            "classes": True,
            "plan": True,
            "roster": True,
            "signin": True,
            "inspections": True,
            "callbacks": bool(known and ended[cid]),
            "followups": bool(known and entrepreneurship[cid] and ended[cid]),
            "agreement": bool(known and project[cid]),
        }
        documents = {
            kind: {"required": required[kind], "files": sorted(set(found.get(kind, [])))}
            for kind in DOSSIER
        }
        complete = all(d["files"] or not d["required"] for d in documents.values())
        out.append({"class_id": cid, "complete": complete, "documents": documents})
    return out


# input problems after which some class's evidence may be missing: a whole sheet (or
# file) not read, or rows whose class is unknown
EVIDENCE_LOST = {
    "sheet-unreadable",
    "sheet-too-large",
    "sheet-too-much-text",
    "cell-out-of-range",
    "no-header",
    "missing-columns",
    "no-class-id",
    "row-no-class-id",
    "no-class-id-stacked",
    "row-above-header",
    "row-under-other-label",
    "reader-crashed",
    # a printed inspection form without a readable date (load/forms.py): not used
    "form-date-unreadable",
    "form-no-date",
    # a monthly grid or a session sheet whose dates cannot be told (load/grid.py, sessions.py)
    "grid-month-unknown",
    "grid-month-ambiguous",
    "grid-day-invalid",
    "session-day-number",
}


def _incomplete(
    dataset: Dataset, codes: list[str], failures: list[RuleFailure]
) -> list[tuple[str, list[str]]]:
    """Why nobody can be called eligible on this run (fail closed): the whole rulebook
    must have run, and every file and sheet must have been read."""
    out: list[tuple[str, list[str]]] = []
    not_run = sorted(set(RULES) - set(codes))
    if not_run:
        out.append(("rules-not-run", not_run))
    if failures:
        out.append(("rules-failed", [f.code for f in failures]))
    failed = [
        f.path
        for f in dataset.inputs
        if f.status == "failed"
        or any(
            p.code == "unsupported-format" and p.params.get("format") in MAY_HOLD_WORKBOOKS
            for p in f.problems
        )
    ]
    if failed:
        out.append(("files-not-read", failed))
    lost = sorted(
        {
            f"{p.source.file} / {p.source.sheet}" if p.source.sheet else p.source.file
            for f in dataset.inputs
            if f.status != "failed"
            for p in f.problems
            if p.code in EVIDENCE_LOST
        }
    )
    if lost:
        out.append(("sheets-not-read", lost))
    # without the institutions register Article 1 (licence scope and validity) cannot be
    # checked for any class: A0103 says so per class, and nobody can be found eligible
    if len(dataset.tables["classes"]) and not len(dataset.tables["institutions"]):
        out.append(("register-missing", ["institutions"]))
    return out


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
    students: pd.DataFrame,
    findings: list[Finding],
    failures: list[RuleFailure],
    incomplete: list[tuple[str, list[str]]],
    not_ended: set[str] = frozenset(),
) -> pd.DataFrame:
    """Three-valued and failing closed (SPEC §5): ``blocked`` when the student or the
    student's class has an error finding (``reasons`` lists the codes); otherwise
    ``undetermined`` when the audit is incomplete (``reasons`` lists why: rules not
    run or failed, files or sheets not read; ``id-number-missing``: nobody to pay until
    the roster gives the number); ``eligible`` only after the whole
    rulebook ran over everything given. A rule that failed might have blocked anyone,
    so it blocks everyone (reason ``internal-error:CODE``)."""
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
    undecided = [key for key, _ in incomplete if key not in ("rules-failed", "classes-not-ended")]
    reasons, statuses = [], []
    # the columns as lists: iterating a Series boxes each value through pandas
    for cid, name, idn in zip(
        students["class_id"].tolist(),
        students["student_name"].tolist(),
        students["id_number"].tolist(),
        strict=True,
    ):
        by_class = class_errors.get(cid)
        by_id = student_errors.get((cid, idn)) if isinstance(idn, str) else None
        by_name = student_errors.get((cid, f"name:{name}"))
        # no ID number on the roster: nobody to pay until it is filled in (A0501 reports
        # the blank cell, as a warning; the payment needs the number)
        no_id = [] if isinstance(idn, str) and idn.strip() else ["id-number-missing"]
        if by_class or by_id or by_name or failed:
            statuses.append("blocked")
            reasons.append(sorted(failed.union(by_class or (), by_id or (), by_name or ())))
        elif undecided or cid in not_ended or no_id:
            statuses.append("undetermined")
            ended = ["class-not-ended"] if cid in not_ended else []
            reasons.append(undecided + ended + no_id)
        else:
            statuses.append("eligible")
            reasons.append([])
    out = students[["class_id", "student_name", "id_number"]].copy()
    out["status"] = statuses
    out["eligible"] = [s == "eligible" for s in statuses]
    out["reasons"] = reasons
    return out
