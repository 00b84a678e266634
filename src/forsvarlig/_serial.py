"""Reading, structuring and writing: the base layer every other layer reads through.

Private. Three parts:

* the readers: YAML with YAML 1.2 core-schema meaning, read from libyaml's
  event stream so that depth, aliases and repeated keys are checked before
  anything is built, and every node's line and column kept; JSON through the
  standard library;
* the one strict cattrs converter: no silent coercion, unknown keys refused
  with a suggestion, every problem collected;
* error translation: whatever goes wrong becomes one `ValidationError`
  listing every problem with its path, and its line for YAML input.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from types import UnionType
from typing import TYPE_CHECKING, Any, Final, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from forsvarlig.errors import Problem, ValidationError, close_matches, did_you_mean

if TYPE_CHECKING:
    import yaml

T = TypeVar("T")
PathKey = str | int
Path = tuple[PathKey, ...]
# Where each node is, by path; `(*path, KEY)` is where the key of a mapping entry is.
Positions = dict[tuple[Any, ...], tuple[int, int]]
KEY: Final = object()

#: Deepest nesting accepted in any document.
MAX_DEPTH: Final = 64
#: Largest document accepted, in bytes (or characters for str input).
MAX_SIZE: Final = 256 * 1024 * 1024
#: Most nodes aliases may add to a YAML document beyond those written out.
MAX_ALIAS_NODES: Final = 10_000

JSONValue = Any
Meta = dict[str, Any]


# ---------------------------------------------------------------------------
# Errors raised inside structuring, translated at the boundary.


def split_field(field: str) -> Path:
    """Turn a dotted field path (`levels.2.rank`) into a path (`("levels", 2, "rank")`)."""
    return tuple(int(p) if p.isdigit() else p for p in field.split("."))


class FieldError(ValidationError):
    """Raised by a type's own validation: a `ValidationError` naming the fields at fault.

    `field` is a dotted path relative to the value (`"bounds"`,
    `"levels.2.rank"`); `more` holds further `(field, message, code)`
    problems found in the same check, so that all are reported at once.
    """

    def __init__(
        self, field: str, message: str, code: str = "value", more: tuple[tuple[str, str, str], ...] = ()
    ) -> None:
        self.items = ((field, message, code), *more)
        super().__init__(Problem(format_path(split_field(f)), m, c) for f, m, c in self.items)
        self.field = field
        self.message = message
        self.code = code

    def _args(self) -> tuple[Any, ...]:
        return (self.field, self.message, self.code, self.items[1:])

    @classmethod
    def collect(cls, items: list[tuple[str, str, str]]) -> None:
        """Raise one FieldError for all of `items`, if there are any."""
        if items:
            (field, message, code), *more = items
            raise cls(field, message, code, tuple(more))


class Invalid(Exception):  # noqa: N818 - a leaf inside a cattrs error group, never shown
    """A leaf problem: a value of the wrong type or content."""

    def __init__(self, message: str, code: str = "type", sub: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.sub = sub


class _ReadError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem = problem


def describe(value: object) -> str:  # noqa: PLR0911 - one return per JSON type
    """Name the JSON type of `value` for messages (`a string "x"`, `null`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


_KEY_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


_PART_RE: Final = re.compile(
    r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]"
)


def parse_path(text: str) -> Path:
    """Parse what `format_path` wrote back into a path."""
    import ast

    out: list[PathKey] = []
    pos = 1 if text.startswith("$") else 0
    while pos < len(text):
        m = _PART_RE.match(text, pos)
        if m is None:
            break
        name, index, quoted = m.groups()
        out.append(
            name if name is not None else int(index) if index is not None else ast.literal_eval(quoted)
        )
        pos = m.end()
    return tuple(out)


def format_path(path: Path) -> str:
    """Render a path as `$.a[0].b` (keys that are not plain names are quoted)."""
    out = ["$"]
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out.append(f"[{part}]")
        elif isinstance(part, str) and _KEY_RE.match(part):
            out.append("." + part)
        else:
            out.append(f"[{part!r}]")
    return "".join(out)


# ---------------------------------------------------------------------------
# Readers.


def decode(data: str | bytes, source: str | None) -> str:
    """Return `data` as text: UTF-8 (a BOM is allowed), size-bounded."""
    if len(data) > MAX_SIZE:
        raise ValidationError(
            [Problem("$", f"the document is larger than {MAX_SIZE} bytes", "too-large", source)]
        )
    if isinstance(data, str):
        return data
    if not isinstance(data, bytes | bytearray | memoryview):
        msg = f"expected text or bytes, got {type(data).__name__}"  # type: ignore[unreachable]
        raise TypeError(msg)
    raw = bytes(data)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problem = Problem(
            "$",
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            "encoding",
            source,
            line,
            column,
        )
        raise ValidationError([problem]) from None


def _reject_constant(name: str) -> float:
    raise ValueError(name)


class _RepeatedKey(Exception):  # noqa: N818 - control flow inside read_json
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedKey(key)
            seen.add(key)
    return out


