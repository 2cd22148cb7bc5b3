"""Article 4: attendance registration and the 80% attendance threshold."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from ..attendance import passes, plain
from .a03_application import class_ids
from .base import Context, Rule, rows_of


class AttendanceBelowThreshold(Rule):
    """A student's attendance rate is below the threshold (default 80%).

    Why: Article 4 — a student whose rate (hours attended ÷ hours of the teaching
    plan × 100%) is below 80% may not graduate nor be subsidised.

    Reading: hours, not sessions, are compared, exactly (integer arithmetic over
    fractions of hours): a student at exactly 80% passes. Leave (请假, 病假, 事假)
    is absence. A roster student with no sign-in row has rate 0. With no teaching
    plan the rate is by session count, for information (the class is blocked by
    A0406).

    Anti-pattern: 24 of 32 planned hours attended (75%).
    Compliant: 32 of 40 planned hours attended (exactly 80%).
    """

    code = "A0401"
    name = "attendance-below-threshold"
    article = 4
    severity = "error"
    params = ("attendance.min_rate_percent",)
    evidence = {
        "hours": {
            "rate": "percent",
            "attended": "hours",
            "planned": "hours",
            "threshold": "percent",
        },
        "sessions": {
            "rate": "percent",
            "attended": "count",
            "planned": "count",
            "threshold": "percent",
        },
    }

    def check(self, ctx: Context):
        table = ctx.attendance.table
        table = table[table["planned_units"] > 0]
        threshold = ctx.param("attendance.min_rate_percent", table["class_id"])
        below = table[~passes(table["attended_units"], table["planned_units"], threshold)]
        unit = ctx.attendance.unit
        for row in rows_of(below):
            by_sessions = row.basis == "sessions"
            attended = Fraction(int(row.attended_units), unit)
            planned = Fraction(int(row.planned_units), unit)
            evidence = {
                "rate": Fraction(int(row.attended_units), int(row.planned_units)),
                "attended": int(attended) if by_sessions else attended,
                "planned": int(planned) if by_sessions else planned,
                "threshold": Fraction(
                    ctx.class_param(row.class_id, "attendance.min_rate_percent"), 100
                ),
            }
            yield ctx.violation(
                "sessions" if by_sessions else "hours",
                row.class_id,
                evidence,
                ctx.source(row),
                row.student_name,
                row.id_number,
            )


class SigninOutsidePlan(Rule):
    """A sign-in column (a date, perhaps a period) matches no session of the teaching plan.

    Why: Article 4 measures attendance against the hours the teaching plan sets;
    a session held off-plan cannot count, and may hide a schedule change nobody
    approved.

    Reading: a column is matched to the plan by date; by period (上午 < 12:00,
    下午 12:00–18:00, 晚上 after) only when the plan has several sessions that day.
    A column with no period on such a day covers every session of the day. One
    finding per column, not per student.

    Anti-pattern: a column headed 9月6日 when the plan has no session on 6 September.
    Compliant: every sign-in column date is a plan date.
    """

    code = "A0402"
    name = "signin-outside-plan"
    article = 4
    severity = "warning"
    evidence = {"day": {"date": "date"}, "session": {"date": "date", "period": "period"}}

    def check(self, ctx: Context):
        s = ctx.attendance.signin
        outside = s[s["outside_plan"]].sort_values(["src_file", "src_sheet", "src_row"])
        columns = outside.drop_duplicates(["class_id", "date", "period", "src_file", "src_sheet"])
        for row in rows_of(columns):
            where = ctx.source(row, "src_cell")
            if isinstance(row.period, str):
                evidence = {"date": row.date, "period": row.period}
                yield ctx.violation("session", row.class_id, evidence, where)
            else:
                yield ctx.violation("day", row.class_id, {"date": row.date}, where)


class SignatureMismatch(Rule):
    """A sign-in cell holds a written name that is not the student's own.

    Why: Article 4 requires every student to sign personally (学员都必须亲自签名);
    a name in another hand is proxy signing.

    Reading: the cell still counts as present for the rate (SPEC §3.2); the finding
    is a warning for the auditor to verify.

    Anti-pattern: in 张三's row, the cell for 9月1日 reads 李四.
    Compliant: 张三's row holds 张三, √ or 到.
    """

    code = "A0403"
    name = "signature-mismatch"
    article = 4
    severity = "warning"
    evidence = {"proxy": {"signer": "name", "date": "date"}}

    def check(self, ctx: Context):
        s = ctx.attendance.signin
        for row in rows_of(s[s["proxy"]]):
            yield ctx.violation(
                "proxy",
                row.class_id,
                {"signer": row.signer, "date": row.date},
                ctx.source(row, "src_cell"),
                row.student_name,
                row.student_id,
            )


class PlanHoursMismatch(Rule):
    """The teaching plan's hours do not add up to the class's planned hours (计划课时).

    Why: Article 4 computes the rate against the hours of the teaching plan; a plan
    that disagrees with the approved class hours makes every rate doubtful.

    Reading: only classes with a teaching plan are compared (a class without one is
    A0406); a class without 计划课时 is not compared.

    Anti-pattern: 计划课时 80, plan sessions summing to 76 hours.
    Compliant: plan sessions summing to exactly 计划课时.
    """

    code = "A0404"
    name = "plan-hours-mismatch"
    article = 4
    severity = "warning"
    evidence = {"mismatch": {"plan_hours": "hours", "planned_hours": "hours"}}

    def check(self, ctx: Context):
        # only the columns read: itertuples converts every datetime of a row
        classes = ctx.tables["classes"][
            ["class_id", "planned_hours", "src_file", "src_sheet", "src_row"]
        ]
        units = ctx.attendance.plan_units
        unit = ctx.attendance.unit
        basis_of = dict(zip(units.index, units["basis"], strict=True))
        units_of = dict(zip(units.index, units["planned_units"], strict=True))
        for row in rows_of(classes):
            if basis_of.get(row.class_id) != "hours":
                continue  # no teaching plan: A0406
            if row.planned_hours is not None and not pd.isna(row.planned_hours):
                plan_hours = Fraction(int(units_of[row.class_id]), unit)
                planned_hours = Fraction(row.planned_hours).limit_denominator(1000)
                if plan_hours != planned_hours:
                    evidence = {"plan_hours": plan_hours, "planned_hours": planned_hours}
                    where = ctx.source(row, "planned_hours")
                    yield ctx.violation("mismatch", row.class_id, evidence, where)


class SigninNotInRoster(Rule):
    """A sign-in row names someone who is not on the class roster.

    Why: Article 4 registers the attendance of the class's students; a sign-in for
    a person absent from the roster (学员名册) is either a roster gap or a stranger
    signing in.

    Reading: matched by ID number when the sign-in gives one, else by name when the
    name is unique in the class. Only classes that have a roster are checked.

    Anti-pattern: 签到表 row 王小明, whom the roster does not list.
    Compliant: every sign-in row is a roster student.
    """

    code = "A0405"
    name = "signin-not-in-roster"
    article = 4
    severity = "warning"
    evidence = {"by_name": {"name": "name"}, "by_id": {"id_number": "id_number"}}

    def check(self, ctx: Context):
        lines = ctx.attendance.lines
        rostered = set(ctx.tables["roster"]["class_id"])
        strangers = lines[(lines["student"] < 0) & lines["class_id"].isin(rostered)]
        strangers = strangers.drop_duplicates(["class_id", "src_file", "src_sheet", "src_row"])
        for row in rows_of(strangers):
            if isinstance(row.name, str) and row.name:
                yield ctx.student_violation("by_name", row, {"name": row.name})
            else:
                yield ctx.student_violation("by_id", row, {"id_number": row.id_number})


class PlanMissing(Rule):
    """A class without a usable teaching plan (教学计划).

    Why: Article 2 — the teaching plan is given to the students before the class
    opens; Article 4 — the attendance rate is "实际参加培训课时÷按教学计划规定的培训课时
    ×100%": without the plan's hours no rate can be computed as the article defines
    it, so the dossier is incomplete and the class cannot be subsidised.

    Reading: a plan is usable when it has at least one dated session for the class.
    Attendance is still computed by sign-in session count for information (A0401
    ``sessions``); this finding blocks the class. One finding per class, at its
    class record, with the number of sign-in sessions counted instead.

    Anti-pattern: a roster and a sign-in sheet, but no 教学计划 sheet for the class.
    Compliant: a teaching plan with the class's dated sessions and their hours.
    """

    code = "A0406"
    name = "plan-missing"
    article = 4
    severity = "error"
    evidence = {"no_plan": {"sessions": "count"}}

    def check(self, ctx: Context):
        units = ctx.attendance.plan_units
        unit = ctx.attendance.unit
        basis_of = dict(zip(units.index, units["basis"], strict=True))
        units_of = dict(zip(units.index, units["planned_units"], strict=True))
        for class_id in ctx.classes["class_id"]:
            if basis_of.get(class_id) != "hours":
                # by session count, each sign-in session is ``unit`` units
                sessions = int(units_of.get(class_id, 0)) // unit
                yield ctx.violation("no_plan", class_id, {"sessions": sessions})


class SigninMissing(Rule):
    """A class that has started but has no sign-in sheet at all.

    Why: Article 4 — every student signs in personally, and the sign-in sheet (学员签到
    登记表) is kept "作为申领培训补贴的重要依据" (an essential basis for claiming the
    subsidy); without it, nobody's attendance can be shown.

    Reading: a class has started when its start date is on or before ``--as-of``; a
    class record without a start date is not checked (the loader refuses such a row, so
    its class is A0303). Any sign-in row of the class counts, whatever its marks.

    Anti-pattern: a class that started 2020-09-07 with a roster and a plan, and no
    签到表 rows.
    Compliant: sign-in rows for the class (or a class that has not started yet).
    """

    code = "A0407"
    name = "signin-missing"
    article = 4
    severity = "error"
    evidence = {"missing": {"start": "date"}}

    def check(self, ctx: Context):
        signed = class_ids(ctx, "signin")
        as_of = pd.Timestamp(ctx.as_of)
        for row in ctx.class_rows():
            if pd.isna(row.start_date) or row.start_date > as_of or row.class_id in signed:
                continue
            yield ctx.violation("missing", row.class_id, {"start": row.start_date})


class SigninConflict(Rule):
    """Two sign-in sheets disagree about a student's session: present in one, absent in
    the other.

    Why: Article 4 — the sign-in sheet is the evidence for the subsidy (申领培训补贴的重要
    依据). When two sheets (a "corrected" copy, a second export) record the same session
    differently, the audit cannot tell which is true; counting the student present
    would pay on contradictory evidence.

    Reading: compared per student and plan session, across different sheets (file and
    sheet name); within one sheet, two columns covering the same session are not a
    conflict. One finding per student, listing the session dates, at the first absent
    cell, naming where the contradicting mark is. An error: the student is blocked until
    the sheets are reconciled.

    Anti-pattern: 签到表 shows 陈超 旷课 on 9-08; 签到表（更正） shows √ for the same session.
    Compliant: one sign-in sheet per session, or copies that agree.
    """

    code = "A0408"
    name = "signin-conflict"
    article = 4
    severity = "error"
    evidence = {"conflict": {"dates": "date[]", "other": "place"}}

    def check(self, ctx: Context):
        s = ctx.attendance.signin
        student, sid = s["student"].to_numpy(), s["sid"].to_numpy()
        counted = (student >= 0) & (sid >= 0)
        # a conflict takes two sheets, so two sign-in lines of the student: the students
        # with one line are set aside before hashing (a city-year has 720,000 cells)
        line_student = ctx.attendance.lines["student"].to_numpy()
        lines_of = np.bincount(
            line_student[line_student >= 0], minlength=int(student.max(initial=-1)) + 1
        )
        counted &= lines_of[np.maximum(student, 0)] > 1
        if not counted.any():
            return
        key = student.astype(np.int64) * (int(sid.max()) + 1) + sid  # int32 columns
        present = s["attending"].to_numpy(dtype=bool)
        # absences are few: hash them, then look for the same keys among the present
        absent_keys = pd.unique(key[counted & ~present])
        both = absent_keys[pd.Series(absent_keys).isin(key[counted & present]).to_numpy()]
        if not len(both):  # the usual case: no session marked both ways
            return
        rows = np.flatnonzero(counted & np.isin(key, both))
        cells = plain(s.iloc[rows]).assign(_key=key[rows])
        cells = cells.assign(_sheet=cells["src_file"] + "\x00" + cells["src_sheet"])
        conflicts = []
        for _, group in cells.groupby("_key", sort=False):
            there = group[group["attending"]]
            absent = group[~group["attending"]]
            other = there[~there["_sheet"].isin(set(absent["_sheet"]))]
            if len(other):  # a present mark in a sheet that has no absent mark for it
                conflicts.append((absent.iloc[0], other.iloc[0]))
        by_student: dict[int, list] = {}
        for absent, other in conflicts:
            by_student.setdefault(int(absent["student"]), []).append((absent, other))
        for pairs in by_student.values():
            absent, other = min(pairs, key=lambda p: (p[0]["src_file"], p[0]["src_row"]))
            dates = sorted({p[0]["date"] for p in pairs})
            where = ctx.source(absent, "src_cell")
            evidence = {"dates": dates, "other": ctx.source(other, "src_cell")}
            yield ctx.violation(
                "conflict",
                absent["class_id"],
                evidence,
                where,
                absent["student_name"],
                absent["student_id"],
            )
