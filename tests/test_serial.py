"""The base layer: the YAML reader, the JSON reader and the strict converter."""

import datetime as dt
import math
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forsvarlig import ValidationError, _serial
from forsvarlig._serial import Meta
from forsvarlig.testing import json_values


def yaml(text: str) -> Any:
    return _serial.read_yaml(text)[0]


class TestYamlMeaning:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("no", "no"),
            ("yes", "yes"),
            ("on", "on"),
            ("off", "off"),
            ("y", "y"),
            ("NO", "NO"),
            ("true", True),
            ("False", False),
            ("TRUE", True),
            ("~", None),
            ("null", None),
            ("", None),
            ("2026-01-01", "2026-01-01"),
            ("12:30", "12:30"),
            ("1_000", "1_000"),
            ("0o17", 15),
            ("0x1F", 31),
            ("017", 17),
            ("+12", 12),
            ("1.5", 1.5),
            ("1e3", 1000.0),
            (".5", 0.5),
            ("-.inf", -math.inf),
            ("0b101", "0b101"),
            ("'true'", "true"),
            ('"12"', "12"),
            ("!!str 12", "12"),
            ("!!float 1", 1.0),
            ("! 12", "12"),
        ],
    )
    def test_core_schema(self, text, value):
        """Plain scalars mean what YAML 1.2's core schema says: `no` stays a string, no dates."""
        assert yaml(f"k: {text}")["k"] == value
        assert type(yaml(f"k: {text}")["k"]) is type(value)

    def test_nan(self):
        """`.nan` is a float NaN (refused later by the float hook)."""
        assert math.isnan(yaml("k: .nan")["k"])

    def test_merge_key_is_a_plain_key(self):
        """`<<` has no special meaning in YAML 1.2: it is just a key."""
        assert yaml("a: &a {x: 1}\nb: {<<: *a}") == {"a": {"x": 1}, "b": {"<<": {"x": 1}}}

    def test_positions(self):
        """Every node's line and column is kept, keyed by its path."""
        _, pos = _serial.read_yaml("a:\n  b: [1, 2]\n  c:\n    - x: 1\n")
        assert pos[("a",)] == (1, 1)
        assert pos[("a", "b")] == (2, 3)
        assert pos[("a", "b", 1)] == (2, 10)
        assert pos[("a", "c", 0, "x")] == (4, 10)  # a scalar: the value itself


class TestYamlRefusals:
    @pytest.mark.parametrize(
        ("text", "code", "line"),
        [
            ("a: 1\nb: 2\na: 3\n", "duplicate-key", 3),
            ("x:\n  a: {k: 1, k: 2}\n", "duplicate-key", 2),
            ("!!python/object:os.system {}\n", "tag", 1),
            ("a: !!python/name:os.system\n", "tag", 1),
            ("a: !custom 1\n", "tag", 1),
            ("a: !!timestamp 2020-01-01\n", "tag", 1),
            ("a: !!binary aGVsbG8=\n", "tag", 1),
            ("a: !!set {x}\n", "tag", 1),
            ("a: !!int twelve\n", "syntax", 1),
            ("a: &x [*x]\n", "alias", 1),
            ("a: *nothing\n", "alias", 1),
            ("a: 1\n---\nb: 2\n", "syntax", 2),
            ("a: [1, 2\n", "syntax", 2),
            ("a: b: c\n", "syntax", 1),
            ("? [a]\n: 1\n", "syntax", 1),
            ("\t- a\n", "syntax", 1),
        ],
    )
    def test_refused_with_a_place(self, text, code, line):
        """Repeated keys, object tags, bad aliases and syntax errors are refused, located."""
        with pytest.raises(ValidationError) as info:
            _serial.read_yaml(text, "in.yaml")
        (problem,) = info.value.problems
        assert problem.code == code
        assert problem.line == line
        assert problem.source == "in.yaml"

    @pytest.mark.parametrize(
        "text",
        [
            "[" * 20_000 + "]" * 20_000,
            "{a: " * 20_000 + "1" + "}" * 20_000,
            "".join("  " * i + "-\n" for i in range(20_000)),
            "".join("  " * i + "a:\n" for i in range(20_000)),
        ],
    )
    def test_deep_nesting_refused_early(self, text):
        """Nesting deeper than 64 is refused while reading events, fast."""
        with pytest.raises(ValidationError) as info:
            _serial.read_yaml(text)
        assert info.value.problems[0].code == "too-deep"

    def test_depth_64_is_fine(self):
        """Exactly 64 levels are allowed."""
        data = yaml("[" * 64 + "]" * 64)
        for _ in range(63):
            data = data[0]
        assert data == []

    def test_alias_bomb(self):
        """Aliases that would expand past the bound are refused."""
        lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
            lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        with pytest.raises(ValidationError) as info:
            _serial.read_yaml("\n".join(lines))
        assert info.value.problems[0].code == "alias"

    def test_few_aliases_are_fine(self):
        """Ordinary anchors and aliases work."""
        assert yaml("a: &a {x: 1}\nb: *a") == {"a": {"x": 1}, "b": {"x": 1}}


