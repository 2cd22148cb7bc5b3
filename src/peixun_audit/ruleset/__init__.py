"""Rulesets: every number the rules use, in TOML, with the date it came into force.

The shipped ruleset is ``guilin-2020``. ``--ruleset FILE`` adds a newer (or replacing)
ruleset; each class is audited under the ruleset in force on its start date (Article 17).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

SHIPPED = "guilin-2020"


@dataclass(frozen=True)
class Ruleset:
    name: str
    effective: dt.date
    params: dict[str, Any]
    title: str = ""

    def get(self, dotted: str) -> Any:
        """A parameter by its dotted path, e.g. ``attendance.min_rate_percent``."""
        node: Any = self.params
        for part in dotted.split("."):
            node = node[part]
        return node


class RulesetError(Exception):
    pass


def parse_ruleset(text: str, origin: str) -> Ruleset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError(f"{origin}: {exc}") from exc
    effective = data.get("effective")
    if not isinstance(effective, dt.date):
        raise RulesetError(f"{origin}: 'effective' must be a TOML date, e.g. 2020-08-20")
    return Ruleset(str(data.get("name", origin)), effective, data, str(data.get("title", "")))


def shipped() -> Ruleset:
    text = resources.files(__package__).joinpath(f"{SHIPPED}.toml").read_text("utf-8")
    return parse_ruleset(text, SHIPPED)


def load_rulesets(override: Path | None = None) -> list[Ruleset]:
    """The shipped ruleset, plus an override file; sorted by effective date.

    An override inherits every parameter it does not set from the shipped ruleset,
    so a file may change just one number."""
    base = shipped()
    sets = [base]
    if override is not None:
        try:
            text = override.read_text("utf-8")
        except OSError as exc:
            raise RulesetError(f"{override}: {exc.strerror}") from exc
        extra = parse_ruleset(text, str(override))
        merged = _merge(base.params, extra.params)
        extra = Ruleset(extra.name, extra.effective, merged, extra.title or base.title)
        sets = [s for s in sets if s.effective != extra.effective] + [extra]
    return sorted(sets, key=lambda s: s.effective)


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        out[key] = (
            _merge(base[key], value)
            if isinstance(value, dict) and isinstance(base.get(key), dict)
            else value
        )
    return out


def in_force(rulesets: list[Ruleset], start: dt.date | None) -> Ruleset | None:
    """The newest ruleset effective on ``start``; None when the class predates them all.
    A class with no start date is audited under the newest ruleset."""
    if start is None:
        return rulesets[-1]
    eligible = [r for r in rulesets if r.effective <= start]
    return eligible[-1] if eligible else None
