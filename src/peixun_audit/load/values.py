"""Cell value parsers for the forms of SPEC §3.2.

Every parser takes one raw cell value as python-calamine returns it (str, float, int,
bool, date, datetime, time, timedelta) and either returns the canonical value, ``None``
for a blank, or raises ``ValueError`` with a short reason. Parsers are pure and cached:
the loader parses each *distinct* value of a column once and maps the result.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class PartialDate:
    """A date written without its year (``9月1日``); the year comes from the class."""

    month: int
    day: int

    def resolve(self, start: dt.date) -> dt.date:
        """The date nearest to the class start: same year, or the next when the class
        straddles New Year (a ``1月5日`` session of a class started in December)."""
        candidates = []
        for year in (start.year - 1, start.year, start.year + 1):
            try:
                candidates.append(dt.date(year, self.month, self.day))
            except ValueError:
                continue
        if not candidates:
            raise ValueError("invalid-date")
        return min(candidates, key=lambda d: abs((d - start).days))


def fold(value: object) -> str:
    """Text form of a cell: NFKC-folded (full-width to half-width), stripped."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_YMD_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MD = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _checked(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError("invalid-date") from None


@lru_cache(maxsize=65536)
def parse_date(value: object) -> dt.date | PartialDate | None:
    """Excel date cells and serials, ``2020-09-01``, ``2020/9/1``, ``2020.9.1``,
    ``2020年9月1日``, ``20200901``; ``9月1日`` and ``9-1`` give a :class:`PartialDate`."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError("unreadable-date")
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            text = str(int(number))
            return _checked(int(text[:4]), int(text[4:6]), int(text[6:]))
        if 1 <= number < 2958466:  # Excel serial day numbers up to 9999-12-31
            return EXCEL_EPOCH + dt.timedelta(days=int(number))
        raise ValueError("unreadable-date")
    text = fold(value)
    if m := _YMD.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    if m := _YMD_COMPACT.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    if m := _MD.match(text):
        month, day = int(m[1]), int(m[2])
        _checked(2000, month, day)  # 2000 is a leap year: accepts 2月29日
        return PartialDate(month, day)
    raise ValueError("unreadable-date")


_PERIOD_WORDS = {
    "上午": "上午",
    "早上": "上午",
    "早": "上午",
    "am": "上午",
    "下午": "下午",
    "中午": "下午",
    "pm": "下午",
    "晚上": "晚上",
    "晚间": "晚上",
    "夜间": "晚上",
    "晚": "晚上",
}


@lru_cache(maxsize=4096)
def parse_period(value: object) -> str | None:
    if is_blank(value):
        return None
    text = fold(value).lower().strip("()（）[]")
    if text in _PERIOD_WORDS:
        return _PERIOD_WORDS[text]
    raise ValueError("unreadable-period")


def period_of_time(t: dt.time) -> str:
    """上午 before 12:00, 下午 12:00–18:00, 晚上 after (SPEC §4)."""
    if t.hour < 12:
        return "上午"
    if t.hour < 18:
        return "下午"
    return "晚上"


_HM = re.compile(r"^(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*分?(?:\s*[:：]\s*\d{1,2})?$")


@lru_cache(maxsize=4096)
def parse_time(value: object) -> dt.time | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds()) % 86400
        return dt.time(seconds // 3600, seconds % 3600 // 60)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(float(value) * 1440)
        return dt.time(minutes // 60 % 24, minutes % 60)
    m = _HM.match(fold(value))
    if m:
        hour, minute = int(m[1]), int(m[2] or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError("unreadable-time")


_YES = {
    "是",
    "有",
    "已",
    "服从",
    "√",
    "✓",
    "✔",
    "y",
    "yes",
    "true",
    "1",
    "对",
    "已签",
    "已签字",
    "签字",
}
_NO = {
    "否",
    "无",
    "未",
    "不服从",
    "×",
    "✗",
    "✘",
    "x",
    "n",
    "no",
    "false",
    "0",
    "未签",
    "未签字",
    "不",
}


@lru_cache(maxsize=4096)
def parse_yesno(value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = fold(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("unreadable-yesno")


_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


@lru_cache(maxsize=4096)
def parse_number(value: object) -> float | None:
    """A number; text like ``4课时`` or ``4.5`` is read by its leading number. Infinity
    and NaN (a cell ``<v>1e400</v>``, text ``1e400``) are refused, not computed with, and
    so is a magnitude over 10⁹ (:data:`MAX_NUMBER`): no hour, head count, age or wage
    in these records is near it, and 1e308 plan hours overflowed the attendance
    arithmetic (found by the issue-13 fuzzer)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("unreadable-number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        m = _NUMBER.match(fold(value).replace(",", ""))
        if not m:
            raise ValueError("unreadable-number")
        number = float(m[0])
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise ValueError("unreadable-number")
    return number


MAX_NUMBER = 1e9


def parse_text(value: object) -> str | None:
    if value.__class__ is str:  # the usual case, inlined: called for every text cell
        text = (value if value.isascii() else unicodedata.normalize("NFKC", value)).strip()
        return text or None
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return fold(value)


class NumericIdError(ValueError):
    """An identity number stored as a number: Excel kept 15 significant digits only."""


@lru_cache(maxsize=131072)
def parse_id(value: object) -> str | None:
    """Identity numbers stay text; an X check character is upper-cased.

    A number cell cannot hold an 18-digit ID (Excel keeps 15 significant digits), so
    it is refused rather than silently used with its last digits lost.
    """
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise NumericIdError("id-stored-as-number")
    text = fold(value).replace(" ", "").upper()
    if text.startswith("'"):
        text = text[1:]
    if "*" in text:
        return None  # a masked ID (450302********123X, as this tool writes it) names no one
    return text or None


@lru_cache(maxsize=65536)
def parse_phone(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value))  # phone numbers have ≤ 12 digits: exact in a float
    return fold(value).replace(" ", "")


