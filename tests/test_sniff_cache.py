"""The zip front-end parses a workbook's xl/workbook.xml and its relationships once per
distinct small part (workbooks of one program share them); a large part is never kept,
and a DTD in a part is refused before any cache is asked."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import rewrite_zip, write_book

from peixun_audit.load import sniff


def book(tmp_path: Path) -> bytes:
    path = write_book(
        tmp_path / "_cache.xlsx",
        {"名册": [["班级编号", "姓名"], ["C9", "张三"]], "签到": [["姓名"], ["张三"]]},
    )
    return path.read_bytes()


def test_the_same_workbook_part_is_parsed_once(tmp_path):
    data = book(tmp_path)
    sniff._cached_sheet_tags.cache_clear()
    sniff._cached_relationships.cache_clear()
    first = sniff.check_zip(data)
    second = sniff.check_zip(data)
    assert first.order == second.order == ["名册", "签到"]
    assert sniff._cached_sheet_tags.cache_info().hits == 1
    assert sniff._cached_relationships.cache_info().hits == 1


def test_a_large_workbook_part_is_parsed_and_not_kept(tmp_path):
    data = book(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        workbook = z.read("xl/workbook.xml")
    padded = workbook.replace(b"<sheets>", b" " * (sniff._CACHED_PARTS_BYTES + 1) + b"<sheets>", 1)
    assert padded != workbook
    sniff._cached_sheet_tags.cache_clear()
    found = sniff.check_zip(rewrite_zip(data, {"xl/workbook.xml": padded}))
    assert found.order == ["名册", "签到"]
    assert sniff._cached_sheet_tags.cache_info().currsize == 0


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
def test_a_dtd_in_a_cached_part_is_still_refused(tmp_path, part):
    data = book(tmp_path)
    sniff.check_zip(data)  # the clean parts are in the cache now
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read(part)
    declared = body + b'<!DOCTYPE x [<!ENTITY a "b">]>'
    with pytest.raises(sniff.SniffError) as raised:
        sniff.check_zip(rewrite_zip(data, {part: declared}))
    assert (raised.value.code, raised.value.detail) == ("xml-entities", part)
