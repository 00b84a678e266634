"""The `forsvarlig` command.

Examples:
    forsvarlig matrix fv.talk-matrix          # a method's matrix and its check
    forsvarlig matrix --lang nb               # the matrices, in Norwegian
    forsvarlig catalogue                      # what the catalogue holds
    forsvarlig check my-layer.yaml            # validate a document
    forsvarlig score fv.matrix-5x5 likelihood=likely consequence=major
    forsvarlig score --explain FV:1/fv.matrix-5x5@1/likelihood:likely/consequence:major
    forsvarlig review examples/home-care.yaml             # what an assessment still lacks
    forsvarlig report examples/home-care.yaml -o r.html   # a report for people: Markdown or HTML
    forsvarlig report --organisation examples/organisation/ --lang nb

Exit status: 0 when all is well, 1 when a check fails or a document has
problems, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.matrix import RiskMatrix
    from forsvarlig.scoring import Score

__all__ = ["main"]

_WORDS = {
    "rows": {"en": "rows", "nb": "rader"},
    "columns": {"en": "columns", "nb": "kolonner"},
    "bands": {"en": "bands", "nb": "risikonivåer"},
    "within": {"en": "within", "nb": "innen"},
    "matrices": {"en": "matrices", "nb": "matriser"},
    "scales": {"en": "scales", "nb": "skalaer"},
    "band sets": {"en": "band sets", "nb": "risikonivåsett"},
    "methods": {"en": "methods", "nb": "metoder"},
    "version": {"en": "version", "nb": "versjon"},
    "strategy": {"en": "strategy", "nb": "strategi"},
    "value": {"en": "value", "nb": "verdi"},
    "band": {"en": "band", "nb": "risikonivå"},
    "action": {"en": "action", "nb": "tiltak"},
    "vector": {"en": "vector", "nb": "vektor"},
    "rank": {"en": "rank", "nb": "rang"},
    "of": {"en": "of", "nb": "av"},
    "in": {"en": "in", "nb": "i"},
    "factors": {"en": "factors", "nb": "faktorer"},
    "frameworks": {"en": "frameworks", "nb": "rammeverk"},
    "targets": {"en": "targets", "nb": "tiltaksnivåer"},
    "requirements": {"en": "requirements", "nb": "krav"},
    "measure templates": {"en": "measure templates", "nb": "tiltaksmaler"},
    "retired": {"en": "retired, use", "nb": "utgått, bruk"},
    "law": {"en": "law", "nb": "regelverk"},
    "unverified": {"en": "unverified", "nb": "ikke bekreftet"},
    "crosswalk": {"en": "crosswalk", "nb": "tilsvarer"},
    "buffers": {"en": "buffers", "nb": "demper"},
    "buffered by": {"en": "buffered by", "nb": "dempes av"},
    "unmapped": {"en": "unmapped", "nb": "ikke koblet"},
    "not mapped": {"en": "not mapped", "nb": "ikke koblet"},
    "defined at": {"en": "defined at", "nb": "definert i"},
}


def _word(key: str, lang: str) -> str:
    words = _WORDS[key]
    return words.get(lang) or words.get("nb" if lang == "nn" else "en") or words["en"]


_UNITS = {
    "Y": {"en": ("year", "years"), "nb": ("år", "år")},
    "M": {"en": ("month", "months"), "nb": ("måned", "måneder")},
    "W": {"en": ("week", "weeks"), "nb": ("uke", "uker")},
    "D": {"en": ("day", "days"), "nb": ("dag", "dager")},
    "H": {"en": ("hour", "hours"), "nb": ("time", "timer")},
}


def _duration(iso: str, lang: str) -> str:
    """Say an ISO 8601 duration in words (`P2W`: 2 weeks); with minutes or seconds, as written."""
    import re

    date, _, time = iso[1:].partition("T")
    if re.search(r"[MS]", time):
        return iso
    parts = re.findall(r"(\d+)([YMWD])", date) + re.findall(r"(\d+)(H)", time)
    words = "en" if lang == "en" else "nb"
    if all(number == "0" for number, _ in parts):
        return "at once" if words == "en" else "straks"
    said = []
    for number, unit in parts:
        singular, plural = _UNITS[unit][words]
        said.append(f"{number} {singular if number == '1' else plural}")
    return " ".join(said)


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, colour: str, *, enabled: bool) -> str:
    if not enabled:
        return text
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    fg = "30" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "97"
    return f"\x1b[{fg};48;2;{r};{g};{b}m{text}\x1b[0m"


def render_matrix(matrix: RiskMatrix, lang: str = "en", *, colour: bool = False) -> str:
    """Render a matrix as a text grid: highest row first, columns low to high."""
    head = [matrix.rows.label.get(lang)] + [lv.label.get(lang) for lv in matrix.columns.levels]
    body = []
    for r in reversed(range(len(matrix.rows))):
        level = matrix.rows.levels[r]
        cells = [matrix.bands.band(b) for b in matrix.grid[r]]
        body.append((level.label.get(lang), cells))
    widths = [max(len(head[0]), *(len(row[0]) for row in body))]
    widths += [
        max(len(head[c + 1]), *(len(row[1][c].label.get(lang)) for row in body))
        for c in range(len(matrix.columns))
    ]
    lines = [
        f"{matrix.id}: {matrix.label.get(lang)}",
        f"{_word('rows', lang)}: {matrix.rows.label.get(lang)} ({matrix.rows.id})",
        f"{_word('columns', lang)}: {matrix.columns.label.get(lang)} ({matrix.columns.id})",
        "",
        " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)),
        "-+-".join("-" * w for w in widths),
    ]
    for label, cells in body:
        shown = [label.ljust(widths[0])]
        for band, w in zip(cells, widths[1:], strict=True):
            shown.append(_paint(band.label.get(lang).ljust(w), band.colour, enabled=colour))
        lines.append(" | ".join(shown))
    lines.append("")
    lines.append(f"{_word('bands', lang)} ({matrix.bands.id}):")
    for band in reversed(matrix.bands.bands):
        within = (
            f" ({_word('within', lang)} {_duration(band.respond_within, lang)})"
            if band.respond_within
            else ""
        )
        name = _paint(band.label.get(lang), band.colour, enabled=colour)
        lines.append(f"  {name} {band.colour}: {band.action.get(lang)}{within}")
    if matrix.note is not None:
        lines.extend(["", matrix.note.get(lang)])
    return "\n".join(lines)


def _catalogue(paths: Sequence[str]) -> Catalogue:
    from forsvarlig.catalogue import default_catalogue, load_catalogue

    return load_catalogue(*paths) if paths else default_catalogue()


def _matrix_of(cat: Catalogue, entry_id: str) -> RiskMatrix | None:
    """The matrix with this id, or the matrix a `matrix` method scores with (None for other methods)."""
    from forsvarlig.errors import UnknownReferenceError, close_matches

    if entry_id in cat.matrices:
        return cat.matrix(entry_id)
    if entry_id in cat.methods:
        method = cat.method(entry_id)
        if method.strategy != "matrix" or not isinstance(method.params.get("matrix"), str):
            return None
        return cat.matrix(method.params["matrix"])
    candidates = [*cat.matrices, *(m.id for m in cat.methods.values() if m.strategy == "matrix")]
    raise UnknownReferenceError("matrix or matrix method", entry_id, close_matches(entry_id, candidates))


def _cmd_matrix(args: argparse.Namespace, out: TextIO) -> int:
    cat = _catalogue(args.catalogue)
    ids = [args.id] if args.id else list(cat.matrices)
    status = 0
    for n, matrix_id in enumerate(ids):
        if matrix_id in cat and matrix_id not in cat.matrices and matrix_id not in cat.methods:
            print(f"error: {matrix_id!r} is not a matrix (see `forsvarlig catalogue`)", file=sys.stderr)
            return 1
        matrix = _matrix_of(cat, matrix_id)
        if matrix is None:
            strategy = cat.method(matrix_id).strategy
            msg = f"the method {matrix_id!r} scores with {strategy!r}, not a matrix"
            print(f"error: {msg}: try `forsvarlig score {matrix_id}`", file=sys.stderr)
            return 1
        report = matrix.check()
        if n:
            print("\n" + "=" * 72 + "\n", file=out)
        print(render_matrix(matrix, args.lang, colour=_use_colour(out)), file=out)
        print(file=out)
        print(report, file=out)
        if not report.ok:
            status = 1
    return status


_Entries = Callable[["Catalogue"], Mapping[str, Any]]
_KINDS: dict[str, tuple[str, _Entries]] = {
    "scales": ("scales", lambda c: c.scales),
    "band-sets": ("band sets", lambda c: c.band_sets),
    "matrices": ("matrices", lambda c: c.matrices),
    "methods": ("methods", lambda c: c.methods),
    "factors": ("factors", lambda c: c.factors),
    "frameworks": ("frameworks", lambda c: c.frameworks),
    "targets": ("targets", lambda c: c.targets),
    "requirements": ("requirements", lambda c: c.requirements),
    "measures": ("measure templates", lambda c: c.measure_templates),
}


def _detail(entry: Any, lang: str) -> str:  # noqa: PLR0911 - one line per kind
    from forsvarlig.factors import Factor, Framework, MeasureTemplate, Requirement
    from forsvarlig.matrix import BandSet, RiskMatrix
    from forsvarlig.scales import Scale

    if isinstance(entry, Scale):
        return f"{entry.kind.value}, {len(entry)} levels"
    if isinstance(entry, BandSet):
        return f"{len(entry)} bands"
    if isinstance(entry, RiskMatrix):
        return f"{entry.shape[0]} x {entry.shape[1]}, {entry.bands.id}"
    if isinstance(entry, Factor):
        legal = ", ".join(str(ref) for ref in entry.legal if ref.valid_to is None)
        retired = f", {_word('retired', lang)}: {entry.replaced_by}" if entry.replaced_by else ""
        return f"{entry.polarity.value}{', ' + legal if legal else ''}{retired}"
    if isinstance(entry, Framework):
        return f"{len(entry.entries)} entries"
    if isinstance(entry, Requirement):
        return ", ".join(str(ref) for ref in entry.legal)
    if isinstance(entry, MeasureTemplate):
        return f"{entry.target}, {entry.kind.value}, {entry.prevention.value}"
    if not hasattr(entry, "strategy"):  # a target
        return f"{len(entry.examples)} examples"
    return f"{entry.strategy}, {_word('version', lang)} {entry.version}"


def _cmd_catalogue(args: argparse.Namespace, out: TextIO) -> int:
    action = getattr(args, "action", None) or "list"
    if action == "check":
        return _cmd_catalogue_check(args, out)
    cat = _catalogue(args.catalogue)
    if action == "show":
        return _cmd_catalogue_show(cat, args, out)
    if action == "crosswalk":
        return _cmd_catalogue_crosswalk(cat, args, out)
    spaces = ", ".join(f"{ns} {version}" for ns, version in cat.namespaces.items())
    print(f"catalogue: {spaces}", file=out)
    kinds = [args.kind] if getattr(args, "kind", None) else list(_KINDS)
    for kind in kinds:
        key, entries_of = _KINDS[kind]
        entries = entries_of(cat)
        print(f"\n{_word(key, args.lang)} ({len(entries)}):", file=out)
        for entry_id, entry in entries.items():
            print(f"  {entry_id}: {entry.label.get(args.lang)} [{_detail(entry, args.lang)}]", file=out)
    return 0


def _cmd_catalogue_show(cat: Catalogue, args: argparse.Namespace, out: TextIO) -> int:
    from forsvarlig import _serial
    from forsvarlig.errors import UnknownReferenceError, close_matches
    from forsvarlig.factors import Factor, FrameworkEntry

    lang = args.lang
    entry_id = args.id
    found = None
    for _, entries_of in _KINDS.values():
        if entry_id in entries_of(cat):
            found = entries_of(cat)[entry_id]
    if entry_id in cat.framework_entries:
        found = cat.framework_entries[entry_id]
    if found is None:
        raise UnknownReferenceError("catalogue entry", entry_id, close_matches(entry_id, cat.ids))
    print(f"{entry_id}: {found.label.get(lang)}", file=out)
    if isinstance(found, Factor):
        _show_factor(cat, found, lang, out)
    elif isinstance(found, FrameworkEntry):
        if found.description is not None:
            print(found.description.get(lang), file=out)
        factors = cat.crosswalk(found.id)
        print(f"\n{_word('factors', lang)}: {', '.join(factors) or '-'}", file=out)
        if found.unmapped is not None:
            print(f"{_word('unmapped', lang)}: {found.unmapped.get(lang)}", file=out)
    else:
        data = _serial.unstructure(found)
        data.pop("id", None)
        data.pop("label", None)
        print(_serial.dump_yaml(data).rstrip(), file=out)
    source = cat.source(entry_id)
    if source:
        print(f"\n({_word('defined at', lang)} {source})", file=out)
    return 0


def _show_factor(cat: Catalogue, factor: Any, lang: str, out: TextIO) -> None:
    print(f"{factor.polarity.value}{', ' + factor.group if factor.group else ''}", file=out)
    if factor.replaced_by:
        print(f"{_word('retired', lang)}: {factor.replaced_by}", file=out)
    print(f"\n{factor.description.get(lang)}", file=out)
    for example in factor.examples:
        print(f"  - {example.get(lang)}", file=out)
    if factor.legal:
        print(f"\n{_word('law', lang)}:", file=out)
        for ref in factor.legal:
            dates = f"{ref.valid_from or '…'} – {ref.valid_to or ''}".rstrip()
            verified = "" if ref.verified else f" ({_word('unverified', lang)})"
            print(f"  {ref} [{dates}]{verified}", file=out)
            if ref.text:
                print(f"    «{ref.text}»", file=out)
    if factor.crosswalk:
        print(f"\n{_word('crosswalk', lang)}:", file=out)
        for target in factor.crosswalk:
            print(f"  {target}: {cat.framework_entry(target).label.get(lang)}", file=out)
    if factor.buffers:
        print(f"\n{_word('buffers', lang)}: {', '.join(factor.buffers)}", file=out)
    buffered_by = [f.id for f in cat.factors.values() if factor.id in f.buffers]
    if buffered_by:
        print(f"{_word('buffered by', lang)}: {', '.join(buffered_by)}", file=out)
    if factor.methods:
        print(f"{_word('methods', lang)}: {', '.join(factor.methods)}", file=out)
    templates = cat.measure_templates_for(factor.id)
    if templates:
        print(f"\n{_word('measure templates', lang)}:", file=out)
        for t in templates:
            target = cat.targets[t.target].label.get(lang) if t.target in cat.targets else t.target
            print(f"  {t.id}: {t.label.get(lang)} [{target}; {t.kind.value}]", file=out)


def _cmd_catalogue_crosswalk(cat: Catalogue, args: argparse.Namespace, out: TextIO) -> int:
    lang = args.lang
    framework = cat.framework(args.to)
    mapping = cat.crosswalk_to(framework.id)
    print(f"{framework.id}: {framework.label.get(lang)}", file=out)
    for factor_id, entries in mapping.items():
        labels = ", ".join(cat.framework_entry(e).label.get(lang) for e in entries)
        print(f"  {factor_id} -> {labels}", file=out)
    reached = {e for entries in mapping.values() for e in entries}
    left = [e for e in framework.entries if e.id not in reached]
    if left:
        print(f"\n{_word('not mapped', lang)}:", file=out)
        for entry in left:
            why = f": {entry.unmapped.get(lang)}" if entry.unmapped is not None else ""
            print(f"  {entry.id}{why}", file=out)
    return 0


def _cmd_catalogue_check(args: argparse.Namespace, out: TextIO) -> int:
    """Check layers on top of the built-in catalogue: 0 clean, 1 problems, 2 unreadable."""
    from forsvarlig.catalogue import load_catalogue
    from forsvarlig.errors import ForsvarligError
    from forsvarlig.scoring import check_methods

    for path in args.paths:
        if not os.path.exists(path) or not os.access(path, os.R_OK):  # noqa: PTH110
            print(f"error: cannot read {path}", file=sys.stderr)
            return 2
    try:
        cat = load_catalogue(*args.paths)
        check_methods(cat)
    except ForsvarligError as exc:
        print(str(exc), file=out)
        return 1
    failing = [m for m in cat.matrices.values() if not m.check().ok]
    for matrix in failing:
        print(f"{cat.source(matrix.id)}: matrix {matrix.id}:", file=out)
        print(matrix.check(), file=out)
    if failing:
        return 1
    for entry in cat.framework_entries.values():
        if not cat.crosswalk(entry.id) and entry.unmapped is None:
            where = cat.source(entry.id) or entry.id
            print(
                f"warning: {where}: no factor maps to {entry.id}, and it gives no `unmapped` reason", file=out
            )
    print(f"{', '.join(args.paths)}: ok", file=out)
    return 0


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:  # noqa: C901, PLR0915 - documents, then layers
    from forsvarlig import _serial
    from forsvarlig.catalogue import load_catalogue
    from forsvarlig.documents import loads
    from forsvarlig.errors import ForsvarligError

    status = 0
    unreadable = False  # a file that cannot be read makes the exit status 2, as in the other commands
    layers: list[str] = []
    builtin = True
    files: list[str] = []
    for given in args.files:
        if os.path.isdir(given):  # noqa: PTH112
            files.extend(
                str(p) for p in sorted(Path(given).iterdir()) if p.suffix in {".yaml", ".yml", ".json"}
            )
        else:
            files.append(given)
    for path in files:
        try:
            with open(path, "rb") as f:  # noqa: PTH123
                raw = f.read()
            fmt = args.format or ("json" if path.endswith(".json") else None)
            tree, _ = _serial.read_tree(raw, path, fmt)
            if isinstance(tree, dict) and str(tree.get(_serial.TAG_KEY, "")).startswith("catalogue/"):
                # Catalogue files are checked together, as layers.
                layers.append(path)
                builtin = builtin and tree.get("namespace") != "fv"
                continue
            value = loads(raw, format=fmt, source=path)
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror or exc}", file=out)
            unreadable = True
        except ForsvarligError as exc:
            print(f"{path}: {exc}", file=out)
            status = 1
        else:
            print(f"{path}: ok ({type(value).__name__})", file=out)
    if layers:
        try:
            cat = load_catalogue(*layers, builtin=builtin)
        except ForsvarligError as exc:
            print(f"{', '.join(layers)}: {exc}", file=out)
            return 1
        for path in layers:
            print(f"{path}: read (catalogue layer)", file=out)
        for matrix in cat.matrices.values():
            report = matrix.check()
            if not report.ok:
                print(f"{cat.source(matrix.id)}: matrix {matrix.id}:", file=out)
                print(report, file=out)
                status = 1
        try:
            from forsvarlig.scoring import check_methods

            check_methods(cat)
        except ForsvarligError as exc:
            print(f"methods: {exc}", file=out)
            status = 1
        if status == 0:
            print("catalogue layers: ok (every matrix consistent, every method configures)", file=out)
    return 2 if unreadable else status


def render_score(score: Score, cat: Catalogue, lang: str = "en") -> str:
    """Explain a score: the method, each input with its scale, the value, band, action and vector."""
    lines = []
    if score.method is not None:
        method = cat.method(score.method)
        lines.append(
            f"{method.id}: {method.label.get(lang)}"
            f" ({_word('version', lang)} {score.version}, {_word('strategy', lang)} {score.strategy})"
        )
    width = max(len(d) for d in score.inputs)
    for dimension, level_id in score.inputs.items():
        scale = cat.scale(score.scales[dimension])
        level = scale.level(level_id)
        rank = f"{_word('rank', lang)} {level.rank} {_word('of', lang)} {len(scale)}"
        lines.append(f"  {dimension.ljust(width)}  {level_id}: {level.label.get(lang)} ({scale.id}, {rank})")
    bands = cat.band_set(score.band_set)
    band = bands.band(score.band)
    of_bands = (
        f"{_word('rank', lang)} {band.rank} {_word('of', lang)} {len(bands)} {_word('in', lang)} {bands.id}"
    )
    within = (
        f" ({_word('within', lang)} {_duration(band.respond_within, lang)})" if band.respond_within else ""
    )
    lines.append(f"{_word('value', lang)}: {score.value:g}")
    lines.append(f"{_word('band', lang)}: {band.id}: {band.label.get(lang)} ({of_bands})")
    lines.append(f"{_word('action', lang)}: {band.action.get(lang)}{within}")
    if score.method is not None:
        lines.append(f"{_word('vector', lang)}: {score.vector}")
    return "\n".join(lines)


def _cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    from forsvarlig import _serial
    from forsvarlig.scoring import Score, scorer

    cat = _catalogue(args.catalogue)
    if args.explain:
        if args.levels:
            print("error: --explain takes a vector alone, without DIMENSION=LEVEL", file=sys.stderr)
            return 2
        score = Score.from_vector(args.method, cat)
    else:
        strategy = scorer(args.method, cat)
        levels: dict[str, str] = {}
        for given in args.levels:
            dimension, sep, level = given.partition("=")
            if not sep:
                print(f"error: {given!r} is not DIMENSION=LEVEL", file=sys.stderr)
                return 2
            if dimension.strip() in levels:
                print(f"error: the dimension {dimension.strip()!r} is given twice", file=sys.stderr)
                return 2
            levels[dimension.strip()] = level.strip()
        if not levels:
            print(f"{args.method}: give a level for each dimension, as DIMENSION=LEVEL:", file=out)
            for dimension, scale in strategy.dimensions.items():
                print(f"  {dimension} ({scale.id}): {' '.join(scale.ids)}", file=out)
            return 2
        score = strategy.score(levels)
    if args.json:
        data = _serial.unstructure(score)
        if score.method is not None:
            data["vector"] = score.vector
        print(_serial.dump_json(data), file=out)
    else:
        print(render_score(score, cat, args.lang), file=out)
    return 0


_SEVERITY_NB = {"error": "feil", "warning": "advarsel", "info": "merknad"}
_PLURAL = {
    "error": ("error", "errors", "feil", "feil"),
    "warning": ("warning", "warnings", "advarsel", "advarsler"),
    "info": ("note", "notes", "merknad", "merknader"),
}


def _count(n: int, severity: str, nb: bool) -> str:
    """`1 warning`, `2 warnings`; `1 advarsel`, `2 advarsler`."""
    en_one, en_many, nb_one, nb_many = _PLURAL[severity]
    one, many = (nb_one, nb_many) if nb else (en_one, en_many)
    return f"{n} {one if n == 1 else many}"


def _cmd_review(args: argparse.Namespace, out: TextIO) -> int:
    """Review assessments: 0 without errors, 1 with error findings, 2 when a file cannot be read."""
    from forsvarlig import _serial
    from forsvarlig.rules import Severity, review

    on = _day(args.on)
    if on is None:
        return 2
    cat = _catalogue(args.catalogue)
    loaded = _assessments(args.files)
    if loaded is None:
        return 2
    reports = []
    worst = 0
    for path, doc in loaded:
        findings = review(doc, cat, on=on)
        if any(f.severity is Severity.ERROR for f in findings):
            worst = 1
        reports.append((path, doc, findings))
    if args.format == "json":
        data = [
            {
                "file": path,
                "unit": doc.unit,
                "on": on.isoformat(),
                "findings": [
                    {
                        "code": f.code,
                        "severity": f.severity.value,
                        "path": f.path,
                        "message": f.message.as_dict(),
                    }
                    for f in findings
                ],
            }
            for path, doc, findings in reports
        ]
        print(_serial.dump_json(data), file=out)
        return worst
    nb = args.lang in {"nb", "nn"}
    for path, doc, findings in reports:
        counts = {s: sum(f.severity is s for f in findings) for s in Severity}
        print(f"{path}: {doc.unit} ({on.isoformat()})", file=out)
        for f in findings:
            severity = _SEVERITY_NB[f.severity.value] if nb else f.severity.value
            print(f"  {severity} {f.code} {'i' if nb else 'at'} {f.path}", file=out)
            print(f"    {f.message.get(args.lang)}", file=out)
        summary = ", ".join(
            _count(n, s.value, nb) for s, n in sorted(counts.items(), key=lambda kv: -kv[0].rank)
        )
        print(f"  {summary}", file=out)
    return worst


def _day(given: str | None) -> Any:
    """The day of `--on` (today if not given), or None after saying what is wrong."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(given) if given else dt.date.today()  # noqa: DTZ011 - the user's day
    except ValueError:
        print(f"error: --on {given!r} is not a date as YYYY-MM-DD", file=sys.stderr)
        return None