class TestDecoding:
    def test_not_utf8(self):
        """Bytes that are not UTF-8 are refused with their line and column."""
        with pytest.raises(ValidationError) as info:
            _serial.read_tree(b"a: 1\nb: caf\xe9\n", "x.yaml")
        (p,) = info.value.problems
        assert (p.code, p.line, p.column) == ("encoding", 2, 7)

    def test_bom(self):
        """A UTF-8 byte-order mark is allowed."""
        assert _serial.read_tree(b"\xef\xbb\xbfa: 1")[0] == {"a": 1}

    def test_json_refuses_nan(self):
        """JSON's non-standard NaN and Infinity are refused."""
        for text in ('{"a": NaN}', '{"a": -Infinity}'):
            with pytest.raises(ValidationError):
                _serial.read_tree(text, fmt="json")

    def test_json_deep(self):
        """Deep JSON is refused, not a RecursionError."""
        with pytest.raises(ValidationError) as info:
            _serial.read_tree("[" * 100_000 + "]" * 100_000, fmt="json")
        assert info.value.problems[0].code == "too-deep"

    def test_named_json_does_not_fall_back(self):
        """Text named JSON must be JSON; sniffed text that YAML reads is YAML."""
        with pytest.raises(ValidationError):
            _serial.read_tree('{"a": 1,}', fmt="json")
        assert _serial.read_tree('{"a": 1,}')[0] == {"a": 1}


@attrs.frozen(kw_only=True)
class Sample:
    name: str
    count: int
    weight: float
    flag: bool
    day: dt.date | None = None
    tags: tuple[str, ...] = ()
    pair: tuple[float, float] | None = None
    table: dict[str, int] = attrs.field(factory=dict)
    meta: Meta = attrs.field(factory=dict)


def problems_of(data):
    with pytest.raises(ValidationError) as info:
        _serial.structure(data, Sample)
    return {(p.path, p.code) for p in info.value.problems}


GOOD = {"name": "a", "count": 1, "weight": 1.5, "flag": True}


class TestStrictConverter:
    def test_good(self):
        """Valid data structures; an int is a valid float."""
        s = _serial.structure({**GOOD, "weight": 2, "day": "2026-01-02", "tags": ["x"]}, Sample)
        assert s.weight == 2.0
        assert type(s.weight) is float
        assert s.day == dt.date(2026, 1, 2)
        assert s.tags == ("x",)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("name", None),
            ("name", 1),
            ("count", "1"),
            ("count", 1.9),
            ("count", True),
            ("weight", "1.5"),
            ("weight", True),
            ("flag", "false"),
            ("flag", 0),
            ("day", "2026-1-2"),
            ("day", "20260102"),
            ("day", 20260102),
            ("tags", "abc"),
            ("tags", {"a": 1}),
            ("pair", [1.0]),
            ("pair", [1.0, 2.0, 3.0]),
            ("table", [1]),
            ("meta", []),
        ],
    )
    def test_no_silent_coercion(self, field, value):
        """Wrong types are refused, never coerced: "false" is not False, 1.9 is not 1."""
        assert (f"$.{field}", "type") in problems_of({**GOOD, field: value})

    @pytest.mark.parametrize(
        ("field", "value"),
        [("weight", math.inf), ("weight", math.nan), ("day", "2026-02-30"), ("meta", {"x": math.nan})],
    )
    def test_bad_values(self, field, value):
        """Non-finite numbers and impossible dates are refused."""
        codes = {code for path, code in problems_of({**GOOD, field: value}) if path.startswith(f"$.{field}")}
        assert codes == {"value"}

    def test_every_problem_is_reported(self):
        """All problems come at once, each with its path, including unknown keys."""
        found = problems_of({"name": 1, "count": "x", "flag": True, "weigth": 1.0, "tags": ["a", 2]})
        assert found == {
            ("$.name", "type"),
            ("$.count", "type"),
            ("$.weight", "missing"),
            ("$.weigth", "unknown-key"),
            ("$.tags[1]", "type"),
        }

    def test_did_you_mean(self):
        """An unknown key suggests the nearest field."""
        with pytest.raises(ValidationError, match=r"unknown key 'weigth' \(did you mean 'weight'\?\)"):
            _serial.structure({**GOOD, "weigth": 1}, Sample)

    def test_meta_keys_must_be_strings(self):
        """`meta` holds JSON: mapping keys are strings."""
        assert ("$.meta.a", "type") in problems_of({**GOOD, "meta": {"a": {1: 2}}})

    def test_not_a_mapping(self):
        """A class needs a mapping."""
        with pytest.raises(ValidationError, match="expected a mapping, got a list"):
            _serial.structure([1], Sample)

    @given(st.dictionaries(st.text(max_size=8), json_values()))
    def test_meta_round_trips_verbatim(self, meta):
        """`meta` comes back exactly as given, through JSON and YAML."""
        s = _serial.structure({**GOOD, "meta": meta}, Sample)
        assert s.meta == meta
        data = _serial.unstructure(s, Sample)
        for text, fmt in ((_serial.dump_json(data), "json"), (_serial.dump_yaml(data), "yaml")):
            tree, _ = _serial.read_tree(text, fmt=fmt)
            assert _serial.structure(tree, Sample).meta == meta

    def test_meta_is_copied(self):
        """The value keeps its own copy of `meta`."""
        given_meta = {"a": [1]}
        s = _serial.structure({**GOOD, "meta": given_meta}, Sample)
        given_meta["a"].append(2)
        assert s.meta == {"a": [1]}


class TestPaths:
    @given(st.lists(st.one_of(st.integers(0, 99), st.text(min_size=1, max_size=6)), max_size=5))
    def test_format_parse(self, path):
        """A formatted path parses back to itself."""
        path = tuple(path)
        assert _serial.parse_path(_serial.format_path(path)) == path


class TestYamlWriter:
    @given(st.text(max_size=20))
    def test_strings_stay_strings(self, text):
        """Any string written as YAML reads back as the same string."""
        out = _serial.dump_yaml({"k": text})
        assert _serial.read_yaml(out)[0] == {"k": text}
