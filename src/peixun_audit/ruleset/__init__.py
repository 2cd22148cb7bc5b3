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
    """A ruleset that cannot be used: ``code`` is a message key (``messages.UI``), and
    ``params`` name the file, the key and what is wrong."""

    def __init__(self, code: str, **params: Any):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params

    def message(self, lang: str = "zh") -> str:
        from ..messages import ui

        params = dict(self.params)
        if "expected" in params:  # a type's name in the report language
            params["expected"] = ui("type_" + params["expected"].replace(" ", "_"), lang)
        return ui(self.code, lang, **params)


def parse_ruleset(text: str, origin: str) -> Ruleset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError("ruleset_syntax", file=origin, detail=str(exc)) from exc
    effective = data.get("effective")
    if not isinstance(effective, dt.date) or isinstance(effective, dt.datetime):
        raise RulesetError("ruleset_effective", file=origin)
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
        except (OSError, UnicodeDecodeError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise RulesetError("ruleset_unreadable", file=str(override), detail=detail) from exc
        extra = parse_ruleset(text, str(override))
        validate(extra.params, base.params, str(override))
        merged = _merge(base.params, extra.params)
        calendar = extra.params.get("calendar", {})
        for key in CALENDAR_DAY_LISTS:
            if key in calendar:
                days = [*base.params["calendar"][key], *calendar[key]]
                merged["calendar"] = {
                    **merged["calendar"],
                    key: list(dict.fromkeys(map(str, days))),
                }
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


_TOP_LEVEL = {"name": str, "title": str, "effective": dt.date}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "table"
    return "date" if isinstance(value, dt.date) else type(value).__name__


def validate(params: dict[str, Any], shipped_params: dict[str, Any], origin: str) -> None:
    """An override may set only what the shipped ruleset has, with the same types:
    a misspelt section or key, a text where a number belongs, a negative count or a
    percentage over 100 is refused (:class:`RulesetError` naming the key) instead of
    being ignored while the report names the override."""
    for key, value in params.items():
        if key in _TOP_LEVEL:
            continue
        if key == SUBSIDY and isinstance(value, dict) and STANDARDS in value:
            _check_standards(value[STANDARDS], origin)
            value = {k: v for k, v in value.items() if k != STANDARDS}
            if not value:
                continue
        if key not in shipped_params or not isinstance(shipped_params[key], dict):
            raise RulesetError("ruleset_unknown_key", file=origin, param=key)
        if not isinstance(value, dict):
            raise RulesetError("ruleset_wrong_type", file=origin, param=key, expected="table")
        for name, item in value.items():
            dotted = f"{key}.{name}"
            if name not in shipped_params[key]:
                raise RulesetError("ruleset_unknown_key", file=origin, param=dotted)
            _check_value(dotted, item, shipped_params[key][name], origin)


# optional subsidy standards, yuan per student by level (report/classes.py), in
# ``[subsidy.standards]`` beside the S01 rules' limits; the shipped ruleset has none: no
# output shows amounts unless a ruleset sets them
SUBSIDY = "subsidy"
STANDARDS = "standards"


def _check_standards(value: Any, origin: str) -> None:
    """``[subsidy.standards]``: level name → a non-negative number of yuan."""
    where = f"{SUBSIDY}.{STANDARDS}"
    if not isinstance(value, dict):
        raise RulesetError("ruleset_wrong_type", file=origin, param=where, expected="table")
    for level, amount in value.items():
        dotted = f"{where}.{level}"
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise RulesetError("ruleset_wrong_type", file=origin, param=dotted, expected="number")
        if not amount >= 0 or amount != amount or amount == float("inf"):
            raise RulesetError("ruleset_bad_value", file=origin, param=dotted, value=amount)


def _check_value(dotted: str, value: Any, shipped_value: Any, origin: str) -> None:
    want, got = _kind(shipped_value), _kind(value)
    if want == "number" and got == "integer":
        got = "number"
    if got != want:
        raise RulesetError("ruleset_wrong_type", file=origin, param=dotted, expected=want)
    if want == "list":
        lunar = dotted in LUNAR_KEYS
        dates = dotted.startswith("calendar.") and not lunar
        if lunar:
            ok = all(_lunar_day(v) for v in value)
        else:
            ok = _all_dates(value) if dates else all(isinstance(v, str) for v in value)
        if not ok:
            expected = "list of dates" if dates else "list of text"
            raise RulesetError("ruleset_wrong_type", file=origin, param=dotted, expected=expected)
    if want in ("integer", "number"):
        limit = 100 if dotted.endswith("_percent") else None
        if value < 0 or (limit is not None and value > limit):
            raise RulesetError("ruleset_bad_value", file=origin, param=dotted, value=value)


# lunar month-days ("03-03"), not dates
LUNAR_KEYS = {"calendar.regional_lunar_holidays"}
# the calendar's lists of days: an override adds to the shipped days, so a file listing
# 2027's holidays does not drop the shipped years (a day listed both ways is a workday)
CALENDAR_DAY_LISTS = ("holidays", "workdays", "regional_holidays", "regional_workdays")


def _lunar_day(value: Any) -> bool:
    parts = str(value).split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return False
    month, day = map(int, parts)
    return 1 <= month <= 12 and 1 <= day <= 30


def _all_dates(values: list[Any]) -> bool:
    for v in values:
        if isinstance(v, dt.datetime):  # a date and time: not a day
            return False
        if isinstance(v, dt.date):
            continue
        try:
            dt.date.fromisoformat(str(v))
        except ValueError:
            return False
    return True
