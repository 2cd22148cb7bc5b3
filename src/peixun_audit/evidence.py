"""Typed evidence: the numbers and names behind a finding.

Each rule declares, per failure mode (*variant*), the fields of its evidence and
their types (``Rule.evidence``). The engine checks every value a rule returns
against that declaration (:func:`coerce`), so a finding carries typed data, never
prose. The report layer turns a value into JSON (:func:`to_json`) or into text in
the report language (:func:`to_text`), and masks personal data *by type*: an
``id_number`` or ``phone`` field is masked wherever it stands, whatever its key;
free text copied from the input (``name``, ``text``) has any digit run shaped like
an ID or a phone scrubbed (``ids.scrub``), and a ``class_id`` or a place its file and
sheet names only ID- and phone-shaped numbers (``ids.scrub_name``).

Types (``"T[]"`` is a list of T):

=============  =========================================  ============================
type           Python value                               JSON
=============  =========================================  ============================
date           ``datetime.date``                          ``"2020-09-07"``
span           ``(date, date)``, both ends included       ``["2020-09-07", "2020-09-11"]``
count          ``int`` (people, days, sessions, years)    number
percent        ``Fraction``, a share 0–1 (0.8 is 80%)     number (0–1)
hours          ``Fraction`` of teaching hours             number
name           a person's name from the input             string
text           other free text from the input             string
class_id       a class id from the input                  string
id_number      an ID number from the input                string, masked
phone          a phone number from the input              string, masked
place          :class:`~peixun_audit.model.Source`        ``{file, sheet, row, cell}``
period         ``morning`` / ``afternoon`` / ``evening``    string (the key)
field          a canonical field key (``phone``)           string
id_problem     a GB 11643 failure (``check-character``)    string
employment     ``employed`` / ``self-employed``            string
gender         ``male`` / ``female``                       string
table          an input table kind (``roster``, ``plan``)  string
=============  =========================================  ============================

The last six are vocabularies: closed sets of ASCII keys whose words in each
language are in ``messages.TERMS``; a rule may give the key or the Chinese word the
canonical tables hold (上午, 已就业, 男), and the finding carries the key, so JSON
is the same whatever the report language.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from fractions import Fraction
from typing import Any

from .ids import mask_id, mask_phone, scrub, scrub_name
from .model import Source

VOCABULARIES = ("period", "field", "id_problem", "employment", "gender", "table")
SCALAR_TYPES = (
    "date",
    "span",
    "count",
    "percent",
    "hours",
    "name",
    "text",
    "class_id",
    "id_number",
    "phone",
    "place",
    *VOCABULARIES,
)
TYPES = frozenset(SCALAR_TYPES) | {f"{t}[]" for t in SCALAR_TYPES}


class EvidenceError(TypeError):
    """A rule returned evidence that does not match its declaration (a bug in the rule)."""


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):  # pandas.Timestamp is a datetime
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    raise EvidenceError(f"not a date: {value!r}")


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise EvidenceError(f"not a count: {value!r}")
    return int(value)


def _fraction(value: Any) -> Fraction:
    if isinstance(value, bool):
        raise EvidenceError(f"not a number: {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Real) and math.isfinite(float(value)):
        # hours typed as decimals (1.5): exact to the hundredth, like the attendance units
        return Fraction(float(value)).limit_denominator(1000)
    raise EvidenceError(f"not a number: {value!r}")


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise EvidenceError(f"not a non-empty string: {value!r}")
    return value


def _place(value: Any) -> Source:
    if not isinstance(value, Source):
        raise EvidenceError(f"not a place: {value!r}")
    return value


def _span(value: Any) -> tuple[dt.date, dt.date]:
    try:
        first, last = value
    except (TypeError, ValueError) as exc:
        raise EvidenceError(f"not a span of two dates: {value!r}") from exc
    return _date(first), _date(last)


_COERCE = {
    "date": _date,
    "span": _span,
    "count": _count,
    "percent": _fraction,
    "hours": _fraction,
    "name": _string,
    "text": _string,
    "class_id": _string,
    "id_number": _string,
    "phone": _string,
    "place": _place,
}


def coerce(kind: str, value: Any, vocabulary: dict[str, dict[str, tuple[str, str]]]) -> Any:
    """``value`` as the declared ``kind`` (numpy and pandas scalars become plain Python);
    raises :class:`EvidenceError` when it is not one."""
    if kind.endswith("[]"):
        if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
            raise EvidenceError(f"not a list: {value!r}")
        items = tuple(coerce(kind[:-2], v, vocabulary) for v in value)
        if not items:
            raise EvidenceError("an empty list")
        return items
    if kind in VOCABULARIES:
        words = vocabulary[kind]
        if value in words:
            return value
        for key, (zh, _) in words.items():
            if value == zh:
                return key
        raise EvidenceError(f"{value!r} is not a known {kind}")
    return _COERCE[kind](value)


def _scalar_json(kind: str, value: Any, show_pii: bool) -> Any:
    if kind == "date":
        return value.isoformat()
    if kind == "span":
        return [value[0].isoformat(), value[1].isoformat()]
    if kind in ("percent", "hours"):
        return int(value) if value.denominator == 1 else float(value)
    if kind == "place":
        place = value.as_dict()
        if not show_pii:  # file and sheet names may hold an ID (issue 13)
            place["file"], place["sheet"] = scrub_name(place["file"]), scrub_name(place["sheet"])
        return place
    return _masked(kind, value, show_pii)


def _masked(kind: str, value: Any, show_pii: bool) -> Any:
    if show_pii:
        return value
    if kind == "id_number":
        return mask_id(value)
    if kind == "phone":
        return mask_phone(value)
    if kind in ("name", "text"):
        return scrub(value)
    if kind == "class_id":  # a key: masked as the class_id column is
        return scrub_name(value)
    return value


def to_json(kind: str, value: Any, show_pii: bool) -> Any:
    if kind.endswith("[]"):
        return [_scalar_json(kind[:-2], v, show_pii) for v in value]
    return _scalar_json(kind, value, show_pii)


def _percent_text(share: Fraction) -> str:
    text = f"{float(share * 100):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _hours_text(hours: Fraction) -> str:
    return f"{float(hours):g}"


def _place_text(place: Source, lang: str, show_pii: bool) -> str:
    where = place.cell or (f"第{place.row}行" if lang == "zh" else f"row {place.row}")
    book = place.file.replace("\\", "/").rsplit("/", 1)[-1]  # the file, without its folder
    text = f"{book} / {place.sheet} {where}" if place.sheet else book
    return text if show_pii else scrub_name(text)


def _scalar_text(
    kind: str,
    value: Any,
    lang: str,
    show_pii: bool,
    vocabulary: dict[str, dict[str, tuple[str, str]]],
) -> str:
    if kind == "date":
        return value.isoformat()
    if kind == "span":
        joiner = "至" if lang == "zh" else " to "
        return f"{value[0].isoformat()}{joiner}{value[1].isoformat()}"
    if kind == "count":
        return str(value)
    if kind == "percent":
        return _percent_text(value)
    if kind == "hours":
        return _hours_text(value)
    if kind == "place":
        return _place_text(value, lang, show_pii)
    if kind in VOCABULARIES:
        zh, en = vocabulary[kind][value]
        return en if lang == "en" else zh
    return str(_masked(kind, value, show_pii))


def to_text(
    kind: str,
    value: Any,
    lang: str,
    show_pii: bool,
    vocabulary: dict[str, dict[str, tuple[str, str]]],
) -> str:
    """The value as it reads in a message in ``lang``."""
    if kind.endswith("[]"):
        joiner = "、" if lang == "zh" else ", "
        return joiner.join(_scalar_text(kind[:-2], v, lang, show_pii, vocabulary) for v in value)
    return _scalar_text(kind, value, lang, show_pii, vocabulary)


_DATE_SCHEMA = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_JSON_SCHEMAS: dict[str, dict[str, Any]] = {
    "date": _DATE_SCHEMA,
    "span": {"type": "array", "items": _DATE_SCHEMA, "minItems": 2, "maxItems": 2},
    "count": {"type": "integer"},
    "percent": {"type": "number", "minimum": 0},
    "hours": {"type": "number", "minimum": 0},
    "place": {"type": "object", "required": ["file", "sheet", "row", "cell"]},
}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a value of ``kind`` in the report (``report/schema.json``)."""
    if kind.endswith("[]"):
        return {"type": "array", "minItems": 1, "items": json_schema(kind[:-2])}
    return _JSON_SCHEMAS.get(kind, {"type": "string", "minLength": 1})
