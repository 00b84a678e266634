"""Documents in and out: YAML and JSON, text and files, dicts.

Every document carries a schema tag, `forsvarlig: <kind>/<major>`, which is
read wherever it stands in the top mapping and written first. The tag picks
the type: the module that defines it is imported only when a document of
that kind is first read. Any public type can also be read and written
without a tag by naming it (`loads(text, Scale)`).

Reading is strict: YAML means what JSON means (YAML 1.2 core schema), an
unknown key is an error with a suggestion, and problems are reported together,
each with its path and, for YAML, its line and column: every problem of
shape and type first, then each value's own checks where its shape was right.

Examples:
    >>> from forsvarlig import default_catalogue, dumps, loads, Scale
    >>> scale = default_catalogue().scale("fv.talk-frequency")
    >>> loads(dumps(scale), Scale) == scale
    True
    >>> loads(dumps(scale, format="json"), Scale) == scale
    True
"""

from __future__ import annotations

import importlib
import io
import os
from pathlib import Path
from typing import IO, Any, Final, TypeVar, overload

from forsvarlig import _serial
from forsvarlig.errors import Problem, ValidationError, close_matches, did_you_mean

__all__ = ["FORMATS", "document_kinds", "dump", "dumps", "from_dict", "load", "loads", "to_dict"]

T = TypeVar("T")

#: The formats documents are read and written in.
FORMATS: Final = ("yaml", "json")

# kind -> (module, class name, majors read). Imported on first use.
_DOCUMENTS: Final[dict[str, tuple[str, str, frozenset[int]]]] = {
    "assessment": ("forsvarlig.assessment", "RiskAssessment", frozenset({1})),
    "catalogue": ("forsvarlig.catalogue", "Catalogue", frozenset({1})),
}
_SUFFIX_FORMATS: Final = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def document_kinds() -> dict[str, str]:
    """Return the document kinds this version reads, each with its newest tag.

    Examples:
        >>> document_kinds()["catalogue"]
        'catalogue/1'
    """
    return {kind: f"{kind}/{max(majors)}" for kind, (_, _, majors) in _DOCUMENTS.items()}


def _type_of(kind: str) -> type[Any]:
    module, name, _ = _DOCUMENTS[kind]
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _kind_of(cl: type[Any]) -> str | None:
    for kind, (module, name, _) in _DOCUMENTS.items():
        if cl.__module__ == module and cl.__qualname__ == name:
            return kind
    return None


def _structure_tree(
    tree: Any,
    cl: type[T] | None,
    source: str | None,
    positions: _serial.Positions | None,
) -> T:
    if cl is not None and _kind_of(cl) is None:
        # A plain type, read without a tag.
        if tree.__class__ is dict and _serial.TAG_KEY in tree:
            kind = tree[_serial.TAG_KEY]
            line, column = _serial.locate((_serial.TAG_KEY,), positions)
            msg = f"expected a {cl.__name__}, which has no schema tag, got a document tagged {kind!r}"
            raise ValidationError([Problem("$.forsvarlig", msg, "schema", source, line, column)])
        return _serial.structure(tree, cl, source=source, positions=positions)  # type: ignore[no-any-return]
    kind, major, body = _serial.split_tag(tree, source, positions)
    if kind is not None and kind not in _DOCUMENTS:
        line, column = _serial.locate((_serial.TAG_KEY,), positions)
        hint = did_you_mean(close_matches(kind, _DOCUMENTS))
        msg = (
            f"unknown document kind {kind!r}{hint}; this version reads {', '.join(document_kinds().values())}"
        )
        raise ValidationError([Problem("$.forsvarlig", msg, "schema", source, line, column)])
    expected = _kind_of(cl) if cl is not None else kind
    if expected is None:
        kinds = ", ".join(document_kinds().values())
        msg = f"no schema tag: a document starts with `forsvarlig: <kind>/<major>` ({kinds})"
        raise ValidationError([Problem("$", msg, "schema", source, *_serial.locate((), positions))])
    _serial.check_tag(kind, major, expected, _DOCUMENTS[expected][2], source=source, positions=positions)
    target = _type_of(expected)
    return _serial.structure(body, target, source=source, positions=positions)  # type: ignore[no-any-return]


@overload
def loads(data: str | bytes, type: type[T], *, format: str | None = None, source: str | None = None) -> T: ...
@overload
def loads(
    data: str | bytes, type: None = None, *, format: str | None = None, source: str | None = None
) -> Any: ...
def loads(
    data: str | bytes,
    type: type[T] | None = None,  # noqa: A002
    *,
    format: str | None = None,  # noqa: A002
    source: str | None = None,
) -> T | Any:
    """Read a document from YAML or JSON text or bytes.

    Args:
        data: The text, or UTF-8 bytes.
        type: The type to read. Without it, the schema tag decides; with it,
            a tag, if the type is a document, must agree.
        format: `yaml` or `json`; by default JSON where the text starts with
            `{` or `[`, otherwise YAML.
        source: A name for the input, shown in problems (a file name, a URL).

    Raises:
        ValidationError: Listing every problem, each with its path, and its
            line and column for YAML.

    Examples:
        >>> from forsvarlig import Text, loads
        >>> loads("{nb: Daglig, en: Daily}", Text)
        Text(nb='Daglig', en='Daily')
    """
    tree, positions = _serial.read_tree(data, source, format, mapping_root=True)
    return _structure_tree(tree, type, source, positions)