# A UTF-16 surrogate escaped alone: a high one not followed by a low one, or a
# low one not preceded by a high one. JSON allows the escape; Unicode text
# cannot hold the result.
_LONE_SURROGATE: Final = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def read_json(text: str, source: str | None = None) -> Any:
    """Parse JSON text; NaN and Infinity, repeated keys and lone surrogates are refused."""
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        problem = Problem("$", f"invalid JSON: {exc.msg}", "syntax", source, exc.lineno, exc.colno)
        raise ValidationError([problem]) from None
    except _RepeatedKey as exc:
        problem = Problem("$", f"key {exc.key!r} is repeated in a mapping", "duplicate-key", source)
        raise ValidationError([problem]) from None
    except ValueError as exc:
        message = (
            str(exc)
            if exc.args and exc.args[0] not in {"NaN", "Infinity", "-Infinity"}
            else (f"{exc.args[0]} is not a JSON number")
        )
        raise ValidationError([Problem("$", message, "syntax", source)]) from None
    except RecursionError:
        problem = Problem("$", f"nesting deeper than {MAX_DEPTH} levels", "too-deep", source)
        raise ValidationError([problem]) from None
    if ("\\ud" in text or "\\uD" in text) and (found := _LONE_SURROGATE.search(text)):
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        problem = Problem("$", "a lone surrogate escape is not text", "encoding", source, line, column)
        raise ValidationError([problem])
    return data


# YAML 1.2 core schema, for plain (unquoted, untagged) scalars.
_NULL: Final = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE: Final = frozenset({"true", "True", "TRUE"})
_FALSE: Final = frozenset({"false", "False", "FALSE"})
_INT_RE: Final = re.compile(r"[-+]?[0-9]+\Z")
_OCT_RE: Final = re.compile(r"0o[0-7]+\Z")
_HEX_RE: Final = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT_RE: Final = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF_RE: Final = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN_RE: Final = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_FIRST: Final = frozenset("0123456789+-.~nNtTfF")

_CORE: Final = "tag:yaml.org,2002:"
_SCALAR_TAGS: Final = frozenset({_CORE + t for t in ("str", "int", "float", "bool", "null")})


class _TooLongError(ValueError):
    """An integer literal longer than Python converts (`sys.get_int_max_str_digits`)."""


def _int(text: str, base: int = 10) -> int:
    try:
        return int(text, base)
    except ValueError:
        msg = f"an integer of {len(text)} digits is longer than forsvarlig reads"
        raise _TooLongError(msg) from None


def resolve_plain(value: str) -> Any:  # noqa: PLR0911 - one return per core-schema rule
    """Return what a plain YAML scalar means under the YAML 1.2 core schema."""
    if value and value[0] not in _FIRST:
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT_RE.match(value):
        return _int(value)
    if _OCT_RE.match(value):
        return _int(value, 8)
    if _HEX_RE.match(value):
        return _int(value, 16)
    if _FLOAT_RE.match(value):
        return float(value)
    if _INF_RE.match(value):
        return -math.inf if value[0] == "-" else math.inf
    if _NAN_RE.match(value):
        return math.nan
    return value


def _tagged(value: str, tag: str) -> Any:
    kind = tag[len(_CORE) :]
    if kind == "str":
        return value
    resolved = resolve_plain(value)
    expected = {"int": int, "float": float, "bool": bool, "null": type(None)}[kind]
    if kind == "float" and type(resolved) is int:
        return float(resolved)
    if type(resolved) is not expected:
        msg = f"{value!r} is not a valid !!{kind}"
        raise ValueError(msg)
    return resolved


class _Frame:
    __slots__ = ("anchor", "container", "key", "key_mark", "nodes", "path")

    def __init__(self, container: Any, path: Path, anchor: str | None) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] | None = None
        self.nodes = 1


_NO_KEY: Final = object()


