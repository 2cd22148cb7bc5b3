"""S01 rules: the national subsidy limits (国办发〔2019〕24号 and the provinces' rules
carrying it out) — the same occupation and level once, never a lower level after a
higher one, at most N subsidised trainings a calendar year.

They compare each student of the batch with the payments already recorded in the
subsidy ledger (the table ``ledger``, read by the engine before the rules run; empty
without ``--ledger``) and with the batch's own other classes. Within the batch the
later class is the one blocked: classes are ordered by end date, then start date,
then class id. Only roster rows with a valid ID number take part (A0502 blocks the
others).
"""

from __future__ import annotations

import pandas as pd

from ..load.values import normalise_level
from .base import Context, Rule, map_distinct, rows_of
from .fraud import _roster_classes

# 初级 < 中级 < 高级 < 技师 < 高级技师 (五级 … 一级, 初级工 … 高级工 are the same levels)
LEVEL_RANK = {"初级": 1, "中级": 2, "高级": 3, "技师": 4, "高级技师": 5}


def _levels(values: pd.Series) -> pd.Series:
    """Canonical level names ("" when blank), read once per distinct value."""
    return map_distinct(values, lambda v: (normalise_level(v) or "") if isinstance(v, str) else "")


def _batch(ctx: Context) -> pd.DataFrame:
    """Roster rows (valid ID) with their class's occupation, level (canonical), rank and
    order (``order``: end date, start date, class id)."""

    def build() -> pd.DataFrame:
        roster = _roster_classes(ctx).dropna(subset=["occupation"])
        level = _levels(roster["level"])
        order = (
            roster[["end_date", "start_date", "class_id"]]
            .drop_duplicates("class_id")
            .sort_values(["end_date", "start_date", "class_id"], na_position="last")
        )
        position = {cid: i for i, cid in enumerate(order["class_id"])}
        return roster.assign(  # the three columns in one copy of the roster
            level=level,
            rank=level.map(LEVEL_RANK).fillna(0).astype(int),
            order=roster["class_id"].map(position),
        )

    return ctx.memo("subsidy_batch", build)


def _ledger(ctx: Context) -> pd.DataFrame:
    """The ledger's payments, levels canonical and ranked; empty without a ledger."""

    def build() -> pd.DataFrame:
        from ..ledger import empty_table

        frame = ctx.tables.get("ledger")
        if frame is None:
            frame = empty_table()
        frame = frame.dropna(subset=["occupation"])
        frame = frame.assign(level=_levels(frame["level"]))
        return frame.assign(rank=frame["level"].map(LEVEL_RANK).fillna(0).astype(int))

    return ctx.memo("subsidy_ledger", build)


def _with_ledger(ctx: Context) -> pd.DataFrame:
    """Each batch row joined to the same person's payments in the same occupation."""

    def build() -> pd.DataFrame:
        batch, ledger = _batch(ctx), _ledger(ctx)
        paid = ledger[["id_number", "occupation", "level", "rank", "paid_on", "batch"]]
        # without payments nothing joins: the empty frame, its columns, without the work
        batch = batch.reset_index(drop=True) if len(paid) else batch.iloc[:0]
        merged = batch.merge(paid, on=["id_number", "occupation"], suffixes=("", "_paid"))
        return merged.sort_values(["paid_on", "batch"])

    return ctx.memo("subsidy_with_ledger", build)


def _batch_earlier(ctx: Context) -> pd.DataFrame:
    """For each roster row whose person has an earlier class of the same occupation in
    the batch: ``same`` (the earliest earlier class at the same level — or, failing
    that, at a level either side leaves blank, ``same_known`` False) and ``higher``
    (the earlier class of the highest rank above this one's, the earliest of those, and
    its level). One sweep per person and occupation in class order: linear in the rows,
    whatever one person's number of classes (issue 13: pairs were quadratic)."""

    def build() -> pd.DataFrame:
        batch = _batch(ctx)  # one row per ID and class (_roster_classes)
        # a person in one class only is set aside first: a one-column hash is cheaper
        batch = batch[batch["id_number"].duplicated(keep=False).to_numpy()]
        repeated = batch[batch.duplicated(["id_number", "occupation"], keep=False)]
        repeated = repeated.sort_values(["id_number", "occupation", "order"], kind="stable")
        rows, same, known, higher, higher_level = [], [], [], [], []
        previous = None
        for row in rows_of(repeated):
            group = (row.id_number, row.occupation)
            if group != previous:  # a new person or occupation: nothing earlier yet
                previous, first_by_level, first_blank, first_any = group, {}, None, None
                best_rank: dict[int, tuple[str, str]] = {}
            level, rank = row.level, row.rank
            match, match_known = None, False
            if level and level in first_by_level:
                match, match_known = first_by_level[level], True
            elif not level and first_any is not None:
                match = first_any
            elif level and first_blank is not None:
                match = first_blank
            above = [r for r in best_rank if rank > 0 and r > rank]
            top = best_rank[max(above)] if above else (None, None)
            if match is not None or top[0] is not None:
                rows.append(row.Index)
                same.append(match)
                known.append(match_known)
                higher.append(top[0])
                higher_level.append(top[1])
            # this class is now earlier than every class after it
            first_any = first_any or row.class_id
            if level:
                first_by_level.setdefault(level, row.class_id)
            else:
                first_blank = first_blank or row.class_id
            if rank > 0:
                best_rank.setdefault(rank, (row.class_id, level))
        out = batch.loc[rows].copy()
        return out.assign(same=same, same_known=known, higher=higher, higher_level=higher_level)

    return ctx.memo("subsidy_batch_earlier", build)


