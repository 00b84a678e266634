"""Malformed documents of every shape raise only forsvarlig errors, each with a path, each fast.

The acceptance: wrong types, missing fields, unknown keys, repeated keys,
non-UTF-8 bytes, 20,000-deep nesting, alias bombs, `!!python/object` tags and
empty files raise nothing but `forsvarlig` errors, every problem with a path,
each within a second.

The property tests start from valid documents (drawn with
`forsvarlig.testing`, turned into plain data with `to_dict`), break them in
one or two known places, write them as YAML and as JSON, and read them back
with the right type. The example tests feed the named hostile shapes to
`loads`, `load` and `load_catalogue`, timing each call. The last section
holds the defects found while writing this file, now fixed: each test shows
the behaviour required.
"""

from __future__ import annotations

import copy
import io
import json
import re
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st

from forsvarlig import (
    BandSet,
    Catalogue,
    CatalogueValidationError,
    Level,
    RiskBand,
    RiskMatrix,
    Scale,
    Text,
    ValidationError,
    default_catalogue,
    from_dict,
    load,
    load_catalogue,
    loads,
    to_dict,
)
from forsvarlig.testing import band_sets, catalogues, levels, risk_bands, risk_matrices, scales, texts

PathT = tuple[str | int, ...]

#: The issue's bound on the time to refuse any malformed document, in seconds.
TIME_LIMIT = 1.0
#: The issue's nesting depth.
DEEP = 20_000

CASES = [
    (texts(), Text),
    (levels(), Level),
    (scales(max_levels=4), Scale),
    (risk_bands(), RiskBand),
    (band_sets(max_bands=4), BandSet),
    (risk_matrices(max_levels=3), RiskMatrix),
    (catalogues(max_entries=2), Catalogue),
]
#: Examples per property test: half the profile's, since drawing valid matrices and catalogues is slow.
EXAMPLES = max(10, settings.default.max_examples // 2)

# ---------------------------------------------------------------------------
# What the schema says, as far as these tests need it.

#: Keys every mapping that has them requires (`bands` is optional only at a catalogue's top).
REQUIRED = frozenset(
    {"forsvarlig", "id", "rank", "kind", "label", "levels", "colour", "action", "bands"}
    | {"rows", "columns", "grid", "namespace", "version"}
)
#: Fields whose value is a `Text` (a mapping of language codes to strings).
TEXT_FIELDS = frozenset({"label", "description", "note", "action"})
#: Every key some document type knows.
FIELD_NAMES = frozenset(
    {a.alias or a.name for cls in (Level, Scale, RiskBand, BandSet, RiskMatrix) for a in attrs.fields(cls)}
    | {"forsvarlig", "namespace", "version", "scales", "bands", "matrices", "meta", "grid"}
)
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def fmt(path: PathT) -> str:
    """Render a path the documented way: `$.levels[1].rank`, `$['odd key']`."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _NAME_RE.match(part):
            out.append("." + part)
        else:
            out.append(f"[{part!r}]")
    return "".join(out)


def is_prefix(shorter: str, longer: str) -> bool:
    """Whether the rendered path `shorter` is `longer` or one of its ancestors."""
    return longer == shorter or (longer.startswith(shorter) and longer[len(shorter)] in ".[")


def category(value: Any) -> str:
    """The JSON type of a plain value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping"


# ---------------------------------------------------------------------------
# Walking and changing plain trees.


def walk(node: Any, path: PathT = (), free: bool = False) -> Iterator[tuple[PathT, Any, bool]]:
    """Yield `(path, node, free)` for every node; `free` nodes lie inside a `meta`, where anything goes."""
    yield path, node, free
    inner = free or (bool(path) and path[-1] == "meta")
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key), inner)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, i), inner)


def get(tree: Any, path: PathT) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def replaced(tree: Any, path: PathT, value: Any) -> Any:
    """Return a copy of `tree` with the node at `path` replaced."""
    if not path:
        return copy.deepcopy(value)
    out = copy.deepcopy(tree)
    get(out, path[:-1])[path[-1]] = copy.deepcopy(value)
    return out


def without(tree: Any, path: PathT) -> Any:
    """Return a copy of `tree` without the mapping key at `path`."""
    out = copy.deepcopy(tree)
    del get(out, path[:-1])[path[-1]]
    return out


def with_key(tree: Any, path: PathT, key: Any, value: Any) -> Any:
    """Return a copy of `tree` with `key: value` added to the mapping at `path`."""
    out = copy.deepcopy(tree)
    get(out, path)[key] = copy.deepcopy(value)
    return out


def is_text(tree: Any, path: PathT, cls: type) -> bool:
    """Whether the node at `path` is a `Text` (label, description, note, action, or an example)."""
    if not isinstance(get(tree, path), dict):
        return False
    if not path:
        return cls is Text
    if path[-1] in TEXT_FIELDS:
        return True
    return isinstance(path[-1], int) and len(path) >= 2 and path[-2] == "examples"


def siblings(tree: Any, path: PathT) -> list[str]:
    """The rendered path, and the same path through every other item of each list it passes."""
    out = {fmt(path)}
    for i, part in enumerate(path):
        if isinstance(part, int):
            for j in range(len(get(tree, path[:i]))):
                out.add(fmt((*path[:i], j, *path[i + 1 :])))
    return sorted(out)


