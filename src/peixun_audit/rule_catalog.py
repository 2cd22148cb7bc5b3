"""What ``peixun-audit rules`` says about each rule, read without importing the rules.

The rule classes (``rules/``) import pandas and the engine's helpers; listing them or
explaining one needs only their declarations. ``rule_catalog.json`` holds each rule's
declaration — code, name, article, severity, the ruleset parameters it reads, its
evidence variants and its docstring — written from the registry by
``scripts/make_rules_doc.py`` (with docs/RULES.md); tests/test_startup.py checks that it
equals the registry, so it cannot drift from the rules the audit runs (docs/startup.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FILE = "rule_catalog.json"


@dataclass(frozen=True)
class RuleInfo:
    """A rule's declaration, with the attribute names of :class:`rules.Rule`."""

    code: str
    name: str
    article: int | None
    severity: str
    params: tuple[str, ...]
    evidence: dict[str, dict[str, str]]
    docstring: str

    def doc(self) -> str:
        return self.docstring


def entry(rule: Any) -> dict[str, Any]:
    """The catalogue entry of a rule class (or a :class:`RuleInfo`)."""
    return {
        "name": rule.name,
        "article": rule.article,
        "severity": rule.severity,
        "params": list(rule.params),
        "evidence": rule.evidence,
        "doc": rule.doc(),
    }


def render(rules: dict[str, Any]) -> str:
    """The text of ``rule_catalog.json`` for the registry ``rules`` (code → class)."""
    data = {code: entry(rule) for code, rule in rules.items()}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@cache
def catalog() -> dict[str, RuleInfo]:
    """Code → :class:`RuleInfo`, in the registry's order (by code)."""
    text = Path(__file__).with_name(FILE).read_text("utf-8")  # package data (pyproject)
    return {
        code: RuleInfo(
            code,
            e["name"],
            e["article"],
            e["severity"],
            tuple(e["params"]),
            e["evidence"],
            e["doc"],
        )
        for code, e in json.loads(text).items()
    }
