"""Article 3: apply 3 working days ahead; open only once approved."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import Context, Rule, rows_of


class ApplicationLate(Rule):
    """Fewer than the required working days (default 3) lie between the class
    application and the start date, or there is no application date.

    Why: Article 3 — each class must be submitted on the Guangxi public employment
    platform 3 working days ahead (提前3个工作日).

    Reading: working days strictly between the two dates, neither counted (the Civil
    Code counts a period from the next day), on the statutory calendar with holidays
    and 调休 make-up workdays. Example: application Wednesday 2020-09-30, start
    Monday 2020-10-12: only Friday 10-09 and the make-up Saturday 10-10 are working
    days in between — 2, late.

    Anti-pattern: applied 2020-09-30 for a class starting 2020-10-12.
    Compliant: applied 2020-09-01 (Tue) for a class starting 2020-09-07 (Mon): 9-02, 9-03, 9-04.
    """

    code = "A0301"
    name = "application-late"
    article = 3
    severity = "error"
    params = ("application.min_working_days",)
    evidence = {
        "late": {"working_days": "count", "required": "count", "applied": "date", "start": "date"},
        "missing": {"required": "count", "start": "date"},
    }

    def check(self, ctx: Context):
        for row in ctx.class_rows():
            if pd.isna(row.start_date):
                continue
            need = ctx.class_param(row.class_id, "application.min_working_days")
            where = ctx.source(row, "application_date")
            if pd.isna(row.application_date):
                evidence = {"required": need, "start": row.start_date}
                yield ctx.violation("missing", row.class_id, evidence, where)
                continue
            days = ctx.calendar(row.class_id).workdays_between(
                row.application_date.date(), row.start_date.date()
            )
            if days < need:
                evidence = {
                    "working_days": days,
                    "required": need,
                    "applied": row.application_date,
                    "start": row.start_date,
                }
                yield ctx.violation("late", row.class_id, evidence, where)


class NotApprovedBeforeStart(Rule):
    """The class has no approval date, or was approved after it started.

    Why: Article 3 — a class may open only once the HR bureau has approved it
    (经人力资源社会保障部门批准后方可开班).

    Reading: approval on the start date itself is in time.

    Anti-pattern: 开班批准日期 2020-09-08 for a class that started 2020-09-07.
    Compliant: approved 2020-09-02 for a class starting 2020-09-07.
    """

    code = "A0302"
    name = "not-approved-before-start"
    article = 3
    severity = "error"
    evidence = {
        "missing": {"start": "date"},
        "late": {"approved": "date", "start": "date"},
    }

    def check(self, ctx: Context):
        classes = ctx.classes
        # the classes at fault, picked whole-column (a row's datetimes are slow to read)
        start, approved = classes["start_date"], classes["approval_date"]
        at_fault = start.notna() & (approved.isna() | (approved > start))
        for row in rows_of(classes[at_fault.to_numpy(dtype=bool)]):
            where = ctx.source(row, "approval_date")
            if pd.isna(row.approval_date):
                yield ctx.violation("missing", row.class_id, {"start": row.start_date}, where)
            elif row.approval_date > row.start_date:
                evidence = {"approved": row.approval_date, "start": row.start_date}
                yield ctx.violation("late", row.class_id, evidence, where)


# the class-scoped tables that name a class by its id (the classes table defines it)
NAMING_TABLES = ("plan", "roster", "signin", "inspections", "callbacks", "followups")


def class_ids(ctx: Context, kind: str) -> set[str]:
    """The distinct class ids a table names, built once per table. A table's rows come
    file by file, so its ids run in blocks: the first id of each run is every distinct
    id (exact in any order; 720,000 sign-in cells in a few ms, a hash of them in 30)."""

    def build() -> set[str]:
        column = ctx.tables[kind]["class_id"]
        if isinstance(column.dtype, pd.CategoricalDtype):  # the categories that occur
            codes = column.array.codes
            occurs = np.bincount(codes + 1, minlength=len(column.cat.categories) + 1)[1:] > 0
            return {c for c in column.cat.categories[occurs] if isinstance(c, str)}
        ids = column.to_numpy()
        if not len(ids):
            return set()
        heads = np.flatnonzero(ids[1:] != ids[:-1]) + 1
        return {c for c in ids[np.r_[0, heads]] if isinstance(c, str)}

    return ctx.memo(f"class_ids:{kind}", build)


class ClassRecordMissing(Rule):
    """A class id used by another table of the dossier (teaching plan, roster, sign-in
    sheet, inspection form, callback log, follow-up log) has no class record (开班信息)
    in the classes table.

    Why: Article 3 — every class is submitted (提交开班信息) and approved before it opens;
    the class record is the first document of its dossier. Without it nothing can be
    checked against the class (its dates, approval, hours, training type), so the
    class id cannot be subsidised.

    Reading: one finding per missing class id, listing the kinds of table that name
    it, placed at the first row naming it: in the first file (by path), the first
    table in dossier order (plan, roster, sign-in, inspections, callbacks,
    follow-ups), its first row; at the 班级编号 cell when the sheet has that column
    (not a title label). A class that
    predates the ruleset (A1701) is in the classes table: it is not missing.

    Anti-pattern: a roster and a sign-in sheet for GL2020-009, which the classes table
    does not list.
    Compliant: every class id of the dossier has its row in the classes table.
    """

    code = "A0303"
    name = "class-record-missing"
    article = 3
    severity = "error"
    evidence = {"missing": {"tables": "table[]"}}

    def check(self, ctx: Context):
        known = set(ctx.tables["classes"]["class_id"]) | set(ctx.tables["predating"]["class_id"])
        named: dict[str, list[str]] = {}  # class id → table kinds, in NAMING_TABLES order
        first: dict[str, tuple] = {}  # class id → (file, table, sheet, row), the row
        for order, kind in enumerate(NAMING_TABLES):
            strangers = class_ids(ctx, kind) - known
            if not strangers:
                continue  # the usual case: no row of the table to look at
            table = ctx.tables[kind]
            unknown = table[table["class_id"].isin(strangers)]
            rows = unknown.sort_values(["src_file", "src_sheet", "src_row"], kind="stable")
            for row in rows_of(rows.drop_duplicates("class_id")):
                named.setdefault(row.class_id, []).append(kind)
                here = (row.src_file, order, row.src_sheet, int(row.src_row))
                if row.class_id not in first or here < first[row.class_id][0]:
                    first[row.class_id] = (here, row)
        for class_id in sorted(named):
            where = ctx.source(first[class_id][1], "class_id")
            yield ctx.violation("missing", class_id, {"tables": named[class_id]}, where)
