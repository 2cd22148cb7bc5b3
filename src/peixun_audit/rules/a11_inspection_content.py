"""Article 11: what the on-site inspection checks, and whether the head count agrees."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..attendance import plain
from ..load.values import period_of_time
from .base import Context, Rule, flagged_form_answers, rows_of

# the form's questions (canonical fields of the inspection table)
CHECKS = ("follows_syllabus", "on_schedule", "teacher_prepared", "practical_ok")


class InspectionNoncompliance(Rule):
    """An inspection form answers 否 to syllabus, schedule, preparation or practical hours.

    Why: Article 11 — the inspection checks that teaching follows the syllabus, that
    progress matches the plan, how teachers prepare and teach, and that practical
    hours meet the requirement. A 否 needs correction (Article 14(5)).

    Reading: a blank answer is not a finding (unanswered, not failed).

    Anti-pattern: 进度与计划一致 否.
    Compliant: all four 是.
    """

    code = "A1101"
    name = "inspection-noncompliance"
    article = 11
    severity = "warning"
    evidence = {
        "dated": {"failed": "field[]", "date": "date"},
        # an inspection date without a year that no class start could complete
        "undated": {"failed": "field[]"},
    }

    def check(self, ctx: Context):
        # blank is not answered, not a 否 (no finding)
        return flagged_form_answers(ctx, CHECKS, lambda v: v is False, "failed")


def signed_in_counts(ctx: Context, days: pd.DataFrame | None = None) -> pd.DataFrame:
    """Students attending per (class, date, period) from the sign-in sheets, optionally
    only on the given (class_id, date) days."""
    att = ctx.attendance
    s = att.signin
    keep = s["attending"].to_numpy(dtype=bool)
    if days is not None:  # the sign-in columns of those days, then their cells
        columns = att.columns
        wanted = pd.MultiIndex.from_frame(days[["class_id", "date"]].drop_duplicates())
        on_days = pd.MultiIndex.from_frame(columns[["class_id", "date"]]).isin(wanted)
        scol = s["scol"].to_numpy()
        # a lookup by column number: the sign-in table has a row per cell (720,000 a
        # city-year), and only the few columns it needs are taken from it
        chosen = np.zeros(int(scol.max(initial=-1)) + 1, dtype=bool)
        chosen[columns.loc[on_days, "scol"].to_numpy()] = True
        keep = keep & chosen[scol]
    at = np.flatnonzero(keep)
    if not len(at):
        return pd.DataFrame({"class_id": [], "date": [], "slot": [], "signed": []})
    # whole-column over the categories' codes of those cells (tens of thousands), the
    # text read once per category: who signed is the ID when the sheet gives one, else
    # "name:<name>" (person_key)
    id_code, ids = _codes(s["student_id"], at)
    name_code, names = _codes(s["student_name"], at)
    people = np.concatenate([ids, "name:" + names.astype(str), ["name:"]])  # last: no name
    person, _ = pd.factorize(people)
    named = np.where(name_code >= 0, len(ids) + name_code, len(people) - 1)
    who = person[np.where(id_code >= 0, id_code, named)]
    # the session: class, date and period ("" when the sheet has none, or a blank one);
    # a cell without class or date is in no session (groupby leaves out missing keys)
    class_code, classes = _codes(s["class_id"], at)
    period_code, periods = _codes(s["period"], at)
    slot_of_period, slots = pd.factorize(np.append(periods, ""))
    date = s["date"].to_numpy()[at]
    dated = ~np.isnat(date) & (class_code >= 0)
    frame = pd.DataFrame(
        {
            "class": class_code[dated],
            "date": date[dated],
            "slot": slot_of_period[period_code[dated]],  # code -1 takes the last, ""
            "who": who[dated],
        }
    )
    signed = frame.drop_duplicates().groupby(["class", "date", "slot"]).size()
    keys = signed.index.to_frame(index=False)
    out = pd.DataFrame(
        {
            "class_id": classes[keys["class"].to_numpy()],
            "date": keys["date"],
            "slot": np.asarray(slots, dtype=object)[keys["slot"].to_numpy()],
            "signed": signed.to_numpy(),
        }
    )
    # in the order of the keys, as groupby gives them
    return out.sort_values(["class_id", "date", "slot"], ignore_index=True)


def _codes(column: pd.Series, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The category codes of the cells at positions ``at`` (-1 where missing) and the
    categories as an object array (attendance keeps the sign-in text categorical)."""
    values = column.array
    if not isinstance(values, pd.Categorical):
        values = pd.Categorical(plain(column.to_frame()).iloc[:, 0])
    # widened: pandas keeps codes as narrow as the categories allow (int16 below 32,767),
    # and the codes are offset and combined above (a 2x city-year has 47,000 IDs)
    return values.codes[at].astype(np.int64), values.categories.to_numpy(dtype=object)


class HeadcountMismatch(Rule):
    """More students signed in for the inspected session than the inspectors counted
    present.

    Why: Article 11 — the inspection records the students' attendance (学员到课情况);
    a sign-in sheet showing more students than were in the room means signatures
    were added for absent students.

    Reading: the inspected session is the one of the inspection time's period (上午
    before 12:00, 下午 to 18:00, 晚上 after); with no time, or a sheet without periods,
    the day's least-signed session is compared (the most favourable to the school).

    Anti-pattern: 实到人数 25, 28 signatures for that morning.
    Compliant: 28 present, 28 signatures.
    """

    code = "A1102"
    name = "headcount-mismatch"
    article = 11
    severity = "error"
    evidence = {
        "session": {"observed": "count", "signed": "count", "date": "date", "period": "period"},
        "day": {"observed": "count", "signed": "count", "date": "date"},
    }

    def check(self, ctx: Context):
        insp = ctx.tables["inspections"].dropna(subset=["date", "observed"])
        counts = signed_in_counts(ctx, insp)
        if not len(insp) or not len(counts):
            return
        insp = insp.assign(
            slot=[
                period_of_time(t) if t is not None and not pd.isna(t) else "" for t in insp["time"]
            ]
        )
        # the session at the inspection's period, else the day's least-signed session
        exact = counts.rename(columns={"signed": "at_slot"})
        least = counts.groupby(["class_id", "date"], as_index=False)["signed"].min()
        joined = insp.merge(exact, on=["class_id", "date", "slot"], how="left")
        joined = joined.merge(
            least.rename(columns={"signed": "least"}), on=["class_id", "date"], how="inner"
        )
        joined["matched"] = joined["at_slot"].notna()
        joined["signed"] = joined["at_slot"].fillna(joined["least"]).astype(int)
        for row in rows_of(joined[joined["signed"] > joined["observed"].astype(float)]):
            evidence = {"observed": int(row.observed), "signed": int(row.signed), "date": row.date}
            where = ctx.source(row, "observed")
            if row.matched and row.slot:
                yield ctx.violation(
                    "session", row.class_id, {**evidence, "period": row.slot}, where
                )
            else:
                yield ctx.violation("day", row.class_id, evidence, where)