def reported_at(tree: Any, path: PathT, cls: type) -> PathT:
    """Where a problem with the node at `path` is reported: there, a text's language included."""
    del tree, cls
    return path


# ---------------------------------------------------------------------------
# Writing plain trees as YAML and JSON, byte for byte under our control.


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


_PLAIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_YAML_WORDS = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf"})


def plain_key(key: str) -> bool:
    """Whether a string can be written as a plain YAML scalar meaning the same in YAML 1.1 and 1.2."""
    return bool(_PLAIN_RE.match(key)) and key.lower() not in _YAML_WORDS


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Quote anything a YAML 1.2 reader could take for a number, a boolean or null.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain_key(value) else '"')


_Dumper.add_representer(str, _represent_str)


def to_yaml(tree: Any) -> str:
    return yaml.dump(tree, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)


def to_json(tree: Any) -> str:
    return json.dumps(tree, ensure_ascii=False, indent=2)


# Characters YAML does not allow raw in a document (JSON allows some of them raw in strings).
_NOT_PRINTABLE_RE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def key_text(key: str) -> str:
    """How a key is written in YAML: plain where that is safe, else double-quoted with escapes."""
    if plain_key(key):
        return key
    quoted = json.dumps(key, ensure_ascii=False)
    return _NOT_PRINTABLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


# ---------------------------------------------------------------------------
# Reading, and what every failure must look like.


class _TookTooLong(Exception):  # noqa: N818 - raised by our alarm, never by forsvarlig
    pass


def _alarm(signum: int, frame: Any) -> None:
    msg = f"interrupted after {TIME_LIMIT * 1.5:g} s"
    raise _TookTooLong(msg)


def attempt(call: Callable[[], Any]) -> ValidationError | None:
    """Run a read; return None if it succeeded, else its `ValidationError` (anything else fails the test)."""
    caught: BaseException | None = None
    try:
        call()
    except _TookTooLong:
        raise
    except BaseException as exc:  # noqa: BLE001 - anything at all must be a forsvarlig error
        caught = exc
    if caught is None:
        return None
    kind = f"{type(caught).__module__}.{type(caught).__qualname__}"
    # No exception of yaml, cattrs, attrs or the standard library gets out: only forsvarlig's own.
    if not type(caught).__module__.startswith("forsvarlig"):
        raise AssertionError(f"{kind} escaped: {caught!r}") from caught
    if not isinstance(caught, ValidationError):
        raise AssertionError(f"{kind} is not a ValidationError: {caught!r}") from caught  # noqa: TRY004
    check_problems(caught)
    return caught


def check_problems(exc: ValidationError, source: str | None = None) -> None:
    """Every problem has a path starting with `$`, a message, a code, and the source named."""
    assert exc.problems, "a ValidationError with no problems"
    for p in exc.problems:
        assert isinstance(p.path, str), p
        assert p.path.startswith("$"), p
        assert isinstance(p.message, str), p
        assert p.message, p
        assert isinstance(p.code, str), p
        assert p.code, p
        if source is not None:
            assert p.source == source, p


def paths(exc: ValidationError | None) -> list[str]:
    return [] if exc is None else [p.path for p in exc.problems]


def found(exc: ValidationError | None) -> list[tuple[str, str]]:
    return [] if exc is None else sorted((p.path, p.code) for p in exc.problems)


def read_all(
    tree: Any, cls: type
) -> tuple[ValidationError | None, ValidationError | None, ValidationError | None]:
    """Read a tree as YAML text, as JSON text and as plain data."""
    y = attempt(lambda: loads(to_yaml(tree), cls, format="yaml"))
    j = attempt(lambda: loads(to_json(tree), cls, format="json"))
    d = attempt(lambda: from_dict(copy.deepcopy(tree), cls))
    return y, j, d


def check_lines(exc: ValidationError | None) -> None:
    """Problems in YAML whose document parsed to a mapping carry a line and a column."""
    if exc is not None:
        for p in exc.problems:
            assert p.line is not None, p
            assert p.column is not None, p


def located_unless_top(exc: ValidationError) -> None:
    """In YAML, a problem below the top of the document carries its line."""
    for p in exc.problems:
        if p.path != "$":
            assert p.line is not None, p


def check_at(exc: ValidationError | None, where: str) -> None:
    """A problem is reported at exactly `where`."""
    assert exc is not None, f"nothing reported; expected a problem at {where}"
    assert where in paths(exc), f"no problem at {where}: {paths(exc)}"


# ---------------------------------------------------------------------------
# Strategies: documents, places in them, and values to put there.


@st.composite
def documents(draw: st.DrawFn, cases: list[tuple[Any, type]] = CASES) -> tuple[type, Any]:
    """A valid document as plain data, with the type that reads it."""
    strategy, cls = draw(st.sampled_from(cases))
    return cls, to_dict(draw(strategy))


