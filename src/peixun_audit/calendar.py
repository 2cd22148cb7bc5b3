"""Working days on China's statutory calendar, with 调休 make-up workdays.

The calendar comes from the maintained ``chinesecalendar`` library (it knows the
State Council's announcements, 2004 to its latest year). The ruleset's ``[calendar]``
lists add holidays and make-up workdays, each overriding that one day (SPEC §7: never a
whole year). A year the library does not know is counted Monday–Friday plus the listed
days; when the ruleset lists nothing for it, the year is recorded so the report warns.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


class WorkCalendar:
    def __init__(self, holidays: list[str] | tuple = (), workdays: list[str] | tuple = ()):
        self.holidays = frozenset(dt.date.fromisoformat(str(d)) for d in holidays)
        self.workdays = frozenset(dt.date.fromisoformat(str(d)) for d in workdays)
        self.listed_years = {d.year for d in self.holidays | self.workdays}
        self.unknown_years: set[int] = set()
        self._is_workday = lru_cache(maxsize=8192)(self._compute)

    def _compute(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        # listed days override single days of the library's calendar, never a year
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the library does not know yet
            if day.year not in self.listed_years:  # nor the ruleset: say so
                self.unknown_years.add(day.year)
        return day.weekday() < 5

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
