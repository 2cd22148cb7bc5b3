"""Rows for the supervision commands (callbacks, spotcheck, review), masked like every
other output; the call sheet alone carries full phone numbers (SPEC §6)."""

from __future__ import annotations

from typing import Any

from ..ids import mask_id, mask_phone
from ..messages import ui
from ..supervision import SampleRun
from .rows import clean, free_text, key_text

CALL_HEADERS = [
    "班级编号",
    "姓名",
    "身份证号",
    "联系电话",
    "回访日期",
    "是否接通",
    "培训意愿",
    "培训质量",
    "是否参加培训",
    "培训后就业情况",
    "就业单位",
    "从事行业职业",
    "月工资收入",
    "回访人",
]
CALL_CHOICES = {
    5: ["是", "否"],
    6: ["自愿", "不自愿"],
    7: ["满意", "基本满意", "不满意"],
    8: ["是", "否"],
    9: ["已就业", "自主创业", "未就业"],
}


def sample_record(run: SampleRun, show_pii: bool = False) -> dict[str, Any]:
    """How the sample was drawn; a stream is a class id, shown as class ids are."""
    return {
        "seed": run.seed,
        "algorithm": run.algorithm,
        "draws": [
            {
                "stream": key_text(d.stream, show_pii),
                "ratio_percent": int(d.ratio_percent),
                "frame_size": d.frame_size,
                "frame_sha256": d.frame_sha256,
                "sample_size": d.sample_size,
            }
            for d in run.draws
        ],
    }


def callback_rows(run: SampleRun, show_pii: bool) -> list[dict[str, Any]]:
    rows = []
    for d in run.draws:
        for r in d.sample.itertuples():
            rows.append(
                {
                    "class_id": key_text(r.class_id, show_pii),
                    "student_name": free_text(clean(r.name), show_pii),
                    "id_number": clean(r.id_number) if show_pii else mask_id(clean(r.id_number)),
                    "phone": clean(r.phone) if show_pii else mask_phone(clean(r.phone)),
                }
            )
    return rows


def call_sheet(run: SampleRun) -> tuple[list[list[Any]], tuple[list[str], list[list[Any]]]]:
    """The call sheet's rows (full phones; masked IDs, and any ID- or phone-like number
    in a name or class id masked) and its sampling record."""
    rows = [
        [
            key_text(r.class_id, False),
            free_text(clean(r.name), False),
            mask_id(clean(r.id_number)),
            clean(r.phone),
        ]
        + [None] * (len(CALL_HEADERS) - 4)
        for d in run.draws
        for r in d.sample.itertuples()
    ]
    from .excel import record_table  # the same record sheet as the other samples

    return rows, record_table(sample_record(run), "zh")


def spotcheck_rows(run: SampleRun) -> list[dict[str, Any]]:
    sample = run.draws[0].sample
    return [
        {
            "class_id": key_text(r.class_id, False),
            "institution": key_text(clean(r.institution), False),
            "district": free_text(clean(r.district), False),
            "occupation": free_text(clean(r.occupation), False),
            "start_date": None if r.start_date != r.start_date else str(r.start_date.date()),
            "end_date": None if r.end_date != r.end_date else str(r.end_date.date()),
        }
        for r in sample.itertuples()
    ]


_KEYS = ("class_id", "institution")


def records_to_rows(frame, show_pii: bool = False) -> list[dict[str, Any]]:
    """A supervision table's rows; class ids and institutions shown as keys are."""
    return [
        {k: key_text(clean(v), show_pii) if k in _KEYS else clean(v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


# the columns of the callbacks coverage table (terminal and workbook)
CALLBACK_COLUMNS = [
    "class_id",
    "size",
    "ratio",
    "required",
    "reached",
    "coverage",
    "incomplete",
    "contradictions",
    "enough",
]

REVIEW_COLUMNS = [
    "institution",
    "classes_n",
    "students",
    "average_rate",
    "errors",
    "warnings",
    "eligible_share",
    "grade",
    "explanation",
    "article16",
]


def review_rows(card: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The scorecard as shown: grade, explanation and the Article 16 flag in the report
    language."""
    return [
        {
            **c,
            "classes_n": c["classes"],
            "grade": c["grade_en"] if lang == "en" else c["grade"],
            "explanation": c["explanation_en"] if lang == "en" else c["explanation_zh"],
            "article16": ui("article16_flag", lang) if c["article16"] else "",
        }
        for c in card
    ]
