"""The JSON Schemas the package ships: fresh, valid, and in step with the loader."""

import copy
import datetime as dt
import enum
import functools
import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

from forsvarlig import (
    BandSet,
    Catalogue,
    Level,
    RiskMatrix,
    Scale,
    Text,
    ValidationError,
    _schema,
    _serial,
    default_catalogue,
    loads,
    to_dict,
)
from forsvarlig.testing import catalogues, risk_assessments

ROOT = Path(__file__).parent.parent
# The catalogue files and example layers (assessment examples are checked in test_examples).
FILES = sorted(
    p
    for p in [*(ROOT / "catalogue").glob("*.yaml"), *(ROOT / "examples").glob("*.yaml")]
    if "forsvarlig: catalogue/" in p.read_text(encoding="utf-8")
)
SHIPPED = _schema.SCHEMA_DIR / "catalogue-1.json"


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    """A validator of the shipped catalogue schema that also checks `format: date`."""
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(doc: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator().iter_errors(doc)]


def read(path: Path) -> Any:
    tree, _ = _serial.read_tree(path.read_bytes(), path.name, mapping_root=True)
    return tree


# ---------------------------------------------------------------------------
# The shipped file.


def test_every_schema_is_fresh():
    """Each shipped schema is what the generator writes now (run `python -m forsvarlig._schema`)."""
    for name, make in _schema.SCHEMAS.items():
        path = _schema.SCHEMA_DIR / name
        assert path.is_file(), f"{name} is missing: run `python -m forsvarlig._schema`"
        assert path.read_text(encoding="utf-8") == _schema.render(make()), (
            f"schemas/{name} is stale: run `python -m forsvarlig._schema`"
        )


