"""Field mapping and value coercion work for every item type users have."""

from __future__ import annotations

from dataclasses import dataclass

import attrs
import pydantic
import pytest
import scrapy

from pipelines.fields import FieldMap, FieldMapError, coerce_text

MAPPING = {"title": "headline", "text": "content", "url": "link"}


class ScrapyNews(scrapy.Item):
    headline = scrapy.Field()
    content = scrapy.Field()
    link = scrapy.Field()


@dataclass
class DataclassNews:
    headline: str = ""
    content: str = ""
    link: str = ""


@attrs.define
class AttrsNews:
    headline: str = ""
    content: str = ""
    link: str = ""


class PydanticNews(pydantic.BaseModel):
    headline: str = ""
    content: str = ""
    link: str = ""


def make(kind):
    values = {"headline": "标题", "content": "第一段\n第二段", "link": "http://a.example/1"}
    if kind is dict:
        return dict(values)
    return kind(**values)


@pytest.mark.parametrize("kind", [dict, ScrapyNews, DataclassNews, AttrsNews, PydanticNews])
def test_read_and_write_back_through_mapping(kind) -> None:
    fieldmap = FieldMap.from_value(MAPPING)
    item = make(kind)
    doc, problems = fieldmap.read(item)
    assert problems == []
    assert (doc.title, doc.text, doc.url) == ("标题", "第一段\n第二段", "http://a.example/1")
    assert fieldmap.write(item, "text", "第一段")
    assert fieldmap.read(item)[0].text == "第一段"
    # typed items never get fields they do not declare
    assert fieldmap.can_hold(item, "spamsieve") is (kind is dict)
    assert not fieldmap.write(item, "byline", "x") or kind is dict


@pytest.mark.parametrize(
    "text,expected",
    [
        ("body=title,text=content", None),
        ('{"title": "headline"}', {"title": "headline"}),
        ("title=h, text=c", {"title": "h", "text": "c"}),
    ],
)
def test_field_map_parsing(text, expected) -> None:
    if expected is None:
        with pytest.raises(FieldMapError, match="body"):
            FieldMap.from_value(text)
    else:
        assert dict(FieldMap.from_value(text).mapping) == expected


@pytest.mark.parametrize(
    "value,text,problem",
    [
        (None, "", ""),
        (12, "12", ""),
        (["一", None, "二"], "一\n二", ""),
        ("中文".encode("gbk"), "中文", ""),
        ("中文".encode(), "中文", ""),
        (b"\x00\x01\x00\x02" * 100, "", "binary"),
        (True, "", "boolean"),
        ({"a": 1}, "", "dict"),
        ("a\x00b\x07c\r\nd", "abc\nd", ""),
        ("lone \ud800 surrogate", "lone ? surrogate", ""),
    ],
)
def test_coerce_text(value, text, problem) -> None:
    got, got_problem = coerce_text(value)
    assert got == text
    assert problem in got_problem if problem else got_problem == ""