#: Values of every JSON type, the awkward ones first.
ODD_VALUES = [
    None,
    True,
    False,
    "false",
    "1",
    "",
    " ",
    0,
    7,
    -1,
    1.9,
    1e300,
    [],
    ["x"],
    [1, None],
    {},
    {"k": 1},
    "x" * 300,
    "\u00e6\u00f8\u00e5 \U0001f600",
]
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
ANY_VALUE = st.sampled_from(ODD_VALUES) | st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
#: Keys no type knows and no `Text` would take for a language.
UNKNOWN_KEYS = st.one_of(
    st.sampled_from(["unknown", "levls", "Label", "id ", "_id", "rank_", "x.y", "$", "[0]", "1", "null"]),
    st.text(min_size=1, max_size=10),
).filter(lambda k: k not in FIELD_NAMES and not LANGUAGE_RE.match(k))
INTERESTING_BYTES = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x80, 0xC0, 0xC3, 0xED, 0xEF, 0xFE, 0xFF]
INTERESTING_BYTES += list(b"\"'{}[]:,-?|>&*!%#@`~\\ ")


def definitely_wrong(original: Any, value: Any) -> bool:
    """Whether `value` can never stand where `original` stood outside a `meta` (null may: optional fields)."""
    if value is None:
        return False
    if category(value) != category(original):
        return True
    return type(original) is int and isinstance(value, float) and not value.is_integer()


# ---------------------------------------------------------------------------
# 1. Property tests: valid documents, broken in known places.


class TestMissingKeys:
    @settings(max_examples=EXAMPLES)
    @given(data=st.data())
    def test_deleted_key(self, data):
        """Deleting a required key anywhere is reported there; deleting any key reads or is reported nearby, in every format alike."""
        cls, tree = data.draw(documents())
        keys = [(p, free) for p, _, free in walk(tree) if p and isinstance(get(tree, p[:-1]), dict)]
        assume(keys)
        path, free = data.draw(st.sampled_from(keys))
        note(f"deleting {fmt(path)}")
        broken = without(tree, path)
        y, j, d = read_all(broken, cls)
        event("refused" if y else "read")
        check_lines(y)
        assert found(y) == found(j) == found(d)
        parent = path[:-1]
        if free:
            return
        if parent and parent[-1] == "grid":
            # A matrix without one of its rows.
            check_at(y, fmt(parent))
        elif path == ("forsvarlig",):
            check_at(y, "$")
        elif path[-1] in REQUIRED and not (cls is Catalogue and path == ("bands",)):
            check_at(y, fmt(path))
            assert "missing" in {p.code for p in y.problems if p.path == fmt(path)}, y.problems
        elif y is not None and not (cls is Catalogue and len(path) == 1):
            # An optional field, or one language of a text: harmless, or a problem at or above it,
            # or, where every item of a list must agree (bounds on every level or none), at a sibling.
            assert any(is_prefix(p, s) for p in paths(y) for s in siblings(tree, path)), (fmt(path), paths(y))


class TestWrongTypes:
    @settings(max_examples=EXAMPLES)
    @given(data=st.data())
    def test_replaced_value(self, data):
        """A value of another JSON type anywhere is reported at exactly that place, in YAML, JSON and data alike."""
        cls, tree = data.draw(documents())
        nodes = list(walk(tree))
        path, original, free = data.draw(st.sampled_from(nodes))
        value = data.draw(ANY_VALUE)
        note(f"{fmt(path)}: {original!r} -> {value!r}")
        broken = replaced(tree, path, value)
        y, j, d = read_all(broken, cls)
        if isinstance(broken, dict | list):
            check_lines(y)
        assert found(y) == found(j) == found(d)
        event("refused" if y else "read")
        if free or not definitely_wrong(original, value):
            # Inside meta anything goes; a null may fill an optional field; a number may be out of range.
            return
        event("definitely wrong")
        check_at(y, fmt(reported_at(tree, path, cls)))

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (("levels", 1, "rank"), "2"),
            (("levels", 1, "rank"), 1.9),
            (("levels", 1, "rank"), True),
            (("levels", 0, "id"), None),
            (("levels", 0, "id"), 12),
            (("verified",), "false"),
            (("verified",), 0),
            (("levels",), "rarely, weekly"),
            (("levels", 0), ["rarely"]),
            (("label",), ["Hvor ofte", "How often"]),
            (("label", "nb"), None),
            (("kind",), {"frequency": True}),
            (("levels", 2, "bounds"), "24-150"),
            (("levels", 2, "bounds", 1), "150"),
            (("sources",), "a source"),
        ],
    )
    def test_named_wrong_types(self, path, value):
        """The wrong types the issue names are refused at their place, with a line, never coerced."""
        tree = replaced(to_dict(default_catalogue().scale("fv.talk-frequency")), path, value)
        text = to_yaml(tree)
        exc = attempt(lambda: loads(text, Scale, source="s.yaml"))
        check_at(exc, fmt(reported_at(tree, path, Scale)))
        check_lines(exc)
        assert {p.source for p in exc.problems} == {"s.yaml"}
        assert found(attempt(lambda: loads(to_json(tree), Scale))) == found(exc)


