"""Working days on China's statutory calendar, with 调休 make-up workdays, and
Guangxi's regional 壮族三月三 holiday.

The national calendar comes from the maintained ``chinesecalendar`` library (it knows the
State Council's announcements, 2004 to its latest year). The ruleset's ``[calendar]``
lists add holidays and make-up workdays, each overriding that one day (SPEC §7: never a
whole year). A year the library does not know is counted Monday–Friday plus the listed
days; when the ruleset lists nothing for it, the year is recorded so the report warns.

Guangxi's 壮族三月三 (《广西壮族自治区少数民族习惯节日放假办法》, 农历三月初三、初四) is a
statutory regional holiday the national library does not know. The ruleset lists the
days of each year's announcement (``regional_holidays`` / ``regional_workdays``); for a
year it does not list, the lunar dates (``regional_lunar_holidays``) are computed with
the ``lunardate`` library and the year is recorded as unconfirmed (that year's 调休 is
not known), so the report warns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import chinese_calendar
from lunardate import LunarDate

# a computed regional holiday can move make-up days around it: counting a day this
# close to it (in days) makes the year's 调休 matter, and so the warning
UNCONFIRMED_REACH = 10


def _days(values: Iterable) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(str(d)) for d in values)


class WorkCalendar:
    def __init__(
        self,
        holidays: list[str] | tuple = (),
        workdays: list[str] | tuple = (),
        regional_holidays: list[str] | tuple = (),
        regional_workdays: list[str] | tuple = (),
        regional_lunar_holidays: list[str] | tuple = (),
        regional_lunar_since: int | None = None,
    ):
        self.holidays = _days(holidays)
        self.workdays = _days(workdays)
        self.listed_years = {d.year for d in self.holidays | self.workdays}
        self.regional_holidays = _days(regional_holidays)
        self.regional_workdays = _days(regional_workdays)
        # years whose announced regional days are listed: never computed
        self.regional_years = {d.year for d in self.regional_holidays | self.regional_workdays}
        self.lunar_days = [tuple(map(int, str(md).split("-"))) for md in regional_lunar_holidays]
        self.lunar_since = regional_lunar_since
        self.unknown_years: set[int] = set()
        # years whose regional holiday was computed, near a day that was counted
        self.unconfirmed_years: set[int] = set()
        self._computed: dict[int, frozenset[dt.date]] = {}
        self._is_workday = lru_cache(maxsize=8192)(self._compute)

    def _compute(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day in self.regional_workdays:
            return True
        if day in self.regional_holidays:
            return False
        computed = self.computed_regional(day.year)
        if computed:
            if any(abs((day - d).days) <= UNCONFIRMED_REACH for d in computed):
                self.unconfirmed_years.add(day.year)
            if day in computed:
                return False
        # listed days override single days of the library's calendar, never a year
        try:
            return national_workday(day)
        except NotImplementedError:  # a year the library does not know yet
            if day.year not in self.listed_years:  # nor the ruleset: say so
                self.unknown_years.add(day.year)
        return day.weekday() < 5

    def computed_regional(self, year: int) -> frozenset[dt.date]:
        """The regional lunar holidays of ``year`` in the solar calendar, when the
        ruleset does not list that year's announced days (empty otherwise)."""
        if year not in self._computed:
            days: frozenset[dt.date] = frozenset()
            since = self.lunar_since
            if self.lunar_days and year not in self.regional_years and since and year >= since:
                try:
                    days = frozenset(
                        LunarDate(year, m, d).to_solar_date() for m, d in self.lunar_days
                    )
                except ValueError:  # outside the library's range (1900–2099)
                    days = frozenset()
            self._computed[year] = days
        return self._computed[year]

    def is_workday(self, day: dt.date) -> bool:
        return self._is_workday(day)

    def workdays_between(self, first: dt.date, last: dt.date) -> int:
        """Working days strictly between two dates, neither end counted (the Civil Code
        counts a period from the day after its start)."""
        count = 0
        day = first + dt.timedelta(days=1)
        while day < last:
            count += self.is_workday(day)
            day += dt.timedelta(days=1)
        return count


@lru_cache(maxsize=1)
def _national_years() -> tuple[int, int]:
    known = chinese_calendar.holidays.keys()
    return min(known).year, max(known).year


def national_workday(day: dt.date) -> bool:
    """``chinese_calendar.is_workday``, the same decision over the same tables, with the
    range of years it knows found once (the library finds it again for every day: the
    most of the cost). tests/test_calendar.py holds it equal to the library's."""
    if isinstance(day, dt.datetime):
        day = day.date()
    first, last = _national_years()
    if not first <= day.year <= last:
        raise NotImplementedError(f"no available data for year {day.year}")
    return day in chinese_calendar.workdays or (
        day.weekday() <= 4 and day not in chinese_calendar.holidays
    )


def from_ruleset(get) -> WorkCalendar:
    """The calendar of a ruleset (``get``: ``Ruleset.get``); keys a ruleset lacks (an
    older override file) are empty."""

    def opt(key: str, default):
        try:
            return get(f"calendar.{key}")
        except KeyError:
            return default

    return WorkCalendar(
        opt("holidays", ()),
        opt("workdays", ()),
        opt("regional_holidays", ()),
        opt("regional_workdays", ()),
        opt("regional_lunar_holidays", ()),
        opt("regional_lunar_since", None),
    )
