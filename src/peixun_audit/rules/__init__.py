"""Rules: canonical tables → findings. One module per article; ``fraud.py`` for X signals.

Importing this package registers every rule in :data:`REGISTRY`, ordered by code.
"""

from . import a04_attendance  # noqa: F401  (registers rules)
from .base import REGISTRY, Context, Rule, register

RULES: dict[str, type[Rule]] = dict(sorted(REGISTRY.items()))


def select_codes(select: list[str] | None, ignore: list[str] | None) -> list[str]:
    """Codes chosen by prefix, like ruff: ``--select A04,X`` then ``--ignore A0403``."""
    chosen = [c for c in RULES if not select or any(c.startswith(p) for p in select)]
    return [c for c in chosen if not ignore or not any(c.startswith(p) for p in ignore)]


__all__ = ["RULES", "Context", "Rule", "register", "select_codes"]