def read_yaml(  # noqa: C901, PLR0912, PLR0915 - one loop over the event stream, kept whole
    text: str, source: str | None = None, *, mapping_root: bool = False
) -> tuple[Any, Positions]:
    """Parse one YAML document with YAML 1.2 core-schema meaning.

    Returns the data (dicts, lists, str, int, float, bool, None) and the
    1-based line and column of every node, keyed by its path.

    Raises:
        ValidationError: On a syntax error, a repeated key, nesting deeper than
            `MAX_DEPTH`, aliases that expand past `MAX_ALIAS_NODES`, a
            recursive alias, more than one document, or any tag outside the
            core schema.
    """
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    positions: Positions = {}
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    building: set[str] = set()
    alias_nodes = 0
    documents = 0
    result: Any = None
    path: Path = ()

    def fail(message: str, code: str, mark: Any) -> _ReadError:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        return _ReadError(Problem(format_path(path), message, code, source, line, column))

    def child_path(frame: _Frame) -> Path:
        if type(frame.container) is list:
            return (*frame.path, len(frame.container))
        return (*frame.path, frame.key)

    def attach(value: Any, mark: Any, nodes: int) -> None:
        nonlocal result
        if not stack:
            result = value
            return
        frame = stack[-1]
        frame.nodes += nodes
        if type(frame.container) is list:
            frame.container.append(value)
            return
        if frame.key is _NO_KEY:
            if isinstance(value, dict | list):
                raise fail("a key must be a plain value, not a mapping or a list", "syntax", mark)
            if value in frame.container:
                first = positions.get((*frame.path, value))
                at = f" (first at line {first[0]})" if first else ""
                raise fail(f"key {value!r} is repeated in this mapping{at}", "duplicate-key", mark)
            frame.key = value
            frame.key_mark = (mark.line + 1, mark.column + 1)
            return
        if frame.key_mark is not None:
            key_path = (*frame.path, frame.key)
            positions[(*key_path, KEY)] = frame.key_mark
            if value.__class__ in (dict, list):
                # A block mapping or list starts on the line after its key: point at the key.
                positions[key_path] = frame.key_mark
        frame.container[frame.key] = value
        frame.key = _NO_KEY

    loader = None
    try:
        loader = loader_cls(text)
        while loader.check_event():
            event = loader.get_event()
            cls = type(event)
            mark = event.start_mark
            if stack:
                frame = stack[-1]
                if type(frame.container) is list or frame.key is not _NO_KEY:
                    path = child_path(frame)
                else:
                    path = frame.path
            if cls is yaml.ScalarEvent:
                tag = event.tag
                try:
                    if tag is None or tag == "!":
                        value = event.value if (tag == "!" or event.style) else resolve_plain(event.value)
                    elif tag in _SCALAR_TAGS:
                        value = _tagged(event.value, tag)
                    else:
                        raise fail(f"the tag {tag!r} is not allowed (only plain data)", "tag", mark)
                except _TooLongError as exc:
                    raise fail(str(exc), "value", mark) from None
                except ValueError as exc:
                    # A malformed !!int, say.
                    raise fail(str(exc), "syntax", mark) from None
                if not stack or type(stack[-1].container) is list or stack[-1].key is not _NO_KEY:
                    positions[path] = (mark.line + 1, mark.column + 1)
                elif value.__class__ is not str:
                    # A key that is not a string: keep its place for the problem it will be.
                    positions[(*path, value, KEY)] = (mark.line + 1, mark.column + 1)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                attach(value, mark, 1)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                is_map = cls is yaml.MappingStartEvent
                tag = event.tag
                expected_tag = _CORE + ("map" if is_map else "seq")
                if tag is not None and tag not in {"!", expected_tag}:
                    raise fail(f"the tag {tag!r} is not allowed (only plain data)", "tag", mark)
                if mapping_root and not stack and not is_map:
                    # Refuse at once rather than read a large list no type takes.
                    raise fail("expected a mapping at the top, got a list", "type", mark)
                if len(stack) >= MAX_DEPTH:
                    raise fail(f"nesting deeper than {MAX_DEPTH} levels", "too-deep", mark)
                if stack and stack[-1].key is _NO_KEY and type(stack[-1].container) is dict:
                    raise fail("a key must be a plain value, not a mapping or a list", "syntax", mark)
                positions[path] = (mark.line + 1, mark.column + 1)
                if event.anchor:
                    building.add(event.anchor)
                stack.append(_Frame({} if is_map else [], path, event.anchor))
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor:
                    building.discard(frame.anchor)
                    anchors[frame.anchor] = (frame.container, frame.nodes)
                attach(frame.container, mark, frame.nodes)
            elif cls is yaml.AliasEvent:
                if event.anchor in building:
                    raise fail(f"the alias *{event.anchor} refers to itself", "alias", mark)
                if event.anchor not in anchors:
                    raise fail(f"unknown alias *{event.anchor}", "alias", mark)
                value, nodes = anchors[event.anchor]
                alias_nodes += nodes
                if alias_nodes > MAX_ALIAS_NODES:
                    raise fail(f"aliases expand to more than {MAX_ALIAS_NODES} nodes", "alias", mark)
                attach(value, mark, nodes)
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail("only one document per file", "syntax", mark)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        if "nesting depth" in message:
            # libyaml's own limit on flow nesting, met while scanning ahead.
            raise ValidationError(
                [fail(f"nesting deeper than {MAX_DEPTH} levels", "too-deep", mark).problem]
            ) from None
        raise ValidationError([fail(f"invalid YAML: {message}", "syntax", mark).problem]) from None
    except yaml.YAMLError as exc:
        # libyaml's reader errors (a control character, say) carry a position, not a mark.
        at = getattr(exc, "position", None)
        line = column = None
        if isinstance(at, int):
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc)
        problem = Problem(format_path(path), f"invalid YAML: {reason}", "syntax", source, line, column)
        raise ValidationError([problem]) from None
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        problem = Problem(
            "$", "the text holds a lone surrogate, which is not Unicode", "encoding", source, line, column
        )
        raise ValidationError([problem]) from None
    except _ReadError as exc:
        raise ValidationError([exc.problem]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return result, positions


def sniff(text: str) -> str:
    """Guess the format of a document's text: `json` or `yaml`."""
    for char in text:
        if not char.isspace():
            return "json" if char in "{[" else "yaml"
    return "yaml"


TAG_KEY: Final = "forsvarlig"
_TAG_RE: Final = re.compile(r"([a-z][a-z0-9-]*)/([1-9][0-9]*)\Z")


def read_tree(
    data: str | bytes, source: str | None = None, fmt: str | None = None, *, mapping_root: bool = False
) -> tuple[Any, Positions | None]:
    """Decode and parse a document of either format; return data and positions.

    With `mapping_root`, YAML whose top node is a list is refused at its first
    event (every document type is a mapping).
    """
    text = decode(data, source)
    named = fmt is not None
    fmt = fmt or sniff(text)
    if fmt == "json":
        try:
            return read_json(text, source), None
        except ValidationError:
            if named:
                raise
            # Flow-style YAML also starts with a brace; JSON errors win only
            # where YAML cannot read it either.
            try:
                return read_yaml(text, source, mapping_root=mapping_root)
            except ValidationError as yaml_error:
                if yaml_error.problems[0].code != "syntax":
                    raise
            raise
    if fmt != "yaml":
        msg = f"unknown format {fmt!r} (use 'yaml' or 'json')"
        raise ValueError(msg)
    return read_yaml(text, source, mapping_root=mapping_root)


def split_tag(
    tree: Any, source: str | None = None, positions: Positions | None = None
) -> tuple[str | None, int | None, Any]:
    """Take the schema tag out of a document's top mapping.

    Returns `(kind, major, body)`; kind and major are None where the document
    has no tag. The body is a new mapping without the tag.
    """
    if tree.__class__ is not dict:
        what = "an empty document" if tree is None else describe(tree)
        line, column = locate((), positions)
        problem = Problem("$", f"expected a mapping at the top, got {what}", "type", source, line, column)
        raise ValidationError([problem])
    if TAG_KEY not in tree:
        return None, None, tree
    tag = tree[TAG_KEY]
    match = _TAG_RE.match(tag) if tag.__class__ is str else None
    if match is None:
        line, column = locate((TAG_KEY,), positions)
        msg = f"the schema tag must look like 'assessment/1' (kind/major), got {describe(tag)}"
        raise ValidationError([Problem("$.forsvarlig", msg, "schema", source, line, column)])
    body = {k: v for k, v in tree.items() if k != TAG_KEY}
    return match.group(1), int(match.group(2)), body


def check_tag(
    kind: str | None,
    major: int | None,
    expected: str,
    majors: frozenset[int] | set[int],
    *,
    source: str | None = None,
    positions: Positions | None = None,
) -> None:
    """Raise unless the tag names `expected` at a major version this library reads."""
    line, column = locate((TAG_KEY,), positions)
    newest = max(majors)
    if kind is None:
        msg = f"no schema tag: add `forsvarlig: {expected}/{newest}` at the top"
        raise ValidationError([Problem("$", msg, "schema", source, *locate((), positions))])
    if kind != expected:
        msg = f"expected a {expected} document, got {kind}/{major}"
        raise ValidationError([Problem("$.forsvarlig", msg, "schema", source, line, column)])
    if major not in majors:
        if major is not None and major > newest:
            msg = (
                f"{kind}/{major} is newer than this version of forsvarlig reads"
                f" (up to {kind}/{newest}): upgrade forsvarlig"
            )
        else:
            msg = f"{kind}/{major} is not a version forsvarlig reads (it reads {sorted(majors)})"
        raise ValidationError([Problem("$.forsvarlig", msg, "schema-version", source, line, column)])


def read_document(
    data: str | bytes,
    source: str | None,
    fmt: str | None,
    expected: str,
    majors: frozenset[int] | set[int],
) -> tuple[Any, Positions | None]:
    """Read a document that must carry the tag `expected/<major>`; return its body."""
    tree, positions = read_tree(data, source, fmt, mapping_root=True)
    kind, major, body = split_tag(tree, source, positions)
    check_tag(kind, major, expected, majors, source=source, positions=positions)
    return body, positions


# ---------------------------------------------------------------------------
# The converter.

_StructureFn = Callable[[Any, Any], Any]
_UnstructureFn = Callable[[Any], Any]
_special: dict[type, tuple[_StructureFn | None, _UnstructureFn | None]] = {}
_converter: cattrs.Converter | None = None
_lock = threading.Lock()


def is_value(value: Any) -> bool:
    """Whether `value` is of a type forsvarlig reads and writes (attrs or registered)."""
    return attrs.has(value.__class__) or value.__class__ in _special


def register(
    cl: type, structure: _StructureFn | None = None, unstructure: _UnstructureFn | None = None
) -> None:
    """Give `cl` its own structure and/or unstructure hook.

    Type modules call this at import; the converter picks the hooks up when it
    is made (lazily, on first use), or at once if it exists already.
    """
    _special[cl] = (structure, unstructure)
    if _converter is not None:
        _apply(_converter, cl, structure, unstructure)


def _apply(
    conv: cattrs.Converter,
    cl: type,
    structure: _StructureFn | None,
    unstructure: _UnstructureFn | None,
) -> None:
    if structure is not None:
        conv.register_structure_hook(cl, structure)
    if unstructure is not None:
        conv.register_unstructure_hook(cl, unstructure)


def converter() -> cattrs.Converter:
    """Return the strict converter, making it on first use."""
    global _converter  # noqa: PLW0603 - a lazily built, then immutable, singleton
    if _converter is None:
        with _lock:
            if _converter is None:
                conv = _make_converter()
                for cl, (s, u) in _special.items():
                    _apply(conv, cl, s, u)
                _converter = conv
    return _converter


def _strict_str(value: Any, _: Any = None) -> str:
    if value.__class__ is str:
        return value
    hint = " (quote it to make it text)" if value.__class__ in (int, float, bool) else ""
    raise Invalid(f"expected a string, got {describe(value)}{hint}")


def _strict_int(value: Any, _: Any = None) -> int:
    if value.__class__ is int:
        return value
    raise Invalid(f"expected an integer, got {describe(value)}")


def _strict_float(value: Any, _: Any = None) -> float:
    cls = value.__class__
    if cls is float:
        if math.isfinite(value):
            return value  # type: ignore[no-any-return]
        raise Invalid(f"expected a finite number, got {value!r}", "value")
    if cls is int:
        return float(value)
    raise Invalid(f"expected a number, got {describe(value)}")


def _strict_bool(value: Any, _: Any = None) -> bool:
    if value.__class__ is bool:
        return value
    raise Invalid(f"expected true or false, got {describe(value)}")


_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _strict_date(value: Any, _: Any = None) -> dt.date:
    if value.__class__ is str and _DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise Invalid(f"{value!r} is not a calendar date", "value") from None
    raise Invalid(f"expected a date as YYYY-MM-DD, got {describe(value)}")


def _meta(value: Any, _: Any = None) -> Meta:
    if value.__class__ is not dict:
        raise Invalid(f"expected a mapping of JSON values, got {describe(value)}")
    try:
        return _json_fast(value, 1)  # type: ignore[no-any-return]
    except _Miss:
        return _json_copy(value, (), 1)  # type: ignore[no-any-return]


def _json_fast(value: Any, depth: int) -> JSONValue:
    """Copy JSON data, or raise _Miss: `_json_copy` then says where and why."""
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None:
        return value
    if cls is float:
        if value - value == 0.0:  # finite: inf - inf and nan - nan are nan
            return value
        raise _Miss
    if depth > MAX_DEPTH:
        raise _Miss
    if cls is dict:
        out = {}
        for k, v in value.items():
            if k.__class__ is not str:
                raise _Miss
            # Strings, integers, booleans and null need no call.
            out[k] = v if v.__class__ in _PLAIN else _json_fast(v, depth + 1)
        return out
    if cls is list:
        return [v if v.__class__ in _PLAIN else _json_fast(v, depth + 1) for v in value]
    raise _Miss


_PLAIN: Final = frozenset({str, int, bool, type(None)})


def _json_copy(value: Any, path: Path, depth: int) -> JSONValue:
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None:
        return value
    if cls is float:
        if not math.isfinite(value):
            raise Invalid(f"expected a finite number, got {value!r}", "value", path)
        return value
    if depth > MAX_DEPTH:
        raise Invalid(f"nesting deeper than {MAX_DEPTH} levels", "too-deep", path)
    if cls is dict:
        out = {}
        for k, v in value.items():
            if k.__class__ is not str:
                raise Invalid(f"keys must be strings, got {describe(k)}", "type", path)
            out[k] = _json_copy(v, (*path, k), depth + 1)
        return out
    if cls is list:
        return [_json_copy(v, (*path, i), depth + 1) for i, v in enumerate(value)]
    raise Invalid(f"expected a JSON value, got {describe(value)}", "type", path)


def _enum_hook(cl: type[enum.Enum]) -> _StructureFn:
    by_value = {m.value: m for m in cl}
    allowed = ", ".join(repr(v) for v in by_value)

    def structure(value: Any, _: Any = None) -> enum.Enum:
        try:
            if value.__class__ is str:
                return by_value[value]
        except KeyError:
            hint = did_you_mean(close_matches(value, by_value))
            raise Invalid(f"{value!r} is not one of {allowed}{hint}", "value") from None
        raise Invalid(f"expected one of {allowed}, got {describe(value)}")

    return structure


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_tuple(t: Any) -> bool:
    return get_origin(t) is tuple


def _is_list(t: Any) -> bool:
    return get_origin(t) is list


def _is_fixed_tuple(t: Any) -> bool:
    return get_origin(t) is tuple and Ellipsis not in get_args(t) and bool(get_args(t))


def _is_str_dict(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is dict and len(args) == 2 and args[0] is str


def _note_index(exc: Exception, index: PathKey, t: Any) -> Exception:
    exc.__notes__ = [
        *getattr(exc, "__notes__", []),
        IterableValidationNote(f"@ {index!r}", index, t),
    ]
    return exc


def _sequence_factory(  # noqa: C901 - a fast and a detailed path, side by side
    make: Callable[[Iterable[Any]], Any],
) -> Callable[[Any, cattrs.Converter], Any]:
    def factory(t: Any, conv: cattrs.Converter) -> _StructureFn:
        elem = get_args(t)[0]
        handler = conv.get_structure_hook(elem)

        if elem is str:

            def fast(value: Any, _: Any = None) -> Any:
                if value.__class__ is list or value.__class__ is tuple:
                    for item in value:
                        if item.__class__ is not str:
                            break
                    else:
                        return make(value)
                return detailed(value)

        else:

            def fast(value: Any, _: Any = None) -> Any:
                if value.__class__ is list or value.__class__ is tuple:
                    try:
                        return make([handler(item, elem) for item in value])
                    except Exception:  # noqa: BLE001, S110 - the detailed path reports it
                        pass
                return detailed(value)

        def detailed(value: Any, _: Any = None) -> Any:
            if value.__class__ is not list and value.__class__ is not tuple:
                raise Invalid(f"expected a list, got {describe(value)}")
            out = []
            errors = []
            for i, item in enumerate(value):
                try:
                    out.append(handler(item, elem))
                except Exception as exc:  # noqa: BLE001 - collected and re-raised as a group
                    errors.append(_note_index(exc, i, elem))
            if errors:
                raise IterableValidationError("while structuring a list", errors, t)
            return make(out)

        return fast

    return factory


def _fixed_tuple_factory(t: Any, conv: cattrs.Converter) -> _StructureFn:
    elems = get_args(t)
    handlers = [conv.get_structure_hook(e) for e in elems]
    n = len(elems)

    def structure(value: Any, _: Any = None) -> tuple[Any, ...]:
        if value.__class__ is not list and value.__class__ is not tuple:
            raise Invalid(f"expected a list of {n}, got {describe(value)}")
        if len(value) != n:
            raise Invalid(f"expected a list of {n}, got a list of {len(value)}")
        out = []
        errors = []
        for i, (handler, elem, item) in enumerate(zip(handlers, elems, value, strict=True)):
            try:
                out.append(handler(item, elem))
            except Exception as exc:  # noqa: BLE001
                errors.append(_note_index(exc, i, elem))
        if errors:
            raise IterableValidationError("while structuring a tuple", errors, t)
        return tuple(out)

    return structure


def _str_dict_factory(t: Any, conv: cattrs.Converter) -> _StructureFn:
    elem = get_args(t)[1]
    handler = conv.get_structure_hook(elem)

    def structure(value: Any, _: Any = None) -> dict[str, Any]:
        if value.__class__ is not dict:
            raise Invalid(f"expected a mapping, got {describe(value)}")
        out = {}
        errors = []
        for key, item in value.items():
            if key.__class__ is not str:
                bad_key = Invalid(f"keys must be strings, got {describe(key)}")
                errors.append(_note_index(bad_key, str(key), elem))
                continue
            try:
                out[key] = handler(item, elem)
            except Exception as exc:  # noqa: BLE001 - collected and re-raised as a group
                errors.append(_note_index(exc, key, elem))
        if errors:
            raise IterableValidationError("while structuring a mapping", errors, t)
        return out

    return structure


def _attrs_factory(cl: type, conv: cattrs.Converter) -> _StructureFn:  # noqa: C901 - closures for each path
    fields = attrs.fields(cl)
    names = frozenset(a.alias or a.name for a in fields if a.init)
    # A mapping's keys are the fields' init names.
    # cattrs' detailed function is made only when an input fails the fast path:
    # making it costs about a millisecond per class, which valid input never needs.
    made: list[Callable[[Any, Any], Any]] = []

    def fn(value: Any, cl: Any) -> Any:
        if not made:
            made.append(make_dict_structure_fn(cl, conv, _cattrs_detailed_validation=True))
        return made[0](value, cl)

    def fail_fields(exc: FieldError) -> ClassValidationError:
        leaves = []
        for field, message, code in exc.items:
            first, *rest = split_field(field)
            inner = Invalid(message, code, tuple(rest))
            inner.__notes__ = [AttributeValidationNote(f"@ {first}", str(first), None)]
            leaves.append(inner)
        return ClassValidationError(f"while structuring {cl.__name__}", leaves, cl)

    def detailed(value: Any, _: Any = None) -> Any:
        if value.__class__ is not dict:
            raise Invalid(f"expected a mapping, got {describe(value)}")
        if not names.issuperset(value):
            return unknown_keys(value)
        try:
            return fn(value, cl)
        except FieldError as exc:
            raise fail_fields(exc) from None

    def unknown_keys(value: dict[Any, Any]) -> Any:
        errors: list[Exception] = []
        known = {}
        for key, item in value.items():
            if key in names:
                known[key] = item
                continue
            if isinstance(key, str):
                message = f"unknown key {key!r}{did_you_mean(close_matches(key, names))}"
            else:
                message = f"unknown key {describe(key)}: keys are names, such as {min(names)!r}"
            leaf = Invalid(message, "unknown-key")
            leaf.__notes__ = [AttributeValidationNote(f"@ {key!r}", key, None)]
            errors.append(leaf)
        try:
            fn(known, cl)
        except ClassValidationError as exc:
            errors.extend(exc.exceptions)
        except FieldError as exc:
            errors.extend(fail_fields(exc).exceptions)
        raise ClassValidationError(f"while structuring {cl.__name__}", errors, cl)

    return _fast_structure(cl, conv, names, detailed)


class _Miss(Exception):  # noqa: N818 - control flow, never seen outside
    """The fast path met something it does not handle: take the detailed one."""


_NONE: Final = type(None)


def _inline_check(t: Any) -> str | None:
    """Return an expression testing `v` against `t` where no conversion is needed."""
    if t is str:
        return "v.__class__ is str"
    if t is int:
        return "v.__class__ is int"
    if t is bool:
        return "v.__class__ is bool"
    args = get_args(t)
    if get_origin(t) in (Union, UnionType) and len(args) == 2 and _NONE in args:
        inner = _inline_check(args[0] if args[1] is _NONE else args[1])
        if inner is not None:
            return f"v is None or {inner}"
    return None


def _convert_lines(t: Any, target: str, i: int, conv: cattrs.Converter, scope: dict[str, Any]) -> list[str]:
    """Lines that check `v` as a `t` and store it in `target`, raising Miss otherwise."""
    check = _inline_check(t)
    if check is not None:
        return [f"if not ({check}):", "    raise Miss", f"{target} = v"]
    if t is dt.date:
        return [
            "if v.__class__ is not str or len(v) != 10 or v[4] != '-' or v[7] != '-':",
            "    raise Miss",
            f"{target} = fromisoformat(v)",
        ]
    if _is_homogeneous_tuple(t) and get_args(t)[0] is str:
        return [
            "if v.__class__ is not list and v.__class__ is not tuple:",
            "    raise Miss",
            "for x in v:",
            "    if x.__class__ is not str:",
            "        raise Miss",
            f"{target} = tuple(v)",
        ]
    scope[f"h{i}"] = conv.get_structure_hook(t)
    scope[f"t{i}"] = t
    return [f"{target} = h{i}(v, t{i})"]


def _fast_structure(
    cl: type, conv: cattrs.Converter, names: frozenset[str], detailed: _StructureFn
) -> _StructureFn:
    """Generate a straight-line structure function for valid input.

    Anything unexpected (a wrong type, a missing or unknown key, a failed
    validator) sends the input to `detailed`, which collects every problem;
    so the fast path decides nothing about errors, only speed.
    """
    attrs.resolve_types(cl)
    scope: dict[str, Any] = {
        "names": names,
        "detailed": detailed,
        "cl": cl,
        "Miss": _Miss,
        "fromisoformat": dt.date.fromisoformat,
    }
    body: list[str] = []
    required: list[str] = []
    optional = False
    for i, a in enumerate(attrs.fields(cl)):
        if not a.init:
            continue
        key = a.alias or a.name
        pad = "        "
        if a.default is attrs.NOTHING:
            body.append(f"{pad}v = o[{key!r}]")
            target = f"a{i}"
            required.append(f"{key}=a{i}")
        else:
            optional = True
            body.append(f"{pad}if {key!r} in o:")
            pad += "    "
            body.append(f"{pad}v = o[{key!r}]")
            target = f"kw[{key!r}]"
        body.extend(f"{pad}{line}" for line in _convert_lines(a.type, target, i, conv, scope))
    call = ", ".join([*required, "**kw"] if optional else required)
    lines = [
        "def structure(o, _=None):",
        "    if o.__class__ is not dict or not names.issuperset(o):",
        "        return detailed(o)",
        "    try:",
        *(["        kw = {}"] if optional else []),
        *body,
        f"        return cl({call})",
        "    except Exception:",
        "        pass",
        "    return detailed(o)",
    ]
    exec(compile("\n".join(lines), f"<forsvarlig structure {cl.__qualname__}>", "exec"), scope)
    return scope["structure"]  # type: ignore[no-any-return]


def _is_optional(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) in (Union, UnionType) and len(args) == 2 and _NONE in args


def _optional_factory(t: Any, conv: cattrs.Converter) -> _StructureFn:
    args = get_args(t)
    inner = args[0] if args[1] is _NONE else args[1]
    handler = conv.get_structure_hook(inner)

    def structure(value: Any, _: Any = None) -> Any:
        return None if value is None else handler(value, inner)

    return structure


def _list_unstructure_factory(t: Any, conv: cattrs.Converter) -> _UnstructureFn:
    args = get_args(t)
    if not args or any(a in (Any, str, int, float, bool) for a in args if a is not Ellipsis):
        return list
    elem = args[0]
    handler = conv.get_unstructure_hook(elem)
    return lambda value: [handler(v) for v in value]


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=True)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(float, _strict_float)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(dt.date, _strict_date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    conv.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
        lambda _t: lambda v: v.value,
    )
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _sequence_factory(tuple))
    conv.register_structure_hook_factory(_is_list, _sequence_factory(list))
    conv.register_structure_hook_factory(_is_fixed_tuple, _fixed_tuple_factory)
    conv.register_unstructure_hook_factory(_is_tuple, lambda t: _list_unstructure_factory(t, conv))
    conv.register_structure_hook_factory(_is_str_dict, _str_dict_factory)
    # After the dict factory: later registrations win, and `meta` is a dict too.
    conv.register_structure_hook_func(lambda t: t == Meta, _meta)
    conv.register_unstructure_hook_func(lambda t: t == Meta, _meta)
    conv.register_structure_hook_factory(_is_optional, _optional_factory)
    conv.register_structure_hook_factory(attrs.has, _attrs_factory)
    conv.register_unstructure_hook_factory(
        attrs.has,
        lambda cl: make_dict_unstructure_fn(cl, conv, _cattrs_omit_if_default=True),
    )
    return conv


