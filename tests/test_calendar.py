"""The working-day calendar: the national library, the ruleset's single days, and
Guangxi's 壮族三月三 (listed from the region's notices, computed for other years with a
warning that the year's 调休 is unconfirmed)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from bundle import Bundle
from rulecases import run_case
from typer.testing import CliRunner

from peixun_audit.calendar import WorkCalendar, from_ruleset
from peixun_audit.cli import app
from peixun_audit.messages import ui
from peixun_audit.ruleset import RulesetError, load_rulesets, shipped

D = dt.date


def guangxi() -> WorkCalendar:
    return from_ruleset(shipped().get)


def test_sanyuesan_2021_from_the_notice():
    # Tue 4-13 to Mon 4-19: nationally 4-14, 4-15, 4-16 are working days; in Guangxi
    # they are off and Sunday 4-18 is worked instead
    assert WorkCalendar().workdays_between(D(2021, 4, 13), D(2021, 4, 19)) == 3
    cal = guangxi()
    assert cal.workdays_between(D(2021, 4, 13), D(2021, 4, 19)) == 1
    assert [cal.is_workday(D(2021, 4, d)) for d in range(13, 20)] == [
        True,  # Tue
        False,  # Wed 三月初三
        False,  # Thu 三月初四
        False,  # Fri 调休
        False,  # Sat
        True,  # Sun, worked
        True,  # Mon
    ]
    assert cal.unconfirmed_years == set()


def test_a_guangxi_day_overrides_a_national_working_saturday():
    cal = guangxi()
    assert WorkCalendar().is_workday(D(2017, 4, 1))  # national 清明 调休 Saturday
    assert not cal.is_workday(D(2017, 4, 1))  # off in Guangxi (2017 notice)
    assert cal.is_workday(D(2017, 4, 8))  # made up on Saturday 4-08
    assert not cal.is_workday(D(2022, 4, 2))  # 2022 notice: the national working Saturday off
    assert [cal.is_workday(D(2024, 4, d)) for d in (10, 11, 12, 15)] == [True, False, False, True]


def test_the_year_keeps_its_national_days_when_days_are_added():
    # SPEC §7: listed days override single days, never the library's year
    for cal in (guangxi(), WorkCalendar(holidays=["2021-04-14"], workdays=["2021-04-18"])):
        assert cal.is_workday(D(2021, 2, 7))  # Sunday worked for the Spring Festival
        assert cal.is_workday(D(2021, 4, 25))  # Sunday worked for 劳动节
        assert not cal.is_workday(D(2021, 5, 3))  # 劳动节
        assert not cal.is_workday(D(2021, 10, 1))  # National Day
        assert not cal.is_workday(D(2021, 4, 14))
        assert cal.is_workday(D(2021, 4, 18))


def test_an_unlisted_year_is_computed_and_unconfirmed():
    cal = guangxi()
    # 2026: 三月初三 is Sunday 4-19, 初四 Monday 4-20 (the national library has 4-20 as a
    # working day)
    assert cal.computed_regional(2026) == {D(2026, 4, 19), D(2026, 4, 20)}
    assert WorkCalendar().is_workday(D(2026, 4, 20))
    assert cal.workdays_between(D(2026, 1, 5), D(2026, 1, 9)) == 3  # far from it: no warning
    assert cal.unconfirmed_years == set()
    assert not cal.is_workday(D(2026, 4, 20))
    assert cal.unconfirmed_years == {2026}
    # listed years and years before the holiday existed are never computed
    assert cal.computed_regional(2021) == frozenset()
    assert cal.computed_regional(2013) == frozenset()
    assert cal.computed_regional(2023) == {D(2023, 4, 22), D(2023, 4, 23)}


def test_the_audit_and_the_cli_warn_of_a_computed_year(tmp_path):
    case = {
        "update": {
            "classes": {
                0: {
                    "application_date": "2026-04-15",
                    "approval_date": "2026-04-17",
                    "start_date": "2026-04-21",
                    "end_date": "2026-04-24",
                }
            }
        },
        "as_of": D(2026, 11, 1),
    }
    result = run_case(case, ["A0301"])
    assert result.calendar_regional_unconfirmed == [2026]
    assert [(f.code, f.evidence["working_days"]) for f in result.findings] == [("A0301", 2)]

    b = Bundle()
    b.cls.update(
        {"开班申请日期": D(2026, 4, 15), "开班日期": D(2026, 4, 21), "结业日期": D(2026, 4, 24)}
    )
    folder = b.write(tmp_path)
    args = ["audit", str(folder), "--as-of", "2026-11-01", "--select", "A0301", "-f", "json"]
    en = CliRunner().invoke(app, [*args, "--lang", "en"], env={"COLUMNS": "400"})
    assert "holiday in 2026 was computed from the lunar calendar" in en.output
    assert json.loads(en.stdout)["calendar_regional_unconfirmed"] == [2026]
    zh = ui("calendar_regional_unconfirmed", "zh", years="2026")
    assert zh.startswith(
        "2026 年的“壮族三月三”假期按农历三月初三、初四推算，当年的调休安排未经确认"
    )


def test_an_override_adds_calendar_days_and_checks_lunar_days(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(
        'effective = 2021-01-01\n[calendar]\nregional_holidays = ["2021-12-24"]\n', "utf-8"
    )
    override = load_rulesets(path)[-1]
    days = override.get("calendar.regional_holidays")
    assert "2021-12-24" in days and "2021-04-14" in days  # the shipped days stay
    path.write_text('effective = 2021-01-01\n[calendar]\nregional_lunar_holidays = ["3-33"]\n')
    with pytest.raises(RulesetError) as err:
        load_rulesets(path)
    assert err.value.params["param"] == "calendar.regional_lunar_holidays"


def test_national_workday_is_the_librarys_decision():
    """calendar.national_workday skips the library's per-day range check: every day of
    the years it knows, a year either side (both refused) and a datetime agree with it."""
    import chinese_calendar

    from peixun_audit.calendar import national_workday

    known = chinese_calendar.holidays.keys()
    first, last = min(known).year, max(known).year
    day = D(first - 1, 12, 25)
    while day <= D(last + 1, 1, 5):
        try:
            expected = chinese_calendar.is_workday(day)
        except NotImplementedError:
            with pytest.raises(NotImplementedError):
                national_workday(day)
        else:
            assert national_workday(day) == expected, day
        day += dt.timedelta(days=1)
    assert national_workday(dt.datetime(2020, 10, 10, 9)) is True  # the make-up Saturday
