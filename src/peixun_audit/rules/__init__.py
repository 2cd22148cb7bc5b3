"""Rules: canonical tables → findings. One module per article; ``fraud.py`` for X signals.

Importing this package registers every rule in :data:`REGISTRY`, ordered by code.
"""

from . import (  # noqa: F401  (importing a module registers its rules)
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
)
from .base import REGISTRY, Context, Rule, register

RULES: dict[str, type[Rule]] = dict(sorted(REGISTRY.items()))


def select_codes(select: list[str] | None, ignore: list[str] | None) -> list[str]:
    """Codes chosen by prefix, like ruff: ``--select A04,X`` then ``--ignore A0403``."""
    chosen = [c for c in RULES if not select or any(c.startswith(p) for p in select)]
    return [c for c in chosen if not ignore or not any(c.startswith(p) for p in ignore)]


__all__ = ["RULES", "Context", "Rule", "register", "select_codes"]