@overload
def from_dict(data: Any, type: type[T], *, source: str | None = None) -> T: ...
@overload
def from_dict(data: Any, type: None = None, *, source: str | None = None) -> Any: ...
def from_dict(data: Any, type: type[T] | None = None, *, source: str | None = None) -> T | Any:  # noqa: A002
    """Read a document from plain data (dicts, lists, strings, numbers, booleans, None).

    Like `loads`, without the parsing: for input that arrives already decoded,
    as in a web framework's JSON body.

    Examples:
        >>> from forsvarlig import Text, from_dict
        >>> from_dict({"nb": "Sjelden", "en": "Rarely"}, Text).get("en")
        'Rarely'
    """
    return _structure_tree(data, type, source, None)


def to_dict(value: Any) -> Any:
    """Return a value as plain JSON data; a document's schema tag comes first.

    Examples:
        >>> from forsvarlig import Text, to_dict
        >>> to_dict(Text(en="Daily", nb="Daglig"))
        {'nb': 'Daglig', 'en': 'Daily'}
    """
    if not _serial.is_value(value):
        msg = f"{type(value).__name__} is not a forsvarlig value"
        raise TypeError(msg)
    data = _serial.unstructure(value, value.__class__)
    kind = _kind_of(value.__class__)
    if kind is None:
        return data
    _, _, majors = _DOCUMENTS[kind]
    return {_serial.TAG_KEY: f"{kind}/{max(majors)}", **data}


def dumps(value: Any, *, format: str = "yaml", indent: int | None = 2) -> str:  # noqa: A002
    """Write a value as YAML (the default) or JSON text.

    Args:
        value: A document or any public type.
        format: `yaml` or `json`.
        indent: JSON indentation; None for the most compact JSON.

    Examples:
        >>> from forsvarlig import Text, dumps
        >>> print(dumps(Text(nb="Nei", en="No")), end="")
        nb: Nei
        en: 'No'
    """
    if format == "yaml":
        return _serial.dump_yaml(to_dict(value))
    if not _serial.is_value(value):
        msg = f"{type(value).__name__} is not a forsvarlig value"
        raise TypeError(msg)
    if format == "json":
        kind = _kind_of(value.__class__)
        head = {_serial.TAG_KEY: document_kinds()[kind]} if kind is not None else None
        return _serial.dump_json_value(value, indent, head)
    msg = f"unknown format {format!r} (use 'yaml' or 'json')"
    raise ValueError(msg)


def _format_for(path: Path, given: str | None) -> str | None:
    return given or _SUFFIX_FORMATS.get(path.suffix.lower())


@overload
def load(file: str | os.PathLike[str] | IO[Any], type: type[T], *, format: str | None = None) -> T: ...
@overload
def load(file: str | os.PathLike[str] | IO[Any], type: None = None, *, format: str | None = None) -> Any: ...
def load(
    file: str | os.PathLike[str] | IO[Any],
    type: type[T] | None = None,  # noqa: A002
    *,
    format: str | None = None,  # noqa: A002
) -> T | Any:
    """Read a document from a file path or an open file (text or binary).

    The format comes from `format`, else the file's suffix (`.yaml`, `.yml`,
    `.json`), else the content.

    Raises:
        ValidationError: As `loads`; problems name the file. Also when a text
            stream cannot decode what it reads.
        OSError: If the file cannot be read.

    Examples:
        >>> import io
        >>> from forsvarlig import Text, load
        >>> load(io.BytesIO(b"{nb: Ukentlig, en: Weekly}"), Text).get("nb")
        'Ukentlig'
    """
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        return loads(path.read_bytes(), type, format=_format_for(path, format), source=str(path))
    name = getattr(file, "name", None)
    source = str(name) if isinstance(name, str | os.PathLike) else None
    if source is not None:
        format = _format_for(Path(source), format)  # noqa: A001
    try:
        data = file.read()
    except UnicodeDecodeError as exc:
        msg = f"not valid text in the stream's encoding ({exc.reason})"
        raise ValidationError([Problem("$", msg, "encoding", source)]) from None
    return loads(data, type, format=format, source=source)


def dump(
    value: Any,
    file: str | os.PathLike[str] | IO[Any],
    *,
    format: str | None = None,  # noqa: A002
    indent: int | None = 2,
) -> None:
    """Write a value to a file path or an open file.

    The format comes from `format`, else the path's suffix, else YAML. A path
    is written as UTF-8.

    Examples:
        >>> import io
        >>> from forsvarlig import Text, dump
        >>> out = io.StringIO()
        >>> dump(Text(nb="Ja", en="Yes"), out, format="json", indent=None)
        >>> out.getvalue()
        '{"nb": "Ja", "en": "Yes"}'
    """
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        text = dumps(value, format=_format_for(path, format) or "yaml", indent=indent)
        path.write_text(text, encoding="utf-8")
        return
    name = getattr(file, "name", None)
    if format is None and isinstance(name, str):
        format = _format_for(Path(name), None)  # noqa: A001
    text = dumps(value, format=format or "yaml", indent=indent)
    if isinstance(file, io.BufferedIOBase | io.RawIOBase) or "b" in str(getattr(file, "mode", "")):
        file.write(text.encode("utf-8"))
    else:
        file.write(text)
