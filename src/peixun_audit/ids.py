"""Resident identity numbers (GB 11643-1999) and phone numbers: checks and masks.

Why not python-stdnum's ``cn.ric``: it requires the county code to have existed in the
birth year, and rejects most real Guilin numbers (72% of checksum-valid samples, as
measured for issue 3). We check what the standard fixes — 17 digits, a real birth
date, the ISO 7064 MOD 11-2 check character — and leave the county code alone.
Phones use the ``phonenumbers`` library.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import numpy as np
import pandas as pd
import phonenumbers

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID18 = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII only: \d takes any script's digits
_ID15 = re.compile(r"^[0-9]{15}$")


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@lru_cache(maxsize=131072)
def id_problem(id_number: str) -> str | None:
    """None when valid; else a reason key: length, legacy-15, birth-date, check-character."""
    text = id_number.strip().upper()
    if _ID15.match(text):
        return "legacy-15"
    if not _ID18.match(text):
        return "length"
    if birth_date(text) is None:
        return "birth-date"
    if check_character(text[:17]) != text[17]:
        return "check-character"
    return None


@lru_cache(maxsize=131072)
def birth_date(id_number: str) -> dt.date | None:
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def gender_of(id_number: str) -> str:
    """男 for an odd 17th digit, 女 for an even one."""
    return "男" if int(id_number[16]) % 2 else "女"


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


_CHECK_BYTES = np.frombuffer(_CHECK.encode("ascii"), dtype=np.uint8)
_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def id_facts(values: pd.Series) -> pd.DataFrame:
    """:func:`id_problem`, the birth date and the sex of a whole column at once, with
    NumPy over the ID digits (the rules check 24,000 roster IDs a city-year).

    Columns: ``reason`` (None when valid; not-text values get ``"length"``), ``valid``,
    ``born`` (yyyymmdd as an integer, 0 unless valid — an integer, not a datetime64,
    so years outside pandas' 1677–2262 compare exactly), ``male`` (17th digit odd).
    tests/test_fuzz_privacy.py holds it equal to the scalar functions."""
    # a list, not a Series: iterating a Series boxes every value through pandas
    text = [v.strip().upper() if isinstance(v, str) else "" for v in values.tolist()]
    # the characters as code points, one row per value (longer values are cut: their
    # length alone rules them out), for the _ID15 and _ID18 patterns at once
    length = np.fromiter(map(len, text), dtype="int64", count=len(text))
    chars = np.array(text, dtype="<U18").view(np.uint32).reshape(len(text), 18)
    digit = (chars >= ord("0")) & (chars <= ord("9"))
    is15 = (length == 15) & digit[:, :15].all(axis=1)
    is18 = (length == 18) & digit[:, :17].all(axis=1) & (digit[:, 17] | (chars[:, 17] == ord("X")))
    reason = np.where(is15, "legacy-15", "length").astype(object)
    born = np.zeros(len(text), dtype="int64")
    male = np.zeros(len(text), dtype=bool)
    if is18.any():
        raw = chars[is18]
        digits = raw[:, :17].astype("int64") - 48
        year = digits[:, 6:10] @ np.array([1000, 100, 10, 1])
        month = digits[:, 10:12] @ np.array([10, 1])
        day = digits[:, 12:14] @ np.array([10, 1])
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        month_days = _DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
        real = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
        check_ok = _CHECK_BYTES[(digits @ np.array(_WEIGHTS)) % 11] == raw[:, 17]
        reason[is18] = np.where(real, np.where(check_ok, None, "check-character"), "birth-date")
        valid18 = real & check_ok
        born[is18] = np.where(valid18, year * 10000 + month * 100 + day, 0)
        male[is18] = digits[:, 16] % 2 == 1
    valid = pd.isna(reason)
    return pd.DataFrame(
        {
            # object dtype: pandas would otherwise infer a string column and turn None to NaN
            "reason": pd.Series(reason, index=values.index, dtype=object),
            "valid": valid,
            "born": born,
            "male": male & valid,
        },
        index=values.index,
    )


def yyyymmdd(dates: pd.Series) -> pd.Series:
    """datetime64 dates as yyyymmdd integers (0 where missing), to compare with ``born``."""
    return (dates.dt.year * 10000 + dates.dt.month * 100 + dates.dt.day).fillna(0).astype("int64")


def ages(born: pd.Series, on: pd.Series) -> pd.Series:
    """Whole years from yyyymmdd ``born`` to yyyymmdd ``on`` (:func:`age_on`, vectorised)."""
    return on // 10000 - born // 10000 - ((on % 10000) < (born % 10000)).astype("int64")


def mask_id(value: object) -> object:
    """``450302********123X``: the region code and the last four stay. A value too short
    for an ID (a phone typed in the ID column) is masked as free text is (:func:`scrub`):
    ``139****0006``, never ``139123*0006``."""
    if not isinstance(value, str):
        return value
    if len(value.strip()) < 15:
        return scrub(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: object) -> object:
    """``138****5678``; a landline keeps its area code (``0773-****2222``); a short
    number keeps only its last four digits (``***2222``)."""
    if not isinstance(value, str):
        return value
    digits = re.sub(r"\D", "", value)
    if len(digits) < 5:
        return "*" * len(value)
    if "-" in value:
        area, _, number = value.partition("-")
        return f"{area}-{'*' * max(len(number) - 4, 0)}{number[-4:]}"
    if len(value) >= 11:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * (len(value) - 4) + value[-4:]


_MOBILE = re.compile(r"^1[1-9][0-9]{9}$")
_SEPARATORS = re.compile(r"[- ]")


def phone_ok(value: str) -> bool:
    """A mainland mobile, or a landline with its area code (0773-2822222).

    Speed: an 11-digit number starting 1[1-9] can only be a mobile in China's numbering
    plan, and the ``phonenumbers`` mobile pattern is fixed by its first five digits, so
    such numbers are judged once per prefix (a city-year holds 24,000 phones;
    ``phonenumbers.parse`` costs ~0.15 ms each). tests/test_fuzz_privacy.py checks the
    shortcut against the library on random numbers."""
    text = value.strip()
    if _MOBILE.match(text):
        return _mobile_prefix_ok(text[:5])
    # 138-1234-5678 and 138 1234 5678 are the same mobile: judged on its digits, as
    # phonenumbers.parse would, without parsing each distinct number
    digits = _SEPARATORS.sub("", text)
    if digits != text and text[0] == "1" and _MOBILE.match(digits):
        return _mobile_prefix_ok(digits[:5])
    return _phone_ok_slow(text)


def phones_ok(values: pd.Series) -> np.ndarray:
    """:func:`phone_ok` of a column of phone strings at once. A roster's phones are
    nearly all bare 11-digit mobiles: those are told apart with NumPy over their
    characters and judged once per distinct five-digit prefix; any other value (a
    landline, a separator, a space or a full-width digit) goes through :func:`phone_ok`
    one by one. tests/test_fuzz_privacy.py holds it equal to :func:`phone_ok`."""
    text = values.to_numpy(dtype=object)
    ok = np.zeros(len(text), dtype=bool)
    sized = np.fromiter(
        (isinstance(v, str) and len(v) == 11 for v in text), dtype=bool, count=len(text)
    )
    chars = np.array(text[sized].tolist(), dtype="<U11").view(np.uint32).reshape(-1, 11)
    digits = chars.astype(np.int64) - ord("0")
    # the _MOBILE pattern: 1, then 1-9, then nine more ASCII digits
    mobile = ((digits >= 0) & (digits <= 9)).all(axis=1) & (digits[:, 0] == 1) & (digits[:, 1] > 0)
    prefixes = digits[mobile, :5] @ np.array([10000, 1000, 100, 10, 1])
    distinct, which = np.unique(prefixes, return_inverse=True)
    verdicts = np.array([_mobile_prefix_ok(str(p)) for p in distinct.tolist()], dtype=bool)
    at = np.flatnonzero(sized)
    ok[at[mobile]] = verdicts[which.reshape(-1)]
    others = np.ones(len(text), dtype=bool)
    others[at[mobile]] = False
    for i in np.flatnonzero(others).tolist():
        ok[i] = phone_ok(text[i])
    return ok


@lru_cache(maxsize=16384)
def _mobile_prefix_ok(prefix: str) -> bool:
    return _reachable_national(prefix + "000000")


def _reachable_national(number: str) -> bool:
    """Whether ``phonenumbers.number_type`` of this Chinese national number is a
    mobile or fixed line: the library's own decision (``_number_type_helper``, over the
    same metadata), without building a ``PhoneNumber`` and skipping the types no mobile
    can be — a third of the cost, for the 15,000 distinct prefixes of a city-year."""
    general, unreachable, reachable = _cn_patterns(len(number))
    return (
        general is not None
        and general.fullmatch(number) is not None
        and (unreachable is None or unreachable.fullmatch(number) is None)
        and reachable is not None
        and reachable.fullmatch(number) is not None
    )


_Desc = tuple[frozenset[int], str]


@lru_cache(maxsize=32)
def _cn_patterns(length: int) -> tuple[re.Pattern[str] | None, ...]:
    """The general pattern, the types number_type tries before fixed line and mobile,
    and fixed line or mobile, for numbers of ``length`` digits: each group one
    alternation (a full match of ``(?:a)|(?:b)`` is a full match of ``a`` or of ``b``),
    so a number is judged with three matches, not eleven."""

    def either(descs: list[_Desc]) -> re.Pattern[str] | None:
        fitting = [p for lengths, p in descs if not lengths or length in lengths]
        return re.compile("|".join(f"(?:{p})" for p in fitting)) if fitting else None

    general, unreachable, reachable = _cn_number_types()
    return either([general]), either(unreachable), either(reachable)


@lru_cache(maxsize=1)
def _cn_number_types() -> tuple[_Desc, list[_Desc], list[_Desc]]:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")

    def descs(*names: str) -> list[_Desc]:
        found = (getattr(metadata, name) for name in names)
        return [
            (frozenset(d.possible_length or ()), d.national_number_pattern)
            for d in found
            if d is not None and d.national_number_pattern
        ]

    # the types number_type tries before fixed line and mobile
    unreachable = descs(
        "premium_rate",
        "toll_free",
        "shared_cost",
        "voip",
        "personal_number",
        "pager",
        "uan",
        "voicemail",
    )
    return descs("general_desc")[0], unreachable, descs("fixed_line", "mobile")


@lru_cache(maxsize=65536)
def _phone_ok_slow(text: str) -> bool:
    if not text.startswith(("+", "0", "1")):
        return False  # a landline without its area code is not reachable from elsewhere
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return False
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        return False
    return phonenumbers.number_type(number) in _REACHABLE


_REACHABLE = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


# Personal data in free text, with the separators people type (issue 13). The patterns
# allow one separator between any two digits: ``139-1234-0007``, ``139 1234 0007``,
# ``450302 19900101 123X``. A date (``2020-09-07``, ``2020.9.7``) is matched first and kept.
_SEP = "[ \\-.\u3000\u2010-\u2015\uff0d]"
_DATE = r"(?P<date>(?:1[89]|20)\d\d[-./年]\d{1,2}[-./月]\d{1,2})"
_ID_LIKE = rf"(?P<id>\d(?:{_SEP}?\d){{16}}{_SEP}?[\dXx]|\d(?:{_SEP}?\d){{14}})"
_MOBILE_LIKE = rf"(?P<mobile>(?:\+?86{_SEP}?)?1[3-9]\d(?:{_SEP}?\d){{8}})"
_LANDLINE_LIKE = rf"(?P<landline>[(（]?(?P<area>0\d{{2,3}})[)）]?{_SEP}?\d{{7,8}})"
_RUN = r"(?P<run>\d{7,})"  # any other run of 7 or more digits: a local phone, a cut ID
_EDGES = (r"(?<!\d)(?:", r")(?!\d)")
# names and keys (class ids, institutions): ID- and phone-shaped values only, so a class
# id such as 20200907001 stays readable; free text: every run of 7 or more digits too
_NAME_PATTERN = re.compile(
    _EDGES[0] + "|".join((_DATE, _ID_LIKE, _MOBILE_LIKE, _LANDLINE_LIKE)) + _EDGES[1]
)
_TEXT_PATTERN = re.compile(
    _EDGES[0] + "|".join((_DATE, _ID_LIKE, _MOBILE_LIKE, _LANDLINE_LIKE, _RUN)) + _EDGES[1]
)
_SIGNIFICANT = re.compile(r"[\dXx]")


def _mask_digits(text: str, keep_head: int) -> str:
    """``text`` with every digit but the first ``keep_head`` and the last four starred;
    separators stay where they were."""
    places = [m.start() for m in _SIGNIFICANT.finditer(text)]
    hidden = set(places[keep_head : max(len(places) - 4, keep_head)])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _mask_match(m: re.Match[str]) -> str:
    text = m[0]
    if m["date"] is not None:
        return text
    if m["id"] is not None:
        return _mask_digits(text, 6)
    if m["mobile"] is not None:
        prefix = len(text) - len(text.lstrip("+86 -"))  # +86, kept
        return text[:prefix] + _mask_digits(text[prefix:], 3)
    if m["landline"] is not None:
        return _mask_digits(text, len(m["area"]))
    return _mask_digits(text, 6 if len(text) >= 15 else 3 if len(text) >= 11 else 0)


def scrub(value: object) -> object:
    """Free text with every ID- or phone-like number masked, separators and all
    (``139-****-0007``, ``450302 ******** 123X``), and any other run of 7 or more digits
    (a phone or an ID typed where a sign-in mark or a name belongs must not leak through
    a message). Dates stay. Anything not a string is returned as it is."""
    if not isinstance(value, str):
        return value
    return _TEXT_PATTERN.sub(_mask_match, value)


def scrub_name(value: object) -> object:
    """A name or key from the input (class id, institution, file or sheet name) with every
    ID- or phone-shaped number masked; other digits stay, so ``GL20200907-001`` reads."""
    if not isinstance(value, str):
        return value
    return _NAME_PATTERN.sub(_mask_match, value)
