import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peixun_audit.load import values as V


@pytest.mark.parametrize(
    "raw",
    [
        "2020-09-01",
        "2020/9/1",
        "2020.9.1",
        "2020年9月1日",
        "20200901",
        20200901,
        44075.0,
        dt.date(2020, 9, 1),
        dt.datetime(2020, 9, 1, 8, 30),
        "２０２０－０９－０１",
        "2020-09-01 00:00:00",
    ],
)
def test_date_forms(raw):
    assert V.parse_date(raw) == dt.date(2020, 9, 1)


@pytest.mark.parametrize("raw", ["9月1日", "9-1", "09-01", "9.1", "9/1"])
def test_year_less_dates_take_the_class_year(raw):
    partial = V.parse_date(raw)
    assert partial == V.PartialDate(9, 1)
    assert partial.resolve(dt.date(2020, 8, 28)) == dt.date(2020, 9, 1)


def test_year_less_date_across_new_year():
    assert V.PartialDate(1, 5).resolve(dt.date(2020, 12, 28)) == dt.date(2021, 1, 5)


@pytest.mark.parametrize("raw", ["明天", "2020-13-01", "2020-02-30", "abc"])
def test_unreadable_dates_raise(raw):
    with pytest.raises(ValueError):
        V.parse_date(raw)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("是", True),
        ("有", True),
        ("已", True),
        ("√", True),
        ("Y", True),
        ("yes", True),
        ("TRUE", True),
        (1, True),
        ("否", False),
        ("无", False),
        ("未", False),
        ("×", False),
        ("N", False),
        ("0", False),
        (0.0, False),
    ],
)
def test_yes_no(raw, expected):
    assert V.parse_yesno(raw) is expected


@pytest.mark.parametrize(
    "raw,status",
    [
        ("√", "present"),
        ("✓", "present"),
        ("✔", "present"),
        ("到", "present"),
        ("已到", "present"),
        ("已签", "present"),
        ("出勤", "present"),
        (1.0, "present"),
        ("迟到", "late"),
        ("¢", "late"),
        ("早退", "early"),
        ("△", "early"),
        ("", "absent"),
        (None, "absent"),
        ("缺", "absent"),
        ("缺勤", "absent"),
        ("旷课", "absent"),
        ("未到", "absent"),
        ("○", "absent"),
        ("×", "absent"),
        (0.0, "absent"),
        ("请假", "leave"),
        ("假", "leave"),
        ("病假", "leave"),
        ("事假", "leave"),
        ("张三", "signature"),
        ("?", "unknown"),
        ("ok", "unknown"),
    ],
)
def test_marks(raw, status):
    assert V.classify_mark(raw)[0] == status


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2020-09-01", (dt.date(2020, 9, 1), None)),
        ("2020/9/1", (dt.date(2020, 9, 1), None)),
        ("9月1日", (V.PartialDate(9, 1), None)),
        ("9.1上午", (V.PartialDate(9, 1), "上午")),
        ("09-01(下午)", (V.PartialDate(9, 1), "下午")),
        ("9月1日（晚上）", (V.PartialDate(9, 1), "晚上")),
        (dt.datetime(2020, 9, 1), (dt.date(2020, 9, 1), None)),
        (44075.0, (dt.date(2020, 9, 1), None)),
        ("序号", None),
        ("出勤天数", None),
        ("备注", None),
        (3.0, None),
    ],
)
def test_session_headers(raw, expected):
    assert V.parse_session_header(raw) == expected


def test_id_stays_text_and_x_is_upper():
    assert V.parse_id(" 45030219900101123x ") == "45030219900101123X"


def test_id_stored_as_number_is_refused():
    with pytest.raises(V.NumericIdError):
        V.parse_id(4.503021990010112e17)


def test_time_and_period():
    assert V.parse_time("14:30") == dt.time(14, 30)
    assert V.parse_time(0.375) == dt.time(9, 0)
    assert V.period_of_time(dt.time(11, 59)) == "上午"
    assert V.period_of_time(dt.time(12, 0)) == "下午"
    assert V.period_of_time(dt.time(18, 0)) == "晚上"


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers(), st.none()))
def test_parsers_only_raise_value_error(value):
    for parser in (
        V.parse_date,
        V.parse_yesno,
        V.parse_number,
        V.parse_time,
        V.parse_period,
        V.parse_id,
    ):
        try:
            parser(value)
        except ValueError:
            pass
    V.classify_mark(value)
    V.parse_session_header(value)


COLUMN_CASES = [
    "陈平娜",
    " 陈平娜 ",
    "ＡＢＣ１２３",
    "",
    "   ",
    "\u3000",
    "\u00a0\u2003",
    "450305198106115075",
    "45030519810611507x",
    " 4503 0519 8106 1150 7x ",
    "'450305198106115075",
    "450302********123X",
    "１５５０７０６９４６４",
    "155 0706 9464",
    "R\u0327",
    "e\u0301",
    "\u200b",
    "高中",
    None,
    True,
    dt.date(2021, 1, 4),
    dt.datetime(2021, 1, 4, 8, 30),
    15507069464.0,
    3,
    2.5,
]


@pytest.mark.parametrize(
    ("column_parser", "parser"),
    [(V.parse_texts, V.parse_text), (V.parse_ids, V.parse_id), (V.parse_phones, V.parse_phone)],
)
def test_column_parsers_give_what_their_parser_gives(column_parser, parser):
    """A column parser (all the distinct values of a column at once) gives each value
    exactly what the one-value parser gives, or raises as it does."""

    def expected(values):
        out = {}
        for value in values:
            out[value] = parser(value)
        return out

    for case in COLUMN_CASES:
        group = {case, "陈平娜", " 4503 0519 ", ""}
        try:
            want = expected(group)
        except ValueError as exc:
            with pytest.raises(type(exc)):
                column_parser(group)
            continue
        assert column_parser(group) == want, case


@given(st.sets(st.text(max_size=8), max_size=6))
def test_column_parsers_agree_on_any_text(texts):
    for column_parser, parser in (
        (V.parse_texts, V.parse_text),
        (V.parse_ids, V.parse_id),
        (V.parse_phones, V.parse_phone),
    ):
        assert column_parser(texts) == {t: parser(t) for t in texts}
