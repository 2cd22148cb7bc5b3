"""The rule registry and what every rule sees.

A rule is a small class with a stable ``code``, a kebab-case ``name``, the ``article``
it enforces (None for X fraud signals), a ``severity``, the dotted ruleset
``params`` it reads, the typed ``evidence`` of each of its failure modes
(variants), and a docstring that ``peixun-audit rules CODE`` prints. ``check``
reads canonical tables from the :class:`Context` and returns :class:`Violation`
rows; it never reads a file and never writes a sentence: the engine (``audit.py``)
turns violations into findings, the report layer renders their messages from the
catalogue (``messages.FINDINGS``) in the report language.
"""

from __future__ import annotations

import datetime as dt
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..attendance import AttendanceResult
from ..calendar import WorkCalendar, from_ruleset
from ..ids import id_facts
from ..model import Problem, Source, Violation
from ..ruleset import Ruleset

SEVERITIES = ("error", "warning", "info")


class Rule(ABC):
    code: ClassVar[str]
    name: ClassVar[str]
    article: ClassVar[int | None]
    severity: ClassVar[str]
    params: ClassVar[tuple[str, ...]] = ()
    # variant → {field: type}: the failure modes of this rule and the typed evidence
    # of each (types in ``evidence.py``); the messages are in ``messages.FINDINGS``
    evidence: ClassVar[dict[str, dict[str, str]]]

    @abstractmethod
    def check(self, ctx: Context) -> Iterable[Violation]:
        """Violations of this rule over the whole dataset."""

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


class UndeclaredParameter(KeyError):
    """A rule read a ruleset parameter it does not list in ``params``."""


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
    # what the loader reported about the input (e.g. an ID cell stored as a number)
    problems: list[Problem] = field(default_factory=list)
    calendars: dict[str, WorkCalendar] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    # the parameters the running rule declares (set by the engine): reading any other
    # raises UndeclaredParameter, so a rule's ``params`` list cannot drift from its code
    declared: tuple[str, ...] | None = None

    @property
    def classes(self) -> pd.DataFrame:
        """One row per class (the first row when a class is listed twice)."""
        return self.memo("classes", lambda: self.tables["classes"].drop_duplicates("class_id"))

    def class_rows(self) -> list:
        """:attr:`classes` as namedtuples, built once: several rules walk every class,
        and reading a row's datetimes is slow."""
        return self.memo("class_rows", lambda: list(rows_of(self.classes)))

    def class_rows_where(self, mask: pd.Series) -> list:
        """The :meth:`class_rows` where ``mask`` (a bool Series aligned with
        :attr:`classes`) holds: the namedtuples built once, not again per subset."""
        return [row for row, keep in zip(self.class_rows(), mask.tolist(), strict=True) if keep]

    def rows(self, kind: str) -> list:
        """The rows of table ``kind`` as namedtuples, built once for the rules that
        walk every row (the inspection forms: A1003, A1101, A1401, A1402)."""
        return self.memo(f"rows:{kind}", lambda: list(rows_of(self.tables[kind])))

    def roster_sizes(self) -> pd.Series:
        """Distinct people (:func:`person_key`) on each class's roster, by class id;
        built once for A0702 and A1201."""

        def build() -> pd.Series:
            roster = self.tables["roster"]
            return roster.assign(who=person_key(roster)).groupby("class_id")["who"].nunique()

        return self.memo("roster_sizes", build)

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
            self.calendars[rs.name] = from_ruleset(rs.get)
        return self.calendars[rs.name]

    def _check_declared(self, key: str) -> None:
        if self.declared is not None and key not in self.declared:
            raise UndeclaredParameter(f"ruleset parameter {key!r} is not in the rule's params")

    def param(self, key: str, class_ids: pd.Series | None = None) -> Any:
        """A ruleset parameter: one value, or per class when ``class_ids`` is given."""
        self._check_declared(key)
        if class_ids is None:
            return self.default.get(key)
        fallback = self.default.get(key)
        by_ruleset = {rs.name: rs.get(key) for rs in self._rulesets_in_force()}
        if set(map(repr, by_ruleset.values())) <= {repr(fallback)}:  # one value for all
            if len(class_ids) and isinstance(fallback, bool | int | float | str):
                # a scalar fills the column at once, with the dtype the list would infer
                return pd.Series(fallback, index=class_ids.index)
            return pd.Series([fallback] * len(class_ids), index=class_ids.index).infer_objects()
        return pd.Series(
            [
                by_ruleset[rs.name] if (rs := self.ruleset_of.get(c)) else fallback
                for c in class_ids
            ],
            index=class_ids.index,
            dtype=object,
        ).infer_objects()

    def _rulesets_in_force(self) -> list[Ruleset]:
        """The distinct rulesets of the classes (by name), found once."""
        return self.memo(
            "rulesets_in_force",
            lambda: list({rs.name: rs for rs in self.ruleset_of.values()}.values()),
        )

    def class_param(self, class_id: str, key: str) -> Any:
        self._check_declared(key)
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
        sources = self.memo(
            "class_sources",
            lambda: {
                row.class_id: Source(row.src_file, row.src_sheet, int(row.src_row))
                for row in self.class_rows()
            },
        )
        return sources.get(class_id)

    def student_violation(
        self, variant: str, row: Any, evidence: dict[str, Any], key: str | None = None
    ) -> Violation:
        """A violation by the student of a roster-like row (class_id, name, id_number),
        at the row, or at the cell of field ``key``."""
        return self.violation(
            variant, row.class_id, evidence, self.source(row, key), row.name, row.id_number
        )

    def violation(
        self,
        variant: str,
        class_id: Any,
        evidence: dict[str, Any],
        source: Source | None = None,
        student_name: Any = None,
        id_number: Any = None,
    ) -> Violation:
        """A violation; without ``source`` it is placed at the class's own record."""
        return Violation(
            variant,
            evidence,
            None if _missing(class_id) else str(class_id),
            source,
            None if _missing(student_name) else str(student_name),
            None if _missing(id_number) else str(id_number),
        )


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NaT


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


