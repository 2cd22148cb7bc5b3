"""Article 5: the student file — identity, training, certificate and employment records."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..attendance import plain
from ..ids import ages, phones_ok, yyyymmdd
from ..load.values import CERT_LEVELS
from ..model import Source
from .base import Context, Rule, map_distinct, person_key, rows_of

# the basic facts of Article 5(1), as canonical roster fields
BASIC_FIELDS = ("name", "gender", "id_number", "education", "address", "phone")


def _class_starts(ctx: Context) -> pd.DataFrame:
    """Per roster row (indexed like the roster), its class's start date and that date as
    yyyymmdd (``start_on``, 0 when unknown, to compare with ``id_facts``' ``born``):
    built once for A0502 and A0503 (rules must not modify it). Two columns, not a copy
    of the roster's 22."""

    def build() -> pd.DataFrame:
        roster = ctx.tables["roster"]
        # reindex keeps the datetime dtype, even with no rows (Series.map would not)
        start = ctx.classes.set_index("class_id")["start_date"]
        start = start.reindex(roster["class_id"].to_numpy()).set_axis(roster.index)
        return pd.DataFrame({"start_date": start, "start_on": yyyymmdd(start)})

    return ctx.memo("class_starts", build)


def _missing(frame: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, list[list[str]]]:
    """The rows that lack one of ``keys`` (a blank cell), and for each of them the list
    of keys it lacks (vectorised: the lists are built only for those rows)."""
    # the loader stores a blank cell as None (text is stripped when parsed); an empty
    # string can only come from elsewhere, and counts as blank too
    values = frame[keys].to_numpy(dtype=object)
    blank = pd.isna(values) | (values == "") | (values == " ")
    gaps = blank.any(axis=1)
    lacking = [[k for k, b in zip(keys, row, strict=True) if b] for row in blank[gaps]]
    return frame[gaps], lacking


def _lost_digits(ctx: Context) -> dict[tuple[str, str, int], Source]:
    """Rows whose ID cell the loader refused because it was stored as a number
    (problem ``id-stored-as-number``): (file, sheet, row) → the cell."""

    def build() -> dict[tuple[str, str, int], Source]:
        return {
            (p.source.file, p.source.sheet, int(p.source.row)): p.source
            for p in ctx.problems
            if p.code == "id-stored-as-number" and p.source.row is not None
        }

    return ctx.memo("lost_digits", build)


def _row_key(row) -> tuple[str, str, int]:
    return (row.src_file, row.src_sheet, int(row.src_row))


class RecordIncomplete(Rule):
    """A roster row lacks one of the basic facts Article 5 requires: 姓名, 性别,
    身份证号, 文化程度, 家庭住址, 联系电话.

    Why: Article 5(1) — every student's file records name, gender, age, ID number,
    education, home address and phone. (Age is derived from the ID number.)

    Reading: one finding per roster row listing every missing fact. An ID stored as a
    number is not missing here: the clerk did fill it in, but Excel kept only 15
    digits and the loader refused it; A0502 (``lost_digits``) reports that row, as an
    error, and saying "missing" as well would send the clerk looking for a blank cell.

    Anti-pattern: a roster row with 联系电话 blank.
    Compliant: all six facts filled in.
    """

    code = "A0501"
    name = "record-incomplete"
    article = 5
    severity = "warning"
    evidence = {"missing": {"fields": "field[]"}}

    def check(self, ctx: Context):
        roster = ctx.tables["roster"]
        lacking, missing = _missing(roster, list(BASIC_FIELDS))
        lost = _lost_digits(ctx)
        for row, keys in zip(rows_of(lacking), missing, strict=True):
            if "id_number" in keys and lost and _row_key(row) in lost:
                keys = [k for k in keys if k != "id_number"]  # A0502 lost_digits
            if keys:
                yield ctx.student_violation("missing", row, {"fields": keys}, keys[0])


class InvalidIdNumber(Rule):
    """The ID number fails GB 11643-1999: not 18 characters, no real birth date (or one
    after the class start), or a wrong check character.

    Why: Article 5(1) requires the ID number (身份证号码) in every student's file; an
    invalid number cannot identify a subsidised person.

    Reading: the check character may be x or X. The county code is not checked
    against historical code lists: real Guilin numbers carry codes that were renamed
    (python-stdnum's ``cn.ric`` rejects them). A 15-digit legacy number is reported.
    An ID cell stored as a number (Excel keeps 15 significant digits, so the last
    ones are lost) was refused by the loader: the row has no usable ID, which this
    rule reports (``lost_digits``, naming the cell) so that the student is blocked
    until the number is re-entered as text.

    Anti-pattern: 450302199013011234 (month 13), or a wrong last character; an ID
    cell formatted as a number (4.50302199001012E+17).
    Compliant: 45030219900101123X with a correct check character, in a text cell.
    """

    code = "A0502"
    name = "invalid-id-number"
    article = 5
    severity = "error"
    evidence = {"invalid": {"reason": "id_problem"}, "lost_digits": {"cell": "place"}}

    def check(self, ctx: Context):
        roster = ctx.tables["roster"]
        facts = ctx.roster_ids()  # indexed like the roster: masks over whole columns
        start = _class_starts(ctx)["start_on"]
        after_start = facts["valid"] & (start > 0) & (facts["born"] > start)
        reasons = facts["reason"].where(~after_start, "born-after-start")
        bad = roster["id_number"].notna() & reasons.notna()  # a blank ID is A0501's
        for row, reason in zip(rows_of(roster[bad]), reasons[bad], strict=True):
            yield ctx.student_violation("invalid", row, {"reason": reason}, "id_number")
        lost = _lost_digits(ctx)
        if lost:
            blank = ctx.tables["roster"]
            for row in rows_of(blank[blank["id_number"].isna()]):
                cell = lost.get(_row_key(row))
                if cell is not None:
                    yield ctx.student_violation("lost_digits", row, {"cell": cell}, "id_number")


class IdInconsistent(Rule):
    """The roster's gender or age disagrees with the ID number.

    Why: Article 5(1) — the file's basic facts must be those of the person; a gender
    or age that contradicts the ID suggests a wrong or borrowed identity.

    Reading: gender from the 17th digit (odd 男, even 女); age at the class start,
    allowed to differ by the ruleset's tolerance (default ±1 year, since ages are
    often written as of the enrolment year). Only valid IDs are compared, and only
    whole-number ages (a 年龄 of 32.5 is not read as an age).

    Anti-pattern: 性别 女 with an odd 17th digit; 年龄 45 for someone born in 1990.
    Compliant: 性别 and 年龄 match the ID.
    """

    code = "A0503"
    name = "id-inconsistent"
    article = 5
    severity = "warning"
    params = ("fraud.age_tolerance_years",)
    evidence = {
        "gender": {"gender": "gender", "id_gender": "gender"},
        "age": {"age": "count", "id_age": "count", "tolerance": "count"},
        "gender_and_age": {
            "gender": "gender",
            "id_gender": "gender",
            "age": "count",
            "id_age": "count",
            "tolerance": "count",
        },
    }

    def check(self, ctx: Context):
        roster = ctx.tables["roster"]
        facts = ctx.roster_ids()
        starts = _class_starts(ctx)
        valid = facts["valid"]
        # whole columns, then the flagged rows only (the roster has 22 columns)
        id_gender = pd.Series(np.where(facts["male"], "男", "女"), index=roster.index)
        id_age = ages(facts["born"], starts["start_on"])
        tolerance = ctx.param("fraud.age_tolerance_years", roster["class_id"])
        wrong_gender = valid & roster["gender"].isin(["男", "女"]) & (roster["gender"] != id_gender)
        age = pd.to_numeric(roster["age"], errors="coerce")
        age = age.where(age % 1 == 0)  # a fractional age is not a number of years
        wrong_age = valid & starts["start_date"].notna() & ((id_age - age).abs() > tolerance)
        at_fault = wrong_gender | wrong_age
        flagged = roster[at_fault].assign(id_gender=id_gender[at_fault], id_age=id_age[at_fault])
        for row, gender_bad, age_bad in zip(
            rows_of(flagged), wrong_gender[flagged.index], wrong_age[flagged.index], strict=True
        ):
            evidence = {}
            if gender_bad:
                evidence.update(gender=row.gender, id_gender=row.id_gender)
            if age_bad:
                tolerance = ctx.class_param(row.class_id, "fraud.age_tolerance_years")
                evidence.update(age=row.age, id_age=row.id_age, tolerance=tolerance)
            variant = (
                "gender_and_age" if gender_bad and age_bad else "gender" if gender_bad else "age"
            )
            yield ctx.student_violation(variant, row, evidence, "gender" if gender_bad else "age")


class InvalidPhone(Rule):
    """The roster phone is neither a mainland mobile nor a landline with its area code.

    Why: Article 5(1) requires a contact phone, and Article 12 callbacks depend on it.

    Reading: validated with the ``phonenumbers`` library for region CN; a landline
    without its area code (2822222) is invalid because it cannot be dialled from
    another district. A blank phone is A0501, not this rule.

    Anti-pattern: 1381234567 (10 digits), 2822222.
    Compliant: 13812345678, 0773-2822222.
    """

    code = "A0504"
    name = "invalid-phone"
    article = 5
    severity = "warning"
    evidence = {"invalid": {"phone": "phone"}}

    def check(self, ctx: Context):
        roster = ctx.tables["roster"]
        roster = roster[roster["phone"].notna()]
        bad = roster[~phones_ok(roster["phone"])]
        for row in rows_of(bad):
            yield ctx.student_violation("invalid", row, {"phone": row.phone}, "phone")


class CertificateIncomplete(Rule):
    """A certificate level that is not a known level, or a level without its number.

    Why: Article 5(2) — the file records the certificate type (初级, 中级, 高级, 技师,
    高级技师) and its number.

    Reading: 五级/四级/三级/二级/一级 and 初级工/中级工/高级工 are the same levels. A row
    with neither level nor number is not a finding (the student may not have sat the
    examination yet).

    Anti-pattern: 证书等级 中级 with 证书编号 blank; 证书等级 特级.
    Compliant: 证书等级 四级, 证书编号 S000045030100123.
    """

    code = "A0505"
    name = "certificate-incomplete"
    article = 5
    severity = "warning"
    evidence = {"unknown_level": {"level": "text"}, "no_number": {"level": "text"}}

    def check(self, ctx: Context):
        roster = ctx.tables["roster"]
        roster = roster[roster["cert_level"].notna()]
        known = set(CERT_LEVELS) | set(CERT_LEVELS.values())
        for row in rows_of(roster):
            if row.cert_level not in known:
                variant = "unknown_level"
            elif not isinstance(row.cert_no, str) or not row.cert_no.strip():
                variant = "no_number"
            else:
                continue
            yield ctx.student_violation(variant, row, {"level": row.cert_level}, "cert_level")


# what the file of an employed (已就业) or self-employed (自主创业) student records
EMPLOYED = ("employer", "employer_address", "employer_phone", "employer_contact")
SELF_EMPLOYED = ("business", "business_address", "business_license")


class EmploymentIncomplete(Rule):
    """An employed student without employer, address, phone and contact; a
    self-employed one without project, address and business licence.

    Why: Article 5(3) — the file records the employer (with its full address), its
    phone and contact person; for self-employment, the project, address and a copy of
    the business licence.

    Reading: 就业状态 containing 已就业/就业 (but not 未就业) is employed; containing 创业
    is self-employed. Other statuses need nothing.

    Anti-pattern: 就业状态 已就业, 单位联系人 blank.
    Compliant: 已就业 with 就业单位, 单位地址, 单位联系电话 and 单位联系人.
    """

    code = "A0506"
    name = "employment-incomplete"
    article = 5
    severity = "warning"
    evidence = {"missing": {"status": "employment", "missing": "field[]"}}

    def check(self, ctx: Context):
        roster = ctx.tables["roster"]
        status = roster["employment_status"].fillna("").astype(str)
        # a few distinct statuses on 24,000 rows: each one read once
        self_employed = map_distinct(status, lambda s: "创业" in s, bool)
        employed = map_distinct(status, lambda s: "就业" in s and "未" not in s, bool)
        employed &= ~self_employed
        groups = ((employed, "已就业", EMPLOYED), (self_employed, "自主创业", SELF_EMPLOYED))
        for mask, state, fields in groups:
            lacking, missing = _missing(roster[mask], list(fields))
            for row, keys in zip(rows_of(lacking), missing, strict=True):
                evidence = {"status": state, "missing": keys}
                yield ctx.student_violation("missing", row, evidence, keys[0])


class DuplicateStudent(Rule):
    """The same ID number appears twice in one class's roster.

    Why: Article 5 — one file per student; a duplicated ID double-counts a person and
    their subsidy.

    Reading: one finding per repeated row (the first occurrence is not reported),
    naming the row it repeats. The class's roster may be spread over several files.

    Anti-pattern: 45030219900101123X on rows 5 and 17 of one class.
    Compliant: every ID once per class.
    """

    code = "A0507"
    name = "duplicate-student"
    article = 5
    severity = "error"
    evidence = {"duplicate": {"first": "place"}}

    def check(self, ctx: Context):
        roster = ctx.tables["roster"]
        roster = roster[roster["id_number"].notna()]
        repeated = roster.duplicated(["class_id", "id_number"], keep="first")
        if not repeated.any():
            return
        # the first rows of the repeated (class, ID) pairs only: indexing every row is slow
        again = roster[repeated]
        firsts = roster[~repeated & roster["id_number"].isin(again["id_number"])]
        firsts = firsts.set_index(["class_id", "id_number"])
        for row in rows_of(again):
            first = ctx.source(firsts.loc[(row.class_id, row.id_number)])
            yield ctx.student_violation("duplicate", row, {"first": first}, "id_number")


class RosterMissing(Rule):
    """A class without a roster (学员名册): no roster row names it.

    Why: Article 5 — the institution keeps a training file for every student
    (学员培训档案: identity, training, certificate, employment); the roster is that
    file. Without it nobody in the class can be identified, so the class cannot be
    subsidised.

    Reading: one finding per class in the classes table with no roster row at all,
    at its class record, with the number of distinct people on its sign-in sheet (by
    ID number, else name; attendance takes them as the class's students meanwhile).

    Anti-pattern: a class with a plan and a sign-in sheet, but no 花名册.
    Compliant: roster rows for the class.
    """

    code = "A0508"
    name = "roster-missing"
    article = 5
    severity = "error"
    evidence = {"missing": {"signed_in": "count"}}

    def check(self, ctx: Context):
        rostered = set(ctx.tables["roster"]["class_id"].unique())
        missing = [c for c in ctx.classes["class_id"] if c not in rostered]
        if not missing:
            return
        signin = ctx.tables["signin"]
        signin = plain(signin[signin["class_id"].isin(missing)][["class_id", "id_number", "name"]])
        people = signin.assign(who=person_key(signin)).groupby("class_id")["who"].nunique()
        for class_id in missing:
            yield ctx.violation("missing", class_id, {"signed_in": int(people.get(class_id, 0))})
