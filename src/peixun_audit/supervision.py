"""The supervision workflow beyond findings: callback coverage and samples
(Article 12), the city spot check (Article 13) and the annual-review scorecard
(Articles 15 and 16). Pure computation over an :class:`AuditResult`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from . import sampling
from .audit import AuditResult
from .rules import RULES
from .rules.a12_callbacks import callback_ratio, required_callbacks


def callback_coverage(result: AuditResult) -> pd.DataFrame:
    """Per class: roster size, ratio, required and reached callbacks, incomplete
    records (A1202) and contradictions (A1203)."""
    cov = required_callbacks(result.context)
    counts = pd.DataFrame(
        [(f.class_id, f.code) for f in result.findings], columns=["class_id", "code"]
    )
    for code, column in (("A1202", "incomplete"), ("A1203", "contradictions")):
        per_class = counts[counts["code"] == code].groupby("class_id").size()
        cov[column] = cov["class_id"].map(per_class).fillna(0).astype(int)
    cov["coverage"] = (cov["reached"] / cov["size"]).where(cov["size"] > 0)
    cov["enough"] = cov["reached"] >= cov["required"]
    return cov.reset_index(drop=True)


@dataclass
class SampleRun:
    seed: int
    algorithm: str
    draws: list[sampling.Draw]


def callback_sample(result: AuditResult, seed: int) -> SampleRun:
    ctx = result.context
    classes = ctx.classes
    ratios = dict(zip(classes["class_id"], callback_ratio(ctx, classes), strict=True))
    draws = sampling.callback_sample(
        ctx.tables["roster"],
        ratios,
        ctx.param("callbacks.ratio_percent"),
        ctx.param("callbacks.min_per_class"),
        seed,
    )
    return SampleRun(seed, sampling.ALGORITHM, draws)


def spotcheck_sample(result: AuditResult, seed: int) -> SampleRun:
    ctx = result.context
    draw = sampling.spotcheck_sample(
        ctx.classes,
        ctx.param("spotcheck.districts"),
        ctx.param("spotcheck.share_percent"),
        ctx.param("spotcheck.min_classes"),
        seed,
    )
    return SampleRun(seed, sampling.ALGORITHM, [draw])


GRADE_EN = {"优秀": "excellent", "合格": "pass", "不合格": "fail"}


def scorecard(result: AuditResult) -> pd.DataFrame:
    """One row per institution: what was audited, what was found, a proposed grade
    (Article 15) and the Article 16 flag.

    Proposed grade (the bureau announces the real method each year; thresholds in the
    ruleset's ``[review]``): 优秀 when at least ``excellent_min_eligible_percent`` of
    its students are eligible and it has at most ``excellent_max_errors_per_class``
    class-level errors per class; 合格 when at least ``pass_min_eligible_percent`` are
    eligible; else 不合格. Article 16 flag: any class-level error finding (a breach by
    the institution itself, not a student's absence) — to be verified before action.
    """
    ctx = result.context
    params = ctx.default
    classes = ctx.classes[["class_id", "institution"]].copy()
    classes["institution"] = classes["institution"].fillna("—")
    inst_of = dict(zip(classes["class_id"], classes["institution"], strict=True))
    findings = pd.DataFrame(
        [
            (
                inst_of.get(f.class_id, "—"),
                f.code,
                RULES[f.code].severity,
                RULES[f.code].article,
                f.student_name is None and f.id_number is None,
            )
            for f in result.findings
            if f.class_id in inst_of
        ],
        columns=["institution", "code", "severity", "article", "class_level"],
    )
    att = result.attendance.assign(institution=result.attendance["class_id"].map(inst_of))
    elig = result.eligibility.assign(institution=result.eligibility["class_id"].map(inst_of))
    rows = []
    for inst, group in classes.groupby("institution"):
        f = findings[findings["institution"] == inst]
        students = int((att["institution"] == inst).sum())
        eligible = int(elig.loc[elig["institution"] == inst, "eligible"].sum())
        n_classes = len(group)
        class_errors = int(((f["severity"] == "error") & f["class_level"]).sum())
        rates = att.loc[att["institution"] == inst, "rate"].dropna()
        excellent = params.get("review.excellent_min_eligible_percent")
        passing = params.get("review.pass_min_eligible_percent")
        max_errors = params.get("review.excellent_max_errors_per_class")
        if (
            students
            and eligible * 100 >= excellent * students
            and class_errors <= max_errors * n_classes
        ):
            grade = "优秀"
        elif students and eligible * 100 >= passing * students:
            grade = "合格"
        else:
            grade = "不合格"
        share = f"{100 * eligible / students:.2f}%" if students else "—"
        rows.append(
            {
                "institution": inst,
                "classes": n_classes,
                "students": students,
                "average_rate": float(rates.mean()) if len(rates) else None,
                "errors": int((f["severity"] == "error").sum()),
                "warnings": int((f["severity"] == "warning").sum()),
                "infos": int((f["severity"] == "info").sum()),
                "by_article": dict(
                    Counter("X" if pd.isna(a) else str(int(a)) for a in f["article"])
                ),
                "eligible": eligible,
                "eligible_share": eligible / students if students else None,
                "class_errors": class_errors,
                "grade": grade,
                "grade_en": GRADE_EN[grade],
                "explanation_zh": f"可享受补贴学员 {eligible}/{students}（{share}）；优秀线 {excellent}%、合格线 {passing}%；班级层面错误 {class_errors} 个（{n_classes} 个班）",
                "explanation_en": f"{eligible}/{students} students eligible ({share}); excellent from {excellent}%, pass from {passing}%; {class_errors} class-level errors in {n_classes} classes",
                "article16": class_errors > 0,
            }
        )
    return pd.DataFrame(rows)