class SameLevelSubsidised(Rule):
    """The person was already subsidised for the same occupation at the same level.

    Why (policy): 国办发〔2019〕24号 and the provinces' rules carrying it out — a person is
    subsidised for the same occupation (工种) at the same level only once.

    Reading: against every payment in the subsidy ledger (``--ledger``), and between
    the batch's own classes (the later class is blocked, the earlier named). Levels
    compare across their forms (五级 = 初级 …). When either side gives no level, the
    two cannot be told apart and the later training is blocked all the same (variants
    ``*_level_unknown``): nobody is paid on missing evidence. Without ``--ledger``
    only the batch is checked, and the report says so.

    Anti-pattern: 电工 初级 paid in March (ledger batch 2020-03); the same person on
    the roster of a 电工 五级 class in November.
    Compliant: 电工 初级, then 电工 中级.
    """

    code = "S0101"
    name = "same-level-subsidised"
    article = None
    severity = "error"
    params = ("subsidy.policy",)
    evidence = {
        "ledger": {
            "policy": "text",
            "batch": "text",
            "paid_on": "date",
            "occupation": "text",
            "level": "text",
        },
        "ledger_level_unknown": {
            "policy": "text",
            "batch": "text",
            "paid_on": "date",
            "occupation": "text",
        },
        "batch": {"policy": "text", "other": "text", "occupation": "text", "level": "text"},
        "batch_level_unknown": {"policy": "text", "other": "text", "occupation": "text"},
    }

    def check(self, ctx: Context):
        policy = ctx.param("subsidy.policy")
        merged = _with_ledger(ctx)
        same = merged["level"].eq(merged["level_paid"]) & merged["level"].ne("")
        unknown = merged["level"].eq("") | merged["level_paid"].eq("")
        merged = merged.assign(known=same)[same | unknown]
        # one finding per student: the first payment, an exact level match first
        merged = merged.sort_values(["known", "paid_on"], ascending=[False, True])
        for row in rows_of(merged.drop_duplicates(["class_id", "id_number"])):
            evidence = {
                "policy": policy,
                "batch": row.batch,
                "paid_on": row.paid_on,
                "occupation": row.occupation,
            }
            if row.known:
                evidence["level"] = row.level
            variant = "ledger" if row.known else "ledger_level_unknown"
            yield ctx.student_violation(variant, row, evidence, "id_number")
        earlier = _batch_earlier(ctx)
        for row in rows_of(earlier[earlier["same"].notna()]):
            evidence = {"policy": policy, "other": row.same, "occupation": row.occupation}
            if row.same_known:
                evidence["level"] = row.level
            yield ctx.student_violation(
                "batch" if row.same_known else "batch_level_unknown",
                row,
                evidence,
                "id_number",
            )


class LowerLevelAfterHigher(Rule):
    """The person was already subsidised for a higher level of the same occupation.

    Why (policy): 国办发〔2019〕24号 and the provinces' rules carrying it out — once
    subsidised for a higher level of an occupation, a person is not subsidised again
    for a lower level of it.

    Reading: levels rank 初级 < 中级 < 高级 < 技师 < 高级技师 (五级 … 一级 and
    初级工 … 高级工 the same); a level outside this list is not ranked (S0101 still
    compares it). Against every payment in the ledger, and within the batch against
    an earlier class (the later, lower one is blocked).

    Anti-pattern: 焊工 中级 paid in 2020; 焊工 初级 in this batch.
    Compliant: 焊工 初级, then 焊工 中级.
    """

    code = "S0102"
    name = "lower-level-after-higher"
    article = None
    severity = "error"
    params = ("subsidy.policy",)
    evidence = {
        "ledger": {
            "policy": "text",
            "batch": "text",
            "paid_on": "date",
            "occupation": "text",
            "level": "text",
            "higher": "text",
        },
        "batch": {
            "policy": "text",
            "other": "text",
            "occupation": "text",
            "level": "text",
            "higher": "text",
        },
    }

    def check(self, ctx: Context):
        policy = ctx.param("subsidy.policy")
        merged = _with_ledger(ctx)
        merged = merged[(merged["rank"] > 0) & (merged["rank_paid"] > merged["rank"])]
        merged = merged.sort_values(["rank_paid", "paid_on"], ascending=[False, True])
        for row in rows_of(merged.drop_duplicates(["class_id", "id_number"])):
            evidence = {
                "policy": policy,
                "batch": row.batch,
                "paid_on": row.paid_on,
                "occupation": row.occupation,
                "level": row.level,
                "higher": row.level_paid,
            }
            yield ctx.student_violation("ledger", row, evidence, "id_number")
        earlier = _batch_earlier(ctx)
        for row in rows_of(earlier[earlier["higher"].notna()]):
            evidence = {
                "policy": policy,
                "other": row.higher,
                "occupation": row.occupation,
                "level": row.level,
                "higher": row.higher_level,
            }
            yield ctx.student_violation("batch", row, evidence, "id_number")


