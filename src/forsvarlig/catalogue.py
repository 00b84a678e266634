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
    RetiredEntryWarning,
    UnknownReferenceError,
    ValidationError,
    close_matches,
    did_you_mean,
)
from forsvarlig.factors import Factor, Framework, FrameworkEntry, MeasureTemplate, Requirement, Target
from forsvarlig.matrix import BandSet, RiskMatrix, file_form, grid_from_rows
from forsvarlig.scales import Scale
from forsvarlig.text import Text

__all__ = ["CATALOGUE_SCHEMA", "Catalogue", "Method", "default_catalogue", "load_catalogue"]

#: The schema tag of a catalogue file.
CATALOGUE_SCHEMA: Final = "catalogue/1"

_SUFFIXES: Final = (".yaml", ".yml", ".json")
_SECTIONS: Final = (
    "scales",
    "bands",
    "matrices",
    "methods",
    "factors",
    "frameworks",
    "targets",
    "requirements",
    "measures",
)
#: Sections whose entries a later layer may override (`overrides:`).
_OVERRIDABLE: Final = ("factors", "targets", "requirements", "measures")
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
    factors: tuple[Factor, ...] = ()
    frameworks: tuple[Framework, ...] = ()
    targets: tuple[Target, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    measures: tuple[MeasureTemplate, ...] = ()
    meta: Meta = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        from forsvarlig._ids import NAMESPACE_RE

        if not NAMESPACE_RE.match(self.namespace):
            msg = f"{self.namespace!r} is not a namespace (lowercase letters, digits, hyphens)"
            raise FieldError("namespace", msg, "id")
        seen: dict[str, str] = {}
        problems: list[tuple[str, str, str]] = []
        for section in _SECTIONS:
            for i, entry in enumerate(getattr(self, section)):
                # An id outside the file's namespace is checked when the layers are
                # stacked, where a clash with an earlier layer can name both places.
                ids = [entry.id, *(e.id for e in getattr(entry, "entries", ()))]
                for j, entry_id in enumerate(ids):
                    field = f"{section}.{i}.id" if j == 0 else f"{section}.{i}.entries.{j - 1}.id"
                    if entry_id in seen:
                        msg = f"the id {entry_id!r} is already defined at {seen[entry_id]}"
                        problems.append((field, msg, "duplicate-id"))
                    seen[entry_id] = _serial.format_path(tuple(_serial.split_field(field)[:-1]))
                problems.extend(_label_problems(f"{section}.{i}", entry))
        FieldError.collect(problems)


def _label_problems(field: str, entry: Any) -> list[tuple[str, str, str]]:
    """Every label in a catalogue entry (and its levels, bands, entries) has `nb` and `en`."""
    out = []
    label = getattr(entry, "label", None)
    if label is not None:
        missing = [lang for lang in ("nb", "en") if lang not in label]
        if missing:
            msg = f"a catalogue label needs `nb` and `en`; this one lacks {' and '.join(missing)}"
            out.append((f"{field}.label", msg, "missing"))
    for part in ("levels", "bands", "entries"):
        children = getattr(entry, part, ())
        if isinstance(children, tuple):
            for i, child in enumerate(children):
                out.extend(_label_problems(f"{field}.{part}.{i}", child))
    return out


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
    _factors: dict[str, Factor] = attrs.field(factory=dict)
    _frameworks: dict[str, Framework] = attrs.field(factory=dict)
    _targets: dict[str, Target] = attrs.field(factory=dict)
    _requirements: dict[str, Requirement] = attrs.field(factory=dict)
    _measures: dict[str, MeasureTemplate] = attrs.field(factory=dict)
    _meta: dict[str, Meta] = attrs.field(factory=dict)
    _sources: dict[str, str] = attrs.field(factory=dict, eq=False)
    _places: dict[str, tuple[str, tuple[Any, ...], Positions | None]] = attrs.field(factory=dict, eq=False)
    # Derived, for lookups: every framework entry by id, and the crosswalk read backwards.
    _entries: dict[str, FrameworkEntry] = attrs.field(init=False, eq=False, repr=False)
    _reverse: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        entries = {e.id: e for fw in self._frameworks.values() for e in fw.entries}
        reverse: dict[str, list[str]] = {}
        for factor in self._factors.values():
            for target in factor.crosswalk:
                reverse.setdefault(target, []).append(factor.id)
        object.__setattr__(self, "_entries", entries)
        object.__setattr__(self, "_reverse", {k: tuple(v) for k, v in reverse.items()})

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

    @property
    def factors(self) -> Mapping[str, Factor]:
        """Every psychosocial factor, by id, retired ones included."""
        return MappingProxyType(self._factors)

    @property
    def frameworks(self) -> Mapping[str, Framework]:
        """Every framework, by id."""
        return MappingProxyType(self._frameworks)

    @property
    def framework_entries(self) -> Mapping[str, FrameworkEntry]:
        """Every framework's entries, by id."""
        return MappingProxyType(self._entries)

    @property
    def targets(self) -> Mapping[str, Target]:
        """Every measure target (organisation, factor, outcome), by id."""
        return MappingProxyType(self._targets)

    @property
    def requirements(self) -> Mapping[str, Requirement]:
        """Every legal requirement, by id."""
        return MappingProxyType(self._requirements)

    @property
    def measure_templates(self) -> Mapping[str, MeasureTemplate]:
        """Every measure template, by id."""
        return MappingProxyType(self._measures)

    def factor(self, factor_id: str) -> Factor:
        """Return the factor with this id, warning if it is retired."""
        return _retired(_lookup("factor", self._factors, factor_id))

    def framework(self, framework_id: str) -> Framework:
        """Return the framework with this id."""
        return _lookup("framework", self._frameworks, framework_id)

    def framework_entry(self, entry_id: str) -> FrameworkEntry:
        """Return the framework entry with this id."""
        return _lookup("framework entry", self._entries, entry_id)

    def target(self, target_id: str) -> Target:
        """Return the measure target with this id, warning if it is retired."""
        return _retired(_lookup("target", self._targets, target_id))

    def requirement(self, requirement_id: str) -> Requirement:
        """Return the requirement with this id, warning if it is retired."""
        return _retired(_lookup("requirement", self._requirements, requirement_id))

    def measure_template(self, template_id: str) -> MeasureTemplate:
        """Return the measure template with this id, warning if it is retired."""
        return _retired(_lookup("measure template", self._measures, template_id))

    def crosswalk(self, entry_id: str) -> tuple[str, ...]:
        """Read a crosswalk either way.

        For a factor, the framework entries it corresponds to; for a framework
        entry, the factors that correspond to it.

        Raises:
            UnknownReferenceError: If the id is neither a factor nor a
                framework entry.

        Examples:
            >>> from forsvarlig import default_catalogue
            >>> cat = default_catalogue()
            >>> "hsems.demands" in cat.crosswalk("fv.workload")
            True
            >>> "fv.workload" in cat.crosswalk("hsems.demands")
            True
        """
        if not isinstance(entry_id, str):
            raise UnknownReferenceError("factor or framework entry", repr(entry_id))
        if entry_id in self._factors:
            return self._factors[entry_id].crosswalk
        if entry_id in self._entries:
            return self._reverse.get(entry_id, ())
        known = [*self._factors, *self._entries]
        raise UnknownReferenceError(
            "factor or framework entry", str(entry_id), close_matches(str(entry_id), known)
        )

    def measure_templates_for(self, factor_id: str) -> tuple[MeasureTemplate, ...]:
        """The measure templates for a factor: organisational ones first, outcome-level last.

        Templates are ordered by their target's place among the catalogue's
        targets (organisation, factor, outcome), then as listed.

        Examples:
            >>> from forsvarlig import default_catalogue
            >>> [t.target for t in default_catalogue().measure_templates_for("fv.workload")][-1]
            'fv.outcome'
        """
        _lookup("factor", self._factors, factor_id)
        order = {t: i for i, t in enumerate(self._targets)}
        found = [t for t in self._measures.values() if factor_id in t.factors]
        return tuple(sorted(found, key=lambda t: order.get(t.target, len(order))))

    def crosswalk_to(self, framework_id: str) -> dict[str, tuple[str, ...]]:
        """Map every factor to its entries in one framework (factors with none are left out)."""
        framework = self.framework(framework_id)
        ids = {e.id for e in framework.entries}
        out = {}
        for factor in self._factors.values():
            hits = tuple(t for t in factor.crosswalk if t in ids)
            if hits:
                out[factor.id] = hits
        return out

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

    def _sections(self) -> tuple[dict[str, Any], ...]:
        return (
            self._scales,
            self._band_sets,
            self._matrices,
            self._methods,
            self._factors,
            self._frameworks,
            self._entries,
            self._targets,
            self._requirements,
            self._measures,
        )

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id, section by section (scales first, measure templates last)."""
        return tuple(entry_id for section in self._sections() for entry_id in section)

    def __contains__(self, entry_id: object) -> bool:
        return any(entry_id in d for d in self._sections())

    def __len__(self) -> int:
        return sum(len(d) for d in self._sections())

    def _repr_html_(self) -> str:
        from forsvarlig.report import view

        return view(self).html

    def __repr__(self) -> str:
        spaces = ", ".join(f"{ns} {v}" for ns, v in self._namespaces.items())
        return (
            f"<Catalogue {spaces}: {len(self._scales)} scales, {len(self._band_sets)} band sets,"
            f" {len(self._matrices)} matrices, {len(self._methods)} methods, {len(self._factors)} factors,"
            f" {len(self._frameworks)} frameworks, {len(self._measures)} measure templates>"
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


def _retired(entry: E) -> E:
    replaced_by = getattr(entry, "replaced_by", None)
    if replaced_by is not None:
        import warnings

        warnings.warn(RetiredEntryWarning(getattr(entry, "id", "?"), replaced_by), stacklevel=3)
    return entry


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


def _build(  # noqa: C901, PLR0912, PLR0915 - one pass over each section
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
        if namespace_of(entry_id) != loaded.file.namespace:
            namespace = loaded.file.namespace
            msg = (
                f"the id {entry_id!r} is not in this file's namespace {namespace!r}"
                " (to replace an earlier layer's entry, give it `overrides:` with that id)"
            )
            line, column = _where(loaded, (*path, "id"))
            where = _serial.format_path((*path, "id"))
            problems.append(Problem(where, msg, "namespace", loaded.source, line, column))

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
    sections: dict[str, dict[str, Any]] = {name: {} for name in _ENTRY_SECTIONS}
    below: Catalogue | None = None

    def under(section: str) -> Mapping[str, Any]:
        # What the base catalogue holds in a section (for a single layer read alone).
        nonlocal below
        if base is None:
            return {}
        below = below or base()
        return _section_of(below, section)

    for loaded in files:
        for section, entries in sections.items():
            for i, entry in enumerate(getattr(loaded.file, section)):
                path = (section, i)
                overrides = getattr(entry, "overrides", None)
                if overrides is None:
                    claim(entry.id, loaded, path)
                elif overrides in entries or overrides in under(section):
                    sources[entry.id] = place(loaded, path)
                else:
                    line, column = _where(loaded, (*path, "overrides"))
                    hint = did_you_mean(close_matches(overrides, [*entries, *under(section)]))
                    msg = f"overrides {overrides!r}, but no earlier layer defines it{hint}"
                    where = _serial.format_path((*path, "overrides"))
                    problems.append(Problem(where, msg, "reference", loaded.source, line, column))
                for j, child in enumerate(getattr(entry, "entries", ())):
                    claim(child.id, loaded, (*path, "entries", j))
                entries[entry.id] = entry
                places[entry.id] = (loaded.source, path, loaded.positions)

    problems.extend(_reference_problems(sections, methods, places, under))
    if problems:
        raise CatalogueValidationError(problems)
    return Catalogue(
        namespaces=namespaces,
        scales=scales,
        band_sets=band_sets,
        matrices=matrices,
        methods=methods,
        factors=sections["factors"],
        frameworks=sections["frameworks"],
        targets=sections["targets"],
        requirements=sections["requirements"],
        measures=sections["measures"],
        meta={ns: m for ns, m in metas.items() if m},
        sources=sources,
        places=places,
    )


#: The sections of the factor catalogue, as `_CatalogueFile` fields.
_ENTRY_SECTIONS: Final = ("factors", "frameworks", "targets", "requirements", "measures")


def _section_of(cat: Catalogue, section: str) -> Mapping[str, Any]:
    return {
        "factors": cat.factors,
        "frameworks": cat.frameworks,
        "entries": cat.framework_entries,
        "targets": cat.targets,
        "requirements": cat.requirements,
        "measures": cat.measure_templates,
        "methods": cat.methods,
    }[section]


# What each section's entries refer to: (field, kind of target, section it is in).
_REFERENCES: Final = {
    "factors": (
        ("crosswalk", "framework entry", "entries"),
        ("buffers", "factor", "factors"),
        ("methods", "method", "methods"),
        ("replaced_by", "factor", "factors"),
    ),
    "targets": (("replaced_by", "target", "targets"),),
    "requirements": (("factors", "factor", "factors"), ("replaced_by", "requirement", "requirements")),
    "measures": (
        ("factors", "factor", "factors"),
        ("target", "target", "targets"),
        ("replaced_by", "measure template", "measures"),
    ),
}


def _reference_problems(
    sections: Mapping[str, Mapping[str, Any]],
    methods: Mapping[str, Method],
    places: Mapping[str, tuple[str, tuple[Any, ...], Positions | None]],
    under: Callable[[str], Mapping[str, Any]],
) -> list[Problem]:
    """Check every reference between entries, across layers, with suggestions."""
    known: dict[str, Mapping[str, Any]] = {
        **sections,
        "entries": {e.id: e for fw in sections["frameworks"].values() for e in fw.entries},
        "methods": methods,
    }
    cache: dict[str, set[str]] = {}

    def universe(section: str) -> set[str]:
        if section not in cache:
            cache[section] = {*known[section], *under(section)}
        return cache[section]

    everywhere = {name: universe(name) for name in (*sections, "entries", "methods")}
    problems = []
    for section, refs in _REFERENCES.items():
        for entry in sections[section].values():
            source, prefix, positions = places[entry.id]
            for field, kind, target_section in refs:
                value = getattr(entry, field)
                targets = [value] if isinstance(value, str) else list(value or ())
                for j, target in enumerate(targets):
                    path = (*prefix, field) if isinstance(value, str) else (*prefix, field, j)
                    msg = _reference_problem(target, kind, target_section, everywhere)
                    if msg is None and field == "replaced_by":
                        msg = _chain_problem(target, target_section, sections, under)
                    if msg is not None:
                        line, column = _serial.locate(path, positions)
                        where = _serial.format_path(path)
                        problems.append(Problem(where, msg, "reference", source, line, column))
    return problems


_KIND_OF_SECTION: Final = {
    "factors": "factor",
    "frameworks": "framework",
    "entries": "framework entry",
    "targets": "target",
    "requirements": "requirement",
    "measures": "measure template",
    "methods": "method",
}


def _reference_problem(
    target: str, kind: str, section: str, everywhere: Mapping[str, set[str]]
) -> str | None:
    if target in everywhere[section]:
        return None
    for other, ids in everywhere.items():
        if target in ids:
            return f"{target!r} is a {_KIND_OF_SECTION[other]}, not a {kind}"
    return f"unknown {kind} {target!r}{did_you_mean(close_matches(target, everywhere[section]))}"


def _chain_problem(
    target: str,
    section: str,
    sections: Mapping[str, Mapping[str, Any]],
    under: Callable[[str], Mapping[str, Any]],
) -> str | None:
    """A replacement must be current: point past a retired entry to the one that replaces it."""
    seen = [target]
    current = target
    while True:
        entry = sections[section].get(current) or under(section).get(current)
        following = getattr(entry, "replaced_by", None)
        if following is None:
            break
        if following in seen:
            return f"the replacements go round in a loop: {' -> '.join([*seen, following])}"
        seen.append(following)
        current = following
    if len(seen) > 1:
        chain = " -> ".join(seen)
        return f"{target!r} is itself retired: point to {seen[-1]!r}, which replaces it ({chain})"
    return None


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
        if not isinstance(p, str | os.PathLike):
            msg = f"load_catalogue takes paths of catalogue files or folders, got {type(p).__name__}"
            raise TypeError(msg)
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


#: The built-in catalogue's YAML, parsed ahead: the data and the place of each
#: entry, so that reading it needs neither YAML nor parsing (see `compile_builtin`).
_COMPILED: Final = Path(__file__).parent / "_catalogue.json"
#: The place of every node of the built-in files, read only to report a problem.
_COMPILED_PLACES: Final = Path(__file__).parent / "_catalogue_places.json"


def _entry_level(path: tuple[Any, ...]) -> bool:
    # The places `default_catalogue()` needs at once: each entry's (and each
    # framework entry's) own line, and the file's top keys.
    return len(path) <= 2 or (len(path) == 4 and path[2] == "entries")


def compile_builtin() -> dict[str, str]:
    """Parse the built-in YAML files and return the compiled files the package ships, by name.

    Run `python -m forsvarlig._compile` after changing `catalogue/`; a test
    checks that the shipped files are what this returns.
    """
    files, places = [], []
    for path in _expand([_builtin_dir()]):
        tree, positions = _serial.read_tree(path.read_bytes(), path.name, mapping_root=True)
        nodes = {p: at for p, at in (positions or {}).items() if _serial.KEY not in p}
        where = [[list(p), *at] for p, at in nodes.items()]
        keys = [[list(p[:-1]), *at] for p, at in (positions or {}).items() if p and p[-1] is _serial.KEY]
        lines = [[list(p), *at] for p, at in nodes.items() if _entry_level(p)]
        files.append({"name": path.name, "tree": tree, "positions": lines})
        places.append({"name": path.name, "positions": where, "keys": keys})
    return {
        _COMPILED.name: _serial.dump_json({"files": files}, indent=None) + "\n",
        _COMPILED_PLACES.name: _serial.dump_json({"files": places}, indent=None) + "\n",
    }


class _Places(dict[tuple[Any, ...], tuple[int, int]]):
    """A built-in file's places: each entry's at once, every node's when one is asked for."""

    def __init__(self, name: str, entry_level: dict[tuple[Any, ...], tuple[int, int]]) -> None:
        super().__init__(entry_level)
        self._name = name
        self._complete = False

    def _complete_now(self) -> None:
        if self._complete:
            return
        self._complete = True
        import json

        for entry in json.loads(_COMPILED_PLACES.read_text(encoding="utf-8"))["files"]:
            if entry["name"] == self._name:
                self.update({tuple(p): (line, col) for p, line, col in entry["positions"]})
                self.update({(*p, _serial.KEY): (line, col) for p, line, col in entry["keys"]})

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        found = super().get(key)
        if found is None and not self._complete:
            self._complete_now()
            found = super().get(key)
        return default if found is None else found

    def __missing__(self, key: tuple[Any, ...]) -> tuple[int, int]:
        if not self._complete:
            self._complete_now()
            if dict.__contains__(self, key):
                return dict.__getitem__(self, key)
        raise KeyError(key)


def _load_compiled(text: str) -> list[_Loaded]:
    import json

    out = []
    # The compiled file is written by compile_builtin, so plain json.loads is
    # enough: no repeated keys or non-finite numbers can be in it.
    for entry in json.loads(text)["files"]:
        positions = _Places(entry["name"], {tuple(p): (line, col) for p, line, col in entry["positions"]})
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
    reserved = {loaded.file.namespace for loaded in layers}
    problems: list[Problem] = []
    for path in _expand(paths):
        try:
            loaded = _read_file(path, str(path))
        except CatalogueValidationError as exc:
            problems.extend(exc.problems)
            continue
        if loaded.file.namespace in reserved:
            line, column = _where(loaded, ("namespace",))
            msg = (
                f"the namespace {loaded.file.namespace!r} belongs to the built-in catalogue: give your"
                " layer a namespace of its own (entries of the built-in one change only with `overrides:`)"
            )
            problems.append(Problem("$.namespace", msg, "namespace", loaded.source, line, column))
        layers.append(loaded)
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
    for section, cls in (
        ("factors", Factor),
        ("frameworks", Framework),
        ("targets", Target),
        ("requirements", Requirement),
        ("measures", MeasureTemplate),
    ):
        entries = _section_of(cat, section)
        if entries:
            out[section] = [_serial.unstructure(e, cls) for e in entries.values()]
    return out


_serial.register(Catalogue, _structure_catalogue, _unstructure_catalogue)
