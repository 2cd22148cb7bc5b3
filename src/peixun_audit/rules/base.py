"""The rule registry and what every rule sees.

A rule is a small class with a stable ``code``, a kebab-case ``name``, the ``article``
it enforces (None for X fraud signals), a ``severity``, the dotted ruleset
``params`` it reads, a message template per language, and a docstring that
``peixun-audit rules CODE`` prints. ``check`` reads canonical tables from the
:class:`Context` and returns findings; it never reads a file.
"""

from __future__ import annotations

import datetime as dt
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from ..attendance import AttendanceResult
from ..calendar import WorkCalendar
from ..ids import id_facts
from ..model import Finding, Source
from ..ruleset import Ruleset

SEVERITIES = ("error", "warning", "info")


class Rule(ABC):
    code: ClassVar[str]
    name: ClassVar[str]
    article: ClassVar[int | None]
    severity: ClassVar[str]
    params: ClassVar[tuple[str, ...]] = ()
    # True when check() reads ctx.attendance; the other rules may start before
    # attendance is computed (audit.run, with a process pool)
    uses_attendance: ClassVar[bool] = False
    message: ClassVar[tuple[str, str]]  # (zh, en) templates over the evidence keys

    @abstractmethod
    def check(self, ctx: Context) -> Iterable[Finding]:
        """Findings of this rule over the whole dataset."""

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def render(cls, evidence: dict[str, Any], lang: str) -> str:
        template = cls.message[1] if lang == "en" else cls.message[0]
        try:
            return template.format(**evidence)
        except (KeyError, IndexError, ValueError):
            return template


REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    assert cls.code not in REGISTRY, cls.code
    assert cls.severity in SEVERITIES, cls.code
    REGISTRY[cls.code] = cls
    return cls