class TooManyInYear(Rule):
    """More subsidised trainings in the calendar year of the class end than the limit.

    Why (policy): 国办发〔2019〕24号 and the provinces' rules carrying it out — a person
    receives subsidised training at most 3 times a calendar year
    (``subsidy.max_per_year``).

    Reading: a batch class counts in the year of its end date; a ledger payment in the
    year of its class end date, or of its payment date when the end is not recorded. The
    person's trainings of that year — the ledger's and this batch's — are put in date
    order (the ledger's first on the same day) and each batch class past the limit is
    blocked, naming the trainings before it. A payment the ledger holds for the very same
    class and person is not counted twice (S0101 reports it).

    Anti-pattern: three trainings paid in 2020 (ledger) and a fourth ending 2020-11-06.
    Compliant: the fourth ends in January of the next year.
    """

    code = "S0103"
    name = "too-many-in-year"
    article = None
    severity = "error"
    params = ("subsidy.policy", "subsidy.max_per_year")
    evidence = {
        "over": {
            "policy": "text",
            "year": "count",
            "nth": "count",
            "limit": "count",
            "earlier": "text[]",
        }
    }

    def check(self, ctx: Context):
        policy = ctx.param("subsidy.policy")
        batch = _batch(ctx).dropna(subset=["end_date"]).reset_index(drop=True)
        if not len(batch):
            return
        ledger = _ledger(ctx)
        ledger = ledger[ledger["id_number"].isin(batch["id_number"])]
        if len(ledger):  # without a ledger (the default) there is nothing to match
            paid = batch[batch["id_number"].isin(ledger["id_number"])]
            same_class = ledger.set_index(["id_number", "class_id"]).index.isin(
                paid.set_index(["id_number", "class_id"]).index
            )
            ledger = ledger[~same_class]
        when = ledger["end_date"].fillna(ledger["paid_on"])
        events = pd.concat(
            [
                pd.DataFrame(
                    {
                        "id_number": ledger["id_number"].to_numpy(),
                        "date": when.to_numpy(),
                        "source": 0,
                        "label": ledger["batch"].to_numpy(),
                        "row": -1,
                    }
                ),
                pd.DataFrame(
                    {
                        "id_number": batch["id_number"],
                        "date": batch["end_date"],
                        "source": 1,
                        "label": batch["class_id"],
                        "row": batch.index,
                    }
                ),
            ],
            ignore_index=True,
        )
        limit = ctx.param("subsidy.max_per_year", batch["class_id"])
        # only a person with more trainings (any year) than the lowest limit can pass a
        # limit: the others are set aside before the sort (most people train once)
        trainings = events.groupby("id_number", sort=False)["id_number"].transform("size")
        events = events[trainings.to_numpy() > int(limit.min())]
        events = events.assign(year=events["date"].dt.year).sort_values(
            ["id_number", "year", "date", "source", "label"]
        )
        events["nth"] = events.groupby(["id_number", "year"]).cumcount() + 1
        events["limit"] = events["row"].map(limit).fillna(0).astype(int)
        over = events[(events["source"] == 1) & (events["nth"] > events["limit"])]
        if over.empty:
            return
        labels = events.groupby(["id_number", "year"])["label"].agg(list)
        students = {r.Index: r for r in rows_of(batch.loc[over["row"]])}
        for ev in rows_of(over):
            row = students[ev.row]
            evidence = {
                "policy": policy,
                "year": int(ev.year),
                "nth": int(ev.nth),
                "limit": int(ev.limit),
                "earlier": labels[(ev.id_number, ev.year)][: ev.nth - 1],
            }
            yield ctx.student_violation("over", row, evidence, "id_number")
