"""Rules: canonical tables → violations. One module per article; ``fraud.py`` for X signals.

The registry is the explicit list :data:`RULE_CLASSES`, checked when this package is
imported (:func:`build_registry`): a rule left out of the list is caught by a test
that compares it with every ``Rule`` subclass in the modules, and a rule whose
declaration is wrong (a duplicate code, an unknown severity or evidence type, a
variant without a message in both languages, a message naming an undeclared field)
stops the import with a :class:`RegistryError`.
"""

from __future__ import annotations

import re
import string

from ..evidence import TYPES
from ..messages import FINDINGS
from . import (
    a01_scope,
    a02_disclosure,
    a03_application,
    a04_attendance,
    a05_records,
    a06_project,
    a07_entrepreneurship,
    a08_dispatch,
    a10_inspection,
    a11_inspection_content,
    a12_callbacks,
    a14_inspectors,
    a17_rulesets,
    fraud,
    s01_subsidy,
)
from .base import SEVERITIES, Context, Rule, UndeclaredParameter

RULE_CLASSES: tuple[type[Rule], ...] = (
    a01_scope.OutOfLicensedScope,
    a01_scope.LicenseExpired,
    a01_scope.InstitutionUnknown,
    a02_disclosure.DisclosureMissing,
    a03_application.ApplicationLate,
    a03_application.NotApprovedBeforeStart,
    a03_application.ClassRecordMissing,
    a04_attendance.AttendanceBelowThreshold,
    a04_attendance.SigninOutsidePlan,
    a04_attendance.SignatureMismatch,
    a04_attendance.PlanHoursMismatch,
    a04_attendance.SigninNotInRoster,
    a04_attendance.PlanMissing,
    a04_attendance.SigninMissing,
    a04_attendance.SigninConflict,
    a05_records.RecordIncomplete,
    a05_records.InvalidIdNumber,
    a05_records.IdInconsistent,
    a05_records.InvalidPhone,
    a05_records.CertificateIncomplete,
    a05_records.EmploymentIncomplete,
    a05_records.DuplicateStudent,
    a05_records.RosterMissing,
    a06_project.AgreementMissing,
    a06_project.AcceptanceMissing,
    a07_entrepreneurship.TooFewTeachers,
    a07_entrepreneurship.ClassTooLarge,
    a07_entrepreneurship.FollowupGap,
    a07_entrepreneurship.FollowupsMissing,
    a08_dispatch.TeacherDisqualified,
    a10_inspection.InspectionMissing,
    a10_inspection.InspectionOutsidePeriod,
    a10_inspection.InspectionUnsigned,
    a11_inspection_content.InspectionNoncompliance,
    a11_inspection_content.HeadcountMismatch,
    a12_callbacks.CallbackRateLow,
    a12_callbacks.CallbackIncomplete,
    a12_callbacks.CallbackContradiction,
    a12_callbacks.CallbacksMissing,
    a14_inspectors.InspectionTeamSize,
    a14_inspectors.InspectionNoLeader,
    a17_rulesets.BeforeEffectiveDate,
    fraud.OverlappingEnrollment,
    fraud.SimultaneousSignin,
    fraud.SharedPhone,
    fraud.RepeatTraining,
    fraud.AgeOutOfRange,
    fraud.UniformSignin,
    s01_subsidy.SameLevelSubsidised,
    s01_subsidy.LowerLevelAfterHigher,
    s01_subsidy.TooManyInYear,
)


class RegistryError(Exception):
    """A rule's declaration is inconsistent: the package refuses to load."""


_CODE = re.compile(r"^(A\d{4}|S\d{4}|X\d{4})$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_rule(cls: type[Rule]) -> None:
    """Raise :class:`RegistryError` unless ``cls`` is a complete, consistent rule."""
    code = getattr(cls, "code", None)
    if not isinstance(code, str) or not _CODE.match(code):
        raise RegistryError(f"{cls.__name__}: bad code {code!r}")
    if not _NAME.match(getattr(cls, "name", "") or ""):
        raise RegistryError(f"{code}: name must be kebab-case")
    if cls.severity not in SEVERITIES:
        raise RegistryError(f"{code}: unknown severity {cls.severity!r}")
    if not (cls.article is None or isinstance(cls.article, int)):
        raise RegistryError(f"{code}: article must be an int or None")
    if not cls.doc():
        raise RegistryError(f"{code}: no docstring")
    variants = getattr(cls, "evidence", None)
    if not variants:
        raise RegistryError(f"{code}: declares no evidence")
    for variant, fields in variants.items():
        if not fields:
            raise RegistryError(f"{code}/{variant}: evidence has no field")
        bad = {k: t for k, t in fields.items() if t not in TYPES}
        if bad:
            raise RegistryError(f"{code}/{variant}: unknown evidence types {bad}")
        messages = FINDINGS.get((code, variant))
        if messages is None or len(messages) != 2 or not all(messages):
            raise RegistryError(f"{code}/{variant}: no message in both languages")
        for template in messages:
            unknown = _placeholders(template) - set(fields)
            if unknown:
                raise RegistryError(f"{code}/{variant}: message names undeclared {unknown}")
    stale = {key for key in FINDINGS if key[0] == code and key[1] not in variants}
    if stale:
        raise RegistryError(f"{code}: messages for undeclared variants {sorted(stale)}")


def build_registry(classes: tuple[type[Rule], ...]) -> dict[str, type[Rule]]:
    """Code → rule class, ordered by code; every rule checked."""
    registry: dict[str, type[Rule]] = {}
    for cls in classes:
        check_rule(cls)
        if cls.code in registry:
            raise RegistryError(f"{cls.code} is registered twice")
        registry[cls.code] = cls
    return dict(sorted(registry.items()))


RULES: dict[str, type[Rule]] = build_registry(RULE_CLASSES)


def select_codes(select: list[str] | None, ignore: list[str] | None) -> list[str]:
    """Codes chosen by prefix, like ruff: ``--select A04,X`` then ``--ignore A0403``."""
    chosen = [c for c in RULES if not select or any(c.startswith(p) for p in select)]
    return [c for c in chosen if not ignore or not any(c.startswith(p) for p in ignore)]


__all__ = [
    "RULES",
    "RULE_CLASSES",
    "Context",
    "RegistryError",
    "Rule",
    "UndeclaredParameter",
    "build_registry",
    "check_rule",
    "select_codes",
]