class _Pending:
    """``Context.attendance`` before attendance is computed: reading it is a bug in a
    rule that does not declare ``uses_attendance``."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("attendance is not computed yet: the rule must set uses_attendance")


PENDING: Any = _Pending()


@dataclass
class Context:
    """Canonical tables of the classes audited under a ruleset, and derived data."""

    tables: dict[str, pd.DataFrame]
    attendance: AttendanceResult
    ruleset_of: dict[str, Ruleset]  # class id → ruleset in force on its start date
    default: Ruleset  # for rows without a class (teacher dispatches)
    as_of: dt.date
    institution_of: dict[str, str]
    cells: Callable[[str, str, str, int], str | None]  # (file, sheet, key, row) → "C7"
    rulesets: list[Ruleset] = field(default_factory=list)  # every ruleset, oldest first
    calendars: dict[str, WorkCalendar] = field(default_factory=dict)
    _class_sources: dict[str, Source] = field(default_factory=dict, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def classes(self) -> pd.DataFrame:
        """One row per class (the first row when a class is listed twice)."""
        return self.memo("classes", lambda: self.tables["classes"].drop_duplicates("class_id"))

    def roster_ids(self) -> pd.DataFrame:
        """:func:`ids.id_facts` of the roster's ID numbers, indexed like the roster; built
        once for the rules that check IDs (A0502, A0503, the X rules)."""
        return self.memo("roster_ids", lambda: id_facts(self.tables["roster"]["id_number"]))

    def memo(self, name: str, build: Callable[[], Any]) -> Any:
        """A derived table several rules read, built once (rules must not modify it)."""
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]

    def calendar(self, class_id: str) -> WorkCalendar:
        rs = self.ruleset_of.get(class_id, self.default)
        if rs.name not in self.calendars:
            self.calendars[rs.name] = WorkCalendar(
                rs.get("calendar.holidays"), rs.get("calendar.workdays")
            )
        return self.calendars[rs.name]

    def param(self, key: str, class_ids: pd.Series | None = None) -> Any:
        """A ruleset parameter: one value, or per class when ``class_ids`` is given."""
        if class_ids is None:
            return self.default.get(key)
        by_ruleset = {rs.name: rs.get(key) for rs in (*self.ruleset_of.values(), self.default)}
        fallback = self.default.get(key)
        return pd.Series(
            [
                by_ruleset[rs.name] if (rs := self.ruleset_of.get(c)) else fallback
                for c in class_ids
            ],
            index=class_ids.index,
            dtype=object,
        ).infer_objects()

    def class_param(self, class_id: str, key: str) -> Any:
        return self.ruleset_of.get(class_id, self.default).get(key)

    def source(self, row: Any, key: str | None = None) -> Source:
        """Source of a canonical row (a namedtuple or Series with src_file/src_sheet/src_row),
        with the cell of field ``key`` when one cell is at fault."""
        file, sheet, excel_row = row.src_file, row.src_sheet, int(row.src_row)
        cell = None
        if key == "src_cell":  # a sign-in mark: its column letter and row
            letter = getattr(row, "src_col", None)
            cell = f"{letter}{excel_row}" if letter else None
        elif key:
            cell = self.cells(file, sheet, key, excel_row)
        return Source(file, sheet, excel_row, cell)

    def class_source(self, class_id: str) -> Source | None:
        """Where a class is defined (its 培训班 row): the place of class-level findings."""
        if not self._class_sources:
            self._class_sources = {
                row.class_id: Source(row.src_file, row.src_sheet, int(row.src_row))
                for row in self.classes.itertuples()
            }
        return self._class_sources.get(class_id)

    def student_finding(
        self, code: str, row: Any, evidence: dict[str, Any], key: str | None = None
    ) -> Finding:
        """A finding about the student of a roster-like row (class_id, name, id_number),
        at the row, or at the cell of field ``key``."""
        return self.finding(
            code, row.class_id, evidence, self.source(row, key), row.name, row.id_number
        )

    def finding(
        self,
        code: str,
        class_id: Any,
        evidence: dict[str, Any],
        source: Source | None = None,
        student_name: Any = None,
        id_number: Any = None,
    ) -> Finding:
        cid = None if _missing(class_id) else str(class_id)
        if source is None and cid is not None:
            source = self.class_source(cid)
        return Finding(
            code=code,
            class_id=cid,
            institution=self.institution_of.get(cid) if cid else None,
            student_name=None if _missing(student_name) else str(student_name),
            id_number=None if _missing(id_number) else str(id_number),
            evidence=evidence,
            source=source,
        )


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NaT


def fmt_date(value: Any) -> str:
    if _missing(value):
        return "—"
    return pd.Timestamp(value).date().isoformat()


def fmt_hours(value: float) -> str:
    return f"{value:g}"


def fmt_percent(numerator: int, denominator: int) -> str:
    if not denominator:
        return "—"
    return f"{100 * numerator / denominator:.2f}%"


def training_kind(classes: pd.DataFrame, kind: str) -> pd.Series:
    """Classes of a training type: ``project`` (项目制培训, or 是否项目制 = 是),
    ``entrepreneurship`` (创业培训) or ``work_based`` (以工代训)."""
    text = classes["training_type"].fillna("").astype(str)
    if kind == "project":
        return text.str.contains("项目制") | classes["project_based"].eq(True)
    if kind == "entrepreneurship":
        return text.str.contains("创业")
    if kind == "work_based":
        return text.str.contains("以工代训")
    raise ValueError(kind)


def person_key(frame: pd.DataFrame, id_col: str = "id_number", name_col: str = "name") -> pd.Series:
    """Who a row is about: the ID number when there is one, else ``name:<name>``."""
    ids = frame[id_col] if id_col in frame else pd.Series(None, index=frame.index, dtype=object)
    names = (
        frame[name_col] if name_col in frame else pd.Series(None, index=frame.index, dtype=object)
    )
    return ids.where(ids.notna(), "name:" + names.fillna("").astype(str))


def ceil_percent(percent: int, n: int) -> int:
    """⌈percent × n / 100⌉ in integers: 10% of 30 is 3, never 4."""
    return -(-int(percent) * int(n) // 100)


def labels(
    names: dict[str, tuple[str, str]], keys: list[str], prefix: str = "missing"
) -> dict[str, str]:
    """Message parameters listing fields in both languages: ``{prefix}_zh``, ``{prefix}_en``."""
    return {
        f"{prefix}_zh": "、".join(names[k][0] for k in keys),
        f"{prefix}_en": ", ".join(names[k][1] for k in keys),
    }