# Column parsers: one of the parsers above over a column's distinct values at once,
# {value: parsed}. Names, IDs and phones differ on every row, so each value is parsed
# once per sheet: the texts (nearly all of them) are folded in one comprehension, not
# a call (and a cache miss) each; any other value goes to the parser itself. Each gives
# exactly what its parser gives (tests/test_values.py compares them).


def _texts_and_others(values: set[object]) -> tuple[list[str], list[object]]:
    texts = [v for v in values if v.__class__ is str]
    others = [v for v in values if v.__class__ is not str] if len(texts) < len(values) else []
    return texts, others


def parse_texts(values: set[object]) -> dict[object, str | None]:
    """:func:`parse_text` of each value."""
    texts, others = _texts_and_others(values)
    folded = [
        (v if v.isascii() else unicodedata.normalize("NFKC", v)).strip() or None for v in texts
    ]
    out: dict[object, str | None] = dict(zip(texts, folded, strict=True))
    out.update(zip(others, map(parse_text, others), strict=True))
    return out


def parse_ids(values: set[object]) -> dict[object, str | None]:
    """:func:`parse_id` of each value (raises as it does: an ID stored as a number)."""
    texts, others = _texts_and_others(values)
    # a blank text folds to "": None, as is_blank says (NFKC keeps blanks blank)
    cleaned = [unicodedata.normalize("NFKC", v).strip().replace(" ", "").upper() for v in texts]
    joined = "".join(cleaned)
    if "'" in joined or "*" in joined:  # a quote to drop, a masked ID: rare
        return dict(zip(values, map(parse_id, values), strict=True))
    out: dict[object, str | None] = dict(zip(texts, [t or None for t in cleaned], strict=True))
    out.update(zip(others, map(parse_id, others), strict=True))
    return out


def parse_phones(values: set[object]) -> dict[object, str | None]:
    """:func:`parse_phone` of each value."""
    texts, others = _texts_and_others(values)
    cleaned = [unicodedata.normalize("NFKC", v).strip().replace(" ", "") or None for v in texts]
    out: dict[object, str | None] = dict(zip(texts, cleaned, strict=True))
    out.update(zip(others, map(parse_phone, others), strict=True))
    return out