def test_main_writes_what_is_shipped(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(_schema, "SCHEMA_DIR", tmp_path / "schemas")
    _schema.main()
    assert "catalogue-1.json" in capsys.readouterr().out
    written = (tmp_path / "schemas" / "catalogue-1.json").read_text(encoding="utf-8")
    assert written == SHIPPED.read_text(encoding="utf-8")
    assert written.endswith("}\n")
    assert written.startswith('{\n  "$defs": {\n')


def test_the_schema_is_a_valid_schema():
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://forsvarlig.invalid/schemas/catalogue-1.json"
    assert schema["properties"]["forsvarlig"] == {
        "const": "catalogue/1",
        "description": "The schema tag: what document this is.",
    }
    assert schema["required"][0] == "forsvarlig"
    assert schema["additionalProperties"] is False


def test_every_section_of_the_file_format_is_in_the_schema():
    from forsvarlig.catalogue import _CatalogueFile

    schema = _schema.catalogue_schema()
    fields = {a.alias or a.name for a in attrs.fields(_CatalogueFile)}
    assert set(schema["properties"]) == {"forsvarlig", *fields}


# ---------------------------------------------------------------------------
# Valid documents pass.


def test_there_are_files():
    """Both the built-in catalogue and the example layers are among the files validated."""
    assert any(p.parent.name == "catalogue" for p in FILES)
    assert any(p.parent.name == "examples" for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_files_validate(path):
    """Every catalogue file and example layer validates against the shipped schema."""
    assert schema_errors(read(path)) == []


@given(catalogues())
def test_dumped_catalogues_validate(cat):
    doc = to_dict(cat)
    assert schema_errors(doc) == []
    # And the JSON text of it, which is what other tools read.
    assert schema_errors(json.loads(json.dumps(doc))) == []


def test_builtin_values_validate_against_their_type_schemas():
    """`json_schema` works for the public types too (reused for other documents later)."""
    cat = default_catalogue()
    cases = [
        (Scale, list(cat.scales.values())),
        (BandSet, list(cat.band_sets.values())),
        (RiskMatrix, list(cat.matrices.values())),
        (Text, [Text(nb="Daglig", en="Daily"), Text({"en-GB": "Colour"})]),
    ]
    for cls, values in cases:
        schema = _schema.json_schema(cls)
        jsonschema.Draft202012Validator.check_schema(schema)
        check = jsonschema.Draft202012Validator(schema)
        assert values
        for value in values:
            assert list(check.iter_errors(to_dict(value))) == []


# ---------------------------------------------------------------------------
# Broken documents fail, in the schema and in the loader alike.

BASE = {
    "forsvarlig": "catalogue/1",
    "namespace": "acme",
    "version": "1",
    "scales": [
        {
            "id": "acme.often",
            "kind": "frequency",
            "label": {"nb": "Hvor ofte", "en": "How often"},
            "levels": [
                {"id": "seldom", "rank": 1, "label": {"nb": "Sjelden", "en": "Seldom"}, "bounds": [0, 1]},
                {"id": "often", "rank": 2, "label": {"nb": "Ofte", "en": "Often"}, "bounds": [1, 50]},
            ],
        }
    ],
    "matrices": [
        {
            "id": "acme.small",
            "label": {"nb": "Liten", "en": "Small"},
            "rows": "acme.often",
            "columns": "fv.talk-health-consequence",
            "bands": "fv.three-bands",
            "grid": {
                "often": ["medium", "high", "high"],
                "seldom": ["low", "medium", "medium"],
            },
        }
    ],
}


def mutate(
    path: tuple[Any, ...], value: Any = None, *, delete: bool = False, doc: Any = BASE
) -> dict[str, Any]:
    """Return a copy of `doc` with the value at `path` set to `value`, or deleted."""
    doc = copy.deepcopy(doc)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


def on_both_levels(field: str, values: tuple[Any, Any]) -> dict[str, Any]:
    """A copy of BASE with `field` set on both levels (some rules want all levels or none)."""
    doc = mutate(("scales", 0, "levels", 0, field), values[0])
    return mutate(("scales", 0, "levels", 1, field), values[1], doc=doc)


def loader_accepts(doc: Any) -> bool:
    try:
        loads(json.dumps(doc), Catalogue)
    except ValidationError:
        return False
    return True


def test_the_base_document_is_valid_to_both():
    assert default_catalogue().scale("fv.talk-health-consequence")  # what BASE refers to
    assert schema_errors(BASE) == []
    assert loader_accepts(BASE)


LEVEL = ("scales", 0, "levels", 0)

BROKEN = {
    "unknown top key": mutate(("colour",), "red"),
    "unknown key in a level": mutate((*LEVEL, "colour"), "red"),
    "unknown key in a matrix": mutate(("matrices", 0, "cells"), []),
    "misspelt section": mutate(("scale",), []),
    "version as a number": mutate(("version",), 1),
    "rank as a string": mutate((*LEVEL, "rank"), "1"),
    "rank as a boolean": mutate((*LEVEL, "rank"), True),
    "unknown enum value": mutate(("scales", 0, "kind"), "frequent"),
    "bounds of three": mutate((*LEVEL, "bounds"), [0, 1, 2]),
    "bounds of one": mutate((*LEVEL, "bounds"), [0]),
    "bounds as strings": mutate((*LEVEL, "bounds"), ["0", "1"]),
    "grid row not a list": mutate(("matrices", 0, "grid", "often"), "high"),
    "levels as a mapping": mutate(("scales", 0, "levels"), {}),
    "meta as a list": mutate(("meta",), []),
    "meta as null": mutate(("meta",), None),
    "examples as null": mutate((*LEVEL, "examples"), None),
    "verified as a string": mutate(("scales", 0, "verified"), "yes"),
    "missing namespace": mutate(("namespace",), delete=True),
    "missing level label": mutate((*LEVEL, "label"), delete=True),
    "missing matrix grid": mutate(("matrices", 0, "grid"), delete=True),
    "empty text": mutate(("scales", 0, "label"), {}),
    "blank text": mutate(("scales", 0, "label", "en"), "   "),
    "text not a string": mutate(("scales", 0, "label", "en"), 3),
    "bad language code": mutate(("scales", 0, "label", "EN"), "How often"),
    "label as a string": mutate(("scales", 0, "label"), "How often"),
    "no tag": mutate(("forsvarlig",), delete=True),
    "newer tag": mutate(("forsvarlig",), "catalogue/2"),
    "other kind": mutate(("forsvarlig",), "assessment/1"),
    "malformed tag": mutate(("forsvarlig",), "catalogue"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_documents_fail_both(name):
    doc = BROKEN[name]
    assert schema_errors(doc), f"the schema accepts: {name}"
    assert not loader_accepts(doc), f"the loader accepts: {name}"


ACCEPTED = {
    "optional field as null": mutate(("scales", 0, "description"), None),
    "bounds as null": on_both_levels("bounds", (None, None)),
    "values as integers and floats": on_both_levels("value", (2, 2.5)),
    "meta of any JSON": mutate(("meta",), {"a": [1, 2.5, None, True, {"b": "c"}]}),
    "a regional language": mutate(("scales", 0, "label", "en-GB"), "How often"),
    "keys in any order": {"version": "1", "namespace": "acme", "forsvarlig": "catalogue/1"},
    "a date": mutate(
        ("factors",),
        [
            {
                "id": "acme.night",
                "label": {"nb": "Natt", "en": "Night"},
                "polarity": "demand",
                "description": {"en": "Night work."},
                "legal": [{"act": "aml", "section": "10-11", "valid_from": "2026-01-01"}],
            }
        ],
    ),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_valid_variants_pass_both(name):
    doc = ACCEPTED[name]
    assert schema_errors(doc) == []
    assert loader_accepts(doc)


# What the schema cannot state: the loader refuses these, the schema lets them pass.
GAPS = {
    "an id out of grammar": mutate(("scales", 0, "id"), "Acme often"),
    "an id in another namespace": mutate(("scales", 0, "id"), "other.often"),
    "ranks out of order": mutate((*LEVEL, "rank"), 2),
    "a single level": mutate(("scales", 0, "levels"), [BASE["scales"][0]["levels"][0]]),
    "bounds going down": mutate((*LEVEL, "bounds"), [5, 1]),
    "a label without nb": mutate(("scales", 0, "label"), {"en": "How often"}),
    "an unknown reference": mutate(("matrices", 0, "rows"), "acme.seldom"),
    "a grid row for no level": mutate(("matrices", 0, "grid", "sometimes"), ["low", "low", "low"]),
    "an integral float for an integer": mutate((*LEVEL, "rank"), 1.0),
}
GAPS["an impossible date"] = mutate(
    ("factors", 0, "legal", 0, "valid_from"), "2026-02-30", doc=ACCEPTED["a date"]
)
GAPS["values going down"] = on_both_levels("value", (3, 1))
GAPS["bounds on one level only"] = mutate((*LEVEL, "bounds"), None)


@pytest.mark.parametrize("name", GAPS)
def test_known_gaps_the_loader_covers(name):
    """The schema is a floor: these need the loader (the impossible date needs a format checker)."""
    doc = GAPS[name]
    plain = jsonschema.Draft202012Validator(validator().schema)  # no format assertion
    assert list(plain.iter_errors(doc)) == []
    assert not loader_accepts(doc)


def test_private_derived_field_is_refused_by_both():
    """A type's derived, init=False field (a scale's `by_id`) is no key of the format: both refuse it."""
    doc = mutate(("scales", 0, "by_id"), {})
    assert schema_errors(doc)
    assert not loader_accepts(doc)


# ---------------------------------------------------------------------------
# The generator itself.


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Number(enum.Enum):
    ONE = 1


@attrs.frozen
class Inner:
    name: str


@attrs.frozen(kw_only=True)
class Everything:
    text: str
    count: int
    ratio: float
    flag: bool
    day: dt.date
    colour: Colour
    maybe: int | None
    pair: tuple[float, str]
    many: tuple[Inner, ...]
    listed: list[int]
    by_key: dict[str, Inner]
    label: Text
    meta: _serial.Meta = attrs.field(factory=dict)
    optional: Inner | None = None
    _hidden: int = attrs.field(default=0, alias="shown")
    _derived: int = attrs.field(init=False, default=0)


@attrs.frozen
class Tree:
    value: int
    children: tuple["Tree", ...] = ()


@attrs.frozen
class Holder:
    tree: Tree


def test_each_type_maps_as_documented():
    s = _schema.json_schema(Everything)
    props = s["properties"]
    assert props["text"] == {"type": "string"}
    assert props["count"] == {"type": "integer"}
    assert props["ratio"] == {"type": "number"}
    assert props["flag"] == {"type": "boolean"}
    assert props["day"] == {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    assert props["colour"] == {"type": "string", "enum": ["red", "blue"]}
    assert props["maybe"] == {"type": ["integer", "null"]}
    assert props["pair"] == {
        "type": "array",
        "prefixItems": [{"type": "number"}, {"type": "string"}],
        "minItems": 2,
        "maxItems": 2,
    }
    assert props["many"] == {"type": "array", "items": {"$ref": "#/$defs/Inner"}}
    assert props["listed"] == {"type": "array", "items": {"type": "integer"}}
    assert props["by_key"] == {"type": "object", "additionalProperties": {"$ref": "#/$defs/Inner"}}
    assert props["label"] == {"$ref": "#/$defs/Text"}
    assert props["meta"]["type"] == "object"
    assert props["meta"]["default"] == {}
    assert "additionalProperties" not in props["meta"]
    assert props["optional"] == {"anyOf": [{"$ref": "#/$defs/Inner"}, {"type": "null"}], "default": None}
    assert props["shown"] == {"type": "integer", "default": 0}
    assert "_hidden" not in props
    assert "derived" not in props
    assert "_derived" not in props
    assert s["required"] == [
        "text",
        "count",
        "ratio",
        "flag",
        "day",
        "colour",
        "maybe",
        "pair",
        "many",
        "listed",
        "by_key",
        "label",
    ]
    assert s["additionalProperties"] is False
    assert set(s["$defs"]) == {"Inner", "Text"}
    jsonschema.Draft202012Validator.check_schema(s)


def test_the_text_schema_follows_the_text_hook():
    check = jsonschema.Draft202012Validator(_schema.json_schema(Text))
    for good in ({"nb": "Daglig"}, {"en-GB": "Colour", "se": "Beaivválaš"}, {"no": "x"}):
        assert check.is_valid(good)
        assert loads(json.dumps(good), Text)
    for bad in ({}, {"EN": "x"}, {"english": "x"}, {"en": ""}, {"en": " \n"}, {"en": None}, {"e": "x"}, []):
        assert not check.is_valid(bad), bad
        with pytest.raises(ValidationError):
            loads(json.dumps(bad), Text)


def test_a_class_that_holds_itself():
    s = _schema.json_schema(Holder)
    assert s["$defs"]["Tree"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Tree"}
    check = jsonschema.Draft202012Validator(s)
    assert check.is_valid({"tree": {"value": 1, "children": [{"value": 2}]}})
    assert not check.is_valid({"tree": {"value": 1, "children": [{"value": "2"}]}})
    root = _schema.json_schema(Tree)
    assert root["properties"]["children"]["items"] == {"$ref": "#"}
    assert jsonschema.Draft202012Validator(root).is_valid({"value": 1, "children": [{"value": 2}]})
    with pytest.raises(_schema.SchemaError, match="holds itself"):
        _schema.document_schema(Tree, "tree/1", title="t", description="d")


@attrs.frozen
class WithComplex:
    value: complex


@attrs.frozen
class WithUnion:
    value: int | str


@attrs.frozen
class WithIntKeys:
    value: dict[int, str]


@attrs.frozen
class WithAny:
    value: Any


@attrs.frozen
class WithNumberEnum:
    value: Number


@attrs.frozen
class WithSet:
    value: frozenset[str]


@attrs.frozen
class Hooked:
    value: str


@attrs.frozen
class WithHooked:
    value: Hooked


class NotAttrs:
    pass


@attrs.frozen
class WithPlainClass:
    value: NotAttrs


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (WithComplex, r"no JSON Schema for complex \(at WithComplex.value\)"),
        (WithUnion, r"the union int \| str \(at WithUnion.value\): only X \| None"),
        (WithIntKeys, r"no JSON Schema for dict\[int, str\]"),
        (WithAny, r"no JSON Schema for Any \(at WithAny.value\)"),
        (WithNumberEnum, r"the enum Number \(at WithNumberEnum.value\) has values that are not strings"),
        (WithSet, r"no JSON Schema for frozenset\[str\]"),
        (WithPlainClass, r"no JSON Schema for NotAttrs"),
    ],
)
def test_unknown_types_are_a_clear_error(cls, message):
    with pytest.raises(_schema.SchemaError, match=message):
        _schema.json_schema(cls)


def test_a_type_with_its_own_hooks_must_be_described(monkeypatch):
    # As if a module had called `_serial.register(Hooked, ...)` (without touching the converter).
    monkeypatch.setitem(_serial._special, Hooked, (None, None))
    with pytest.raises(_schema.SchemaError, match=r"Hooked \(at WithHooked.value\) has structure hooks"):
        _schema.json_schema(WithHooked)


def test_every_registered_type_is_described():
    """Each type `_serial` has hooks for (once all type modules are imported) is in `_SPECIAL`."""
    import forsvarlig.catalogue
    import forsvarlig.matrix
    import forsvarlig.text  # noqa: F401

    assert set(_serial._special) <= set(_schema._SPECIAL)


def test_two_classes_of_one_name_are_an_error():
    first = attrs.make_class("Same", {"a": attrs.field(type=int)})
    second = attrs.make_class("Same", {"b": attrs.field(type=str)})
    outer = attrs.make_class("Outer", {"x": attrs.field(type=first), "y": attrs.field(type=second)})
    with pytest.raises(_schema.SchemaError, match="both named 'Same'"):
        _schema.json_schema(outer)


def test_a_level_schema_matches_a_loaded_level():
    s = _schema.json_schema(Level)
    check = jsonschema.Draft202012Validator(s)
    level = default_catalogue().scale("fv.talk-frequency").levels[0]
    assert check.is_valid(to_dict(level))
    assert not check.is_valid({**to_dict(level), "rank": True})


@settings(max_examples=40)
@given(risk_assessments())
def test_generated_assessments_validate(assessment):
    """Every assessment the Hypothesis strategy draws validates against the shipped assessment schema."""
    schema = json.loads((_schema.SCHEMA_DIR / "assessment-1.json").read_text(encoding="utf-8"))
    data = {"forsvarlig": "assessment/1", **to_dict(assessment)}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
