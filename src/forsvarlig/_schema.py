"""JSON Schemas of the file formats, derived from the types: `python -m forsvarlig._schema`.

Private. A small generator of our own rather than a general one, because it
must say what *our* converter (`forsvarlig._serial`) accepts, hooks and all:

* `str`, `int` (never a boolean), `float` (a JSON number; integers too),
  `bool` and `datetime.date` (a `YYYY-MM-DD` string) as JSON's own types;
* `X | None` as "X or null" (the converter reads null as None); the key may be
  left out only where the field has a default;
* `tuple[X, ...]` and `list[X]` as arrays, fixed tuples with `prefixItems`,
  `dict[str, X]` as an object of X, `Meta` as an object of any JSON values,
  enums as the list of their (string) values;
* attrs classes as closed objects (`additionalProperties: false`) keyed by
  each field's init name, each class once under `$defs`;
* the types `_serial` gives hooks of their own (`Text`, `RiskMatrix`,
  `Catalogue`) through `_SPECIAL` below: a type with hooks that is missing
  there is an error, never a guess. So is any other type it does not know.

What a schema cannot say, the loader still checks: id grammar, ranks 1 to n,
bounds and values increasing, references between entries, and so on. The
schemas are a floor for editors and other languages, not a replacement for
`forsvarlig.load`.

`python -m forsvarlig._schema` writes every schema under
`src/forsvarlig/schemas/`; a test fails while a shipped file and the
generator disagree.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Final, Union, get_args, get_origin

import attrs

from forsvarlig import _serial
from forsvarlig.catalogue import CATALOGUE_SCHEMA, Catalogue, _CatalogueFile
from forsvarlig.matrix import RiskMatrix, _MatrixDocument
from forsvarlig.text import _LANG_RE, Text

__all__ = [
    "BASE_URI",
    "DRAFT",
    "SCHEMAS",
    "SCHEMA_DIR",
    "SchemaError",
    "catalogue_schema",
    "document_schema",
    "json_schema",
    "main",
    "render",
]

Schema = dict[str, Any]

#: The JSON Schema dialect every schema here is written in.
DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
#: Where the schemas' `$id`s point. A placeholder: `.invalid` is reserved
#: (RFC 2606) and never resolves, until the schemas have a published home.
BASE_URI: Final = "https://forsvarlig.invalid/schemas/"
#: Where the generated schemas live in the package (and so in the wheel).
SCHEMA_DIR: Final = Path(__file__).parent / "schemas"


class SchemaError(TypeError):
    """The generator met a type it has no JSON Schema for."""


def _pattern(python: str) -> str:
    r"""Turn a Python pattern anchored with `\Z` into an ECMA 262 one anchored both ends."""
    if not python.endswith(r"\Z"):
        msg = f"expected a pattern anchored with \\Z, got {python!r}"
        raise SchemaError(msg)
    return "^" + python.removesuffix(r"\Z") + "$"


def _text_schema(_: _Generator) -> Schema:
    # What `text._structure_text` accepts: at least one language, each code
    # matching the same pattern, each text a string with something besides
    # whitespace in it.
    return {
        "type": "object",
        "description": (
            "Text in one or more languages: a language code (nb, nn, en, en-GB, ...) to a non-empty string."
        ),
        "minProperties": 1,
        "propertyNames": {"pattern": _pattern(_LANG_RE.pattern)},
        "additionalProperties": {"type": "string", "minLength": 1, "pattern": r"\S"},
    }


#: Types `_serial` structures with hooks of their own, and how their JSON looks:
#: each builder returns the schema of what that type's hooks read and write.
_SPECIAL: Final[dict[type, Callable[[_Generator], Schema]]] = {
    Text: _text_schema,
    # `matrix._structure_matrix` reads a `_MatrixDocument` and assembles it.
    RiskMatrix: lambda g: g.object_schema(_MatrixDocument),
    # `catalogue._structure_catalogue` reads a `_CatalogueFile` and builds it.
    Catalogue: lambda g: g.object_schema(_CatalogueFile),
}

_META_SCHEMA: Final[Schema] = {
    "type": "object",
    "description": "An integrator's own fields: any JSON values, kept verbatim.",
}
_DATE_SCHEMA: Final[Schema] = {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}
_PRIMITIVES: Final[dict[type, Schema]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
}


class _Generator:
    """Walks types from one root, collecting every class it meets in `defs`."""

    def __init__(self, root: type) -> None:
        self.root = root
        self.root_referenced = False
        self.defs: dict[str, Schema] = {}
        self._names: dict[type, str] = {}
        self._owners: dict[str, type] = {}

    def schema(self, t: Any, where: str) -> Schema:  # noqa: PLR0911 - one return per kind of type
        """Return the schema of values of type `t`, met at `where` (for messages)."""
        if t == _serial.Meta:
            return dict(_META_SCHEMA)
        if isinstance(t, type) and (t in _SPECIAL or attrs.has(t) or t in _serial._special):  # noqa: SLF001
            return self.ref(t, where)
        if isinstance(t, type) and t in _PRIMITIVES:
            return dict(_PRIMITIVES[t])
        if t is dt.date:
            return dict(_DATE_SCHEMA)
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return _enum_schema(t, where)
        origin, args = get_origin(t), get_args(t)
        if origin in (Union, UnionType):
            return self._optional(t, args, where)
        if origin is tuple:
            return self._tuple(t, args, where)
        if origin is list and len(args) == 1:
            return {"type": "array", "items": self.schema(args[0], where)}
        if origin is dict and len(args) == 2 and args[0] is str:
            return {"type": "object", "additionalProperties": self.schema(args[1], where)}
        raise SchemaError(f"no JSON Schema for {_name(t)} (at {where}): add it to forsvarlig._schema")

    def _optional(self, t: Any, args: tuple[Any, ...], where: str) -> Schema:
        if len(args) != 2 or NoneType not in args:
            # The converter reads `X | None` only; it has no rule for other unions.
            raise SchemaError(f"no JSON Schema for the union {_name(t)} (at {where}): only X | None")
        inner = self.schema(args[0] if args[1] is NoneType else args[1], where)
        if set(inner) == {"type"} and isinstance(inner["type"], str):
            return {"type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}

    def _tuple(self, t: Any, args: tuple[Any, ...], where: str) -> Schema:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.schema(args[0], where)}
        if not args or Ellipsis in args:
            raise SchemaError(f"no JSON Schema for {_name(t)} (at {where}): give the items' types")
        return {
            "type": "array",
            "prefixItems": [self.schema(a, f"{where}[{i}]") for i, a in enumerate(args)],
            "minItems": len(args),
            "maxItems": len(args),
        }

    def ref(self, cls: type, where: str) -> Schema:
        """Return a reference to `cls`'s schema, adding it to `defs` the first time."""
        if cls is self.root:
            self.root_referenced = True
            return {"$ref": "#"}
        name = self._names.get(cls)
        if name is None:
            name = self._claim(cls, where)
            self.defs[name] = {}  # taken before recursing, so a cycle finds it
            self.defs[name] = self.definition(cls, where)
        return {"$ref": f"#/$defs/{name}"}

    def _claim(self, cls: type, where: str) -> str:
        name = cls.__name__.lstrip("_")
        other = self._owners.get(name)
        if other is not None and other is not cls:
            msg = (
                f"two types are both named {name!r} ({_name(other)} and {_name(cls)}, at {where}):"
                " rename one; a schema's definitions go by name"
            )
            raise SchemaError(msg)
        self._owners[name] = cls
        self._names[cls] = name
        return name

    def definition(self, cls: type, where: str) -> Schema:
        """Return the schema of `cls` itself (not a reference to it)."""
        special = _SPECIAL.get(cls)
        if special is not None:
            return {"title": cls.__name__, **special(self)}
        if cls in _serial._special:  # noqa: SLF001
            msg = (
                f"{_name(cls)} (at {where}) has structure hooks of its own in forsvarlig._serial:"
                " say what its JSON looks like in forsvarlig._schema._SPECIAL"
            )
            raise SchemaError(msg)
        return self.object_schema(cls)

    def object_schema(self, cls: type) -> Schema:
        """Return the closed object schema of an attrs class, field by field."""
        if not attrs.has(cls):
            raise SchemaError(f"{_name(cls)} is not an attrs class")
        try:
            attrs.resolve_types(cls)
        except NameError as exc:
            raise SchemaError(f"cannot resolve the annotations of {_name(cls)}: {exc}") from None
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for a in attrs.fields(cls):
            if not a.init:
                continue
            key = a.alias or a.name
            if a.type is None:
                raise SchemaError(f"{_name(cls)}.{a.name} has no type annotation")
            prop = self.schema(a.type, f"{_name(cls)}.{a.name}")
            if a.default is attrs.NOTHING:
                required.append(key)
            else:
                prop = _with_default(prop, a)
            properties[key] = prop
        out: Schema = {
            "title": cls.__name__.lstrip("_"),
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            out["required"] = required
        return out


def _with_default(prop: Schema, a: attrs.Attribute[Any]) -> Schema:
    """Add the field's default, as JSON, for editors; a default that needs `self` is left out."""
    default = a.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:  # type: ignore[union-attr]
            return prop
        default = default.factory()  # type: ignore[union-attr]
    return {**prop, "default": _serial.unstructure(default, a.type)}


def _enum_schema(t: type[enum.Enum], where: str) -> Schema:
    values = [m.value for m in t]
    if not all(v.__class__ is str for v in values):
        # The converter reads enums from strings only.
        raise SchemaError(f"the enum {_name(t)} (at {where}) has values that are not strings")
    return {"type": "string", "enum": values}


def _name(t: Any) -> str:
    if isinstance(t, type):
        return t.__qualname__
    return repr(t)


def json_schema(cls: type) -> Schema:
    """Return the JSON Schema (draft 2020-12) of the JSON form of an attrs class.

    The class's own schema is at the top; every other class it holds is
    written once under `$defs` and referred to with `$ref`.

    Args:
        cls: An attrs class, or a type registered in `_SPECIAL`.

    Raises:
        SchemaError: For a type the generator has no schema for, or one with
            hooks of its own in `_serial` that `_SPECIAL` does not describe.

    Examples:
        >>> from forsvarlig import Level
        >>> s = json_schema(Level)
        >>> s["required"], s["properties"]["rank"], s["additionalProperties"]
        (['id', 'rank', 'label'], {'type': 'integer'}, False)
        >>> s["properties"]["label"]
        {'$ref': '#/$defs/Text'}
    """
    gen = _Generator(cls)
    top = gen.definition(cls, _name(cls))
    out: Schema = {"$schema": DRAFT, **top}
    if gen.defs:
        out["$defs"] = gen.defs
    if gen.root_referenced:
        out["$comment"] = f"{_name(cls)} holds itself: '#' refers to the whole schema"
    return out


def document_schema(cls: type, tag: str, *, title: str, description: str) -> Schema:
    """Return the schema of a document: `cls`'s schema with the schema tag `forsvarlig: <tag>`.

    Args:
        cls: The class the document's body is read as.
        tag: The schema tag, `<kind>/<major>` (`catalogue/1`).
        title: The schema's title.
        description: What the document is.

    Raises:
        SchemaError: As `json_schema` does, or where the body's type holds
            itself (a nested value would then need the tag too).
    """
    kind, _, major = tag.partition("/")
    gen = _Generator(cls)
    top = gen.definition(cls, _name(cls))
    if gen.root_referenced:
        raise SchemaError(f"{_name(cls)} holds itself; a document's body cannot")
    if top.get("type") != "object" or "properties" not in top:
        raise SchemaError(f"a document is a mapping; {_name(cls)} is not read from one")
    out: Schema = {
        **top,
        "$schema": DRAFT,
        "$id": f"{BASE_URI}{kind}-{major}.json",
        "title": title,
        "description": description,
        "properties": {
            _serial.TAG_KEY: {"const": tag, "description": "The schema tag: what document this is."},
            **top["properties"],
        },
        "required": [_serial.TAG_KEY, *top.get("required", [])],
    }
    if gen.defs:
        out["$defs"] = gen.defs
    return out


def catalogue_schema() -> Schema:
    """Return the schema of a catalogue file (`forsvarlig: catalogue/1`).

    Examples:
        >>> s = catalogue_schema()
        >>> s["$id"]
        'https://forsvarlig.invalid/schemas/catalogue-1.json'
        >>> s["properties"]["forsvarlig"]["const"], s["required"]
        ('catalogue/1', ['forsvarlig', 'namespace', 'version'])
    """
    return document_schema(
        _CatalogueFile,
        CATALOGUE_SCHEMA,
        title=f"forsvarlig catalogue file ({CATALOGUE_SCHEMA})",
        description=(
            "One layer of a forsvarlig catalogue: the entries of one namespace (scales, band sets,"
            " matrices, methods, factors, frameworks, targets, requirements, measure templates)."
            " forsvarlig checks more than this schema states: ids, ranks, references between"
            " entries, labels in nb and en."
        ),
    )


def assessment_schema() -> Schema:
    """Return the schema of an assessment document (`forsvarlig: assessment/1`).

    Examples:
        >>> assessment_schema()["properties"]["forsvarlig"]["const"]
        'assessment/1'
    """
    from forsvarlig.assessment import ASSESSMENT_SCHEMA, RiskAssessment

    return document_schema(
        RiskAssessment,
        ASSESSMENT_SCHEMA,
        title=f"forsvarlig risk assessment ({ASSESSMENT_SCHEMA})",
        description=(
            "One unit's psychosocial risk assessment: hazards and their estimates, measures,"
            " evaluations and participation. forsvarlig checks more than this schema states: ids,"
            " references between entries and to the catalogue, privacy limits."
        ),
    )


#: Every schema the package ships, by file name under `SCHEMA_DIR`.
SCHEMAS: Final[dict[str, Callable[[], Schema]]] = {
    "assessment-1.json": assessment_schema,
    "catalogue-1.json": catalogue_schema,
}


def render(schema: Schema) -> str:
    """Return a schema as the text shipped: sorted keys, 2-space indent, a final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    """Write every schema in `SCHEMAS` under `SCHEMA_DIR`."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, make in SCHEMAS.items():
        (SCHEMA_DIR / name).write_text(render(make()), encoding="utf-8")
        print(f"wrote schemas/{name}")  # noqa: T201


if __name__ == "__main__":
    main()
