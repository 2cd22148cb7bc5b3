"""The cross-class X rules are linear in the rows (issue 13): one ID on N roster rows in N
classes used to build N² pairs (4,000 rows: 10 GB and 27 s). Each case below is 4,000
rows of one ID in 4,000 classes, run through the whole engine in well under a second;
the findings are exact and no finding lists more than ``LISTED`` classes."""

from __future__ import annotations

import datetime as dt

from rulecases import START, make_id, run_case

from peixun_audit.rules.fraud import LISTED

N = 4000
ID = make_id("45030219900103002")
# class K0000 … K3999, starting over 30 days, each running 41 days: all overlap in a chain,
# all start within a year of each other
CLASSES = [
    {
        "class_id": f"K{i:04d}",
        "institution": "桂林市测试学校",
        "training_type": "就业技能培训",
        "occupation": "电工",
        "level": "初级",
        "start_date": START + dt.timedelta(days=i % 30),
        "end_date": START + dt.timedelta(days=i % 30 + 40),
    }
    for i in range(N)
]
ROSTER = [{"class_id": f"K{i:04d}", "name": "某某", "id_number": ID} for i in range(N)]
# sorted by (start, class id) as the sweep sorts them
BY_START = sorted((c["start_date"], c["class_id"]) for c in CLASSES)


def test_overlap_is_one_finding_for_the_whole_chain():
    result = run_case({"add": {"classes": CLASSES, "roster": ROSTER}}, ["X0101"])
    assert result.failures == []
    (finding,) = result.findings
    assert finding.class_id == BY_START[-1][1]  # the class that started last
    assert finding.evidence["count"] == N
    assert len(finding.evidence["classes"]) == LISTED
    assert finding.evidence["classes"][:3] == ("K0000", "K0030", "K0060")


def test_repeat_training_names_at_most_the_nearest_earlier_classes():
    result = run_case({"add": {"classes": CLASSES, "roster": ROSTER}}, ["X0301"])
    assert result.failures == []
    assert len(result.findings) == N - 1  # every class but the first
    by_class = {f.class_id: f.evidence for f in result.findings}
    last = by_class[BY_START[-1][1]]
    assert last["count"] == N - 1 and last["days"] == 0
    assert last["others"] == tuple(c for _, c in BY_START[-2 : -2 - LISTED : -1])
    second = by_class[BY_START[1][1]]
    assert second == {
        "others": (BY_START[0][1],),
        "count": 1,
        "days": 0,
        "occupation": "电工",
        "level": "初级",
    }
    assert max(len(e["others"]) for e in by_class.values()) == LISTED


def test_simultaneous_signin_is_one_finding_per_class():
    signin = [
        {
            "class_id": f"K{i:04d}",
            "name": "某某",
            "id_number": ID,
            "date": START,
            "period": "上午",
            "mark": "√",
        }
        for i in range(N)
    ]
    add = {"classes": CLASSES, "roster": ROSTER, "signin": signin}
    result = run_case({"add": add}, ["X0102"])
    assert result.failures == []
    assert len(result.findings) == N
    first = result.findings[0]
    assert first.class_id == "K0000"
    assert first.evidence == {
        "others": tuple(f"K{i:04d}" for i in range(1, LISTED + 1)),
        "count": N - 1,
        "date": START,
        "period": "morning",
    }
    assert {f.evidence["count"] for f in result.findings} == {N - 1}
    assert all(f.class_id not in f.evidence["others"] for f in result.findings)