def _assessments(paths: Sequence[str], *, folders: bool = False) -> list[tuple[str, Any]] | None:
    """Load assessments (a folder: its YAML and JSON files); None after saying what went wrong."""
    from forsvarlig.assessment import RiskAssessment
    from forsvarlig.documents import load
    from forsvarlig.errors import ForsvarligError

    files: list[str] = []
    for path in paths:
        if not folders and Path(path).is_dir():
            print(
                f"{path}: a folder: give its files, or read them together with --organisation",
                file=sys.stderr,
            )
            return None
        if folders and Path(path).is_dir():
            found = sorted(p for p in Path(path).iterdir() if p.suffix in {".yaml", ".yml", ".json"})
            if not found:
                print(f"{path}: no .yaml, .yml or .json files in the folder", file=sys.stderr)
                return None
            files += [str(p) for p in found]
        else:
            files.append(path)
    out = []
    for path in files:
        try:
            doc = load(path)
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            return None
        except ForsvarligError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return None
        if not isinstance(doc, RiskAssessment):
            print(f"{path}: not an assessment (forsvarlig: assessment/1)", file=sys.stderr)
            return None
        out.append((path, doc))
    return out


def _cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    """Write a report on one assessment, or (`--organisation`) on several units' assessments."""
    from forsvarlig.report import assessment_report, organisation_report

    on = _day(args.on)
    if on is None:
        return 2
    if len(args.files) > 1 and not args.organisation:
        print("error: report on one assessment, or on several with --organisation", file=sys.stderr)
        return 2
    fmt = args.format
    if fmt is None:
        fmt = "html" if args.output and Path(args.output).suffix.lower() in {".html", ".htm"} else "md"
    loaded = _assessments(args.files, folders=args.organisation)
    if loaded is None:
        return 2
    cat = _catalogue(args.catalogue)
    options = {"format": fmt, "lang": args.lang, "on": on, "incidents_by": args.incidents_by}
    if args.organisation:
        text = organisation_report([doc for _, doc in loaded], cat, lift_at=args.lift_at, **options)
    else:
        text = assessment_report(loaded[0][1], cat, **options)
    if args.output in (None, "-"):
        out.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"{args.output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    """Print a document format's JSON Schema."""
    from pathlib import Path

    import forsvarlig

    folder = Path(forsvarlig.__file__).parent / "schemas"
    shipped = sorted(p.stem.rsplit("-", 1)[0] for p in folder.glob("*.json"))
    name = args.name.split("/")[0]
    matches = sorted(folder.glob(f"{name}-*.json"))
    if not matches:
        print(f"error: no schema {args.name!r}; there are: {', '.join(shipped)}", file=sys.stderr)
        return 1
    print(matches[-1].read_text(encoding="utf-8"), end="", file=out)
    return 0