class TestUnknownKeys:
    @settings(max_examples=EXAMPLES)
    @given(data=st.data())
    def test_inserted_key(self, data):
        """An unknown key added to any mapping outside meta is reported at that key (in a text, too)."""
        cls, tree = data.draw(documents())
        mappings = [(p, node, free) for p, node, free in walk(tree) if isinstance(node, dict)]
        path, node, free = data.draw(st.sampled_from(mappings))
        free = free or (bool(path) and path[-1] == "meta")
        key = data.draw(UNKNOWN_KEYS.filter(lambda k: k not in node))
        value = data.draw(ANY_VALUE)
        note(f"adding {key!r}: {value!r} at {fmt(path)}")
        broken = with_key(tree, path, key, value)
        y, j, d = read_all(broken, cls)
        check_lines(y)
        assert found(y) == found(j) == found(d)
        if free:
            # `meta` holds any JSON under any string key.
            return
        check_at(y, fmt((*path, key)))


class TestRepeatedKeys:
    SENTINEL = "zzrepeatedkeyzz"

    @settings(max_examples=EXAMPLES)
    @given(data=st.data())
    def test_repeated_key_in_yaml(self, data):
        """A key repeated in any YAML mapping, even with the same value, is refused at that mapping and line."""
        cls, tree = data.draw(documents())
        places = [
            (p, key)
            for p, node, _ in walk(tree)
            if isinstance(node, dict)
            for key in node
            if isinstance(key, str) and "\n" not in key
        ]
        assume(places)
        path, key = data.draw(st.sampled_from(places))
        note(f"repeating {key!r} in {fmt(path)}")
        broken = with_key(tree, path, self.SENTINEL, get(tree, (*path, key)))
        text = to_yaml(broken)
        assert text.count(self.SENTINEL) == 1
        at = text.index(self.SENTINEL)
        line = text.count("\n", 0, at) + 1
        text = text.replace(self.SENTINEL, key_text(key))
        exc = attempt(lambda: loads(text, cls, format="yaml"))
        assert exc is not None, "a repeated key was accepted"
        (problem,) = exc.problems
        assert (problem.path, problem.code, problem.line) == (fmt(path), "duplicate-key", line)


class TestBrokenText:
    @settings(max_examples=EXAMPLES)
    @given(data=st.data())
    def test_truncated(self, data):
        """A document cut off anywhere, even inside a UTF-8 sequence, reads or raises a ValidationError."""
        cls, tree = data.draw(documents())
        for fmt_name, text in (("yaml", to_yaml(tree)), ("json", to_json(tree))):
            raw = text.encode("utf-8")
            cut = data.draw(st.integers(0, len(raw) - 1), label=f"{fmt_name} cut")
            exc = attempt(lambda: loads(raw[:cut], cls, format=fmt_name))  # noqa: B023 - called at once
            event(f"{fmt_name} {'refused' if exc else 'read'}")
            if fmt_name == "json":
                assert exc is not None, "truncated JSON was accepted"
            elif exc is not None:
                located_unless_top(exc)

    @settings(max_examples=EXAMPLES)
    @given(data=st.data())
    def test_corrupted_bytes(self, data):
        """Random bytes flipped, inserted or deleted, invalid UTF-8 included, give a ValidationError or a value."""
        cls, tree = data.draw(documents())
        for fmt_name, text in (("yaml", to_yaml(tree)), ("json", to_json(tree))):
            raw = bytearray(text.encode("utf-8"))
            edits = data.draw(st.integers(1, 4), label=f"{fmt_name} edits")
            for _ in range(edits):
                at = data.draw(st.integers(0, len(raw)))
                op = data.draw(st.sampled_from(["replace", "insert", "delete"]))
                byte = data.draw(st.sampled_from(INTERESTING_BYTES) | st.integers(0, 255))
                if op == "insert" or at == len(raw):
                    raw.insert(at, byte)
                elif op == "replace":
                    raw[at] = byte
                else:
                    del raw[at]
            note(f"{fmt_name}: {bytes(raw)!r}")
            exc = attempt(lambda: loads(bytes(raw), cls, format=fmt_name))  # noqa: B023 - called at once
            event(f"{fmt_name} {', '.join(sorted({p.code for p in exc.problems})) if exc else 'read'}")
            if exc is not None and fmt_name == "yaml":
                located_unless_top(exc)


class TestEveryProblem:
    @settings(max_examples=EXAMPLES)
    @given(data=st.data())
    def test_two_mutations_both_reported(self, data):
        """Two wrong types in unrelated places are both reported, in YAML, JSON and data alike."""
        cls, tree = data.draw(documents([c for c in CASES if c[1] is not Text]))
        candidates = [
            (p, node)
            for p, node, free in walk(tree)
            if p and not free and p != ("forsvarlig",) and reported_at(tree, p, cls)
        ]
        first, first_node = data.draw(st.sampled_from(candidates))
        e1 = fmt(reported_at(tree, first, cls))
        others = [
            (p, node)
            for p, node in candidates
            if not is_prefix(fmt(p), fmt(first))
            and not is_prefix(fmt(first), fmt(p))
            and not is_prefix(fmt(reported_at(tree, p, cls)), e1)
            and not is_prefix(e1, fmt(reported_at(tree, p, cls)))
        ]
        assume(others)
        second, second_node = data.draw(st.sampled_from(others))
        e2 = fmt(reported_at(tree, second, cls))
        v1 = data.draw(st.sampled_from([v for v in ODD_VALUES if definitely_wrong(first_node, v)]))
        v2 = data.draw(st.sampled_from([v for v in ODD_VALUES if definitely_wrong(second_node, v)]))
        note(f"{fmt(first)} -> {v1!r}; {fmt(second)} -> {v2!r}")
        broken = replaced(replaced(tree, first, v1), second, v2)
        for exc in read_all(broken, cls):
            check_at(exc, e1)
            check_at(exc, e2)