# ---------------------------------------------------------------------------
# Translation.


def _leaves(exc: BaseException, path: Path) -> Iterator[tuple[Path, str, str]]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            key: PathKey = note.name if isinstance(note, AttributeValidationNote) else note.index
            yield from _leaves(sub, (*path, key))
        for sub in others:
            yield from _leaves(sub, path)
    elif isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            yield from _leaves(sub, path)
    elif isinstance(exc, Invalid):
        yield (*path, *exc.sub), exc.message, exc.code
    elif isinstance(exc, KeyError):
        yield path, "required, but missing", "missing"
    elif isinstance(exc, ValidationError):
        for p in exc.problems:
            yield (*path, *parse_path(p.path)), p.message, p.code
    else:
        yield path, str(exc) or type(exc).__name__, "value"


def locate(path: Path, positions: Positions | None) -> tuple[int | None, int | None]:
    if not positions:
        return None, None
    for n in range(len(path), -1, -1):
        found = positions.get(path[:n])
        if found is not None:
            return found
    return None, None


def problems_from(
    exc: BaseException, source: str | None = None, positions: Positions | None = None
) -> list[Problem]:
    """Translate a structuring failure into problems, located where possible."""
    out = []
    for path, message, code in _leaves(exc, ()):
        key_at = positions.get((*path, KEY)) if positions and code == "unknown-key" else None
        line, column = key_at or locate(path, positions)
        out.append(Problem(format_path(path), message, code, source, line, column))
    if positions:
        # Document order; problems without a place keep theirs, at the end.
        out.sort(key=lambda p: (p.line is None, p.line or 0, p.column or 0))
    return out


