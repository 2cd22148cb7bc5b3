"""JSON writer: the §8 object, UTF-8, Chinese kept readable.

Compact, one line, written by orjson (a C encoder: a city-year's 8.5 MB document in
0.03 s, against 0.12 s for the standard library's and 2.3 s for its pretty-printer);
pipe through ``python -m json.tool`` to read it."""

from __future__ import annotations

import json
from typing import Any

import orjson

# datetimes go to ``default`` as the standard library wrote them (``2021-05-06
# 00:00:00``), not orjson's ISO ``T`` form; dict keys that are not text are written
# as text
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def dumps(document: dict[str, Any], ascii_only: bool = False) -> str:
    """``ascii_only`` escapes every non-ASCII character (``\\u80e1``): for a stream whose
    encoding cannot hold them all (GBK lacks 䶮), where a replaced character would
    silently change a name."""
    if not ascii_only:  # orjson writes UTF-8 only
        try:
            return orjson.dumps(document, default=_text, option=_OPTIONS).decode("utf-8")
        except orjson.JSONEncodeError:  # what orjson refuses (an integer past 64 bits)
            pass
    return json.dumps(document, ensure_ascii=ascii_only, separators=(",", ":"), default=_text)


def _text(value: Any) -> str:
    return str(value)