COLUMN_PARSERS = {"text": parse_texts, "id": parse_ids, "phone": parse_phones}


_LIST_SPLIT = re.compile(r"[、,，;；/]+")


@lru_cache(maxsize=4096)
def parse_list(value: object) -> tuple[str, ...] | None:
    if is_blank(value):
        return None
    items = tuple(s.strip() for s in _LIST_SPLIT.split(fold(value)) if s.strip())
    return items or None


CERT_LEVELS = {
    "初级": "初级",
    "五级": "初级",
    "初级工": "初级",
    "中级": "中级",
    "四级": "中级",
    "中级工": "中级",
    "高级": "高级",
    "三级": "高级",
    "高级工": "高级",
    "技师": "技师",
    "二级": "技师",
    "高级技师": "高级技师",
    "一级": "高级技师",
}


def normalise_level(value: object) -> str | None:
    """Certificate/training level in its canonical name; an unknown level is kept as written
    (rule A0505 reports it)."""
    text = parse_text(value)
    if text is None:
        return None
    return CERT_LEVELS.get(text, CERT_LEVELS.get(text.replace("职业资格", ""), text))


# Sign-in marks (SPEC §3.2, extended by the marks offices write: issue 12 item 5).
PRESENT_MARKS = {"√", "✓", "✔", "☑", "到", "已到", "已签", "出勤", "1", "v", "V"}
LATE_MARKS = {"迟", "迟到", "¢"}  # the full-width ￠ folds to ¢
EARLY_MARKS = {"早", "早退", "△", "▲"}
ABSENT_MARKS = {"缺", "缺勤", "缺课", "旷", "旷课", "未到", "○", "〇", "×", "✗", "0", "x", "X"}
LEAVE_MARKS = {"请假", "假", "病", "病假", "事", "事假", "公假", "婚假", "丧假"}
# "no class that day" (neither present nor absent): a slash or a dash
NO_SESSION_MARKS = {"/", "\\", "—", "——", "–", "-", "--", "―", "─"}
# a signature written after the day (补签): unknown unless the ruleset counts it
# (``attendance.makeup_signature_present``); kept apart so the audit can decide per class
MAKEUP_MARKS = {"补签", "补签到", "补"}
# Short words people write in a mark cell that are not names (公出, 调休 …): unknown
# marks. A signature must look like a name: 2–6 Han characters after a family name.
NOT_NAMES = {
    "补签", "代签", "未签", "迟签", "公出", "外出", "出差", "调休", "休息", "休假", "放假",
    "停课", "无课", "上课", "下课", "签到", "签退", "签名", "签字", "旷工", "考试", "实习",
    "培训", "值班", "加班", "病休", "事休", "离职", "退学", "转班", "未参加", "已签到",
    "全勤", "全天", "正常", "有事", "生病", "住院", "离校", "回家", "到课", "缺课",
    "国庆", "周末", "周六", "周日", "节假日", "假日", "休课", "停电", "通知", "后补",
}  # fmt: skip
SURNAMES = set(  # family names, one character each (compound ones below)
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢唐韦蒙覃莫韩冯邓曹彭曾肖萧田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付傅方白邹孟熊秦邱丘江尹薛闫严阎段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱汤易常武乔赖文施洪庞樊兰蓝殷向柳颜倪牛温芦季俞章鲁葛伍申尤毕聂焦晏"
    "柴岳齐祝庄盛邢单欧甘农卜廉阮滕凌凤卓喻宁邬包冉路涂翟关戴左费纪舒屈项祁褚解应宗丛裴穆戚鲍"
    "仇霍阳苗梅宫蔺刁车简饶谷骆班巫麦冼练利区钮边卫卞郎符全粟游荣翁麻席苟米辛闵敖耿强胥管鞠诸"
    "詹桂商奚支仲晋连伏容隋湛栾甄储零闭磨岑劳侬邝官闻景池乐尚达步党计伊经房裘缪干丰雍尉越夔隆"
    "师巩厍晁勾融冷訾阚那空毋沙乜养须巢蒯相查后荆红竺权逯盖益桓代占玉柏杭佘佟谈扶谌揭寇母幸危"
    "满嵇兆习郁封芮羿靳汲邴糜松井富乌巴弓牧隗山宓蓬郗仰暴钭厉戎祖束司韶郜蓟薄印宿怀蒲邰从鄂索"
    "咸籍屠阴鬱能苍双莘贡逄姬堵宰郦却璩桑濮寿通扈燕冀郏浦别瞿充慕茹宦艾鱼古慎戈庾终暨居衡都弘"
    "匡国广禄阙东殳沃蔚"
)
_NAME = re.compile(r"^[\u3400-\u9fff]{2,6}$")
_MINORITY_NAME = re.compile(r"^[\u3400-\u9fff]{1,8}[·•][\u3400-\u9fff·•]{1,12}$")
# sign-in statuses; the loader stores a mark as its index here (one byte per cell)
MARK_STATUSES = (
    "absent", "present", "late", "early", "leave", "signature", "unknown", "none", "makeup",
)  # fmt: skip
ATTENDING = {"present", "late", "early", "signature"}


