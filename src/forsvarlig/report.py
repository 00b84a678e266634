"""Reports for people who will never run Python: Markdown, and one self-contained HTML file.

An assessment is read by leaders, safety representatives and the working
environment committee. `assessment_report` renders one assessment — the
risk register, the matrix as a heat map with counts before and after
measures, the measure plan grouped by target, evaluations, incidents,
participation, coverage and the review's findings — and
`organisation_report` renders several units' assessments read together (see
`forsvarlig.organisation`). Both speak Norwegian (`nb`, with `nn` falling back
to it) or English.

The HTML is one file with its styles inline, no scripts and nothing fetched:
it opens offline, reads on a phone (wide tables scroll sideways) and prints.
Everything written by the people assessing is escaped.

Examples:
    >>> import datetime as dt
    >>> from forsvarlig import default_catalogue, load
    >>> from forsvarlig.assessment import RiskAssessment
    >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
    ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1})
    >>> md = assessment_report(a, default_catalogue(), format="md", on=dt.date(2026, 2, 1))
    >>> md.splitlines()[0]
    '# Psychosocial risk assessment: Lab'
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from forsvarlig.errors import ForsvarligError

if TYPE_CHECKING:
    from forsvarlig.assessment import RiskAssessment
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.organisation import OrganisationView
    from forsvarlig.rules import Finding, RuleRegistry
    from forsvarlig.scoring import Score, ScoringStrategy, StrategyRegistry

__all__ = ["REPORT_FORMATS", "View", "assessment_report", "organisation_report", "view"]

#: The formats a report is rendered in.
REPORT_FORMATS: Final = ("md", "html")

# ---------------------------------------------------------------------------
# Words. Every label a report prints, in nb and en (nn falls back to nb).

_W: Final[dict[str, tuple[str, str]]] = {
    "title": ("Risikovurdering av det psykososiale arbeidsmiljøet", "Psychosocial risk assessment"),
    "org-title": ("Psykososialt arbeidsmiljø på tvers av enheter", "Psychosocial risk across units"),
    "about": ("Om vurderingen", "About the assessment"),
    "unit": ("Enhet", "Unit"),
    "date": ("Dato", "Date"),
    "period": ("Periode", "Period"),
    "scope": ("Omfang", "Scope"),
    "status": ("Status", "Status"),
    "revision": ("Revisjon", "Revision"),
    "replaces": ("erstatter", "replaces"),
    "approved-by": ("Godkjent av", "Approved by"),
    "method": ("Metode", "Method"),
    "methods": ("Metoder", "Methods"),
    "catalogue": ("Katalog", "Catalogue"),
    "acceptance": ("Akseptkriterier", "Acceptance criteria"),
    "action-from": ("Tiltak kreves fra", "Measures required from"),
    "next-review": ("Neste gjennomgang", "Next review"),
    "triggers": ("Vurderes også på nytt ved", "Also reassessed on"),
    "summary": ("Sammendrag", "Summary"),
    "findings": ("Hva vurderingen fortsatt mangler", "What the assessment still lacks"),
    "no-findings": ("Gjennomgangen fant ingenting å bemerke.", "The review found nothing to remark."),
    "severity": ("Alvor", "Severity"),
    "finding": ("Funn", "Finding"),
    "where": ("Hvor", "Where"),
    "register": ("Risikoregister", "Risk register"),
    "register-note": (
        (
            "Iboende risiko er risikoen uten tiltak, nåværende er med tiltakene som er på plass, og rest"
            " er forventet risiko når planlagte tiltak er gjennomført (eller slik den ble vurdert ved"
            " siste evaluering)."
        ),
        (
            "Inherent risk is the risk without measures, current is with the measures in place, and"
            " residual is the risk expected once planned measures are done (or as re-assessed at the"
            " latest evaluation)."
        ),
    ),
    "rank": ("Nr.", "No."),
    "hazard": ("Fare eller problem", "Hazard"),
    "hazards": ("Farer", "Hazards"),
    "factors": ("Faktorer", "Factors"),
    "factor": ("Faktor", "Factor"),
    "inherent": ("Iboende", "Inherent"),
    "current": ("Nåværende", "Current"),
    "residual": ("Restrisiko", "Residual"),
    "measures": ("Tiltak", "Measures"),
    "not-estimated": ("ikke vurdert", "not estimated"),
    "heat": ("Risikomatrisen", "The risk matrix"),
    "heat-note": (
        (
            "Tallene er antall farer i hver rute: før tiltak er nåværende risiko (ellers iboende), etter"
            " tiltak er restrisiko (ellers nåværende)."
        ),
        (
            "The numbers count hazards in each cell: before measures is the current risk (else the"
            " inherent), after measures the residual risk (else the current)."
        ),
    ),
    "before": ("Før tiltak", "Before measures"),
    "after": ("Etter tiltak", "After measures"),
    "no-heat": (
        "har flere enn to dimensjoner og vises ikke som matrise.",
        "has more than two dimensions and is not shown as a matrix.",
    ),
    "plan": ("Tiltaksplan", "Measure plan"),
    "no-measures": ("Ingen tiltak er registrert.", "No measures are recorded."),
    "measure": ("Tiltak", "Measure"),
    "prevention": ("Forebyggingsnivå", "Prevention"),
    "kind": ("Type", "Kind"),
    "owner": ("Ansvarlig", "Owner"),
    "due": ("Frist", "Due"),
    "in-place": ("på plass", "in place"),
    "overdue": ("forsinket", "overdue"),
    "evaluations": ("Evaluering av tiltak", "Evaluations"),
    "no-evaluations": ("Ingen tiltak er evaluert ennå.", "No measure has been evaluated yet."),
    "on": ("Dato", "On"),
    "implemented": ("Gjennomført", "Implemented"),
    "effect": ("Effekt", "Effect"),
    "achieved": ("Hva det ga", "What it achieved"),
    "reassessed": ("Ny vurdering", "Re-assessed"),
    "next-follow-up": ("Neste oppfølging", "Next follow-up"),
    "by": ("Av", "By"),
    "yes": ("Ja", "Yes"),
    "no": ("Nei", "No"),
    "incidents": ("Registrerte hendelser", "Registered incidents"),
    "incidents-note": (
        (
            "Hyppigheten hendelsene viser, er en nedre grense: vold, trusler og trakassering"
            " underrapporteres, og en periode som ikke er over regnes som hel. Et anslag under den bør"
            " vurderes på nytt."
        ),
        (
            "The frequency the incidents show is a lower bound: violence, threats and harassment are"
            " under-reported, and a period not yet over counts as whole. An estimate below it should be"
            " looked at again."
        ),
    ),
    "count": ("Antall", "Count"),
    "per-year": ("Per år", "Per year"),
    "by-severity": ("Etter alvorlighet", "By severity"),
    "at-least": ("Viser minst", "Shows at least"),
    "estimated": ("Enhetens anslag", "The unit's estimate"),
    "below": ("under det hendelsene viser", "below what the incidents show"),
    "no-hazard": ("ingen fare knyttet til faktoren", "no hazard concerns the factor"),
    "participation": ("Medvirkning", "Participation"),
    "participant": ("Deltaker", "Participant"),
    "role": ("Rolle", "Role"),
    "step": ("Steg", "Step"),
    "text": ("Tekst", "Text"),
    "risk": ("Risiko", "Risk"),
    "levels": ("Nivåer", "Levels"),
    "bounds": ("Grenser", "Bounds"),
    "by-factor": ("Høyeste nåværende risiko per faktor og enhet", "Highest current risk by factor and unit"),
    "description": ("Beskrivelse", "Description"),
    "band-sets": ("Risikonivåsett", "Band sets"),
    "matrices": ("Matriser", "Matrices"),
    "scales": ("Skalaer", "Scales"),
    "frameworks": ("Rammeverk", "Frameworks"),
    "targets": ("Tiltaksnivåer", "Targets"),
    "requirements": ("Krav", "Requirements"),
    "measure-templates": ("Tiltaksmaler", "Measure templates"),
    "statements": ("Innspill og dissens", "Statements and dissent"),
    "dissent": ("Dissens", "Dissent"),
    "statement": ("Innspill", "Statement"),
    "no-participants": ("Ingen medvirkning er registrert.", "No participation is recorded."),
    "coverage": ("Faktorene i katalogen", "The catalogue's factors"),
    "coverage-note": (
        "Hver faktor vurdert enkeltvis: gjennom farer, som ikke relevant, eller utsatt.",
        "Each factor considered one by one: through hazards, as not relevant, or postponed.",
    ),
    "reason": ("Begrunnelse", "Reason"),
    "combined": ("Samlet vurdering", "Combined estimate"),
    "no-combined": ("Ingen samlet vurdering er gjort.", "No combined estimate has been made."),
    "made-with": ("Laget med forsvarlig", "Made with forsvarlig"),
    "reviewed-on": ("gjennomgått", "reviewed on"),
    "errors": ("feil", "errors"),
    "warnings": ("advarsler", "warnings"),
    "infos": ("merknader", "notes"),
    "open": ("åpne", "open"),
    "highest": ("Høyeste", "Highest"),
    "units": ("Enheter", "Units"),
    "units-n": ("enheter", "units"),
    "hazards-n": ("farer", "hazards"),
    "measures-n": ("tiltak", "measures"),
    "overdue-measures": ("Forsinkede tiltak", "Overdue measures"),
    "overdue-follow-ups": ("Forsinket oppfølging", "Overdue follow-ups"),
    "review-overdue": ("Gjennomgang forfalt", "Review overdue"),
    "residual-spread": ("Restrisiko", "Residual risk"),
    "recurring": ("Faktorer som går igjen", "Factors that recur"),
    "recurring-note": (
        (
            "Faktorer som vurderes gjennom farer i minst to enheter. Der ingen tiltak på tvers av enheter"
            " eller for hele virksomheten virker på dem, bør tiltak planlegges over enhetsnivå."
        ),
        (
            "Factors assessed through hazards in at least two units. Where no measure across units or"
            " for the whole organisation acts on them, measures should be planned above the unit."
        ),
    ),
    "no-recurring": ("Ingen faktor går igjen i flere enheter.", "No factor recurs across units."),
    "shared-measures": ("Felles tiltak", "Shared measures"),
    "lift": ("Bør løftes over enhetsnivå", "To be lifted above the unit"),
    "lift-yes": ("løftes", "lift"),
    "target": ("Tiltaksnivå", "Target"),
    "no-lift": (
        "Ingen faktor går igjen i {n} enheter eller flere uten et felles tiltak som virker på den.",
        "No factor recurs in {n} units or more without a shared measure acting on it.",
    ),
    "lift-note": (
        (
            "Faktorer som vurderes gjennom farer i minst {n} enheter, uten at noe tiltak på tvers av"
            " enheter eller for hele virksomheten virker på dem: her bør tiltak planlegges over"
            " enhetsnivå."
        ),
        (
            "Factors assessed through hazards in at least {n} units, with no measure across units or for"
            " the whole organisation acting on them: here measures should be planned above the unit."
        ),
    ),
    "no-shared": (
        "Ingen tiltak er planlagt på tvers av enheter eller for hele virksomheten.",
        "No measure is planned across units or for the whole organisation.",
    ),
    "lagging": ("Enheter der oppfølgingen henger etter", "Units whose follow-up lags"),
    "no-lagging": ("Ingen enhet henger etter.", "No unit lags."),
    "superseded": ("Eldre revisjoner som ikke er tatt med", "Older revisions left out"),
    "incidents-across": ("Hendelser på tvers av enheter", "Incidents across units"),
    "all": ("Alle", "All"),
}

_ENUMS: Final[dict[str, tuple[str, str]]] = {
    # statuses
    "draft": ("Utkast", "Draft"),
    "in-review": ("Til behandling", "In review"),
    "approved": ("Godkjent", "Approved"),
    # roles
    "leader": ("Leder", "Leader"),
    "employee": ("Ansatte", "Employees"),
    "safety-representative": ("Verneombud", "Safety representative"),
    "senior-safety-representative": ("Hovedverneombud", "Senior safety representative"),
    "union-representative": ("Tillitsvalgt", "Union representative"),
    "working-environment-committee": ("Arbeidsmiljøutvalget", "Working environment committee"),
    "occupational-health-service": ("Bedriftshelsetjenesten", "Occupational health service"),
    # steps
    "mapping": ("Kartlegging", "Mapping"),
    "assessment": ("Risikovurdering", "Assessment"),
    "measures": ("Tiltak", "Measures"),
    "evaluation": ("Evaluering", "Evaluation"),
    # involvement
    "informed": ("informert", "informed"),
    "consulted": ("hørt", "consulted"),
    "decided-together": ("besluttet sammen", "decided together"),
    # measure status
    "planned": ("Planlagt", "Planned"),
    "in-progress": ("Pågår", "In progress"),
    "done": ("Gjennomført", "Done"),
    "cancelled": ("Avbrutt", "Cancelled"),
    # scope
    "unit": ("Enheten", "The unit"),
    "across-units": ("På tvers av enheter", "Across units"),
    "organisation": ("Hele virksomheten", "The organisation"),
    # prevention
    "primary": ("Primær", "Primary"),
    "secondary": ("Sekundær", "Secondary"),
    "tertiary": ("Tertiær", "Tertiary"),
    # kind
    "remove": ("Fjerne", "Remove"),
    "reduce-likelihood": ("Redusere sannsynlighet", "Reduce likelihood"),
    "reduce-consequence": ("Redusere konsekvens", "Reduce consequence"),
    "training": ("Opplæring", "Training"),
    "information": ("Informasjon", "Information"),
    "follow-up": ("Oppfølging", "Follow-up"),
    # effect
    "yes": ("Ja", "Yes"),
    "partly": ("Delvis", "Partly"),
    "no": ("Nei", "No"),
    "unknown": ("Ukjent", "Unknown"),
    # coverage
    "assessed": ("Vurdert", "Assessed"),
    "not-relevant": ("Ikke relevant", "Not relevant"),
    "postponed": ("Utsatt", "Postponed"),
    "not-considered": ("Ikke vurdert", "Not considered"),
    # severity
    "error": ("Feil", "Error"),
    "warning": ("Advarsel", "Warning"),
    "info": ("Merknad", "Note"),
    # triggers
    "change": ("endringer", "changes"),
    "purchase": ("innkjøp", "purchases"),
    "incident": ("hendelser", "incidents"),
}


def _w(key: str, lang: str) -> str:
    nb, en = _W[key]
    return en if lang == "en" else nb


# The singular of the counted words (their plural is in _W).
_ONE: Final[dict[str, tuple[str, str]]] = {
    "errors": ("feil", "error"),
    "warnings": ("advarsel", "warning"),
    "infos": ("merknad", "note"),
    "units-n": ("enhet", "unit"),
    "hazards-n": ("fare", "hazard"),
    "measures-n": ("tiltak", "measure"),
}


def _n(count: int, key: str, lang: str) -> str:
    """A count with its word in the right number: `1 unit`, `2 units`; `1 enhet`, `2 enheter`."""
    if count == 1:
        nb, en = _ONE[key]
        return f"1 {en if lang == 'en' else nb}"
    return f"{count} {_w(key, lang)}"


def _e(value: str, lang: str) -> str:
    """An enum value's label; a slug the table does not know (an integrator's role) in words."""
    if value not in _ENUMS:
        return value.replace("-", " ").capitalize() if _SLUG.fullmatch(value) else value
    nb, en = _ENUMS[value]
    return en if lang == "en" else nb


_SLUG: Final = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def _number(x: float, lang: str) -> str:
    """A number as the language writes it: a decimal comma in Norwegian."""
    text = f"{x:g}"
    return text if lang == "en" else text.replace(".", ",")


def _day(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


# ---------------------------------------------------------------------------
# The report's blocks: built once from the data, rendered as Markdown or HTML.


@attrs.frozen
class _Cell:
    text: str
    colour: str | None = None  # a band's colour: the cell is painted
    strong: bool = False
    muted: bool = False


@attrs.frozen
class _Table:
    head: tuple[str, ...]
    rows: tuple[tuple[_Cell, ...], ...]
    caption: str | None = None
    numeric: frozenset[int] = frozenset()  # columns aligned right
    nowrap: frozenset[int] = frozenset()  # columns kept on one line (dates)


@attrs.frozen
class _Para:
    text: str
    muted: bool = False


@attrs.frozen
class _Facts:
    pairs: tuple[tuple[str, str], ...]


@attrs.frozen
class _Grid:
    """A heat map: the bands of a two-dimensional method, with counts in each cell."""

    caption: str
    corner: str  # the rows' scale
    across: str  # the columns' scale
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[tuple[str, str, int], ...]], ...]  # label, (band label, colour, n)


@attrs.frozen
class _Bars:
    """Stacked bars: per row, counts per band, painted."""

    rows: tuple[tuple[str, tuple[tuple[str, str, int], ...]], ...]  # label, (band label, colour, n)
    legend: tuple[tuple[str, str], ...] = ()  # (band label, colour), lowest first; else as they come


@attrs.frozen
class _Items:
    """A list of findings: a severity, the message, and where."""

    items: tuple[tuple[str, str, str, bool], ...]  # severity label, message, where, is an error


@attrs.frozen
class _Side:
    """Blocks side by side where there is room (heat maps before and after)."""

    blocks: tuple[Any, ...]


@attrs.frozen
class _Section:
    title: str
    blocks: tuple[Any, ...]
    anchor: str


Block = _Table | _Para | _Facts | _Grid | _Bars | _Items | _Side


@attrs.frozen
class _Report:
    lang: str
    title: str
    facts: _Facts
    sections: tuple[_Section, ...]
    footer: str


def _cell(text: object, **kw: Any) -> _Cell:
    return _Cell("" if text is None else str(text), **kw)


# ---------------------------------------------------------------------------
# Rendering.


def _md_escape(text: str) -> str:
    """Text as Markdown shows it literally, on one line: no markup, no HTML, no table breaks."""
    return " ".join(_MD_SPECIAL.sub(r"\\\g<0>", text.replace("&", "&amp;").replace("<", "&lt;")).split())


_MD_SPECIAL: Final = re.compile(r"[\\`*_\[\]|#]")


def _md_cell(cell: _Cell) -> str:
    text = _md_escape(cell.text)
    if cell.strong and text:
        return f"**{text}**"
    if cell.muted and text:
        return f"*{text}*"
    return text


def _md_table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: frozenset[int]) -> list[str]:
    out = ["| " + " | ".join(_md_escape(h) for h in head) + " |"]
    out.append("|" + "|".join("---:" if i in numeric else "---" for i in range(len(head))) + "|")
    out.extend("| " + " | ".join(row) + " |" for row in rows)
    return out


def _md_block(block: Block) -> list[str]:  # noqa: PLR0911 - one branch per kind of block
    if isinstance(block, _Side):
        out: list[str] = []
        for inner in block.blocks:
            out += [*_md_block(inner), ""]
        return out[:-1]
    if isinstance(block, _Items):
        return [
            f"- **{_md_escape(sev)}:** {_md_escape(msg)} *({_md_escape(where)})*"
            for sev, msg, where, _ in block.items
        ]
    if isinstance(block, _Para):
        text = _md_escape(block.text)
        return [f"*{text}*" if block.muted else text]
    if isinstance(block, _Facts):
        return [f"- **{_md_escape(k)}:** {_md_escape(v)}" for k, v in block.pairs]
    if isinstance(block, _Table):
        lines = [f"**{_md_escape(block.caption)}**", ""] if block.caption else []
        rows = ([_md_cell(c) for c in row] for row in block.rows)
        return lines + _md_table(block.head, rows, block.numeric)
    if isinstance(block, _Grid):
        lines = [f"**{_md_escape(block.caption)}**", ""]
        rows = (
            [
                f"**{_md_escape(label)}**",
                *(f"{_md_escape(b)}{f' · **{n}**' if n else ''}" for b, _, n in cells),
            ]
            for label, cells in block.rows
        )
        corner = f"{block.corner} ↓ · {block.across} →"
        return lines + _md_table((corner, *block.columns), rows, frozenset())
    return [
        f"- **{_md_escape(label)}:** " + ", ".join(f"{_md_escape(b)} {n}" for b, _, n in parts if n)
        for label, parts in block.rows
    ]


def _markdown(report: _Report) -> str:
    lines = [f"# {_md_escape(report.title)}", ""]
    lines += _md_block(report.facts)
    for section in report.sections:
        lines += ["", f"## {section.title}"]
        for block in section.blocks:
            lines += ["", *_md_block(block)]
    lines += ["", "---", "", f"*{report.footer}*", ""]
    return "\n".join(lines)


_CSS: Final = """
:root{--ink:#1b1f24;--muted:#5b6570;--line:#d0d7de;--soft:#f4f6f8;--accent:#0b5cad}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:#fff}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem;padding-top:.5rem;border-top:2px solid var(--line)}
nav ol{columns:2 14rem;padding-left:1.2rem;margin:.5rem 0 1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.75rem 0}
table{border-collapse:collapse;min-width:100%;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.band{display:inline-block;padding:0 .45rem;border-radius:.25rem;font-weight:600;white-space:nowrap}
.muted{color:var(--muted)}
.strong{font-weight:700}
.side{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:flex-start}
.side .scroll{flex:1 1 22rem}
td.nowrap{white-space:nowrap}
table.grid{min-width:0;width:100%}
table.grid td{text-align:center;font-weight:700;min-width:3rem;height:2.4rem;vertical-align:middle}
table.grid td.corner{border:0;background:none}
table.grid td b{display:block;font-size:1.05rem;min-height:1.2em}
table.grid td small.band-name{display:block;font-weight:400;font-size:.68rem;opacity:.85}
.legend{font-size:.85rem;color:var(--muted)}.legend .key{margin-right:1rem;white-space:nowrap}
.legend .swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:.15rem;margin-right:.3rem;
vertical-align:-.1rem}
ul.items{list-style:none;padding:0;margin:.75rem 0}
ul.items li{padding:.45rem .6rem;margin:.3rem 0;border-left:.3rem solid #f9a825;background:var(--soft)}
ul.items li.error{border-left-color:#c62828}
ul.items .sev{font-weight:700}
ul.items small{display:block;margin-top:.1rem}
table.grid th[scope=row]{white-space:nowrap}
.bars{list-style:none;padding:0;margin:.75rem 0}
.bars li{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.5rem;align-items:center;
margin:.25rem 0}
.bar{display:flex;height:1.5rem;border:1px solid var(--line);border-radius:.25rem;overflow:hidden}
.bar span{display:flex;align-items:center;justify-content:center;font-size:.8rem;font-weight:700;
min-width:1.5rem}
footer{margin:2rem 0 1rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);
padding-top:.5rem}
@media (max-width:40rem){body{font-size:15px}main{padding:.75rem}dl.facts{grid-template-columns:1fr}
dl.facts dd{margin-bottom:.4rem}.bars li{grid-template-columns:1fr}}
@media print{body{font-size:10.5pt}main{max-width:none;padding:0}nav{display:none}
h2{break-after:avoid}tr,.bars li,table.grid{break-inside:avoid}.scroll{overflow:visible}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
""".strip()


def _ink(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#fff"


_NUM: Final = ' class="num"'


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _classes(table: _Table, column: int) -> tuple[str, ...]:
    return (("num",) if column in table.numeric else ()) + (("nowrap",) if column in table.nowrap else ())


def _html_cell(cell: _Cell, classes: tuple[str, ...] = ()) -> str:
    tag = "td"
    classes = (*classes, *(c for c, on in (("strong", cell.strong), ("muted", cell.muted)) if on))
    attr = f' class="{" ".join(classes)}"' if classes else ""
    text = _h(cell.text)
    if cell.colour and cell.text:
        text = f'<span class="band" style="background:{cell.colour};color:{_ink(cell.colour)}">{text}</span>'
    return f"<{tag}{attr}>{text}</{tag}>"


def _html_block(block: Block) -> str:  # noqa: PLR0911 - one branch per kind of block
    if isinstance(block, _Side):
        return '<div class="side">' + "".join(_html_block(b) for b in block.blocks) + "</div>"
    if isinstance(block, _Items):
        items = "".join(
            f'<li class="{"error" if error else "other"}"><span class="sev">{_h(sev)}</span> {_h(msg)}'
            f' <small class="muted">{_h(where)}</small></li>'
            for sev, msg, where, error in block.items
        )
        return f'<ul class="items">{items}</ul>'
    if isinstance(block, _Para):
        return f'<p class="muted">{_h(block.text)}</p>' if block.muted else f"<p>{_h(block.text)}</p>"
    if isinstance(block, _Facts):
        items = "".join(f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in block.pairs)
        return f'<dl class="facts">{items}</dl>'
    if isinstance(block, _Table):
        caption = f"<caption>{_h(block.caption)}</caption>" if block.caption else ""
        head = "".join(
            f'<th scope="col"{_NUM if i in block.numeric else ""}>{_h(h)}</th>'
            for i, h in enumerate(block.head)
        )
        body = "".join(
            "<tr>" + "".join(_html_cell(c, _classes(block, i)) for i, c in enumerate(row)) + "</tr>"
            for row in block.rows
        )
        table = f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        return f'<div class="scroll">{table}</div>'
    if isinstance(block, _Grid):
        head = (
            f'<tr><td class="corner"></td><th scope="colgroup" colspan="{len(block.columns)}">'
            f"{_h(block.across)} →</th></tr>"
            f'<tr><th scope="col">{_h(block.corner)} ↓</th>'
            + "".join(f'<th scope="col">{_h(c)}</th>' for c in block.columns)
            + "</tr>"
        )
        body = ""
        for label, cells in block.rows:
            # The count, and the band in words: the colour alone does not print in grey or read for all.
            tds = "".join(
                f'<td style="background:{colour};color:{_ink(colour)}"><b>{n or ""}</b>'
                f'<small class="band-name">{_h(band)}</small></td>'
                for band, colour, n in cells
            )
            body += f'<tr><th scope="row">{_h(label)}</th>{tds}</tr>'
        return (
            f'<div class="scroll"><table class="grid"><caption>{_h(block.caption)}</caption>'
            f"<thead>{head}</thead><tbody>{body}</tbody></table></div>"
        )
    items = ""
    for label, parts in block.rows:
        total = sum(n for _, _, n in parts) or 1
        spans = "".join(
            f'<span style="width:{100 * n / total:.1f}%;background:{colour};color:{_ink(colour)}"'
            f' title="{_h(band)}: {n}">{n}</span>'
            for band, colour, n in parts
            if n
        )
        items += f'<li><span>{_h(label)}</span><span class="bar">{spans}</span></li>'
    seen: dict[str, str] = dict(block.legend)
    for _, parts in block.rows:
        for band, colour, _n in parts:
            seen.setdefault(band, colour)
    key = "".join(
        f'<span class="key"><span class="swatch" style="background:{colour}"></span>{_h(band)}</span>'
        for band, colour in seen.items()
    )
    return f'<ul class="bars">{items}</ul><p class="legend">{key}</p>'


def _html(report: _Report) -> str:
    nav = "".join(f'<li><a href="#{s.anchor}">{_h(s.title)}</a></li>' for s in report.sections)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_h(report.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="forsvarlig">',
        f"<title>{_h(report.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_h(report.title)}</h1>",
        _html_block(report.facts),
        f"<nav><ol>{nav}</ol></nav>",
    ]
    for section in report.sections:
        parts.append(f'<section id="{section.anchor}"><h2>{_h(section.title)}</h2>')
        parts.extend(_html_block(b) for b in section.blocks)
        parts.append("</section>")
    parts += [f"<footer>{_h(report.footer)}</footer>", "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _render(report: _Report, format: str) -> str:  # noqa: A002 - the word people use
    return _markdown(report) if format == "md" else _html(report)


# ---------------------------------------------------------------------------
# Building a unit's report.


class _Unit:
    """What one assessment's report reads, computed once."""

    def __init__(
        self,
        *,
        assessment: RiskAssessment,
        catalogue: Catalogue,
        lang: str,
        on: dt.date,
        findings: Sequence[Finding],
        registry: StrategyRegistry | None,
        incidents_by: str,
    ) -> None:
        from forsvarlig.errors import ValidationError
        from forsvarlig.queries import _register, resolve

        self.a = assessment
        self.cat = catalogue
        self.lang = lang
        self.on = on
        self.findings = tuple(findings)
        self.registry = registry
        self.incidents_by = incidents_by
        self.titles = {h.id: h.title for h in assessment.hazards}
        try:
            resolve(assessment, catalogue, registry=registry)
        except ValidationError:
            self.rows: tuple[Any, ...] | None = None
        else:
            self.rows = _register(assessment, catalogue, registry)

    # -- words for catalogue entries ----------------------------------------

    def label(self, kind: str, entry_id: str) -> str:
        entries: Mapping[str, Any] = getattr(self.cat, kind)
        entry = entries.get(entry_id)
        return entry.label.get(self.lang) if entry is not None else entry_id

    def band_cell(self, score: Score | None) -> _Cell:
        if score is None:
            return _Cell("")
        band = self.cat.band_set(score.band_set).band(score.band)
        return _Cell(band.label.get(self.lang), colour=band.colour)

    def who(self, value: str | None) -> str:
        return "" if value is None else _e(value, self.lang)

    # -- sections -------------------------------------------------------------

    def facts(self) -> _Facts:
        a, lang = self.a, self.lang
        pairs = [(_w("unit", lang), a.unit), (_w("date", lang), a.date.isoformat())]
        if a.period_from or a.period_to:
            pairs.append((_w("period", lang), f"{_day(a.period_from)} – {_day(a.period_to)}"))
        if a.scope:
            pairs.append((_w("scope", lang), a.scope))
        status = _e(a.status.value, lang)
        if a.approved_by is not None:
            status += f" ({_w('approved-by', lang).lower()} {_e(a.approved_by.value, lang).lower()})"
        pairs.append((_w("status", lang), status))
        revision = str(a.revision) + (f" ({_w('replaces', lang)} {a.replaces})" if a.replaces else "")
        pairs.append((_w("revision", lang), revision))
        methods = ", ".join(f"{self.label('methods', m)} ({m}@{v})" for m, v in a.methods.items())
        pairs.append((_w("methods", lang), methods))
        if a.acceptance is not None:
            criteria = f"{_w('action-from', lang)}: {self.action_band()}"
            if a.acceptance.rationale:
                criteria += f". {a.acceptance.rationale}"
            pairs.append((_w("acceptance", lang), criteria))
        if a.next_review is not None:
            pairs.append((_w("next-review", lang), a.next_review.isoformat()))
        if a.triggers:
            pairs.append((_w("triggers", lang), ", ".join(_e(t.value, lang) for t in a.triggers)))
        pairs.append((_w("catalogue", lang), ", ".join(f"{k} {v}" for k, v in a.catalogue.items())))
        return _Facts(tuple(pairs))

    def action_band(self) -> str:
        criteria = self.a.acceptance
        assert criteria is not None  # noqa: S101 - the caller checked
        try:
            if criteria.band_set is not None:
                bands = self.cat.band_set(criteria.band_set)
            else:
                from forsvarlig.scoring import scorer

                bands = scorer(self.a.method, self.cat, registry=self.registry).bands
            return bands.band(criteria.action_band).label.get(self.lang)
        except ForsvarligError:
            return criteria.action_band

    def summary(self) -> _Section:
        lang = self.lang
        counts = {s: sum(f.severity.value == s for f in self.findings) for s in ("error", "warning", "info")}
        late = sum(m.overdue(self.on) for m in self.a.measures)
        pairs = [
            (_w("hazards", lang), str(len(self.a.hazards))),
            (
                _w("measures", lang),
                (
                    f"{len(self.a.measures)} ({sum(m.open for m in self.a.measures)} {_w('open', lang)},"
                    f" {late} {_w('overdue', lang)})"
                ),
            ),
            (
                _w("findings", lang),
                (
                    f"{_n(counts['error'], 'errors', lang)}, {_n(counts['warning'], 'warnings', lang)},"
                    f" {_n(counts['info'], 'infos', lang)}"
                ),
            ),
        ]
        blocks: list[Block] = [_Facts(tuple(pairs))]
        if self.rows:
            blocks.append(self._spread())
        return _Section(_w("summary", lang), tuple(blocks), "summary")

    def _spread(self) -> _Bars:
        assert self.rows is not None  # noqa: S101 - the caller checked
        rows = []
        legend: set[tuple[int, str, str]] = set()
        for stage in ("inherent", "current", "residual"):
            counts: dict[tuple[str, str], list[Any]] = {}
            for row in self.rows:
                score = getattr(row, stage)
                if score is None:
                    continue
                band = self.cat.band_set(score.band_set).band(score.band)
                entry = counts.setdefault(
                    (score.band_set, score.band), [band.rank, band.label.get(self.lang), band.colour, 0]
                )
                entry[3] += 1
            if counts:
                parts = tuple((label, colour, n) for _, label, colour, n in sorted(counts.values()))
                rows.append((_w(stage, self.lang), parts))
                legend |= {(rank, label, colour) for rank, label, colour, _ in counts.values()}
        return _Bars(tuple(rows), tuple((label, colour) for _, label, colour in sorted(legend)))

    def findings_section(self) -> _Section:
        lang = self.lang
        if not self.findings:
            return _Section(_w("findings", lang), (_Para(_w("no-findings", lang)),), "findings")
        items = tuple(
            (
                _e(f.severity.value, lang),
                f.message.get(lang),
                f"{f.code} · {f.path}",
                f.severity.value == "error",
            )
            for f in self.findings
        )
        return _Section(_w("findings", lang), (_Items(items),), "findings")

    def register(self) -> _Section:
        lang = self.lang
        blocks: list[Block] = [_Para(_w("register-note", lang), muted=True)]
        if self.rows is None:
            blocks.append(_Para(self._unresolved()))
            return _Section(_w("register", lang), tuple(blocks), "register")
        rows = []
        for row in self.rows:
            cells = [
                _cell(row.rank),
                _Cell(row.title, strong=True),
                _Cell(", ".join(self.label("factors", f) for f in row.factors)),
                self.band_cell(row.inherent),
                self.band_cell(row.current),
                self.band_cell(row.residual),
                _Cell(str(len(row.measures))),
            ]
            if row.status not in (None, "estimated"):
                cells[4] = _Cell(_e(row.status, lang), muted=True)
            rows.append(tuple(cells))
        head = (
            _w("rank", lang),
            _w("hazard", lang),
            _w("factors", lang),
            _w("inherent", lang),
            _w("current", lang),
            _w("residual", lang),
            _w("measures", lang),
        )
        blocks.append(_Table(head, tuple(rows), numeric=frozenset({0, 6})))
        return _Section(_w("register", lang), tuple(blocks), "register")

    def _unresolved(self) -> str:
        if self.lang == "en":
            return "The assessment does not resolve against the catalogue: see the findings."
        return "Vurderingen viser til noe katalogen ikke har: se funnene."

    def heat(self) -> _Section:
        lang = self.lang
        blocks: list[Block] = [_Para(_w("heat-note", lang), muted=True)]
        if self.rows is None:
            blocks.append(_Para(self._unresolved()))
            return _Section(_w("heat", lang), tuple(blocks), "matrix")
        from forsvarlig.scoring import scorer

        by_method: dict[str, dict[str, list[Score]]] = {}
        for row in self.rows:
            before, after = row.now, row.after
            for stage, score in (("before", before), ("after", after)):
                if score is not None and score.method is not None:
                    by_method.setdefault(score.method, {"before": [], "after": []})[stage].append(score)
        for method_id in sorted(by_method, key=lambda m: (m != self.a.method, m)):
            strategy = scorer(method_id, self.cat, registry=self.registry)
            name = self.label("methods", method_id)
            if len(strategy.dimensions) != 2:
                blocks.append(_Para(f"{name} {_w('no-heat', lang)}"))
                continue
            grids = tuple(
                self._grid(strategy, by_method[method_id][stage], f"{_w(stage, lang)} · {name}")
                for stage in ("before", "after")
            )
            blocks.append(_Side(grids))
        return _Section(_w("heat", lang), tuple(blocks), "matrix")

    def _grid(self, strategy: ScoringStrategy, scores: Sequence[Score], caption: str) -> _Grid:
        (rd, rows_scale), (cd, cols_scale) = strategy.dimensions.items()
        counts: dict[tuple[str, str], int] = {}
        for s in scores:
            key = (s.inputs[rd], s.inputs[cd])
            counts[key] = counts.get(key, 0) + 1
        out = []
        for r in reversed(rows_scale.levels):
            cells = []
            for c in cols_scale.levels:
                score = strategy.score({rd: r.id, cd: c.id})
                band = self.cat.band_set(score.band_set).band(score.band)
                cells.append((band.label.get(self.lang), band.colour, counts.get((r.id, c.id), 0)))
            out.append((r.label.get(self.lang), tuple(cells)))
        return _Grid(
            caption,
            rows_scale.label.get(self.lang),
            cols_scale.label.get(self.lang),
            tuple(c.label.get(self.lang) for c in cols_scale.levels),
            tuple(out),
        )

    def plan(self) -> _Section:
        lang = self.lang
        if not self.a.measures:
            return _Section(_w("plan", lang), (_Para(_w("no-measures", lang)),), "plan")
        order = {t: i for i, t in enumerate(self.cat.targets)}
        targets = sorted({m.target for m in self.a.measures}, key=lambda t: (order.get(t, len(order)), t))
        head = (
            _w("measure", lang),
            _w("hazards", lang),
            _w("prevention", lang),
            _w("kind", lang),
            _w("owner", lang),
            _w("due", lang),
            _w("status", lang),
            _w("scope", lang),
        )
        blocks: list[Block] = []
        for target in targets:
            rows = []
            for m in self.a.measures:
                if m.target != target:
                    continue
                status = _e(m.status.value, lang) + (f" ({_w('in-place', lang)})" if m.in_place else "")
                late = m.overdue(self.on)
                if late:
                    status += f" — {_w('overdue', lang)}"
                rows.append(
                    (
                        _Cell(m.what, strong=True),
                        _Cell(", ".join(self.titles.get(h, h) for h in m.hazards)),
                        _Cell(_e(m.prevention.value, lang)),
                        _Cell(_e(m.kind.value, lang)),
                        _Cell(self.who(m.owner)),
                        _Cell(_day(m.due), strong=late),
                        _Cell(status, strong=late),
                        _Cell(_e(m.scope.value, lang)),
                    )
                )
            blocks.append(
                _Table(head, tuple(rows), caption=self.label("targets", target), nowrap=frozenset({5}))
            )
        return _Section(_w("plan", lang), tuple(blocks), "plan")

    def evaluations(self) -> _Section:
        lang = self.lang
        if not self.a.evaluations:
            return _Section(_w("evaluations", lang), (_Para(_w("no-evaluations", lang)),), "evaluations")
        from forsvarlig.queries import _method_of, _Resolver, _score

        whats = {m.id: m for m in self.a.measures}
        resolver = _Resolver(self.cat, self.registry)
        rows = []
        for e in sorted(self.a.evaluations, key=lambda e: (e.on, e.measure)):
            measure = whats.get(e.measure)
            band = _Cell("")
            if e.estimate is not None and self.rows is not None:
                hazard_id = e.hazard or (measure.hazards[0] if measure and measure.hazards else None)
                hazard = next((h for h in self.a.hazards if h.id == hazard_id), None)
                band = self.band_cell(_score(resolver, _method_of(self.a, hazard, e.estimate), e.estimate))
            rows.append(
                (
                    _Cell(measure.what if measure else e.measure, strong=True),
                    _Cell(e.on.isoformat()),
                    _Cell(_w("yes" if e.implemented else "no", lang)),
                    _Cell(_e(e.effect.value, lang)),
                    _Cell(e.achieved or ""),
                    band,
                    _Cell(
                        _day(e.next_follow_up), strong=bool(e.next_follow_up and e.next_follow_up < self.on)
                    ),
                    _Cell(self.who(e.by)),
                )
            )
        head = (
            _w("measure", lang),
            _w("on", lang),
            _w("implemented", lang),
            _w("effect", lang),
            _w("achieved", lang),
            _w("reassessed", lang),
            _w("next-follow-up", lang),
            _w("by", lang),
        )
        table = _Table(head, tuple(rows), nowrap=frozenset({1, 6}))
        return _Section(_w("evaluations", lang), (table,), "evaluations")

    def incidents(self) -> _Section | None:
        if not self.a.incidents or self.rows is None:
            return None
        from forsvarlig.incidents import incident_statistics

        lang = self.lang
        rows = []
        seen: set[tuple[str, str]] = set()
        for r in incident_statistics(self.a, self.cat, period=self.incidents_by, registry=self.registry):
            scale = self.cat.scales.get(r.scale or "")
            suggested = scale.level(r.suggested).label.get(lang) if scale and r.suggested else ""
            known = scale is not None and r.estimated is not None and r.estimated in scale
            estimated = scale.level(r.estimated).label.get(lang) if known and scale and r.estimated else ""
            if r.below:
                estimated += f" — {_w('below', lang)}"
            hazard = self.titles.get(r.hazard or "", "") or _w("no-hazard", lang)
            # A factor's count shows once, on its first hazard's row: the column adds up.
            first = (r.factor, r.period) not in seen
            seen.add((r.factor, r.period))
            severities = ", ".join(f"{self._severity(k)} {n}" for k, n in r.severities.items())
            rows.append(
                (
                    _Cell(self.label("factors", r.factor) if first else "", strong=True),
                    _Cell(r.period if first else ""),
                    _cell(r.count if first else ""),
                    _Cell(severities if first else ""),
                    _Cell(_number(r.per_year, lang) if first else ""),
                    _Cell(suggested),
                    _Cell(hazard, muted=r.hazard is None),
                    _Cell(estimated, strong=r.below),
                )
            )
        head = (
            _w("factor", lang),
            _w("period", lang),
            _w("count", lang),
            _w("by-severity", lang),
            _w("per-year", lang),
            _w("at-least", lang),
            _w("hazard", lang),
            _w("estimated", lang),
        )
        table = _Table(head, tuple(rows), numeric=frozenset({2, 4}), nowrap=frozenset({1}))
        blocks = (_Para(_w("incidents-note", lang), muted=True), table)
        return _Section(_w("incidents", lang), blocks, "incidents")

    def _severity(self, level: str) -> str:
        for scale in self.cat.scales.values():
            if scale.kind.value == "severity" and level in scale:
                return scale.level(level).label.get(self.lang)
        return level

    def participation(self) -> _Section:
        from forsvarlig.assessment import Step

        lang = self.lang
        if not self.a.participants:
            return _Section(_w("participation", lang), (_Para(_w("no-participants", lang)),), "participation")
        head = (_w("participant", lang), _w("role", lang), *(_e(s.value, lang) for s in Step))
        rows = []
        said = []
        for p in self.a.participants:
            how = {x.step: x for x in p.participation}
            cells = [_Cell(p.name or p.id, strong=True), _Cell(_e(p.role.value, lang))]
            for step in Step:
                x = how.get(step)
                cells.append(_Cell("" if x is None else f"{_e(x.how.value, lang)} {_day(x.on)}".strip()))
            rows.append(tuple(cells))
            for x in p.participation:
                for key, text in (("statement", x.statement), ("dissent", x.dissent)):
                    if text:
                        said.append(
                            (
                                _Cell(p.name or p.id, strong=True),
                                _Cell(_e(x.step.value, lang)),
                                _Cell(_w(key, lang), strong=key == "dissent"),
                                _Cell(text),
                            )
                        )
        blocks: list[Block] = [_Table(head, tuple(rows))]
        if said:
            blocks.append(
                _Table(
                    (_w("participant", lang), _w("step", lang), _w("kind", lang), _w("text", lang)),
                    tuple(said),
                    caption=_w("statements", lang),
                )
            )
        return _Section(_w("participation", lang), tuple(blocks), "participation")

    def coverage(self) -> _Section:
        from forsvarlig.queries import coverage

        lang = self.lang
        reasons = {j.factor: j.reason for j in self.a.factors}
        rows = tuple(
            (
                _Cell(self.label("factors", factor_id)),
                _Cell(_e(c.value, lang), strong=c.value == "not-considered"),
                _Cell(reasons.get(factor_id) or ""),
            )
            for factor_id, c in coverage(self.a, self.cat).items()
        )
        head = (_w("factor", lang), _w("status", lang), _w("reason", lang))
        blocks = (_Para(_w("coverage-note", lang), muted=True), _Table(head, rows))
        return _Section(_w("coverage", lang), blocks, "coverage")

    def combined(self) -> _Section:
        lang = self.lang
        c = self.a.combined
        if c is None:
            return _Section(_w("combined", lang), (_Para(_w("no-combined", lang)),), "combined")
        blocks: list[Block] = []
        if c.estimated and self.rows is not None:
            from forsvarlig.queries import _method_of, _Resolver, _score

            score = _score(_Resolver(self.cat, self.registry), _method_of(self.a, None, c), c)
            if score is not None:
                levels = ", ".join(
                    self.cat.scale(score.scales[d]).level(level).label.get(lang)
                    for d, level in score.inputs.items()
                )
                blocks.append(
                    _Table((_w("risk", lang), _w("levels", lang)), ((self.band_cell(score), _Cell(levels)),))
                )
        text = c.rationale or c.reason or ""
        if text:
            blocks.append(_Para(text))
        return _Section(_w("combined", lang), tuple(blocks), "combined")


def _footer(lang: str, on: dt.date, catalogue: Catalogue) -> str:
    import forsvarlig

    spaces = ", ".join(f"{k} {v}" for k, v in catalogue.namespaces.items())
    made = f"{_w('made-with', lang)} {forsvarlig.__version__}, {_w('reviewed-on', lang)} {on.isoformat()}"
    return f"{made}; {_w('catalogue', lang).lower()}: {spaces}."


def _options(format: str, lang: str, incidents_by: str, on: dt.date | None) -> tuple[str, dt.date]:  # noqa: A002
    """Check a report's options before any work; return the language and the day."""
    from forsvarlig.incidents import IncidentPeriod

    if lang not in {"nb", "nn", "en"}:
        msg = f"unknown report language {lang!r}: use nb, nn or en"
        raise ForsvarligError(msg)
    if format not in REPORT_FORMATS:
        msg = f"unknown report format {format!r}: use one of {', '.join(REPORT_FORMATS)}"
        raise ForsvarligError(msg)
    IncidentPeriod(incidents_by)
    return lang, on or dt.date.today()  # noqa: DTZ011 - the reader's day


def _present(sections: Sequence[_Section | None]) -> tuple[_Section, ...]:
    return tuple(s for s in sections if s is not None)


def assessment_report(
    assessment: RiskAssessment,
    catalogue: Catalogue,
    *,
    format: str = "html",  # noqa: A002 - the word people use
    lang: str = "en",
    on: dt.date | None = None,
    findings: Sequence[Finding] | None = None,
    rules: RuleRegistry | None = None,
    registry: StrategyRegistry | None = None,
    incidents_by: str = "year",
) -> str:
    """Render one assessment as a report: Markdown, or one self-contained HTML page.

    Args:
        assessment: The assessment.
        catalogue: The catalogue it is read against (labels, matrices, bands).
        format: `md` or `html` (see `REPORT_FORMATS`).
        lang: `nb`, `nn` (falls back to `nb` where a word has no `nn`) or `en`.
        on: The day of the report: what is overdue is judged against it;
            today if None.
        findings: The review's findings, if already made; else the
            assessment is reviewed with `rules`.
        rules: The rules to review with; the default registry's if None.
        registry: Where to find the methods' strategies; the default one if None.
        incidents_by: The period incidents are counted in: `year`, `half`,
            `quarter` or `month`.

    Raises:
        ForsvarligError: For an unknown format or language.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import default_catalogue
        >>> from forsvarlig.assessment import RiskAssessment
        >>> a = RiskAssessment(unit="Lab", date=dt.date(2026, 1, 5), method="fv.matrix-5x5",
        ...                    catalogue={"fv": "0.1.0"}, methods={"fv.matrix-5x5": 1})
        >>> page = assessment_report(a, default_catalogue(), lang="nb", on=dt.date(2026, 2, 1))
        >>> page.startswith("<!DOCTYPE html>"), '<html lang="nb">' in page
        (True, True)

    Added in version 0.1.
    """
    lang, on = _options(format, lang, incidents_by, on)
    if findings is None:
        from forsvarlig.rules import review

        findings = review(assessment, catalogue, on=on, rules=rules, strategies=registry)
    unit = _Unit(
        assessment=assessment,
        catalogue=catalogue,
        lang=lang,
        on=on,
        findings=findings,
        registry=registry,
        incidents_by=incidents_by,
    )
    sections = [
        unit.summary(),
        unit.findings_section(),
        unit.register(),
        unit.heat(),
        unit.plan(),
        unit.evaluations(),
        unit.incidents(),
        unit.participation(),
        unit.coverage(),
        unit.combined(),
    ]
    title = f"{_w('title', lang)}: {assessment.unit}"
    return _render(
        _Report(lang, title, unit.facts(), _present(sections), _footer(lang, on, catalogue)), format
    )


# ---------------------------------------------------------------------------
# The organisation report.


class _Org:
    """What the organisation report reads, computed once."""

    def __init__(
        self,
        *,
        view: OrganisationView,
        assessments: Sequence[RiskAssessment],
        catalogue: Catalogue,
        lang: str,
        findings: Mapping[str, Sequence[Finding]],
        registry: StrategyRegistry | None,
        incidents_by: str,
        lift_at: int,
    ) -> None:
        self.view = view
        self.view_lift_at = lift_at
        self.assessments = assessments
        self.cat = catalogue
        self.lang = lang
        self.findings = findings
        self.registry = registry
        self.incidents_by = incidents_by

    def label(self, kind: str, entry_id: str) -> str:
        entry = getattr(self.cat, kind).get(entry_id)
        return entry.label.get(self.lang) if entry is not None else entry_id

    def band(self, band: tuple[str, str] | None) -> _Cell:
        if band is None:
            return _Cell("")
        b = self.cat.band_set(band[0]).band(band[1])
        return _Cell(b.label.get(self.lang), colour=b.colour)

    def bars(self, residual: Mapping[str, Mapping[str, int]]) -> tuple[tuple[str, str, int], ...]:
        parts = []
        for band_set, band in self.view.bands:
            n = residual.get(band_set, {}).get(band, 0)
            if n:
                b = self.cat.band_set(band_set).band(band)
                parts.append((b.label.get(self.lang), b.colour, n))
        return tuple(parts)

    def facts(self) -> _Facts:
        v, lang = self.view, self.lang
        hazards = sum(u.hazards for u in v.units)
        measures = sum(u.measures for u in v.units)
        late = sum(len(u.overdue_measures) for u in v.units)
        pairs = (
            (_w("units", lang), f"{len(v.units)}: {'; '.join(u.unit for u in v.units)}"),
            (_w("hazards", lang), str(hazards)),
            (
                _w("measures", lang),
                (
                    f"{measures} ({sum(u.open_measures for u in v.units)} {_w('open', lang)},"
                    f" {late} {_w('overdue', lang)})"
                ),
            ),
            (_w("shared-measures", lang), str(len(v.shared))),
            (_w("lift", lang), str(len(v.lift))),
            (_w("date", lang), v.on.isoformat()),
        )
        return _Facts(pairs)

    def lift(self) -> _Section:
        lang = self.lang
        if not self.view.lift:
            text = _w("no-lift", lang).format(n=self.view_lift_at)
            return _Section(_w("lift", lang), (_Para(text),), "lift")
        items = tuple(
            (
                self.label("factors", r.factor),
                "; ".join(r.units),
                f"{_n(len(r.units), 'units-n', lang)}, {_n(r.hazards, 'hazards-n', lang)}",
                False,
            )
            for r in self.view.lift
        )
        return _Section(
            _w("lift", lang), (_Para(_w("recurring-note", lang), muted=True), _Items(items)), "lift"
        )

    def recurring(self) -> _Section:
        lang = self.lang
        if not self.view.recurring:
            return _Section(_w("recurring", lang), (_Para(_w("no-recurring", lang)),), "recurring")
        whats = {m.id: m.what for m in self.view.shared}
        rows = tuple(
            (
                _Cell(self.label("factors", r.factor), strong=True),
                _cell(len(r.units)),
                _Cell(
                    "; ".join(f"{u} ({self.band(b).text})" for u, b in r.highest.items())
                    or "; ".join(r.units)
                ),
                _cell(r.hazards),
                _Cell("; ".join(whats.get(m, m) for m in r.shared)),
                _Cell(_w("lift-yes", lang) if r.lift else "", strong=r.lift),
            )
            for r in self.view.recurring
        )
        head = (
            _w("factor", lang),
            _w("units", lang),
            f"{_w('units', lang)} ({_w('highest', lang).lower()} {_w('current', lang).lower()})",
            _w("hazards", lang),
            _w("shared-measures", lang),
            _w("lift", lang),
        )
        table = _Table(head, rows, numeric=frozenset({1, 3}))
        return _Section(_w("recurring", lang), (table,), "recurring")

    def shared(self) -> _Section:
        lang = self.lang
        if not self.view.shared:
            return _Section(_w("shared-measures", lang), (_Para(_w("no-shared", lang)),), "shared")
        rows = tuple(
            (
                _Cell(m.what, strong=True),
                _Cell(_e(m.scope, lang)),
                _Cell(self.label("targets", m.target)),
                _Cell("; ".join(m.units)),
                _Cell(", ".join(self.label("factors", f) for f in m.factors)),
                _Cell(", ".join(_e(o, lang) for o in m.owners)),
                _Cell(_day(m.due), strong=bool(m.overdue_in)),
                _Cell("; ".join(m.open_in)),
                _Cell("; ".join(m.overdue_in), strong=True),
            )
            for m in self.view.shared
        )
        head = (
            _w("measure", lang),
            _w("scope", lang),
            _w("target", lang),
            _w("units", lang),
            _w("factors", lang),
            _w("owner", lang),
            _w("due", lang),
            _w("open", lang).capitalize(),
            _w("overdue", lang).capitalize(),
        )
        return _Section(_w("shared-measures", lang), (_Table(head, rows, nowrap=frozenset({6})),), "shared")

    def units(self) -> _Section:
        lang = self.lang
        rows = []
        for u in self.view.units:
            found = self.findings.get(u.unit, ())
            errors = sum(f.severity.value == "error" for f in found)
            warnings = sum(f.severity.value == "warning" for f in found)
            rows.append(
                (
                    _Cell(u.unit, strong=True),
                    _Cell(u.date.isoformat()),
                    _Cell(_e(u.status, lang)),
                    _cell(u.hazards),
                    _Cell(f"{u.open_measures}/{u.measures}"),
                    _cell(len(u.overdue_measures)),
                    _cell(len(u.overdue_follow_ups)),
                    _Cell(_w("yes", lang) if u.review_overdue else "", strong=u.review_overdue),
                    self.band(u.highest),
                    _Cell(f"{errors} / {warnings}", strong=bool(errors)),
                )
            )
        head = (
            _w("unit", lang),
            _w("date", lang),
            _w("status", lang),
            _w("hazards", lang),
            f"{_w('measures', lang)} ({_w('open', lang)})",
            _w("overdue-measures", lang),
            _w("overdue-follow-ups", lang),
            _w("review-overdue", lang),
            f"{_w('highest', lang)} {_w('residual', lang).lower()}",
            f"{_w('errors', lang).capitalize()} / {_w('warnings', lang)}",
        )
        table = _Table(head, tuple(rows), numeric=frozenset({3, 4, 5, 6}), nowrap=frozenset({1}))
        return _Section(_w("units", lang), (table,), "units")

    def lagging(self) -> _Section:
        lang = self.lang
        if not self.view.lagging:
            return _Section(_w("lagging", lang), (_Para(_w("no-lagging", lang)),), "lagging")
        rows = tuple(
            (
                _Cell(u.unit, strong=True),
                _cell(len(u.overdue_measures)),
                _cell(len(u.overdue_follow_ups)),
                _Cell(_w("yes", lang) if u.review_overdue else _w("no", lang), strong=u.review_overdue),
            )
            for u in self.view.lagging
        )
        head = (
            _w("unit", lang),
            _w("overdue-measures", lang),
            _w("overdue-follow-ups", lang),
            _w("review-overdue", lang),
        )
        return _Section(_w("lagging", lang), (_Table(head, rows, numeric=frozenset({1, 2})),), "lagging")

    def spread(self) -> _Section:
        lang = self.lang
        rows = [(_w("all", lang), self.bars(self.view.residual))]
        rows += [(u.unit, self.bars(u.residual)) for u in self.view.units]
        return _Section(_w("residual-spread", lang), (_Bars(tuple(rows)),), "residual")

    def incidents(self) -> _Section | None:
        from forsvarlig.incidents import incident_statistics

        lang = self.lang
        counts: dict[tuple[str, str], dict[str, int]] = {}
        below: dict[tuple[str, str], set[str]] = {}
        for a in self.assessments:
            for r in incident_statistics(a, self.cat, period=self.incidents_by, registry=self.registry):
                counts.setdefault((r.factor, r.period), {})[a.unit] = r.count
                if r.below:
                    below.setdefault((r.factor, r.period), set()).add(a.unit)
        if not counts:
            return None
        rows = tuple(
            (
                _Cell(self.label("factors", factor), strong=True),
                _Cell(period),
                _cell(sum(by_unit.values())),
                _Cell("; ".join(f"{u}: {n}" for u, n in sorted(by_unit.items()) if n)),
                _Cell("; ".join(sorted(below.get((factor, period), ()))), strong=True),
            )
            for (factor, period), by_unit in sorted(counts.items())
        )
        head = (
            _w("factor", lang),
            _w("period", lang),
            _w("count", lang),
            _w("units", lang),
            f"{_w('estimated', lang)}: {_w('below', lang)}",
        )
        blocks = (_Para(_w("incidents-note", lang), muted=True), _Table(head, rows, numeric=frozenset({2})))
        return _Section(_w("incidents-across", lang), blocks, "incidents")

    def superseded(self) -> _Section | None:
        if not self.view.superseded:
            return None
        lang = self.lang
        text = "; ".join(
            f"{unit} ({_w('revision', lang).lower()} {rev})" for unit, rev in self.view.superseded
        )
        return _Section(_w("superseded", lang), (_Para(text),), "superseded")


def organisation_report(
    assessments: Iterable[RiskAssessment],
    catalogue: Catalogue,
    *,
    format: str = "html",  # noqa: A002 - the word people use
    lang: str = "en",
    on: dt.date | None = None,
    lift_at: int = 2,
    rules: RuleRegistry | None = None,
    registry: StrategyRegistry | None = None,
    incidents_by: str = "year",
) -> str:
    """Render several units' assessments read together (see `organisation_view`) as a report.

    It shows the factors to be lifted above the unit, the factors that recur
    and the shared measures that act on them, every unit with what is late
    and its review's findings, the units whose follow-up lags, the spread of
    residual risk, and incidents across units.

    Args:
        assessments: The units' assessments (the latest of each unit is read).
        catalogue: The catalogue they are read against.
        format: `md` or `html` (see `REPORT_FORMATS`).
        lang: `nb`, `nn` or `en`.
        on: The day overdue is judged against; today if None.
        lift_at: In how many units a factor must recur to be flagged.
        rules: The rules to review each unit with; the default registry's if None.
        registry: Where to find the methods' strategies; the default one if None.
        incidents_by: `year`, `half`, `quarter` or `month`.

    Raises:
        ValidationError: If an assessment does not resolve against the catalogue.
        ForsvarligError: For an unknown format or language.

    Examples:
        >>> import datetime as dt
        >>> from forsvarlig import default_catalogue
        >>> page = organisation_report([], default_catalogue(), format="md", on=dt.date(2026, 6, 1))
        >>> page.splitlines()[0]
        '# Psychosocial risk across units: 0 units'

    Added in version 0.1.
    """
    from forsvarlig.organisation import _latest, organisation_view
    from forsvarlig.rules import review

    lang, on = _options(format, lang, incidents_by, on)
    given = list(assessments)
    view = organisation_view(given, catalogue, on=on, lift_at=lift_at, registry=registry)
    latest, _ = _latest(given)
    findings = {a.unit: review(a, catalogue, on=on, rules=rules, strategies=registry) for a in latest}
    org = _Org(
        view=view,
        assessments=latest,
        catalogue=catalogue,
        lang=lang,
        findings=findings,
        registry=registry,
        incidents_by=incidents_by,
        lift_at=lift_at,
    )
    sections = [
        org.lift(),
        org.recurring(),
        org.shared(),
        org.units(),
        org.lagging(),
        org.spread(),
        org.incidents(),
        org.superseded(),
    ]
    title = f"{_w('org-title', lang)}: {_n(len(view.units), 'units-n', lang)}"
    return _render(
        _Report(lang, title, org.facts(), _present(sections), _footer(lang, on, catalogue)), format
    )


# ---------------------------------------------------------------------------
# Notebook views: what `_repr_html_` shows, and `view()` in a chosen language.

_NB_CSS: Final = (
    "<style>.fv-view{font:14px/1.45 system-ui,sans-serif;max-width:64rem}"
    ".fv-view table{border-collapse:collapse;margin:.4rem 0}"
    ".fv-view th,.fv-view td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;"
    "vertical-align:top}"
    ".fv-view caption{text-align:left;font-weight:600}.fv-view .band{padding:0 .4rem;border-radius:.2rem;"
    "font-weight:600;white-space:nowrap}.fv-view .muted{color:#5b6570}.fv-view .strong{font-weight:700}"
    ".fv-view table.grid td{text-align:center;font-weight:700;min-width:2.6rem}"
    ".fv-view td.corner{border:0}.fv-view .num{text-align:right}"
    ".fv-view table.grid td b{display:block}.fv-view small.band-name{display:block;font-weight:400;"
    "font-size:.68rem}"
    ".fv-view ul.items{list-style:none;padding:0}.fv-view ul.items li{padding:.3rem .5rem;margin:.25rem 0;"
    "border-left:.25rem solid #f9a825;background:#f4f6f8}"
    ".fv-view ul.items li.error{border-left-color:#c62828}"
    ".fv-view .sev{font-weight:700}.fv-view small{display:block}</style>"
)


class View:
    """An HTML view of a forsvarlig value, in a language: what a notebook shows.

    Made by `view`; Jupyter renders it through `_repr_html_`, and `str()` gives the HTML.

    Examples:
        >>> from forsvarlig import default_catalogue
        >>> v = view(default_catalogue().scale("fv.talk-frequency"), lang="nb")
        >>> "Daglig" in v.html
        True

    Added in version 0.1.
    """

    __slots__ = ("html",)

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<View of {len(self.html):,} characters of HTML>"


def view(
    value: Any,
    *,
    lang: str = "en",
    catalogue: Catalogue | None = None,
    on: dt.date | None = None,
    estimates: Iterable[Any] | None = None,
) -> View:
    """Show a scale, a matrix, a catalogue, an assessment or findings as HTML, in a language.

    The types' own `_repr_html_` show the same in English; `view` chooses the
    language, and gives what a view needs beyond the value: the catalogue an
    assessment is read against (the built-in one if None), the day overdue is
    judged on (today if None), or the estimates whose levels a matrix counts.

    Args:
        value: A `Scale`, `RiskMatrix`, `Catalogue`, `RiskAssessment`, or a
            sequence of `Finding`s (what `review` returns).
        lang: `nb`, `nn` or `en`.
        catalogue: For an assessment: the catalogue to read it against.
        on: For an assessment: the day of the review.
        estimates: For a matrix: `RiskEstimate`s (or mappings of dimension to
            level); each is counted in the cell of its row and column levels.

    Raises:
        ForsvarligError: For a value there is no view of, or an unknown language.

    Examples:
        >>> from forsvarlig import RiskEstimate, default_catalogue
        >>> m = default_catalogue().matrix("fv.talk-frequency-by-consequence")
        >>> e = RiskEstimate(levels={"frequency": "daily", "consequence": "complaints"})
        >>> "<b>2</b>" in view(m, estimates=[e, e]).html
        True

    Added in version 0.1.
    """
    from forsvarlig.assessment import RiskAssessment
    from forsvarlig.catalogue import Catalogue
    from forsvarlig.matrix import RiskMatrix
    from forsvarlig.rules import Finding
    from forsvarlig.scales import Scale

    if lang not in {"nb", "nn", "en"}:
        msg = f"unknown language {lang!r}: use nb, nn or en"
        raise ForsvarligError(msg)
    if isinstance(value, Scale):
        return View(_wrap(_scale_block(value, lang)))
    if isinstance(value, RiskMatrix):
        return View(_wrap(_matrix_block(value, lang, estimates)))
    if isinstance(value, Catalogue):
        return View(_wrap(*_catalogue_blocks(value, lang)))
    if isinstance(value, RiskAssessment):
        return View(_assessment_view(value, catalogue, lang, on))
    if isinstance(value, (tuple, list)) and all(isinstance(f, Finding) for f in value):
        return View(_wrap(_findings_block(value, lang)))
    msg = f"no view of {type(value).__name__}: give a scale, matrix, catalogue, assessment or findings"
    raise ForsvarligError(msg)


def _wrap(*blocks: Block) -> str:
    return _NB_CSS + '<div class="fv-view">' + "".join(_html_block(b) for b in blocks) + "</div>"


def _scale_block(scale: Any, lang: str) -> _Table:
    unit = ("/yr" if lang == "en" else "/år") if scale.kind.value == "frequency" else ""
    rows = tuple(
        (
            _cell(level.rank),
            _Cell(level.id, muted=True),
            _Cell(level.label.get(lang), strong=True),
            _Cell("" if level.bounds is None else f"{level.bounds[0]:g}–{level.bounds[1]:g}{unit}"),
            _Cell("" if level.description is None else level.description.get(lang)),
        )
        for level in scale.levels
    )
    caption = f"{scale.label.get(lang)} · {scale.id} · {scale.kind.value}"
    head = (_w("rank", lang), "id", _w("levels", lang), _w("bounds", lang), _w("description", lang))
    return _Table(head, rows, caption=caption, numeric=frozenset({0}))


def _levels_of(matrix: Any, estimate: Any) -> tuple[str, str] | None:
    levels = getattr(estimate, "levels", estimate)
    values = list(levels.values()) if isinstance(levels, Mapping) else []
    row = next((v for v in values if v in matrix.rows), None)
    col = next((v for v in values if v in matrix.columns), None)
    return None if row is None or col is None else (row, col)


def _matrix_block(matrix: Any, lang: str, estimates: Iterable[Any] | None) -> _Grid:
    counts: dict[tuple[str, str], int] = {}
    for estimate in estimates or ():
        key = _levels_of(matrix, estimate)
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    rows = []
    for r in reversed(range(len(matrix.rows))):
        level = matrix.rows.levels[r]
        cells = []
        for c, col in enumerate(matrix.columns.levels):
            band = matrix.bands.band(matrix.grid[r][c])
            cells.append((band.label.get(lang), band.colour, counts.get((level.id, col.id), 0)))
        rows.append((level.label.get(lang), tuple(cells)))
    return _Grid(
        f"{matrix.label.get(lang)} · {matrix.id}",
        matrix.rows.label.get(lang),
        matrix.columns.label.get(lang),
        tuple(c.label.get(lang) for c in matrix.columns.levels),
        tuple(rows),
    )


def _catalogue_blocks(cat: Any, lang: str) -> tuple[Block, ...]:
    sections = (
        ("factors", cat.factors),
        ("scales", cat.scales),
        ("band-sets", cat.band_sets),
        ("matrices", cat.matrices),
        ("methods", cat.methods),
        ("frameworks", cat.frameworks),
        ("targets", cat.targets),
        ("requirements", cat.requirements),
        ("measure-templates", cat.measure_templates),
    )
    counts = _Table(
        (_w("catalogue", lang), ", ".join(f"{ns} {v}" for ns, v in cat.namespaces.items())),
        tuple((_Cell(_w(key, lang)), _cell(len(entries))) for key, entries in sections),
        numeric=frozenset({1}),
    )
    factors = _Table(
        ("id", _w("factor", lang), _w("kind", lang)),
        tuple(
            (_Cell(f.id, muted=True), _Cell(f.label.get(lang), strong=True), _Cell(f.polarity.value))
            for f in cat.factors.values()
            if f.replaced_by is None
        ),
        caption=_w("factors", lang),
    )
    return counts, factors


def _findings_block(findings: Sequence[Any], lang: str) -> Block:
    if not findings:
        return _Para(_w("no-findings", lang))
    items = tuple(
        (_e(f.severity.value, lang), f.message.get(lang), f"{f.code} · {f.path}", f.severity.value == "error")
        for f in findings
    )
    return _Items(items)


def _assessment_view(a: RiskAssessment, catalogue: Catalogue | None, lang: str, on: dt.date | None) -> str:
    from forsvarlig.catalogue import default_catalogue
    from forsvarlig.rules import review

    cat = catalogue or default_catalogue()
    day = on or dt.date.today()  # noqa: DTZ011 - the reader's day
    findings = review(a, cat, on=day)
    unit = _Unit(
        assessment=a, catalogue=cat, lang=lang, on=day, findings=findings, registry=None, incidents_by="year"
    )
    counts = {s: sum(f.severity.value == s for f in findings) for s in ("error", "warning", "info")}
    summary = _Para(
        f"{a.unit} · {a.date.isoformat()} · {_e(a.status.value, lang)} ·"
        f" {_n(len(a.hazards), 'hazards-n', lang)}, {_n(len(a.measures), 'measures-n', lang)} ·"
        f" {_w('findings', lang)}: {_n(counts['error'], 'errors', lang)},"
        f" {_n(counts['warning'], 'warnings', lang)}"
    )
    register = unit.register().blocks[1:]
    return _wrap(summary, *register)