_TRANSLATED: Final = (BaseValidationError, Invalid, KeyError, ValidationError)


def structure(
    data: Any,
    cl: Any,
    *,
    source: str | None = None,
    positions: Positions | None = None,
    error: type[ValidationError] = ValidationError,
) -> Any:
    """Structure plain data into `cl`, or raise `error` listing every problem."""
    hook = converter().get_structure_hook(cl)
    try:
        return hook(data, cl)
    except _TRANSLATED as exc:
        raise error(problems_from(exc, source, positions)) from exc


def unstructure(value: Any, cl: Any = None) -> Any:
    """Turn a value into plain JSON data.

    Raises:
        ValidationError: If the value holds something JSON cannot (a `meta`
            with a non-string key or a non-finite number, say).
    """
    try:
        return converter().unstructure(value, cl)
    except Invalid as exc:
        raise ValidationError([Problem(format_path(exc.sub), exc.message, exc.code)]) from None


# ---------------------------------------------------------------------------
# Writers.


def dump_json(data: Any, indent: int | None = 2) -> str:
    """Write plain data as JSON text (UTF-8, not ASCII-escaped)."""
    return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)


def dump_json_value(value: Any, indent: int | None = 2, head: dict[str, Any] | None = None) -> str:
    """Write a value as JSON, turning objects into data as the encoder reaches them.

    The result is the same as `dump_json(unstructure(value))` (a property test
    holds it to that), but no tree of plain data is built first: each
    object's mapping is written and freed at once, which spares the garbage
    collector most of its work on large documents.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, indent=indent, default=_shallow)
    top = value if value.__class__ in _JSON_NATIVE else _shallow(value)
    if head:
        top = {**head, **top} if isinstance(top, dict) else top
    try:
        return encoder.encode(top)
    except Invalid as exc:
        raise ValidationError([Problem(format_path(exc.sub), exc.message, exc.code)]) from None


_shallow_fns: dict[type, _UnstructureFn] = {}
_JSON_NATIVE: Final = frozenset({list, tuple, dict, str, int, float, bool, type(None)})


def _shallow(obj: Any) -> Any:
    """Turn one object into JSON data, leaving the objects it holds for the encoder."""
    cls = obj.__class__
    fn = _shallow_fns.get(cls)
    if fn is None:
        fn = _shallow_fns.setdefault(cls, _make_shallow(cls))
    return fn(obj)


def _make_shallow(cl: type) -> _UnstructureFn:
    special = _special.get(cl, (None, None))[1]
    if special is not None:
        return special
    if isinstance(cl, type) and issubclass(cl, enum.Enum):
        return lambda v: v.value
    if cl is dt.date:
        return dt.date.isoformat
    if not attrs.has(cl):
        msg = f"{cl.__name__} is not JSON data"
        raise Invalid(msg)
    attrs.resolve_types(cl)
    scope: dict[str, Any] = {"meta": _meta}
    lines = ["def shallow(o):", "    out = {}"]
    for i, a in enumerate(attrs.fields(cl)):
        if not a.init:
            continue
        key = a.alias or a.name
        lines.append(f"    v = o.{a.name}")
        value = "meta(v)" if a.type == Meta else "v"
        if a.default is attrs.NOTHING:
            lines.append(f"    out[{key!r}] = {value}")
            continue
        default = a.default.factory() if isinstance(a.default, attrs.Factory) else a.default  # type: ignore[arg-type]
        scope[f"d{i}"] = default
        lines.append(f"    if v != d{i}:")
        lines.append(f"        out[{key!r}] = {value}")
    lines.append("    return out")
    exec(compile("\n".join(lines), f"<forsvarlig shallow {cl.__qualname__}>", "exec"), scope)
    return scope["shallow"]  # type: ignore[no-any-return]


def dump_yaml(data: Any) -> str:
    """Write plain data as YAML whose meaning is the same under YAML 1.2 and 1.1."""
    import yaml

    return yaml.dump(
        data,
        Dumper=_dumper(),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


_DUMPER: type[yaml.SafeDumper] | None = None


def _dumper() -> type[yaml.SafeDumper]:
    global _DUMPER  # noqa: PLW0603 - built once
    if _DUMPER is not None:
        return _DUMPER
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[valid-type,misc]
        pass

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        # Quote a string a reader could take for something else, under either
        # YAML version; PyYAML's own resolver knows only YAML 1.1.
        style = "'" if resolve_plain(value) is not value else None
        if "\n" in value:
            style = "|"
        return dumper.represent_scalar(_CORE + "str", value, style=style)

    def represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
        flow = len(value) <= 12 and all(
            (isinstance(v, str | int | float) and not isinstance(v, str))
            or (isinstance(v, str) and len(v) <= 24 and "\n" not in v)
            for v in value
        )
        return dumper.represent_sequence(_CORE + "seq", value, flow_style=flow and bool(value))

    Dumper.add_representer(str, represent_str)
    Dumper.add_representer(list, represent_list)
    _DUMPER = Dumper
    return Dumper