def is_name_like(text: str) -> bool:
    """A written name: 2–6 Han characters starting with a family name (or a minority
    name with ``·``), and not one of the words people write instead of a mark."""
    if text in NOT_NAMES:
        return False
    if _MINORITY_NAME.match(text):
        return True
    return bool(_NAME.match(text)) and (text[0] in SURNAMES or text[:2] in COMPOUND_SURNAMES)


COMPOUND_SURNAMES = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒",
    "夏侯", "长孙", "宇文", "轩辕", "端木", "西门", "南宫", "独孤", "呼延", "万俟", "澹台",
}  # fmt: skip


@lru_cache(maxsize=65536)
def classify_mark(value: object) -> tuple[str, str | None]:
    """(status, signed name). Blank is absent; ``/`` or ``—`` is no session that day;
    a written name is a signature whose owner the attendance step compares with the
    student; any other word is unknown (reported, counted absent), never a signature."""
    if is_blank(value):
        return "absent", None
    if isinstance(value, bool):
        return ("present" if value else "absent"), None
    text = fold(value)
    if text in PRESENT_MARKS:
        return "present", None
    if text in LATE_MARKS:
        return "late", None
    if text in EARLY_MARKS:
        return "early", None
    if text in ABSENT_MARKS:
        return "absent", None
    if text in LEAVE_MARKS:
        return "leave", None
    if text in NO_SESSION_MARKS:
        return "none", None
    if text in MAKEUP_MARKS:
        return "makeup", None
    if is_name_like(text):
        return "signature", text.replace("•", "·")
    return "unknown", None


_SESSION_PERIOD = re.compile(
    r"[\s(（\[【]*(上午|下午|晚上|早上|中午|晚间|AM|PM|am|pm)[\s)）\]】]*$"
)


@lru_cache(maxsize=16384)
def parse_session_header(value: object) -> tuple[dt.date | PartialDate, str | None] | None:
    """A wide sign-in column header that names a session: ``2020-09-01``, ``2020/9/1``,
    ``9月1日``, ``9.1上午``, ``09-01(下午)`` or an Excel date cell. ``None`` otherwise."""
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, dt.date):
        return parse_date(value), None
    if isinstance(value, int | float):
        # a bare number is a date only as an Excel serial in a plausible range (1982–2064)
        if 30000 <= float(value) <= 60000:
            return parse_date(value), None
        text = fold(value)
    else:
        text = fold(value)
    period = None
    if m := _SESSION_PERIOD.search(text):
        period = parse_period(m[1])
        text = text[: m.start()]
    try:
        date = parse_date(text)
    except ValueError:
        return None
    return (date, period) if date is not None else None