# ---------------------------------------------------------------------------
# 2. The named hostile shapes, through every way in, each within a second.


def _laughs(open_: str, close: str, item: Callable[[int, str], str]) -> bytes:
    """A billion laughs: nine levels of anchors, each aliasing the one before nine times."""
    lines = [f"a: &a {open_}" + ", ".join(item(i, '"lol"') for i in range(9)) + close]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} {open_}" + ", ".join(item(i, f"*{prev}") for i in range(9)) + close)
    return "\n".join(lines).encode()


def _with_catalogue_head(body: str) -> bytes:
    return ("forsvarlig: catalogue/1\nnamespace: acme\nversion: '1'\n" + body).encode()


#: (id, bytes, format the bytes are in (None: either), the codes `loads` may report).
#: A YAML document whose top node is a list is refused at its first event ("type"):
#: no document type is a list.
SHAPES = [
    # 20,000-deep nesting, flow and block, YAML and JSON, closed and not.
    ("deep-flow-sequence", b"[" * DEEP + b"]" * DEEP, "yaml", {"too-deep", "type"}),
    ("deep-flow-mapping", b"{a: " * DEEP + b"1" + b"}" * DEEP, "yaml", {"too-deep"}),
    ("deep-flow-mixed", b"[{a: " * (DEEP // 2) + b"1" + b"}]" * (DEEP // 2), "yaml", {"too-deep", "type"}),
    ("deep-flow-unclosed", b"[" * DEEP, "yaml", {"too-deep", "syntax", "type"}),
    ("deep-block-sequence", b"- " * DEEP + b"x\n", "yaml", {"too-deep", "type"}),
    ("deep-block-in-flow", b"- [" * DEEP + b"\n", "yaml", {"too-deep", "syntax", "type"}),
    ("deep-json-array", b"[" * DEEP + b"]" * DEEP, "json", {"too-deep"}),
    ("deep-json-object", b'{"a": ' * DEEP + b"1" + b"}" * DEEP, "json", {"too-deep"}),
    ("deep-json-unclosed", b'{"a": [' * (DEEP // 2), "json", {"too-deep", "syntax"}),
    (
        "deep-in-meta",
        _with_catalogue_head("meta:\n  x: " + "[" * DEEP + "]" * DEEP + "\n"),
        "yaml",
        {"too-deep"},
    ),
    # Alias bombs.
    ("billion-laughs", _laughs("[", "]", lambda _, v: v), "yaml", {"alias"}),
    ("billion-laughs-mappings", _laughs("{", "}", lambda i, v: f"k{i}: {v}"), "yaml", {"alias"}),
    ("alias-of-a-big-anchor", b"a: &a [" + b"x, " * 9_000 + b"x]\nb: [*a, *a, *a, *a]\n", "yaml", {"alias"}),
    ("many-aliases", b"a: &a [x, x]\nb: [" + b"*a, " * 50_000 + b"*a]\n", "yaml", {"alias"}),
    (
        "laughs-in-meta",
        _with_catalogue_head(
            "meta:\n  " + _laughs("[", "]", lambda _, v: v).decode().replace("\n", "\n  ") + "\n"
        ),
        "yaml",
        {"alias"},
    ),
    ("recursive-alias", b"a: &a [*a]\n", "yaml", {"alias"}),
    ("undefined-alias", b"a: *nowhere\n", "yaml", {"alias"}),
    # Tags that would run or build Python objects, and other tags.
    ("python-object", b"!!python/object:os.system {}\n", "yaml", {"tag"}),
    ("python-object-apply", b"!!python/object/apply:os.system ['echo pwned']\n", "yaml", {"tag"}),
    (
        "python-object-apply-in-value",
        _with_catalogue_head("meta: !!python/object/apply:os.system ['echo pwned']\n"),
        "yaml",
        {"tag"},
    ),
    ("python-object-new", b"x: !!python/object/new:subprocess.Popen [[echo, pwned]]\n", "yaml", {"tag"}),
    ("python-name", b"id: !!python/name:os.system\n", "yaml", {"tag"}),
    ("python-module", b"id: !!python/module:os\n", "yaml", {"tag"}),
    ("python-tuple", b"bounds: !!python/tuple [0, 1]\n", "yaml", {"tag"}),
    (
        "python-by-tag-directive",
        b"%TAG !p! tag:yaml.org,2002:python/\n---\nid: !p!name:os.system\n",
        "yaml",
        {"tag"},
    ),
    ("python-verbatim-tag", b"id: !<tag:yaml.org,2002:python/name:os.system> x\n", "yaml", {"tag"}),
    ("custom-tag", b"id: !custom x\n", "yaml", {"tag"}),
    ("custom-tag-on-mapping", b"!Scale {id: acme.x}\n", "yaml", {"tag"}),
    ("foreign-tag-directive", b"%TAG !e! tag:evil.example,2000:\n---\nid: !e!thing x\n", "yaml", {"tag"}),
    ("binary-tag", b"id: !!binary aGVsbG8=\n", "yaml", {"tag"}),
    ("set-tag", b"levels: !!set {a, b}\n", "yaml", {"tag"}),
    ("bad-core-tag", b"rank: !!int one\n", "yaml", {"syntax"}),
    # Nothing, or nothing useful.
    ("empty", b"", None, {"type"}),
    ("whitespace", b"  \n\n   \n \r\n", None, {"type"}),
    ("whitespace-with-tab", b"  \n\t\n", None, {"syntax"}),
    ("comment-only", b"# nothing but a comment\n", None, {"type"}),
    ("document-markers", b"---\n...\n", "yaml", {"type"}),
    ("null", b"null\n", None, {"type"}),
    ("tilde", b"~\n", "yaml", {"type"}),
    ("bom-only", b"\xef\xbb\xbf", None, {"type"}),
    ("top-block-list", b"- forsvarlig: catalogue/1\n- id: acme.x\n", "yaml", {"type"}),
    ("top-flow-list", b"[1, 2, 3]\n", None, {"type"}),
    ("top-string", b"hello\n", "yaml", {"type"}),
    ("top-quoted-tag", b'"forsvarlig: catalogue/1"\n', None, {"type"}),
    ("top-integer", b"12\n", None, {"type"}),
    ("top-float", b"1.5\n", None, {"type"}),
    ("top-boolean", b"true\n", None, {"type"}),
    ("only-the-tag", b"forsvarlig: catalogue/1\n", "yaml", {"missing"}),
    ("only-the-tag-json", b'{"forsvarlig": "catalogue/1"}', "json", {"missing"}),
    # Bytes that are not UTF-8 text.
    (
        "latin-1",
        "forsvarlig: catalogue/1\nnamespace: bl\u00e5b\u00e6r\n".encode("latin-1"),
        "yaml",
        {"encoding"},
    ),
    ("invalid-start-bytes", b"\xff\xfe\xfd", None, {"encoding"}),
    ("truncated-sequence", b"id: \xc3", "yaml", {"encoding"}),
    ("encoded-surrogate", b"id: \xed\xa0\x80\n", "yaml", {"encoding"}),
    ("overlong-encoding", b"id: \xc0\xaf\n", "yaml", {"encoding"}),
    ("utf-16", "forsvarlig: catalogue/1\n".encode("utf-16"), None, {"encoding"}),
    ("utf-16-le", "forsvarlig: catalogue/1\n".encode("utf-16-le"), None, {"encoding", "syntax"}),
    ("utf-16-be", '{"forsvarlig": "catalogue/1"}'.encode("utf-16-be"), None, {"encoding", "syntax"}),
    ("utf-32", "forsvarlig: catalogue/1\n".encode("utf-32"), None, {"encoding"}),
    ("nul-byte", b"forsvarlig: catalogue/1\x00\n", "yaml", {"syntax"}),
    ("nul-only", b"\x00", None, {"syntax"}),
    ("nul-many", b"\x00" * 100_000, None, {"syntax"}),
    ("nul-in-json", b'{"forsvarlig": "catalogue/1\x00"}', "json", {"syntax"}),
    ("control-characters", b"id: \x1b[31mred\x1b[0m\n", "yaml", {"syntax"}),
    # Extremely long lines.
    (
        "long-value-line",
        b"id: " + b"x" * 4_000_000 + b"\n",
        "yaml",
        {"type", "unknown-key", "missing", "schema"},
    ),
    ("long-key-line", b"x" * 4_000_000 + b": 1\n", "yaml", {"syntax"}),
    ("long-flow-line", b"[" + b"1, " * 50_000 + b"1]\n", None, {"type"}),
    (
        "long-json-line",
        b'{"id": "' + b"x" * 4_000_000 + b'"}',
        "json",
        {"type", "unknown-key", "missing", "schema"},
    ),
    # Broken structure.
    ("two-documents", b"forsvarlig: catalogue/1\n---\nforsvarlig: catalogue/1\n", "yaml", {"syntax"}),
    (
        "repeated-key",
        b"forsvarlig: catalogue/1\nnamespace: a\nnamespace: b\nversion: '1'\n",
        "yaml",
        {"duplicate-key"},
    ),
    ("repeated-tag", b"forsvarlig: catalogue/1\nforsvarlig: catalogue/1\n", "yaml", {"duplicate-key"}),
    ("newer-tag", b"forsvarlig: catalogue/2\nnamespace: a\nversion: '1'\n", "yaml", {"schema-version"}),
    ("unknown-kind", b"forsvarlig: audit/1\n", "yaml", {"schema"}),
    ("unclosed-flow", b"forsvarlig: catalogue/1\nnamespace: [a\n", "yaml", {"syntax"}),
    ("tab-indent", b"forsvarlig: catalogue/1\n\tnamespace: a\n", "yaml", {"syntax"}),
    ("mapping-as-key", b"? {a: 1}\n: x\n", "yaml", {"syntax"}),
    ("json-nan", b'{"forsvarlig": "catalogue/1", "namespace": NaN}', "json", {"syntax"}),
    ("json-trailing-garbage", b'{"forsvarlig": "catalogue/1"} {}', "json", {"syntax"}),
]
SHAPE_PARAMS = [pytest.param(data, fmt_name, codes, id=name) for name, data, fmt_name, codes in SHAPES]
#: What the shapes are read as: by their tag, and as a plain type and a document type named.
TARGETS = [None, Scale, RiskMatrix, Catalogue]


def timed(call: Callable[[], Any]) -> ValidationError:
    """Run a read that must fail; return its error, checked, after checking it took under a second."""
    start = time.perf_counter()
    exc = attempt(call)
    elapsed = time.perf_counter() - start
    assert exc is not None, "a malformed document was accepted"
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"
    return exc


def suffix(fmt_name: str | None) -> str:
    return ".json" if fmt_name == "json" else ".yaml"


class TestHostileShapes:
    @pytest.mark.parametrize(("data", "fmt_name", "codes"), SHAPE_PARAMS)
    def test_loads(self, data, fmt_name, codes):
        """`loads` refuses each shape, as bytes and as text, whatever type is asked for."""
        for target in TARGETS:
            exc = timed(lambda: loads(data, target, source="in"))  # noqa: B023 - called at once
            check_problems(exc, "in")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            check_problems(timed(lambda: loads(text, target)))  # noqa: B023

    @pytest.mark.parametrize(("data", "fmt_name", "codes"), SHAPE_PARAMS)
    def test_codes(self, data, fmt_name, codes):
        """Read in its own format, each shape is refused for the reason it was made for."""
        exc = timed(lambda: loads(data, format=fmt_name))
        assert {p.code for p in exc.problems} <= codes, exc.problems

    @pytest.mark.parametrize(("data", "fmt_name", "codes"), SHAPE_PARAMS)
    def test_load_file(self, data, fmt_name, codes, tmp_path):
        """`load` refuses each shape from a file, and every problem names the file."""
        path = tmp_path / f"doc{suffix(fmt_name)}"
        path.write_bytes(data)
        for target in TARGETS:
            check_problems(timed(lambda: load(path, target)), str(path))  # noqa: B023
        check_problems(timed(lambda: load(str(path))), str(path))

    @pytest.mark.parametrize(("data", "fmt_name", "codes"), SHAPE_PARAMS)
    def test_load_binary_stream(self, data, fmt_name, codes, tmp_path):
        """`load` refuses each shape from a binary stream, named or not."""
        for target in TARGETS:
            timed(lambda: load(io.BytesIO(data), target))  # noqa: B023
        path = tmp_path / f"doc{suffix(fmt_name)}"
        path.write_bytes(data)
        with path.open("rb") as stream:
            check_problems(timed(lambda: load(stream)), str(path))

    @pytest.mark.parametrize(("data", "fmt_name", "codes"), SHAPE_PARAMS)
    def test_load_catalogue(self, data, fmt_name, codes, tmp_path):
        """`load_catalogue` refuses each shape as a layer, alone or on the built-in one."""
        path = tmp_path / f"layer{suffix(fmt_name)}"
        path.write_bytes(data)
        for builtin in (False, True):
            exc = timed(lambda: load_catalogue(path, builtin=builtin))  # noqa: B023
            assert isinstance(exc, CatalogueValidationError)
            check_problems(exc, str(path))
        exc = timed(lambda: load_catalogue(tmp_path, builtin=False))
        assert isinstance(exc, CatalogueValidationError)


class TestDeepBlockMapping:
    def test_block_mapping_20000_deep(self):
        """A block mapping nested 20,000 deep (one space per level, 200 MB) is refused at depth 65."""
        text = "".join(" " * i + "a:\n" for i in range(DEEP))
        exc = timed(lambda: loads(text, Scale))
        (problem,) = exc.problems
        assert problem.code == "too-deep"
        assert problem.path == "$" + ".a" * 64
        assert problem.line == 65


class TestManyNodes:
    def test_many_nodes_within_a_second(self):
        """A 3 MB YAML line of a million flow items, which no type takes, is refused within a second."""
        data = b"[" + b"1, " * 1_000_000 + b"1]\n"
        # Interrupt the read after the bound (with some slack) rather than wait for it.
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT * 1.5)
        try:
            exc = timed(lambda: loads(data, Scale, format="yaml"))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        assert {p.code for p in exc.problems} == {"type"}


# ---------------------------------------------------------------------------
# 3. Defects found while writing this file: each shows what should happen.


def _level_yaml(rank: str) -> str:
    return f"id: a\nrank: {rank}\nlabel: {{en: x}}\n"


class TestFoundDefects:
    """Defects found while writing this file, fixed; each test shows the behaviour now required."""

    @pytest.mark.parametrize(
        ("text", "cls"),
        [
            ('{"nb": "Daglig", "nb": "Ukentlig"}', Text),
            ('{"forsvarlig": "catalogue/1", "namespace": "acme", "namespace": "evil", "version": "1"}', None),
        ],
        ids=["text", "catalogue"],
    )
    def test_repeated_key_in_json(self, text, cls):
        """A key repeated in a JSON mapping is refused, as in YAML, at that mapping."""
        exc = attempt(lambda: loads(text, cls, format="json"))
        assert exc is not None, "a repeated key was accepted"
        assert [(p.path, p.code) for p in exc.problems] == [("$", "duplicate-key")]

    @pytest.mark.parametrize(
        ("data", "fmt_name"),
        [
            (_level_yaml("9" * 5000), "yaml"),
            ('{"id": "a", "rank": ' + "9" * 5000 + ', "label": {"en": "x"}}', None),
        ],
        ids=["yaml", "sniffed-json"],
    )
    def test_huge_integer(self, data, fmt_name):
        """An integer too long to convert is a ValidationError at its place, not a ValueError."""
        exc = attempt(lambda: loads(data, Level, format=fmt_name))
        assert exc is not None
        assert "$.rank" in paths(exc)

    def test_lone_surrogate_in_text(self):
        """Text that is not valid Unicode is a ValidationError, as bytes that are not UTF-8 are."""
        attempt(lambda: loads("nb: caf\udce9\n", Text))

    def test_lone_surrogate_escape_in_json(self):
        """A JSON string escaping a lone surrogate is refused, as its YAML twin is."""
        assert attempt(lambda: loads('nb: "\\ud800"', Text)) is not None
        assert attempt(lambda: loads('{"nb": "\\ud800"}', Text)) is not None

    @pytest.mark.parametrize(
        ("data", "line", "column"),
        [
            (b"forsvarlig: catalogue/1\nnamespace: a\x00\n", 2, 13),
            (b"id: \x1b[31m\n", 1, 5),
            ("forsvarlig: catalogue/1\n".encode("utf-16-le"), 1, 2),
        ],
        ids=["nul", "escape", "utf-16-le"],
    )
    def test_control_character_located(self, data, line, column):
        """A character YAML does not allow is reported at its line and column."""
        exc = attempt(lambda: loads(data, format="yaml"))
        assert exc is not None
        assert [(p.line, p.column) for p in exc.problems] == [(line, column)]

    @pytest.mark.parametrize("text", ["hello\n", "12\n", "\n\n  'forsvarlig: catalogue/1'\n"])
    def test_top_level_scalar_located(self, text):
        """A document that is a single scalar is refused at that scalar's line."""
        exc = attempt(lambda: loads(text, Scale, format="yaml"))
        assert exc is not None
        assert all(p.line is not None for p in exc.problems), exc.problems

    @pytest.mark.parametrize("field", ["bounds", "value"])
    def test_odd_level_out_is_named(self, field):
        """When one level of four lacks the bounds (or value) every other level has, that level is named."""
        tree = to_dict(default_catalogue().scale("fv.talk-frequency"))
        for i, level in enumerate(tree["levels"]):
            level["value"] = float(i + 1)
        del tree["levels"][0][field]
        exc = attempt(lambda: loads(to_yaml(tree), Scale))
        assert exc is not None
        assert paths(exc) == [f"$.levels[0].{field}"]

    def test_every_file_reported(self, tmp_path):
        """`load_catalogue` over several malformed files lists the problems of each."""
        (tmp_path / "a.yaml").write_bytes(b"forsvarlig: catalogue/1\nnamespace: a\n")
        (tmp_path / "b.yaml").write_bytes(b"forsvarlig: catalogue/1\nnamespace: b\nversion: 1\n")
        (tmp_path / "c.json").write_bytes(b"\xff")
        exc = timed(lambda: load_catalogue(tmp_path, builtin=False))
        assert {p.source for p in exc.problems} == {str(tmp_path / n) for n in ("a.yaml", "b.yaml", "c.json")}

    @pytest.mark.parametrize("key", ["~", "null", "true", "1", "1.5", "-.inf"])
    def test_non_string_key_located(self, key):
        """An unknown key that YAML reads as null, a boolean or a number is reported at its own line."""
        exc = attempt(lambda: loads(_level_yaml("1") + f"{key}: x\n", Level))
        assert exc is not None
        assert [(p.code, p.line) for p in exc.problems] == [("unknown-key", 4)]


class TestOddKeys:
    @pytest.mark.parametrize(
        "key", ["~", "null", "true", "1", "1.5", "-.inf", "2026-01-01", "'1'", "''", "'a b'"]
    )
    def test_scalar_keys(self, key):
        """Keys that are not plain names (null, booleans, numbers, quoted strings) are refused with a path and a line."""
        exc = attempt(lambda: loads(_level_yaml("1") + f"{key}: x\n", Level))
        assert exc is not None
        assert [p.code for p in exc.problems] == ["unknown-key"]
        check_lines(exc)

    @pytest.mark.parametrize("key", ["~", "true", "1", "[1]", "{a: 1}"])
    def test_odd_keys_in_meta(self, key):
        """In `meta`, which holds JSON, a key that is not a string is refused at that mapping."""
        text = _level_yaml("1") + f"meta:\n  ok: 1\n  {key}: x\n"
        exc = attempt(lambda: loads(text, Level))
        assert exc is not None
        assert [p.path for p in exc.problems] == ["$.meta"]
        check_lines(exc)
