"""The JSON writer's byte path (docs/MEMORY.md): what it writes is dumps() and a newline,
whatever the stream."""

import datetime as dt
import io

from peixun_audit.report import json_out

DOC = {"name": "张三", "when": dt.datetime(2021, 5, 6), "rate": 0.8, "none": None, "n": [1, 2]}


def test_json_to_a_utf8_byte_stream_is_dumps_and_a_newline():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    stream.write("before ")  # text written first stays first
    json_out.write(DOC, stream)
    stream.flush()
    assert raw.getvalue() == ("before " + json_out.dumps(DOC) + "\n").encode("utf-8")
    assert b'"when":"2021-05-06 00:00:00"' in raw.getvalue()


def test_json_to_a_text_stream_without_bytes_or_in_another_encoding():
    text = io.StringIO()
    json_out.write(DOC, text)
    assert text.getvalue() == json_out.dumps(DOC) + "\n"
    raw = io.BytesIO()
    gbk = io.TextIOWrapper(raw, encoding="gbk", newline="\n")
    json_out.write(DOC, gbk, ascii_only=True)
    gbk.flush()
    assert raw.getvalue() == (json_out.dumps(DOC, ascii_only=True) + "\n").encode("ascii")
    assert b"\\u5f20\\u4e09" in raw.getvalue()
