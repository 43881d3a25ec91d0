"""Humanloop ↔ canonical datapoints, and the CSV columns (no database needed)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from evalsets.core.errors import InvalidInput
from evalsets.core.model import Datapoint
from evalsets.formats.humanloop import expected_of, target_of, to_record
from evalsets.http.humanloop.csvupload import read_records
from evalsets.http.humanloop.mapping import datapoint_response


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ({"answer": "4"}, {"answer": "4"}),
        ({"value": "4"}, "4"),
        ({"value": 4.5}, 4.5),
        ({"value": ["a", "b"]}, ["a", "b"]),
        ({"value": {"nested": 1}}, {"value": {"nested": 1}}),
        ({"value": "4", "other": 1}, {"value": "4", "other": 1}),
        ({}, {}),
    ],
)
def test_target_and_expected_map_both_ways(target: dict[str, Any], expected: Any) -> None:
    assert expected_of(target) == expected
    assert target_of(expected) == target


def test_records_and_responses() -> None:
    record = to_record(
        {"inputs": {"q": "1"}, "messages": [], "target": {"value": "x"}, "id": "dp_1", "k": 2}
    )
    assert record == {"inputs": {"q": "1"}, "messages": [], "expected": "x", "k": 2}
    point = Datapoint("dp_1", 0, {"inputs": {"q": "1"}, "expected": "x", "context": "c"}, 0, 1)
    assert datapoint_response(point) == {
        "id": "dp_1",
        "inputs": {"q": "1"},
        "target": {"value": "x"},
        "context": "c",
    }


@pytest.mark.parametrize(
    ("datapoint", "record"),
    [
        (
            {"id": "dp_1", "inputs": {"q": 1}, "target": {"a": 1}},
            {"inputs": {"q": 1}, "expected": {"a": 1}},
        ),
        ({"target": {"value": None}}, {"expected": {"value": None}}),
        ({"inputs": {}, "expected": "stray"}, {"inputs": {}}),
        ({"target": "text"}, {"expected": "text"}),
        ({"messages": [], "target": None}, {"messages": []}),
    ],
)
def test_datapoints_to_records(datapoint: dict[str, Any], record: dict[str, Any]) -> None:
    assert to_record(datapoint) == record


def test_csv_columns() -> None:
    text = (
        "\ufeffquestion,target,messages,inputs,empty\n"
        'a,"{""answer"": 1}","[{""role"": ""user"", ""content"": ""hi""}]","{""x"": ""1""}",\n'
        "b,plain,,,\n"
    )
    assert read_records(io.BytesIO(text.encode())) == [
        {
            "expected": {"answer": 1},
            "messages": [{"role": "user", "content": "hi"}],
            "inputs": {"question": "a", "x": "1"},
        },
        {"expected": "plain", "inputs": {"question": "b"}},
    ]
    assert read_records(io.BytesIO(b"")) == []


@pytest.mark.parametrize(
    "text",
    [b"q,messages\n1,{}\n", b"q,inputs\n1,[1]\n", b"q\n1,2\n", b"q\n\xff\n"],
)
def test_bad_csv(text: bytes) -> None:
    with pytest.raises(InvalidInput):
        read_records(io.BytesIO(text))
