"""The catalogue: scales, band sets and matrices, by id, in layers.

A catalogue is built from one or more catalogue files (`forsvarlig:
catalogue/1`), each holding entries of one namespace. The built-in layer
(namespace `fv`) ships inside the package; an integrator stacks files of
their own namespace on top with `load_catalogue`. A built catalogue is
immutable: building another returns a new one.

Examples:
    >>> from forsvarlig import default_catalogue
    >>> cat = default_catalogue()
    >>> cat.scale("fv.talk-frequency").kind.value
    'frequency'
    >>> cat.matrix("fv.talk-frequency-by-consequence").shape
    (4, 3)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

from forsvarlig import _serial
from forsvarlig._ids import check_id, check_slug, namespace_of
from forsvarlig._serial import FieldError, Meta, Positions
from forsvarlig.errors import (
    CatalogueValidationError,
    DuplicateEntryError,
    Problem,
    UnknownReferenceError,
    ValidationError,
    close_matches,
    did_you_mean,
)
from forsvarlig.matrix import BandSet, RiskMatrix, file_form, grid_from_rows
from forsvarlig.scales import Scale
from forsvarlig.text import Text

__all__ = ["CATALOGUE_SCHEMA", "Catalogue", "Method", "default_catalogue", "load_catalogue"]

#: The schema tag of a catalogue file.
CATALOGUE_SCHEMA: Final = "catalogue/1"

_SUFFIXES: Final = (".yaml", ".yml", ".json")
_SECTIONS: Final = ("scales", "bands", "matrices", "methods")
E = TypeVar("E")


@attrs.frozen(kw_only=True)
class _MatrixEntry:
    id: str
    label: Text
    rows: str
    columns: str
    bands: str
    grid: dict[str, tuple[str, ...]]
    description: Text | None = None
    note: Text | None = None
    sources: tuple[str, ...] = ()
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        for name in ("rows", "columns", "bands"):
            check_id(name, getattr(self, name))


@attrs.frozen(kw_only=True, hash=False)
class Method:
    """A scoring method: a strategy, by name, configured with data.

    The strategy's factory reads `params` and the catalogue (the matrix,
    scales and bands they name) and returns a configured
    `forsvarlig.scoring.ScoringStrategy`; `forsvarlig.scoring.scorer` does
    that. A method's `version` changes whenever its data would score the
    same levels differently, so a stored score names what made it.

    Args:
        id: The method's id (`fv.matrix-5x5`).
        label: Its name for people.
        strategy: The name of the strategy it configures (`matrix`,
            `product`, `fine-kinney`, or a plugin's).
        version: The version of this method's data, 1 or more.
        params: The strategy's configuration, JSON values.
        description: A longer explanation.
        note: Where it comes from and what is forsvarlig's own.
        sources: Where the method is documented.
        meta: An integrator's own fields, JSON values, kept verbatim.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> m = default_catalogue().method("fv.matrix-5x5")
        >>> m.strategy, m.version, m.params
        ('matrix', 1, {'matrix': 'fv.likelihood-by-consequence-5'})

    Added in version 0.1.
    """

    id: str
    label: Text
    strategy: str
    version: int
    params: Meta = attrs.field(factory=dict)
    description: Text | None = None
    note: Text | None = None
    sources: tuple[str, ...] = ()
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_id("id", self.id)
        check_slug("strategy", self.strategy)
        if self.version.__class__ is not int or self.version < 1:
            raise FieldError(
                "version", f"a method's version is a whole number, 1 or more, got {self.version!r}"
            )


@attrs.frozen(kw_only=True)
class _CatalogueFile:
    namespace: str
    version: str
    scales: tuple[Scale, ...] = ()
    bands: tuple[BandSet, ...] = ()
    matrices: tuple[_MatrixEntry, ...] = ()
    methods: tuple[Method, ...] = ()
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        from forsvarlig._ids import NAMESPACE_RE

        if not NAMESPACE_RE.match(self.namespace):
            msg = f"{self.namespace!r} is not a namespace (lowercase letters, digits, hyphens)"
            raise FieldError("namespace", msg, "id")
        seen: dict[str, str] = {}
        for section in _SECTIONS:
            for i, entry in enumerate(getattr(self, section)):
                if namespace_of(entry.id) != self.namespace:
                    msg = f"the id {entry.id!r} is not in this file's namespace {self.namespace!r}"
                    raise FieldError(f"{section}.{i}.id", msg, "namespace")
                if entry.id in seen:
                    msg = f"the id {entry.id!r} is already defined at {seen[entry.id]}"
                    raise FieldError(f"{section}.{i}.id", msg, "duplicate-id")
                seen[entry.id] = _serial.format_path((section, i))


@attrs.frozen(eq=False)
class _Loaded:
    """One file, read and structured, with what is needed to place errors."""

    file: _CatalogueFile
    source: str
    positions: Positions | None


@attrs.frozen(kw_only=True, hash=False, repr=False)
class Catalogue:
    """An immutable registry of scales, band sets and matrices, by id.

    Build one with `load_catalogue` or take the built-in one from
    `default_catalogue`. Lookups by id raise `UnknownReferenceError` with the
    nearest ids as suggestions. Where each entry was defined (file and line)
    is known to `source()` but is not part of equality, so the same content
    read from YAML and from JSON gives equal catalogues.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> cat = default_catalogue()
        >>> "fv.talk-frequency" in cat
        True
        >>> cat.scale("fv.talk-frequensy")
        Traceback (most recent call last):
        ...
        forsvarlig.errors.UnknownReferenceError: unknown scale 'fv.talk-frequensy' (did you mean ...?)

    Added in version 0.1.
    """

    _namespaces: dict[str, str]
    _scales: dict[str, Scale]
    _band_sets: dict[str, BandSet]
    _matrices: dict[str, RiskMatrix]
    _methods: dict[str, Method] = attrs.field(factory=dict)
    _meta: dict[str, Meta] = attrs.field(factory=dict)
    _sources: dict[str, str] = attrs.field(factory=dict, eq=False)
    _places: dict[str, tuple[str, tuple[Any, ...], Positions | None]] = attrs.field(factory=dict, eq=False)

    @property
    def namespaces(self) -> Mapping[str, str]:
        """The namespaces in this catalogue, with the version of each."""
        return MappingProxyType(self._namespaces)

    @property
    def scales(self) -> Mapping[str, Scale]:
        """Every scale, by id."""
        return MappingProxyType(self._scales)

    @property
    def band_sets(self) -> Mapping[str, BandSet]:
        """Every band set, by id."""
        return MappingProxyType(self._band_sets)

    @property
    def matrices(self) -> Mapping[str, RiskMatrix]:
        """Every matrix, by id."""
        return MappingProxyType(self._matrices)

    @property
    def methods(self) -> Mapping[str, Method]:
        """Every scoring method, by id."""
        return MappingProxyType(self._methods)

    def meta(self, namespace: str) -> Meta:
        """Return a copy of the `meta` the files of a namespace carry (empty if none)."""
        return dict(self._meta.get(namespace, {}))

    def scale(self, scale_id: str) -> Scale:
        """Return the scale with this id, or raise `UnknownReferenceError`."""
        return _lookup("scale", self._scales, scale_id)

    def band_set(self, band_set_id: str) -> BandSet:
        """Return the band set with this id, or raise `UnknownReferenceError`."""
        return _lookup("band set", self._band_sets, band_set_id)

    def matrix(self, matrix_id: str) -> RiskMatrix:
        """Return the matrix with this id, or raise `UnknownReferenceError`."""
        return _lookup("matrix", self._matrices, matrix_id)

    def method(self, method_id: str) -> Method:
        """Return the scoring method with this id, or raise `UnknownReferenceError`."""
        return _lookup("method", self._methods, method_id)

    def source(self, entry_id: str) -> str | None:
        """Return where an entry was defined, as `file:line`, if known."""
        return self._sources.get(entry_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every entry id: scales, then band sets, matrices and methods."""
        return (*self._scales, *self._band_sets, *self._matrices, *self._methods)

    def __contains__(self, entry_id: object) -> bool:
        return any(entry_id in d for d in (self._scales, self._band_sets, self._matrices, self._methods))

    def __len__(self) -> int:
        return len(self._scales) + len(self._band_sets) + len(self._matrices) + len(self._methods)

    def __repr__(self) -> str:
        spaces = ", ".join(f"{ns} {v}" for ns, v in self._namespaces.items())
        return (
            f"<Catalogue {spaces}: {len(self._scales)} scales, {len(self._band_sets)} band sets,"
            f" {len(self._matrices)} matrices, {len(self._methods)} methods>"
        )


def locate(catalogue: Catalogue, entry_id: str, path: tuple[Any, ...] = ()) -> Problem:
    """Return an empty-message `Problem` placed at `path` inside an entry.

    The place is the entry's file, its path in that file and, from YAML, the
    line of the deepest part of `path` the file has. Not public: the scoring
    layer uses it to place a method's configuration problems.
    """
    if entry_id not in catalogue._places:  # noqa: SLF001 - this module's own class
        return Problem(_serial.format_path(path), "")
    source, prefix, positions = catalogue._places[entry_id]  # noqa: SLF001
    full = (*prefix, *path)
    line, column = _serial.locate(full, positions)
    return Problem(_serial.format_path(full), "", "value", source, line, column)


def _lookup(kind: str, entries: Mapping[str, E], entry_id: str) -> E:
    try:
        return entries[entry_id]
    except (KeyError, TypeError):
        raise UnknownReferenceError(kind, str(entry_id), close_matches(str(entry_id), entries)) from None


# ---------------------------------------------------------------------------
# Reading files.


def _read_file(path: Path, display: str) -> _Loaded:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problem = Problem("$", f"cannot read the file: {exc.strerror or exc}", "io", display)
        raise CatalogueValidationError([problem]) from None
    fmt = "json" if path.suffix == ".json" else "yaml"
    return _parse(raw, display, fmt)


def _parse(raw: str | bytes, source: str, fmt: str) -> _Loaded:
    try:
        body, positions = _serial.read_document(raw, source, fmt, "catalogue", {1})
        file = _serial.structure(body, _CatalogueFile, source=source, positions=positions)
    except CatalogueValidationError:
        raise
    except ValidationError as exc:
        raise CatalogueValidationError(exc.problems) from exc
    return _Loaded(file, source, positions)


def _where(loaded: _Loaded, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
    if loaded.positions is None:
        return None, None
    return loaded.positions.get(path, (None, None))


def _build(  # noqa: C901 - one pass over each section
    files: Iterable[_Loaded], base: Callable[[], Catalogue] | None = None
) -> Catalogue:
    """Build a catalogue from files, in order.

    With `base`, references the files cannot resolve themselves are looked up
    in the catalogue it returns (called only then), without adding its
    entries: the result holds the files' entries alone.
    """
    files = list(files)
    namespaces: dict[str, str] = {}
    first_version: dict[str, str] = {}
    scales: dict[str, Scale] = {}
    band_sets: dict[str, BandSet] = {}
    sources: dict[str, str] = {}
    metas: dict[str, Meta] = {}
    problems: list[Problem] = []

    def place(loaded: _Loaded, path: tuple[Any, ...]) -> str:
        line, _ = _where(loaded, path)
        return f"{loaded.source}:{line}" if line else f"{loaded.source} {_serial.format_path(path)}"

    def claim(entry_id: str, loaded: _Loaded, path: tuple[Any, ...]) -> None:
        here = place(loaded, path)
        if entry_id in sources:
            raise DuplicateEntryError(entry_id, sources[entry_id], here)
        sources[entry_id] = here

    for loaded in files:
        f = loaded.file
        if f.namespace in namespaces and namespaces[f.namespace] != f.version:
            line, column = _where(loaded, ("version",))
            msg = (
                f"namespace {f.namespace!r} is version {namespaces[f.namespace]!r} in"
                f" {first_version[f.namespace]}, but {f.version!r} here"
            )
            problems.append(Problem("$.version", msg, "version", loaded.source, line, column))
        merged = metas.setdefault(f.namespace, {})
        for key, value in f.meta.items():
            if key in merged and merged[key] != value:
                line, column = _where(loaded, ("meta", key))
                msg = f"the namespace {f.namespace!r} already has another meta value for {key!r}"
                problems.append(
                    Problem(_serial.format_path(("meta", key)), msg, "meta", loaded.source, line, column)
                )
            merged[key] = value
        namespaces.setdefault(f.namespace, f.version)
        first_version.setdefault(f.namespace, loaded.source)
        for i, scale in enumerate(f.scales):
            claim(scale.id, loaded, ("scales", i))
            scales[scale.id] = scale
        for i, band_set in enumerate(f.bands):
            claim(band_set.id, loaded, ("bands", i))
            band_sets[band_set.id] = band_set

    methods: dict[str, Method] = {}
    places: dict[str, tuple[str, tuple[Any, ...], Positions | None]] = {}
    matrices: dict[str, RiskMatrix] = {}
    for loaded in files:
        for i, method in enumerate(loaded.file.methods):
            claim(method.id, loaded, ("methods", i))
            methods[method.id] = method
            places[method.id] = (loaded.source, ("methods", i), loaded.positions)
        for i, entry in enumerate(loaded.file.matrices):
            claim(entry.id, loaded, ("matrices", i))
            try:
                matrices[entry.id] = _resolve_matrix(entry, scales, band_sets, base)
            except FieldError as exc:
                for field, message, code in exc.items:
                    path = ("matrices", i, *_serial.split_field(field))
                    line, column = _serial.locate(path, loaded.positions)
                    problems.append(
                        Problem(_serial.format_path(path), message, code, loaded.source, line, column)
                    )
    if problems:
        raise CatalogueValidationError(problems)
    return Catalogue(
        namespaces=namespaces,
        scales=scales,
        band_sets=band_sets,
        matrices=matrices,
        methods=methods,
        meta={ns: m for ns, m in metas.items() if m},
        sources=sources,
        places=places,
    )


def _resolve_matrix(
    entry: _MatrixEntry,
    scales: Mapping[str, Scale],
    band_sets: Mapping[str, BandSet],
    base: Callable[[], Catalogue] | None = None,
) -> RiskMatrix:
    problems: list[tuple[str, str, str]] = []

    def ref(field: str, kind: str, entries: Mapping[str, Any]) -> Any:
        target = getattr(entry, field)
        if target not in entries and base is not None:
            below = base()
            entries = {**(below.scales if kind == "scale" else below.band_sets), **entries}
        if target not in entries:
            hint = did_you_mean(close_matches(target, entries))
            problems.append((field, f"unknown {kind} {target!r}{hint}", "reference"))
            return None
        return entries[target]

    rows: Scale = ref("rows", "scale", scales)
    columns: Scale = ref("columns", "scale", scales)
    bands: BandSet = ref("bands", "band set", band_sets)
    FieldError.collect(problems)
    return RiskMatrix(
        id=entry.id,
        label=entry.label,
        rows=rows,
        columns=columns,
        bands=bands,
        grid=grid_from_rows(rows, columns, entry.grid, bands),
        description=entry.description,
        note=entry.note,
        sources=entry.sources,
        meta=entry.meta,
    )


def _expand(paths: Iterable[Any]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if isinstance(p, list | tuple):
            out.extend(_expand(p))
            continue
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(q for q in path.iterdir() if q.suffix in _SUFFIXES))
        else:
            out.append(path)
    return out


def _builtin_dir() -> Path:
    here = Path(__file__).parent
    installed = here / "_catalogue"
    if installed.is_dir():
        return installed
    # A source checkout (editable install): the YAML at the project root.
    return here.parent.parent / "catalogue"


_builtin_files: list[_Loaded] | None = None
_default: Catalogue | None = None
_lock = threading.Lock()


#: The built-in catalogue's YAML, parsed ahead: the data and the place of every
#: node, so that reading it needs neither YAML nor parsing (see `compile_builtin`).
_COMPILED: Final = Path(__file__).parent / "_catalogue.json"


def compile_builtin() -> str:
    """Parse the built-in YAML files and return them as the JSON the package ships.

    Run `python -m forsvarlig._compile` after changing `catalogue/`; a test
    checks that the shipped file is what this returns.
    """
    files = []
    for path in _expand([_builtin_dir()]):
        tree, positions = _serial.read_tree(path.read_bytes(), path.name, mapping_root=True)
        where = [[list(p), *at] for p, at in (positions or {}).items() if _serial.KEY not in p]
        keys = [[list(p[:-1]), *at] for p, at in (positions or {}).items() if p and p[-1] is _serial.KEY]
        files.append({"name": path.name, "tree": tree, "positions": where, "keys": keys})
    return _serial.dump_json({"files": files}, indent=None) + "\n"


def _load_compiled(text: str) -> list[_Loaded]:
    out = []
    for entry in _serial.read_json(text)["files"]:
        positions: Positions = {tuple(p): (line, col) for p, line, col in entry["positions"]}
        positions.update({(*p, _serial.KEY): (line, col) for p, line, col in entry["keys"]})
        source = f"<forsvarlig>/{entry['name']}"
        kind, major, body = _serial.split_tag(entry["tree"], source, positions)
        _serial.check_tag(kind, major, "catalogue", {1}, source=source, positions=positions)
        try:
            file = _serial.structure(body, _CatalogueFile, source=source, positions=positions)
        except ValidationError as exc:
            raise CatalogueValidationError(exc.problems) from exc
        out.append(_Loaded(file, source, positions))
    return out


def _builtin() -> list[_Loaded]:
    global _builtin_files  # noqa: PLW0603 - read once, then immutable
    if _builtin_files is None:
        with _lock:
            if _builtin_files is None:
                if _COMPILED.is_file():
                    _builtin_files = _load_compiled(_COMPILED.read_text(encoding="utf-8"))
                else:
                    paths = _expand([_builtin_dir()])
                    _builtin_files = [_read_file(path, f"<forsvarlig>/{path.name}") for path in paths]
    return _builtin_files


def default_catalogue() -> Catalogue:
    """Return the built-in catalogue, read on first use and then shared.

    It is immutable, so sharing it is safe. Nothing is read at import.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> default_catalogue() is default_catalogue()
        True

    Added in version 0.1.
    """
    global _default  # noqa: PLW0603 - built once, then immutable
    if _default is None:
        files = _builtin()
        with _lock:
            if _default is None:
                _default = _build(files)
    return _default


def load_catalogue(
    *paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], builtin: bool = True
) -> Catalogue:
    """Build a catalogue from catalogue files, stacked on the built-in layer.

    Args:
        *paths: Catalogue files (`.yaml`, `.yml`, `.json`), or directories
            whose such files are read in name order, or lists of these. Later
            files form later layers.
        builtin: Stack them on the built-in catalogue (the default); with
            False, the catalogue holds only what the files define.

    Raises:
        CatalogueValidationError: Listing the problems in the files, each with
            its file, path and line; a file that cannot be read is one of them.
        DuplicateEntryError: If two files define the same id.

    Examples:
        >>> import tempfile, pathlib
        >>> layer = pathlib.Path(tempfile.mkdtemp()) / "acme.yaml"
        >>> _ = layer.write_text('''
        ... forsvarlig: catalogue/1
        ... namespace: acme
        ... version: "1"
        ... matrices:
        ...   - id: acme.simple
        ...     label: {nb: Enkel, en: Simple}
        ...     rows: fv.at-frequency
        ...     columns: fv.at-consequence
        ...     bands: fv.three-bands
        ...     grid:
        ...       very-often: [low, medium, high, high]
        ...       often:      [low, medium, medium, high]
        ...       rare:       [low, medium, medium, medium]
        ...       very-rare:  [low, low, low, low]
        ... ''', encoding="utf-8")
        >>> cat = load_catalogue(layer)
        >>> cat.matrix("acme.simple").check().ok
        True

    Added in version 0.1.
    """
    layers = list(_builtin()) if builtin else []
    problems: list[Problem] = []
    for path in _expand(paths):
        try:
            layers.append(_read_file(path, str(path)))
        except CatalogueValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogueValidationError(problems)
    return _build(layers)


# ---------------------------------------------------------------------------
# A catalogue as a document: one file, one namespace.


def _structure_catalogue(value: Any, _: Any = None) -> Catalogue:
    # Problems found while building come back as a ValidationError whose paths
    # the caller's translation locates in its own positions.
    # A catalogue document is one layer: what it defines, its references to the
    # built-in catalogue resolved (those entries are not part of it).
    file = _serial.converter().get_structure_hook(_CatalogueFile)(value, _CatalogueFile)
    return _build([_Loaded(file, "<document>", None)], base=default_catalogue)


def _unstructure_catalogue(cat: Catalogue) -> dict[str, Any]:
    if len(cat.namespaces) != 1:
        msg = (
            "a catalogue file holds one namespace; this catalogue has "
            + ", ".join(cat.namespaces)
            + ": load_catalogue(..., builtin=False) the layer you want to write"
        )
        raise ValidationError([Problem("$", msg, "namespaces")])
    ((namespace, version),) = cat.namespaces.items()
    out: dict[str, Any] = {"namespace": namespace, "version": version}
    if cat.meta(namespace):
        out["meta"] = _serial.unstructure(cat.meta(namespace), Meta)
    if cat.scales:
        out["scales"] = [_serial.unstructure(s, Scale) for s in cat.scales.values()]
    if cat.band_sets:
        out["bands"] = [_serial.unstructure(b, BandSet) for b in cat.band_sets.values()]
    if cat.matrices:
        out["matrices"] = [
            _serial.unstructure(file_form(m, _MatrixEntry, by_id=True), _MatrixEntry)
            for m in cat.matrices.values()
        ]
    if cat.methods:
        out["methods"] = [_serial.unstructure(m, Method) for m in cat.methods.values()]
    return out


_serial.register(Catalogue, _structure_catalogue, _unstructure_catalogue)