def _parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - one parser per command
    parser = argparse.ArgumentParser(
        prog="forsvarlig",
        description="Psychosocial risk assessment: catalogue, matrices, scoring, review and reports.",
    )
    parser.add_argument("--version", action="store_true", help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser, *, inner: bool = False) -> None:
        # An action under a command takes the options too, without defaults of
        # its own, so that `catalogue --lang nb show X` and `catalogue show X
        # --lang nb` mean the same.
        p.add_argument(
            "--lang",
            default=argparse.SUPPRESS if inner else "en",
            choices=("nb", "nn", "en"),
            help="language of labels (default en)",
        )
        p.add_argument(
            "--catalogue",
            action="append",
            default=argparse.SUPPRESS if inner else [],
            metavar="PATH",
            help="a catalogue file or folder stacked on the built-in one (repeatable)",
        )

    p = sub.add_parser("matrix", help="show a risk matrix and its consistency check")
    p.add_argument("id", nargs="?", help="a matrix, or a method that scores with one (default: every matrix)")
    common(p)
    p.set_defaults(run=_cmd_matrix)

    p = sub.add_parser("catalogue", help="list, show, check and cross-walk the catalogue")
    common(p)
    p.set_defaults(run=_cmd_catalogue, action="list", kind=None)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    q = actions.add_parser("list", help="list the entries (the default)")
    q.add_argument("--kind", choices=list(_KINDS), help="only entries of this kind")
    common(q, inner=True)
    q = actions.add_parser("show", help="show one entry: a factor with its law, crosswalk and measures")
    q.add_argument("id", metavar="ID")
    common(q, inner=True)
    q = actions.add_parser("check", help="check catalogue layers on top of the built-in one")
    q.add_argument("paths", nargs="+", metavar="PATH")
    q = actions.add_parser("crosswalk", help="map the factors to one framework's entries")
    q.add_argument(
        "--to", required=True, metavar="FRAMEWORK", help="a framework id, e.g. hsems.management-standards"
    )
    common(q, inner=True)

    p = sub.add_parser("score", help="score levels with a method, or explain a stored vector")
    p.add_argument("method", metavar="METHOD", help="the method id (or, with --explain, a vector)")
    p.add_argument("levels", nargs="*", metavar="DIMENSION=LEVEL", help="the level of each dimension")
    p.add_argument("--explain", action="store_true", help="read METHOD as a vector string and explain it")
    p.add_argument("--json", action="store_true", help="print the score as JSON")
    common(p)
    p.set_defaults(run=_cmd_score)

    p = sub.add_parser("review", help="review assessments: what they still lack")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--on", metavar="DATE", help="the day of the review, YYYY-MM-DD (default today)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="the output (default text)")
    common(p)
    p.set_defaults(run=_cmd_review)

    p = sub.add_parser("report", help="write a report: one assessment, or several units' with --organisation")
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="an assessment; with --organisation, files or folders"
    )
    p.add_argument(
        "--organisation",
        action="store_true",
        help="read several units' assessments together (files or folders)",
    )
    p.add_argument("--format", choices=("md", "html"), help="md or html (default: from -o's suffix, else md)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (default: standard output)")
    p.add_argument("--on", metavar="DATE", help="the day of the report, YYYY-MM-DD (default today)")
    p.add_argument(
        "--incidents-by",
        choices=("year", "half", "quarter", "month"),
        default="year",
        help="the period incidents are counted in (default year)",
    )
    p.add_argument(
        "--lift-at",
        type=int,
        default=2,
        metavar="N",
        help="with --organisation: units a factor must recur in (default 2)",
    )
    common(p)
    p.set_defaults(run=_cmd_report)

    p = sub.add_parser("schema", help="print the JSON Schema of a document format")
    p.add_argument("name", metavar="NAME", help="a document kind: assessment or catalogue")
    p.set_defaults(run=_cmd_schema)

    p = sub.add_parser("check", help="validate documents and report every problem")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("yaml", "json"), help="the format (default: from the suffix)")
    p.set_defaults(run=_cmd_check)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status."""
    out = out or sys.stdout
    try:
        return _main(argv, out)
    except BrokenPipeError:
        # The reader went away (`forsvarlig matrix | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _main(argv: Sequence[str] | None, out: TextIO) -> int:
    from forsvarlig.errors import ForsvarligError

    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "command", None) == "score":
        # DIMENSION=LEVEL may come after the options too.
        args.levels += [e for e in extra if "=" in e and not e.startswith("-")]
        extra = [e for e in extra if not ("=" in e and not e.startswith("-"))]
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.version:
        import forsvarlig

        print(f"forsvarlig {forsvarlig.__version__}", file=out)
        return 0
    if args.command is None:
        parser.print_help(out)
        return 2
    try:
        return int(args.run(args, out))
    except ForsvarligError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