def map_distinct(values: pd.Series, func: Callable[[Any], Any], dtype: Any = object) -> pd.Series:
    """``values.map(func)`` as a Series of ``dtype``, with ``func`` called once per
    distinct value (a column of 24,000 rows often holds a handful of values); a missing
    value is passed as NaN."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.array([func(v) for v in uniques], dtype=dtype)
    return pd.Series(mapped[codes], index=values.index, dtype=dtype)


def rows_of(frame: pd.DataFrame) -> Iterator:
    """``frame.itertuples()``, without its fixed cost when ``frame`` is empty: pandas
    first builds a namedtuple class and a Series per column (about 1 ms for the
    roster's 22 columns), and the faulty rows a rule walks are most often none."""
    return frame.itertuples() if len(frame) else iter(())


def person_key(frame: pd.DataFrame, id_col: str = "id_number", name_col: str = "name") -> pd.Series:
    """Who a row is about: the ID number when there is one, else ``name:<name>``."""
    ids = frame[id_col] if id_col in frame else pd.Series(None, index=frame.index, dtype=object)
    names = (
        frame[name_col] if name_col in frame else pd.Series(None, index=frame.index, dtype=object)
    )
    missing = ids.isna()
    # the names of the rows without an ID only (building 24,000 strings is slow)
    by_name = ("name:" + names[missing].fillna("").astype(str)).reindex(ids.index)
    return ids.where(~missing, by_name)


def ceil_percent(percent: int, n: int) -> int:
    """⌈percent × n / 100⌉ in integers: 10% of 30 is 3, never 4."""
    return -(-int(percent) * int(n) // 100)


def flagged_form_answers(
    ctx: Context, keys: tuple[str, ...], flagged: Callable[[Any], bool], field: str
) -> Iterable[Violation]:
    """For each inspection form, the answers among ``keys`` that ``flagged`` picks
    (unsigned, answered 否): variant ``dated`` {field, date}, or ``undated`` {field}
    when the form's date could not be read; placed at the first such cell."""
    for row in ctx.rows("inspections"):
        picked = [k for k in keys if flagged(getattr(row, k))]
        if not picked:
            continue
        where = ctx.source(row, picked[0])
        if pd.isna(row.date):
            yield ctx.violation("undated", row.class_id, {field: picked}, where)
        else:
            yield ctx.violation("dated", row.class_id, {field: picked, "date": row.date}, where)
