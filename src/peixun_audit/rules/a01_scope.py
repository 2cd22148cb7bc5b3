"""Article 1: train only within the licensed occupations, under a valid licence."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from .base import Context, Rule, map_distinct

_BRACKETS = re.compile(r"[(\[（【].*?[)\]）】]")


def norm_name(value: object) -> str:
    """Institution and occupation names compared without spaces, brackets or width."""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", _BRACKETS.sub("", text))


def _institutions(ctx: Context) -> pd.DataFrame:
    inst = ctx.tables["institutions"].copy()
    inst["key"] = inst["institution"].map(norm_name)
    return inst.drop_duplicates("key").set_index("key")


def _classes_with_institution(ctx: Context) -> list:
    """(institution ``key`` (:func:`norm_name`), class namedtuple) per class, built once
    for the three A01 rules; the rows are :meth:`Context.class_rows`, not a second
    conversion of the classes."""

    def build() -> list:
        key = map_distinct(
            ctx.classes["institution"], lambda v: norm_name(v) if isinstance(v, str) else None
        )
        return list(zip(key.tolist(), ctx.class_rows(), strict=True))

    return ctx.memo("classes_with_institution", build)


class OutOfLicensedScope(Rule):
    """The class's occupation (职业工种) is not among its institution's licensed occupations.

    Why: Article 1 — institutions train only in the occupations (工种) their school
    licence (办学许可) covers; out-of-scope training may not be subsidised.

    Reading: names are compared after removing spaces, full-width forms and any
    bracketed part (``电工（初级）`` is ``电工``). Project-based classes are checked too:
    the agreement decides what is trained, the licence still bounds it. A class
    whose institution is not listed gets A0103 instead; an institution listed
    without any licensed occupation has an empty scope (variant ``no_scope``).

    Anti-pattern: 职业工种 焊工, licence scope 电工、中式烹调师.
    Compliant: 职业工种 电工, licence scope 电工、中式烹调师.
    """

    code = "A0101"
    name = "out-of-licensed-scope"
    article = 1
    severity = "error"
    evidence = {
        "outside_scope": {"occupation": "text", "scope": "text[]"},
        "no_scope": {"occupation": "text"},
    }

    def check(self, ctx: Context):
        inst = _institutions(ctx)
        scope_of = dict(zip(inst.index, inst["licensed_occupations"], strict=True))
        scope_of = {k: tuple(s) if isinstance(s, tuple) else () for k, s in scope_of.items()}
        names_of = {k: {norm_name(s) for s in scope} for k, scope in scope_of.items()}
        for key, row in _classes_with_institution(ctx):
            if key not in scope_of or not isinstance(row.occupation, str):
                continue
            scope = scope_of[key]
            if norm_name(row.occupation) not in names_of[key]:
                where = ctx.source(row, "occupation")
                if scope:
                    evidence = {"occupation": row.occupation, "scope": scope}
                    yield ctx.violation("outside_scope", row.class_id, evidence, where)
                else:
                    evidence = {"occupation": row.occupation}
                    yield ctx.violation("no_scope", row.class_id, evidence, where)


class LicenseExpired(Rule):
    """The institution's licence expires before the class ends.

    Why: Article 1 — training must be run under a valid school licence for its
    whole period.

    Reading: a licence valid until the end date itself is valid (有效期至 includes
    the day). A missing expiry date is not a finding (nothing to compare).

    Anti-pattern: 有效期至 2020-09-30, class ending 2020-10-15.
    Compliant: 有效期至 2022-06-30.
    """

    code = "A0102"
    name = "license-expired"
    article = 1
    severity = "error"
    evidence = {"expired": {"expiry": "date", "end": "date"}}

    def check(self, ctx: Context):
        inst = _institutions(ctx)
        expiry_of = dict(zip(inst.index, inst["license_expiry"], strict=True))
        for key, row in _classes_with_institution(ctx):
            if key not in expiry_of:
                continue
            expiry = expiry_of[key]
            if pd.notna(expiry) and pd.notna(row.end_date) and expiry < row.end_date:
                yield ctx.violation(
                    "expired",
                    row.class_id,
                    {"expiry": expiry, "end": row.end_date},
                    ctx.source(row, "end_date"),
                )


class InstitutionUnknown(Rule):
    """The class's institution is not in the institutions table, so its licence scope
    and validity cannot be verified.

    Why: Article 1 checks need the institution's licence (办学许可证号, 许可范围,
    有效期); a class whose institution is missing from the 培训机构 table escapes them.

    Reading: names match after removing spaces, full-width forms and brackets. A class
    with no institution at all is reported too (variant ``no_institution``).

    Anti-pattern: 培训机构 桂林市某某学校, absent from 培训机构名录.
    Compliant: every class's institution is listed with its licence.
    """

    code = "A0103"
    name = "institution-unknown"
    article = 1
    severity = "warning"
    evidence = {
        "unlisted": {"institution": "text"},
        "no_institution": {"class_id": "class_id"},
    }

    def check(self, ctx: Context):
        known = set(_institutions(ctx).index)
        for key, row in _classes_with_institution(ctx):
            if key is None or key not in known:
                where = ctx.source(row, "institution")
                if isinstance(row.institution, str):
                    evidence = {"institution": row.institution}
                    yield ctx.violation("unlisted", row.class_id, evidence, where)
                else:
                    evidence = {"class_id": str(row.class_id)}
                    yield ctx.violation("no_institution", row.class_id, evidence, where)
